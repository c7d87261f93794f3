#include "app/statistics.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>

#include "core/error.h"
#include "core/i18n.h"
#include "core/kpi.h"
#include "core/workflow.h"
#include "app/statistics_detail.h"
#include "app/statistics_facts.h"

namespace jc {

// [SECTION] Catalogue

const std::vector<MeasureInfo>& statsMeasures() {
    using K = MeasureKind;
    using S = MeasureSource;
    static const std::vector<MeasureInfo> list = {
        {"findings", "检查发现（件）", "Findings", K::Count, S::Findings},
        {"severity_low", "一般（件）", "Low severity", K::Count, S::Findings},
        {"severity_medium", "较重（件）", "Medium severity", K::Count, S::Findings},
        {"severity_high", "严重（件）", "High severity", K::Count, S::Findings},
        {"severity_critical", "特别严重（件）", "Critical", K::Count, S::Findings},
        {"amount_owed", "拖欠工资（万元）", "Wages owed (10k yuan)", K::Money, S::Findings},
        {"amount_paid", "已清偿（万元）", "Wages paid (10k yuan)", K::Money, S::Findings},
        {"compensation_due", "应付补偿（万元）", "Compensation due (10k yuan)", K::Money, S::Findings},
        {"compensation_paid", "已付补偿（万元）", "Compensation paid (10k yuan)", K::Money, S::Findings},
        {"households", "涉及户数", "Households affected", K::Count, S::Findings},
        {"workers", "涉及职工/农民工（人）", "Workers affected", K::Count, S::Findings},
        {"complaints", "受理投诉（件）", "Complaints received", K::Count, S::Complaints},
        {"complaints_replied", "已回复（件）", "Replied", K::Count, S::Complaints},
        {"complaints_closed", "已办结（件）", "Closed", K::Count, S::Complaints},
        {"complaints_on_time", "按时办结（件）", "Closed on time", K::Count, S::Complaints},
        {"response_rate", "回复率", "Response rate", K::Rate, S::Complaints},
        {"completion_rate", "办结率", "Completion rate", K::Rate, S::Complaints},
        {"on_time_rate", "按时办结率", "On-time rate", K::Rate, S::Complaints},
        {"avg_days_reply", "平均回复用时（工作日）", "Average working days to reply", K::Days, S::Complaints},
        {"avg_days_close", "平均办结用时（工作日）", "Average working days to close", K::Days, S::Complaints},
        {"rect_ordered", "责令整改（件）", "Rectifications ordered", K::Count, S::Rectifications},
        {"rect_reported", "已报整改（件）", "Rectifications reported", K::Count, S::Rectifications},
        {"rect_verified", "已验收（件）", "Rectifications verified", K::Count, S::Rectifications},
        {"rect_overdue", "逾期未改（件）", "Rectifications overdue", K::Count, S::Rectifications},
        {"warnings", "效能告诫（次）", "Warnings issued", K::Count, S::Warnings},
        {"warnings_acknowledged", "已签收告诫（次）", "Warnings acknowledged", K::Count, S::Warnings},
    };
    return list;
}

const MeasureInfo& findMeasure(const std::string& code) {
    for (const auto& m : statsMeasures())
        if (code == m.code) return m;
    std::string all;
    for (const auto& m : statsMeasures()) all += std::string(all.empty() ? "" : ", ") + m.code;
    throw ValidationError(trf("stats.err_measure", {code, all}));
}

namespace {
const CodeLabel kDimensions[] = {
    {"county", "县区", "County"},          {"township", "乡镇（街道）", "Township"},
    {"category", "专项类别", "Category"},  {"area", "监察领域", "Supervision area"},
    {"misconduct", "行为类型", "Misconduct type"}, {"unit", "被监察单位", "Unit"},
    {"team", "检查组", "Team"},            {"inspector", "承办人", "Inspector"},
    {"month", "月份", "Month"},            {"week", "周", "Week"},
};
}  // namespace

std::span<const CodeLabel> statsDimensions() { return kDimensions; }

const CodeLabel& findDimension(const std::string& code) { return findCode(kDimensions, code, "dimension"); }

// [SECTION] Sources
//
// Each source says, as SQL over its FROM clause, where the dimension columns come from. The
// dimension expressions below are written once over these columns.

namespace stats_detail {


std::string findingStamp(const FindingFilter& f) {
    return f.dateBasis == "accepted" ? findingAcceptedAtSql("f") : "f.created_at";
}

Source findingSource(const FindingFilter& f) {
    return {" FROM finding f", "f.region_code", "f.category", "f.area", "f.misconduct_types", "f.subject_unit_id",
            "f.assignee", findingStamp(f)};
}
Source complaintSourceDef() {
    return {" FROM complaint c", "c.region_code", "c.category", "", "", "c.respondent_unit_id", "c.assignee", "c.received_at"};
}
Source rectificationSource() {
    return {kRectificationFrom,
            "f.region_code", "f.category", "f.area", "f.misconduct_types", "f.subject_unit_id",
            "f.assignee", "r.created_at"};
}
Source warningSource() {
    return {kWarningFrom,
            "coalesce(f.region_code, c.region_code)", "coalesce(f.category, c.category)", "f.area", "f.misconduct_types",
            "coalesce(w.target_unit_id, f.subject_unit_id, c.respondent_unit_id)", "coalesce(f.assignee, c.assignee)",
            "w.issued_at"};
}

// The grouping expression of a dimension over a source ("" when the source has no such column),
// and whether it needs the misconduct-type join.
std::string dimensionSql(const std::string& dim, const Source& s) {
    auto orNull = [](const std::string& e, const std::string& v) { return e.empty() ? std::string("NULL") : v; };
    if (dim == "county") return "substr(" + s.region + ", 1, 6)";
    if (dim == "township") return "substr(" + s.region + ", 1, 9)";
    if (dim == "category") return s.category;
    if (dim == "area") return orNull(s.area, s.area);
    if (dim == "misconduct") return orNull(s.misconduct, "mt.value");
    if (dim == "unit") return s.unit;
    if (dim == "team") return "(SELECT u.team_id FROM user u WHERE u.name = " + s.assignee + " AND u.deleted = 0 LIMIT 1)";
    if (dim == "inspector") return s.assignee;
    if (dim == "month") return "substr(" + chinaDaySql(s.stamp) + ", 1, 7)";
    if (dim == "week") return "date(" + chinaDaySql(s.stamp) + ", 'weekday 0', '-6 days')";
    throw ValidationError(trf("stats.err_dimension", {dim}));
}

// The filter parts that apply to a non-finding source, over its columns.
SqlWhere commonWhere(const FindingFilter& f, const Source& s, const std::string& deletedCol, const std::string& campaignSql) {
    SqlWhere w;
    w.sql = " WHERE " + deletedCol + " = 0";
    if (!f.campaignId.empty()) w.add(campaignSql + " = ?", f.campaignId);
    if (!f.regionPrefix.empty()) {
        w.add(s.region + " >= ?", f.regionPrefix);
        w.add(s.region + " < ?", f.regionPrefix + ":");
    }
    if (!f.category.empty()) w.add(s.category + " = ?", f.category);
    if (!f.subjectUnitId.empty()) w.add(s.unit + " = ?", f.subjectUnitId);
    if (!f.assignee.empty()) w.add(s.assignee + " = ?", f.assignee);
    if (!f.teamId.empty()) w.add(s.assignee + " IN (SELECT u.name FROM user u WHERE u.team_id = ? AND u.deleted = 0)", f.teamId);
    if (!f.dateFrom.empty()) w.add(s.stamp + " >= ?", chinaDayStartUtc(Date::parse(f.dateFrom)));
    if (!f.dateTo.empty()) w.add(s.stamp + " < ?", chinaDayStartUtc(Date::parse(f.dateTo).plusDays(1)));
    return w;
}

std::string text(Statement& s, int c) { return s.isNull(c) ? std::string() : s.getText(c); }

// Runs "SELECT <keys>, <aggregates> <from> <join> <where> GROUP BY <keys>" once grouped and once
// for the total, adding each aggregate column into the measure slots `slots`.
void runGrouped(Database& db, const Source& src, const SqlWhere& where, const std::vector<std::string>& dims,
                const std::vector<std::string>& aggregates, const std::vector<size_t>& slots, size_t measureCount, Partial& out) {
    if (aggregates.empty()) return;
    std::string aggSql;
    for (const auto& a : aggregates) aggSql += ", " + a;
    bool misconduct = std::find(dims.begin(), dims.end(), "misconduct") != dims.end() && !src.misconduct.empty();
    // Grouped
    std::string keys;
    for (size_t i = 0; i < dims.size(); ++i) keys += (i ? ", " : "") + dimensionSql(dims[i], src);
    if (!dims.empty()) {
        std::string from = src.from + (misconduct ? ", json_each(" + src.misconduct + ") mt" : "");
        std::string groupBy;
        for (size_t i = 0; i < dims.size(); ++i) groupBy += (i ? ", " : "") + std::to_string(i + 1);
        auto s = db.prepare("SELECT " + keys + aggSql + from + where.sql + " GROUP BY " + groupBy);
        bindAll(s, where.args);
        while (s.step()) {
            Key k;
            for (size_t i = 0; i < dims.size(); ++i) k.push_back(text(s, static_cast<int>(i)));
            auto& v = out.rows[k];
            if (v.empty()) v.assign(measureCount, 0.0);
            for (size_t a = 0; a < aggregates.size(); ++a)
                v[slots[a]] += s.isNull(static_cast<int>(dims.size() + a)) ? 0.0 : s.getDouble(static_cast<int>(dims.size() + a));
            if (out.rows.size() > kMaxStatsRows)
                throw ValidationError(trf("stats.err_rows", {std::to_string(kMaxStatsRows)}));
        }
    }
    // Every aggregate here is a count or a sum: when the rows partition the records (each in
    // exactly one row), the total is their sum and needs no second scan. A misconduct type
    // counts a record once per type, so then the total is counted directly.
    if (!dims.empty() && !misconduct) {
        std::vector<double> sums(aggregates.size(), 0.0);
        for (const auto& [k, v] : out.rows)
            for (size_t a = 0; a < aggregates.size(); ++a) sums[a] += v[slots[a]];
        for (size_t a = 0; a < aggregates.size(); ++a) out.totals[slots[a]] += sums[a];
        return;
    }
    auto s = db.prepare("SELECT 0" + aggSql + src.from + where.sql);
    bindAll(s, where.args);
    if (s.step())
        for (size_t a = 0; a < aggregates.size(); ++a) out.totals[slots[a]] += s.isNull(static_cast<int>(a + 1)) ? 0.0 : s.getDouble(static_cast<int>(a + 1));
}

// Field of the category form (fen or count) as SQL, 0 for other categories.
std::string fieldExpr(const std::vector<std::pair<const char*, const char*>>& categoryKey) {
    std::string e = "CASE f.category";
    for (const auto& [cat, key] : categoryKey)
        e += std::string(" WHEN '") + cat + "' THEN coalesce(json_extract(f.field_values, '$." + key + "'), 0)";
    return e + " ELSE 0 END";
}

const std::vector<std::string>& findingFieldMeasures() {
    static const std::vector<std::string> codes = {"amount_owed", "amount_paid", "compensation_due", "compensation_paid", "households", "workers"};
    return codes;
}

std::string findingFieldExpr(const std::string& code) {
    if (code == "amount_owed") return fieldExpr({{"wage_arrears", "amount_owed"}, {"restructuring", "wages_owed"}});
    if (code == "amount_paid") return fieldExpr({{"wage_arrears", "amount_paid"}, {"restructuring", "amount_paid"}});
    if (code == "compensation_due") return fieldExpr({{"land_acquisition", "compensation_due"}, {"demolition", "compensation_due"}});
    if (code == "compensation_paid") return fieldExpr({{"land_acquisition", "compensation_paid"}, {"demolition", "compensation_paid"}});
    if (code == "households") return fieldExpr({{"land_acquisition", "households_affected"}, {"demolition", "households"}});
    if (code == "workers") return fieldExpr({{"wage_arrears", "workers_affected"}, {"restructuring", "workers_affected"}});
    throw ValidationError(trf("stats.err_not_measure", {code, tr("entity.finding")}));
}

std::string findingAggregate(const std::string& code) {
    if (code == "findings") return "count(*)";
    if (code.rfind("severity_", 0) == 0) return "sum(f.severity = '" + code.substr(9) + "')";
    return "sum(" + findingFieldExpr(code) + ")";
}

// `today` is a Date::str() ("YYYY-MM-DD"), safe to write into the SQL text.
std::string rectificationAggregate(const std::string& code, const std::string& today) {
    if (code == "rect_ordered") return "count(*)";
    if (code == "rect_reported") return "sum(r.reported_at IS NOT NULL OR r.status IN ('reported_done', 'verified'))";
    if (code == "rect_verified") return "sum(r.status = 'verified')";
    if (code == "rect_overdue") return "sum(r.status IN ('ordered', 'overdue') AND r.deadline < '" + today + "')";
    throw ValidationError(trf("stats.err_not_measure", {code, tr("entity.rectification")}));
}

std::string warningAggregate(const std::string& code) {
    if (code == "warnings") return "count(*)";
    if (code == "warnings_acknowledged") return "sum(w.acknowledged_at IS NOT NULL)";
    throw ValidationError(trf("stats.err_not_measure", {code, tr("entity.warning")}));
}

Date chinaDay(const std::string& iso) { return Date::chinaDate(parseIsoTimestamp(iso).value_or(0)); }

void ComplaintGroup::add(const ComplaintFacts& cf, const WorkCalendar& cal) {
    if (cf.repliedOn) replyDays += cal.workdaysBetween(cf.received, *cf.repliedOn), ++replyN;
    if (cf.closedOn) closeDays += cal.workdaysBetween(cf.received, *cf.closedOn), ++closeN;
    facts.push_back(cf);
}

void ComplaintGroup::fill(const std::vector<std::string>& codes, const std::vector<size_t>& slots, std::vector<double>& v) const {
    ComplaintKpi k = complaintKpi(facts);
    for (size_t i = 0; i < codes.size(); ++i) {
        const std::string& c = codes[i];
        double x = c == "complaints"           ? k.total
                   : c == "complaints_replied" ? k.replied
                   : c == "complaints_closed"  ? k.closed
                   : c == "complaints_on_time" ? k.onTimeClosed
                   : c == "response_rate"      ? k.responseRate * 100
                   : c == "completion_rate"    ? k.completionRate * 100
                   : c == "on_time_rate"       ? k.onTimeRate * 100
                   : c == "avg_days_reply"     ? (replyN ? replyDays / replyN : 0)
                                               : (closeN ? closeDays / closeN : 0);
        v[slots[i]] = x;
    }
}

void mergeComplaintGroups(const std::map<Key, ComplaintGroup>& groups, const ComplaintGroup& all, bool grouped,
                          const std::vector<size_t>& slots, const std::vector<std::string>& codes, size_t measureCount, Partial& out) {
    if (grouped)
        for (const auto& [k, g] : groups) {
            auto& v = out.rows[k];
            if (v.empty()) v.assign(measureCount, 0.0);
            g.fill(codes, slots, v);
        }
    all.fill(codes, slots, out.totals);
}

// Complaint measures need the working-day calendar, so the facts come up row by row and are
// grouped here; core/kpi.h computes the rates exactly as `jiancha kpi` does.
void runComplaints(Database& db, const WorkCalendar& cal, const FindingFilter& f, const std::vector<std::string>& dims,
                   const std::vector<size_t>& slots, const std::vector<std::string>& codes, size_t measureCount, Partial& out) {
    Source src = complaintSourceDef();
    SqlWhere where = complaintFilterSql(complaintSide(f));
    std::string keys;
    // complaints carry no misconduct type: that key is NULL (not set)
    for (const auto& d : dims) keys += dimensionSql(d, src) + ", ";
    auto s = db.prepare("SELECT " + keys + complaintFactColumns() + src.from + where.sql);
    bindAll(s, where.args);
    std::map<Key, ComplaintGroup> groups;
    ComplaintGroup all;
    int n = static_cast<int>(dims.size());
    while (s.step()) {
        Key k;
        for (int i = 0; i < n; ++i) k.push_back(text(s, i));
        ComplaintFacts cf = complaintFactsAt(s, n);
        groups[k].add(cf, cal);
        all.add(cf, cal);
        if (!dims.empty() && groups.size() > kMaxStatsRows)
            throw ValidationError(trf("stats.err_rows", {std::to_string(kMaxStatsRows)}));
    }
    mergeComplaintGroups(groups, all, !dims.empty(), slots, codes, measureCount, out);
}

std::string complaintFactColumns() {
    return "c.status, c.received_at, c.deadline, c.reply_at, (SELECT max(e.at) FROM case_event e WHERE "
           "e.entity = 'complaint' AND e.entity_id = c.id AND e.to_status = 'closed' AND e.deleted = 0)";
}

ComplaintFacts complaintFactsAt(Statement& s, int n) {
    ComplaintFacts cf{text(s, n), chinaDay(text(s, n + 1))};
    if (!s.isNull(n + 2)) cf.deadline = Date::tryParse(s.getText(n + 2));
    if (!s.isNull(n + 3)) cf.repliedOn = chinaDay(s.getText(n + 3));
    if (!s.isNull(n + 4)) cf.closedOn = chinaDay(s.getText(n + 4));
    return cf;
}

// [SECTION] Labels

std::string monthLabel(const std::string& ym) {
    if (ym.size() != 7) return ym;
    return ym.substr(0, 4) + "年" + std::to_string(std::stoi(ym.substr(5, 2))) + "月";
}

std::string labelFor(Database& db, const std::string& dim, const std::string& key,
                     std::map<std::string, std::string>& cache) {
    if (key.empty()) return "（未填）";
    std::string ck = dim + "|" + key;
    if (auto it = cache.find(ck); it != cache.end()) return it->second;
    std::string label = key;
    auto lookup = [&](const char* sql) {
        auto s = db.prepare(sql);
        s.bind(1, key);
        if (s.step() && !s.isNull(0)) label = s.getText(0);
    };
    auto fromList = [&](std::span<const CodeLabel> list) {
        for (const auto& c : list)
            if (key == c.code) label = c.zh;
    };
    if (dim == "county" || dim == "township") lookup("SELECT name FROM region WHERE code = ?");
    else if (dim == "category") fromList(categories());
    else if (dim == "area") fromList(areas());
    else if (dim == "misconduct") fromList(misconductTypes());
    else if (dim == "unit") lookup("SELECT name FROM unit WHERE id = ?");
    else if (dim == "team") lookup("SELECT name FROM team WHERE id = ?");
    else if (dim == "month") label = monthLabel(key);
    else if (dim == "week") label = key.size() == 10 ? key.substr(0, 4) + "年" + std::to_string(std::stoi(key.substr(5, 2))) + "月" +
                                                         std::to_string(std::stoi(key.substr(8, 2))) + "日起一周"
                                                   : key;
    cache[ck] = label;
    return label;
}

std::string yuanDate(const std::string& iso) {
    Date d = Date::parse(iso);
    return std::to_string(d.year) + "年" + std::to_string(d.month) + "月" + std::to_string(d.day) + "日";
}

}  // namespace stats_detail

using namespace stats_detail;

SqlWhere rectificationFilterSql(Database& db, const FindingFilter& f, const Date& today) {
    // Every finding filter applies through the rectification's finding, except the date range,
    // which is the rectification's own (the day it was ordered).
    FindingFilter ff = f;
    ff.dateFrom.clear();
    ff.dateTo.clear();
    SqlWhere w = findingFilterSql(db, ff, today.str());
    w.sql += " AND r.deleted = 0";
    std::string stamp = rectificationSource().stamp;
    if (!f.dateFrom.empty()) w.add(stamp + " >= ?", chinaDayStartUtc(Date::parse(f.dateFrom)));
    if (!f.dateTo.empty()) w.add(stamp + " < ?", chinaDayStartUtc(Date::parse(f.dateTo).plusDays(1)));
    return w;
}

SqlWhere warningFilterSql(const FindingFilter& f) {
    return commonWhere(f, warningSource(), "w.deleted", "coalesce(f.campaign_id, c.campaign_id)");
}

ComplaintFilter complaintSide(const FindingFilter& f) {
    ComplaintFilter c;
    c.campaignId = f.campaignId;
    c.regionPrefix = f.regionPrefix;
    c.category = f.category;
    c.respondentUnitId = f.subjectUnitId;
    c.assignee = f.assignee;
    c.teamId = f.teamId;
    c.dateFrom = f.dateFrom;
    c.dateTo = f.dateTo;
    return c;
}

// [SECTION] computeStatistics

StatsResult computeStatistics(Database& db, const WorkCalendar& cal, const Date& today, const StatsQuery& q, StatsFactCache* cache) {
    if (q.dimensions.size() > kMaxStatsDimensions) throw ValidationError(tr("stats.err_two_dims"));
    for (const auto& d : q.dimensions) findDimension(d);
    if (q.dimensions.size() == 2 && q.dimensions[0] == q.dimensions[1]) throw ValidationError(tr("stats.err_same_dims"));
    std::vector<std::string> codes = q.measures.empty() ? std::vector<std::string>{"findings"} : q.measures;
    const FindingFilter& f = q.filter;
    if (f.dateBasis != "recorded" && f.dateBasis != "accepted")
        throw ValidationError(trf("stats.err_basis", {f.dateBasis}));
    if (!f.dateFrom.empty() && !f.dateTo.empty() && Date::parse(f.dateTo) < Date::parse(f.dateFrom))
        throw ValidationError(trf("stats.err_range", {f.dateTo, f.dateFrom}));

    StatsResult r;
    r.dimensions = q.dimensions;
    r.dateBasis = f.dateBasis;
    for (const auto& c : codes) r.measures.push_back(findMeasure(c));
    size_t m = codes.size();
    Partial p;
    p.totals.assign(m, 0.0);

    // Per source: the aggregate SQL and the measure slot it fills.
    std::vector<std::string> fAgg, rAgg, wAgg, cCodes;
    std::vector<size_t> fSlot, rSlot, wSlot, cSlot;
    for (size_t i = 0; i < m; ++i) {
        switch (r.measures[i].source) {
            case MeasureSource::Findings: fAgg.push_back(findingAggregate(codes[i])), fSlot.push_back(i); break;
            case MeasureSource::Rectifications: rAgg.push_back(rectificationAggregate(codes[i], today.str())), rSlot.push_back(i); break;
            case MeasureSource::Warnings: wAgg.push_back(warningAggregate(codes[i])), wSlot.push_back(i); break;
            case MeasureSource::Complaints: cCodes.push_back(codes[i]), cSlot.push_back(i); break;
        }
    }
    std::shared_ptr<const StatsFacts> facts = cache && StatsFactCache::canAnswer(f) ? cache->facts(db) : nullptr;
    if (facts) {
        aggregateFacts(*facts, cal, today, f, q.dimensions, codes, r.measures, p);
    } else {
        std::string todayStr = today.str();
        if (!fAgg.empty()) runGrouped(db, findingSource(f), findingFilterSql(db, f, todayStr), q.dimensions, fAgg, fSlot, m, p);
        if (!rAgg.empty()) runGrouped(db, rectificationSource(), rectificationFilterSql(db, f, today), q.dimensions, rAgg, rSlot, m, p);
        if (!wAgg.empty()) runGrouped(db, warningSource(), warningFilterSql(f), q.dimensions, wAgg, wSlot, m, p);
        if (!cCodes.empty()) runComplaints(db, cal, f, q.dimensions, cSlot, cCodes, m, p);
    }

    std::map<std::string, std::string> labels;
    for (auto& [k, v] : p.rows) {
        StatsRow row{k, {}, v};
        for (size_t i = 0; i < k.size(); ++i) row.labels.push_back(labelFor(db, q.dimensions[i], k[i], labels));
        r.rows.push_back(std::move(row));
    }
    r.totals = p.totals;

    loadStringTables();
    bool nonFinding = !rAgg.empty() || !wAgg.empty() || !cCodes.empty();
    if (std::find(q.dimensions.begin(), q.dimensions.end(), "misconduct") != q.dimensions.end())
        r.notes.push_back(tr("stats.note_misconduct"));
    if (nonFinding && (!f.status.empty() || !f.severity.empty() || !f.area.empty() || !f.misconductType.empty() ||
                       f.overdueOnly || !f.search.empty()))
        r.notes.push_back(tr("stats.note_filters"));
    if (!cCodes.empty() || !wAgg.empty())
        if (std::find(q.dimensions.begin(), q.dimensions.end(), "area") != q.dimensions.end() ||
            std::find(q.dimensions.begin(), q.dimensions.end(), "misconduct") != q.dimensions.end())
            r.notes.push_back(tr("stats.note_complaint_dims"));
    if (!f.dateFrom.empty() || !f.dateTo.empty() || std::find(q.dimensions.begin(), q.dimensions.end(), "month") != q.dimensions.end() ||
        std::find(q.dimensions.begin(), q.dimensions.end(), "week") != q.dimensions.end())
        r.notes.push_back(trf("stats.note_dates", {tr(f.dateBasis == "accepted" ? "stats.filter_basis_accepted" : "stats.filter_basis_recorded")}));
    if (!cCodes.empty()) r.notes.push_back(tr("stats.note_rates"));
    return r;
}

// [SECTION] Dashboard

const std::vector<std::string>& dashboardTileMeasures() {
    static const std::vector<std::string> m = {"findings",        "severity_high", "amount_owed",  "complaints",
                                               "completion_rate", "on_time_rate",  "rect_overdue", "warnings"};
    return m;
}
const std::vector<std::string>& dashboardRateMeasures() {
    static const std::vector<std::string> m = {"response_rate", "completion_rate", "on_time_rate"};
    return m;
}

namespace {
// The part of `r` with only the measures `codes` (all of which `r` has).
StatsResult project(const StatsResult& r, const std::vector<std::string>& codes) {
    std::vector<size_t> idx;
    for (const auto& c : codes)
        for (size_t i = 0; i < r.measures.size(); ++i)
            if (c == r.measures[i].code) idx.push_back(i);
    StatsResult out;
    out.dimensions = r.dimensions;
    out.dateBasis = r.dateBasis;
    out.notes = r.notes;
    for (size_t i : idx) out.measures.push_back(r.measures[i]), out.totals.push_back(r.totals[i]);
    for (const auto& row : r.rows) {
        StatsRow x{row.keys, row.labels, {}};
        for (size_t i : idx) x.values.push_back(row.values[i]);
        out.rows.push_back(std::move(x));
    }
    return out;
}
}  // namespace

StatsDashboard computeDashboard(Database& db, const WorkCalendar& cal, const Date& today, const FindingFilter& f, bool rankByUnit,
                                const StatsQuery& pivot, StatsFactCache* cache) {
    auto t0 = std::chrono::steady_clock::now();
    StatsDashboard s;
    s.filter = f;
    const auto& tiles = dashboardTileMeasures();
    s.pivotQ = pivot;
    s.pivotQ.filter = f;
    // Fewer scans of 100,000 findings: when the pivot's rows partition the records (no misconduct
    // type), one query gives the pivot and, as its totals, the tiles; the county ranking is the
    // county × category table summed over categories.
    bool partition = !pivot.dimensions.empty() &&
                     std::find(pivot.dimensions.begin(), pivot.dimensions.end(), "misconduct") == pivot.dimensions.end();
    if (partition) {
        StatsQuery both = s.pivotQ;
        if (both.measures.empty()) both.measures.push_back("findings");
        std::vector<std::string> pivotMeasures = both.measures;
        for (const auto& m : tiles)
            if (std::find(both.measures.begin(), both.measures.end(), m) == both.measures.end()) both.measures.push_back(m);
        StatsResult all = computeStatistics(db, cal, today, both, cache);
        s.pivot = project(all, pivotMeasures);
        s.tiles = project(all, tiles);
        s.tiles.rows.clear();
        s.tiles.dimensions.clear();
    } else {
        s.pivot = computeStatistics(db, cal, today, s.pivotQ, cache);
        s.tiles = computeStatistics(db, cal, today, {{}, tiles, f}, cache);
    }
    if (!f.dateFrom.empty() && !f.dateTo.empty()) {
        Date a = Date::parse(f.dateFrom), b = Date::parse(f.dateTo);
        int64_t len = b.days() - a.days() + 1;
        FindingFilter p = f;
        p.dateFrom = a.plusDays(-len).str();
        p.dateTo = a.plusDays(-1).str();
        s.prev = computeStatistics(db, cal, today, {{}, tiles, p}, cache);
        s.hasPrev = true;
        s.prevFrom = p.dateFrom;
        s.prevTo = p.dateTo;
    }
    s.stackedQ = {{"county", "category"}, {"findings"}, f};
    s.stacked = computeStatistics(db, cal, today, s.stackedQ, cache);
    s.rankingQ = {{rankByUnit ? "unit" : "county"}, {"findings"}, f};
    if (rankByUnit) {
        s.ranking = computeStatistics(db, cal, today, s.rankingQ, cache);
    } else {
        s.ranking.dimensions = {"county"};
        s.ranking.measures = {findMeasure("findings")};
        s.ranking.totals = s.stacked.totals;
        s.ranking.dateBasis = s.stacked.dateBasis;
        for (const auto& row : s.stacked.rows) {
            if (s.ranking.rows.empty() || s.ranking.rows.back().keys[0] != row.keys[0])
                s.ranking.rows.push_back({{row.keys[0]}, {row.labels[0]}, {0.0}});
            s.ranking.rows.back().values[0] += row.values[0];
        }
    }
    std::stable_sort(s.ranking.rows.begin(), s.ranking.rows.end(),
                     [](const StatsRow& x, const StatsRow& y) { return x.values[0] > y.values[0]; });
    if (s.ranking.rows.size() > 10) s.ranking.rows.resize(10);
    s.monthlyQ = {{"month"}, {"findings", "complaints"}, f};
    s.monthly = computeStatistics(db, cal, today, s.monthlyQ, cache);
    s.ratesQ = {{"county"}, dashboardRateMeasures(), f};
    s.rates = computeStatistics(db, cal, today, s.ratesQ, cache);
    s.ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    return s;
}

// [SECTION] Drill-down

namespace {
void intersectDates(std::string& from, std::string& to, const Date& a, const Date& b) {
    if (from.empty() || Date::parse(from) < a) from = a.str();
    if (to.empty() || b < Date::parse(to)) to = b.str();
}

void applyKey(FindingFilter& f, const std::string& dim, const std::string& key) {
    if (key.empty()) throw ValidationError(trf("stats.err_empty_cell", {i18n().label(findDimension(dim))}));
    if (dim == "county" || dim == "township") {
        if (f.regionPrefix.size() < key.size()) f.regionPrefix = key;
    } else if (dim == "category") f.category = key;
    else if (dim == "area") f.area = key;
    else if (dim == "misconduct") f.misconductType = key;
    else if (dim == "unit") f.subjectUnitId = key;
    else if (dim == "team") f.teamId = key;
    else if (dim == "inspector") f.assignee = key;
    else if (dim == "month") {
        Date first = Date::parse(key + "-01");
        Date next = first.month == 12 ? Date{first.year + 1, 1, 1} : Date{first.year, first.month + 1, 1};
        intersectDates(f.dateFrom, f.dateTo, first, next.plusDays(-1));
    } else if (dim == "week") {
        Date monday = Date::parse(key);
        intersectDates(f.dateFrom, f.dateTo, monday, monday.plusDays(6));
    } else
        throw ValidationError(trf("stats.err_dimension", {dim}));
}
}  // namespace

FindingFilter drillFindings(const StatsQuery& q, const std::vector<std::string>& keys) {
    FindingFilter f = q.filter;
    for (size_t i = 0; i < keys.size() && i < q.dimensions.size(); ++i) applyKey(f, q.dimensions[i], keys[i]);
    return f;
}

ComplaintFilter drillComplaints(const StatsQuery& q, const std::vector<std::string>& keys) {
    for (size_t i = 0; i < keys.size() && i < q.dimensions.size(); ++i)
        if (q.dimensions[i] == "area" || q.dimensions[i] == "misconduct")
            throw ValidationError(trf("stats.err_complaint_dim", {i18n().label(findDimension(q.dimensions[i]))}));
    return complaintSide(drillFindings(q, keys));
}

// [SECTION] Formatting

std::string withThousands(int64_t n) {
    std::string digits = std::to_string(n < 0 ? -n : n), out;
    for (size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return n < 0 ? "-" + out : out;
}

std::string formatWanYuan(double fen, int decimals) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, fen / 1'000'000.0);
    return buf;
}

std::string formatMeasure(const MeasureInfo& m, double v) {
    char buf[64];
    switch (m.kind) {
        case MeasureKind::Count: return withThousands(static_cast<int64_t>(std::llround(v)));
        case MeasureKind::Money: return formatWanYuan(v);
        case MeasureKind::Rate: std::snprintf(buf, sizeof buf, "%.1f%%", v); return buf;
        case MeasureKind::Days: std::snprintf(buf, sizeof buf, "%.1f", v); return buf;
    }
    return {};
}

std::string describeFilter(Database& db, const FindingFilter& f) {
    loadStringTables();
    std::vector<std::string> parts;
    auto lookup = [&](const char* sql, const std::string& key) {
        auto s = db.prepare(sql);
        s.bind(1, key);
        return s.step() && !s.isNull(0) ? s.getText(0) : key;
    };
    auto label = [](std::span<const CodeLabel> list, const std::string& code) { return std::string(codeLabel(list, code)); };
    auto date = [](const std::string& iso) { return i18n().english() ? iso : yuanDate(iso); };
    if (!f.campaignId.empty()) parts.push_back(trf("stats.filter_campaign", {lookup("SELECT title FROM campaign WHERE id = ?", f.campaignId)}));
    if (!f.dateFrom.empty() || !f.dateTo.empty())
        parts.push_back(trf("stats.filter_period",
                            {f.dateFrom.empty() ? std::string(tr("stats.filter_open_start")) : date(f.dateFrom),
                             f.dateTo.empty() ? std::string(tr("stats.filter_open_end")) : date(f.dateTo),
                             tr(f.dateBasis == "accepted" ? "stats.filter_basis_accepted" : "stats.filter_basis_recorded")}));
    if (!f.regionPrefix.empty())
        parts.push_back(trf("stats.filter_region", {lookup("SELECT name FROM region WHERE code = ?", f.regionPrefix)}));
    if (!f.status.empty()) parts.push_back(trf("stats.filter_status", {label(statuses(Machine::Finding), f.status)}));
    if (!f.category.empty()) parts.push_back(trf("stats.filter_category", {label(categories(), f.category)}));
    if (!f.area.empty()) parts.push_back(trf("stats.filter_area", {label(areas(), f.area)}));
    if (!f.severity.empty()) parts.push_back(trf("stats.filter_severity", {label(severities(), f.severity)}));
    if (!f.misconductType.empty()) parts.push_back(trf("stats.filter_misconduct", {label(misconductTypes(), f.misconductType)}));
    if (!f.subjectUnitId.empty())
        parts.push_back(trf("stats.filter_unit", {lookup("SELECT name FROM unit WHERE id = ?", f.subjectUnitId)}));
    if (!f.teamId.empty()) parts.push_back(trf("stats.filter_team", {lookup("SELECT name FROM team WHERE id = ?", f.teamId)}));
    if (!f.assignee.empty()) parts.push_back(trf("stats.filter_assignee", {f.assignee}));
    if (f.overdueOnly) parts.push_back(tr("stats.filter_overdue"));
    if (!f.search.empty()) parts.push_back(trf("stats.filter_search", {f.search}));
    if (parts.empty()) return tr("stats.filter_all");
    std::string out;
    for (const auto& p : parts) out += (out.empty() ? "" : tr("stats.filter_sep")) + p;
    return out;
}

}  // namespace jc
