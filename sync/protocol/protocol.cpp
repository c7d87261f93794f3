#include "sync/protocol/protocol.h"

namespace jc::proto {

namespace {

const Json& member(const Json& j, const char* name, std::string_view where) {
    if (!j.is_object()) throw ProtocolError(std::string(where) + " must be a JSON object");
    auto it = j.find(name);
    if (it == j.end()) throw ProtocolError(std::string(where) + "." + name + " is missing");
    return *it;
}

std::string reqString(const Json& j, const char* name, std::string_view where, size_t maxLen = 4000,
                      bool allowEmpty = false) {
    const Json& v = member(j, name, where);
    if (!v.is_string()) throw ProtocolError(std::string(where) + "." + name + " must be a string, got " + v.dump());
    const auto& s = v.get_ref<const std::string&>();
    if (!allowEmpty && s.empty()) throw ProtocolError(std::string(where) + "." + name + " must not be empty");
    if (s.size() > maxLen)
        throw ProtocolError(std::string(where) + "." + name + " is longer than " + std::to_string(maxLen) + " bytes");
    return s;
}

std::string optString(const Json& j, const char* name, std::string_view where, size_t maxLen = 4000) {
    if (!j.is_object()) throw ProtocolError(std::string(where) + " must be a JSON object");
    auto it = j.find(name);
    if (it == j.end() || it->is_null()) return {};
    return reqString(j, name, where, maxLen, true);
}

int64_t reqInt(const Json& j, const char* name, std::string_view where, int64_t min = 0) {
    const Json& v = member(j, name, where);
    if (!v.is_number_integer())
        throw ProtocolError(std::string(where) + "." + name + " must be an integer, got " + v.dump());
    int64_t n = v.get<int64_t>();
    if (n < min) throw ProtocolError(std::string(where) + "." + name + " must be at least " + std::to_string(min));
    return n;
}

bool optBool(const Json& j, const char* name, std::string_view where) {
    auto it = j.find(name);
    if (it == j.end() || it->is_null()) return false;
    if (!it->is_boolean()) throw ProtocolError(std::string(where) + "." + name + " must be true or false");
    return it->get<bool>();
}

const Json& reqObject(const Json& j, const char* name, std::string_view where) {
    const Json& v = member(j, name, where);
    if (!v.is_object()) throw ProtocolError(std::string(where) + "." + name + " must be a JSON object");
    return v;
}

const Json& reqArray(const Json& j, const char* name, std::string_view where) {
    const Json& v = member(j, name, where);
    if (!v.is_array()) throw ProtocolError(std::string(where) + "." + name + " must be a JSON array");
    return v;
}

Json versionsOf(const Json& fields, int64_t seq) {
    Json v = Json::object();
    for (auto it = fields.begin(); it != fields.end(); ++it) v[it.key()] = seq;
    return v;
}

}  // namespace

// [SECTION] Versions

VersionVerdict checkVersions(std::optional<int> protocol, std::optional<int> schema) {
    if (!protocol || !schema) return VersionVerdict::TooOld;
    if (*protocol < kMinProtocol || *schema < kMinSchema) return VersionVerdict::TooOld;
    if (*protocol > kMaxProtocol || *schema > kMaxSchema) return VersionVerdict::TooNew;
    return VersionVerdict::Ok;
}

std::string versionMessage(VersionVerdict v, std::optional<int> protocol, std::optional<int> schema) {
    auto show = [](std::optional<int> n) { return n ? std::to_string(*n) : std::string("none"); };
    std::string speaks = "this client speaks protocol " + show(protocol) + " and schema " + show(schema) +
                         "; the server accepts protocol " + std::to_string(kMinProtocol) + "-" +
                         std::to_string(kMaxProtocol) + " and schema " + std::to_string(kMinSchema) + "-" +
                         std::to_string(kMaxSchema) + ".";
    switch (v) {
        case VersionVerdict::TooOld:
            return "The Jiancha client is too old for this server: " + speaks +
                   " Please update the client (安装新版客户端) before syncing again; local data is kept.";
        case VersionVerdict::TooNew:
            return "The Jiancha client is newer than this server: " + speaks +
                   " Ask headquarters to upgrade the server (请联系市局升级服务器); local data is kept.";
        case VersionVerdict::Ok:
            break;
    }
    return "versions are compatible";
}

namespace {
// Entities and fields that schema 2 added. Evaluation records existed in schema 1 as an unused
// four-field shape; the ones HQ writes now carry fields schema 1 refuses, so they are schema 2's.
constexpr std::string_view kSchema2Entities[] = {"approval", "calendar_year", "evaluation", "monitor_rule", "focus"};
constexpr std::string_view kSchema2Fields[] = {"device_time", "time_suspect"};
}  // namespace

bool entityKnownAtSchema(std::string_view entity, int schema) {
    if (schema >= 2) return true;
    for (auto e : kSchema2Entities)
        if (e == entity) return false;
    return true;
}

bool fieldKnownAtSchema(std::string_view entity, std::string_view field, int schema) {
    if (!entityKnownAtSchema(entity, schema)) return false;
    if (schema >= 2) return true;
    for (auto f : kSchema2Fields)
        if (f == field) return false;
    return true;
}

Json supportedVersions() {
    return {{"protocol", {{"min", kMinProtocol}, {"max", kMaxProtocol}}},
            {"schema", {{"min", kMinSchema}, {"max", kMaxSchema}}}};
}

std::string_view statusCode(ChangeStatus s) {
    switch (s) {
        case ChangeStatus::Applied:
            return "applied";
        case ChangeStatus::AppliedWithConflict:
            return "applied_with_conflict";
        case ChangeStatus::Duplicate:
            return "duplicate";
        case ChangeStatus::Rejected:
            return "rejected";
    }
    return "rejected";
}

ChangeStatus parseChangeStatus(std::string_view s) {
    if (s == "applied") return ChangeStatus::Applied;
    if (s == "applied_with_conflict") return ChangeStatus::AppliedWithConflict;
    if (s == "duplicate") return ChangeStatus::Duplicate;
    if (s == "rejected") return ChangeStatus::Rejected;
    throw ProtocolError("unknown change status '" + std::string(s) + "'");
}

// [SECTION] To JSON

Json toJson(const UserInfo& v) {
    return {{"id", v.id},
            {"name", v.name},
            {"role", v.role},
            {"team_id", v.teamId.empty() ? Json(nullptr) : Json(v.teamId)},
            {"region_scope", v.regionScope.is_array() ? v.regionScope : Json::array()}};
}

Json toJson(const EnrollRequest& v) {
    Json j = {{"code", v.code}, {"device_name", v.deviceName}};
    if (!v.deviceId.empty()) j["device_id"] = v.deviceId;
    return j;
}

Json toJson(const EnrollResponse& v) {
    Json j = {{"device_id", v.deviceId}, {"token", v.token}, {"user", toJson(v.user)}};
    if (!v.hqPublicKey.empty()) j["hq_public_key"] = v.hqPublicKey;
    return j;
}

Json toJson(const WhoAmI& v) {
    return {{"user", toJson(v.user)},
            {"device", {{"id", v.deviceId}, {"name", v.deviceName}}},
            {"scope_epoch", v.scopeEpoch},
            {"server_time", v.serverTime}};
}

Json toJson(const ChangeResult& v) {
    Json j = {{"seq", v.seq}, {"change_id", v.changeId}, {"status", statusCode(v.status)}};
    if (!v.reason.empty()) j["reason"] = v.reason;
    if (!v.message.empty()) j["message"] = v.message;
    if (!v.detail.empty()) j["detail"] = v.detail;
    if (!v.params.empty()) j["params"] = v.params;
    if (v.serverSeq) j["server_seq"] = v.serverSeq;
    if (!v.versions.empty()) j["versions"] = v.versions;
    if (!v.conflicts.empty()) {
        Json cs = Json::array();
        for (const auto& c : v.conflicts)
            cs.push_back({{"field", c.field}, {"outcome", c.won ? "won" : "lost"}, {"conflict_id", c.conflictId}});
        j["conflicts"] = std::move(cs);
    }
    if (!v.serverValues.empty()) j["server_values"] = v.serverValues;
    if (v.originalStatus) j["original_status"] = statusCode(*v.originalStatus);
    return j;
}

Json toJson(const PushResponse& v) {
    Json rs = Json::array();
    for (const auto& r : v.results) rs.push_back(toJson(r));
    return {{"last_seq", v.lastSeq}, {"results", std::move(rs)}};
}

// [SECTION] From JSON

UserInfo userInfoFromJson(const Json& j) {
    UserInfo u;
    u.id = reqString(j, "id", "user", kMaxIdLength);
    u.name = reqString(j, "name", "user", 100);
    u.role = reqString(j, "role", "user", 20);
    u.teamId = optString(j, "team_id", "user", kMaxIdLength);
    if (auto it = j.find("region_scope"); it != j.end() && it->is_array()) u.regionScope = *it;
    return u;
}

EnrollRequest enrollRequestFromJson(const Json& j) {
    EnrollRequest r;
    r.code = reqString(j, "code", "enroll", 64);
    r.deviceName = reqString(j, "device_name", "enroll", 200);
    r.deviceId = optString(j, "device_id", "enroll", kMaxIdLength);
    if (!r.deviceId.empty() && !isSafeId(r.deviceId))
        throw ProtocolError("enroll.device_id may contain only letters, digits, '-', '_' and '.'");
    return r;
}

EnrollResponse enrollResponseFromJson(const Json& j) {
    EnrollResponse r;
    r.deviceId = reqString(j, "device_id", "enroll response", kMaxIdLength);
    r.token = reqString(j, "token", "enroll response", 200);
    r.user = userInfoFromJson(member(j, "user", "enroll response"));
    if (j.contains("hq_public_key") && !j["hq_public_key"].is_null()) r.hqPublicKey = reqString(j, "hq_public_key", "enroll response", 200);
    return r;
}

namespace {
// Checks every member of `j`, then moves the field maps out of `source` (the same JSON value).
Change readChange(const Json& j, Json& source) {
    Change c;
    c.changeId = reqString(j, "change_id", "change", kMaxIdLength);
    c.seq = reqInt(j, "seq", "change", 1);
    std::string where = "change " + std::to_string(c.seq);
    c.entity = reqString(j, "entity", where, 40);
    c.entityId = reqString(j, "entity_id", where, kMaxIdLength);
    reqObject(j, "fields", where);
    bool hasBase = false;
    if (auto it = j.find("base_versions"); it != j.end() && !it->is_null()) {
        if (!it->is_object()) throw ProtocolError(where + ".base_versions must be a JSON object");
        for (auto b = it->begin(); b != it->end(); ++b)
            if (!b->is_number_integer() || b->get<int64_t>() < 0)
                throw ProtocolError(where + ".base_versions." + b.key() + " must be a non-negative integer");
        hasBase = true;
    }
    c.hlc = reqString(j, "hlc", where, 100);
    c.userId = reqString(j, "user_id", where, 100);
    c.fields = std::move(source["fields"]);
    if (hasBase) c.baseVersions = std::move(source["base_versions"]);
    return c;
}

PushRequest readPush(const Json& j, Json& source) {
    PushRequest p;
    p.deviceId = reqString(j, "device_id", "push", kMaxIdLength);
    p.dbIncarnation = reqString(j, "db_incarnation", "push", kMaxIdLength);
    if (!isSafeId(p.dbIncarnation))
        throw ProtocolError("push.db_incarnation may contain only letters, digits, '-', '_' and '.'");
    reqArray(j, "changes", "push");
    Json& changes = source["changes"];
    const Json& cs = j["changes"];
    p.changes.reserve(cs.size());
    for (size_t i = 0; i < cs.size(); ++i) p.changes.push_back(readChange(cs[i], changes[i]));
    return p;
}
}  // namespace

PushRequest pushRequestFromJson(Json&& j) {
    return readPush(j, j);
}

Json toJson(const Change& v) {
    return {{"change_id", v.changeId}, {"seq", v.seq},       {"entity", v.entity}, {"entity_id", v.entityId},
            {"fields", v.fields},      {"base_versions", v.baseVersions}, {"hlc", v.hlc},       {"user_id", v.userId}};
}

Json toJson(const PushRequest& v) {
    Json changes = Json::array();
    for (const auto& c : v.changes) changes.push_back(toJson(c));
    return {{"device_id", v.deviceId}, {"db_incarnation", v.dbIncarnation}, {"changes", std::move(changes)}};
}

namespace {
// Appends `v` as a JSON string literal (RFC 8259 escaping; UTF-8 passes through).
void appendJsonString(std::string& out, std::string_view v) {
    static const char* hex = "0123456789abcdef";
    out += '"';
    for (unsigned char c : v) {
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                if (c < 0x20) {
                    out += "\\u00";
                    out += hex[c >> 4];
                    out += hex[c & 15];
                } else {
                    out += static_cast<char>(c);
                }
        }
    }
    out += '"';
}
}  // namespace

PushBodyWriter::PushBodyWriter(const std::string& deviceId, const std::string& dbIncarnation) {
    m_body = "{\"device_id\":";
    appendJsonString(m_body, deviceId);
    m_body += ",\"db_incarnation\":";
    appendJsonString(m_body, dbIncarnation);
    m_body += ",\"changes\":[";
}

void PushBodyWriter::add(const std::string& changeId, int64_t seq, const std::string& entity, const std::string& entityId,
                         std::string_view fieldsJson, std::string_view baseVersionsJson, const std::string& hlc,
                         const std::string& userId) {
    m_beforeLast = m_body.size();
    if (m_count++) m_body += ',';
    m_body += "{\"change_id\":";
    appendJsonString(m_body, changeId);
    m_body += ",\"seq\":";
    m_body += std::to_string(seq);
    m_body += ",\"entity\":";
    appendJsonString(m_body, entity);
    m_body += ",\"entity_id\":";
    appendJsonString(m_body, entityId);
    m_body += ",\"fields\":";
    m_body += fieldsJson.empty() ? std::string_view("{}") : fieldsJson;
    m_body += ",\"base_versions\":";
    m_body += baseVersionsJson.empty() ? std::string_view("{}") : baseVersionsJson;
    m_body += ",\"hlc\":";
    appendJsonString(m_body, hlc);
    m_body += ",\"user_id\":";
    appendJsonString(m_body, userId);
    m_body += '}';
}

void PushBodyWriter::add(const Change& c) {
    add(c.changeId, c.seq, c.entity, c.entityId, c.fields.dump(), c.baseVersions.dump(), c.hlc, c.userId);
}

void PushBodyWriter::dropLast() {
    if (m_count == 0) return;
    m_body.resize(m_beforeLast);
    --m_count;
}

std::string PushBodyWriter::finish() {
    m_body += "]}";
    return std::move(m_body);
}

ChangeResult changeResultFromJson(const Json& j) {
    ChangeResult r;
    r.seq = reqInt(j, "seq", "result", 1);
    r.changeId = optString(j, "change_id", "result", kMaxIdLength);
    r.status = parseChangeStatus(reqString(j, "status", "result", 40));
    r.reason = optString(j, "reason", "result", 40);
    r.message = optString(j, "message", "result");
    r.detail = optString(j, "detail", "result", 40);
    if (j.contains("params")) r.params = reqObject(j, "params", "result");
    if (j.contains("server_seq")) r.serverSeq = reqInt(j, "server_seq", "result");
    if (j.contains("versions")) r.versions = reqObject(j, "versions", "result");
    if (j.contains("server_values")) r.serverValues = reqObject(j, "server_values", "result");
    if (j.contains("conflicts")) {
        for (const auto& c : reqArray(j, "conflicts", "result")) {
            FieldConflict fc;
            fc.field = reqString(c, "field", "result.conflicts", 100);
            fc.won = reqString(c, "outcome", "result.conflicts", 10) == "won";
            fc.conflictId = optString(c, "conflict_id", "result.conflicts", kMaxIdLength);
            r.conflicts.push_back(std::move(fc));
        }
    }
    if (j.contains("original_status"))
        r.originalStatus = parseChangeStatus(reqString(j, "original_status", "result", 40));
    return r;
}

PushResponse pushResponseFromJson(const Json& j) {
    PushResponse p;
    p.lastSeq = reqInt(j, "last_seq", "push response");
    for (const auto& r : reqArray(j, "results", "push response")) p.results.push_back(changeResultFromJson(r));
    return p;
}

PulledChange pulledChangeFromJson(const Json& j) {
    PulledChange c;
    c.serverSeq = reqInt(j, "server_seq", "pulled change", 1);
    c.entity = reqString(j, "entity", "pulled change", 40);
    c.entityId = reqString(j, "entity_id", "pulled change", kMaxIdLength);
    c.fields = reqObject(j, "fields", "pulled change");
    c.versions = j.contains("versions") ? reqObject(j, "versions", "pulled change") : versionsOf(c.fields, c.serverSeq);
    c.author = optString(j, "author", "pulled change", 100);
    c.deviceId = optString(j, "device_id", "pulled change", kMaxIdLength);
    c.hlc = optString(j, "hlc", "pulled change", 100);
    return c;
}

PullResponse pullResponseFromJson(const Json& j) {
    PullResponse p;
    for (const auto& c : reqArray(j, "changes", "pull response")) p.changes.push_back(pulledChangeFromJson(c));
    p.nextCursor = reqInt(j, "next_cursor", "pull response");
    p.hasMore = optBool(j, "has_more", "pull response");
    if (j.contains("scope_epoch")) p.scopeEpoch = reqInt(j, "scope_epoch", "pull response");
    p.reset = optBool(j, "reset", "pull response");
    return p;
}

Json errorBody(std::string_view code, std::string_view message) {
    return {{"error", std::string(code)}, {"message", std::string(message)}};
}

Json parseBody(std::string_view body) {
    if (body.empty()) throw ProtocolError("the request body is empty; a JSON object was expected");
    Json j = Json::parse(body.begin(), body.end(), nullptr, false);
    if (j.is_discarded()) throw ProtocolError("malformed JSON in the request body");
    if (!j.is_object()) throw ProtocolError("the request body must be a JSON object");
    return j;
}

// [SECTION] Checks

bool isSha256Hex(std::string_view s) {
    if (s.size() != 64) return false;
    for (char c : s)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    return true;
}

bool isSafeId(std::string_view s) {
    if (s.empty() || s.size() > kMaxIdLength) return false;
    for (char c : s)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' || c == '_' ||
              c == '.'))
            return false;
    return s != "." && s != "..";
}

}  // namespace jc::proto
