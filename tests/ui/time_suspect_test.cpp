// A team lead corrects a date flagged 时间存疑 in the window, against a real jiancha-server: an
// inspector's laptop (the real `jiancha` under faketime) took a complaint ten years behind
// before its first sync and had its clock set again before enrolling, so the record keeps its
// wrong date and the flag. The lead opens 时间存疑, picks the complaint, types the right time
// (a Chinese form, read back before saving) and saves: the flag clears, the deadline is
// counted again from the corrected day, the history says what changed, and after a sync the
// inspector's laptop shows the corrected record too. A screenshot of the screen is written by
// the real window (--screenshot) for people to look at.
#include <cstdlib>

#include "app/context.h"
#include "app/paths.h"
#include "app/queries.h"
#include "core/dates.h"
#include "core/time_input.h"
#include "support/hq_seed.h"
#include "support/hq_server.h"
#include "support/jiancha_cli.h"
#include "ui_harness.h"

using namespace jc;
namespace fs = std::filesystem;

TEST_CASE("a lead corrects a 时间存疑 complaint: flag cleared, deadline recounted, history kept, synced",
          "[ui][sync][clock]") {
    const Date today = Date::today();
    test::TempDir hqDir("time_suspect_hq");
    const std::string db = (hqDir.path / "server.db").string();
    auto seed = test::seedHqDatabase(db, {{"王芳", Role::Inspector}, {"陈静", Role::Lead}});
    test::ServerProcess server(db, (hqDir.path / "blobs").string());

    // Recorded ten years behind before the first sync; the clock set (wrongly again) before enrolling.
    test::JianchaCli laptop{{}, "王芳", "", false, "FAKETIME_DONT_FAKE_MONOTONIC=1 faketime -f -3650d"};
    laptop.ok({"init", "--user", "王芳", "--role", "inspector"});
    const std::string id = laptop.ok({"complaint", "add", "--title", "工地拖欠工资投诉", "--channel", "hotline",
                                      "--content", "工地拖欠工资三个月", "--anonymous"});
    laptop.clock = "FAKETIME_DONT_FAKE_MONOTONIC=1 faketime -f -3000d";
    laptop.ok({"enroll", "--server", server.url(), "--code", seed.codes["王芳"]});
    REQUIRE(laptop.sync()["ok"] == true);

    test::TempDir leadDir("time_suspect_lead");
    test::enrollDataDir(leadDir.path, server.url(), seed.codes["陈静"]);
    {
        Store store(storePath(leadDir.path).string());
        sync::SyncEngine engine(store, blobDir(leadDir.path));
        REQUIRE(engine.run().ok);
        REQUIRE(store.db().queryInt("SELECT count(*) FROM complaint WHERE time_suspect = 1") == 1);
    }

    // The screen as people see it: the real window with the correction form open.
    if (std::getenv("DISPLAY")) {
        fs::path shot = fs::path(JIANCHA_BUILD_DIR) / "screenshots" / "time-suspect.png";
        fs::create_directories(shot.parent_path());
        test::ProcessResult gui =
            test::runProcess(JIANCHA_BIN, {"--data-dir", leadDir.path.string(), "gui", "--no-sync", "--view",
                                           "time_suspect", "--open", id, "--screenshot", shot.string()});
        INFO(gui.err);
        CHECK(gui.code == 0);
        CHECK(fs::exists(shot));
    }

    ui::ShellOptions opt;
    opt.sync.interval = 600;
    opt.sync.debounce = 0.1;
    std::string typed;
    {
        test::UiHarness ui(leadDir.path, "陈静", opt);
        ui.settle();
        ui.click("nav.time_suspect");
        ui.settle();
        std::string text = ui.screenText();
        INFO(text);
        CHECK(test::contains(text, "工地拖欠工资投诉"));
        CHECK(test::contains(text, std::to_string(today.year - 10)));  // the wrong year, shown as recorded
        ui.click("time_suspect.correct." + id);
        ui.frame();
        ui.click("time_suspect.input");
        // Today (its start: a time later today would lie in the future) in a Chinese form.
        typed =
            std::to_string(today.year) + "年" + std::to_string(today.month) + "月" + std::to_string(today.day) + "日";
        ui.type(typed);
        ui.frame();
        text = ui.screenText();
        CHECK(test::contains(text, "将保存为：" + today.str() + " 00:00"));
        ui.click("time_suspect.save");
        ui.settle();
        text = ui.screenText();
        CHECK(test::contains(text, "已更正为 " + today.str() + " 00:00"));
        CHECK(test::contains(text, "没有时间存疑的记录"));
    }

    const std::string deadline = laptop.ok({"calendar", "due", today.str(), "15"});
    {
        Store store(storePath(leadDir.path).string());
        auto& s = store.db().cached(
            "SELECT received_at, coalesce(time_suspect, 0), deadline, device_time FROM complaint WHERE id = ?");
        s.bind(1, id);
        REQUIRE(s.step());
        CHECK(s.getText(0) == isoTimestamp(parseTimeInput(typed, "at")));
        CHECK(s.getInt(1) == 0);
        CHECK(s.getText(2) == deadline);
        CHECK(s.getText(3).substr(0, 4) == std::to_string(today.year - 10));  // the device's own time stays
        s.reset();
        CHECK(store.db().queryInt("SELECT count(*) FROM case_event WHERE action = 'time_corrected'") == 1);
        sync::SyncEngine engine(store, blobDir(leadDir.path));
        sync::SyncReport r = engine.run();
        INFO(r.error);
        REQUIRE(r.ok);
        CHECK(r.rejected == 0);
    }

    // The inspector's laptop gets the corrected record with its next sync.
    laptop.clock.clear();
    REQUIRE(laptop.sync()["ok"] == true);
    Json shown = laptop.json({"complaint", "show", id});
    CHECK(shown["complaint"]["received_at"] == isoTimestamp(parseTimeInput(typed, "at")));
    CHECK(shown["complaint"]["time_suspect"] != true);
    CHECK(shown["complaint"]["deadline"] == deadline);
    bool corrected = false;
    for (const auto& h : shown["history"]) corrected = corrected || h.value("action", "") == "time_corrected";
    CHECK(corrected);
}
