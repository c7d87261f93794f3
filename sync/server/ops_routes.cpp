// Operator endpoints on the admin listener (`serve --admin-listen HOST:PORT`), without
// authentication: bind it to loopback or a management network only.
//   GET /healthz  200 {"status":"ok"} when the database answers a read; 503 with the error otherwise
//   GET /metrics  Prometheus text format (metrics.h)
#include <httplib.h>

#include <chrono>
#include <filesystem>

#include "core/dates.h"
#include "core/entities.h"
#include "sync/server/server.h"

namespace jc::server {

namespace {

namespace fs = std::filesystem;

int64_t fileBytes(const fs::path& p) {
    std::error_code ec;
    auto n = fs::file_size(p, ec);
    return ec ? 0 : static_cast<int64_t>(n);
}

// A SQLite database is its file plus the WAL; other backends say their size themselves.
int64_t databaseBytes(const std::string& db) {
    std::error_code ec;
    if (db.find("://") != std::string::npos || !fs::is_regular_file(db, ec)) return -1;
    return fileBytes(db) + fileBytes(db + "-wal");
}

int64_t directoryBytes(const fs::path& dir) {
    int64_t total = 0;
    std::error_code ec;
    for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
        if (it->is_regular_file(ec)) total += fileBytes(it->path());
    return total;
}

ServerMetrics::Gauges gauges(SyncServer& srv) {
    ServerMetrics::Gauges g;
    int64_t dayAgo = nowMillis() - 24LL * 3600 * 1000;
    auto tx = srv.storage().read();
    for (const auto& d : tx->devices()) {
        if (!d.revokedAt.empty()) continue;
        ++g.devicesTotal;
        if (auto seen = parseIsoTimestamp(d.lastSeenAt); seen && *seen >= dayAgo) ++g.devicesSeen24h;
    }
    g.databaseBytes = databaseBytes(srv.options().dbPath);
    if (g.databaseBytes < 0) g.databaseBytes = tx->databaseBytes();  // PostgreSQL: pg_database_size
    g.blobBytes = directoryBytes(srv.blobs().dir());
    auto w = srv.writes().stats();
    g.writeCommits = w.commits;
    g.writeRequests = w.requests;
    g.writeGroupLargest = w.largest;
    return g;
}

}  // namespace

void installOpsRoutes(httplib::Server& http, SyncServer& srv) {
    http.Get("/healthz", [&srv](const httplib::Request&, httplib::Response& res) {
        try {
            auto tx = srv.storage().read();
            tx->lastServerSeq();
            res.status = 200;
            res.set_content(Json{{"status", "ok"}, {"time", nowIso()}}.dump(), "application/json");
        } catch (const std::exception& e) {
            res.status = 503;
            res.set_content(Json{{"status", "unavailable"}, {"error", e.what()}}.dump(), "application/json");
        }
        srv.metrics().observeRequest("/healthz", "GET", res.status, 0);
    });
    http.Get("/metrics", [&srv](const httplib::Request&, httplib::Response& res) {
        try {
            res.set_content(srv.metrics().prometheusText(gauges(srv)), "text/plain; version=0.0.4; charset=utf-8");
            res.status = 200;
        } catch (const std::exception& e) {
            res.status = 503;
            res.set_content(std::string("metrics unavailable: ") + e.what() + "\n", "text/plain; charset=utf-8");
        }
    });
}

}  // namespace jc::server
