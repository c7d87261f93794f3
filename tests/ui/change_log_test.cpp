// 变更记录: a finding's money fact edited twice shows both changes with the right values before
// and after, in yuan as people read them, who made them, oldest first — in the app's read
// model and on the editor's tab; a complaint has the tab too.
#include "app/change_log.h"
#include "app/complaint_commands.h"
#include "app/finding_commands.h"
#include "ui_harness.h"

using namespace jc;
using namespace jc::test;

namespace {
}  // namespace

TEST_CASE("the change log shows a money field edited twice with its old and new values", "[ui][history]") {
    TempDir dir("changelog");
    Seed seed = seedStore(dir.path);
    std::string id;
    {
        Store store((dir.path / "jiancha.db").string());
        AppContext ctx = appContext(store, "张伟");
        FieldMap f = findingFields(seed.campaignId, "wage_arrears", "工地拖欠农民工工资");
        f["field_values"] = {{"employer", "堃喆建筑工程有限公司"}, {"amount_owed", 42000000}};
        id = createFinding(ctx, f);
        editFinding(ctx, id, {{"field_values", {{"employer", "堃喆建筑工程有限公司"}, {"amount_owed", 45000050}}}});
        editFinding(ctx, id, {{"title", "工地拖欠农民工工资四个月"}});
        editFinding(ctx, id, {{"field_values", {{"employer", "堃喆建筑工程有限公司"}, {"amount_owed", 38650050}}}});

        auto log = changeLog(ctx, "finding", id);
        REQUIRE(log.size() == 4);
        CHECK(log[0].kind == "created");
        CHECK(log[0].author == "张伟");
        CHECK(log[1].field == "field_values");
        CHECK(log[1].oldText == "拖欠工资（元）：420000.00");
        CHECK(log[1].newText == "拖欠工资（元）：450000.50");
        CHECK(log[1].author == "张伟");
        CHECK(log[2].labelZh == "标题");
        CHECK(log[2].newText == "工地拖欠农民工工资四个月");
        CHECK(log[3].oldText == "拖欠工资（元）：450000.50");
        CHECK(log[3].newText == "拖欠工资（元）：386500.50");
        CHECK(log[3].newTextEn == "Amount owed (yuan): 386500.50");
    }
    ui::ShellOptions opt;
    opt.syncEnabled = false;
    UiHarness h(dir.path, "张伟", opt);
    h.settle();
    h.shell().openFinding(id);
    h.settle();
    h.click("history.tab_changes");
    h.settle();
    REQUIRE(h.find("changelog.row.3"));
    std::string text = h.screenText();
    INFO(text);
    size_t first = text.find("拖欠工资（元）：420000.00  →  拖欠工资（元）：450000.50");
    size_t second = text.find("拖欠工资（元）：450000.50  →  拖欠工资（元）：386500.50");
    CHECK(first != std::string::npos);
    CHECK(second != std::string::npos);
    CHECK(first < second);
    CHECK(text.find("创建记录") != std::string::npos);
    CHECK(ui::i18n().missingLookups() == 0);
}
