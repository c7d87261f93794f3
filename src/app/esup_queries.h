#pragma once
// 电子监察 read models and the warning it proposes.
//  - light of an open record: red when today is past its deadline; yellow when at most 20% of
//    its promised working days, or at most one working day, remain; else green. A finished record
//    is "done" (on time) or "late" (finished after the deadline: it counts against the unit).
//  - on-time approval rate per unit (an evaluation indicator): finished on time / (finished +
//    open past the deadline), over the records received in the period.
//  - a red record proposes a 效能告诫 to its unit, pre-filled; issuing it links the warning to
//    the approval record (one warning per record: a second is refused).
#include <optional>
#include <string>
#include <vector>

#include "app/context.h"
#include "app/rectification_commands.h"

namespace jc {

struct ApprovalRow {
    std::string id, caseNumber, itemName, unitName, unitId, applicant, receivedAt, deadline, finishedAt, status;
    int promisedWorkdays = 0;
    int workdaysLeft = 0;   // open records: working days to the deadline (negative when overdue)
    std::string light;      // green | yellow | red | done | late
    std::string byRule;     // e.g. "2027 按规则推算" when the deadline counts a year computed by rule
    std::string warningId;  // the warning issued for it, if any
};

struct ApprovalFilter {
    std::string light;  // "" = all, or red | yellow | green | done | late | open
    std::string unitName;
    int limit = 10'000, offset = 0;
};

// Sorted red first, then yellow, green, late, done; within each by deadline.
std::vector<ApprovalRow> listApprovals(AppContext& ctx, const ApprovalFilter& f = {});
// The live approval record with id or case number (办件编号) `token`; nullopt when there is none.
std::optional<std::string> findApprovalId(Database& db, const std::string& idOrCaseNumber);
// The card of a light for people: 红牌 / Red, 黄牌, 正常, 超期办结, 按期办结 (current language).
const char* approvalLightLabel(const std::string& light);
std::string approvalLight(const WorkCalendar& cal, const Date& today, const std::string& deadline, int promised,
                          const std::string& finishedAt, int* workdaysLeft = nullptr);

struct ApprovalCounts {
    int total = 0, open = 0, red = 0, yellow = 0, green = 0, done = 0, late = 0, redUnwarned = 0;
};
ApprovalCounts approvalCounts(AppContext& ctx);

struct UnitOnTimeRate {
    std::string unitId, unitName;
    int finished = 0, onTime = 0, late = 0, openOverdue = 0;
    double rate = 0;  // onTime / (finished + openOverdue); 0 when that is 0
};
// Records whose received date (China time) lies in [from, to]; empty dates = unbounded.
std::vector<UnitOnTimeRate> approvalOnTimeRates(AppContext& ctx, const std::string& from = {},
                                                const std::string& to = {});

// The warning a red record proposes; throws ValidationError when the record is not red or was
// already warned, NotFoundError when it does not exist.
WarningInput proposeApprovalWarning(AppContext& ctx, const std::string& approvalId);
// Issues the proposed warning (HQ or a lead) and returns its id.
std::string issueApprovalWarning(AppContext& ctx, const std::string& approvalId,
                                 const std::string& reasonOverride = {});

}  // namespace jc
