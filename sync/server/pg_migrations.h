#pragma once
// The PostgreSQL schema of the server database, as numbered migrations. `jiancha-server init`
// applies those not yet recorded in schema_migrations, each in its own transaction under an
// advisory lock (two inits at once do not race); `serve` and the admin commands refuse a
// database whose latest applied migration is not the latest one here. A migration, once
// released, is never edited: a change to the schema is a new entry at the end.
#include <string>
#include <vector>

namespace jc::server {

struct PgMigration {
    int version;
    const char* description;
    std::string sql;
};

const std::vector<PgMigration>& pgMigrations();
int latestPgSchema();

}  // namespace jc::server
