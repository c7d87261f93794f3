#pragma once
// Picks the storage backend from the database argument (--db or $JIANCHA_SERVER_DB): a
// postgresql:// or postgres:// URL is PostgreSQL (pg_storage.h), anything else a SQLite file
// (sqlite_storage.h).
#include <memory>
#include <string>

#include "sync/server/storage.h"

namespace jc::server {

// Creates the database schema (SQLite: the file; PostgreSQL: the tables in an existing database).
void initStorage(const std::string& db);
// Opens a database made by initStorage; throws StorageError with a clear message otherwise.
std::unique_ptr<ServerStorage> openStorage(const std::string& db);
// "postgresql://…" (password hidden) or the SQLite path, for messages.
std::string describeDb(const std::string& db);

}  // namespace jc::server
