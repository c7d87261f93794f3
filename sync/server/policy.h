#pragma once
// Who may see and write what (DESIGN.md §2 "who may do what", §4 "every pushed change is checked
// against the user's role and scope"). One place for the rules, used by the apply logic:
//
//  - hq_admin sees and writes everything;
//  - reference records (unit, person, campaign, form_template, evaluation, monitor_rule, focus) are
//    "shared": everyone sees them; unit and person may be written by any role (inspectors record
//    them on site), the others only by hq_admin. An evaluation created as a draft is HQ's alone
//    (a team record of no team); only published evaluations are shared with the teams;
//  - team and user records are written only by hq_admin; a team record is seen by its members,
//    a user record by the members of the user's team and by the user;
//  - case records (finding, complaint, rectification, warning, evidence, comment, case_event,
//    conflict) belong to a team: the team of their owner record for children (evidence, comment,
//    case_event, conflict, rectification, warning linked to a case), else the creator's team,
//    fixed when the server first sees the record. Inspectors and leads write only their team's;
//  - only leads and HQ order rectifications, issue warnings and resolve conflicts; conflict
//    records are created by the server only, and a lead (of the record's team, like any case
//    record) writes only their resolution fields: resolution one of kept_winner | kept_loser |
//    custom, resolved_by the lead's own name; official_number is assigned by the server;
//  - approval records (电子监察, imported by HQ) are written only by hq_admin and belong to the team
//    whose region scope contains the record's region_code (the most specific such scope; none =
//    only HQ sees it), fixed when the server first sees the record; calendar_year records (a
//    year's published holiday arrangement) are shared with everyone and written only by hq_admin;
//  - a status change of finding / complaint / rectification must be a transition of
//    core/workflow.h open to the user's role.
// Region scope limits where a user may record findings and complaints (region_scope.h); what
// a user sees is still decided by team.
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

#include "core/domain.h"
#include "core/entities.h"
#include "sync/server/storage.h"

namespace jc::server {

// A permanent refusal of one pushed change (becomes a "rejected" result with this reason).
struct Rejection : std::runtime_error {
    Rejection(std::string reason, const std::string& message, std::string detail = {}, Json params = Json::object())
        : std::runtime_error(message), reason(std::move(reason)), detail(std::move(detail)), params(std::move(params)) {}
    std::string reason;
    std::string detail;  // proto::detail:: code, "" when none
    Json params;         // its parameters
};

// A string member of pushed fields; "" when absent or not a string.
std::string fieldText(const Json& fields, const char* name);

// unit, person, campaign, form_template, evaluation, calendar_year, monitor_rule, focus
bool isSharedEntity(std::string_view entity);
// user, team, campaign, form_template, evaluation, approval, calendar_year, monitor_rule, focus
bool isAdminEntity(std::string_view entity);

// The team whose region scope most specifically contains `regionCode` ("" when none does):
// where an approval record of that region is seen.
std::string teamOfRegion(StorageTx& tx, const std::string& regionCode);

// The (entity, id) a case record belongs to, read from its fields; nullopt when it has none.
std::optional<std::pair<std::string, std::string>> ownerRef(std::string_view entity, const Json& fields);

// Visibility of a record the server sees for the first time. `owner` is the owner record if known.
void assignScope(Record& r, const Json& fields, const Record* owner, const std::string& creatorTeam);

// Throws Rejection(forbidden) unless the user may write these fields of this record.
void authorizeWrite(const Account& who, Role role, const Record& target, bool creating, const Json& fields);

// Throws Rejection(illegal_transition | forbidden | invalid) unless a status change is a legal
// transition for this role, and, when the transition needs a comment (return, dismiss, reply …),
// `commentGiven`: the push carries the case event with that comment (the app layer writes the
// status and its event in one transaction, and the client never splits them across pushes).
// `current` is the stored status ("" when creating).
void checkStatusChange(std::string_view entity, Role role, bool creating, const std::string& current,
                       const Json& fields, bool commentGiven);

}  // namespace jc::server
