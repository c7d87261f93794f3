#include "sync/server/policy.h"

#include "core/error.h"
#include "core/region_scope.h"
#include "core/workflow.h"
#include "sync/protocol/protocol.h"

namespace jc::server {

namespace {
bool isOneOf(std::string_view v, std::initializer_list<std::string_view> list) {
    for (auto x : list)
        if (v == x) return true;
    return false;
}
[[noreturn]] void forbid(const std::string& message, std::string detail = {}, Json params = Json::object()) {
    throw Rejection(proto::reason::kForbidden, message, std::move(detail), std::move(params));
}
}  // namespace

std::string fieldText(const Json& fields, const char* name) {
    auto it = fields.find(name);
    return it != fields.end() && it->is_string() ? it->get<std::string>() : std::string();
}

bool isSharedEntity(std::string_view e) {
    return isOneOf(e, {"unit", "person", "campaign", "form_template", "evaluation", "calendar_year", "monitor_rule", "focus"});
}

bool isAdminEntity(std::string_view e) {
    return isOneOf(e, {"user", "team", "campaign", "form_template", "evaluation", "approval", "calendar_year", "monitor_rule",
                       "focus"});
}

std::string teamOfRegion(StorageTx& tx, const std::string& regionCode) {
    if (regionCode.empty()) return {};
    std::string best;
    size_t bestLen = 0;
    for (const Record& t : tx.records("team")) {
        if (t.value("deleted") == true) continue;
        const Json& scope = t.value("region_scope");
        if (!scope.is_array()) continue;
        for (const auto& code : scope) {
            if (!code.is_string() || code.get<std::string>().empty()) continue;
            if (!regionInScope(regionCode, Json::array({code}))) continue;
            size_t len = normaliseRegionCode(code.get<std::string>()).size();
            if (len > bestLen || (len == bestLen && t.id < best)) best = t.id, bestLen = len;
        }
    }
    return best;
}

std::optional<std::pair<std::string, std::string>> ownerRef(std::string_view entity, const Json& f) {
    std::string e, id;
    if (entity == "evidence") {
        e = fieldText(f, "owner_entity");
        id = fieldText(f, "owner_id");
    } else if (isOneOf(entity, {"comment", "case_event", "conflict"})) {
        e = fieldText(f, "entity");
        id = fieldText(f, "entity_id");
    } else if (entity == "rectification") {
        e = "finding";
        id = fieldText(f, "finding_id");
    } else if (entity == "warning") {
        e = fieldText(f, "linked_entity");
        id = fieldText(f, "linked_id");
    }
    if (e.empty() || id.empty() || e == entity) return std::nullopt;
    return std::make_pair(e, id);
}

void assignScope(Record& r, const Json& fields, const Record* owner, const std::string& creatorTeam) {
    if (r.entity == "evaluation" && !isOneOf(fieldText(fields, "status"), {"published", "superseded"})) {
        // HQ's working draft: a team record of no team, which only HQ sees. Leads get the
        // published copies, created as shared records when HQ publishes.
        r.scope = kScopeTeam;
        r.teamId.clear();
    } else if (isSharedEntity(r.entity)) {
        r.scope = kScopeShared;
        r.teamId.clear();
    } else if (r.entity == "team") {
        r.scope = kScopeTeam;
        r.teamId = r.id;
    } else if (r.entity == "user") {
        r.scope = kScopeTeam;
        r.teamId = fieldText(fields, "team_id");
    } else {
        r.scope = kScopeTeam;
        r.teamId = owner && owner->scope == kScopeTeam ? owner->teamId : creatorTeam;
    }
}

void authorizeWrite(const Account& who, Role role, const Record& target, bool creating, const Json& fields) {
    if (role == Role::HqAdmin) return;
    const std::string& e = target.entity;
    std::string roleName(roleCode(role));
    if (isAdminEntity(e)) forbid("only hq_admin may change " + e + " records; " + who.name + " is " + roleName);
    if (target.scope == kScopeShared) return;  // unit, person
    if (who.teamId.empty()) forbid(who.name + " belongs to no team and so may not write " + e + " records");
    if (target.teamId != who.teamId)
        forbid(e + " " + target.id + " belongs to another team; " + who.name +
               " may only write records of their own team");
    if (e == "conflict") {
        if (creating) forbid("conflict records are created by the server, not by devices");
        if (role == Role::Inspector) forbid("only a team lead or HQ may resolve conflicts");
        for (auto it = fields.begin(); it != fields.end(); ++it)
            if (!isOneOf(it.key(), {"resolution", "resolved_value", "resolved_by", "resolved_at"}))
                forbid("a conflict's field '" + it.key() + "' is written by the server; leads may only resolve it");
        // The resolution names who decided: it must be the pushing user, so the record cannot claim
        // that someone else (a lead of another team, HQ) made the decision.
        if (auto by = fields.find("resolved_by"); by != fields.end() && !by->is_null() && *by != who.name)
            forbid("a conflict resolution must be recorded under the resolving user's own name (" + who.name + ")");
        if (auto res = fields.find("resolution"); res != fields.end() && !res->is_null() &&
                                                  !isOneOf(fieldText(fields, "resolution"), {"kept_winner", "kept_loser", "custom"}))
            throw Rejection(proto::reason::kInvalid, "conflict.resolution must be kept_winner, kept_loser or custom");
    }
    if (!creating && role == Role::Inspector && fields.contains("time_suspect") && fields["time_suspect"] == false)
        forbid("only a team lead or HQ may correct a date flagged 时间存疑 (recorded on a laptop with a wrong clock)");
    if (creating && role == Role::Inspector && (e == "warning" || e == "rectification"))
        forbid(e == "warning" ? "only a team lead or HQ may issue an efficiency warning (效能告诫)"
                              : "only a team lead or HQ may order a rectification (整改)");
    if (e == "finding" && fields.contains("official_number") &&
        fields["official_number"] != target.value("official_number"))
        forbid("official_number is assigned by the server when a finding is accepted");
}

void checkStatusChange(std::string_view entity, Role role, bool creating, const std::string& current,
                       const Json& fields, bool commentGiven) {
    if (!isOneOf(entity, {"finding", "complaint", "rectification"})) return;
    auto it = fields.find("status");
    if (it == fields.end() || !it->is_string()) return;
    Machine m = machineFor(entity);
    std::string from = creating ? std::string(initialStatus(m)) : current;
    std::string to = it->get<std::string>();
    if (to == from) return;
    const Transition* t = findTransitionTo(m, from, to);
    if (!t)
        throw Rejection(proto::reason::kIllegalTransition,
                        std::string(entity) + " cannot go from '" + from + "' to '" + to + "' (no such step in the " +
                            std::string(machineName(m)) + " workflow)",
                        proto::detail::kNoSuchStep, {{"entity", entity}, {"from", from}, {"to", to}});
    if (!(t->roles & roleBit(role)))
        forbid("a " + std::string(roleCode(role)) + " may not " + t->action + " a " + std::string(entity) + " ('" +
                   from + "' → '" + to + "')",
               proto::detail::kRoleMayNot,
               {{"role", roleCode(role)}, {"action", t->action}, {"entity", entity}, {"from", from}, {"to", to}});
    if (t->needsComment && !commentGiven)
        throw Rejection(proto::reason::kInvalid,
                        std::string("to ") + t->action + " a " + std::string(entity) +
                            " needs a comment: the case event with it must come in the same push",
                        proto::detail::kNeedsComment, {{"action", t->action}, {"entity", entity}});
}

}  // namespace jc::server
