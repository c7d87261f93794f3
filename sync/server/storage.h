#pragma once
// ServerStorage: the one interface between the server's logic and its database. The embedded
// SQLite backend (sqlite_storage.h) and the PostgreSQL one (pg_storage.h) implement it, so
// nothing here speaks SQL or knows about files, pragmas or rowids.
//
// Model (DESIGN.md §4):
//  - the change log: every committed change has a server sequence number (server_seq), assigned
//    inside the write transaction as the previous maximum + 1, so commit order equals sequence
//    order (writes are serialised; a PostgreSQL backend must take a lock or use a single writer
//    to keep that promise);
//  - a record per (entity, id) holding each field's current value and its sync metadata
//    (version = the server_seq that last wrote it, author, device, hlc), plus its visibility:
//    scope "shared" (reference data, seen by everyone) or "team" with a team id;
//  - push bookkeeping: last_seq per (device, incarnation) and each change's stored result;
//  - accounts, devices, enrolment codes, counters (official numbers) and blob references.
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/entities.h"

namespace jc::server {

// Visibility of a record.
inline constexpr const char* kScopeShared = "shared";
inline constexpr const char* kScopeTeam = "team";

struct FieldState {
    Json value;
    int64_t version = 0;  // server_seq of the change that last wrote the field
    std::string author;   // user name (or "server" / "admin")
    std::string deviceId;
    std::string hlc;
};

struct Record {
    std::string entity;
    std::string id;
    std::string scope = kScopeTeam;
    std::string teamId;  // empty = no team (then only HQ sees a team-scoped record)
    int64_t createdSeq = 0;
    std::map<std::string, FieldState> fields;  // includes created_at, created_by and deleted

    const Json& value(const std::string& field) const;  // null when absent
    std::string text(const std::string& field) const;   // "" when absent or not a string
};

struct LogEntry {
    int64_t serverSeq = 0;
    std::string entity;
    std::string entityId;
    Json fields = Json::object();
    std::string author;
    std::string deviceId;
    std::string hlc;
    std::string changeId;  // the client's change id, empty for server changes
    // Raw forms filled by changesAfter() instead of `fields`, so a pull can pass the stored JSON
    // through without parsing and re-serialising it: the fields object as JSON text, and the
    // field names joined by ','.
    std::string fieldsJson;
    std::string fieldNames;
};

struct Account {
    std::string userId;  // the user record's id
    std::string name;
    std::string role;
    std::string teamId;
    Json regionScope = Json::array();
    int64_t scopeEpoch = 0;  // bumped whenever what this user may see grows (see http_routes.cpp)
    bool deleted = false;
};

struct Device {
    std::string id;
    std::string userId;
    std::string name;
    std::string createdAt;
    std::string lastSeenAt;
    std::string revokedAt;  // empty = active
};

struct EnrollCode {
    std::string codeHash;
    std::string userId;
    std::string createdAt;
    int64_t expiresAtMs = 0;
    std::string usedAt;
    std::string deviceId;
};

// One entry of the server's audit log (server_audit.h): who did what to what, when, from which
// device. prevHash/hash chain the entries; the storage only keeps them (append-only).
struct AuditRecord {
    int64_t seq = 0;
    std::string at;        // ISO timestamp
    std::string actor;     // user name, or "admin-cli" for the command line on the server
    std::string deviceId;  // the device the request came from; empty for the command line
    std::string action;    // e.g. user_add, device_revoke, enroll_code_issue
    std::string target;    // kind of object: user, team, device, enroll_code, campaign …
    std::string targetId;
    std::string detail;  // JSON text, may be empty
    std::string prevHash;
    std::string hash;
};

struct EnrollFailures {
    int64_t count = 0;
    int64_t oldestMs = 0;  // the oldest counted refusal (0 when none)
};

// Who is reading: HQ sees everything; others see shared records, their team's records and themselves.
struct Viewer {
    bool all = false;
    std::string teamId;
    std::string userId;
};

struct ChangePage {
    std::vector<LogEntry> entries;
    int64_t nextCursor = 0;
    bool hasMore = false;
};

// One transaction. Write transactions are exclusive and must be committed; a transaction
// destroyed without commit() rolls back. Read transactions see one consistent snapshot.
class StorageTx {
public:
    virtual ~StorageTx() = default;
    virtual void commit() = 0;

    // One savepoint at a time inside a write transaction (group_commit.h runs each grouped
    // request between savepoint() and releaseSavepoint()); rollbackToSavepoint() undoes only the
    // writes since savepoint(), including the sequence numbers they took, and ends it.
    virtual void savepoint() = 0;
    virtual void releaseSavepoint() = 0;
    virtual void rollbackToSavepoint() = 0;

    // Change log
    virtual int64_t appendChange(LogEntry& entry) = 0;  // assigns entry.serverSeq and returns it
    virtual ChangePage changesAfter(int64_t cursor, int limit, const Viewer& viewer) = 0;
    virtual int64_t lastServerSeq() = 0;

    // Records
    virtual std::optional<Record> record(const std::string& entity, const std::string& id) = 0;
    virtual void putRecord(const Record& r) = 0;                         // insert or replace
    virtual std::vector<Record> records(const std::string& entity) = 0;  // small reference sets only

    // Push bookkeeping
    virtual std::optional<int64_t> lastSeq(const std::string& deviceId, const std::string& incarnation) = 0;
    virtual void setLastSeq(const std::string& deviceId, const std::string& incarnation, int64_t seq) = 0;
    virtual void putPushResult(const std::string& deviceId, const std::string& incarnation, int64_t seq,
                               const Json& result) = 0;
    virtual std::optional<Json> pushResult(const std::string& deviceId, const std::string& incarnation,
                                           int64_t seq) = 0;

    // Server settings (e.g. "hq_public_key", handed to devices at enrolment).
    virtual std::optional<std::string> setting(const std::string& key) = 0;
    virtual void setSetting(const std::string& key, const std::string& value) = 0;

    // Counters (official numbers): returns the next value, starting at 1.
    virtual int64_t nextCounter(const std::string& key) = 0;

    // Accounts: a projection of the user records, kept in step by the apply logic.
    virtual std::optional<Account> accountById(const std::string& userId) = 0;
    virtual std::optional<Account> accountByName(const std::string& name) = 0;
    virtual std::vector<Account> accounts() = 0;
    virtual void putAccount(const Account& a) = 0;
    virtual void bumpScopeEpochOfTeam(const std::string& teamId) = 0;

    // Devices and enrolment
    virtual std::optional<Device> device(const std::string& id) = 0;
    virtual std::optional<Device> deviceByTokenHash(const std::string& tokenHash) = 0;
    virtual std::vector<Device> devices() = 0;
    virtual void putDevice(const Device& d, const std::string& tokenHash) = 0;  // insert only
    virtual void updateDevice(const Device& d) = 0;                             // name, last seen, revoked
    virtual void putEnrollCode(const EnrollCode& c) = 0;
    virtual std::optional<EnrollCode> enrollCode(const std::string& codeHash) = 0;
    virtual void markEnrollCodeUsed(const std::string& codeHash, const std::string& at,
                                    const std::string& deviceId) = 0;
    virtual std::vector<EnrollCode> enrollCodes() = 0;  // newest first
    virtual void setEnrollCodeExpiry(const std::string& codeHash, int64_t expiresAtMs) = 0;

    // Server audit log: append-only (the backends refuse UPDATE and DELETE on it).
    virtual void insertAudit(const AuditRecord& r) = 0;  // r.seq is the next number (last + 1)
    virtual std::optional<AuditRecord> lastAudit() = 0;
    virtual std::vector<AuditRecord> auditAfter(int64_t afterSeq, int limit) = 0;  // oldest first

    // A new token for an enrolled device (the old one stops working): a retried enrolment whose
    // first answer was lost (auth.h).
    virtual void setDeviceToken(const std::string& deviceId, const std::string& tokenHash) = 0;

    // Refused enrolment attempts, for throttling code guessing (auth.h): one row per refusal.
    // `address` "" counts every address. Rows older than the throttle window are pruned.
    virtual void addEnrollFailure(const std::string& address, int64_t atMs) = 0;
    virtual EnrollFailures enrollFailuresSince(const std::string& address, int64_t sinceMs) = 0;
    virtual void pruneEnrollFailures(int64_t beforeMs) = 0;

    // Evidence bytes a device uploaded on a day (YYYY-MM-DD, China time), for the daily limit.
    virtual int64_t blobBytesOn(const std::string& deviceId, const std::string& day) = 0;
    virtual void addBlobBytes(const std::string& deviceId, const std::string& day, int64_t bytes) = 0;

    // Blob references: which evidence record names which blob.
    virtual void setBlobRef(const std::string& evidenceId, const std::string& sha256, bool live) = 0;
    virtual bool blobVisible(const std::string& sha256, const Viewer& viewer) = 0;

    // The database's size as the server reports it (/metrics), or -1 when the backend cannot say
    // (SQLite: the metrics read its files instead).
    virtual int64_t databaseBytes() { return -1; }
};

class ServerStorage {
public:
    virtual ~ServerStorage() = default;
    virtual std::unique_ptr<StorageTx> write() = 0;
    virtual std::unique_ptr<StorageTx> read() = 0;
    virtual std::string describe() const = 0;  // for logs: backend and location
};

}  // namespace jc::server
