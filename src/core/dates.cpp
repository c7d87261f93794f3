#include "core/dates.h"

#include <chrono>
#include <cstdio>

#include "core/china_time.h"
#include "core/error.h"
#include "core/hq_clock.h"
#include "core/i18n.h"

namespace jc {

namespace {
std::chrono::year_month_day civil(const Date& d) {
    namespace c = std::chrono;
    return c::year_month_day(c::year(d.year), c::month(static_cast<unsigned>(d.month)), c::day(static_cast<unsigned>(d.day)));
}

bool allDigits(const std::string& s, size_t from, size_t n) {
    for (size_t i = from; i < from + n; ++i)
        if (s[i] < '0' || s[i] > '9') return false;
    return true;
}
}  // namespace

std::optional<Date> Date::tryParse(const std::string& s) {
    if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
    if (!allDigits(s, 0, 4) || !allDigits(s, 5, 2) || !allDigits(s, 8, 2)) return std::nullopt;
    Date d{std::stoi(s.substr(0, 4)), std::stoi(s.substr(5, 2)), std::stoi(s.substr(8, 2))};
    if (d.year < 1900 || d.year > 2200 || d.month < 1 || d.month > 12) return std::nullopt;
    if (!civil(d).ok()) return std::nullopt;
    return d;
}

Date Date::parse(const std::string& s) {
    auto d = tryParse(s);
    if (!d) throw ValidationError(trf("time.err_date", {s}));
    return *d;
}

Date Date::fromDays(int64_t z) {
    namespace c = std::chrono;
    c::year_month_day ymd{c::sys_days(c::days(z))};
    return Date{static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
                static_cast<int>(static_cast<unsigned>(ymd.day()))};
}

int64_t Date::days() const { return std::chrono::sys_days(civil(*this)).time_since_epoch().count(); }

int Date::weekday() const {
    namespace c = std::chrono;
    return static_cast<int>(c::weekday(c::sys_days(c::days(days()))).iso_encoding());
}

Date Date::chinaDate(int64_t unixMs) {
    namespace c = std::chrono;
    auto local = c::sys_time<c::milliseconds>(c::milliseconds(unixMs)) + kChinaUtcOffset;
    return fromDays(c::floor<c::days>(local).time_since_epoch().count());
}

Date Date::today() { return chinaDate(hqNowMillis()); }

std::string Date::str() const {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
    return buf;
}

std::optional<Date> chinaDateOf(const std::string& iso) {
    auto ms = parseIsoTimestamp(iso);
    if (!ms) return std::nullopt;
    return Date::chinaDate(*ms);
}

int64_t nowMillis() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

namespace {
// "YYYY-MM-DD" and the time of day of a time point given in milliseconds since 1970 (any sign).
std::pair<Date, std::chrono::hh_mm_ss<std::chrono::milliseconds>> split(int64_t ms) {
    using namespace std::chrono;
    sys_time<milliseconds> t{milliseconds(ms)};
    sys_days day = floor<days>(t);
    return {Date::fromDays(day.time_since_epoch().count()), hh_mm_ss<milliseconds>(t - day)};
}
}  // namespace

std::string isoTimestamp(int64_t ms) {
    auto [d, tod] = split(ms);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%sT%02d:%02d:%02d.%03dZ", d.str().c_str(), static_cast<int>(tod.hours().count()),
                  static_cast<int>(tod.minutes().count()), static_cast<int>(tod.seconds().count()),
                  static_cast<int>(tod.subseconds().count()));
    return buf;
}

ChinaTime chinaTime(int64_t unixMs) {
    auto [d, tod] = split(unixMs + std::chrono::milliseconds(kChinaUtcOffset).count());
    return {d, static_cast<int>(tod.hours().count()), static_cast<int>(tod.minutes().count()),
            static_cast<int>(tod.seconds().count())};
}

int64_t chinaDayStartMs(const Date& d) {
    namespace c = std::chrono;
    return c::milliseconds(c::days(d.days()) - kChinaUtcOffset).count();
}

std::string chinaDateTime(int64_t unixMs) {
    ChinaTime t = chinaTime(unixMs);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%s %02d:%02d", t.date.str().c_str(), t.hour, t.minute);
    return buf;
}

std::string nowIso() { return isoTimestamp(hqNowMillis()); }

std::optional<int64_t> parseIsoTimestamp(const std::string& s) {
    if (s.size() != 20 && s.size() != 24) return std::nullopt;
    auto d = Date::tryParse(s.substr(0, 10));
    if (!d || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s.back() != 'Z') return std::nullopt;
    if (!allDigits(s, 11, 2) || !allDigits(s, 14, 2) || !allDigits(s, 17, 2)) return std::nullopt;
    int h = std::stoi(s.substr(11, 2)), mi = std::stoi(s.substr(14, 2)), se = std::stoi(s.substr(17, 2));
    if (h > 23 || mi > 59 || se > 60) return std::nullopt;
    int msPart = 0;
    if (s.size() == 24) {
        if (s[19] != '.' || !allDigits(s, 20, 3)) return std::nullopt;
        msPart = std::stoi(s.substr(20, 3));
    }
    return d->days() * 86'400'000 + (h * 3600 + mi * 60 + se) * 1000LL + msPart;
}

bool isIsoTimestamp(const std::string& s) { return parseIsoTimestamp(s).has_value(); }

}  // namespace jc
