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
        AppContext ctx = test::appContext(store, "");
        draft = createFinding(ctx, test::findingFields(seed.campaign, "demolition", "城区拆迁补偿不到位"));
        REQUIRE(engine.run().ok);
        // Written before the laptop knew of its narrower scope: 民乐县洪水镇.
        ctx.actor.regionScope = Json::array();
        outside = createFinding(ctx, test::findingFields(seed.campaign, "wage_arrears", "洪水镇工地拖欠农民工工资", "620722101"));
        // And an inspector's copy that skipped the workflow: a draft "accepted" by its inspector.
        {
            Transaction tx(store.db());
            ChangeWriter(store, tx, "张伟").update("finding", draft, {{"status", "accepted"}});
            tx.commit();
        }
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
    std::string text = ui.screenText();
    INFO(text);
    CHECK(test::contains(text, "总部拒收的修改"));
    CHECK((test::contains(text, "地区 洪水镇（620722101） 不在您的管辖范围（620702）内") ||
           test::contains(text, "地区 洪水镇（620722101）不在您的管辖范围（620702）内")));
    CHECK(test::contains(text, "检查发现不能从“草稿”直接变为“已采纳”"));  // the refused step, in words
    CHECK(test::contains(text, "（总部没有这条记录）"));

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
    bool atHq = ui.runUntil(
        [&] {
            auto storage = server::openSqliteStorage(db);
            server::Admin admin(*storage);
            for (const auto& rec : admin.records("finding"))
                if (rec.id == outside && rec.text("region_code") == "620702001") return true;
            return false;
        },
        30);
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
