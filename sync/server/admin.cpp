#include "sync/server/admin.h"

#include "core/i18n.h"
#include "core/dates.h"
#include "core/error.h"
#include "core/uuid.h"
#include "sync/server/apply.h"
#include "sync/server/auth.h"

namespace jc::server {

Admin::Admin(ServerStorage& storage) : m_storage(storage) {}

std::string Admin::teamId(StorageTx& tx, const std::string& nameOrId) {
    if (isUuid(nameOrId))
        if (auto r = tx.record("team", nameOrId)) return r->id;
    for (const auto& t : tx.records("team"))
        if (t.text("name") == nameOrId && t.value("deleted") != Json(true)) return t.id;
    throw NotFoundError(trf("server.err_no_team", {nameOrId}));
}

std::string Admin::addTeam(const std::string& name, const Json& regionScope) {
    auto tx = m_storage.write();
    for (const auto& t : tx->records("team"))
        if (t.text("name") == name && t.value("deleted") != Json(true))
            throw ValidationError(trf("server.err_team_exists", {name}));
    std::string id = newUuidV7();
    Applier(*tx, m_clock).writeServerChange("team", id, {{"name", name}, {"region_scope", regionScope}}, kAdminAuthor);
    tx->commit();
    return id;
}

std::string Admin::addUser(const std::string& name, Role role, const std::string& team, const Json& regionScope,
                           const std::string& displayName) {
    auto tx = m_storage.write();
    std::string tid = team.empty() ? std::string() : teamId(*tx, team);
    if (tid.empty() && role != Role::HqAdmin)
        throw UsageError(trf("server.err_needs_team", {roleLabel(role)}));
    Json f = {{"name", name}, {"role", roleCode(role)}, {"region_scope", regionScope}};
    f["team_id"] = tid.empty() ? Json(nullptr) : Json(tid);
    if (!displayName.empty()) f["display_name"] = displayName;
    std::string id = newUuidV7();
    Applier(*tx, m_clock).writeServerChange("user", id, f, kAdminAuthor);
    tx->commit();
    return id;
}

std::string Admin::addCampaign(const CampaignSpec& spec) {
    auto tx = m_storage.write();
    Json cats = Json::array(), areasJson = Json::array(), teams = Json::array();
    for (const auto& c : spec.categories) cats.push_back(findCode(categories(), c, "category").code);
    for (const auto& a : spec.areas) areasJson.push_back(findCode(areas(), a, "supervision area").code);
    for (const auto& t : spec.teams) teams.push_back(teamId(*tx, t));
    Json f = {{"title", spec.title}, {"status", "active"}, {"categories", cats},
              {"areas", areasJson},  {"team_ids", teams},  {"complaint_deadline_days", spec.complaintDeadlineDays}};
    if (!spec.numberPrefix.empty()) f["number_prefix"] = spec.numberPrefix;
    if (!spec.periodStart.empty()) f["period_start"] = spec.periodStart;
    if (!spec.periodEnd.empty()) f["period_end"] = spec.periodEnd;
    std::string id = newUuidV7();
    Applier(*tx, m_clock).writeServerChange("campaign", id, f, kAdminAuthor);
    tx->commit();
    return id;
}

std::string Admin::addTemplate(const std::string& category, const std::string& title, int version, const Json& fields) {
    auto tx = m_storage.write();
    std::string code = findCode(categories(), category, "category").code;
    std::string id = newUuidV7();
    Applier(*tx, m_clock)
        .writeServerChange("form_template", id,
                           {{"category", code}, {"title", title}, {"version", version}, {"fields", fields}},
                           kAdminAuthor);
    tx->commit();
    return id;
}

std::string Admin::enrollCode(const std::string& userName, double ttlHours) {
    if (!(ttlHours > 0) || ttlHours > kMaxEnrollTtlHours)
        throw UsageError(trf("server.err_ttl", {std::to_string(static_cast<int>(kMaxEnrollTtlHours))}));
    auto tx = m_storage.write();
    auto acct = tx->accountByName(userName);
    if (!acct || acct->deleted) throw NotFoundError(trf("server.err_no_user", {userName}));
    std::string code = newEnrollCode();
    int64_t now = nowMillis();
    tx->putEnrollCode(EnrollCode{hashSecret(normalizeEnrollCode(code)), acct->userId, isoTimestamp(now),
                                 now + static_cast<int64_t>(ttlHours * 3600 * 1000), "", ""});
    tx->commit();
    return code;
}

void Admin::revokeDevice(const std::string& deviceId) {
    auto tx = m_storage.write();
    auto d = tx->device(deviceId);
    if (!d) throw NotFoundError(trf("server.err_no_device", {deviceId}));
    if (d->revokedAt.empty()) {
        d->revokedAt = nowIso();
        tx->updateDevice(*d);
    }
    tx->commit();
}

std::vector<Account> Admin::users() {
    return m_storage.read()->accounts();
}
std::vector<Device> Admin::devices() {
    return m_storage.read()->devices();
}
std::vector<Record> Admin::records(const std::string& entity) {
    return m_storage.read()->records(entity);
}

std::string Admin::teamName(const std::string& id) {
    if (id.empty()) return "-";
    auto r = m_storage.read()->record("team", id);
    return r ? r->text("name") : id;
}

}  // namespace jc::server
