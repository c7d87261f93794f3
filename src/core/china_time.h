#pragma once
// The day and the time of day in China Standard Time (UTC+8, no daylight saving) at a UTC
// instant: what exports show for stored UTC timestamps. Computed in core/dates.cpp, with
// chinaDateTime() and Date::chinaDate(), so there is one UTC -> China conversion.
#include <cstdint>

#include "core/dates.h"

namespace jc {

struct ChinaTime {
    Date date;
    int hour = 0, minute = 0, second = 0;
};
// At `unixMs` (milliseconds since 1970, any sign).
ChinaTime chinaTime(int64_t unixMs);

}  // namespace jc
