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
