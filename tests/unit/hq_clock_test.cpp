// HQ time on a device with a wrong clock (core/hq_clock.h) and the server's guard against times
// far ahead of its clock (sync/server/clock_guard.h), without a network: the offset from one
// exchange, the offset in words, clock anchors, HQ time following the offset, and which pushed
// times the server replaces.
#include <catch2/catch.hpp>

#include "core/dates.h"
#include "core/hq_clock.h"
#include "core/uuid.h"
#include "sync/server/clock_guard.h"

using namespace jc;

TEST_CASE("the offset of one exchange is the server's time minus the request's midpoint", "[clock]") {
    CHECK(clockOffsetFromExchange(1000, 1200, 1100) == 0);
    CHECK(clockOffsetFromExchange(1000, 1200, 1100 - 31'536'000'000) == -31'536'000'000);  // device a year ahead
    CHECK(clockOffsetFromExchange(5000, 5000, 65'000) == 60'000);
}

TEST_CASE("an offset reads in days, hours and minutes", "[clock]") {
    CHECK(clockOffsetWords(-365LL * 86'400'000, "天", "小时", "分钟") == "365 天");
    CHECK(clockOffsetWords(3LL * 86'400'000 + 5 * 3'600'000, "天", "小时", "分钟") == "3 天 5 小时");
    CHECK(clockOffsetWords(2 * 3'600'000 + 20 * 60'000, "天", "小时", "分钟") == "2 小时 20 分钟");
    CHECK(clockOffsetWords(-(3 * 60'000 + 59'000), "days", "h", "min") == "3 min");
}

TEST_CASE("clock anchors tell a set wall clock from time passing", "[clock]") {
    ClockAnchor a = currentClockAnchor();
    REQUIRE_FALSE(a.bootId.empty());
    auto round = ClockAnchor::decode(a.encode());
    REQUIRE(round);
    CHECK(round->bootId == a.bootId);
    CHECK(round->wallMinusBootMs == a.wallMinusBootMs);
    CHECK_FALSE(clockChangedBetween(a, currentClockAnchor()));
    ClockAnchor set = a;
    set.wallMinusBootMs += 3'600'000;  // the wall clock was moved an hour
    CHECK(clockChangedBetween(a, set));
    ClockAnchor rebooted = a;
    rebooted.bootId = "another-boot";
    CHECK(clockChangedBetween(a, rebooted));
    CHECK_FALSE(ClockAnchor::decode("no slash"));
    CHECK_FALSE(ClockAnchor::decode("boot/12x"));
}

TEST_CASE("with an offset known, now, today and new ids are HQ's", "[clock]") {
    const int64_t year = 365LL * 86'400'000;
    setHqClockOffset(year, currentClockAnchor());  // this device runs a year behind HQ
    CHECK(std::llabs(*hqClockOffset() - year) < 1000);
    CHECK(std::llabs(*parseIsoTimestamp(nowIso()) - (nowMillis() + year)) < 1000);
    CHECK(std::llabs(uuidV7Millis(newUuidV7()) - (nowMillis() + year)) < 1000);
    CHECK(Date::today().days() - Date::fromDays((nowMillis() + 8LL * 3'600'000) / 86'400'000).days() >= 364);
    // Back to no offset: ids made afterwards never sort before the ones made in HQ time.
    std::string before = newUuidV7();
    setHqClockOffset(std::nullopt);
    CHECK_FALSE(hqClockOffset());
    std::string after = newUuidV7();
    CHECK(after > before);
    CHECK(std::llabs(*parseIsoTimestamp(nowIso()) - nowMillis()) < 1000);
}

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
