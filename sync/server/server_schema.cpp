#include "sync/server/server_schema.h"

#include <stdexcept>
#include <utility>

namespace jc::server {

namespace {

// Words left open in the texts below:
//   @NEW@   "IF NOT EXISTS " in SQLite (init and upgrade run the whole text), nothing in PostgreSQL
//           (each migration runs once)
//   @INT@   a 64-bit integer column       @BOOL@ / @FALSE@  a flag column and its default
//   @NOROWID@  SQLite's WITHOUT ROWID on tables keyed by their primary key
//   @STAMP@ the commit time column, filled in by the database
const char* kV1 = R"SQL(
CREATE TABLE @NEW@server_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
-- Every committed change, in commit order. seq is the server sequence (the pull cursor).
CREATE TABLE @NEW@change_log (
  seq @INT@ PRIMARY KEY,
  entity TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  fields TEXT NOT NULL,
  field_names TEXT NOT NULL,
  author TEXT NOT NULL,
  device_id TEXT NOT NULL,
  hlc TEXT NOT NULL,
  change_id TEXT,
  committed_at @STAMP@
);
-- Current state: per field [value, version, author, device, hlc] as one JSON object.
CREATE TABLE @NEW@record (
  entity TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  scope TEXT NOT NULL,
  team_id TEXT,
  created_seq @INT@ NOT NULL,
  state TEXT NOT NULL,
  PRIMARY KEY (entity, entity_id)
)@NOROWID@;
CREATE INDEX @NEW@record_team ON record(team_id);
CREATE TABLE @NEW@push_cursor (
  device_id TEXT NOT NULL,
  incarnation TEXT NOT NULL,
  last_seq @INT@ NOT NULL,
  PRIMARY KEY (device_id, incarnation)
)@NOROWID@;
CREATE TABLE @NEW@push_result (
  device_id TEXT NOT NULL,
  incarnation TEXT NOT NULL,
  seq @INT@ NOT NULL,
  result TEXT NOT NULL,
  PRIMARY KEY (device_id, incarnation, seq)
)@NOROWID@;
CREATE TABLE @NEW@counter (key TEXT PRIMARY KEY, value @INT@ NOT NULL);
CREATE TABLE @NEW@account (
  user_id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL,
  team_id TEXT,
  region_scope TEXT NOT NULL DEFAULT '[]',
  scope_epoch @INT@ NOT NULL DEFAULT 0,
  deleted @BOOL@ NOT NULL DEFAULT @FALSE@
);
CREATE INDEX @NEW@account_team ON account(team_id);
CREATE TABLE @NEW@device (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  name TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL,
  last_seen_at TEXT,
  revoked_at TEXT
);
CREATE TABLE @NEW@enroll_code (
  code_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at_ms @INT@ NOT NULL,
  used_at TEXT,
  device_id TEXT
);
CREATE TABLE @NEW@blob_ref (
  evidence_id TEXT PRIMARY KEY,
  sha256 TEXT NOT NULL,
  live @BOOL@ NOT NULL
);
CREATE INDEX @NEW@blob_ref_sha ON blob_ref(sha256);
)SQL";

// The server's audit log (server_audit.h), append-only and hash-chained; each backend adds the
// trigger that refuses UPDATE and DELETE.
const char* kV2 = R"SQL(
CREATE TABLE @NEW@server_audit (
  seq @INT@ PRIMARY KEY,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  device_id TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT NOT NULL,
  target_id TEXT NOT NULL,
  detail TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
)SQL";

// Refused enrolment attempts (throttling code guessing) and evidence bytes per device and day
// (the daily upload limit).
const char* kV3 = R"SQL(
CREATE TABLE @NEW@enroll_failure (
  address TEXT NOT NULL,
  at_ms @INT@ NOT NULL
);
CREATE INDEX @NEW@enroll_failure_at ON enroll_failure(at_ms);
CREATE INDEX @NEW@enroll_failure_address ON enroll_failure(address, at_ms);
CREATE TABLE @NEW@blob_usage (
  device_id TEXT NOT NULL,
  day TEXT NOT NULL,
  bytes @INT@ NOT NULL,
  PRIMARY KEY (device_id, day)
)@NOROWID@;
)SQL";

std::string fillIn(std::string text, SqlDialect d) {
    const bool lite = d == SqlDialect::Sqlite;
    const std::pair<const char*, const char*> words[] = {
        {"@NEW@", lite ? "IF NOT EXISTS " : ""},
        {"@INT@", lite ? "INTEGER" : "BIGINT"},
        {"@BOOL@", lite ? "INTEGER" : "BOOLEAN"},
        {"@FALSE@", lite ? "0" : "false"},
        {"@NOROWID@", lite ? " WITHOUT ROWID" : ""},
        {"@STAMP@",
         lite ? "TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))" : "TIMESTAMPTZ NOT NULL DEFAULT now()"},
    };
    for (const auto& [word, value] : words) {
        const std::string w = word;
        for (auto at = text.find(w); at != std::string::npos; at = text.find(w, at))
            text.replace(at, w.size(), value), at += std::char_traits<char>::length(value);
    }
    return text;
}

}  // namespace

std::string serverTables(SqlDialect dialect, int version) {
    switch (version) {
        case 1:
            return fillIn(kV1, dialect);
        case 2:
            return fillIn(kV2, dialect);
        case 3:
            return fillIn(kV3, dialect);
    }
    throw std::invalid_argument("no server schema version " + std::to_string(version));
}

}  // namespace jc::server
