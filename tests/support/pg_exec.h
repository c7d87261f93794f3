#pragma once
// One SQL statement on a PostgreSQL server by URL, for tests and benchmarks that create and drop
// their databases (no Catch2 here: the load benchmark uses it too).
#include <libpq-fe.h>

#include <stdexcept>
#include <string>

namespace jc::test {

// Runs one SQL statement on `url`; throws with PostgreSQL's message on failure.
inline void pgExec(const std::string& url, const std::string& sql) {
    PGconn* c = PQconnectdb(url.c_str());
    std::string err;
    if (PQstatus(c) != CONNECTION_OK) {
        err = PQerrorMessage(c);
    } else {
        PGresult* r = PQexec(c, sql.c_str());
        if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK) err = PQerrorMessage(c);
        PQclear(r);
    }
    PQfinish(c);
    if (!err.empty()) throw std::runtime_error("PostgreSQL: " + err + " (in: " + sql + ")");
}

}  // namespace jc::test
