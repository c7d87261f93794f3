// The enrolment and upload limits of server_enrol_limits_test.cpp on the PostgreSQL backend,
// each test on its own database. Without PostgreSQL (a plain ctest run outside
// packaging/test.sh) each test warns and runs on SQLite instead.
#include "support/pg_env.h"
#define JC_TEST_SERVER_DB jc::test::freshPgDatabase()
#include "integration/server_enrol_limits_test.cpp"
