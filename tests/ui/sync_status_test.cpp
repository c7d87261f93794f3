// The status bar's sync part against a real jiancha-server: online with the last success time
// once the background sync has run, a finding saved through the shell leaves by itself (the
// pending count returns to 0), and with the server gone: offline, the error in words and the
// retry countdown — in Chinese and in English. The text is read from what the frame drew
// (ImGui's logging of rendered text), not from the model behind it.
#include <regex>

#include "app/context.h"
#include "app/finding_commands.h"
#include "app/paths.h"
#include "core/dates.h"
#include "core/hq_clock.h"
#include "store/clock_fix.h"
#include "store/writer.h"
#include "support/hq_server.h"
#include "ui/shell/sync_status.h"
#include "ui/shell/theme.h"
#include "ui_harness.h"

using namespace jc;
using jc::ui::SyncState;

namespace {


// Frames until the shell's sync state satisfies `ok` (the worker runs on its own thread).
void waitForSync(test::UiHarness& ui, const std::function<bool(const ui::SyncStatus&)>& ok) {
    auto reached = [&] {
        const ui::SyncStatus* st = ui.shell().syncStatus();
        return st && ok(*st);
    };
    if (ui.runUntil(reached, 20)) return;
    const ui::SyncStatus* st = ui.shell().syncStatus();
    FAIL("sync state not reached; state " << (st ? static_cast<int>(st->state) : -1) << ", error '"
                                          << (st ? st->lastError : "") << "'");
}


}  // namespace

TEST_CASE("the status bar shows online, the last sync and, with the server down, the error in words", "[ui][sync]") {
    test::HqServer hq;
    test::TempDir dir("sync_status");
    test::enrollDataDir(dir.path, hq.url(), hq.enrollCode("张伟"));
    {
        // `jiancha sync` after enrolling: the team, the user and the campaign arrive.
        Store store(storePath(dir.path).string());
        sync::SyncEngine engine(store, blobDir(dir.path));
        REQUIRE(engine.run().ok);
    }
    ui::ShellOptions opt;
    opt.sync.interval = 600;  // rounds below come from the first check, pokes and "sync now"
    opt.sync.backoffMin = 0.5;
    opt.sync.backoffMax = 1;
    opt.sync.debounce = 0.2;
    test::UiHarness ui(dir.path, "张伟", opt);
    ui.settle();

    waitForSync(ui, [](const ui::SyncStatus& s) { return s.state == SyncState::Online && !s.syncing; });
    std::string text = ui.screenText();
    INFO("status bar text:\n" << text);
    CHECK(test::contains(text, "在线"));
    CHECK(std::regex_search(text, std::regex("上次成功 [0-2][0-9]:[0-5][0-9]")));
    CHECK(test::contains(text, "待同步变更：0"));
    CHECK(test::contains(text, "立即同步"));
    CHECK_FALSE(test::contains(text, "离线"));
    CHECK(ui.find("sync.last_success"));
    CHECK_FALSE(ui.find("sync.error"));

    // A finding saved through the shell: the poke after the write sends it, and the pending
    // count, which the write made 1 or more, returns to 0.
    int rounds = ui.shell().syncStatus()->rounds;
    std::string campaign = hq.campaign();
    ui.shell().runCommand([campaign](WorkerContext& w) {
        createFinding(w.app, test::findingFields(campaign, "demolition", "城区拆迁补偿不到位"));
    });
    ui.settle();
    waitForSync(ui, [&](const ui::SyncStatus& s) { return s.rounds > rounds && !s.syncing; });
    CHECK(ui.shell().syncStatus()->last.pushed >= 1);
    ui.runUntil([&] { return ui.shell().statusBar().pendingChanges == 0; }, 20);
    CHECK(ui.shell().statusBar().pendingChanges == 0);
    CHECK(test::contains(ui.screenText(), "待同步变更：0"));

    // The server goes away; "sync now" finds out at once.
    hq.kill();
    ui.click("sync.now");
    waitForSync(ui, [](const ui::SyncStatus& s) { return s.state == SyncState::Offline && !s.syncing; });
    text = ui.screenText();
    INFO("status bar text when offline:\n" << text);
    CHECK(test::contains(text, "离线"));
    CHECK(test::contains(text, "无法连接服务器"));
    CHECK(test::contains(text, "秒后重试"));
    CHECK(std::regex_search(text, std::regex("上次成功 [0-2][0-9]:[0-5][0-9]")));  // the last success stays
    CHECK(ui.find("sync.error"));
    CHECK(ui.find("sync.retry"));

    ui.shell().setLanguage("en");
    text = ui.screenText();
    INFO("in English:\n" << text);
    CHECK(test::contains(text, "Offline"));
    CHECK(test::contains(text, "Server unreachable"));
    CHECK(test::contains(text, "Last sync "));
    CHECK(test::contains(text, "Sync now"));
}

TEST_CASE("the status bar says when the device is not enrolled or sync is off", "[ui][sync]") {
    test::TempDir dir("sync_off");
    test::seedStore(dir.path);
    {
        test::UiHarness ui(dir.path, "张伟");
        ui.settle();
        waitForSync(ui, [](const ui::SyncStatus& s) { return s.state == SyncState::NotEnrolled; });
        std::string text = ui.screenText();
        INFO(text);
        CHECK(test::contains(text, "未注册设备"));
        CHECK_FALSE(test::contains(text, "离线"));
        CHECK_FALSE(test::contains(text, "上次成功"));
    }
    ui::ShellOptions off;
    off.syncEnabled = false;
    test::UiHarness ui(dir.path, "张伟", off);
    ui.settle();
    CHECK(ui.shell().syncStatus() == nullptr);
    std::string text = ui.screenText();
    INFO(text);
    CHECK(test::contains(text, "自动同步已关闭"));
    CHECK_FALSE(ui.find("sync.now"));
}

TEST_CASE("changes HQ refused are counted in the status bar and listed with HQ's reason", "[ui][sync]") {
    test::HqServer hq;
    test::TempDir dir("sync_rejected");
    test::enrollDataDir(dir.path, hq.url(), hq.enrollCode("张伟"));
    std::string id;
    {
        Store store(storePath(dir.path).string());
        sync::SyncEngine engine(store, blobDir(dir.path));
        REQUIRE(engine.run().ok);
        AppContext ctx = test::appContext(store, "");
        id = createFinding(ctx, test::findingFields(hq.campaign(), "demolition", "城区拆迁补偿不到位"));
        REQUIRE(engine.run().ok);
        // An inspector's copy that skipped the app's checks: a draft "accepted" by its inspector.
        {
            Transaction tx(store.db());
            ChangeWriter(store, tx, "张伟").update("finding", id, {{"status", "accepted"}});
            tx.commit();
        }
        sync::SyncReport r = engine.run();
        REQUIRE(r.ok);
        REQUIRE(r.rejected == 1);
        CHECK(store.require("finding", id)["status"] == "draft");  // HQ's value is back
    }
    ui::ShellOptions off;
    off.syncEnabled = false;
    test::UiHarness ui(dir.path, "张伟", off);
    ui.settle();
    std::string text = ui.screenText();
    INFO(text);
    CHECK(test::contains(text, "被拒 1 条"));
    ui.click("sync.rejections");
    ui.settle();
    REQUIRE(ui.find("sync.rejection." + id));
    text = ui.screenText();
    CHECK(test::contains(text, "总部拒收的修改"));
    CHECK(test::contains(text, "城区拆迁补偿不到位"));
    // HQ's reason in words (its detail code and parameters), not HQ's English message.
    CHECK(test::contains(text, "检查发现不能从“草稿”直接变为“已采纳”"));
    CHECK(ui::i18n().missingLookups() == 0);
}

TEST_CASE("sync times are China Standard Time and errors get a summary in words", "[ui][sync]") {
    ui::i18n().load(assetsDir() / "i18n");
    auto ms = [](const char* iso) { return *parseIsoTimestamp(iso); };
    int64_t now = ms("2026-11-28T06:00:00Z");  // 14:00 in Beijing
    CHECK(ui::formatSyncTime(ms("2026-11-28T01:30:00Z"), now) == "09:30");
    CHECK(ui::formatSyncTime(ms("2026-11-27T16:01:00Z"), now) == "00:01");        // already the 28th there
    CHECK(ui::formatSyncTime(ms("2026-11-27T15:59:00Z"), now) == "11-27 23:59");  // still the 27th
    CHECK(ui::formatSyncTime(ms("2025-12-31T02:00:00Z"), now) == "2025-12-31 10:00");

    std::string refused = "server unreachable: Failed to connect to 127.0.0.1 port 9 after 0 ms: Couldn't connect to server";
    using K = sync::SyncErrorKind;
    ui::i18n().setLanguage(ui::Language::Zh);
    CHECK(ui::syncErrorInWords(K::Unreachable, refused) ==
          "无法连接服务器：请检查网络连接和服务器地址（Failed to connect to 127.0.0.1 port 9 after 0 ms: Couldn't connect to server）");
    CHECK(ui::syncErrorInWords(K::DeviceRevoked, "this device was revoked by HQ: ask HQ for a new enrolment code").rfind("本设备已被总部停用", 0) == 0);
    CHECK(ui::syncErrorInWords(K::CertificateUntrusted, "SSL certificate problem").rfind("服务器证书不受信任", 0) == 0);
    CHECK(ui::syncErrorInWords(K::Local, "cannot write x: disk full") == "cannot write x: disk full");
    // The kind decides, not the words: an English message that merely starts like another kind.
    CHECK(ui::syncErrorInWords(K::ServerError, "server unreachable: no").rfind("服务器返回错误", 0) == 0);
    ui::i18n().setLanguage(ui::Language::En);
    CHECK(ui::syncErrorInWords(K::Unreachable, refused) ==
          "Server unreachable: check the network and the server address: Failed to connect to 127.0.0.1 port 9 after 0 ms: Couldn't connect to server");

    // While a round runs: the phase and its progress; offline: when the next try comes.
    ui::i18n().setLanguage(ui::Language::Zh);
    ui::SyncStatus st;
    st.state = SyncState::Online;
    st.syncing = true;
    st.phase = "push";
    st.done = 1000;
    st.total = 1255;
    CHECK(ui::describeSync(st, now).state == "同步中：上传 1000/1255");
    st.syncing = false;
    st.state = SyncState::Offline;
    st.lastError = refused;
    st.lastErrorKind = K::Unreachable;
    st.nextAttemptIn = 7.2;
    st.lastSuccessMs = ms("2026-11-28T05:41:00Z");
    auto t = ui::describeSync(st, now);
    CHECK(t.state == "离线");
    CHECK(t.retry == "8 秒后重试");
    CHECK(t.lastSuccess == "上次成功 13:41");
    CHECK(t.error.rfind("无法连接服务器：", 0) == 0);

    // Pulled records the search index has not caught up with: said beside the state.
    st.state = SyncState::Online;
    st.lastError.clear();
    st.lastErrorKind = K::None;
    st.unindexed = 1200;
    CHECK(ui::describeSync(st, now).state == "在线  索引更新中（剩 1200 条）");
    st.unindexed = 0;
    CHECK(ui::describeSync(st, now).state == "在线");
}

TEST_CASE("the status bar warns in red while the device clock is off HQ's by more than two minutes", "[ui][sync][clock]") {
    test::TempDir dir("clock_warning");
    test::seedStore(dir.path);
    {
        // What a sync measures on a laptop a year and an hour ahead (cli_clock_test measures it
        // under faketime against a real server).
        Store store(storePath(dir.path).string());
        recordClockOffset(store, -(365LL * 86'400'000 + 3'600'000));
    }
    ui::ShellOptions off;
    off.syncEnabled = false;  // keeps the measured offset
    test::UiHarness ui(dir.path, "张伟", off);
    ui.settle();
    std::string text = ui.screenText();
    INFO("status bar text:\n" << text);
    CHECK(test::contains(text, "本机时间与总部相差 365 天（本机偏快）"));
    auto rect = ui.find("status.clock_warning");
    REQUIRE(rect);
    // Drawn in red: vertices of the warning's text carry the theme's red.
    const ImU32 red = ImGui::ColorConvertFloat4ToU32(ui::theme::kRed);
    int redVertices = 0;
    const ImDrawData* dd = ImGui::GetDrawData();
    for (int l = 0; l < dd->CmdListsCount; ++l)
        for (const ImDrawVert& v : dd->CmdLists[l]->VtxBuffer)
            redVertices += v.col == red && v.pos.x >= rect->x0 && v.pos.x <= rect->x1 && v.pos.y >= rect->y0 &&
                           v.pos.y <= rect->y1;
    CHECK(redVertices > 40);

    ui.shell().setLanguage("en");
    text = ui.screenText();
    INFO("in English:\n" << text);
    CHECK(test::contains(text, "off from HQ's by 365 days (ahead)"));
    ui.shell().setLanguage("zh_CN");

    // Ten years behind, then within two minutes: no warning.
    setHqClockOffset(3650LL * 86'400'000);
    CHECK(test::contains(ui.screenText(), "本机时间与总部相差 3650 天（本机偏慢）"));
    setHqClockOffset(90'000);
    text = ui.screenText();
    CHECK_FALSE(test::contains(text, "本机时间与总部相差"));
    CHECK_FALSE(ui.find("status.clock_warning"));
    setHqClockOffset(std::nullopt);
}
