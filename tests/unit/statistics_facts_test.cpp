// The statistics' in-memory fact cache (app/statistics_facts.h) against the SQL path over the
// same generated store: every measure under many filters and dimensions gives the same rows,
// labels, values and totals; and after the store changes — on the same connection or by another
// one (the write worker, sync) — the cache loads again and still agrees, with the new numbers.
#include "app/statistics_facts.h"

#include <catch2/catch.hpp>
#include <memory>

#include "app/context.h"
#include "app/queries.h"
#include "app/setup.h"
#include "app/statistics.h"
#include "demo/demo_data.h"
#include "support/temp_dir.h"

using namespace jc;

namespace {

const Date kToday{2026, 6, 30};

struct Fx {
    test::TempDir dir{"stats-facts"};
    std::string path = (dir.path / "jiancha.db").string();
    bool copied = false;  // before `store` opens the file
    Store store{path};
    AppContext ctx{store, {}, nullptr, kToday};
    DemoSummary summary;
    Fx() {
        InitOptions init;
        init.userName = "hq";
        init.role = Role::HqAdmin;
        initStore(store, init);
        ctx.actor = loadActor(store, "hq");
        ctx.calendar = calendarFromStore(store);
        DemoOptions opt;
        opt.findings = 160;
        opt.complaints = 40;
        opt.today = kToday;
        summary = generateDemoData(ctx, opt);
    }
    // A copy of another fixture's store (VACUUM INTO), for a case that changes it.
    explicit Fx(Fx& from) : copied((from.store.db().exec("VACUUM INTO '" + path + "'"), true)) {
        ctx.actor = loadActor(store, "hq");
        ctx.calendar = calendarFromStore(store);
        summary = from.summary;
    }
};

Fx& shared() {
    static Fx f;  // generated once for every case of this file
    return f;
}

std::vector<std::string> allMeasures() {
    std::vector<std::string> m;
    for (const auto& x : statsMeasures()) m.push_back(x.code);
    return m;
}

std::string firstText(Database& db, const std::string& sql) {
    auto s = db.prepare(sql);
    REQUIRE(s.step());
    return s.getText(0);
}

// Both paths, compared cell by cell. Returns the SQL result.
StatsResult agree(Fx& x, StatsFactCache& cache, const StatsQuery& q) {
    StatsResult sql = computeStatistics(x.store.db(), *x.ctx.calendar, kToday, q);
    StatsResult mem = computeStatistics(x.store.db(), *x.ctx.calendar, kToday, q, &cache);
    std::string what = "dims";
    for (const auto& d : q.dimensions) what += " " + d;
    INFO(what << " · category " << q.filter.category << " status " << q.filter.status << " region "
              << q.filter.regionPrefix << " team " << q.filter.teamId << " from " << q.filter.dateFrom << " basis "
              << q.filter.dateBasis);
    REQUIRE(mem.rows.size() == sql.rows.size());
    for (size_t i = 0; i < sql.rows.size(); ++i) {
        CHECK(mem.rows[i].keys == sql.rows[i].keys);
        CHECK(mem.rows[i].labels == sql.rows[i].labels);
        CHECK(mem.rows[i].values == sql.rows[i].values);
    }
    CHECK(mem.totals == sql.totals);
    CHECK(mem.notes == sql.notes);
    return sql;
}

std::vector<FindingFilter> filters(Fx& x) {
    Database& db = x.store.db();
    std::vector<FindingFilter> out(1);  // everything
    auto add = [&](auto&& set) {
        FindingFilter f;
        set(f);
        out.push_back(f);
    };
    add([&](FindingFilter& f) { f.campaignId = x.summary.campaignId; });
    add([&](FindingFilter& f) { f.status = "accepted"; });
    add([&](FindingFilter& f) { f.category = "wage_arrears"; });
    add([&](FindingFilter& f) { f.category = "no_such_category"; });
    add([&](FindingFilter& f) { f.area = firstText(db, "SELECT area FROM finding WHERE area IS NOT NULL LIMIT 1"); });
    add([&](FindingFilter& f) { f.severity = "high"; });
    add([&](FindingFilter& f) {
        f.misconductType = firstText(db, "SELECT mt.value FROM finding f, json_each(f.misconduct_types) mt LIMIT 1");
    });
    add([&](FindingFilter& f) {
        f.regionPrefix = firstText(db, "SELECT substr(region_code, 1, 6) FROM finding LIMIT 1");
    });
    add([&](FindingFilter& f) {
        f.regionPrefix = firstText(db, "SELECT substr(region_code, 1, 9) FROM finding LIMIT 1");
    });
    add([&](FindingFilter& f) {
        f.subjectUnitId =
            firstText(db, "SELECT subject_unit_id FROM finding WHERE subject_unit_id IS NOT NULL LIMIT 1");
    });
    add([&](FindingFilter& f) { f.teamId = firstText(db, "SELECT id FROM team WHERE deleted = 0 LIMIT 1"); });
    add([&](FindingFilter& f) {
        f.assignee = firstText(db, "SELECT assignee FROM finding WHERE assignee IS NOT NULL LIMIT 1");
    });
    add([&](FindingFilter& f) { f.overdueOnly = true; });
    add([&](FindingFilter& f) {
        f.dateFrom = "2026-01-01";
        f.dateTo = "2026-04-30";
    });
    add([&](FindingFilter& f) {
        f.dateBasis = "accepted";
        f.dateFrom = "2025-12-01";
    });
    add([&](FindingFilter& f) {
        f.dateBasis = "accepted";
        f.dateTo = "2026-05-31";
        f.campaignId = x.summary.campaignId;
    });
    add([&](FindingFilter& f) { f.search = "工资"; });  // counted by SQL on both paths
    return out;
}

const std::vector<std::vector<std::string>>& dimensionSets() {
    static const std::vector<std::vector<std::string>> sets = {{},
                                                               {"county"},
                                                               {"township"},
                                                               {"category"},
                                                               {"area"},
                                                               {"misconduct"},
                                                               {"unit"},
                                                               {"team"},
                                                               {"inspector"},
                                                               {"month"},
                                                               {"week"},
                                                               {"county", "category"},
                                                               {"misconduct", "month"},
                                                               {"area", "misconduct"},
                                                               {"team", "week"},
                                                               {"unit", "inspector"}};
    return sets;
}

void agreeEverywhere(Fx& x, StatsFactCache& cache) {
    for (const auto& f : filters(x))
        for (const auto& dims : dimensionSets()) agree(x, cache, {dims, allMeasures(), f});
}

}  // namespace

TEST_CASE("the fact cache counts exactly what SQL counts, under every filter and dimension", "[statistics][facts]") {
    Fx& x = shared();
    REQUIRE(x.summary.findings == 160);
    REQUIRE(x.summary.rectifications > 0);
    REQUIRE(x.summary.warnings > 0);
    StatsFactCache cache;
    agreeEverywhere(x, cache);
    CHECK(cache.loads() == 1);  // one load served every query
    CHECK(cache.findingCount() == 160);

    // The view's dashboard too, with and without a previous period.
    StatsQuery pivot{
        {"county"}, {"findings", "severity_high", "amount_owed", "complaints", "completion_rate", "rect_overdue"}, {}};
    FindingFilter period;
    period.dateFrom = "2026-04-01";
    period.dateTo = "2026-06-30";
    for (const FindingFilter& f : {FindingFilter{}, period}) {
        StatsDashboard a = computeDashboard(x.store.db(), *x.ctx.calendar, kToday, f, false, pivot);
        StatsDashboard b = computeDashboard(x.store.db(), *x.ctx.calendar, kToday, f, false, pivot, &cache);
        for (auto [p, q] : {std::pair{&a.tiles, &b.tiles},
                            {&a.prev, &b.prev},
                            {&a.ranking, &b.ranking},
                            {&a.stacked, &b.stacked},
                            {&a.monthly, &b.monthly},
                            {&a.rates, &b.rates},
                            {&a.pivot, &b.pivot}}) {
            CHECK(p->totals == q->totals);
            REQUIRE(p->rows.size() == q->rows.size());
            for (size_t i = 0; i < p->rows.size(); ++i) CHECK(p->rows[i].values == q->rows[i].values);
        }
    }
}

TEST_CASE("the fact cache loads again after the store changes, and still agrees", "[statistics][facts]") {
    Fx x(shared());
    StatsFactCache cache;
    Database& db = x.store.db();
    StatsQuery byCategory{{"category"}, {"findings", "amount_owed", "rect_ordered", "warnings", "complaints"}, {}};
    StatsResult before = agree(x, cache, byCategory);
    REQUIRE(cache.loads() == 1);
    agree(x, cache, byCategory);
    CHECK(cache.loads() == 1);  // nothing changed: no load
    CHECK(cache.isCurrent(db));

    SECTION("a change on the same connection") {
        std::string id =
            firstText(db, "SELECT id FROM finding WHERE deleted = 0 AND category = 'wage_arrears' LIMIT 1");
        db.exec("UPDATE finding SET category = 'pollution' WHERE id = '" + id + "'");
        CHECK_FALSE(cache.isCurrent(db));
        StatsResult after = agree(x, cache, byCategory);
        CHECK(cache.isCurrent(db));
        CHECK(cache.loads() == 2);
        double wageBefore = 0, wageAfter = 0;
        for (const auto& r : before.rows)
            if (r.keys[0] == "wage_arrears") wageBefore = r.values[0];
        for (const auto& r : after.rows)
            if (r.keys[0] == "wage_arrears") wageAfter = r.values[0];
        CHECK(wageAfter == wageBefore - 1);
        db.exec("UPDATE finding SET deleted = 1 WHERE id = '" + id + "'");
        StatsResult deleted = agree(x, cache, byCategory);
        CHECK(deleted.totals[0] == before.totals[0] - 1);
        agreeEverywhere(x, cache);
    }
    SECTION("a commit by another connection (the write worker, sync)") {
        Store other(x.path);
        // A finding without rectifications, and a rectification of another finding.
        std::string id = firstText(other.db(),
                                   "SELECT id FROM finding f WHERE deleted = 0 AND NOT EXISTS "
                                   "(SELECT 1 FROM rectification r WHERE r.finding_id = f.id) LIMIT 1");
        other.db().exec("UPDATE finding SET deleted = 1 WHERE id = '" + id + "'");
        other.db().exec(
            "UPDATE rectification SET deleted = 1 WHERE id = (SELECT id FROM rectification WHERE deleted = 0 LIMIT 1)");
        CHECK_FALSE(cache.isCurrent(db));
        StatsResult after = agree(x, cache, byCategory);
        CHECK(cache.isCurrent(db));
        CHECK(cache.loads() == 2);
        CHECK(after.totals[0] == before.totals[0] - 1);
        CHECK(after.totals[2] == before.totals[2] - 1);
        agreeEverywhere(x, cache);
    }
}
