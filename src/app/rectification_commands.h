#pragma once
// Rectification (整改) and efficiency-warning (效能告诫) commands. Ordering a rectification
// moves its finding to rectification_ordered; verifying it on site marks the finding rectified.
#include <string>

#include "app/context.h"

namespace jc {

// Orders a rectification of an accepted finding. `deadline` is a date, or empty with
// `workdays` > 0 to count working days from today. Returns the rectification id.
std::string orderRectification(AppContext& ctx, const std::string& findingId, const std::string& requiredAction,
                               const std::string& responsibleUnitId, const std::string& deadline, int workdays = 0);
void reportRectification(AppContext& ctx, const std::string& id, const std::string& progressNote);
void verifyRectification(AppContext& ctx, const std::string& id, const std::string& note);
void rejectRectification(AppContext& ctx, const std::string& id, const std::string& comment);
// Marks every open rectification past its deadline as overdue; returns how many changed.
int markOverdueRectifications(AppContext& ctx);

struct WarningInput {
    std::string targetPersonId, targetUnitId;  // at least one
    std::string reason;
    std::string level = "warning";             // reminder | warning | serious
    std::string linkedEntity, linkedId;        // the finding, complaint or approval record behind it
};
std::string issueWarning(AppContext& ctx, const WarningInput& in);
void acknowledgeWarning(AppContext& ctx, const std::string& id);

}  // namespace jc
