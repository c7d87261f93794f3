#include "sync/server/admin.h"

#include <map>

#include "core/i18n.h"
#include "core/dates.h"
#include "core/error.h"
#include "core/utf8.h"
#include "core/uuid.h"
#include "sync/server/apply.h"
#include "sync/server/auth.h"

namespace jc::server {

namespace {

constexpr size_t kMaxNameChars = 64;

size_t utf8Length(const std::string& s) {
    size_t n = 0;
    for (size_t i = 0; i < s.size(); ++n) decodeUtf8(s, i);
    return n;
}

void checkName(const std::string& name, const char* what) {
    if (isBlank(name)) throw ValidationError(std::string(what) + " must not be empty");
    if (!isValidUtf8(name)) throw ValidationError(std::string(what) + " is not valid UTF-8 text");
    if (utf8Length(name) > kMaxNameChars)
        throw ValidationError(std::string(what) + " may have at most " + std::to_string(kMaxNameChars) + " characters");
}

// A region scope is a JSON array of GB/T 2260 codes (2, 4, 6 or 9 digits).
void checkRegionScope(const Json& scope) {
    if (!scope.is_array()) throw ValidationError(tr("server.err_scope_list"));
    for (const auto& c : scope) {
        std::string code = c.is_string() ? c.get<std::string>() : std::string();
        bool digits = !code.empty() && code.find_first_not_of("0123456789") == std::string::npos;
        size_t n = code.size();
        if (!digits || !(n == 2 || n == 4 || n == 6 || n == 9))
            throw ValidationError(trf("server.err_scope_code", {c.is_string() ? code : c.dump()}));
    }
}

std::string codeId(const std::string& codeHash) { return codeHash.substr(0, 16); }

}  // namespace

Admin::Admin(ServerStorage& storage, AuditActor actor) : m_storage(storage), m_actor(std::move(actor)) {}

Account Admin::account(StorageTx& tx, const std::string& nameOrId) {
    if (auto a = tx.accountById(nameOrId)) return *a;
    if (auto a = tx.accountByName(nameOrId)) return *a;
    throw NotFoundError(trf("server.err_no_user", {nameOrId}));
}

std::string Admin::teamId(StorageTx& tx, const std::string& nameOrId) {
    if (isUuid(nameOrId))
        if (auto r = tx.record("team", nameOrId)) return r->id;
    for (const auto& t : tx.records("team"))
        if (t.text("name") == nameOrId && t.value("deleted") != Json(true)) return t.id;
    throw NotFoundError(trf("server.err_no_team", {nameOrId}));
}

std::string Admin::addTeam(const std::string& name, const Json& regionScope) {
    checkName(name, "a team's name");
    checkRegionScope(regionScope);
    auto tx = m_storage.write();
    for (const auto& t : tx->records("team"))
        if (t.text("name") == name && t.value("deleted") != Json(true))
            throw ValidationError(trf("server.err_team_exists", {name}));
    std::string id = newUuidV7();
    Applier(*tx, m_clock).writeServerChange("team", id, {{"name", name}, {"region_scope", regionScope}}, kAdminAuthor);
    appendServerAudit(*tx, m_actor, "team_add", "team", id, {{"name", name}, {"region_scope", regionScope}});
    tx->commit();
    return id;
}

std::string Admin::addUser(const std::string& name, Role role, const std::string& team, const Json& regionScope,
                           const std::string& displayName) {
    checkName(name, "a user's name");
    checkRegionScope(regionScope);
    auto tx = m_storage.write();
    if (tx->accountByName(name)) throw ValidationError(trf("server.err_user_exists", {name}));
    std::string tid = team.empty() ? std::string() : teamId(*tx, team);
    if (tid.empty() && role != Role::HqAdmin)
        throw UsageError(trf("server.err_needs_team", {roleLabel(role)}));
    Json f = {{"name", name}, {"role", roleCode(role)}, {"region_scope", regionScope}};
    f["team_id"] = tid.empty() ? Json(nullptr) : Json(tid);
    if (!displayName.empty()) f["display_name"] = displayName;
    std::string id = newUuidV7();
    Applier(*tx, m_clock).writeServerChange("user", id, f, kAdminAuthor);
    appendServerAudit(*tx, m_actor, "user_add", "user", id, f);
    tx->commit();
    return id;
}

std::string Admin::updateUser(const std::string& user, const UserUpdate& change) {
    if (change.regionScope) checkRegionScope(*change.regionScope);
    if (change.displayName && utf8Length(*change.displayName) > kMaxNameChars)
        throw ValidationError(trf("server.err_display_name", {std::to_string(kMaxNameChars)}));
    auto tx = m_storage.write();
    Account a = account(*tx, user);
    bool enabling = change.disabled && !*change.disabled;
    if (a.deleted && !enabling && (change.role || change.team || change.regionScope || change.displayName))
        throw ValidationError(trf("server.err_user_disabled", {a.name}));
    Json f = Json::object();
    std::string role = change.role ? std::string(roleCode(*change.role)) : a.role;
    std::string tid = a.teamId;
    if (change.team) tid = change.team->empty() ? std::string() : teamId(*tx, *change.team);
    if (tid.empty() && role != roleCode(Role::HqAdmin))
        throw ValidationError(trf("server.err_needs_team", {role}));
    if (change.role && role != a.role) f["role"] = role;
    if (change.team && tid != a.teamId) f["team_id"] = tid.empty() ? Json(nullptr) : Json(tid);
    if (change.regionScope && *change.regionScope != a.regionScope) f["region_scope"] = *change.regionScope;
    if (change.displayName) f["display_name"] = *change.displayName;
    if (change.disabled && *change.disabled != a.deleted) f["deleted"] = *change.disabled;
    if (f.empty()) return a.userId;  // nothing changes, nothing to record
    if (m_actor.name == a.name && f.contains("deleted") && f["deleted"] == Json(true))
        throw ValidationError(tr("server.err_disable_self"));
    Applier(*tx, m_clock).writeServerChange("user", a.userId, f, kAdminAuthor);
    std::string action = f.contains("deleted") ? (f["deleted"] == Json(true) ? "user_disable" : "user_enable") : "user_update";
    Json detail = f;
    detail["name"] = a.name;
    appendServerAudit(*tx, m_actor, action, "user", a.userId, detail);
    tx->commit();
    return a.userId;
}

std::string Admin::addCampaign(const CampaignSpec& spec) {
    checkName(spec.title, "a campaign's title");
    if (spec.complaintDeadlineDays < 1 || spec.complaintDeadlineDays > 365)
        throw ValidationError(tr("server.err_deadline_days"));
    if (!spec.periodStart.empty() && !spec.periodEnd.empty() && spec.periodEnd < spec.periodStart)
        throw ValidationError(tr("server.err_campaign_dates"));
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
    appendServerAudit(*tx, m_actor, "campaign_add", "campaign", id, {{"title", spec.title}});
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
    appendServerAudit(*tx, m_actor, "template_add", "form_template", id,
                      {{"category", code}, {"title", title}, {"version", version}});
    tx->commit();
    return id;
}

std::string Admin::enrollCode(const std::string& userName, double ttlHours) {
    return issueEnrollCode(userName, ttlHours).code;
}

IssuedCode Admin::issueEnrollCode(const std::string& user, double ttlHours) {
    if (!(ttlHours > 0) || ttlHours > kMaxEnrollTtlHours)
        throw UsageError(trf("server.err_ttl", {std::to_string(static_cast<int>(kMaxEnrollTtlHours))}));
    auto tx = m_storage.write();
    Account acct = account(*tx, user);
    if (acct.deleted) throw ValidationError(trf("server.err_user_disabled", {acct.name}));
    IssuedCode out;
    out.code = newEnrollCode();
    int64_t now = nowMillis();
    out.expiresAtMs = now + static_cast<int64_t>(ttlHours * 3600 * 1000);
    std::string hash = hashSecret(normalizeEnrollCode(out.code));
    out.id = codeId(hash);
    tx->putEnrollCode(EnrollCode{hash, acct.userId, isoTimestamp(now), out.expiresAtMs, "", ""});
    appendServerAudit(*tx, m_actor, "enroll_code_issue", "enroll_code", out.id,
                      {{"user", acct.name}, {"expires_at", isoTimestamp(out.expiresAtMs)}});
    tx->commit();
    return out;
}

std::vector<EnrollCodeInfo> Admin::enrollCodes() {
    auto tx = m_storage.read();
    std::map<std::string, std::string> names;
    for (const auto& a : tx->accounts()) names[a.userId] = a.name;
    int64_t now = nowMillis();
    std::vector<EnrollCodeInfo> out;
    for (const auto& c : tx->enrollCodes()) {
        EnrollCodeInfo i{codeId(c.codeHash), c.userId, names.count(c.userId) ? names[c.userId] : c.userId,
                         c.createdAt, c.expiresAtMs, c.usedAt, c.deviceId, ""};
        i.state = !c.usedAt.empty() ? "used" : c.expiresAtMs <= now ? "expired" : "active";
        out.push_back(std::move(i));
    }
    return out;
}

void Admin::expireEnrollCode(const std::string& id) {
    if (id.size() != 16 || id.find_first_not_of("0123456789abcdef") != std::string::npos)
        throw ValidationError(tr("server.err_code_id"));
    auto tx = m_storage.write();
    for (const auto& c : tx->enrollCodes()) {
        if (codeId(c.codeHash) != id) continue;
        if (!c.usedAt.empty()) throw ValidationError(tr("server.err_code_used"));
        int64_t now = nowMillis();
        if (c.expiresAtMs > now) {
            tx->setEnrollCodeExpiry(c.codeHash, now);
            appendServerAudit(*tx, m_actor, "enroll_code_expire", "enroll_code", id, nullptr);
        }
        tx->commit();
        return;
    }
    throw NotFoundError(trf("server.err_no_code", {id}));
}

void Admin::revokeDevice(const std::string& deviceId) {
    auto tx = m_storage.write();
    auto d = tx->device(deviceId);
    if (!d) throw NotFoundError(trf("server.err_no_device", {deviceId}));
    if (d->revokedAt.empty()) {
        d->revokedAt = nowIso();
        tx->updateDevice(*d);
        std::string owner = d->userId;
        if (auto a = tx->accountById(d->userId)) owner = a->name;
        appendServerAudit(*tx, m_actor, "device_revoke", "device", d->id, {{"name", d->name}, {"user", owner}});
    }
    tx->commit();
}

std::vector<Account> Admin::users() {
    return m_storage.read()->accounts();
}
std::vector<Device> Admin::devices() {
    return m_storage.read()->devices();
}
std::vector<AuditRecord> Admin::audit(int64_t afterSeq, int limit) {
    return m_storage.read()->auditAfter(afterSeq, limit);
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
