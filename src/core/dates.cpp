#include "core/dates.h"

#include <chrono>
#include <cstdio>

#include "core/error.h"

namespace jc {

namespace {
// Howard Hinnant's civil-day algorithms (public domain description, written out here).
int64_t daysFromCivil(int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

bool isLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int daysInMonth(int y, int m) {
    static const int dim[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && isLeap(y) ? 29 : dim[m - 1];
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
    if (d.day < 1 || d.day > daysInMonth(d.year, d.month)) return std::nullopt;
    return d;
}

Date Date::parse(const std::string& s) {
    auto d = tryParse(s);
    if (!d) throw ValidationError("not a valid date (expected YYYY-MM-DD): '" + s + "'");
    return *d;
}

Date Date::fromDays(int64_t z) {
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int64_t y = static_cast<int64_t>(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    return Date{static_cast<int>(y + (m <= 2)), static_cast<int>(m), static_cast<int>(d)};
}

int64_t Date::days() const { return daysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)); }

int Date::weekday() const {
    int64_t z = days();  // 1970-01-01 was a Thursday (4)
    int64_t w = (z + 3) % 7;
    if (w < 0) w += 7;
    return static_cast<int>(w) + 1;
}

std::string Date::str() const {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
    return buf;
}

Date Date::chinaDate(int64_t unixMs) {
    using namespace std::chrono;
    auto local = sys_time<milliseconds>(milliseconds(unixMs)) + hours(8);
    return fromDays(floor<std::chrono::days>(local).time_since_epoch().count());
}

Date Date::today() { return chinaDate(nowMillis()); }

std::optional<Date> chinaDateOf(const std::string& iso) {
    auto ms = parseIsoTimestamp(iso);
    if (!ms) return std::nullopt;
    return Date::chinaDate(*ms);
}

int64_t nowMillis() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::string isoTimestamp(int64_t ms) {
    int64_t days = ms >= 0 ? ms / 86'400'000 : (ms - 86'399'999) / 86'400'000;
    int64_t rem = ms - days * 86'400'000;
    Date d = Date::fromDays(days);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%sT%02d:%02d:%02d.%03dZ", d.str().c_str(), static_cast<int>(rem / 3'600'000),
                  static_cast<int>(rem / 60'000 % 60), static_cast<int>(rem / 1000 % 60), static_cast<int>(rem % 1000));
    return buf;
}

std::string nowIso() { return isoTimestamp(nowMillis()); }

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
