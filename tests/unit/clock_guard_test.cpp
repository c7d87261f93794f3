// The server's guard against times far ahead of its clock (sync/server/clock_guard.h): which
// pushed times it replaces by its receipt time, what it keeps of the device's values, and when
// it flags the record.
#include <catch2/catch.hpp>

#include "core/dates.h"
#include "core/entities.h"
#include "sync/server/clock_guard.h"

using namespace jc;

TEST_CASE("the server replaces times more than five minutes ahead of its clock and flags the record", "[clock]") {
    const int64_t now = *parseIsoTimestamp("2026-12-02T08:00:00.000Z");
    Json fields = {{"title", "投诉"},
                   {"received_at", "2027-12-02T08:00:00.000Z"},
                   {"reply_at", "2026-12-02T08:04:00.000Z"}};  // four minutes ahead: trusted
    std::string createdAt = "2027-12-02T08:00:01.000Z";
    Json device = server::guardFutureTimes(entityDef("complaint"), fields, &createdAt, now);
    CHECK(createdAt == "2026-12-02T08:00:00.000Z");
    CHECK(fields["received_at"] == "2026-12-02T08:00:00.000Z");
    CHECK(fields["reply_at"] == "2026-12-02T08:04:00.000Z");
    CHECK(fields["time_suspect"] == true);
    CHECK(fields["device_time"] == "2027-12-02T08:00:01.000Z");
    CHECK(device["received_at"] == "2027-12-02T08:00:00.000Z");
    CHECK(device["created_at"] == "2027-12-02T08:00:01.000Z");

    // Past times (a clock behind) are left as they are: the device corrects or flags those.
    Json old = {{"received_at", "2016-12-02T08:00:00.000Z"}};
    std::string oldCreated = "2016-12-02T08:00:00.000Z";
    CHECK(server::guardFutureTimes(entityDef("complaint"), old, &oldCreated, now).empty());
    CHECK_FALSE(old.contains("time_suspect"));
    // An entity without the flag fields still gets the receipt time.
    Json unit = {{"name", "单位"}};
    std::string unitCreated = "2030-01-01T00:00:00.000Z";
    CHECK(server::guardFutureTimes(entityDef("unit"), unit, &unitCreated, now).size() == 1);
    CHECK(unitCreated == "2026-12-02T08:00:00.000Z");
    CHECK_FALSE(unit.contains("time_suspect"));
}

TEST_CASE("a complaint's deadline is counted again from the server's receipt day, same working days", "[clock]") {
    const int64_t now = *parseIsoTimestamp("2026-12-02T08:00:00.000Z");  // a Wednesday
    // The bundled and published calendar on a real server; here a calendar with one holiday,
    // so that the count must pass through it.
    WorkCalendar cal = WorkCalendar::fromJson(
        {{"holidays", {{"2026-12-04", "测试假日|Test holiday"}}}, {"makeup_workdays", Json::object()}});
    int asked = 0;
    auto calendar = [&] {
        ++asked;
        return cal;
    };
    // On the laptop a year ahead: received 2027-12-02 (a Thursday), due 15 working days later.
    const Date deviceDay = Date::parse("2027-12-02");
    Json fields = {{"received_at", "2027-12-02T08:00:00.000Z"}, {"deadline", cal.addWorkdays(deviceDay, 15).str()}};
    std::string createdAt = "2027-12-02T08:00:00.000Z";
    Json device = server::guardFutureTimes(entityDef("complaint"), fields, &createdAt, now, calendar);
    CHECK(fields["deadline"] == cal.addWorkdays(Date::parse("2026-12-02"), 15).str());
    CHECK(fields["deadline"] == "2026-12-24");  // 15 working days from 12-02, 12-04 a holiday
    CHECK(device["deadline"] == cal.addWorkdays(deviceDay, 15).str());
    CHECK(asked == 1);
    // Times that were plausible: the calendar is not even asked.
    Json fine = {{"received_at", "2026-12-02T07:00:00.000Z"}, {"deadline", "2026-12-23"}};
    server::guardFutureTimes(entityDef("complaint"), fine, nullptr, now, calendar);
    CHECK(fine["deadline"] == "2026-12-23");
    CHECK(asked == 1);
}
