// Focus monitoring (core/monitoring.h, app/monitoring.h) on a real store: generated background
// data that stays under every threshold, plus planted patterns — a unit with many complaints, a
// rising category, a unit with repeated findings of one category, a long-overdue rectification, a
// handler who rarely replies — raise exactly those five flags, with their numbers and cases.
// HQ's stored thresholds are what counts; a focus placed on a unit is listed until lifted with a
// note.
#include <catch2/catch.hpp>

#include <random>
#include <set>

#include "app/context.h"
#include "app/monitoring.h"
#include "app/org_commands.h"
#include "app/setup.h"
#include "core/error.h"
#include "store/writer.h"
#include "support/hq_admin_store.h"

using namespace jc;

namespace {

const Date kToday{2026, 12, 2};

struct World : test::HqAdminStore {
    std::vector<std::string> units;
    std::mt19937 rng{20261202};

    World() : HqAdminStore("monitor", kToday) {
        for (int i = 0; i < 12; ++i)
            units.push_back(createUnit(ctx, "第" + std::to_string(i + 1) + "单位", i % 2 ? "department" : "township_gov", "620702"));
    }
    static std::string at(int daysAgo) { return kToday.plusDays(-daysAgo).str() + "T02:00:00.000Z"; }

    std::string complaint(const std::string& unit, int daysAgo, const std::string& category, const std::string& handler,
                          bool replied) {
        FieldMap f = {{"campaign_id", campaign}, {"title", "投诉"}, {"channel", "hotline"}, {"received_at", at(daysAgo)},
                      {"first_contact_handler", handler}, {"content", "反映问题"}, {"status", replied ? "replied" : "assigned"}};
        if (!unit.empty()) f["respondent_unit_id"] = unit;
        if (!category.empty()) f["category"] = category;
        if (replied) f["reply"] = "已答复", f["reply_at"] = at(daysAgo > 0 ? daysAgo - 1 : 0);
        return insert("complaint", f, at(daysAgo));
    }
    std::string finding(const std::string& unit, int daysAgo, const std::string& category, const std::string& status = "accepted") {
        return insert("finding", {{"campaign_id", campaign}, {"category", category}, {"title", "发现"},
                                  {"status", status}, {"subject_unit_id", unit}},
                      at(daysAgo));
    }
    std::string rectification(const std::string& unit, const std::string& deadline, const std::string& status) {
        std::string f = finding(unit, 200, "demolition");
        return insert("rectification", {{"finding_id", f}, {"required_action", "整改"},
                                        {"deadline", deadline}, {"status", status},
                                        {"responsible_unit_id", unit}});
    }
    int rand(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); }
};

std::string key(const MonitorFlag& f) { return f.rule + ":" + f.subject; }

}  // namespace

TEST_CASE("planted patterns raise exactly their flags, with the numbers and the cases", "[monitoring]") {
    World w;
    // HQ's thresholds (stored as monitor_rule records).
    setMonitorRule(w.ctx, "unit_complaints", {{"min_complaints", 6}, {"days", 30}}, true);
    setMonitorRule(w.ctx, "repeated_findings", {{"min_findings", 3}, {"days", 180}}, true);
    setMonitorRule(w.ctx, "rising_category", {{"days", 30}, {"rise_pct", 100}, {"min_cases", 5}}, true);
    setMonitorRule(w.ctx, "overdue_rectifications", {{"min_workdays", 5}}, true);
    setMonitorRule(w.ctx, "handler_response", {{"below_pct", 50}, {"min_complaints", 4}, {"days", 90}}, true);

    // Background: every unit 0–3 complaints a month for three months, no category, handled by
    // three handlers who answer almost all; one or two findings of different categories long ago;
    // a steady trickle in every category (3 a month); rectifications at most 3 working days late.
    const std::vector<std::string> handlers = {"张伟", "李娜", "赵敏"};
    const std::vector<std::string> cats = {"land_acquisition", "demolition", "restructuring", "wage_arrears", "pollution"};
    for (size_t u = 1; u < w.units.size(); ++u) {
        for (int month = 0; month < 3; ++month)
            for (int n = w.rand(0, 3); n > 0; --n)
                w.complaint(w.units[u], month * 30 + w.rand(0, 29), "", handlers[w.rand(0, 2)], w.rand(0, 9) > 0);
        w.finding(w.units[u], 100 + w.rand(0, 50), cats[u % cats.size()]);
        if (u % 3 == 0) w.finding(w.units[u], 120, cats[(u + 1) % cats.size()]);
    }
    for (const auto& c : cats)
        for (int month = 0; month < 2; ++month)
            for (int n = 0; n < 3; ++n) w.complaint("", month * 30 + w.rand(0, 29), c, "张伟", true);
    w.rectification(w.units[4], w.ctx.calendar->addWorkdays(kToday, -3).str(), "ordered");
    w.rectification(w.units[5], "2026-11-01", "verified");  // done: never overdue
    w.finding(w.units[6], 10, "pollution", "draft");        // drafts and dismissed findings do not count
    w.finding(w.units[6], 11, "pollution", "dismissed");
    w.finding(w.units[6], 12, "pollution", "draft");

    // With the background alone nothing is flagged.
    auto quiet = runMonitoring(w.store.db(), *w.ctx.calendar, kToday);
    for (const auto& f : quiet) INFO(key(f) << " " << describeFlag(f, true));
    CHECK(quiet.empty());

    // Planted: unit 1 gets 8 complaints in the last 30 days.
    std::set<std::string> planted;
    for (int i = 0; i < 8; ++i) planted.insert(w.complaint(w.units[0], i * 3, "", "张伟", true));
    // Food and drug safety: 2 cases the month before, 7 this month (a 250% rise).
    w.complaint("", 40, "food_drug", "张伟", true);
    w.finding(w.units[7], 45, "food_drug");
    for (int i = 0; i < 5; ++i) w.complaint("", i * 5, "food_drug", "张伟", true);
    w.finding(w.units[8], 3, "food_drug");
    w.finding(w.units[9], 4, "food_drug");
    // Unit 3 found three times with illegal discharge within 180 days.
    for (int d : {20, 70, 150}) w.finding(w.units[2], d, "pollution");
    // A rectification 8 working days overdue at unit 11.
    std::string late = w.rectification(w.units[10], w.ctx.calendar->addWorkdays(kToday, -8).str(), "overdue");
    // A handler who answered 1 of 5.
    for (int i = 0; i < 5; ++i) w.complaint(w.units[11], 20 + i * 10, "", "钱七", i == 0);

    auto flags = runMonitoring(w.store.db(), *w.ctx.calendar, kToday);
    std::set<std::string> got;
    for (const auto& f : flags) got.insert(key(f));
    CHECK(got == std::set<std::string>{"unit_complaints:" + w.units[0], "rising_category:food_drug",
                                       "repeated_findings:" + w.units[2], "overdue_rectifications:" + w.units[10],
                                       "handler_response:钱七"});
    for (const auto& f : flags) {
        if (f.rule == "unit_complaints") {
            CHECK(f.numbers["count"] == 8);
            std::set<std::string> cases;
            for (const auto& c : f.cases) cases.insert(c.id);
            for (const auto& id : planted) CHECK(cases.count(id) == 1);
            CHECK(describeFlag(f, true).find("阈值6件") != std::string::npos);
            CHECK(f.subjectName == "第1单位");
        } else if (f.rule == "rising_category") {
            CHECK(f.numbers["count"] == 7);  // 5 complaints + 2 findings
            CHECK(f.numbers["previous"] == 2);
            CHECK(f.numbers["rise_pct"].get<double>() == Approx(250.0));
            CHECK(f.cases.size() == 7);
            CHECK(describeFlag(f, true) == "近30天7件，前30天2件，上升250%（阈值100%，至少5件）");
        } else if (f.rule == "repeated_findings") {
            CHECK(f.numbers["count"] == 3);
            CHECK(f.numbers["category"] == "pollution");
            CHECK(f.cases.size() == 3);
        } else if (f.rule == "overdue_rectifications") {
            CHECK(f.numbers["max_workdays"] == 8);
            REQUIRE(f.cases.size() == 1);
            CHECK(f.cases[0].id == late);
            CHECK(f.cases[0].entity == "rectification");
        } else if (f.rule == "handler_response") {
            CHECK(f.numbers["total"] == 5);
            CHECK(f.numbers["replied"] == 1);
            CHECK(f.numbers["response_pct"].get<double>() == Approx(20.0));
        }
    }

    // Raising a threshold above the planted count clears that flag; switching a rule off clears its flags.
    setMonitorRule(w.ctx, "unit_complaints", {{"min_complaints", 20}}, true);
    setMonitorRule(w.ctx, "handler_response", Json::object(), false);
    std::set<std::string> after;
    for (const auto& f : runMonitoring(w.store.db(), *w.ctx.calendar, kToday)) after.insert(key(f));
    CHECK(after == std::set<std::string>{"rising_category:food_drug", "repeated_findings:" + w.units[2],
                                         "overdue_rectifications:" + w.units[10]});
    CHECK(w.store.db().queryInt("SELECT count(*) FROM monitor_rule WHERE deleted = 0") == 5);  // one record per kind
    CHECK_THROWS_WITH(setMonitorRule(w.ctx, "unit_complaints", {{"min_complaints", 0}}, true),
                      Catch::Contains("min_complaints 应为 1 到"));
    CHECK_THROWS_WITH(setMonitorRule(w.ctx, "unit_complaints", {{"weeks", 2}}, true), Catch::Contains("不认识的阈值"));
}

TEST_CASE("a unit or category under focus is listed until HQ lifts it with a note", "[monitoring]") {
    World w;
    std::string f = placeUnderFocus(w.ctx, "unit", "第3单位", "投诉集中，列为重点监控单位");
    std::string c = placeUnderFocus(w.ctx, "category", "食品药品安全", "倾向性问题");
    CHECK_THROWS_WITH(placeUnderFocus(w.ctx, "unit", w.units[2], "again"), Catch::Contains("已列为重点监控"));
    CHECK_THROWS_WITH(placeUnderFocus(w.ctx, "unit", w.units[3], "　"), Catch::Contains("列为重点监控需要写明理由"));
    auto active = listFocus(w.store.db(), true);
    REQUIRE(active.size() == 2);
    std::set<std::string> names = {active[0].subjectName, active[1].subjectName};
    CHECK(names == std::set<std::string>{"第3单位", "食品药品安全"});

    CHECK_THROWS_WITH(liftFocus(w.ctx, f, ""), Catch::Contains("解除重点监控需要写明理由"));
    AppContext lead = w.ctx;
    lead.actor.role = Role::Lead;
    CHECK_THROWS_AS(liftFocus(lead, f, "整改到位"), ForbiddenError);
    liftFocus(w.ctx, f, "整改到位，连续两月无投诉");
    active = listFocus(w.store.db(), true);
    REQUIRE(active.size() == 1);
    CHECK(active[0].id == c);
    auto all = listFocus(w.store.db(), false);
    REQUIRE(all.size() == 2);
    CHECK(all[1].status == "lifted");
    CHECK(all[1].liftNote == "整改到位，连续两月无投诉");
    CHECK(all[1].liftedBy == "王局");
    CHECK_THROWS_WITH(liftFocus(w.ctx, f, "again"), Catch::Contains("已经解除"));
}
