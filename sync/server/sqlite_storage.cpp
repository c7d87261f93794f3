#include "sync/server/sqlite_storage.h"

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <thread>
#include <vector>

#include "core/error.h"
#include "base/db.h"
#include "sync/server/record_state.h"
#include "sync/server/server_schema.h"

namespace jc::server {

namespace {

// The tables of schemas 1 to 3 (server_schema.cpp) and SQLite's audit-log triggers. Every
// statement is IF NOT EXISTS: init and the upgrade of an older file both run the whole text.
const std::string kSchema = serverTables(SqlDialect::Sqlite, 1) + serverTables(SqlDialect::Sqlite, 2) + R"SQL(
CREATE TRIGGER IF NOT EXISTS server_audit_no_update BEFORE UPDATE ON server_audit
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS server_audit_no_delete BEFORE DELETE ON server_audit
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
)SQL" + serverTables(SqlDialect::Sqlite, 3);

const char* kAuditCols =
    "SELECT seq, at, actor, device_id, action, target, target_id, detail, prev_hash, hash FROM server_audit ";

AuditRecord auditFromRow(const Statement& s) {
    return AuditRecord{s.getInt(0),  s.getText(1), s.getText(2), s.getText(3), s.getText(4),
                       s.getText(5), s.getText(6), s.getText(7), s.getText(8), s.getText(9)};
}

void configure(Database& db) {
    db.exec("PRAGMA journal_mode=WAL");
    db.exec("PRAGMA synchronous=FULL");
    db.exec("PRAGMA foreign_keys=OFF");
}

void bindNullable(Statement& s, int idx, const std::string& v) {
    if (v.empty())
        s.bindNull(idx);
    else
        s.bind(idx, v);
}

Record recordFromRow(const Statement& s) {
    // columns: entity, entity_id, scope, team_id, created_seq, state
    Record r;
    r.entity = s.getText(0);
    r.id = s.getText(1);
    r.scope = s.getText(2);
    r.teamId = s.getText(3);
    r.createdSeq = s.getInt(4);
    decodeRecordState(s.getText(5), r);
    return r;
}

Account accountFromRow(const Statement& s) {
    Account a;
    a.userId = s.getText(0);
    a.name = s.getText(1);
    a.role = s.getText(2);
    a.teamId = s.getText(3);
    a.regionScope = Json::parse(s.getText(4), nullptr, false);
    if (!a.regionScope.is_array()) a.regionScope = Json::array();
    a.scopeEpoch = s.getInt(5);
    a.deleted = s.getInt(6) != 0;
    return a;
}
const char* kAccountCols = "SELECT user_id, name, role, team_id, region_scope, scope_epoch, deleted FROM account ";

Device deviceFromRow(const Statement& s) {
    return Device{s.getText(0), s.getText(1), s.getText(2), s.getText(3), s.getText(4), s.getText(5)};
}
const char* kDeviceCols = "SELECT id, user_id, name, created_at, last_seen_at, revoked_at FROM device ";

class SqliteStorage;

class SqliteTx final : public StorageTx {
public:
    SqliteTx(SqliteStorage& owner, Database* db, bool write, std::unique_lock<std::mutex> lock);
    ~SqliteTx() override;

    void commit() override {
        m_db->exec("COMMIT");
        m_open = false;
    }
    void savepoint() override {
        m_db->exec("SAVEPOINT grouped");
        m_savedSeq = m_nextSeq;
    }
    void releaseSavepoint() override { m_db->exec("RELEASE grouped"); }
    void rollbackToSavepoint() override {
        m_db->exec("ROLLBACK TO grouped; RELEASE grouped");
        m_nextSeq = m_savedSeq;
    }

    int64_t appendChange(LogEntry& e) override {
        // Exclusive write transaction: the sequence read once can be counted on in memory.
        if (m_nextSeq == 0) m_nextSeq = lastServerSeq() + 1;
        e.serverSeq = m_nextSeq++;
        auto& s = m_db->cached(
            "INSERT INTO change_log(seq, entity, entity_id, fields, field_names, author, device_id, hlc, change_id) "
            "VALUES(?,?,?,?,?,?,?,?,?)");
        std::string names;
        for (auto it = e.fields.begin(); it != e.fields.end(); ++it) {
            if (!names.empty()) names += ',';
            names += it.key();
        }
        s.bind(1, e.serverSeq).bind(2, e.entity).bind(3, e.entityId).bind(4, e.fields.dump()).bind(5, names);
        s.bind(6, e.author).bind(7, e.deviceId).bind(8, e.hlc);
        bindNullable(s, 9, e.changeId);
        s.run();
        return e.serverSeq;
    }

    ChangePage changesAfter(int64_t cursor, int limit, const Viewer& v) override {
        ChangePage page;
        auto& s = m_db->cached(
            "SELECT l.seq, l.entity, l.entity_id, l.fields, l.author, l.device_id, l.hlc, l.change_id, l.field_names "
            "FROM change_log l JOIN record r ON r.entity = l.entity AND r.entity_id = l.entity_id "
            "WHERE l.seq > ?1 AND (?2 = 1 OR r.scope = 'shared' OR r.team_id = ?3 "
            "  OR (l.entity = 'user' AND l.entity_id = ?4)) "
            "ORDER BY l.seq LIMIT ?5");
        s.bind(1, cursor).bind(2, v.all ? 1 : 0);
        bindNullable(s, 3, v.teamId);
        s.bind(4, v.userId).bind(5, static_cast<int64_t>(limit) + 1);
        while (s.step()) {
            if (static_cast<int>(page.entries.size()) == limit) {
                page.hasMore = true;
                break;
            }
            LogEntry e;
            e.serverSeq = s.getInt(0);
            e.entity = s.getText(1);
            e.entityId = s.getText(2);
            e.fieldsJson = s.getText(3);
            e.fieldNames = s.getText(8);
            e.author = s.getText(4);
            e.deviceId = s.getText(5);
            e.hlc = s.getText(6);
            e.changeId = s.getText(7);
            page.entries.push_back(std::move(e));
        }
        s.reset();
        // A short page has seen everything up to the end of the log (in this snapshot), so the
        // cursor may jump over the trailing changes this viewer may not see.
        page.nextCursor = page.hasMore ? page.entries.back().serverSeq : std::max(cursor, lastServerSeq());
        return page;
    }

    int64_t lastServerSeq() override {
        auto& s = m_db->cached("SELECT COALESCE(MAX(seq), 0) FROM change_log");
        int64_t v = s.step() ? s.getInt(0) : 0;
        s.reset();
        return v;
    }

    std::optional<Record> record(const std::string& entity, const std::string& id) override {
        auto& s = m_db->cached(
            "SELECT entity, entity_id, scope, team_id, created_seq, state FROM record WHERE entity = ? AND entity_id = "
            "?");
        s.bind(1, entity).bind(2, id);
        std::optional<Record> r;
        if (s.step()) r = recordFromRow(s);
        s.reset();
        return r;
    }

    void putRecord(const Record& r) override {
        auto& s = m_db->cached(
            "INSERT OR REPLACE INTO record(entity, entity_id, scope, team_id, created_seq, state) VALUES(?,?,?,?,?,?)");
        s.bind(1, r.entity).bind(2, r.id).bind(3, r.scope);
        bindNullable(s, 4, r.teamId);
        s.bind(5, r.createdSeq).bind(6, encodeRecordState(r));
        s.run();
    }

    std::vector<Record> records(const std::string& entity) override {
        auto& s = m_db->cached(
            "SELECT entity, entity_id, scope, team_id, created_seq, state FROM record WHERE entity = ? ORDER BY "
            "created_seq");
        s.bind(1, entity);
        std::vector<Record> out;
        while (s.step()) out.push_back(recordFromRow(s));
        s.reset();
        return out;
    }

    std::optional<int64_t> lastSeq(const std::string& dev, const std::string& inc) override {
        auto& s = m_db->cached("SELECT last_seq FROM push_cursor WHERE device_id = ? AND incarnation = ?");
        s.bind(1, dev).bind(2, inc);
        std::optional<int64_t> r;
        if (s.step()) r = s.getInt(0);
        s.reset();
        return r;
    }

    void setLastSeq(const std::string& dev, const std::string& inc, int64_t seq) override {
        auto& s = m_db->cached("INSERT OR REPLACE INTO push_cursor(device_id, incarnation, last_seq) VALUES(?,?,?)");
        s.bind(1, dev).bind(2, inc).bind(3, seq);
        s.run();
    }

    void putPushResult(const std::string& dev, const std::string& inc, int64_t seq, const Json& result) override {
        auto& s =
            m_db->cached("INSERT OR REPLACE INTO push_result(device_id, incarnation, seq, result) VALUES(?,?,?,?)");
        s.bind(1, dev).bind(2, inc).bind(3, seq).bind(4, result.dump());
        s.run();
    }

    std::optional<Json> pushResult(const std::string& dev, const std::string& inc, int64_t seq) override {
        auto& s = m_db->cached("SELECT result FROM push_result WHERE device_id = ? AND incarnation = ? AND seq = ?");
        s.bind(1, dev).bind(2, inc).bind(3, seq);
        std::optional<Json> r;
        if (s.step()) r = Json::parse(s.getText(0));
        s.reset();
        return r;
    }

    std::optional<std::string> setting(const std::string& key) override {
        auto& s = m_db->cached("SELECT value FROM server_meta WHERE key = ?");
        s.bind(1, "setting." + key);
        std::optional<std::string> v;
        if (s.step()) v = s.getText(0);
        s.reset();
        return v;
    }

    void setSetting(const std::string& key, const std::string& value) override {
        auto& s = m_db->cached(
            "INSERT INTO server_meta(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value");
        s.bind(1, "setting." + key).bind(2, value);
        s.run();
    }

    int64_t nextCounter(const std::string& key) override {
        auto& s = m_db->cached(
            "INSERT INTO counter(key, value) VALUES(?, 1) ON CONFLICT(key) DO UPDATE SET value = value + 1 "
            "RETURNING value");
        s.bind(1, key);
        if (!s.step()) throw StorageError("counter " + key + " returned no value");
        int64_t v = s.getInt(0);
        s.reset();
        return v;
    }

    std::optional<Account> accountById(const std::string& id) override {
        return oneAccount(std::string(kAccountCols) + "WHERE user_id = ?", id);
    }
    std::optional<Account> accountByName(const std::string& name) override {
        return oneAccount(std::string(kAccountCols) + "WHERE name = ?", name);
    }
    std::vector<Account> accounts() override {
        auto& s = m_db->cached(std::string(kAccountCols) + "ORDER BY name");
        std::vector<Account> out;
        while (s.step()) out.push_back(accountFromRow(s));
        s.reset();
        return out;
    }
    void putAccount(const Account& a) override {
        auto& s = m_db->cached(
            "INSERT OR REPLACE INTO account(user_id, name, role, team_id, region_scope, scope_epoch, deleted) "
            "VALUES(?,?,?,?,?,?,?)");
        s.bind(1, a.userId).bind(2, a.name).bind(3, a.role);
        bindNullable(s, 4, a.teamId);
        s.bind(5, a.regionScope.dump()).bind(6, a.scopeEpoch).bind(7, a.deleted ? 1 : 0);
        s.run();
    }
    void bumpScopeEpochOfTeam(const std::string& teamId) override {
        auto& s = m_db->cached("UPDATE account SET scope_epoch = scope_epoch + 1 WHERE team_id = ?");
        s.bind(1, teamId);
        s.run();
    }

    std::optional<Device> device(const std::string& id) override {
        return oneDevice(std::string(kDeviceCols) + "WHERE id = ?", id);
    }
    std::optional<Device> deviceByTokenHash(const std::string& h) override {
        return oneDevice(std::string(kDeviceCols) + "WHERE token_hash = ?", h);
    }
    std::vector<Device> devices() override {
        auto& s = m_db->cached(std::string(kDeviceCols) + "ORDER BY created_at");
        std::vector<Device> out;
        while (s.step()) out.push_back(deviceFromRow(s));
        s.reset();
        return out;
    }
    void putDevice(const Device& d, const std::string& tokenHash) override {
        auto& s = m_db->cached(
            "INSERT INTO device(id, user_id, name, token_hash, created_at, last_seen_at, revoked_at) "
            "VALUES(?,?,?,?,?,?,?)");
        s.bind(1, d.id).bind(2, d.userId).bind(3, d.name).bind(4, tokenHash).bind(5, d.createdAt);
        bindNullable(s, 6, d.lastSeenAt);
        bindNullable(s, 7, d.revokedAt);
        s.run();
    }
    void updateDevice(const Device& d) override {
        auto& s = m_db->cached("UPDATE device SET name = ?, last_seen_at = ?, revoked_at = ? WHERE id = ?");
        s.bind(1, d.name);
        bindNullable(s, 2, d.lastSeenAt);
        bindNullable(s, 3, d.revokedAt);
        s.bind(4, d.id);
        s.run();
    }

    void putEnrollCode(const EnrollCode& c) override {
        auto& s =
            m_db->cached("INSERT INTO enroll_code(code_hash, user_id, created_at, expires_at_ms) VALUES(?,?,?,?)");
        s.bind(1, c.codeHash).bind(2, c.userId).bind(3, c.createdAt).bind(4, c.expiresAtMs);
        s.run();
    }
    std::optional<EnrollCode> enrollCode(const std::string& h) override {
        auto& s = m_db->cached(
            "SELECT code_hash, user_id, created_at, expires_at_ms, used_at, device_id FROM enroll_code WHERE code_hash "
            "= ?");
        s.bind(1, h);
        std::optional<EnrollCode> r;
        if (s.step())
            r = EnrollCode{s.getText(0), s.getText(1),       s.getText(2),
                           s.getInt(3),  s.getText(4), s.getText(5)};
        s.reset();
        return r;
    }
    void markEnrollCodeUsed(const std::string& h, const std::string& at, const std::string& deviceId) override {
        auto& s = m_db->cached("UPDATE enroll_code SET used_at = ?, device_id = ? WHERE code_hash = ?");
        s.bind(1, at).bind(2, deviceId).bind(3, h);
        s.run();
    }
    std::vector<EnrollCode> enrollCodes() override {
        auto& s = m_db->cached(
            "SELECT code_hash, user_id, created_at, expires_at_ms, used_at, device_id FROM enroll_code "
            "ORDER BY created_at DESC");
        std::vector<EnrollCode> out;
        while (s.step()) out.push_back({s.getText(0), s.getText(1), s.getText(2), s.getInt(3), s.getText(4), s.getText(5)});
        s.reset();
        return out;
    }
    void setEnrollCodeExpiry(const std::string& h, int64_t expiresAtMs) override {
        auto& s = m_db->cached("UPDATE enroll_code SET expires_at_ms = ? WHERE code_hash = ?");
        s.bind(1, expiresAtMs).bind(2, h);
        s.run();
    }

    void insertAudit(const AuditRecord& r) override {
        auto& s = m_db->cached(
            "INSERT INTO server_audit(seq, at, actor, device_id, action, target, target_id, detail, prev_hash, hash) "
            "VALUES(?,?,?,?,?,?,?,?,?,?)");
        s.bind(1, r.seq).bind(2, r.at).bind(3, r.actor).bind(4, r.deviceId).bind(5, r.action).bind(6, r.target);
        s.bind(7, r.targetId).bind(8, r.detail).bind(9, r.prevHash).bind(10, r.hash);
        s.run();
    }
    std::optional<AuditRecord> lastAudit() override {
        auto& s = m_db->cached(std::string(kAuditCols) + "ORDER BY seq DESC LIMIT 1");
        std::optional<AuditRecord> r;
        if (s.step()) r = auditFromRow(s);
        s.reset();
        return r;
    }
    std::vector<AuditRecord> auditAfter(int64_t afterSeq, int limit) override {
        auto& s = m_db->cached(std::string(kAuditCols) + "WHERE seq > ? ORDER BY seq LIMIT ?");
        s.bind(1, afterSeq).bind(2, static_cast<int64_t>(limit));
        std::vector<AuditRecord> out;
        while (s.step()) out.push_back(auditFromRow(s));
        s.reset();
        return out;
    }

    void setDeviceToken(const std::string& deviceId, const std::string& tokenHash) override {
        auto& s = m_db->cached("UPDATE device SET token_hash = ? WHERE id = ?");
        s.bind(1, tokenHash).bind(2, deviceId);
        s.run();
    }
    void addEnrollFailure(const std::string& address, int64_t atMs) override {
        auto& s = m_db->cached("INSERT INTO enroll_failure(address, at_ms) VALUES(?,?)");
        s.bind(1, address).bind(2, atMs);
        s.run();
    }
    EnrollFailures enrollFailuresSince(const std::string& address, int64_t sinceMs) override {
        auto& s = m_db->cached(
            "SELECT count(*), coalesce(min(at_ms), 0) FROM enroll_failure WHERE at_ms >= ?1 AND (?2 = '' OR address = ?2)");
        s.bind(1, sinceMs).bind(2, address);
        EnrollFailures f;
        if (s.step()) f = EnrollFailures{s.getInt(0), s.getInt(1)};
        s.reset();
        return f;
    }
    void pruneEnrollFailures(int64_t beforeMs) override {
        auto& s = m_db->cached("DELETE FROM enroll_failure WHERE at_ms < ?");
        s.bind(1, beforeMs);
        s.run();
    }
    int64_t blobBytesOn(const std::string& deviceId, const std::string& day) override {
        auto& s = m_db->cached("SELECT bytes FROM blob_usage WHERE device_id = ? AND day = ?");
        s.bind(1, deviceId).bind(2, day);
        int64_t n = s.step() ? s.getInt(0) : 0;
        s.reset();
        return n;
    }
    void addBlobBytes(const std::string& deviceId, const std::string& day, int64_t bytes) override {
        auto& s = m_db->cached(
            "INSERT INTO blob_usage(device_id, day, bytes) VALUES(?1, ?2, ?3) "
            "ON CONFLICT(device_id, day) DO UPDATE SET bytes = bytes + excluded.bytes");
        s.bind(1, deviceId).bind(2, day).bind(3, bytes);
        s.run();
    }

    void setBlobRef(const std::string& evidenceId, const std::string& sha, bool live) override {
        auto& s = m_db->cached("INSERT OR REPLACE INTO blob_ref(evidence_id, sha256, live) VALUES(?,?,?)");
        s.bind(1, evidenceId).bind(2, sha).bind(3, live ? 1 : 0);
        s.run();
    }
    bool blobVisible(const std::string& sha, const Viewer& v) override {
        auto& s = m_db->cached(
            "SELECT 1 FROM blob_ref b JOIN record r ON r.entity = 'evidence' AND r.entity_id = b.evidence_id "
            "WHERE b.sha256 = ?1 AND b.live = 1 AND (?2 = 1 OR r.team_id = ?3) LIMIT 1");
        s.bind(1, sha).bind(2, v.all ? 1 : 0);
        bindNullable(s, 3, v.teamId);
        bool found = s.step();
        s.reset();
        return found;
    }

private:
    std::optional<Account> oneAccount(const std::string& sql, const std::string& key) {
        auto& s = m_db->cached(sql);
        s.bind(1, key);
        std::optional<Account> r;
        if (s.step()) r = accountFromRow(s);
        s.reset();
        return r;
    }
    std::optional<Device> oneDevice(const std::string& sql, const std::string& key) {
        auto& s = m_db->cached(sql);
        s.bind(1, key);
        std::optional<Device> r;
        if (s.step()) r = deviceFromRow(s);
        s.reset();
        return r;
    }

    SqliteStorage& m_owner;
    Database* m_db;
    bool m_write;
    bool m_open = true;
    int64_t m_nextSeq = 0;
    int64_t m_savedSeq = 0;
    std::unique_lock<std::mutex> m_lock;
};

class SqliteStorage final : public ServerStorage {
public:
    explicit SqliteStorage(std::string path) : m_path(std::move(path)), m_writer(m_path) {
        configure(m_writer);
        // Checkpoints run on their own connection and thread, not inside a push's commit.
        m_writer.exec("PRAGMA wal_autocheckpoint=0");
        m_checkpointer = std::thread([this] { checkpointLoop(); });
    }

    ~SqliteStorage() override {
        {
            std::lock_guard lock(m_stopMutex);
            m_stopping = true;
        }
        m_stopCv.notify_all();
        if (m_checkpointer.joinable()) m_checkpointer.join();
    }

    std::unique_ptr<StorageTx> write() override {
        std::unique_lock lock(m_writeMutex);
        return std::make_unique<SqliteTx>(*this, &m_writer, true, std::move(lock));
    }

    std::unique_ptr<StorageTx> read() override {
        std::unique_ptr<Database> db;
        {
            std::lock_guard lock(m_poolMutex);
            if (!m_readers.empty()) {
                db = std::move(m_readers.back());
                m_readers.pop_back();
            }
        }
        if (!db) {
            db = std::make_unique<Database>(m_path);
            configure(*db);
        }
        Database* raw = db.release();
        return std::make_unique<SqliteTx>(*this, raw, false, std::unique_lock<std::mutex>());
    }

    std::string describe() const override { return "sqlite:" + m_path; }

    void giveBack(Database* db) {
        std::unique_ptr<Database> owned(db);
        std::lock_guard lock(m_poolMutex);
        if (m_readers.size() < 32) m_readers.push_back(std::move(owned));
    }

private:
    void checkpointLoop() {
        try {
            Database db(m_path);
            configure(db);
            std::unique_lock lock(m_stopMutex);
            while (!m_stopping) {
                m_stopCv.wait_for(lock, std::chrono::milliseconds(500));
                lock.unlock();
                try {
                    db.exec("PRAGMA wal_checkpoint(PASSIVE)");
                } catch (const StorageError&) {
                    // busy or locked: the next round tries again
                }
                lock.lock();
            }
        } catch (const std::exception&) {
            // without this thread the WAL grows until the next start; writes stay correct
        }
    }

    std::string m_path;
    std::mutex m_writeMutex;
    Database m_writer;
    std::mutex m_poolMutex;
    std::vector<std::unique_ptr<Database>> m_readers;
    std::mutex m_stopMutex;
    std::condition_variable m_stopCv;
    bool m_stopping = false;
    std::thread m_checkpointer;
};

SqliteTx::SqliteTx(SqliteStorage& owner, Database* db, bool write, std::unique_lock<std::mutex> lock)
    : m_owner(owner), m_db(db), m_write(write), m_lock(std::move(lock)) {
    try {
        m_db->exec(write ? "BEGIN IMMEDIATE" : "BEGIN");
    } catch (...) {
        if (!m_write) m_owner.giveBack(m_db);
        throw;
    }
}

SqliteTx::~SqliteTx() {
    if (m_open) {
        try {
            m_db->exec("ROLLBACK");
        } catch (...) {
            // nothing sensible to do in a destructor; the connection rolls back on close
        }
    }
    if (!m_write) m_owner.giveBack(m_db);
}

}  // namespace

void initSqliteStorage(const std::string& path) {
    Database db(path);
    // 16 KiB pages for a new database (an existing file keeps its size). A record's state is one
    // JSON text (a finding with a 300-character narrative: ~1.5 KB), and a WITHOUT ROWID b-tree
    // keeps at most ~1 KB of a row on a 4 KiB page: every record then took a leaf cell plus a
    // 4 KiB overflow page (10,000 findings: 45 MB of record pages instead of 16 MB), and every
    // write paid for it. Must precede journal_mode=WAL.
    if (db.queryInt("PRAGMA page_count") == 0) db.exec("PRAGMA page_size=16384");
    configure(db);
    Transaction tx(db);
    db.exec(kSchema);
    auto& s = db.cached("INSERT OR IGNORE INTO server_meta(key, value) VALUES('schema', ?)");
    s.bind(1, std::to_string(kServerDbSchema));
    s.run();
    tx.commit();
}

std::unique_ptr<ServerStorage> openSqliteStorage(const std::string& path) {
    if (!std::filesystem::exists(path))
        throw StorageError("no server database at '" + path + "'; create it with: jiancha-server init --db " + path);
    {
        Database db(path);
        int64_t hasMeta =
            db.queryInt("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'server_meta'", 0);
        if (!hasMeta)
            throw StorageError("'" + path + "' is not a Jiancha server database (run: jiancha-server init --db " +
                               path + ")");
        int64_t schema = db.queryInt("SELECT CAST(value AS INTEGER) FROM server_meta WHERE key = 'schema'", 0);
        if (schema >= 1 && schema < kServerDbSchema) {
            // Schemas 2 and 3 only add tables (the audit log; enrolment refusals and evidence
            // bytes a day): create them.
            Transaction tx(db);
            db.exec(kSchema);
            db.exec("UPDATE server_meta SET value = '" + std::to_string(kServerDbSchema) + "' WHERE key = 'schema'");
            tx.commit();
            schema = kServerDbSchema;
        }
        if (schema != kServerDbSchema)
            throw StorageError("server database '" + path + "' has schema " + std::to_string(schema) +
                               ", this server needs " + std::to_string(kServerDbSchema));
    }
    return std::make_unique<SqliteStorage>(path);
}

}  // namespace jc::server
