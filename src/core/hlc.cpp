#include "core/hlc.h"

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "core/error.h"

namespace jc {

namespace {
// The encoding has five counter digits. Past that the logical clock moves to the next
// millisecond instead, so encoded stamps keep their width and their order.
constexpr uint32_t kMaxCounter = 99'999;
}  // namespace

std::string HlcStamp::encode() const {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%013lld-%05u-", static_cast<long long>(wallMs), counter);
    return buf + node;
}

HlcStamp HlcStamp::decode(const std::string& s) {
    if (s.size() < 20 || s[13] != '-' || s[19] != '-') throw ValidationError("malformed HLC stamp: " + s);
    // Every digit is checked: stoll alone would accept "12x" or " +1" and break string order.
    for (size_t i = 0; i < 19; ++i)
        if (i != 13 && (s[i] < '0' || s[i] > '9')) throw ValidationError("malformed HLC stamp: " + s);
    HlcStamp h;
    h.wallMs = std::stoll(s.substr(0, 13));
    h.counter = static_cast<uint32_t>(std::stoul(s.substr(14, 5)));
    h.node = s.substr(20);
    return h;
}

bool HlcStamp::operator<(const HlcStamp& o) const {
    if (wallMs != o.wallMs) return wallMs < o.wallMs;
    if (counter != o.counter) return counter < o.counter;
    return node < o.node;
}

HybridClock::HybridClock(std::string node, WallFn wall) : m_node(std::move(node)), m_wall(std::move(wall)) {}

int64_t HybridClock::wall() const {
    if (m_wall) return m_wall();
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

HlcStamp HybridClock::now() {
    std::lock_guard lock(m_mutex);
    int64_t w = wall();
    if (w > m_lastMs) {
        m_lastMs = w;
        m_counter = 0;
    } else {
        ++m_counter;
    }
    if (m_counter > kMaxCounter) {
        ++m_lastMs;
        m_counter = 0;
    }
    return {m_lastMs, m_counter, m_node};
}

HlcStamp HybridClock::observe(const HlcStamp& remote) {
    std::lock_guard lock(m_mutex);
    int64_t w = wall();
    int64_t r = remote.wallMs;
    if (r > w + m_maxDriftMs) r = w + m_maxDriftMs;  // clamp a clock running far ahead
    int64_t next = std::max({w, m_lastMs, r});
    if (next == m_lastMs && next == r) {
        m_counter = std::max(m_counter, remote.counter) + 1;
    } else if (next == m_lastMs) {
        ++m_counter;
    } else if (next == r) {
        m_counter = remote.counter + 1;
    } else {
        m_counter = 0;
    }
    m_lastMs = next;
    if (m_counter > kMaxCounter) {
        ++m_lastMs;
        m_counter = 0;
    }
    return {m_lastMs, m_counter, m_node};
}

}  // namespace jc
