#include "base/db.h"

#include "core/error.h"

namespace jc {

namespace {
thread_local std::string t_integrityFailure;
}

void noteIntegrityFailure(const std::string& what) { t_integrityFailure = what; }

std::string takeIntegrityFailure() {
    std::string s;
    s.swap(t_integrityFailure);
    return s;
}

void throwSqlite(sqlite3* db, int rc, std::string_view what) {
    std::string msg = std::string(what) + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
    if (std::string note = takeIntegrityFailure(); !note.empty()) msg = note + " [" + msg + "]";
    // Connections run with extended result codes on; rc is extended already where SQLite gives one.
    throw StorageError(msg, db ? sqlite3_extended_errcode(db) : rc);
}

Statement::Statement(sqlite3* db, std::string_view sql) : m_db(db), m_sql(sql) {
    int rc = sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &m_stmt,
                                nullptr);
    if (rc != SQLITE_OK) throwSqlite(db, rc, "prepare [" + std::string(sql.substr(0, 200)) + "]");
}

Statement::~Statement() {
    if (m_stmt) sqlite3_finalize(m_stmt);
}

Statement::Statement(Statement&& o) noexcept : m_db(o.m_db), m_stmt(o.m_stmt), m_sql(std::move(o.m_sql)) {
    o.m_stmt = nullptr;
}

Statement& Statement::bind(int idx, int64_t v) {
    if (int rc = sqlite3_bind_int64(m_stmt, idx, v); rc != SQLITE_OK) throwSqlite(m_db, rc, "bind");
    return *this;
}
Statement& Statement::bind(int idx, double v) {
    if (int rc = sqlite3_bind_double(m_stmt, idx, v); rc != SQLITE_OK) throwSqlite(m_db, rc, "bind");
    return *this;
}
Statement& Statement::bind(int idx, std::string_view v) {
    int rc = sqlite3_bind_text(m_stmt, idx, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    if (rc != SQLITE_OK) throwSqlite(m_db, rc, "bind");
    return *this;
}
Statement& Statement::bindBlob(int idx, std::string_view bytes) {
    int rc = sqlite3_bind_blob(m_stmt, idx, bytes.data(), static_cast<int>(bytes.size()), SQLITE_TRANSIENT);
    if (rc != SQLITE_OK) throwSqlite(m_db, rc, "bind");
    return *this;
}
Statement& Statement::bindNull(int idx) {
    if (int rc = sqlite3_bind_null(m_stmt, idx); rc != SQLITE_OK) throwSqlite(m_db, rc, "bind");
    return *this;
}
Statement& Statement::bindJson(int idx, const nlohmann::json& v) {
    if (v.is_null()) return bindNull(idx);
    if (v.is_boolean()) return bind(idx, static_cast<int64_t>(v.get<bool>() ? 1 : 0));
    if (v.is_number_integer()) return bind(idx, v.get<int64_t>());
    if (v.is_number()) return bind(idx, v.get<double>());
    if (v.is_string()) return bind(idx, v.get_ref<const std::string&>());
    return bind(idx, v.dump());
}

bool Statement::step() {
    int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    sqlite3_reset(m_stmt);
    throwSqlite(m_db, rc, "step [" + m_sql.substr(0, 200) + "]");
}

bool Statement::exists() {
    bool row = step();
    reset();
    return row;
}

void Statement::run() {
    while (step()) {
    }
}

void Statement::reset() {
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
}

int Statement::columns() const { return sqlite3_column_count(m_stmt); }
bool Statement::isNull(int col) const { return sqlite3_column_type(m_stmt, col) == SQLITE_NULL; }
int64_t Statement::getInt(int col) const { return sqlite3_column_int64(m_stmt, col); }
double Statement::getDouble(int col) const { return sqlite3_column_double(m_stmt, col); }
std::string Statement::getText(int col) const {
    auto* p = reinterpret_cast<const char*>(sqlite3_column_text(m_stmt, col));
    return p ? std::string(p, static_cast<size_t>(sqlite3_column_bytes(m_stmt, col))) : std::string();
}
std::string Statement::getBlob(int col) const {
    auto* p = static_cast<const char*>(sqlite3_column_blob(m_stmt, col));
    return p ? std::string(p, static_cast<size_t>(sqlite3_column_bytes(m_stmt, col))) : std::string();
}
std::string Statement::columnName(int col) const { return sqlite3_column_name(m_stmt, col); }

nlohmann::json Statement::getJson(int col) const {
    switch (sqlite3_column_type(m_stmt, col)) {
        case SQLITE_INTEGER: return getInt(col);
        case SQLITE_FLOAT: return getDouble(col);
        case SQLITE_TEXT: return getText(col);
        case SQLITE_BLOB: return getText(col);
        default: return nullptr;
    }
}

Database::Database(const std::string& path, bool readOnly, const char* vfs, bool uris) : m_path(path) {
    int flags = readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    flags |= SQLITE_OPEN_NOMUTEX;
    if (uris) flags |= SQLITE_OPEN_URI;
    int rc = sqlite3_open_v2(path.c_str(), &m_db, flags, vfs);
    if (rc != SQLITE_OK) {
        std::string msg = "cannot open database '" + path + "': " + (m_db ? sqlite3_errmsg(m_db) : sqlite3_errstr(rc));
        if (std::string note = takeIntegrityFailure(); !note.empty()) msg = note + " [" + msg + "]";
        if (m_db) sqlite3_close(m_db);
        m_db = nullptr;
        throw StorageError(msg);
    }
    sqlite3_busy_timeout(m_db, 5000);
    sqlite3_extended_result_codes(m_db, 1);
}

Database::~Database() {
    m_cache.clear();
    if (m_db) sqlite3_close_v2(m_db);
}

int64_t Database::changes() const { return sqlite3_changes64(m_db); }

void Database::exec(std::string_view sql) {
    char* err = nullptr;
    int rc = sqlite3_exec(m_db, std::string(sql).c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
        std::string msg = err ? err : sqlite3_errstr(rc);
        sqlite3_free(err);
        if (std::string note = takeIntegrityFailure(); !note.empty()) msg = note + " [" + msg + "]";
        throw StorageError("exec [" + std::string(sql.substr(0, 120)) + "]: " + msg, sqlite3_extended_errcode(m_db));
    }
}

Statement Database::prepare(std::string_view sql) { return Statement(m_db, sql); }

void Database::resetStatements() {
    for (sqlite3_stmt* s = sqlite3_next_stmt(m_db, nullptr); s; s = sqlite3_next_stmt(m_db, s)) sqlite3_reset(s);
}

std::unique_ptr<Transaction> beginIfNeeded(Database& db) {
    if (sqlite3_get_autocommit(db.handle())) return std::make_unique<Transaction>(db);
    return nullptr;
}

Statement& Database::cached(const std::string& sql) {
    auto it = m_cache.find(sql);
    if (it == m_cache.end()) it = m_cache.emplace(sql, std::make_unique<Statement>(m_db, sql)).first;
    it->second->reset();
    return *it->second;
}

int64_t Database::queryInt(std::string_view sql, int64_t fallback) {
    Statement s(m_db, sql);
    return s.step() && !s.isNull(0) ? s.getInt(0) : fallback;
}


Transaction::Transaction(Database& db) : m_db(db) {
    if (sqlite3_get_autocommit(m_db.handle())) {
        m_db.exec("BEGIN IMMEDIATE");
        return;
    }
    if (m_db.m_joinNested) {  // Database::JoinNested: part of the caller's transaction
        m_joined = true;
        return;
    }
    // Inside a caller's transaction: a savepoint, so this work commits with the caller's and
    // a failure here undoes only this part.
    m_savepoint = "jc_tx_" + std::to_string(++m_db.m_savepoints);
    m_db.exec("SAVEPOINT " + m_savepoint);
}

Transaction::~Transaction() {
    if (m_done) return;
    if (m_joined) {
        m_db.m_nestedFailed = true;  // the outer commit refuses, so the whole batch rolls back
        return;
    }
    if (m_savepoint.empty()) {
        m_db.m_nestedFailed = false;
        sqlite3_exec(m_db.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
        return;
    }
    std::string sql = "ROLLBACK TO " + m_savepoint + "; RELEASE " + m_savepoint;
    sqlite3_exec(m_db.handle(), sql.c_str(), nullptr, nullptr, nullptr);
}

void Transaction::commit() {
    if (m_joined) {
        m_done = true;
        return;
    }
    if (m_savepoint.empty() && m_db.m_nestedFailed) {
        m_db.m_nestedFailed = false;
        throw StorageError("a transaction joined to this one did not commit: nothing of it is kept");
    }
    m_db.exec(m_savepoint.empty() ? std::string("COMMIT") : "RELEASE " + m_savepoint);
    m_done = true;
}

Database::JoinNested::JoinNested(Database& db) : m_db(db), m_previous(db.m_joinNested) { m_db.m_joinNested = true; }
Database::JoinNested::~JoinNested() { m_db.m_joinNested = m_previous; }

}  // namespace jc
