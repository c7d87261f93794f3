#include "core/hq_clock.h"

#include <mutex>
#include <cstdlib>
#include <ctime>
#include <fstream>

#include "core/dates.h"

namespace jc {

namespace {
// Whether an anchor was taken in this boot with a plausible wall clock (an anchor from a boot
// clock that was faked like the wall clock reads about 0 and cannot be used).
constexpr int64_t kYear2000Ms = 946'684'800'000;

struct HqState {
    bool known = false;
    int64_t offset = 0;          // HQ minus wall at the measurement
    bool anchored = false;       // HQ time = boot clock + hqMinusBoot
    int64_t hqMinusBoot = 0;
};
std::mutex g_mutex;
HqState g_state;

int64_t clockMs(clockid_t id) {
    timespec ts{};
    ::clock_gettime(id, &ts);
    return static_cast<int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1'000'000;
}

const std::string& bootId() {
    static const std::string id = [] {
        std::string s;
        std::ifstream in("/proc/sys/kernel/random/boot_id");
        std::getline(in, s);
        return s;
    }();
    return id;
}
}  // namespace

void setHqClockOffset(std::optional<int64_t> offsetMs, const std::optional<ClockAnchor>& measuredAt) {
    HqState st;
    st.known = offsetMs.has_value();
    st.offset = offsetMs.value_or(0);
    if (st.known && measuredAt && !measuredAt->bootId.empty() && measuredAt->bootId == bootId() &&
        measuredAt->wallMinusBootMs > kYear2000Ms) {
        st.anchored = true;
        st.hqMinusBoot = measuredAt->wallMinusBootMs + st.offset;
    }
    std::lock_guard lock(g_mutex);
    g_state = st;
}

std::optional<int64_t> hqClockOffset() {
    {
        std::lock_guard lock(g_mutex);
        if (!g_state.known) return std::nullopt;
    }
    return hqNowMillis() - nowMillis();
}

int64_t hqNowMillis() {
    HqState st;
    {
        std::lock_guard lock(g_mutex);
        st = g_state;
    }
    if (st.anchored) return clockMs(CLOCK_BOOTTIME) + st.hqMinusBoot;
    return nowMillis() + (st.known ? st.offset : 0);
}

int64_t clockOffsetFromExchange(int64_t sentMs, int64_t receivedMs, int64_t serverMs) {
    return serverMs - (sentMs + (receivedMs - sentMs) / 2);
}

std::string clockOffsetWords(int64_t offsetMs, const std::string& day, const std::string& hour,
                             const std::string& minute) {
    int64_t minutes = (std::llabs(offsetMs) + 30'000) / 60'000;  // to the nearest minute
    int64_t days = minutes / 1440, hours = minutes / 60 % 24, mins = minutes % 60;
    auto part = [](int64_t n, const std::string& unit) { return std::to_string(n) + " " + unit; };
    if (days > 0) return days < 10 && hours > 0 ? part(days, day) + " " + part(hours, hour) : part(days, day);
    if (hours > 0) return mins > 0 ? part(hours, hour) + " " + part(mins, minute) : part(hours, hour);
    return part(mins, minute);
}

std::string ClockAnchor::encode() const {
    return bootId + "/" + std::to_string(wallMinusBootMs);
}

std::optional<ClockAnchor> ClockAnchor::decode(const std::string& s) {
    auto slash = s.rfind('/');
    if (slash == std::string::npos) return std::nullopt;
    char* end = nullptr;
    std::string num = s.substr(slash + 1);
    long long v = std::strtoll(num.c_str(), &end, 10);
    if (num.empty() || *end) return std::nullopt;
    return ClockAnchor{s.substr(0, slash), v};
}

ClockAnchor currentClockAnchor() {
    ClockAnchor a;
    a.bootId = bootId();
    a.wallMinusBootMs = nowMillis() - clockMs(CLOCK_BOOTTIME);
    return a;
}

bool clockChangedBetween(const ClockAnchor& then, const ClockAnchor& now) {
    if (then.bootId.empty() || then.bootId != now.bootId) return true;
    return std::llabs(now.wallMinusBootMs - then.wallMinusBootMs) > kClockAnchorToleranceMs;
}

}  // namespace jc
