#pragma once
// Online backup and restore of the SQLite server database (`jiancha-server backup|restore`).
//
// backup copies the whole database in one read transaction of SQLite's online backup API: in WAL
// mode the running server keeps reading and writing meanwhile, and the copy is the database as
// it was at one commit. The copy is written beside the target, checked (integrity_check, and that
// it is a Jiancha server database), synced, then renamed into place, so a crash never leaves a
// half-written backup under the final name. Evidence files are immutable and named by their
// SHA-256: with `blobsTo`, the complete ones not yet in that directory are copied after the
// database, so every file the backed-up records name is there.
//
// restore puts a backup in place of a stopped server's database: it checks the backup the same
// way, keeps the database it replaces as <db>.before-restore-<time> (only with `force`; without it
// an existing database is refused), and removes the old WAL files. PostgreSQL databases are backed
// up with pg_dump / pg_restore instead (README).
#include <cstdint>
#include <string>

namespace jc::server {

struct BackupReport {
    int64_t databaseBytes = 0;
    int64_t blobsCopied = 0, blobBytesCopied = 0, blobsPresent = 0;
    int64_t lastServerSeq = 0;  // the newest change in the copy
};

BackupReport backupDatabase(const std::string& db, const std::string& out, const std::string& blobDir = {},
                            const std::string& blobsTo = {});
BackupReport restoreDatabase(const std::string& from, const std::string& db, bool force);

}  // namespace jc::server
