#include "sync/server/open_storage.h"

#include "sync/server/pg_storage.h"
#include "sync/server/sqlite_storage.h"

namespace jc::server {

void initStorage(const std::string& db) {
    if (isPostgresUrl(db))
        initPgStorage(db);
    else
        initSqliteStorage(db);
}

std::unique_ptr<ServerStorage> openStorage(const std::string& db) {
    return isPostgresUrl(db) ? openPgStorage(db) : openSqliteStorage(db);
}

std::string describeDb(const std::string& db) {
    return isPostgresUrl(db) ? redactedPgUrl(db) : db;
}

}  // namespace jc::server
