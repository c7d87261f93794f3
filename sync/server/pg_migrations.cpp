#include "sync/server/pg_migrations.h"

#include "sync/server/server_schema.h"

namespace jc::server {

namespace {

// The tables shared with the SQLite backend come from server_schema.cpp; what follows each is
// PostgreSQL's own. write_lock holds one row: every write transaction locks it first
// (pg_storage.h).
std::string v1() {
    return serverTables(SqlDialect::Postgres, 1) + R"SQL(
CREATE TABLE write_lock (id INTEGER PRIMARY KEY CHECK (id = 1));
INSERT INTO write_lock(id) VALUES (1);
CREATE INDEX record_entity_created ON record(entity, created_seq);
)SQL";
}

// The audit log's trigger refuses UPDATE and DELETE.
std::string v2() {
    return serverTables(SqlDialect::Postgres, 2) + R"SQL(
CREATE FUNCTION server_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the audit log is append-only';
END;
$$;
CREATE TRIGGER server_audit_no_change BEFORE UPDATE OR DELETE ON server_audit
  FOR EACH ROW EXECUTE FUNCTION server_audit_append_only();
)SQL";
}

}  // namespace

const std::vector<PgMigration>& pgMigrations() {
    static const std::vector<PgMigration> list = {
        {1, "server tables: change log, records, push bookkeeping, accounts, devices, blobs", v1()},
        {2, "server audit log", v2()},
        {3, "enrolment refusals and evidence bytes per device and day", serverTables(SqlDialect::Postgres, 3)},
    };
    return list;
}

int latestPgSchema() {
    return pgMigrations().back().version;
}

}  // namespace jc::server
