// Changes HQ refused, fixed in the window against a real jiancha-server on loopback: an
// inspector limited to 甘州区 had recorded a finding in 民乐县 (HQ narrowed the scope while the
// laptop was offline); HQ refuses the creation with a reason code and parameters, which the
// window says in Chinese with the region's name. The inspector moves it into 甘州区 with the
// region picker and resends: it reaches HQ. A refused status change discarded in the window
// disappears and HQ's value stays.
#include "app/finding_commands.h"
#include "app/paths.h"
#include "store/writer.h"
#include "support/hq_seed.h"
#include "support/hq_server.h"
#include "ui_harness.h"

using namespace jc;

namespace {
std::string screenText(test::UiHarness& ui) {
    ImGui::GetIO().MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
    ui.frame();
    ui.shell().beginFrame();
    ImGui::NewFrame();
    ImGui::LogToClipboard();
    ui.shell().draw();
    ImGui::LogFinish();
    ImGui::Render();
    const char* text = ImGui::GetClipboardText();
    return text ? text : "";
}
bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }
}  // namespace

TEST_CASE("a refused finding is moved into the scope and resent, a refused step is discarded", "[ui][sync][rejections]") {
    test::TempDir hqDir;
    std::string db = (hqDir.path / "server.db").string();
    auto seed = test::seedHqDatabase(db, {{"张伟", Role::Inspector, "第一检查组", Json::array({"620702"})}});
    test::ServerProcess server(db, (hqDir.path / "blobs").string());
    test::TempDir dir("rejections_ui");
    test::enrollDataDir(dir.path, server.url(), seed.codes["张伟"]);
    std::string outside, draft;
    {
        Store store(storePath(dir.path).string());
        sync::SyncEngine engine(store, blobDir(dir.path));
        REQUIRE(engine.run().ok);
        AppContext ctx{store, loadActor(store, ""), calendarFromStore(store), std::nullopt};
        draft = createFinding(ctx, {{"campaign_id", seed.campaign},
                                    {"category", "demolition"},
                                    {"title", "城区拆迁补偿不到位"},
                                    {"region_code", "620702101"},
                                    {"area", "hotspot_issues"}});
        REQUIRE(engine.run().ok);
        // Written before the laptop knew of its narrower scope: 民乐县洪水镇.
        ctx.actor.regionScope = Json::array();
        outside = createFinding(ctx, {{"campaign_id", seed.campaign},
                                      {"category", "wage_arrears"},
                                      {"title", "洪水镇工地拖欠农民工工资"},
                                      {"region_code", "620722101"},
                                      {"area", "hotspot_issues"}});
        // And an inspector's copy that skipped the workflow: a draft "accepted" by its inspector.
        ChangeWriter w(store, "张伟");
        w.update("finding", draft, {{"status", "accepted"}});
        sync::SyncReport r = engine.run();
        REQUIRE(r.ok);
        REQUIRE(r.rejected == 2);
    }
    ui::ShellOptions opt;
    opt.sync.interval = 600;
    opt.sync.debounce = 0.1;
    test::UiHarness ui(dir.path, "张伟", opt);
    ui.settle();
    ui.click("sync.rejections");
    ui.settle();
    REQUIRE(ui.find("sync.rejection." + outside));
    REQUIRE(ui.find("sync.rejection." + draft));
    std::string text = screenText(ui);
    INFO(text);
    CHECK(contains(text, "总部拒收的修改"));
    CHECK((contains(text, "地区 洪水镇（620722101） 不在您的管辖范围（620702）内") ||
           contains(text, "地区 洪水镇（620722101）不在您的管辖范围（620702）内")));
    CHECK(contains(text, "检查发现不能从“草稿”直接变为“已采纳”"));  // the refused step, in words
    CHECK(contains(text, "（总部没有这条记录）"));

    // The refused creation: corrected with the region picker and resent.
    ui.click("reject.edit." + outside);
    ui.settle();
    ui.click("form.region_code.level2");
    ui.settle();
    ui.click("form.region_code.620702");
    ui.settle();
    ui.click("form.region_code.level3");
    ui.settle();
    ui.click("form.region_code.620702001");  // 东街街道, the first in the list
    ui.settle();
    ui.click("reject.resend");
    ui.settle();
    CHECK_FALSE(ui.find("sync.rejection." + outside));

    // The refused step: discarded; HQ's "draft" stays.
    ui.click("reject.discard." + draft);
    ui.click("reject.confirm");
    ui.settle();
    CHECK_FALSE(ui.find("sync.rejection." + draft));

    // The resend goes with the sync the write started; HQ now has the finding in 甘州区.
    auto end = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    bool atHq = false;
    while (!atHq && std::chrono::steady_clock::now() < end) {
        ui.runFor(0.2);
        auto storage = server::openSqliteStorage(db);
        server::Admin admin(*storage);
        for (const auto& rec : admin.records("finding"))
            if (rec.id == outside && rec.text("region_code") == "620702001") atHq = true;
    }
    CHECK(atHq);
    {
        auto storage = server::openSqliteStorage(db);
        server::Admin admin(*storage);
        for (const auto& rec : admin.records("finding"))
            if (rec.id == draft) CHECK(rec.text("status") == "draft");
    }
    Store store(storePath(dir.path).string());
    CHECK(store.require("finding", draft)["status"] == "draft");
    CHECK(store.db().queryInt("SELECT count(*) FROM sync_rejection") == 0);
    CHECK(ui::i18n().missingLookups() == 0);
}
