#include "sync/server/backup.h"

#include <sqlite3.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <memory>

#include "core/i18n.h"
#include "base/file_io.h"
#include "core/dates.h"
#include "core/error.h"
#include "sync/server/server_audit.h"
#include "sync/server/server_epoch.h"
#include "sync/server/sqlite_storage.h"

namespace jc::server {

namespace {

namespace fs = std::filesystem;

using Handle = std::unique_ptr<sqlite3, decltype(&sqlite3_close_v2)>;

Handle open(const std::string& path, int flags) {
    sqlite3* raw = nullptr;
    int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
    Handle h(raw, &sqlite3_close_v2);
    if (rc != SQLITE_OK)
        throw StorageError("cannot open '" + path + "': " + (raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc)));
    sqlite3_busy_timeout(raw, 10'000);
    return h;
}

std::string single(sqlite3* db, const char* sql) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db, sql, -1, &st, nullptr) != SQLITE_OK)
        throw StorageError(std::string("cannot read the database: ") + sqlite3_errmsg(db));
    std::string out;
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
        out = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return out;
}

// Copies all of `from` into `to` in one step (one read transaction on the source).
void copyDatabase(sqlite3* from, sqlite3* to, const std::string& what) {
    sqlite3_backup* b = sqlite3_backup_init(to, "main", from, "main");
    if (!b) throw StorageError("cannot start the " + what + ": " + sqlite3_errmsg(to));
    int rc;
    while ((rc = sqlite3_backup_step(b, -1)) == SQLITE_BUSY || rc == SQLITE_LOCKED) sqlite3_sleep(50);
    sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE) throw StorageError("the " + what + " failed: " + sqlite3_errstr(rc));
}

// What a usable Jiancha server database answers; throws a clear error otherwise.
int64_t checkServerDatabase(sqlite3* db, const std::string& path) {
    std::string ok = single(db, "PRAGMA integrity_check");
    if (ok != "ok") throw StorageError("'" + path + "' is damaged (integrity_check: " + ok + ")");
    if (single(db, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('change_log', 'server_meta')") !=
        "2")
        throw UsageError(trf("server.err_not_server_db", {path}));
    std::string seq = single(db, "SELECT coalesce(max(seq), 0) FROM change_log");
    return std::stoll(seq.empty() ? "0" : seq);
}

void removeWithSidecars(const fs::path& p) {
    std::error_code ec;
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) fs::remove(p.string() + suffix, ec);
}

// Copies `from` (a finished database file) to `to` through the backup API, checks and syncs it.
int64_t writeCheckedCopy(sqlite3* from, const fs::path& tmp, const std::string& what) {
    removeWithSidecars(tmp);
    {
        Handle out = open(tmp.string(), SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
        copyDatabase(from, out.get(), what);
        single(out.get(), "PRAGMA journal_mode = DELETE");
    }
    Handle check = open(tmp.string(), SQLITE_OPEN_READONLY);
    int64_t seq = checkServerDatabase(check.get(), tmp.string());
    check.reset();
    fsyncPathOrThrow(tmp);
    return seq;
}

void copyBlobs(const fs::path& blobDir, const fs::path& to, BackupReport& r) {
    fs::path objects = blobDir / "objects";
    std::error_code ec;
    if (!fs::exists(objects, ec)) return;
    for (fs::recursive_directory_iterator it(objects, ec), end; !ec && it != end; it.increment(ec)) {
        if (!it->is_regular_file(ec)) continue;
        fs::path rel = fs::relative(it->path(), blobDir, ec);
        fs::path target = to / rel;
        if (fs::exists(target, ec)) {
            ++r.blobsPresent;
            continue;
        }
        fs::create_directories(target.parent_path(), ec);
        fs::path tmp = target.string() + ".tmp";
        fs::copy_file(it->path(), tmp, fs::copy_options::overwrite_existing, ec);
        if (ec) throw StorageError("cannot copy evidence file '" + it->path().string() + "': " + ec.message());
        fsyncPathOrThrow(tmp);
        fs::rename(tmp, target, ec);
        if (ec) throw StorageError("cannot place evidence file '" + target.string() + "': " + ec.message());
        ++r.blobsCopied;
        r.blobBytesCopied += static_cast<int64_t>(fs::file_size(target, ec));
    }
}

}  // namespace

BackupReport backupDatabase(const std::string& db, const std::string& out, const std::string& blobDir,
                            const std::string& blobsTo) {
    if (db.empty() || out.empty()) throw UsageError("backup needs the database (--db) and the target (--out FILE)");
    if (db.find("://") != std::string::npos)
        throw UsageError("a PostgreSQL database is backed up with pg_dump (see the README), not with backup");
    std::error_code ec;
    if (!fs::is_regular_file(db, ec)) throw UsageError("no server database at '" + db + "'");
    if (fs::equivalent(db, out, ec)) throw UsageError("the backup cannot overwrite the database itself");
    BackupReport r;
    Handle src = open(db, SQLITE_OPEN_READONLY);
    fs::path target = fs::absolute(out);
    fs::path tmp = target.string() + ".partial";
    r.lastServerSeq = writeCheckedCopy(src.get(), tmp, "backup");
    fs::rename(tmp, target, ec);
    if (ec) throw StorageError("cannot place the backup at '" + target.string() + "': " + ec.message());
    fsyncPathOrThrow(target.parent_path());
    r.databaseBytes = static_cast<int64_t>(fs::file_size(target, ec));
    if (!blobsTo.empty()) copyBlobs(blobDir.empty() ? fs::path(db + ".blobs") : fs::path(blobDir), blobsTo, r);
    return r;
}

BackupReport restoreDatabase(const std::string& from, const std::string& db, bool force) {
    if (from.empty() || db.empty()) throw UsageError("restore needs the backup (--from FILE) and the database (--db)");
    std::error_code ec;
    if (!fs::is_regular_file(from, ec)) throw UsageError("no backup at '" + from + "'");
    BackupReport r;
    Handle src = open(from, SQLITE_OPEN_READONLY);
    checkServerDatabase(src.get(), from);
    fs::path target = fs::absolute(db);
    if (fs::exists(target, ec)) {
        if (!force)
            throw UsageError("a database exists at '" + target.string() +
                             "'; stop the server and add --force to replace it (it is kept as a .before-restore copy)");
        std::string stamp = nowIso();
        for (char& c : stamp)
            if (c == ':') c = '-';
        fs::path keep = target.string() + ".before-restore-" + stamp;
        Handle old = open(target.string(), SQLITE_OPEN_READWRITE);
        writeCheckedCopy(old.get(), keep, "copy of the replaced database");
    }
    fs::path tmp = target.string() + ".restoring";
    r.lastServerSeq = writeCheckedCopy(src.get(), tmp, "restore");
    {
        // WAL mode again, as `init` makes it.
        Handle h = open(tmp.string(), SQLITE_OPEN_READWRITE);
        single(h.get(), "PRAGMA journal_mode = WAL");
    }
    removeWithSidecars(target);
    fs::rename(tmp, target, ec);
    if (ec) throw StorageError("cannot place the restored database at '" + target.string() + "': " + ec.message());
    fsyncPathOrThrow(target.parent_path());
    {
        // A new epoch: devices that pushed after the backup was taken see it at their next sync
        // and send again what this copy lacks (server_epoch.h). The restore is audited.
        auto storage = openSqliteStorage(target.string());
        auto tx = storage->write();
        ServerEpoch e = startNewEpoch(*tx, r.lastServerSeq);
        appendServerAudit(*tx, kCliActor, "server_restore", "database", e.id,
                          {{"from", fs::absolute(from).string()}, {"last_server_seq", r.lastServerSeq}});
        tx->commit();
    }
    r.databaseBytes = static_cast<int64_t>(fs::file_size(target, ec));
    return r;
}

}  // namespace jc::server
