#pragma once
// Test helper for the PostgreSQL backend and the multi-server tests. packaging/test.sh starts a
// PostgreSQL cluster (owned by an unprivileged user, on a free loopback port) and exports
//   JIANCHA_TEST_PG       postgresql://postgres@127.0.0.1:PORT   (no database name)
//   JIANCHA_TEST_HAPROXY  the haproxy binary
//   JIANCHA_TEST_HAPROXY_URL, JIANCHA_TEST_HAPROXY_BACKENDS  HAProxy it runs, round-robin over
//                         two loopback ports ("P1,P2") where the multi-server test starts its servers
//   JIANCHA_TEST_SERVICES 1 — the services must be there: a test that misses one fails.
// Run outside that script (plain ctest), the tests that need them pass with a WARN saying why
// they did not run. Each test gets its own database, dropped when the process ends.
#include <libpq-fe.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <mutex>
#include <string>
#include <vector>

#include "core/uuid.h"
#include "support/pg_exec.h"

namespace jc::test {

inline bool servicesRequired() {
    const char* v = std::getenv("JIANCHA_TEST_SERVICES");
    return v && std::string(v) == "1";
}

// The server base URL, or "" (after a WARN, or a failure under packaging/test.sh).
inline std::string pgBaseUrl() {
    const char* v = std::getenv("JIANCHA_TEST_PG");
    if (v && *v) return v;
    if (servicesRequired()) FAIL("JIANCHA_TEST_SERVICES=1 but JIANCHA_TEST_PG is not set");
    WARN("skipped: no PostgreSQL (run through packaging/test.sh, or set JIANCHA_TEST_PG=postgresql://USER@HOST:PORT)");
    return {};
}

inline std::string haproxyBin() {
    const char* v = std::getenv("JIANCHA_TEST_HAPROXY");
    if (v && *v) return v;
    if (servicesRequired()) FAIL("JIANCHA_TEST_SERVICES=1 but JIANCHA_TEST_HAPROXY is not set");
    WARN("skipped: no HAProxy (run through packaging/test.sh, or set JIANCHA_TEST_HAPROXY=/usr/sbin/haproxy)");
    return {};
}

// First column of the first row of a query, as text ("" when no row).
inline std::string pgScalar(const std::string& url, const std::string& sql) {
    PGconn* c = PQconnectdb(url.c_str());
    std::string out, err;
    if (PQstatus(c) != CONNECTION_OK) {
        err = PQerrorMessage(c);
    } else {
        PGresult* r = PQexec(c, sql.c_str());
        if (PQresultStatus(r) != PGRES_TUPLES_OK)
            err = PQerrorMessage(c);
        else if (PQntuples(r) > 0)
            out = PQgetvalue(r, 0, 0);
        PQclear(r);
    }
    PQfinish(c);
    if (!err.empty()) throw std::runtime_error("PostgreSQL: " + err + " (in: " + sql + ")");
    return out;
}

// Databases made by this process, dropped at exit.
class PgDatabases {
public:
    static PgDatabases& instance() {
        static PgDatabases d;
        return d;
    }
    std::string make(const std::string& base) {
        std::string name = "jc_test_" + newUuidV7().substr(24);
        for (auto& ch : name)
            if (ch == '-') ch = '_';
        pgExec(base + "/postgres", "CREATE DATABASE " + name);
        std::lock_guard lock(m_mutex);
        m_made.push_back({base, name});
        return base + "/" + name;
    }
    ~PgDatabases() {
        for (const auto& [base, name] : m_made) {
            try {
                pgExec(base + "/postgres", "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            } catch (...) {
            }
        }
    }

private:
    std::mutex m_mutex;
    std::vector<std::pair<std::string, std::string>> m_made;
};

// A new empty database's URL, or "" when PostgreSQL is not available (see pgBaseUrl()).
inline std::string freshPgDatabase() {
    std::string base = pgBaseUrl();
    return base.empty() ? base : PgDatabases::instance().make(base);
}

}  // namespace jc::test
