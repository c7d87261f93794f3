#pragma once
// The day and the time of day in China Standard Time (UTC+8, no daylight saving) at a UTC
// instant: what exports show for stored UTC timestamps. Computed in core/dates.cpp, with
// chinaDateTime() and Date::chinaDate(), so there is one UTC -> China conversion; and back, the
// UTC instant a China day begins (date filters over stored UTC times, the daily upload limit).
#include <chrono>
#include <cstdint>

#include "core/dates.h"

namespace jc {

struct ChinaTime {
    Date date;
    int hour = 0, minute = 0, second = 0;
};
// China Standard Time is UTC+8 all year (no daylight saving).
inline constexpr std::chrono::hours kChinaUtcOffset{8};

// At `unixMs` (milliseconds since 1970, any sign).
ChinaTime chinaTime(int64_t unixMs);
// The UTC instant (milliseconds since 1970) at which day `d` begins in China.
int64_t chinaDayStartMs(const Date& d);

}  // namespace jc
