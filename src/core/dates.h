#pragma once
// Calendar dates ("YYYY-MM-DD") and UTC timestamps ("YYYY-MM-DDTHH:MM:SS.mmmZ").
// Dates are civil days with no time zone; deadlines are counted in whole days.
#include <cstdint>
#include <optional>
#include <string>

namespace jc {

struct Date {
    int year = 1970, month = 1, day = 1;

    static Date parse(const std::string& s);                  // throws ValidationError
    static std::optional<Date> tryParse(const std::string& s);
    static Date fromDays(int64_t daysSinceEpoch);
    static Date today();                                      // UTC+8 (China Standard Time), HQ time (core/hq_clock.h)
    // The civil date in China (UTC+8, no daylight saving) at `unixMs`; negative values are days
    // before 1970. The one UTC → China date conversion of the code base.
    static Date chinaDate(int64_t unixMs);
    int64_t days() const;                                     // days since 1970-01-01
    int weekday() const;                                      // 1 = Monday … 7 = Sunday
    std::string str() const;
    Date plusDays(int64_t n) const { return fromDays(days() + n); }
    auto operator<=>(const Date&) const = default;
};

int64_t nowMillis();                        // the device's own clock
std::string isoTimestamp(int64_t unixMs);   // UTC, millisecond precision, trailing Z
std::string nowIso();                       // HQ time: the device clock corrected by the known offset
// "YYYY-MM-DD HH:MM" in China Standard Time (UTC+8) at `unixMs`, for showing stored UTC times.
std::string chinaDateTime(int64_t unixMs);
bool isIsoTimestamp(const std::string& s);  // accepts "YYYY-MM-DDTHH:MM:SS[.mmm]Z"
std::optional<int64_t> parseIsoTimestamp(const std::string& s);  // → unix ms
// Date::chinaDate() of an ISO-8601 UTC timestamp (the day a complaint was received, replied to);
// nullopt when the text is not a timestamp.
std::optional<Date> chinaDateOf(const std::string& isoTimestamp);

}  // namespace jc
