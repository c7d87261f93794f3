#include "core/uuid.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <random>

#include "core/hq_clock.h"

namespace jc {

namespace {
// RFC 9562 §6.2 method 1: a 42-bit counter spans rand_a (12 bits) and the top 30 bits of rand_b,
// so ids stay in order however many are made in one millisecond (a bulk import makes thousands).
// It starts at a random value with the top bit clear, leaving 2^41 increments of headroom.
constexpr uint64_t kCounterBits = 42;
constexpr uint64_t kCounterMask = (uint64_t{1} << kCounterBits) - 1;

std::mutex g_mutex;
int64_t g_lastMs = -1;
uint64_t g_counter = 0;

std::mt19937_64& rng() {
    static std::mt19937_64 engine{std::random_device{}()};
    return engine;
}
}  // namespace

std::string newUuidV7At(int64_t unixMs) {
    uint64_t counter, randLow;
    {
        std::lock_guard lock(g_mutex);
        if (unixMs == g_lastMs) {
            g_counter = (g_counter + 1) & kCounterMask;
        } else {
            g_lastMs = unixMs;
            g_counter = rng()() & (kCounterMask >> 1);
        }
        counter = g_counter;
        randLow = rng()() & 0xFFFFFFFFu;
    }
    const uint16_t randA = static_cast<uint16_t>(counter >> 30);                 // 12 bits
    const uint64_t randB = ((counter & 0x3FFFFFFFu) << 32) | randLow;             // 62 bits
    uint8_t b[16];
    for (int i = 0; i < 6; ++i) b[i] = static_cast<uint8_t>((static_cast<uint64_t>(unixMs) >> (40 - 8 * i)) & 0xFF);
    b[6] = static_cast<uint8_t>(0x70 | ((randA >> 8) & 0x0F));
    b[7] = static_cast<uint8_t>(randA & 0xFF);
    for (int i = 0; i < 8; ++i) b[8 + i] = static_cast<uint8_t>((randB >> (56 - 8 * i)) & 0xFF);
    b[8] = static_cast<uint8_t>(0x80 | (b[8] & 0x3F));
    char out[37];
    std::snprintf(out, sizeof out,
                  "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
                  b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
                  b[15]);
    return out;
}

std::string newUuidV7() {
    // HQ time when the device's offset is known (core/hq_clock.h), so ids of a laptop with a wrong
    // clock still sort among everyone else's. Never earlier than the last id of this process
    // (the offset can move the clock back at a sync), so a device's ids stay in creation order.
    static std::atomic<int64_t> lastNow{0};
    int64_t ms = std::max<int64_t>(hqNowMillis(), 0);
    int64_t prev = lastNow.load();
    while (ms > prev && !lastNow.compare_exchange_weak(prev, ms)) {
    }
    return newUuidV7At(std::max(ms, prev));
}

bool isUuid(const std::string& s) {
    if (s.size() != 36) return false;
    for (size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (c != '-') return false;
        } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            return false;
        }
    }
    return true;
}

int64_t uuidV7Millis(const std::string& id) {
    if (!isUuid(id) || id[14] != '7') return -1;
    std::string hex = id.substr(0, 8) + id.substr(9, 4);
    return static_cast<int64_t>(std::stoull(hex, nullptr, 16));
}

}  // namespace jc
