#pragma once
// The embedded storage backend: one SQLite file (WAL, synchronous=FULL), one writer connection
// serialised by a mutex (BEGIN IMMEDIATE, so another process such as the admin CLI waits its
// turn) and a pool of reader connections, each reading one WAL snapshot per transaction.
// The server sequence is MAX(seq)+1 taken inside the write transaction: commit order equals
// sequence order because only one write transaction runs at a time (with group commit, one
// transaction carries several requests, each in a savepoint: group_commit.h). WAL checkpoints run on a
// background connection every 500 ms (PASSIVE), not inside a push's commit.
// A record's state is one JSON text column: {"w":[[version,author,device,hlc],…],"f":{field:[w,value]}}.
#include <memory>
#include <string>

#include "sync/server/storage.h"

namespace jc::server {

// Schema version of the server database (not of the wire protocol).
inline constexpr int kServerDbSchema = 3;  // 2: the audit log; 3: enrolment refusals, evidence bytes a day

// Creates the database file and its schema (an existing server database is left as it is).
void initSqliteStorage(const std::string& path);

// Opens an existing server database; throws StorageError with a clear message when the file is
// missing or was not made by `jiancha-server init`.
std::unique_ptr<ServerStorage> openSqliteStorage(const std::string& path);

}  // namespace jc::server
