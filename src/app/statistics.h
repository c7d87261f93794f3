#pragma once
// Headquarters statistics: measures × up to two dimensions × the lists' own filters. One API for
// the 统计分析 view, `jiancha stats`, the exports and the circular, so their numbers agree.
//
// Rules the numbers keep:
// - The filter is the findings list's FindingFilter (app/queries.h). Finding measures count
//   exactly the rows countFindings() counts under it; drillFindings()/drillComplaints() turn a
//   cell back into the list filter that shows those rows (tests/unit/statistics_test.cpp).
// - Complaints, rectifications and warnings take the parts of the filter that apply to them:
//   campaign, region prefix, category, subject unit (the complaint's respondent, the
//   rectification's responsible unit, the warning's target unit), assignee and team, and the date
//   range by their own date (received, ordered, issued). Rectifications also take every finding
//   filter through their finding. Status, severity, area, misconduct type, overdue and search are
//   finding filters only; a result lists such limits in `notes`.
// - A finding with several misconduct types counts once under each of them (rows then add up to
//   more than the total; `notes` says so). Totals are always counted directly, never summed.
// - Money is integer fen; rates are percentages 0–100; average days are working days.
// - The store holds only what its user may see (a lead's store their team's work, HQ's all),
//   so no further scoping happens here, as in the lists.
#include <optional>
#include <string>
#include <vector>

#include "app/queries.h"
#include "core/calendar.h"
#include "core/domain.h"

namespace jc {

enum class MeasureKind { Count, Money, Rate, Days };
enum class MeasureSource { Findings, Complaints, Rectifications, Warnings };

struct MeasureInfo {
    const char* code;
    const char* zh;
    const char* en;
    MeasureKind kind;
    MeasureSource source;
};
const std::vector<MeasureInfo>& statsMeasures();
const MeasureInfo& findMeasure(const std::string& code);  // throws ValidationError listing the codes
// county, township, category, area, misconduct, unit, team, inspector, month, week
std::span<const CodeLabel> statsDimensions();
const CodeLabel& findDimension(const std::string& code);  // throws ValidationError

inline constexpr size_t kMaxStatsDimensions = 2;
inline constexpr size_t kMaxStatsRows = 20'000;  // a result larger than this is refused (pick a coarser dimension)

struct StatsQuery {
    std::vector<std::string> dimensions;  // 0–2 dimension codes
    std::vector<std::string> measures;    // measure codes; empty = {"findings"}
    FindingFilter filter;                 // limit, offset, sort and search paging are ignored
};

struct StatsRow {
    std::vector<std::string> keys;    // one per dimension: region code, category code, unit id, month "2026-05", week's Monday …; "" = not set
    std::vector<std::string> labels;  // in Chinese: 甘州区, 拖欠农民工工资, 2026年5月 …; "（未填）" for ""
    std::vector<double> values;       // one per measure
};

struct StatsResult {
    std::vector<std::string> dimensions;
    std::vector<MeasureInfo> measures;
    std::vector<StatsRow> rows;       // ordered by keys (time and region codes ascending)
    std::vector<double> totals;       // over the whole filter, counted directly
    std::vector<std::string> notes;   // 说明 lines (multi-valued dimension, filters that did not apply …)
    std::string dateBasis;            // recorded | accepted (findings' date for the range and the month/week)
};

class StatsFactCache;  // app/statistics_facts.h
// With a cache, the counting runs over its in-memory facts (loaded again whenever the store
// changed) instead of SQL; the numbers are the same (tests/unit/statistics_facts_test.cpp).
StatsResult computeStatistics(Database& db, const WorkCalendar& cal, const Date& today, const StatsQuery& q,
                              StatsFactCache* cache = nullptr);

// [SECTION] The 统计分析 view's figures in one call (the view runs it off the frame; the benchmark
// times it): headline measures for the period and for the previous period of the same length,
// the ranking by county (or unit, top 10), county × category, findings and complaints per month,
// the three complaint rates per county, and the pivot table.
struct StatsDashboard {
    FindingFilter filter;
    StatsResult tiles, prev;
    bool hasPrev = false;
    std::string prevFrom, prevTo;
    StatsQuery rankingQ, stackedQ, monthlyQ, ratesQ, pivotQ;
    StatsResult ranking, stacked, monthly, rates, pivot;
    double ms = 0;  // time to compute it all
};
const std::vector<std::string>& dashboardTileMeasures();
const std::vector<std::string>& dashboardRateMeasures();
StatsDashboard computeDashboard(Database& db, const WorkCalendar& cal, const Date& today, const FindingFilter& f, bool rankByUnit,
                                const StatsQuery& pivot, StatsFactCache* cache = nullptr);

// The list filters showing the records behind a cell (keys as in StatsRow; fewer keys = a margin).
// A "" key (not set) cannot be drilled into: throws ValidationError.
FindingFilter drillFindings(const StatsQuery& q, const std::vector<std::string>& keys);
ComplaintFilter drillComplaints(const StatsQuery& q, const std::vector<std::string>& keys);
// The complaint side of a findings filter (what computeStatistics applies to complaints).
ComplaintFilter complaintSide(const FindingFilter& f);

// The rectifications and warnings under a findings filter, as counted above (exports use them).
// CROSS JOIN keeps rectifications the outer loop (few of them, each finding found by id).
inline constexpr const char* kRectificationFrom = " FROM rectification r CROSS JOIN finding f ON f.id = r.finding_id";
inline constexpr const char* kWarningFrom =
    " FROM warning w LEFT JOIN finding f ON w.linked_entity = 'finding' AND f.id = w.linked_id "
    "LEFT JOIN complaint c ON w.linked_entity = 'complaint' AND c.id = w.linked_id";
SqlWhere rectificationFilterSql(Database& db, const FindingFilter& f, const Date& today);
SqlWhere warningFilterSql(const FindingFilter& f);

// Display helpers shared by the CLI, the view and the reports.
std::string formatWanYuan(double fen, int decimals = 2);  // 12345678 fen -> "12.35" (万元)
std::string formatMeasure(const MeasureInfo& m, double v); // counts "1,234", money in 万元, rates "87.5%", days "6.2"
std::string withThousands(int64_t n);
// A Chinese title for a filter: "2026年张掖市行政效能专项监察 · 2026-01-01至2026-06-30（按录入日期） · 状态：已采纳"
std::string describeFilter(Database& db, const FindingFilter& f);

}  // namespace jc
