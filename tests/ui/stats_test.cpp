// The 统计分析 view: filter → chart → drill-down → the list shows the same number. A bar of the
// county ranking, a cell of the pivot table and a bar of the complaint rates each open their
// list with exactly that filter; the counts are checked against the store itself.
#include "demo/demo_data.h"
#include "support/run_process.h"
#include "ui_harness.h"

using namespace jc;
using namespace jc::test;

namespace {

// The count a list shows, from the marker the list registers ("findings.count.123").
int64_t shownCount(UiHarness& h, const std::string& prefix) {
    for (const auto& n : ui::automation::names())
        if (n.rfind(prefix, 0) == 0) return std::stoll(n.substr(prefix.size()));
    INFO("widgets: " << h.knownNames());
    FAIL("no " << prefix << "N marker");
    return -1;
}

}  // namespace

TEST_CASE("statistics: filter, chart, drill-down to the list with the same number", "[ui][stats]") {
    TempDir dir("stats_ui");
    std::string campaign;
    {
        Store store((dir.path / "jiancha.db").string());
        initStore(store, InitOptions{"总部管理员", Role::HqAdmin, "", ""});
        AppContext hq{store, loadActor(store, "总部管理员"), calendarFromStore(store), Date{2026, 6, 30}};
        DemoOptions opt;
        opt.findings = 120;
        opt.complaints = 50;
        opt.today = Date{2026, 6, 30};
        campaign = generateDemoData(hq, opt).campaignId;
        store.setMeta("current_user", "总部管理员");
    }
    ui::ShellOptions so;
    so.today = Date{2026, 6, 30};
    UiHarness h(dir.path, "总部管理员", so);
    h.settle();
    h.click("nav.stats");
    h.settle();

    // Filter: all time, wage arrears only.
    h.click("stats.period");
    h.click("stats.period.3");
    h.settle();
    h.click("##stats.category");
    h.click("##stats.category.wage_arrears");
    h.settle();

    // The top county of the ranking chart.
    Store store((dir.path / "jiancha.db").string());
    auto s = store.db().prepare(
        "SELECT substr(region_code, 1, 6), count(*) FROM finding WHERE deleted = 0 AND category = 'wage_arrears' "
        "GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1");
    REQUIRE(s.step());
    std::string topCounty = s.getText(0);
    int64_t topCount = s.getInt(1);
    REQUIRE(topCount > 0);
    h.click("stats.rank.0");
    h.settle();
    REQUIRE(h.find("findings.drill").has_value());
    CHECK(shownCount(h, "findings.count.") == topCount);

    // Back to the statistics, then a pivot cell (rows: county, first measure: findings).
    h.click("findings.drill_back");
    h.settle();
    h.click("stats.tab_pivot");
    h.settle();
    h.click("stats.pivot.cell.0.0");
    h.settle();
    auto first = store.db().prepare(
        "SELECT count(*) FROM finding WHERE deleted = 0 AND category = 'wage_arrears' AND substr(region_code, 1, 6) = "
        "(SELECT min(substr(region_code, 1, 6)) FROM finding WHERE deleted = 0 AND category = 'wage_arrears')");
    REQUIRE(first.step());
    CHECK(shownCount(h, "findings.count.") == first.getInt(0));

    // The complaint rates chart opens the complaints of that county.
    h.click("findings.drill_back");
    h.settle();
    h.click("stats.tab_charts");
    h.settle();
    h.click("stats.rates.0.0");
    h.settle();
    REQUIRE(h.find("complaints.drill").has_value());
    auto c = store.db().prepare(
        "SELECT count(*) FROM complaint WHERE deleted = 0 AND category = 'wage_arrears' AND substr(region_code, 1, 6) = "
        "(SELECT min(substr(region_code, 1, 6)) FROM complaint WHERE deleted = 0 AND category = 'wage_arrears')");
    REQUIRE(c.step());
    CHECK(shownCount(h, "complaints.count.") == c.getInt(0));
    CHECK(ui::i18n().missingLookups() == 0);
}

TEST_CASE("the circular preview renders pages off the frame", "[ui][stats]") {
    TempDir dir("circular_ui");
    {
        Store store((dir.path / "jiancha.db").string());
        initStore(store, InitOptions{"总部管理员", Role::HqAdmin, "", ""});
        AppContext hq{store, loadActor(store, "总部管理员"), calendarFromStore(store), Date{2026, 6, 30}};
        DemoOptions opt;
        opt.findings = 40;
        opt.complaints = 20;
        opt.today = Date{2026, 6, 30};
        generateDemoData(hq, opt);
        store.setMeta("current_user", "总部管理员");
    }
    ui::ShellOptions so;
    so.today = Date{2026, 6, 30};
    UiHarness h(dir.path, "总部管理员", so);
    h.settle();
    h.click("nav.circular");
    h.settle();
    h.click("circular.preview");
    h.settle();
    bool pages = false;
    for (const auto& n : ui::automation::names()) pages = pages || n.rfind("circular.pages.", 0) == 0;
    INFO(h.knownNames());
    CHECK(pages);
    CHECK(h.find("circular.page.0").has_value());
}

TEST_CASE("the 导出 button of the findings list writes what the list shows, read back by Python", "[ui][stats][export]") {
    TempDir dir("export_ui");
    int64_t total = 0;
    {
        Store store((dir.path / "jiancha.db").string());
        initStore(store, InitOptions{"总部管理员", Role::HqAdmin, "", ""});
        AppContext hq{store, loadActor(store, "总部管理员"), calendarFromStore(store), Date{2026, 6, 30}};
        DemoOptions opt;
        opt.findings = 60;
        opt.complaints = 10;
        opt.today = Date{2026, 6, 30};
        generateDemoData(hq, opt);
        store.setMeta("current_user", "总部管理员");
        total = store.db().queryInt("SELECT count(*) FROM finding WHERE deleted = 0");
    }
    ui::ShellOptions so;
    so.today = Date{2026, 6, 30};
    UiHarness h(dir.path, "总部管理员", so);
    h.settle();
    h.click("nav.findings");
    h.settle();
    h.click("findings.export");
    h.settle();
    h.click("findings.export.csv");
    h.click("findings.export.save");
    h.settle();
    fs::path out = dir.path / "列表导出.csv";
    h.saveAs(dir.path, "列表导出");  // the save dialog adds the format's extension
    h.settle();
    REQUIRE(fs::exists(out));
    // The rows the list counts, through Python's csv module (title line, header, rows).
    TempDir py("py");
    auto script = py.write("count.py", "import csv, sys\nwith open(sys.argv[1], encoding='utf-8-sig', newline='') as f:\n"
                                       "    rows = list(csv.reader(f))\nprint(len(rows) - 2, rows[1][0])\n");
    ProcessResult r = runProcess("/usr/bin/python3", {script.string(), out.string()});
    INFO(r.err);
    REQUIRE(r.code == 0);
    CHECK(r.out == std::to_string(total) + " 本地编号\n");
    CHECK(shownCount(h, "findings.count.") == total);
    CHECK(ui::i18n().missingLookups() == 0);
}
