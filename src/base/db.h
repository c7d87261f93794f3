#pragma once
// Thin RAII layer over SQLite: one Database per thread, prepared statements only,
// typed StorageError on every failure, and a Transaction that rolls back unless committed.
#include <sqlite3.h>

#include <cstdint>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace jc {

class Statement {
public:
    Statement(sqlite3* db, std::string_view sql);
    ~Statement();
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    Statement(Statement&& o) noexcept;

    Statement& bind(int idx, int64_t v);
    Statement& bind(int idx, int v) { return bind(idx, static_cast<int64_t>(v)); }
    Statement& bind(int idx, double v);
    Statement& bind(int idx, std::string_view v);
    Statement& bind(int idx, const char* v) { return bind(idx, std::string_view(v)); }
    Statement& bind(int idx, const std::string& v) { return bind(idx, std::string_view(v)); }
    Statement& bindNull(int idx);
    Statement& bindBlob(int idx, std::string_view bytes);
    Statement& bindJson(int idx, const nlohmann::json& v);  // scalar by type; array/object as text

    bool step();   // true while a row is available
    // Steps once and resets: whether the query has a row. Use for existence checks, so the
    // statement does not keep a read snapshot open on the connection.
    bool exists();
    void run();    // step to completion
    void reset();  // reset and clear bindings for reuse

    int columns() const;
    bool isNull(int col) const;
    int64_t getInt(int col) const;
    double getDouble(int col) const;
    std::string getText(int col) const;
    std::string getBlob(int col) const;  // the column's bytes as they are
    nlohmann::json getJson(int col) const;  // by SQLite type: null, integer, real or string
    std::string columnName(int col) const;

private:
    sqlite3* m_db;
    sqlite3_stmt* m_stmt = nullptr;
    std::string m_sql;
};

class Database {
public:
    // `vfs`: a registered SQLite VFS by name (the store's encrypting one), nullptr for the default.
    // `uris`: file names in SQL (ATTACH, VACUUM INTO) may be URIs naming their VFS.
    explicit Database(const std::string& path, bool readOnly = false, const char* vfs = nullptr, bool uris = false);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    void exec(std::string_view sql);
    Statement prepare(std::string_view sql);
    // A statement cached on this connection, reset and ready to bind. Valid until the Database dies.
    Statement& cached(const std::string& sql);
    // Resets every statement of this connection. A statement left on a row keeps the read
    // transaction open, and a long-lived connection would then go on seeing that snapshot (WAL):
    // workers call this after each job so the next one sees the latest commits.
    void resetStatements();
    int64_t queryInt(std::string_view sql, int64_t fallback = 0);
    int64_t changes() const;  // rows changed by the last INSERT, UPDATE or DELETE on this connection
    sqlite3* handle() const { return m_db; }
    const std::string& path() const { return m_path; }

private:
    sqlite3* m_db = nullptr;
    std::string m_path;
    std::map<std::string, std::unique_ptr<Statement>> m_cache;
    int64_t m_savepoints = 0;  // names nested transactions (Transaction)
    bool m_joinNested = false, m_nestedFailed = false;
    friend class Transaction;

public:
    // While one lives, a Transaction opened inside another joins it without a savepoint: for
    // bulk generators that run many commands in one commit (SQLite's FTS5 writes its pending
    // index at every savepoint, so savepoints would cost as much as commits). A joined
    // transaction that does not commit makes the outer commit() throw, so the batch is undone
    // as a whole.
    class JoinNested {
    public:
        explicit JoinNested(Database& db);
        ~JoinNested();
        JoinNested(const JoinNested&) = delete;
        JoinNested& operator=(const JoinNested&) = delete;

    private:
        Database& m_db;
        bool m_previous;
    };
};

// BEGIN IMMEDIATE … COMMIT. The destructor rolls back when commit() was not reached.
// Opened while the connection already has a transaction, it is a SAVEPOINT instead: commit()
// releases it into the outer transaction (durable only when that one commits) and a rollback
// undoes only its own work — or, under Database::JoinNested, simply part of the outer one.
class Transaction {
public:
    explicit Transaction(Database& db);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void commit();
    bool nested() const { return !m_savepoint.empty() || m_joined; }

private:
    Database& m_db;
    std::string m_savepoint;  // empty: the outermost transaction (or a joined one)
    bool m_joined = false;    // Database::JoinNested
    bool m_done = false;
};

// A transaction of its own, or nullptr when the caller already has one open (then the work
// joins the caller's transaction and commits with it).
std::unique_ptr<Transaction> beginIfNeeded(Database& db);

[[noreturn]] void throwSqlite(sqlite3* db, int rc, std::string_view what);

// A VFS that finds a file changed or damaged (the encrypting VFS of store/crypto: a page that
// fails authentication) says which file and where here; the next StorageError thrown on this
// thread carries that text instead of SQLite's bare "disk I/O error".
void noteIntegrityFailure(const std::string& what);
std::string takeIntegrityFailure();  // and clears it

}  // namespace jc
