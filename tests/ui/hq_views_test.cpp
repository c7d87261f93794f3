// Headquarters' 效能评估 and 重点监控 views over a season of demo work: HQ sees the draft's
// ranking, opens a unit's breakdown and the cases behind an indicator in one click each; a weight
// edit that breaks the sum of 100 is refused and changes nothing; the lead sees only the published
// version, with no editing controls. In 重点监控 HQ puts a flagged unit under focus and the focus
// shows on the home screen.
#include "demo/demo_data.h"
#include "app/evaluation.h"
#include "app/monitoring.h"
#include "ui_harness.h"

using namespace jc;
using namespace jc::test;

namespace {

const Date kToday{2026, 5, 20};

struct HqDemo {
    std::string campaign, draft, published;
};

HqDemo seedDemo(const fs::path& dir) {
    Store store((dir / "jiancha.db").string());
    initStore(store, InitOptions{"总部管理员", Role::HqAdmin, "", ""});
    AppContext hq{store, loadActor(store, "总部管理员"), calendarFromStore(store), kToday};
    DemoOptions opt;
    opt.findings = 120;
    opt.complaints = 100;
    opt.today = kToday;
    opt.spanDays = 180;
    HqDemo d;
    d.campaign = generateDemoData(hq, opt).campaignId;
    d.draft = addEvaluation(hq, d.campaign, "2026-H1", "2026年上半年行政效能评估", defaultSchemeJson());
    runEvaluation(hq, d.draft);
    d.published = publishEvaluation(hq, d.draft);
    setMonitorRule(hq, "unit_complaints", {{"min_complaints", 4}, {"days", 120}}, true);
    store.setMeta("current_user", "总部管理员");
    return d;
}

std::vector<std::string> namesWith(UiHarness& h, const std::string& prefix) {
    std::vector<std::string> out;
    for (const auto& n : ui::automation::names())
        if (n.rfind(prefix, 0) == 0) out.push_back(n);
    (void)h;
    return out;
}

ui::ShellOptions pinned() {
    ui::ShellOptions o;
    o.today = kToday;
    o.syncEnabled = false;
    return o;
}

}  // namespace

TEST_CASE("效能评估: ranking, breakdown, cases one click away, a bad weight refused, leads read only",
          "[ui][evaluation]") {
    TempDir dir("hqviews");
    HqDemo d = seedDemo(dir.path);
    EvaluationDetail before;
    {
        Store store((dir.path / "jiancha.db").string());
        before = loadEvaluation(store.db(), d.draft);
    }
    REQUIRE(before.results.size() >= 3);
    {
        UiHarness h(dir.path, "总部管理员", pinned());
        h.settle();
        h.click("nav.evaluation");
        h.settle();
        // The draft comes first, with its ranking (the top of it on screen); the top unit is broken down.
        for (size_t i = 0; i < 3; ++i) CHECK(h.find("evaluation.rank." + before.results[i].unitName).has_value());
        const UnitResult& second = before.results[1];
        h.click("evaluation.rank." + second.unitName);
        h.settle();
        // The cases behind the response rate: one click opens the list, one more the complaint.
        size_t withCases = 0;
        while (withCases < second.items.size() && second.items[withCases].cases.empty()) ++withCases;
        REQUIRE(withCases < second.items.size());
        h.click("evaluation.cases." + std::to_string(withCases));
        h.settle();
        const CaseLink& first = second.items[withCases].cases[0];
        h.click("evaluation.case.0");
        h.settle();
        std::string expectView = first.entity == "complaint" ? "complaints" : first.entity == "finding" ? "editor"
                                 : first.entity == "warning" ? "warnings" : "rectifications";
        REQUIRE(h.shell().currentView() != nullptr);
        CHECK(h.shell().currentView()->id() == expectView);

        // A weight of 30 instead of 20 makes 110: refused, nothing stored.
        h.click("nav.evaluation");
        h.settle();
        h.click("evaluation.weight.0", true);
        h.key('A', true);
        h.type("30");
        h.key(kKeyEnter);
        h.settle();
        h.click("evaluation.save_scheme");
        h.settle();
        Store store((dir.path / "jiancha.db").string());
        EvaluationDetail after = loadEvaluation(store.db(), d.draft);
        CHECK(after.scheme.indicators[0].weight == 20);
        CHECK(after.results.size() == before.results.size());
    }
    {
        UiHarness h(dir.path, "陈静", pinned());
        h.settle();
        h.click("nav.evaluation");
        h.settle();
        CHECK_FALSE(h.find("evaluation.new").has_value());
        CHECK_FALSE(h.find("evaluation.run").has_value());
        CHECK_FALSE(h.find("evaluation.save_scheme").has_value());
        CHECK_FALSE(h.find("evaluation.weight.0").has_value());
        for (size_t i = 0; i < 3; ++i) CHECK(h.find("evaluation.rank." + before.results[i].unitName).has_value());
    }
    CHECK(ui::i18n().missingLookups() == 0);
}

TEST_CASE("重点监控: HQ puts a flagged unit under focus and it shows on the home screen", "[ui][monitoring]") {
    TempDir dir("hqmonitor");
    seedDemo(dir.path);
    UiHarness h(dir.path, "总部管理员", pinned());
    h.settle();
    h.click("nav.monitoring");
    h.settle();
    auto flags = namesWith(h, "monitoring.flag.unit_complaints.");
    INFO(h.knownNames());
    REQUIRE(!flags.empty());
    std::string unit = flags[0].substr(std::string("monitoring.flag.unit_complaints.").size());
    h.click("monitoring.place_focus.unit_complaints." + unit);
    h.settle();
    {
        Store store((dir.path / "jiancha.db").string());
        auto rows = listFocus(store.db(), true);
        REQUIRE(rows.size() == 1);
        CHECK(rows[0].subjectName == unit);
        CHECK(rows[0].reason.find("阈值4件") != std::string::npos);
        CHECK(rows[0].flag["rule"] == "unit_complaints");
    }
    CHECK_FALSE(h.find("monitoring.place_focus.unit_complaints." + unit).has_value());
    h.click("nav.home");
    h.settle();
    CHECK(h.find("home.focus." + unit).has_value());
    CHECK(ui::i18n().missingLookups() == 0);
}
