// Statistics (app/statistics.h) against a brute-force count over the same generated store: the
// records are read back as plain rows and counted here in C++, under several filters and
// dimensions. Every cell drilled down to its list filter counts the same records as the list.
#include <catch2/catch.hpp>

#include <cmath>
#include <functional>
#include <map>

#include "app/context.h"
#include "demo/demo_data.h"
#include "app/queries.h"
#include "app/setup.h"
#include "app/statistics.h"
#include "support/hq_admin_store.h"

using namespace jc;

namespace {

const Date kToday{2026, 6, 30};

struct Fx : test::HqAdminStore {
    DemoSummary summary;
    Fx() : HqAdminStore("stats", kToday, "hq", false) {
        DemoOptions opt;
        opt.findings = 80;
        opt.complaints = 30;
        opt.today = kToday;
        summary = generateDemoData(ctx, opt);
    }
};

Fx& fx() {
    static Fx f;  // one generated store for every case of this file
    return f;
}

std::string col(Statement& s, int c) { return s.isNull(c) ? std::string() : s.getText(c); }

// A CST day from a stored UTC timestamp, computed without SQL.
std::string cstDay(const std::string& iso) {
    if (iso.empty()) return {};
    return Date::chinaDate(*parseIsoTimestamp(iso)).str();
}

struct RawFinding {
    std::string id, campaign, status, category, area, severity, region, unit, assignee, team, recorded, accepted;
    std::vector<std::string> misconduct;
    Json values;
};

std::vector<RawFinding> rawFindings(Store& store) {
    std::map<std::string, std::string> teamOf;
    {
        auto s = store.db().prepare("SELECT name, team_id FROM user WHERE deleted = 0");
        while (s.step()) teamOf[s.getText(0)] = col(s, 1);
    }
    std::map<std::string, std::string> acceptedAt;
    {
        auto s = store.db().prepare("SELECT entity_id, at FROM case_event WHERE entity = 'finding' AND to_status = 'accepted' AND deleted = 0");
        while (s.step()) {
            std::string& a = acceptedAt[s.getText(0)];
            if (a.empty() || s.getText(1) < a) a = s.getText(1);
        }
    }
    std::vector<RawFinding> out;
    auto s = store.db().prepare(
        "SELECT id, campaign_id, status, category, area, severity, region_code, subject_unit_id, assignee, created_at, "
        "misconduct_types, field_values FROM finding WHERE deleted = 0");
    while (s.step()) {
        RawFinding f{s.getText(0), col(s, 1), col(s, 2), col(s, 3), col(s, 4), col(s, 5), col(s, 6), col(s, 7), col(s, 8)};
        f.team = teamOf.count(f.assignee) ? teamOf[f.assignee] : "";
        f.recorded = cstDay(s.getText(9));
        f.accepted = acceptedAt.count(f.id) ? cstDay(acceptedAt[f.id]) : "";
        for (const auto& m : Json::parse(col(s, 10).empty() ? "[]" : col(s, 10))) f.misconduct.push_back(m.get<std::string>());
        f.values = Json::parse(col(s, 11).empty() ? "{}" : col(s, 11));
        out.push_back(std::move(f));
    }
    return out;
}

bool passes(const RawFinding& f, const FindingFilter& q) {
    if (!q.campaignId.empty() && f.campaign != q.campaignId) return false;
    if (!q.status.empty() && f.status != q.status) return false;
    if (!q.category.empty() && f.category != q.category) return false;
    if (!q.regionPrefix.empty() && f.region.rfind(q.regionPrefix, 0) != 0) return false;
    if (!q.teamId.empty() && f.team != q.teamId) return false;
    const std::string& day = q.dateBasis == "accepted" ? f.accepted : f.recorded;
    if ((!q.dateFrom.empty() || !q.dateTo.empty()) && day.empty()) return false;
    if (!q.dateFrom.empty() && day < q.dateFrom) return false;
    if (!q.dateTo.empty() && day > q.dateTo) return false;
    return true;
}

// The keys of a finding under a dimension (several for misconduct types).
std::vector<std::string> keysOf(const RawFinding& f, const std::string& dim, const std::string& basis) {
    const std::string& day = basis == "accepted" ? f.accepted : f.recorded;
    if (dim == "county") return {f.region.substr(0, 6)};
    if (dim == "category") return {f.category};
    if (dim == "unit") return {f.unit};
    if (dim == "team") return {f.team};
    if (dim == "inspector") return {f.assignee};
    if (dim == "month") return {day.substr(0, 7)};
    if (dim == "misconduct") return f.misconduct;
    if (dim == "week") {
        Date d = Date::parse(day);
        return {d.plusDays(-(d.weekday() - 1)).str()};
    }
    FAIL("dimension not covered by the brute force: " << dim);
    return {};
}

double fen(const Json& values, const char* key) {
    return values.contains(key) && values[key].is_number() ? values[key].get<double>() : 0.0;
}

// The brute-force value of a finding measure for one finding.
double measureOf(const RawFinding& f, const std::string& m) {
    if (m == "findings") return 1;
    if (m == "severity_high") return f.severity == "high";
    if (m == "amount_owed")
        return f.category == "wage_arrears" ? fen(f.values, "amount_owed") : f.category == "restructuring" ? fen(f.values, "wages_owed") : 0;
    if (m == "households")
        return f.category == "land_acquisition" ? fen(f.values, "households_affected") : f.category == "demolition" ? fen(f.values, "households") : 0;
    FAIL("measure not covered: " << m);
    return 0;
}

void checkAgainstBruteForce(const StatsQuery& q) {
    Fx& x = fx();
    auto raw = rawFindings(x.store);
    std::map<std::vector<std::string>, std::vector<double>> expected;
    std::vector<double> total(q.measures.size(), 0.0);
    for (const auto& f : raw) {
        if (!passes(f, q.filter)) continue;
        std::vector<std::vector<std::string>> keys = {{}};
        for (const auto& d : q.dimensions) {
            std::vector<std::vector<std::string>> next;
            for (const auto& k : keys)
                for (const auto& v : keysOf(f, d, q.filter.dateBasis)) {
                    auto n = k;
                    n.push_back(v);
                    next.push_back(n);
                }
            keys = next;
        }
        for (size_t i = 0; i < q.measures.size(); ++i) total[i] += measureOf(f, q.measures[i]);
        for (const auto& k : keys) {
            auto& v = expected[k];
            v.resize(q.measures.size(), 0.0);
            for (size_t i = 0; i < q.measures.size(); ++i) v[i] += measureOf(f, q.measures[i]);
        }
    }
    StatsResult r = computeStatistics(x.store.db(), *x.ctx.calendar, kToday, q);
    INFO("dimensions " << Json(q.dimensions).dump() << " measures " << Json(q.measures).dump());
    if (q.dimensions.empty()) expected.clear();  // no dimension: totals only
    REQUIRE(r.rows.size() == expected.size());
    for (const auto& row : r.rows) {
        INFO("row " << Json(row.keys).dump());
        REQUIRE(expected.count(row.keys) == 1);
        for (size_t i = 0; i < q.measures.size(); ++i) CHECK(row.values[i] == Approx(expected[row.keys][i]));
        // Drill-down: the findings list under the cell's filter has exactly the cell's count.
        bool drillable = std::none_of(row.keys.begin(), row.keys.end(), [](const std::string& k) { return k.empty(); });
        if (drillable && q.measures[0] == "findings")
            CHECK(countFindings(x.store.db(), drillFindings(q, row.keys), kToday.str()) == static_cast<int64_t>(row.values[0]));
    }
    for (size_t i = 0; i < q.measures.size(); ++i) CHECK(r.totals[i] == Approx(total[i]));
    if (q.measures[0] == "findings") CHECK(countFindings(x.store.db(), q.filter, kToday.str()) == static_cast<int64_t>(r.totals[0]));
}

}  // namespace

TEST_CASE("finding statistics equal a brute-force count under filters and dimensions", "[statistics]") {
    Fx& x = fx();
    REQUIRE(x.summary.findings == 80);
    std::vector<std::string> measures = {"findings", "severity_high", "amount_owed", "households"};
    FindingFilter all;
    FindingFilter campaignRange;
    campaignRange.campaignId = x.summary.campaignId;
    campaignRange.dateFrom = "2026-01-01";
    campaignRange.dateTo = "2026-05-31";
    FindingFilter accepted;
    accepted.dateBasis = "accepted";
    accepted.dateFrom = "2025-10-01";
    accepted.dateTo = "2026-06-30";
    accepted.status = "closed";
    FindingFilter region;
    region.regionPrefix = "620702";
    region.category = "wage_arrears";
    for (const FindingFilter& f : {all, campaignRange, accepted, region}) {
        for (std::vector<std::string> dims : std::vector<std::vector<std::string>>{
                 {}, {"county"}, {"category"}, {"misconduct"}, {"month"}, {"week"}, {"unit"}, {"team"}, {"inspector"},
                 {"county", "category"}, {"misconduct", "month"}}) {
            StatsQuery q{dims, measures, f};
            checkAgainstBruteForce(q);
        }
    }
}

TEST_CASE("a team filter and the team dimension follow the assignee's team", "[statistics]") {
    Fx& x = fx();
    auto s = x.store.db().prepare("SELECT id FROM team WHERE deleted = 0 LIMIT 1");
    REQUIRE(s.step());
    std::string team = s.getText(0);
    FindingFilter f;
    f.teamId = team;
    checkAgainstBruteForce({{"county"}, {"findings"}, f});
    StatsResult r = computeStatistics(x.store.db(), *x.ctx.calendar, kToday, {{"team"}, {"findings"}, {}});
    bool found = false;
    for (const auto& row : r.rows) found = found || (row.keys[0] == team && row.labels[0] == "张掖市第一检查组");
    CHECK(found);
}

TEST_CASE("complaint measures equal a brute-force count, and drill-down lists the same complaints", "[statistics]") {
    Fx& x = fx();
    const WorkCalendar& cal = *x.ctx.calendar;
    std::map<std::string, std::string> closedAt;
    {
        auto s = x.store.db().prepare("SELECT entity_id, at FROM case_event WHERE entity = 'complaint' AND to_status = 'closed' AND deleted = 0");
        while (s.step()) closedAt[s.getText(0)] = std::max(closedAt[s.getText(0)], s.getText(1));
    }
    struct E {
        double received = 0, closed = 0, onTime = 0, replied = 0, closeDays = 0;
    };
    std::map<std::string, E> byCounty;
    E all;
    auto s = x.store.db().prepare("SELECT id, region_code, received_at, deadline, reply_at FROM complaint WHERE deleted = 0");
    while (s.step()) {
        std::string county = col(s, 1).substr(0, 6);
        std::string closed = closedAt.count(s.getText(0)) ? cstDay(closedAt[s.getText(0)]) : "";
        for (E* e : {&byCounty[county], &all}) {
            e->received += 1;
            e->replied += !col(s, 4).empty();
            if (!closed.empty()) {
                e->closed += 1;
                e->onTime += col(s, 3).empty() || closed <= col(s, 3);
                e->closeDays += cal.workdaysBetween(Date::parse(cstDay(s.getText(2))), Date::parse(closed));
            }
        }
    }
    REQUIRE(all.received == 30);
    REQUIRE(all.closed > 3);
    StatsQuery q{{"county"}, {"complaints", "complaints_closed", "on_time_rate", "response_rate", "avg_days_close"}, {}};
    StatsResult r = computeStatistics(x.store.db(), cal, kToday, q);
    REQUIRE(r.rows.size() == byCounty.size());
    for (const auto& row : r.rows) {
        const E& e = byCounty[row.keys[0]];
        CHECK(row.values[0] == e.received);
        CHECK(row.values[1] == e.closed);
        CHECK(row.values[2] == Approx(e.closed ? 100.0 * e.onTime / e.closed : 0));
        CHECK(row.values[3] == Approx(100.0 * e.replied / e.received));
        CHECK(row.values[4] == Approx(e.closed ? e.closeDays / e.closed : 0));
        CHECK(countComplaints(x.store.db(), drillComplaints(q, row.keys)) == static_cast<int64_t>(row.values[0]));
        CHECK(listComplaints(x.store.db(), drillComplaints(q, row.keys), cal, kToday).size() == static_cast<size_t>(row.values[0]));
    }
    CHECK(r.totals[0] == all.received);
    CHECK(r.totals[2] == Approx(100.0 * all.onTime / all.closed));
}

TEST_CASE("rectification and warning measures count their own records", "[statistics]") {
    Fx& x = fx();
    StatsResult r = computeStatistics(x.store.db(), *x.ctx.calendar, kToday,
                                      {{"category"}, {"rect_ordered", "rect_verified", "rect_overdue", "warnings", "warnings_acknowledged"}, {}});
    CHECK(r.totals[0] == x.store.db().queryInt("SELECT count(*) FROM rectification WHERE deleted = 0"));
    CHECK(r.totals[1] == x.store.db().queryInt("SELECT count(*) FROM rectification WHERE deleted = 0 AND status = 'verified'"));
    CHECK(r.totals[2] == x.store.db().queryInt(
                             "SELECT count(*) FROM rectification WHERE deleted = 0 AND status IN ('ordered', 'overdue') AND deadline < '2026-06-30'"));
    CHECK(r.totals[2] > 0);
    CHECK(r.totals[3] == x.store.db().queryInt("SELECT count(*) FROM warning WHERE deleted = 0"));
    CHECK(r.totals[4] == x.store.db().queryInt("SELECT count(*) FROM warning WHERE deleted = 0 AND acknowledged_at IS NOT NULL"));
    double sum = 0;
    for (const auto& row : r.rows) sum += row.values[0];
    CHECK(sum == r.totals[0]);  // one category per rectification: rows add up to the total
}

TEST_CASE("statistics refuse bad queries with a message", "[statistics]") {
    Fx& x = fx();
    auto run = [&](StatsQuery q) { computeStatistics(x.store.db(), *x.ctx.calendar, kToday, q); };
    CHECK_THROWS_WITH(run({{"county", "category", "month"}, {}, {}}), Catch::Contains("一次最多按两个维度"));
    CHECK_THROWS_WITH(run({{"planet"}, {}, {}}), Catch::Contains("planet"));
    CHECK_THROWS_WITH(run({{}, {"beans"}, {}}), Catch::Contains("beans"));
    FindingFilter f;
    f.dateFrom = "2026-05-01";
    f.dateTo = "2026-04-01";
    CHECK_THROWS_WITH(run({{}, {}, f}), Catch::Contains("早于开始日"));
    StatsQuery q{{"unit"}, {"findings"}, {}};
    CHECK_THROWS_WITH(drillFindings(q, {""}), Catch::Contains("不能作为列表打开"));
    CHECK(formatWanYuan(123456789) == "123.46");
    CHECK(formatMeasure(findMeasure("on_time_rate"), 87.54) == "87.5%");
}

TEST_CASE("the view's dashboard shares queries but not numbers: each equals its own statistic", "[statistics]") {
    Fx& x = fx();
    FindingFilter f;
    f.dateFrom = "2026-04-01";
    f.dateTo = "2026-06-30";
    StatsQuery pivot{{"county"}, {"findings", "amount_owed", "complaints"}, {}};
    StatsDashboard d = computeDashboard(x.store.db(), *x.ctx.calendar, kToday, f, false, pivot);
    StatsResult tiles = computeStatistics(x.store.db(), *x.ctx.calendar, kToday, {{}, dashboardTileMeasures(), f});
    REQUIRE(d.tiles.totals.size() == tiles.totals.size());
    for (size_t i = 0; i < tiles.totals.size(); ++i) CHECK(d.tiles.totals[i] == Approx(tiles.totals[i]));
    StatsResult county = computeStatistics(x.store.db(), *x.ctx.calendar, kToday, {{"county"}, {"findings"}, f});
    REQUIRE(d.ranking.rows.size() == county.rows.size());
    for (const auto& r : d.ranking.rows) {
        auto it = std::find_if(county.rows.begin(), county.rows.end(), [&](const StatsRow& c) { return c.keys == r.keys; });
        REQUIRE(it != county.rows.end());
        CHECK(r.values[0] == it->values[0]);
    }
    for (size_t i = 1; i < d.ranking.rows.size(); ++i) CHECK(d.ranking.rows[i - 1].values[0] >= d.ranking.rows[i].values[0]);
    StatsResult p = computeStatistics(x.store.db(), *x.ctx.calendar, kToday, {pivot.dimensions, pivot.measures, f});
    REQUIRE(d.pivot.rows.size() == p.rows.size());
    for (size_t i = 0; i < p.rows.size(); ++i)
        for (size_t m = 0; m < p.measures.size(); ++m) CHECK(d.pivot.rows[i].values[m] == Approx(p.rows[i].values[m]));
    CHECK(d.hasPrev);
    CHECK(d.prevFrom == "2025-12-31");
    CHECK(d.prevTo == "2026-03-31");
}
