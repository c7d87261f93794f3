#pragma once
// Focus monitoring (重点监控, 倾向性问题; DESIGN.md §2 and §7): rules with thresholds HQ sets, and
// the pure evaluation that raises flags from plain facts about complaints, findings and
// rectifications. The app layer reads the facts and the stored rules (app/monitoring.h); every
// flag carries its numbers and the cases behind it, so "why" is always answerable.
//
// Rule kinds and their parameters (defaults in brackets):
//  - unit_complaints        a unit with ≥ min_complaints [5] complaints received in the last days [30];
//  - repeated_findings      a unit with ≥ min_findings [3] findings of one category in the last days [180];
//  - rising_category        a category (findings + complaints) whose count in the last days [30] rose
//                           ≥ rise_pct [50] % against the days before, with ≥ min_cases [5] now
//                           (none before counts as a rise when min_cases is reached);
//  - overdue_rectifications a unit with open rectifications ≥ min_workdays [5] working days overdue;
//  - handler_response       a handler (assignee, else first-contact handler) whose response rate over
//                           complaints received in the last days [90] is below below_pct [60] %,
//                           with ≥ min_complaints [3] complaints. Response rate as core/kpi.h defines it.
// Windows are whole days ending today: (today − days, today].
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/calendar.h"
#include "core/dates.h"
#include "core/entities.h"
#include "core/evaluation.h"

namespace jc {

struct MonitorRule {
    std::string id;    // the monitor_rule record; "" for a default not yet stored
    std::string kind;  // see above
    bool enabled = true;
    Json params = Json::object();
};

std::vector<std::string> monitorRuleKinds();
// The rule of this kind with its default thresholds.
MonitorRule defaultMonitorRule(const std::string& kind);
// Merges `params` over the kind's defaults and checks them (known names, integer ≥ 1, percentages
// 0–1000). Throws ValidationError naming the parameter.
Json checkedMonitorParams(const std::string& kind, const Json& params);

// [SECTION] Facts

struct MonComplaint {
    std::string id, unitId, category, handler;
    Date received;
    bool replied = false;
    std::string status;
};
struct MonFinding {
    std::string id, unitId, category;
    Date created;
};
struct MonRectification {  // open ones (ordered or overdue)
    std::string id, unitId;
    Date deadline;
};
struct MonitorFacts {
    std::vector<MonComplaint> complaints;
    std::vector<MonFinding> findings;  // submitted or later; not drafts, not dismissed
    std::vector<MonRectification> openRectifications;
    std::map<std::string, std::string> unitNames;  // id → name
};

// [SECTION] Flags

struct MonitorFlag {
    std::string rule;         // rule kind
    std::string subjectKind;  // unit | category | handler
    std::string subject;      // unit id, category code or handler name
    std::string subjectName;  // unit name, category label or handler name
    Json numbers = Json::object();  // the figures behind the flag (count, days, rise_pct …)
    std::vector<CaseLink> cases;
};

// Flags in rule order, then by subject. Disabled rules raise nothing.
std::vector<MonitorFlag> evaluateMonitoring(const std::vector<MonitorRule>& rules, const MonitorFacts& facts,
                                            const WorkCalendar& cal, const Date& today);
// Why, in words with the numbers: "近30天收到投诉7件（阈值5件）".
std::string describeFlag(const MonitorFlag& f, bool zh);
std::string describeMonitorRule(const MonitorRule& r, bool zh);
Json flagToJson(const MonitorFlag& f);

}  // namespace jc
