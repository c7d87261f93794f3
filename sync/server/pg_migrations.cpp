#include "sync/server/pg_migrations.h"

namespace jc::server {

namespace {

// The tables mirror the SQLite backend's (sqlite_storage.cpp) so both speak the same model.
// write_lock holds one row: every write transaction locks it first (pg_storage.h).
const char* kV1 = R"SQL(
CREATE TABLE server_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE write_lock (id INTEGER PRIMARY KEY CHECK (id = 1));
INSERT INTO write_lock(id) VALUES (1);
CREATE TABLE change_log (
  seq BIGINT PRIMARY KEY,
  entity TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  fields TEXT NOT NULL,
  field_names TEXT NOT NULL,
  author TEXT NOT NULL,
  device_id TEXT NOT NULL,
  hlc TEXT NOT NULL,
  change_id TEXT,
  committed_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE TABLE record (
  entity TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  scope TEXT NOT NULL,
  team_id TEXT,
  created_seq BIGINT NOT NULL,
  state TEXT NOT NULL,
  PRIMARY KEY (entity, entity_id)
);
CREATE INDEX record_team ON record(team_id);
CREATE INDEX record_entity_created ON record(entity, created_seq);
CREATE TABLE push_cursor (
  device_id TEXT NOT NULL,
  incarnation TEXT NOT NULL,
  last_seq BIGINT NOT NULL,
  PRIMARY KEY (device_id, incarnation)
);
CREATE TABLE push_result (
  device_id TEXT NOT NULL,
  incarnation TEXT NOT NULL,
  seq BIGINT NOT NULL,
  result TEXT NOT NULL,
  PRIMARY KEY (device_id, incarnation, seq)
);
CREATE TABLE counter (key TEXT PRIMARY KEY, value BIGINT NOT NULL);
CREATE TABLE account (
  user_id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL,
  team_id TEXT,
  region_scope TEXT NOT NULL DEFAULT '[]',
  scope_epoch BIGINT NOT NULL DEFAULT 0,
  deleted BOOLEAN NOT NULL DEFAULT false
);
CREATE INDEX account_team ON account(team_id);
CREATE TABLE device (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  name TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL,
  last_seen_at TEXT,
  revoked_at TEXT
);
CREATE TABLE enroll_code (
  code_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at_ms BIGINT NOT NULL,
  used_at TEXT,
  device_id TEXT
);
CREATE TABLE blob_ref (
  evidence_id TEXT PRIMARY KEY,
  sha256 TEXT NOT NULL,
  live BOOLEAN NOT NULL
);
CREATE INDEX blob_ref_sha ON blob_ref(sha256);
)SQL";

// The server's audit log (server_audit.h): hash-chained; a trigger refuses UPDATE and DELETE.
const char* kV2 = R"SQL(
CREATE TABLE server_audit (
  seq BIGINT PRIMARY KEY,
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
CREATE FUNCTION server_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the audit log is append-only';
END;
$$;
CREATE TRIGGER server_audit_no_change BEFORE UPDATE OR DELETE ON server_audit
  FOR EACH ROW EXECUTE FUNCTION server_audit_append_only();
)SQL";

// Refused enrolment attempts (throttling code guessing) and evidence bytes per device and day
// (the daily upload limit), as in the SQLite backend.
const char* kV3 = R"SQL(
CREATE TABLE enroll_failure (
  address TEXT NOT NULL,
  at_ms BIGINT NOT NULL
);
CREATE INDEX enroll_failure_at ON enroll_failure(at_ms);
CREATE INDEX enroll_failure_address ON enroll_failure(address, at_ms);
CREATE TABLE blob_usage (
  device_id TEXT NOT NULL,
  day TEXT NOT NULL,
  bytes BIGINT NOT NULL,
  PRIMARY KEY (device_id, day)
);
)SQL";

}  // namespace

const std::vector<PgMigration>& pgMigrations() {
    static const std::vector<PgMigration> list = {
        {1, "server tables: change log, records, push bookkeeping, accounts, devices, blobs", kV1},
        {2, "server audit log", kV2},
        {3, "enrolment refusals and evidence bytes per device and day", kV3},
    };
    return list;
}

int latestPgSchema() {
    return pgMigrations().back().version;
}

}  // namespace jc::server
