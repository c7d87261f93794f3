// Laptops with wrong clocks, against a real jiancha-server on loopback whose clock is right. The
// client runs under faketime (libfaketime moves its wall clock; FAKETIME_DONT_FAKE_MONOTONIC
// leaves the boot clock real, as on a laptop whose date was set wrong by hand or by a dead CMOS
// battery). What is checked is what a team lead with a right clock sees after the sync:
//  - a laptop a year ahead and one ten years behind, enrolled and synced, record a finding and
//    a complaint while HQ is down: the lead sees today's dates, a deadline counted from today,
//    no yellow or red card, the history keeps the device's own time, and the ids' time part is
//    today's; once the clock is set right the warning goes and dates stay right;
//  - records made before the first sync are corrected by the offset the enrolment measures,
//    unless the clock was set in between: then they keep their time and are flagged 时间存疑;
//  - a push whose times run far ahead of the server's clock gets the server's receipt time,
//    the device's value beside it and the flag, and its complaint's deadline is counted again
//    from the server's day with the working-day calendar.
#include <catch2/catch.hpp>

#include "core/dates.h"
#include "core/uuid.h"
#include "support/hq_seed.h"
#include "support/jiancha_cli.h"
#include "support/server_process.h"

using namespace jc;

namespace {

std::string wrongClock(const std::string& spec) {
    return "FAKETIME_DONT_FAKE_MONOTONIC=1 faketime -f " + spec;
}

// The China civil day of an ISO timestamp.
std::string chinaDay(const Json& iso) {
    REQUIRE(iso.is_string());
    auto ms = parseIsoTimestamp(iso.get<std::string>());
    REQUIRE(ms.has_value());
    return Date::fromDays((*ms + 8LL * 3600 * 1000) / 86'400'000).str();
}

std::string year(const Json& iso) {
    return iso.is_string() ? iso.get<std::string>().substr(0, 4) : std::string("none");
}

struct Hq {
    test::TempDir dir{"clock_hq"};
    test::HqSeed seed;
    std::unique_ptr<test::ServerProcess> server;
    explicit Hq(const std::vector<test::HqUser>& users) {
        seed = test::seedHqDatabase(db(), users);
        server = std::make_unique<test::ServerProcess>(db(), blobs());
    }
    std::string db() const { return (dir.path / "hq.db").string(); }
    std::string blobs() const { return (dir.path / "blobs").string(); }
    void enroll(const test::JianchaCli& device) {
        device.ok({"enroll", "--server", server->url(), "--code", seed.codes[device.name]});
    }
};

Json byTitle(const Json& list, const std::string& title) {
    for (const auto& r : list)
        if (r.value("title", "") == title) return r;
    FAIL("no record titled " << title << " in " << list.dump(1));
    return {};
}

std::string addComplaint(const test::JianchaCli& d, const std::string& title) {
    return d.ok({"complaint", "add", "--title", title, "--channel", "hotline", "--content", "工地拖欠工资三个月",
                 "--anonymous"});
}

}  // namespace

TEST_CASE("laptops a year ahead and ten years behind record in HQ's dates once they have synced", "[cli][clock]") {
    const std::string today = Date::today().str();  // this process's clock is right
    for (std::string spec : {"+365d", "-3650d"}) {
        INFO("laptop clock " << spec);
        Hq hq({{"张伟", Role::Inspector}, {"陈静", Role::Lead}});
        test::JianchaCli laptop{{}, "张伟", "", false, wrongClock(spec)};
        hq.enroll(laptop);
        REQUIRE(laptop.sync()["ok"] == true);
        Json status = laptop.json({"status"});
        int64_t offset = status["clock_offset_ms"].get<int64_t>();
        CHECK(std::llabs(std::llabs(offset) - (spec == "+365d" ? 365 : 3650) * 86'400'000LL) < 60'000);
        CHECK(status["clock_warning"].get<std::string>().find("本机时间与总部相差") != std::string::npos);
        CHECK(laptop.ok({"status"}).find(spec == "+365d" ? "本机偏快" : "本机偏慢") != std::string::npos);

        // Offline: HQ is down while the inspector records.
        int port = hq.server->port;
        hq.server->stop();
        std::string finding =
            laptop.ok({"finding", "add", "--campaign", hq.seed.campaign, "--category", "wage_arrears", "--title",
                       "工地拖欠农民工工资", "--region", "620702101", "--area", "hotspot_issues"});
        std::string complaint = addComplaint(laptop, "拖欠工资投诉");
        REQUIRE(hq.server->start(hq.db(), hq.blobs(), port));
        REQUIRE(laptop.sync()["ok"] == true);

        // The ids' time part is HQ's, not the laptop's.
        CHECK(std::llabs(uuidV7Millis(finding) - nowMillis()) < 600'000);
        CHECK(std::llabs(uuidV7Millis(complaint) - nowMillis()) < 600'000);

        test::JianchaCli lead{{}, "陈静"};
        hq.enroll(lead);
        REQUIRE(lead.sync()["ok"] == true);
        Json f = byTitle(lead.json({"finding", "list"})["findings"], "工地拖欠农民工工资");
        CHECK(chinaDay(f["created_at"]) == today);
        Json c = byTitle(lead.json({"complaint", "list"})["complaints"], "拖欠工资投诉");
        CHECK(chinaDay(c["received_at"]) == today);
        CHECK(c["deadline"] == lead.ok({"calendar", "due", today, "15"}));
        CHECK(c["workdays_left"] == 15);
        CHECK(c["light"] == "green");  // no spurious yellow or red card

        // The history keeps the device's own time beside the recorded one.
        Json shown = lead.json({"complaint", "show", c["id"]});
        CHECK(year(shown["complaint"]["device_time"]) != today.substr(0, 4));
        CHECK(shown["complaint"]["time_suspect"] != true);
        REQUIRE(shown["history"].size() >= 1);
        CHECK(chinaDay(shown["history"][0]["at"]) == today);
        CHECK(year(shown["history"][0]["device_time"]) == year(shown["complaint"]["device_time"]));

        // The inspector sets the clock right: no warning any more, and records stay in HQ time
        // before the next sync (HQ time follows the boot clock from the measurement).
        laptop.clock.clear();
        CHECK(laptop.json({"status"})["clock_warning"] == "");
        std::string later = addComplaint(laptop, "校准时钟后受理的投诉");
        CHECK(chinaDay(laptop.json({"complaint", "show", later})["complaint"]["received_at"]) == today);
    }
}

TEST_CASE("records made before the first sync are corrected at enrolment unless the clock was set in between",
          "[cli][clock]") {
    const std::string today = Date::today().str();
    Hq hq({{"张伟", Role::Inspector}, {"王芳", Role::Inspector}, {"陈静", Role::Lead}});

    // Ten years behind from the start: recorded, then enrolled on the same clock → corrected.
    test::JianchaCli steady{{}, "张伟", "", false, wrongClock("-3650d")};
    steady.ok({"init", "--user", "张伟", "--role", "inspector"});
    addComplaint(steady, "首次同步前受理的投诉");
    // Recorded ten years behind, then the clock was set (wrongly again) before enrolling → flagged.
    test::JianchaCli reset{{}, "王芳", "", false, wrongClock("-3650d")};
    reset.ok({"init", "--user", "王芳", "--role", "inspector"});
    addComplaint(reset, "时钟调整前受理的投诉");
    reset.clock = wrongClock("-3000d");
    for (auto* d : {&steady, &reset}) {
        hq.enroll(*d);
        REQUIRE(d->sync()["ok"] == true);
    }

    test::JianchaCli lead{{}, "陈静"};
    hq.enroll(lead);
    REQUIRE(lead.sync()["ok"] == true);
    Json list = lead.json({"complaint", "list"})["complaints"];

    Json corrected = lead.json({"complaint", "show", byTitle(list, "首次同步前受理的投诉")["id"]});
    CHECK(chinaDay(corrected["complaint"]["received_at"]) == today);
    CHECK(corrected["complaint"]["deadline"] == lead.ok({"calendar", "due", today, "15"}));
    CHECK(year(corrected["complaint"]["device_time"]) == std::to_string(std::stoi(today.substr(0, 4)) - 10));
    CHECK(corrected["complaint"]["time_suspect"] != true);
    CHECK(chinaDay(corrected["history"][0]["at"]) == today);

    Json flagged = lead.json({"complaint", "show", byTitle(list, "时钟调整前受理的投诉")["id"]});
    CHECK(year(flagged["complaint"]["received_at"]) == std::to_string(std::stoi(today.substr(0, 4)) - 10));
    CHECK(flagged["complaint"]["time_suspect"] == true);
}

TEST_CASE("the server keeps its own receipt time for times far ahead of its clock and flags the record",
          "[cli][clock]") {
    const std::string today = Date::today().str();
    Hq hq({{"张伟", Role::Inspector}, {"陈静", Role::Lead}});
    // A year ahead before the first sync, and the clock set again before it: the device cannot
    // correct the record, so it pushes next year's times.
    test::JianchaCli laptop{{}, "张伟", "", false, wrongClock("+365d")};
    laptop.ok({"init", "--user", "张伟", "--role", "inspector"});
    std::string id = addComplaint(laptop, "明年日期的投诉");
    laptop.clock = wrongClock("+300d");
    hq.enroll(laptop);
    REQUIRE(laptop.sync()["ok"] == true);

    test::JianchaCli lead{{}, "陈静"};
    hq.enroll(lead);
    REQUIRE(lead.sync()["ok"] == true);
    Json shown = lead.json({"complaint", "show", id});
    CHECK(chinaDay(shown["complaint"]["received_at"]) == today);  // the server's receipt time
    CHECK(chinaDay(shown["complaint"]["created_at"]) == today);
    // The deadline the laptop counted from next year's day is counted from the server's day.
    CHECK(shown["complaint"]["deadline"] == lead.ok({"calendar", "due", today, "15"}));
    CHECK(year(shown["complaint"]["device_time"]) == std::to_string(std::stoi(today.substr(0, 4)) + 1));
    CHECK(shown["complaint"]["time_suspect"] == true);
    REQUIRE(shown["history"].size() >= 1);
    CHECK(chinaDay(shown["history"][0]["at"]) == today);
    CHECK(shown["history"][0]["time_suspect"] == true);
}
