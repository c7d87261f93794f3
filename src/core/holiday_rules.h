#pragma once
// Statutory holidays computed by rule for years the State Council has not yet published.
//
// The rule is the 全国年节及纪念日放假办法 as amended in 2024 (in force from 2025-01-01),
// article 2 (holidays for all citizens), 11 days → 13 days:
//   元旦   New Year's Day   1 day : 1 January
//   春节   Spring Festival  4 days: 除夕 (the last day of the 12th lunar month) and 正月初一–初三
//   清明节 Qingming         1 day : the day of the Qingming solar term
//   劳动节 Labour Day       2 days: 1 and 2 May
//   端午节 Dragon Boat      1 day : 五月初五
//   中秋节 Mid-Autumn       1 day : 八月十五
//   国庆节 National Day     3 days: 1–3 October
// and article 6: a holiday for all citizens that falls on a Saturday or Sunday is made up on a
// working day (补假). Our placement of 补假, since the law names no day: every statutory day that
// falls on a Saturday or Sunday, or on a day already taken by another festival (Mid-Autumn on
// 1–3 October), gives one extra rest day on the first Monday–Friday after that festival's days
// that is not already a holiday. Make-up working days (调休) that the yearly notice adds are not
// predictable, so a year computed by rule has none; the yearly notice, once published, replaces
// the year (HQ enters it, calendar_year records).
//
// Lunar dates come from assets/calendar/lunar/lunar-festivals-2004-2100.json (computed with the
// MIT-licensed lunar-javascript library; its licence sits beside the file).
#include <map>
#include <string>

#include "core/entities.h"

namespace jc {

// The Gregorian dates of the lunar festivals and Qingming per year.
struct LunarFestivals {
    struct Year {
        std::string springFestivalEve, springFestival, qingming, dragonBoat, midAutumn;  // YYYY-MM-DD
    };
    std::map<int, Year> years;

    // {"years": {"2027": {"spring_festival_eve": …, "spring_festival": …, "qingming": …,
    //  "dragon_boat": …, "mid_autumn": …}, …}}; throws ValidationError naming the bad entry.
    static LunarFestivals fromJson(const Json& j);
    static LunarFestivals load(const std::string& path);  // throws StorageError / ValidationError
};

// First year the 2024 amendment applies to; earlier years are refused by statutoryHolidays().
inline constexpr int kHolidayRuleFirstYear = 2025;

// The rest days of `year` by rule: date → "中文名|English" (see calendarLabel()), the 补假 days
// named like their festival with "（补假）". Throws ValidationError when the year is before
// kHolidayRuleFirstYear or missing from `lunar`.
std::map<std::string, std::string> statutoryHolidays(int year, const LunarFestivals& lunar);

}  // namespace jc
