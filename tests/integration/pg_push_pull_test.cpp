// Every push/pull rule of server_push_pull_test.cpp — idempotent replay, seq gaps, rejections,
// paging, team and region scope, workflow permissions, official numbers, causal conflicts —
// run again on the PostgreSQL backend, each test on its own database. Without PostgreSQL (a
// plain ctest run outside packaging/test.sh) each test warns and runs on SQLite instead.
#include "support/pg_env.h"
#define JC_TEST_SERVER_DB jc::test::freshPgDatabase()
#include "integration/server_push_pull_test.cpp"
