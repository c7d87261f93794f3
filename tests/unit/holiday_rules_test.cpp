// Statutory holidays by rule (全国年节及纪念日放假办法, 2024 amendment) for the years after the
// bundled data, checked against the published arrangements of 2025 and 2026 and against the
// festival dates of future years; the calendar's per-year source and published years.
#include "core/holiday_rules.h"

#include <catch2/catch.hpp>
#include <set>

#include "core/calendar.h"
#include "core/error.h"

using namespace jc;

namespace {
const LunarFestivals& lunar() {
    static const LunarFestivals l =
        LunarFestivals::load(JIANCHA_SOURCE_ASSETS "/calendar/lunar/lunar-festivals-2004-2100.json");
    return l;
}
const WorkCalendar& official() {
    static const WorkCalendar c = WorkCalendar::load(JIANCHA_SOURCE_ASSETS "/calendar/cn-workdays-2004-2026.json");
    return c;
}
std::vector<std::string> days(const std::map<std::string, std::string>& m, bool inLieu) {
    std::vector<std::string> out;
    for (const auto& [d, name] : m)
        if ((name.find("补假") != std::string::npos) == inLieu) out.push_back(d);
    return out;
}
}  // namespace

TEST_CASE("the rule's 13 statutory days of 2025 and 2026 are all rest days of the published arrangements",
          "[calendar][rule]") {
    for (int year : {2025, 2026}) {
        auto rule = statutoryHolidays(year, lunar());
        INFO(year);
        CHECK(days(rule, false).size() == 13);
        for (const auto& [day, name] : rule) {
            INFO(day << " " << name);
            CHECK(official().holidayName(Date::parse(day)).has_value());
            CHECK_FALSE(official().isWorkday(Date::parse(day)));
        }
    }
    // 2025: 端午 fell on Saturday 31 May, made up on Monday 2 June as the State Council did.
    auto r2025 = statutoryHolidays(2025, lunar());
    CHECK(days(r2025, true) == std::vector<std::string>{"2025-06-02"});
    CHECK(r2025.at("2025-01-28") == "春节|Spring Festival");  // 除夕 is a holiday from 2025 on
    CHECK(r2025.count("2025-05-02") == 1);                    // Labour Day has two days
    // 2026: 清明 on Sunday 5 April → Monday 6 April; 劳动节 2 May a Saturday → Monday 4 May;
    // 国庆节 3 October a Saturday → Monday 5 October. All inside the published holidays.
    CHECK(days(statutoryHolidays(2026, lunar()), true) ==
          std::vector<std::string>{"2026-04-06", "2026-05-04", "2026-10-05"});
}

TEST_CASE("future years by rule fall on the festivals' known dates", "[calendar][rule]") {
    struct Known {
        int year;
        const char *eve, *qingming, *dragonBoat, *midAutumn;
    };
    // Chinese New Year's Eve, Qingming, Dragon Boat and Mid-Autumn as almanacs give them.
    const Known known[] = {{2027, "2027-02-05", "2027-04-05", "2027-06-09", "2027-09-15"},
                           {2028, "2028-01-25", "2028-04-04", "2028-05-28", "2028-10-03"},
                           {2029, "2029-02-12", "2029-04-04", "2029-06-16", "2029-09-22"},
                           {2030, "2030-02-02", "2030-04-05", "2030-06-05", "2030-09-12"}};
    for (const auto& k : known) {
        INFO(k.year);
        auto rule = statutoryHolidays(k.year, lunar());
        Date eve = Date::parse(k.eve);
        for (int i = 0; i < 4; ++i) CHECK(rule.count(eve.plusDays(i).str()) == 1);  // 除夕 + 初一–初三
        for (const char* d : {k.qingming, k.dragonBoat, k.midAutumn}) CHECK(rule.count(d) == 1);
        for (const char* md : {"-01-01", "-05-01", "-05-02", "-10-01", "-10-02", "-10-03"})
            CHECK(rule.count(std::to_string(k.year) + md) == 1);
        // Every statutory day on a weekend (or shared with another festival) gives one weekday in lieu.
        int owed = 0;
        std::set<std::string> statutory;
        for (const auto& d : days(rule, false)) {
            statutory.insert(d);
            if (Date::parse(d).weekday() >= 6) ++owed;
        }
        if (statutory.size() == 12) ++owed;  // Mid-Autumn on one of 1–3 October (2028)
        CHECK(static_cast<int>(days(rule, true).size()) == owed);
        for (const auto& d : days(rule, true)) CHECK(Date::parse(d).weekday() <= 5);
    }
    // 2027: 除夕 Friday 5 February, 初一–初三 Saturday to Monday → Tuesday 9 and Wednesday 10 off.
    auto r2027 = statutoryHolidays(2027, lunar());
    CHECK(r2027.at("2027-02-09") == "春节（补假）|Spring Festival (day in lieu)");
    CHECK(r2027.count("2027-02-10") == 1);
    CHECK(r2027.count("2027-02-11") == 0);
    // 2028: Mid-Autumn is 3 October, inside National Day: one more day after the week's holidays.
    auto r2028 = statutoryHolidays(2028, lunar());
    CHECK(r2028.at("2028-10-03") == "国庆节|National Day");
    CHECK(r2028.count("2028-10-04") == 1);  // for 1 October, a Sunday
    CHECK(r2028.count("2028-10-05") == 1);  // for Mid-Autumn
}

TEST_CASE("years before the 2024 amendment or without lunar data are refused", "[calendar][rule]") {
    CHECK_THROWS_WITH(statutoryHolidays(2024, lunar()), Catch::Contains("2025"));
    CHECK_THROWS_AS(statutoryHolidays(2101, lunar()), ValidationError);
    CHECK_THROWS_AS(LunarFestivals::fromJson({{"years", {{"2027", {{"qingming", "2027-04-05"}}}}}}), ValidationError);
}

TEST_CASE("the calendar marks each year official, by rule or weekdays, and a published year replaces the rule",
          "[calendar][rule]") {
    WorkCalendar cal = official();
    cal.addRuleYears(lunar());
    CHECK(cal.yearSource(2026) == YearSource::Official);
    CHECK(cal.yearSource(2027) == YearSource::ByRule);
    CHECK(cal.yearSource(2100) == YearSource::ByRule);
    CHECK(cal.yearSource(2101) == YearSource::Weekdays);
    CHECK(cal.lastOfficialYear() == 2026);
    // Official 2026 untouched: the 调休 Sunday 4 January is still a working day.
    CHECK(cal.isWorkday(Date{2026, 1, 4}));
    // 15 working days from 2026-12-20 cross New Year's Day 2027 (by rule: Friday 1 January off).
    Date due = cal.addWorkdays(Date{2026, 12, 20}, 15);
    CHECK(due == Date{2027, 1, 11});
    CHECK(cal.ruleYearsBetween(Date{2026, 12, 20}, due) == std::vector<int>{2027});
    CHECK(cal.ruleYearsBetween(Date{2026, 9, 1}, Date{2026, 10, 30}).empty());
    // Spring Festival 2027 by rule: 5–10 February rest (Fri–Wed).
    for (int d = 5; d <= 10; ++d) CHECK_FALSE(cal.isWorkday(Date{2027, 2, d}));
    CHECK(cal.isWorkday(Date{2027, 2, 11}));

    // HQ publishes 2027 with a make-up working Saturday: the deadline moves, the year is official.
    cal.setPublishedYear(2027, {{"2027-01-01", "元旦"}, {"2027-01-02", "元旦"}, {"2027-01-03", "元旦"}},
                         {{"2027-01-09", "元旦"}});
    CHECK(cal.yearSource(2027) == YearSource::Official);
    CHECK(cal.addWorkdays(Date{2026, 12, 20}, 15) == Date{2027, 1, 9});
    CHECK(cal.ruleYearsBetween(Date{2026, 12, 20}, Date{2027, 1, 9}).empty());
    CHECK(cal.isWorkday(Date{2027, 2, 9}));  // the rule's Spring Festival days are gone with the rule
    CHECK(cal.yearSource(2028) == YearSource::ByRule);
    CHECK_THROWS_AS(cal.setPublishedYear(2027, {{"2028-01-01", "x"}}, {}), ValidationError);
}

TEST_CASE("deadlines across the National Day week of 2026 skip the holidays and count the make-up Saturday",
          "[calendar]") {
    const WorkCalendar& cal = official();
    // Received Monday 28 September, 5 working days: 29, 30 Sep, then 1–7 Oct off, 8, 9 Oct, and
    // Saturday 10 October is a make-up working day.
    CHECK(cal.addWorkdays(Date{2026, 9, 28}, 5) == Date{2026, 10, 10});
    CHECK(cal.addWorkdays(Date{2026, 9, 30}, 1) == Date{2026, 10, 8});
    CHECK(cal.workdaysBetween(Date{2026, 9, 30}, Date{2026, 10, 7}) == 0);
}
