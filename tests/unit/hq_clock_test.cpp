// HQ time on a device with a wrong clock (core/hq_clock.h), without a network: the offset from
// one exchange, the offset in words, clock anchors, and now / today / new ids following the
// offset.
#include <catch2/catch.hpp>

#include "core/dates.h"
#include "core/hq_clock.h"
#include "core/uuid.h"

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
    CHECK(clockOffsetWords(-(3 * 60'000 + 59'000), "days", "h", "min") == "4 min");  // to the nearest minute
    CHECK(clockOffsetWords(-(365LL * 86'400'000 - 6), "天", "小时", "分钟") == "365 天");
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
