#pragma once
// The sync wire protocol (DESIGN.md §4), shared by the client engine and the server: version
// numbers, limits, header names, error codes, and the request / response types with their JSON
// mapping. Both sides parse through the functions here, so a malformed message is refused with
// the same clear words on either end.
//
// Summary (full examples in sync/server/README.md):
//   GET  /v1/version                          no auth; versions the server accepts
//   POST /v1/enroll   {code, device_name[, device_id]} -> {device_id, token, user}
//   GET  /v1/whoami                           -> {user, device, scope_epoch, server_time}
//   POST /v1/push     {device_id, db_incarnation, changes:[Change]} -> {last_seq, results:[ChangeResult]}
//   GET  /v1/pull?cursor=N&limit=M[&scope_epoch=E] -> {changes:[PulledChange], next_cursor, has_more, scope_epoch,
//   reset} HEAD /v1/blobs/{sha256}                   -> headers X-Jiancha-Blob-Offset / -Complete PUT
//   /v1/blobs/{sha256}?offset=N&total=T  body = the next chunk GET  /v1/blobs/{sha256}                   Range
//   supported
// Every request carries X-Jiancha-Protocol and X-Jiancha-Schema; all but version and enroll carry
// "Authorization: Bearer <token>". Every error body is {"error": code, "message": text, ...}.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/entities.h"
#include "core/error.h"

namespace jc::proto {

// [SECTION] Versions
// kProtocolVersion: the shape of the messages below. kSchemaVersion: the entity registry
// (core/entities.h) as spoken on the wire; bump it when an entity or field is added or changes kind.
inline constexpr int kProtocolVersion = 1;
// Schema 2 adds approval (电子监察), calendar_year (published holiday arrangements), the
// evaluation records as HQ writes them (行政效能评估), monitor_rule and focus (重点监控), and the
// device_time / time_suspect fields of the case records. What each schema knows: knownAtSchema().
inline constexpr int kSchemaVersion = 2;
// What a server built from this tree accepts.
inline constexpr int kMinProtocol = 1;
inline constexpr int kMaxProtocol = 1;
inline constexpr int kMinSchema = 1;
inline constexpr int kMaxSchema = 2;

inline constexpr const char* kHeaderProtocol = "X-Jiancha-Protocol";
inline constexpr const char* kHeaderSchema = "X-Jiancha-Schema";
inline constexpr const char* kHeaderBlobOffset = "X-Jiancha-Blob-Offset";      // HEAD / PUT blob answers
inline constexpr const char* kHeaderBlobComplete = "X-Jiancha-Blob-Complete";  // "1" or "0"
// On every answer of the sync listener: the server's clock (ISO-8601 UTC, milliseconds) when it
// took the request. Devices measure their clock against it with each request they already make.
inline constexpr const char* kHeaderServerTime = "X-Jiancha-Server-Time";
// On every answer of the sync listener: the server's epoch, "ID SEQ" (sync/server/server_epoch.h):
// a device that sees another ID than it knew learns that the server was restored from a backup
// holding changes up to SEQ.
inline constexpr const char* kHeaderServerEpoch = "X-Jiancha-Epoch";

// [SECTION] Limits (the server refuses anything larger with a 4xx and a JSON error)
inline constexpr size_t kMaxBodyBytes = 8u << 20;  // JSON request bodies
inline constexpr size_t kMaxChangesPerPush = 1000;
inline constexpr size_t kMaxBlobChunkBytes = 8u << 20;  // one PUT
inline constexpr int64_t kMaxBlobBytes = 200ll << 20;   // one blob
inline constexpr int kMaxPullLimit = 2000;              // larger limits are clamped
inline constexpr int kDefaultPullLimit = 500;
inline constexpr int64_t kMaxClockLeadMs = 5 * 60 * 1000;  // HLC stamps further ahead are clamped
inline constexpr size_t kMaxIdLength = 64;                 // change_id, device_id, db_incarnation

// [SECTION] Error codes (the "error" member of every error body)
namespace err {
inline constexpr const char* kBadRequest = "bad_request";             // 400 malformed JSON, wrong types, bad parameters
inline constexpr const char* kUnauthorized = "unauthorized";          // 401 missing or unknown token
inline constexpr const char* kDeviceRevoked = "device_revoked";       // 401 the device was revoked by HQ
inline constexpr const char* kInvalidCode = "invalid_code";           // 401 enrolment code unknown, used or expired
inline constexpr const char* kTooManyAttempts = "too_many_attempts";  // 429 enrolment refused for a while; Retry-After
inline constexpr const char* kBlobQuota = "blob_quota_exceeded";      // 429 device's evidence bytes for today used up
inline constexpr const char* kForbidden = "forbidden";                // 403 role or scope does not allow it
inline constexpr const char* kNotFound = "not_found";                 // 404
inline constexpr const char* kSeqGap = "seq_gap";                     // 409 push skipped a seq; see expected_seq
inline constexpr const char* kOffsetMismatch = "offset_mismatch";     // 409 blob chunk not at the stored offset
inline constexpr const char* kPayloadTooLarge = "payload_too_large";  // 413
inline constexpr const char* kBatchTooLarge = "batch_too_large";      // 413 more than kMaxChangesPerPush
inline constexpr const char* kHashMismatch = "hash_mismatch";         // 422 completed blob has another SHA-256
inline constexpr const char* kClientTooOld = "client_too_old";        // 426
inline constexpr const char* kClientTooNew = "client_too_new";        // 426
inline constexpr const char* kInternal = "internal";                  // 500
}  // namespace err

// Reasons in a rejected ChangeResult.
namespace reason {
inline constexpr const char* kInvalid = "invalid";                       // field names / types / required
inline constexpr const char* kForbidden = "forbidden";                   // role or team scope
inline constexpr const char* kIllegalTransition = "illegal_transition";  // status change not allowed
inline constexpr const char* kNotFound = "not_found";                    // update of a record the server never got
}  // namespace reason

// Finer reasons in a rejected ChangeResult ("detail"), with their "params", so a device can say
// it in its user's language.
namespace detail {
inline constexpr const char* kOutsideRegionScope = "outside_region_scope";  // {region, scope: [codes]}
inline constexpr const char* kNoSuchStep = "no_such_step";                  // {entity, from, to}
inline constexpr const char* kRoleMayNot = "role_may_not";                  // {role, action, entity, from, to}
inline constexpr const char* kNeedsComment = "needs_comment";               // {action, entity}
inline constexpr const char* kWrongUser = "wrong_user";                     // {user, enrolled}
inline constexpr const char* kNotOnServer = "not_on_server";                // {entity}
}  // namespace detail

// A message that does not follow this protocol. The server answers it with 400.
struct ProtocolError : ValidationError {
    explicit ProtocolError(const std::string& m) : ValidationError(m) {}
};

// [SECTION] Version negotiation
enum class VersionVerdict { Ok, TooOld, TooNew };
// Missing headers (nullopt) count as too old: such a client predates the versioned protocol.
VersionVerdict checkVersions(std::optional<int> protocol, std::optional<int> schema);
std::string versionMessage(VersionVerdict v, std::optional<int> protocol, std::optional<int> schema);
Json supportedVersions();  // {"protocol":{"min":1,"max":1},"schema":{"min":1,"max":1}}

// [SECTION] What a schema version knows
// The server sends a device only the record kinds and fields the schema it announces can read
// (an older client refuses an unknown entity or field, and its pull would stop there). An entity
// unknown at `schema` is withheld whole; a known entity loses the fields added later (a change
// left with no field is withheld). The device's cursor still moves past what was withheld; a
// client that moves to a newer schema pulls once more from the start (sync_pull.cpp).
bool entityKnownAtSchema(std::string_view entity, int schema);
bool fieldKnownAtSchema(std::string_view entity, std::string_view field, int schema);

// [SECTION] Wire types
struct UserInfo {
    std::string id;
    std::string name;
    std::string role;    // inspector | lead | hq_admin
    std::string teamId;  // empty = no team (JSON null)
    Json regionScope = Json::array();
};

struct EnrollRequest {
    std::string code;
    std::string deviceName;
    std::string deviceId;  // optional proposal (the store's own id); the answer's device_id is the one to use
};
struct EnrollResponse {
    std::string deviceId;
    std::string token;
    UserInfo user;
    std::string hqPublicKey;  // base64; devices seal complainants' identities to it ("" = not set at HQ)
};

struct WhoAmI {
    UserInfo user;
    std::string deviceId;
    std::string deviceName;
    int64_t scopeEpoch = 0;
    std::string serverTime;
};

// One outbox row (DESIGN.md §4).
struct Change {
    std::string changeId;
    int64_t seq = 0;  // the device's local outbox sequence, consecutive within one db_incarnation
    std::string entity;
    std::string entityId;
    Json fields = Json::object();        // name -> value; a create includes created_at and created_by
    Json baseVersions = Json::object();  // name -> server version seen (0 = never seen)
    std::string hlc;
    std::string userId;  // the acting user's name
};

struct PushRequest {
    std::string deviceId;
    std::string dbIncarnation;
    std::vector<Change> changes;  // may be empty: the answer then just tells last_seq
};

enum class ChangeStatus { Applied, AppliedWithConflict, Duplicate, Rejected };
std::string_view statusCode(ChangeStatus s);  // applied | applied_with_conflict | duplicate | rejected
ChangeStatus parseChangeStatus(std::string_view s);

struct FieldConflict {
    std::string field;
    bool won = false;        // true: this change's value is now the server value
    std::string conflictId;  // the conflict record the server created
};

struct ChangeResult {
    int64_t seq = 0;
    std::string changeId;
    ChangeStatus status = ChangeStatus::Applied;
    std::string reason;              // rejected: a reason:: code
    std::string message;             // rejected: clear words (English; devices show `detail` + `params` translated)
    std::string detail;              // rejected: a finer detail:: code ("" when there is none)
    Json params = Json::object();    // rejected: the detail's parameters (region, scope, from, to, role …)
    int64_t serverSeq = 0;           // the server change that carried this one (0 when nothing written)
    Json versions = Json::object();  // field -> server version now held for it
    std::vector<FieldConflict> conflicts;
    Json serverValues = Json::object();          // lost conflicts and rejections: field -> the server's value
    std::optional<ChangeStatus> originalStatus;  // duplicate: what happened the first time
};

struct PushResponse {
    int64_t lastSeq = 0;
    std::vector<ChangeResult> results;
};

struct PulledChange {
    int64_t serverSeq = 0;
    std::string entity;
    std::string entityId;
    Json fields = Json::object();
    Json versions = Json::object();
    std::string author;
    std::string deviceId;
    std::string hlc;
};

struct PullResponse {
    std::vector<PulledChange> changes;
    int64_t nextCursor = 0;
    bool hasMore = false;
    int64_t scopeEpoch = 0;
    bool reset = false;  // the scope changed: these changes start again from cursor 0
};

// [SECTION] JSON mapping. from* functions throw ProtocolError naming the offending member.
Json toJson(const UserInfo& v);
Json toJson(const EnrollRequest& v);
Json toJson(const EnrollResponse& v);
Json toJson(const WhoAmI& v);
Json toJson(const ChangeResult& v);
Json toJson(const PushResponse& v);

UserInfo userInfoFromJson(const Json& j);
EnrollRequest enrollRequestFromJson(const Json& j);
EnrollResponse enrollResponseFromJson(const Json& j);
PushRequest pushRequestFromJson(Json&& j);  // moves the field maps out instead of copying them
ChangeResult changeResultFromJson(const Json& j);
PushResponse pushResponseFromJson(const Json& j);
PulledChange pulledChangeFromJson(const Json& j);
PullResponse pullResponseFromJson(const Json& j);
Json toJson(const Change& v);
Json toJson(const PushRequest& v);

// Writes a push request body straight into text, the shape pushRequestFromJson reads. The
// client streams outbox rows through it: their fields and base versions are already JSON
// object text in the store, so no Json tree is built. dropLast() takes back the change added
// last (a batch that must not split a status change from its case event).
class PushBodyWriter {
public:
    PushBodyWriter(const std::string& deviceId, const std::string& dbIncarnation);
    // `fieldsJson` and `baseVersionsJson` must be JSON objects as text.
    void add(const std::string& changeId, int64_t seq, const std::string& entity, const std::string& entityId,
             std::string_view fieldsJson, std::string_view baseVersionsJson, const std::string& hlc,
             const std::string& userId);
    void add(const Change& c);
    void dropLast();           // only once after each add()
    size_t bytes() const { return m_body.size() + 2; }
    size_t count() const { return m_count; }
    std::string finish();      // the complete body; the writer is then spent

private:
    std::string m_body;
    size_t m_count = 0;
    size_t m_beforeLast = 0;
};


Json errorBody(std::string_view code, std::string_view message);
Json parseBody(std::string_view body);  // throws ProtocolError("malformed JSON …")

// [SECTION] Small checks shared by both ends
bool isSha256Hex(std::string_view s);  // exactly 64 lower-case hex digits
bool isSafeId(std::string_view s);     // 1..kMaxIdLength of [A-Za-z0-9_.-]

}  // namespace jc::proto
