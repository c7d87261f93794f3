#pragma once
// Efficiency evaluation (行政效能评估) for headquarters: commands on `evaluation` records and the
// read models the GUI, the CLI and the exports show. The arithmetic is core/evaluation.h; the raw
// values come from the store with the definitions of core/kpi.h (response, on-time rates), so an
// evaluation and the statistics agree on the same complaints.
//
// Life of an evaluation: HQ adds a draft (scheme + campaign + period), enters manual scores, runs
// it (raw values → scores, ranks, grades stored in the draft) and publishes it: publishing copies
// the run into a new record with status "published" and version n + 1 for that campaign and
// period, marks the previous published version "superseded" (kept, still readable), and that
// copy is what syncs to the leads. Published records are never changed again except for that
// status. Editing the scheme or a manual score clears the draft's run, so nothing stale is
// published. Only hq_admin runs these commands (the server checks it again).
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "app/context.h"
#include "core/evaluation.h"

namespace jc {

// [SECTION] Commands (hq_admin)

// The scheme a new evaluation starts from in the GUI: every computed indicator with its default
// rule, weights 20/20/15/10/10/10/15. (The CLI takes a file.)
Json defaultSchemeJson();

// Adds a draft; `scheme` is the JSON core/evaluation.h parseScheme() reads (its "units" may name
// units by id or name). Returns the draft's id.
std::string addEvaluation(AppContext& ctx, const std::string& campaignId, const std::string& period,
                          const std::string& title, const Json& scheme);
void updateEvaluationScheme(AppContext& ctx, const std::string& id, const Json& scheme);
// A manual indicator's score (0–100) for one unit, with a note (who judged, how).
void setManualScore(AppContext& ctx, const std::string& id, const std::string& indicatorCode, const std::string& unit,
                    double score, const std::string& note);
// Computes the draft's results from the records as of today and stores them.
void runEvaluation(AppContext& ctx, const std::string& id);
// Publishes a run draft; returns the id of the published version.
std::string publishEvaluation(AppContext& ctx, const std::string& id);

// [SECTION] Read models

struct EvaluationSummary {
    std::string id, title, period, campaignId, campaignTitle, status, runAt, publishedAt, publishedBy, sourceId;
    int version = 0;
    int units = 0;
};

struct EvaluationDetail {
    EvaluationSummary summary;
    EvaluationScheme scheme;
    std::vector<UnitResult> results;  // by rank; empty before the first run
    Json manual = Json::object();     // indicator code → unit id → {score, note}
};

// HQ sees drafts and every version; other roles only what was published to them.
std::vector<EvaluationSummary> listEvaluations(Database& db, bool includeDrafts);
EvaluationDetail loadEvaluation(Database& db, const std::string& id);  // throws NotFoundError
// Live evaluations whose id is `token` or ends in it as the 12-character short id the lists
// show. At most two: two tell the short id is ambiguous.
std::vector<std::string> evaluationIdsMatching(Database& db, const std::string& idOrShortId);
Json evaluationToJson(const EvaluationDetail& d);

// What to show for a case behind a figure: its title (finding, complaint), required action
// (rectification) or reason (warning); "" when the case is not on this device.
std::vector<std::string> caseTitles(Database& db, const std::vector<CaseLink>& cases);

// The unit id of an id or an exact unit name; throws NotFoundError.
std::string resolveUnit(Database& db, const std::string& idOrName);

// On-time approval figures of one unit (电子监察, app/esup_queries.h): the rate's numerator and
// denominator and the approval records behind them.
struct ApprovalFigures {
    int onTime = 0, counted = 0;
    std::vector<std::string> ids;
};

// The raw values of every indicator for the evaluated units (the scheme's list, else the
// departments and township governments with cases of the campaign in the period), with the cases
// behind each figure. `asOf` closes open questions (is a rectification overdue yet).
std::vector<UnitRaw> gatherEvaluationRaw(Database& db, const EvaluationScheme& scheme, const std::string& campaignId,
                                         const PeriodRange& period, const Json& manual, const Date& asOf,
                                         const std::map<std::string, ApprovalFigures>& approvals = {});

}  // namespace jc
