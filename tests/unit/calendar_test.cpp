// Working-day calendar (限时办结制): deadlines skip statutory holidays, count make-up working
// days, and drive the yellow / red cards.
#include "core/calendar.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <random>

#include "core/error.h"

using namespace jc;

namespace {
const WorkCalendar& realCalendar() {
    static const WorkCalendar cal = WorkCalendar::load(JIANCHA_SOURCE_ASSETS "/calendar/cn-workdays-2004-2026.json");
    return cal;
}
Date d(const char* s) {
    return Date::parse(s);
}

// Reference count: one day at a time through isWorkday().
int naiveBetween(const WorkCalendar& c, Date from, Date to) {
    int n = 0;
    if (from <= to) {
        for (Date x = from.plusDays(1); x <= to; x = x.plusDays(1)) n += c.isWorkday(x);
        return n;
    }
    for (Date x = to.plusDays(1); x <= from; x = x.plusDays(1)) n += c.isWorkday(x);
    return -n;
}
}  // namespace

TEST_CASE("15 working days after 2026-09-28 skip National Day and count the make-up Saturday", "[calendar]") {
    const auto& cal = realCalendar();
    CHECK(cal.addWorkdays(d("2026-09-28"), 15) == d("2026-10-23"));
    CHECK(cal.workdaysBetween(d("2026-09-28"), d("2026-10-23")) == 15);
    CHECK(cal.workdaysBetween(d("2026-10-23"), d("2026-09-28")) == -15);
    CHECK(cal.addWorkdays(d("2026-10-23"), -15) == d("2026-09-28"));
}

TEST_CASE("holidays, weekends and make-up working days", "[calendar]") {
    const auto& cal = realCalendar();
    CHECK(cal.firstYear() == 2004);
    CHECK(cal.lastYear() == 2026);
    CHECK_FALSE(cal.isWorkday(d("2026-10-01")));  // National Day, a Thursday
    CHECK_FALSE(cal.isWorkday(d("2026-10-07")));
    CHECK(cal.isWorkday(d("2026-10-08")));
    CHECK(d("2026-10-10").weekday() == 6);
    CHECK(cal.isWorkday(d("2026-10-10")));  // Saturday make-up day
    CHECK(cal.isMakeupWorkday(d("2026-10-10")));
    CHECK_FALSE(cal.isWorkday(d("2026-10-11")));  // ordinary Sunday
    CHECK_FALSE(cal.isMakeupWorkday(d("2026-10-12")));
    CHECK(cal.isWorkday(d("2026-10-12")));
    CHECK_FALSE(cal.isWorkday(d("2026-02-17")));  // Spring Festival on a Tuesday

    auto name = cal.holidayName(d("2026-10-01"));
    REQUIRE(name);
    CHECK(calendarLabel(*name, false) == "国庆节");
    CHECK(calendarLabel(*name, true) == "National Day");
    CHECK(cal.holidayName(d("2026-10-10")).has_value());
    CHECK_FALSE(cal.holidayName(d("2026-10-12")).has_value());
    CHECK(calendarLabel("元旦", true) == "元旦");
}

TEST_CASE("n = 0 returns the start day even on a holiday, a deadline never lands on a rest day", "[calendar]") {
    const auto& cal = realCalendar();
    CHECK(cal.addWorkdays(d("2026-10-03"), 0) == d("2026-10-03"));
    CHECK(cal.addWorkdays(d("2026-10-03"), 1) == d("2026-10-08"));
    CHECK(cal.addWorkdays(d("2026-10-08"), -1) == d("2026-09-30"));
    for (int n = 1; n <= 40; ++n) CHECK(cal.isWorkday(cal.addWorkdays(d("2026-09-20"), n)));
}

TEST_CASE("years outside the data count Monday to Friday", "[calendar]") {
    const auto& cal = realCalendar();
    REQUIRE(d("2030-01-04").weekday() == 5);
    CHECK(cal.isWorkday(d("2030-01-01")));  // no holiday data for 2030
    CHECK(cal.addWorkdays(d("2030-01-04"), 1) == d("2030-01-07"));
    CHECK(cal.addWorkdays(d("2030-01-04"), 5) == d("2030-01-11"));
    CHECK_FALSE(cal.isWorkday(d("2003-12-27")));  // a Saturday before the data starts
    CHECK(cal.workdaysBetween(d("2003-12-26"), d("2004-01-02")) == naiveBetween(cal, d("2003-12-26"), d("2004-01-02")));

    WorkCalendar empty = WorkCalendar::fromJson({{"holidays", Json::object()}});
    CHECK(empty.firstYear() == 0);
    CHECK(empty.isWorkday(d("2026-10-01")));
    CHECK(empty.addWorkdays(d("2026-09-28"), 15) == d("2026-10-19"));
}

TEST_CASE("counting agrees with a day-by-day count, across the edges of the data", "[calendar]") {
    const auto& cal = realCalendar();
    std::mt19937 rng(20260928);
    std::uniform_int_distribution<int64_t> day(Date{2002, 6, 1}.days(), Date{2028, 6, 1}.days());
    std::uniform_int_distribution<int> len(-400, 400);
    for (int i = 0; i < 300; ++i) {
        Date from = Date::fromDays(day(rng));
        Date to = from.plusDays(len(rng));
        INFO(from.str() << " .. " << to.str());
        REQUIRE(cal.workdaysBetween(from, to) == naiveBetween(cal, from, to));
        int n = len(rng) / 2;
        Date end = cal.addWorkdays(from, n);
        if (n > 0) {
            REQUIRE(cal.workdaysBetween(from, end) == n);  // n working days in (from, end]
        } else if (n < 0) {
            REQUIRE(cal.workdaysBetween(end.plusDays(-1), from.plusDays(-1)) == -n);  // -n in [end, from)
        }
        if (n != 0) REQUIRE(cal.isWorkday(end));
    }
}

TEST_CASE("addWorkdays is bounded and fast for large n", "[calendar]") {
    const auto& cal = realCalendar();
    CHECK_THROWS_AS(cal.addWorkdays(d("2026-01-01"), 10'001), ValidationError);
    CHECK_THROWS_AS(cal.addWorkdays(d("2026-01-01"), -10'001), ValidationError);

    auto t0 = std::chrono::steady_clock::now();
    Date end;
    for (int i = 0; i < 200; ++i) end = cal.addWorkdays(d("2004-01-01"), 10'000);
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
    CHECK(cal.workdaysBetween(d("2004-01-01"), end) == 10'000);
    CHECK(ms < 3000);  // a linear loop takes a few ms here; a quadratic one takes minutes
}

TEST_CASE("deadline lights: green, yellow within the rule, red after the deadline", "[calendar]") {
    const auto& cal = realCalendar();
    const Date deadline = d("2026-10-23");  // Friday
    CHECK(cal.workdaysRemaining(d("2026-10-19"), deadline) == 4);
    CHECK(cal.light(d("2026-10-19"), deadline) == DeadlineLight::Green);
    CHECK(cal.light(d("2026-10-20"), deadline) == DeadlineLight::Yellow);  // 3 left
    CHECK(cal.workdaysRemaining(deadline, deadline) == 0);
    CHECK(cal.light(deadline, deadline) == DeadlineLight::Yellow);
    CHECK(cal.light(d("2026-10-24"), deadline) == DeadlineLight::Red);  // the Saturday after
    CHECK(cal.workdaysRemaining(d("2026-10-24"), deadline) == -1);      // overdue even with no workday passed
    CHECK(cal.workdaysRemaining(d("2026-10-27"), deadline) == -2);
    CHECK(lightCode(DeadlineLight::Red) == "red");
    CHECK(lightCode(DeadlineLight::Yellow) == "yellow");
    CHECK(lightCode(DeadlineLight::Green) == "green");

    // Nine calendar days but only two working days: the holiday makes it yellow.
    CHECK(cal.workdaysRemaining(d("2026-09-30"), d("2026-10-09")) == 2);
    CHECK(cal.light(d("2026-09-30"), d("2026-10-09")) == DeadlineLight::Yellow);

    LightRule onlyLastDay{0};
    CHECK(cal.light(d("2026-10-22"), deadline, onlyLastDay) == DeadlineLight::Green);
    CHECK(cal.light(deadline, deadline, onlyLastDay) == DeadlineLight::Yellow);
}

TEST_CASE("malformed calendar data is refused with a clear error", "[calendar]") {
    CHECK_THROWS_AS(WorkCalendar::fromJson(Json::array()), ValidationError);
    CHECK_THROWS_AS(WorkCalendar::fromJson(Json::object()), ValidationError);
    CHECK_THROWS_WITH(WorkCalendar::fromJson({{"holidays", {{"2026-13-01", "x"}}}}), Catch::Contains("2026-13-01"));
    CHECK_THROWS_AS(WorkCalendar::fromJson({{"holidays", {{"2026-10-01", 1}}}}), ValidationError);
    CHECK_THROWS_AS(WorkCalendar::fromJson({{"holidays", {{"2026-10-01", "a"}}}, {"makeup_workdays", 3}}),
                    ValidationError);
    CHECK_THROWS_WITH(
        WorkCalendar::fromJson({{"holidays", {{"2026-10-10", "a"}}}, {"makeup_workdays", {{"2026-10-10", "b"}}}}),
        Catch::Contains("2026-10-10 既是节假日又是调休上班日"));
    CHECK_THROWS_AS(WorkCalendar::load("/nonexistent/calendar.json"), StorageError);
}

TEST_CASE("a calendar survives a round trip through JSON (HQ updates it through sync)", "[calendar]") {
    const auto& cal = realCalendar();
    WorkCalendar copy = WorkCalendar::fromJson(cal.toJson());
    CHECK(copy.holidays() == cal.holidays());
    CHECK(copy.makeupDays() == cal.makeupDays());
    CHECK(copy.addWorkdays(d("2026-09-28"), 15) == d("2026-10-23"));
}
