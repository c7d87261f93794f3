#pragma once
// Focus monitoring (重点监控) for headquarters: the stored rules (one monitor_rule record per
// kind, HQ's thresholds; kinds with no record use core/monitoring.h's defaults), the flags they
// raise on the store's records today, and the units or categories HQ puts under focus (focus
// records: synced to every team, shown on their home screen, lifted with a note). Writing rules
// and focus records is HQ's alone; the server checks it again.
#include <string>
#include <vector>

#include "app/context.h"
#include "core/monitoring.h"

namespace jc {

// Every rule kind, stored or default, in the order of monitorRuleKinds().
std::vector<MonitorRule> loadMonitorRules(Database& db);
// Sets a rule's thresholds (merged over the stored ones) and whether it is on. Returns the record id.
std::string setMonitorRule(AppContext& ctx, const std::string& kind, const Json& params, bool enabled);

MonitorFacts gatherMonitorFacts(Database& db);
std::vector<MonitorFlag> runMonitoring(Database& db, const WorkCalendar& cal, const Date& today);

struct FocusRow {
    std::string id, subjectKind, unitId, category, subjectName, reason, status, placedBy, placedAt, liftedBy, liftedAt,
        liftNote;
    Json flag;  // the flag that led to it, when there was one
};

// Puts a unit (by id or name) or a category (code or label) under focus with a reason, optionally
// keeping the flag behind it. Refused when the same subject is already under focus.
std::string placeUnderFocus(AppContext& ctx, const std::string& subjectKind, const std::string& subject,
                            const std::string& reason, const Json& flag = nullptr);
void liftFocus(AppContext& ctx, const std::string& id, const std::string& note);
std::vector<FocusRow> listFocus(Database& db, bool activeOnly);
Json focusToJson(const FocusRow& f);

}  // namespace jc
