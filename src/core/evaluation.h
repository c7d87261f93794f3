#pragma once
// Efficiency evaluation (行政效能评估, DESIGN.md §2 and §7): a scheme of weighted indicators per
// campaign and period, and the pure arithmetic that turns each unit's raw values into scores,
// a weighted total, a rank and a grade. The app layer gathers the raw values from the records
// (app/evaluation_facts.h); this file decides nothing about SQL, so the GUI, the CLI and the
// tests score the same way.
//
// Rules kept here:
//  - weights are positive and sum to exactly 100 (within 1e-6), else the scheme is refused with
//    a message listing them;
//  - each indicator says how its raw value becomes a 0–100 score:
//      linear: 100 · (raw − floor) / (target − floor), clamped to 0–100. floor > target scores
//              an indicator where less is better (overdue rectifications, warnings);
//      rank:   among the evaluated units that have a raw value, best = 100, worst = 0, linear in
//              between by rank (ties share the better rank: competition ranking 1, 1, 3);
//  - a unit with no raw value for an indicator (no complaints, so no response rate) gets the
//    indicator's `if_empty` score (default 100: nothing to hold against it) and the breakdown
//    says so;
//  - total = Σ score × weight / 100, rounded to 0.01; units are ranked by total (ties share the
//    rank) and graded by the scheme's thresholds: ≥ excellent 优秀, ≥ good 良好, ≥ fair 一般,
//    else 较差.
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/dates.h"
#include "core/entities.h"

namespace jc {

// [SECTION] Indicator catalogue

// What a computed indicator measures. Rates are percentages (0–100); counts are counts.
struct IndicatorSource {
    const char* code;
    const char* zh;
    const char* en;
    const char* unit;    // "%", "件", "分"
    bool higherBetter;   // default direction of a rank rule
    const char* definition;  // how it is computed, shown next to it
};

// complaint_response_rate, on_time_rate, rectification_completion_rate, rectifications_overdue,
// warnings_received, satisfaction, findings_weighted, approval_on_time_rate (电子监察), manual.
std::span<const IndicatorSource> indicatorSources();
const IndicatorSource* findIndicatorSource(std::string_view code);
// Weight of a finding's severity in findings_weighted: low 1, medium 2, high 3, critical 5.
double severityWeight(std::string_view severity);

// [SECTION] Scheme

enum class ScoringKind { Linear, Rank };

struct ScoringRule {
    ScoringKind kind = ScoringKind::Linear;
    double floor = 0, target = 100;  // linear only
    bool higherBetter = true;        // rank only
    double ifEmpty = 100;            // score of a unit with no raw value
};

struct Indicator {
    std::string code;    // unique in the scheme; = source for computed ones
    std::string source;  // a code of indicatorSources()
    std::string label;   // shown name (manual ones: 群众评议, 明察暗访 …)
    double weight = 0;
    ScoringRule rule;
};

struct GradeThresholds {
    double excellent = 90, good = 80, fair = 60;
};

struct EvaluationScheme {
    std::vector<Indicator> indicators;
    GradeThresholds grades;
    std::vector<std::string> units;  // picked unit ids; empty = subject units with cases in the period
};

// Reads a scheme from JSON ({"indicators": [...], "grades": {...}, "units": [...]}), filling
// each indicator's label and rule from the catalogue where omitted. Throws ValidationError with
// a message a user can act on (unknown source, duplicate code, weights not summing to 100 …).
EvaluationScheme parseScheme(const Json& j);
Json schemeToJson(const EvaluationScheme& s);  // the shape parseScheme() reads, every rule explicit

// "线性 60→100" / "linear 60→100", "排名（高者优）" / "rank (higher is better)".
std::string describeRule(const ScoringRule& r, bool zh);

// [SECTION] Periods

struct PeriodRange {
    Date first, last;  // inclusive
};
// "2026" (year), "2026-H2" (half), "2026-Q4" (quarter), "2026-11" (month). Throws ValidationError.
PeriodRange parsePeriod(const std::string& period);

// [SECTION] Scoring

// A case behind a figure ("finding" | "complaint" | "rectification" | "warning", id).
struct CaseLink {
    std::string entity, id;
};
inline constexpr size_t kMaxCasesPerFigure = 500;  // cases kept with one figure (the count stays exact)

struct RawValue {
    std::optional<double> value;  // nullopt: nothing to measure (no cases)
    std::string detail;           // how it was obtained, e.g. "12/15 已回复"
    std::vector<CaseLink> cases;
};

struct UnitRaw {
    std::string unitId, unitName;
    std::vector<RawValue> raw;  // one per scheme indicator, in scheme order
};

struct IndicatorScore {
    std::optional<double> raw;
    std::string detail;
    std::vector<CaseLink> cases;
    double score = 0;     // 0–100
    double weighted = 0;  // score × weight / 100
    bool empty = false;   // scored by if_empty
};

struct UnitResult {
    std::string unitId, unitName;
    std::vector<IndicatorScore> items;  // scheme order
    double total = 0;
    int rank = 0;
    std::string grade;  // excellent | good | fair | poor
};

// Scores and ranks the units (result sorted by rank, then name). Throws ValidationError when a
// unit's raw list does not match the scheme.
std::vector<UnitResult> scoreUnits(const EvaluationScheme& scheme, const std::vector<UnitRaw>& units);
std::string gradeFor(double total, const GradeThresholds& g);
const char* gradeLabel(std::string_view grade, bool zh);  // 优秀 良好 一般 较差

Json resultsToJson(const std::vector<UnitResult>& results);
std::vector<UnitResult> resultsFromJson(const Json& j);

}  // namespace jc
