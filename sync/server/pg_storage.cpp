#include "sync/server/pg_storage.h"

#include <libpq-fe.h>
#include <unistd.h>

#include <condition_variable>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <vector>

#include "core/error.h"
#include "sync/server/pg_migrations.h"
#include "sync/server/record_state.h"

namespace jc::server {

namespace {

using Param = std::optional<std::string>;  // nullopt = SQL NULL

class PgResult {
public:
    explicit PgResult(PGresult* r) : m_r(r, PQclear) {}
    int rows() const { return PQntuples(m_r.get()); }
    bool null(int row, int col) const { return PQgetisnull(m_r.get(), row, col) != 0; }
    std::string text(int row, int col) const { return std::string(PQgetvalue(m_r.get(), row, col)); }
    int64_t integer(int row, int col) const { return null(row, col) ? 0 : std::stoll(PQgetvalue(m_r.get(), row, col)); }
    bool boolean(int row, int col) const { return PQgetvalue(m_r.get(), row, col)[0] == 't'; }

private:
    std::unique_ptr<PGresult, void (*)(PGresult*)> m_r;
};

// One libpq connection with its prepared statements (named s0, s1 … by first use).
class PgConn {
public:
    explicit PgConn(const std::string& url) {
        // application_name names the process, so an operator (or a test) can tell which server
        // a PostgreSQL backend serves in pg_stat_activity.
        static const std::string appName = "jiancha-server/" + std::to_string(::getpid());
        const char* keys[] = {"dbname", "application_name", "connect_timeout", "options", nullptr};
        const char* values[] = {url.c_str(), appName.c_str(), "10",
                                "-c idle_in_transaction_session_timeout=60000 -c synchronous_commit=on", nullptr};
        m_conn = PQconnectdbParams(keys, values, 1);
        if (!m_conn || PQstatus(m_conn) != CONNECTION_OK) {
            std::string why = m_conn ? PQerrorMessage(m_conn) : "out of memory";
            while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
            if (m_conn) PQfinish(m_conn);
            m_conn = nullptr;
            throw StorageError("cannot connect to PostgreSQL at " + redactedPgUrl(url) + ": " + why);
        }
        PQsetNoticeProcessor(m_conn, [](void*, const char*) {}, nullptr);
    }
    ~PgConn() {
        if (m_conn) PQfinish(m_conn);
    }
    PgConn(const PgConn&) = delete;
    PgConn& operator=(const PgConn&) = delete;

    bool healthy() const { return PQstatus(m_conn) == CONNECTION_OK; }

    // Simple query protocol: may hold several statements; returns the last one's result.
    PgResult exec(const std::string& sql) { return check(PQexec(m_conn, sql.c_str()), sql); }

    // One statement with $1… parameters, prepared on this connection the first time.
    PgResult query(const std::string& sql, const std::vector<Param>& params = {}) {
        auto it = m_prepared.find(sql);
        if (it == m_prepared.end()) {
            std::string name = "s" + std::to_string(m_prepared.size());
            check(PQprepare(m_conn, name.c_str(), sql.c_str(), static_cast<int>(params.size()), nullptr), sql);
            it = m_prepared.emplace(sql, name).first;
        }
        std::vector<const char*> values;
        values.reserve(params.size());
        for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
        return check(PQexecPrepared(m_conn, it->second.c_str(), static_cast<int>(values.size()), values.data(),
                                    nullptr, nullptr, 0),
                     sql);
    }

private:
    PgResult check(PGresult* raw, const std::string& sql) {
        PgResult r(raw);
        auto st = PQresultStatus(raw);
        if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) return r;
        std::string why = raw ? PQresultErrorMessage(raw) : PQerrorMessage(m_conn);
        while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
        std::string head = sql.substr(0, sql.find_first_of("\n("));
        throw StorageError("PostgreSQL: " + why + " (in: " + head.substr(0, 60) + ")");
    }

    PGconn* m_conn = nullptr;
    std::unordered_map<std::string, std::string> m_prepared;
};

Param nullable(const std::string& v) {
    return v.empty() ? Param() : Param(v);
}
std::string num(int64_t v) {
    return std::to_string(v);
}
const char* boolText(bool b) {
    return b ? "true" : "false";
}

const char* kRecordCols = "SELECT entity, entity_id, scope, team_id, created_seq, state FROM record ";
Record recordFromRow(const PgResult& r, int i) {
    Record rec;
    rec.entity = r.text(i, 0);
    rec.id = r.text(i, 1);
    rec.scope = r.text(i, 2);
    rec.teamId = r.text(i, 3);
    rec.createdSeq = r.integer(i, 4);
    decodeRecordState(r.text(i, 5), rec);
    return rec;
}

const char* kAccountCols = "SELECT user_id, name, role, team_id, region_scope, scope_epoch, deleted FROM account ";
Account accountFromRow(const PgResult& r, int i) {
    Account a;
    a.userId = r.text(i, 0);
    a.name = r.text(i, 1);
    a.role = r.text(i, 2);
    a.teamId = r.text(i, 3);
    a.regionScope = Json::parse(r.text(i, 4), nullptr, false);
    if (!a.regionScope.is_array()) a.regionScope = Json::array();
    a.scopeEpoch = r.integer(i, 5);
    a.deleted = r.boolean(i, 6);
    return a;
}

const char* kDeviceCols = "SELECT id, user_id, name, created_at, last_seen_at, revoked_at FROM device ";
Device deviceFromRow(const PgResult& r, int i) {
    return Device{r.text(i, 0), r.text(i, 1), r.text(i, 2), r.text(i, 3), r.text(i, 4), r.text(i, 5)};
}
const char* kAuditCols =
    "SELECT seq, at, actor, device_id, action, target, target_id, detail, prev_hash, hash FROM server_audit ";
AuditRecord auditFromRow(const PgResult& r, int i) {
    return AuditRecord{r.integer(i, 0), r.text(i, 1), r.text(i, 2), r.text(i, 3), r.text(i, 4),
                       r.text(i, 5),    r.text(i, 6), r.text(i, 7), r.text(i, 8), r.text(i, 9)};
}

class PgStorage;

class PgTx final : public StorageTx {
public:
    PgTx(PgStorage& owner, std::unique_ptr<PgConn> conn, bool write);
    ~PgTx() override;

    void commit() override {
        m_conn->exec("COMMIT");
        m_open = false;
    }
    void savepoint() override {
        m_conn->exec("SAVEPOINT grouped");
        m_savedSeq = m_nextSeq;
    }
    void releaseSavepoint() override { m_conn->exec("RELEASE SAVEPOINT grouped"); }
    void rollbackToSavepoint() override {
        m_conn->exec("ROLLBACK TO SAVEPOINT grouped; RELEASE SAVEPOINT grouped");
        m_nextSeq = m_savedSeq;
    }

    int64_t appendChange(LogEntry& e) override {
        e.serverSeq = m_nextSeq++;
        std::string names;
        for (auto it = e.fields.begin(); it != e.fields.end(); ++it) {
            if (!names.empty()) names += ',';
            names += it.key();
        }
        m_conn->query(
            "INSERT INTO change_log(seq, entity, entity_id, fields, field_names, author, device_id, hlc, change_id) "
            "VALUES($1,$2,$3,$4,$5,$6,$7,$8,$9)",
            {num(e.serverSeq), e.entity, e.entityId, e.fields.dump(), names, e.author, e.deviceId, e.hlc,
             nullable(e.changeId)});
        return e.serverSeq;
    }

    ChangePage changesAfter(int64_t cursor, int limit, const Viewer& v) override {
        ChangePage page;
        auto r = m_conn->query(
            "SELECT l.seq, l.entity, l.entity_id, l.fields, l.author, l.device_id, l.hlc, l.change_id, l.field_names "
            "FROM change_log l JOIN record r ON r.entity = l.entity AND r.entity_id = l.entity_id "
            "WHERE l.seq > $1 AND ($2::boolean OR r.scope = 'shared' OR r.team_id = $3 "
            "  OR (l.entity = 'user' AND l.entity_id = $4)) "
            "ORDER BY l.seq LIMIT $5",
            {num(cursor), boolText(v.all), nullable(v.teamId), v.userId, num(static_cast<int64_t>(limit) + 1)});
        for (int i = 0; i < r.rows(); ++i) {
            if (static_cast<int>(page.entries.size()) == limit) {
                page.hasMore = true;
                break;
            }
            LogEntry e;
            e.serverSeq = r.integer(i, 0);
            e.entity = r.text(i, 1);
            e.entityId = r.text(i, 2);
            e.fieldsJson = r.text(i, 3);
            e.author = r.text(i, 4);
            e.deviceId = r.text(i, 5);
            e.hlc = r.text(i, 6);
            e.changeId = r.text(i, 7);
            e.fieldNames = r.text(i, 8);
            page.entries.push_back(std::move(e));
        }
        // Same snapshot as the query above (REPEATABLE READ), which sees a prefix of the log
        // (pg_storage.h): a short page may jump over trailing changes this viewer may not see.
        page.nextCursor = page.hasMore ? page.entries.back().serverSeq : std::max(cursor, lastServerSeq());
        return page;
    }

    int64_t lastServerSeq() override {
        if (m_write) return m_nextSeq - 1;
        return m_conn->query("SELECT COALESCE(MAX(seq), 0) FROM change_log").integer(0, 0);
    }

    std::optional<Record> record(const std::string& entity, const std::string& id) override {
        auto r = m_conn->query(std::string(kRecordCols) + "WHERE entity = $1 AND entity_id = $2", {entity, id});
        if (r.rows() == 0) return std::nullopt;
        return recordFromRow(r, 0);
    }

    void putRecord(const Record& rec) override {
        m_conn->query(
            "INSERT INTO record(entity, entity_id, scope, team_id, created_seq, state) VALUES($1,$2,$3,$4,$5,$6) "
            "ON CONFLICT (entity, entity_id) DO UPDATE SET scope = excluded.scope, team_id = excluded.team_id, "
            "created_seq = excluded.created_seq, state = excluded.state",
            {rec.entity, rec.id, rec.scope, nullable(rec.teamId), num(rec.createdSeq), encodeRecordState(rec)});
    }

    std::vector<Record> records(const std::string& entity) override {
        auto r = m_conn->query(std::string(kRecordCols) + "WHERE entity = $1 ORDER BY created_seq", {entity});
        std::vector<Record> out;
        for (int i = 0; i < r.rows(); ++i) out.push_back(recordFromRow(r, i));
        return out;
    }

    std::optional<int64_t> lastSeq(const std::string& dev, const std::string& inc) override {
        auto r = m_conn->query("SELECT last_seq FROM push_cursor WHERE device_id = $1 AND incarnation = $2", {dev, inc});
        if (r.rows() == 0) return std::nullopt;
        return r.integer(0, 0);
    }

    void setLastSeq(const std::string& dev, const std::string& inc, int64_t seq) override {
        m_conn->query(
            "INSERT INTO push_cursor(device_id, incarnation, last_seq) VALUES($1,$2,$3) "
            "ON CONFLICT (device_id, incarnation) DO UPDATE SET last_seq = excluded.last_seq",
            {dev, inc, num(seq)});
    }

    void putPushResult(const std::string& dev, const std::string& inc, int64_t seq, const Json& result) override {
        m_conn->query(
            "INSERT INTO push_result(device_id, incarnation, seq, result) VALUES($1,$2,$3,$4) "
            "ON CONFLICT (device_id, incarnation, seq) DO UPDATE SET result = excluded.result",
            {dev, inc, num(seq), result.dump()});
    }

    std::optional<Json> pushResult(const std::string& dev, const std::string& inc, int64_t seq) override {
        auto r = m_conn->query("SELECT result FROM push_result WHERE device_id = $1 AND incarnation = $2 AND seq = $3",
                               {dev, inc, num(seq)});
        if (r.rows() == 0) return std::nullopt;
        return Json::parse(r.text(0, 0));
    }

    std::optional<std::string> setting(const std::string& key) override {
        auto r = m_conn->query("SELECT value FROM server_meta WHERE key = $1", {"setting." + key});
        if (r.rows() == 0) return std::nullopt;
        return r.text(0, 0);
    }

    void setSetting(const std::string& key, const std::string& value) override {
        m_conn->query(
            "INSERT INTO server_meta(key, value) VALUES($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            {"setting." + key, value});
    }

    int64_t nextCounter(const std::string& key) override {
        auto r = m_conn->query(
            "INSERT INTO counter(key, value) VALUES($1, 1) ON CONFLICT (key) DO UPDATE SET value = counter.value + 1 "
            "RETURNING value",
            {key});
        if (r.rows() != 1) throw StorageError("counter " + key + " returned no value");
        return r.integer(0, 0);
    }

    std::optional<Account> accountById(const std::string& id) override {
        auto r = m_conn->query(std::string(kAccountCols) + "WHERE user_id = $1", {id});
        if (r.rows() == 0) return std::nullopt;
        return accountFromRow(r, 0);
    }
    std::optional<Account> accountByName(const std::string& name) override {
        auto r = m_conn->query(std::string(kAccountCols) + "WHERE name = $1", {name});
        if (r.rows() == 0) return std::nullopt;
        return accountFromRow(r, 0);
    }
    std::vector<Account> accounts() override {
        auto r = m_conn->query(std::string(kAccountCols) + "ORDER BY name");
        std::vector<Account> out;
        for (int i = 0; i < r.rows(); ++i) out.push_back(accountFromRow(r, i));
        return out;
    }
    void putAccount(const Account& a) override {
        m_conn->query(
            "INSERT INTO account(user_id, name, role, team_id, region_scope, scope_epoch, deleted) "
            "VALUES($1,$2,$3,$4,$5,$6,$7) ON CONFLICT (user_id) DO UPDATE SET name = excluded.name, "
            "role = excluded.role, team_id = excluded.team_id, region_scope = excluded.region_scope, "
            "scope_epoch = excluded.scope_epoch, deleted = excluded.deleted",
            {a.userId, a.name, a.role, nullable(a.teamId), a.regionScope.dump(), num(a.scopeEpoch),
             boolText(a.deleted)});
    }
    void bumpScopeEpochOfTeam(const std::string& teamId) override {
        m_conn->query("UPDATE account SET scope_epoch = scope_epoch + 1 WHERE team_id = $1", {teamId});
    }

    std::optional<Device> device(const std::string& id) override {
        auto r = m_conn->query(std::string(kDeviceCols) + "WHERE id = $1", {id});
        if (r.rows() == 0) return std::nullopt;
        return deviceFromRow(r, 0);
    }
    std::optional<Device> deviceByTokenHash(const std::string& h) override {
        auto r = m_conn->query(std::string(kDeviceCols) + "WHERE token_hash = $1", {h});
        if (r.rows() == 0) return std::nullopt;
        return deviceFromRow(r, 0);
    }
    std::vector<Device> devices() override {
        auto r = m_conn->query(std::string(kDeviceCols) + "ORDER BY created_at");
        std::vector<Device> out;
        for (int i = 0; i < r.rows(); ++i) out.push_back(deviceFromRow(r, i));
        return out;
    }
    void putDevice(const Device& d, const std::string& tokenHash) override {
        m_conn->query(
            "INSERT INTO device(id, user_id, name, token_hash, created_at, last_seen_at, revoked_at) "
            "VALUES($1,$2,$3,$4,$5,$6,$7)",
            {d.id, d.userId, d.name, tokenHash, d.createdAt, nullable(d.lastSeenAt), nullable(d.revokedAt)});
    }
    void updateDevice(const Device& d) override {
        m_conn->query("UPDATE device SET name = $1, last_seen_at = $2, revoked_at = $3 WHERE id = $4",
                      {d.name, nullable(d.lastSeenAt), nullable(d.revokedAt), d.id});
    }

    void putEnrollCode(const EnrollCode& c) override {
        m_conn->query("INSERT INTO enroll_code(code_hash, user_id, created_at, expires_at_ms) VALUES($1,$2,$3,$4)",
                      {c.codeHash, c.userId, c.createdAt, num(c.expiresAtMs)});
    }
    std::optional<EnrollCode> enrollCode(const std::string& h) override {
        auto r = m_conn->query(
            "SELECT code_hash, user_id, created_at, expires_at_ms, used_at, device_id FROM enroll_code "
            "WHERE code_hash = $1",
            {h});
        if (r.rows() == 0) return std::nullopt;
        return EnrollCode{r.text(0, 0), r.text(0, 1), r.text(0, 2), r.integer(0, 3), r.text(0, 4), r.text(0, 5)};
    }
    void markEnrollCodeUsed(const std::string& h, const std::string& at, const std::string& deviceId) override {
        m_conn->query("UPDATE enroll_code SET used_at = $1, device_id = $2 WHERE code_hash = $3", {at, deviceId, h});
    }
    std::vector<EnrollCode> enrollCodes() override {
        auto r = m_conn->query(
            "SELECT code_hash, user_id, created_at, expires_at_ms, used_at, device_id FROM enroll_code "
            "ORDER BY created_at DESC");
        std::vector<EnrollCode> out;
        for (int i = 0; i < r.rows(); ++i)
            out.push_back({r.text(i, 0), r.text(i, 1), r.text(i, 2), r.integer(i, 3), r.text(i, 4), r.text(i, 5)});
        return out;
    }
    void setEnrollCodeExpiry(const std::string& h, int64_t expiresAtMs) override {
        m_conn->query("UPDATE enroll_code SET expires_at_ms = $1 WHERE code_hash = $2", {num(expiresAtMs), h});
    }

    int64_t databaseBytes() override {
        return m_conn->query("SELECT pg_database_size(current_database())").integer(0, 0);
    }

    void insertAudit(const AuditRecord& a) override {
        m_conn->query(
            "INSERT INTO server_audit(seq, at, actor, device_id, action, target, target_id, detail, prev_hash, hash) "
            "VALUES($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)",
            {num(a.seq), a.at, a.actor, a.deviceId, a.action, a.target, a.targetId, a.detail, a.prevHash, a.hash});
    }
    std::optional<AuditRecord> lastAudit() override {
        auto r = m_conn->query(std::string(kAuditCols) + "ORDER BY seq DESC LIMIT 1");
        if (r.rows() == 0) return std::nullopt;
        return auditFromRow(r, 0);
    }
    std::vector<AuditRecord> auditAfter(int64_t afterSeq, int limit) override {
        auto r = m_conn->query(std::string(kAuditCols) + "WHERE seq > $1 ORDER BY seq LIMIT $2",
                               {num(afterSeq), num(limit)});
        std::vector<AuditRecord> out;
        for (int i = 0; i < r.rows(); ++i) out.push_back(auditFromRow(r, i));
        return out;
    }

    void setDeviceToken(const std::string& deviceId, const std::string& tokenHash) override {
        m_conn->query("UPDATE device SET token_hash = $1 WHERE id = $2", {tokenHash, deviceId});
    }
    void addEnrollFailure(const std::string& address, int64_t atMs) override {
        m_conn->query("INSERT INTO enroll_failure(address, at_ms) VALUES($1,$2)", {address, num(atMs)});
    }
    EnrollFailures enrollFailuresSince(const std::string& address, int64_t sinceMs) override {
        auto r = m_conn->query(
            "SELECT count(*), coalesce(min(at_ms), 0) FROM enroll_failure "
            "WHERE at_ms >= $1::bigint AND ($2::text = '' OR address = $2::text)",
            {num(sinceMs), address});
        return EnrollFailures{r.integer(0, 0), r.integer(0, 1)};
    }
    void pruneEnrollFailures(int64_t beforeMs) override {
        m_conn->query("DELETE FROM enroll_failure WHERE at_ms < $1::bigint", {num(beforeMs)});
    }
    int64_t blobBytesOn(const std::string& deviceId, const std::string& day) override {
        auto r = m_conn->query("SELECT bytes FROM blob_usage WHERE device_id = $1 AND day = $2", {deviceId, day});
        return r.rows() ? r.integer(0, 0) : 0;
    }
    void addBlobBytes(const std::string& deviceId, const std::string& day, int64_t bytes) override {
        m_conn->query(
            "INSERT INTO blob_usage(device_id, day, bytes) VALUES($1, $2, $3::bigint) "
            "ON CONFLICT (device_id, day) DO UPDATE SET bytes = blob_usage.bytes + excluded.bytes",
            {deviceId, day, num(bytes)});
    }

    void setBlobRef(const std::string& evidenceId, const std::string& sha, bool live) override {
        m_conn->query(
            "INSERT INTO blob_ref(evidence_id, sha256, live) VALUES($1,$2,$3) "
            "ON CONFLICT (evidence_id) DO UPDATE SET sha256 = excluded.sha256, live = excluded.live",
            {evidenceId, sha, boolText(live)});
    }
    bool blobVisible(const std::string& sha, const Viewer& v) override {
        auto r = m_conn->query(
            "SELECT 1 FROM blob_ref b JOIN record r ON r.entity = 'evidence' AND r.entity_id = b.evidence_id "
            "WHERE b.sha256 = $1 AND b.live AND ($2::boolean OR r.team_id = $3) LIMIT 1",
            {sha, boolText(v.all), nullable(v.teamId)});
        return r.rows() > 0;
    }

private:
    PgStorage& m_owner;
    std::unique_ptr<PgConn> m_conn;
    bool m_write;
    bool m_open = false;
    int64_t m_nextSeq = 0;
    int64_t m_savedSeq = 0;
};

class PgStorage final : public ServerStorage {
public:
    explicit PgStorage(std::string url) : m_url(std::move(url)) {
        // The first connection proves the server is reachable before anything listens.
        m_idle.push_back(std::make_unique<PgConn>(m_url));
        m_open = 1;
    }

    std::unique_ptr<StorageTx> write() override { return std::make_unique<PgTx>(*this, take(), true); }
    std::unique_ptr<StorageTx> read() override { return std::make_unique<PgTx>(*this, take(), false); }
    std::string describe() const override { return redactedPgUrl(m_url); }

    // A pooled connection, or a new one while fewer than kMaxPgConnections exist; else waits.
    std::unique_ptr<PgConn> take() {
        std::unique_lock lock(m_mutex);
        m_cv.wait(lock, [this] { return !m_idle.empty() || m_open < kMaxPgConnections; });
        if (!m_idle.empty()) {
            auto c = std::move(m_idle.back());
            m_idle.pop_back();
            return c;
        }
        ++m_open;
        lock.unlock();
        try {
            return std::make_unique<PgConn>(m_url);
        } catch (...) {
            lock.lock();
            --m_open;
            m_cv.notify_one();
            throw;
        }
    }

    // Returns a connection to the pool; a broken one (PostgreSQL restarted) is dropped.
    void giveBack(std::unique_ptr<PgConn> c) {
        std::lock_guard lock(m_mutex);
        if (c && c->healthy()) {
            m_idle.push_back(std::move(c));
        } else {
            --m_open;
        }
        m_cv.notify_one();
    }

private:
    std::string m_url;
    std::mutex m_mutex;
    std::condition_variable m_cv;
    std::vector<std::unique_ptr<PgConn>> m_idle;
    int m_open = 0;
};

PgTx::PgTx(PgStorage& owner, std::unique_ptr<PgConn> conn, bool write)
    : m_owner(owner), m_conn(std::move(conn)), m_write(write) {
    try {
        if (write) {
            // One round trip: lock the write row (waits for the writer before us to commit or
            // roll back), then read the sequence in a fresh snapshot that sees its commit.
            auto r = m_conn->exec(
                "BEGIN ISOLATION LEVEL READ COMMITTED; SELECT id FROM write_lock WHERE id = 1 FOR UPDATE; "
                "SELECT COALESCE(MAX(seq), 0) FROM change_log");
            m_open = true;
            m_nextSeq = r.integer(0, 0) + 1;
        } else {
            m_conn->exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
            m_open = true;
        }
    } catch (...) {
        if (m_open || m_conn->healthy()) {
            try {
                m_conn->exec("ROLLBACK");
            } catch (...) {
            }
        }
        m_owner.giveBack(std::move(m_conn));
        throw;
    }
}

PgTx::~PgTx() {
    if (m_open) {
        try {
            m_conn->exec("ROLLBACK");
        } catch (...) {
            // a broken connection is dropped by giveBack
        }
    }
    m_owner.giveBack(std::move(m_conn));
}

}  // namespace

bool isPostgresUrl(const std::string& db) {
    return db.rfind("postgresql://", 0) == 0 || db.rfind("postgres://", 0) == 0;
}

std::string redactedPgUrl(const std::string& url) {
    auto scheme = url.find("://");
    auto at = url.find('@');
    if (scheme == std::string::npos || at == std::string::npos) return url;
    auto colon = url.find(':', scheme + 3);
    if (colon == std::string::npos || colon > at) return url;
    return url.substr(0, colon + 1) + "***" + url.substr(at);
}

void initPgStorage(const std::string& url) {
    PgConn c(url);
    c.exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, description TEXT NOT NULL, "
           "applied_at TIMESTAMPTZ NOT NULL DEFAULT now())");
    for (const auto& m : pgMigrations()) {
        c.exec("BEGIN");
        try {
            // Two inits at once: the second waits here, then sees the migration applied.
            c.exec("SELECT pg_advisory_xact_lock(7235193)");
            auto done = c.query("SELECT 1 FROM schema_migrations WHERE version = $1", {num(m.version)});
            if (done.rows() == 0) {
                c.exec(m.sql);
                c.query("INSERT INTO schema_migrations(version, description) VALUES($1, $2)",
                        {num(m.version), m.description});
            }
            c.exec("COMMIT");
        } catch (...) {
            try {
                c.exec("ROLLBACK");
            } catch (...) {
            }
            throw;
        }
    }
}

std::unique_ptr<ServerStorage> openPgStorage(const std::string& url) {
    {
        PgConn c(url);
        auto has = c.query("SELECT to_regclass('schema_migrations') IS NOT NULL");
        if (!has.boolean(0, 0))
            throw StorageError("PostgreSQL database " + redactedPgUrl(url) +
                               " is not a Jiancha server database (run: jiancha-server init --db URL)");
        int64_t schema = c.query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations").integer(0, 0);
        if (schema != latestPgSchema())
            throw StorageError("server database " + redactedPgUrl(url) + " has schema " + std::to_string(schema) +
                               ", this server needs " + std::to_string(latestPgSchema()) +
                               (schema < latestPgSchema() ? " (run: jiancha-server init --db URL)" : ""));
    }
    return std::make_unique<PgStorage>(url);
}

}  // namespace jc::server
