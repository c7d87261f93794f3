#pragma once
// The server database's tables, written once for both backends. Each schema version's table
// definitions are one text with a few dialect words left open (integer and boolean types, the
// commit time's default, SQLite's IF NOT EXISTS and WITHOUT ROWID); serverTables() fills them in.
// What only one backend has (PostgreSQL's write_lock row and its audit trigger function,
// SQLite's two audit triggers) stays with that backend (pg_migrations.cpp, sqlite_storage.cpp).
#include <string>

namespace jc::server {

enum class SqlDialect { Sqlite, Postgres };

// The CREATE TABLE / CREATE INDEX statements that schema `version` (1 to 3) adds, in `dialect`.
std::string serverTables(SqlDialect dialect, int version);

}  // namespace jc::server
