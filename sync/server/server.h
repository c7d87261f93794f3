#pragma once
// SyncServer: the HTTP(S) face of jiancha-server (routes in http_routes.cpp). Runs cpp-httplib on
// its thread pool over one ServerStorage and one BlobStore; logs one JSON line per request (time,
// method, route, status, ms, user, device, bytes in and out). Optionally a second, plain-HTTP
// listener for operators (ops_routes.cpp): /healthz and /metrics, without authentication, meant
// for a loopback or management address only. Used by `jiancha-server serve`, and in-process by
// tests and the benchmark (start() serves on a background thread, port 0 picks a free port).
#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "core/hlc.h"
#include "sync/server/blob_store.h"
#include "sync/server/group_commit.h"
#include "sync/server/limits.h"
#include "sync/server/metrics.h"
#include "sync/server/server_epoch.h"
#include "sync/server/storage.h"

namespace httplib {
class Server;
}

namespace jc::server {

struct ServerOptions {
    std::string dbPath;
    std::string blobDir;  // default: <dbPath>.blobs
    std::string host = "127.0.0.1";
    int port = 0;         // 0 = any free port (see port())
    std::string tlsCert;  // both set = HTTPS
    std::string tlsKey;
    // Operator listener for /healthz and /metrics; empty host = none. Port 0 = any free port.
    std::string adminHost;
    int adminPort = 0;
    // Receives each log line (without newline); default writes to stderr. Set quiet to drop them.
    std::function<void(const std::string&)> log;
    bool quiet = false;
    ServerLimits limits;  // enrolment throttling, evidence bytes per device and day (limits.h)
    int writeGroup = static_cast<int>(GroupCommit::kDefaultMaxRequests);  // requests per commit at most
    // Requests served at once (httplib's pool; its default is 8). A push waiting for its group's
    // commit holds a thread, so with 8 a burst of pushes left pulls waiting and capped a group at 8.
    int requestThreads = 32;
};

class SyncServer {
public:
    explicit SyncServer(ServerOptions options);  // opens the database; throws StorageError / UsageError
    ~SyncServer();
    SyncServer(const SyncServer&) = delete;
    SyncServer& operator=(const SyncServer&) = delete;

    int bind();    // binds the socket; returns the port. Throws UsageError when it cannot.
    void run();    // serves until stop(); call bind() first
    void start();  // bind() and run() on a background thread
    void stop();   // safe from any thread; returns when the background thread (if any) has ended

    int port() const { return m_port; }
    int adminPort() const { return m_adminPort; }  // 0 when there is no operator listener
    bool tls() const { return !m_options.tlsCert.empty(); }
    std::string baseUrl() const;  // e.g. http://127.0.0.1:40123
    ServerStorage& storage() { return *m_storage; }
    // Request writes that wait for a commit (pushes, evidence byte counts) go through here, so
    // concurrent ones share a transaction and its fsync (group_commit.h).
    GroupCommit& writes() { return *m_writes; }
    BlobStore& blobs() { return *m_blobs; }
    HybridClock& clock() { return m_clock; }
    ServerMetrics& metrics() { return m_metrics; }
    // Read once at start: a restore needs the server stopped, so it cannot change while serving.
    const ServerEpoch& epoch() const { return m_epoch; }
    const ServerOptions& options() const { return m_options; }
    void log(const std::string& line);

private:
    void installRoutes();

    ServerOptions m_options;
    std::unique_ptr<ServerStorage> m_storage;
    std::unique_ptr<GroupCommit> m_writes;
    std::unique_ptr<BlobStore> m_blobs;
    HybridClock m_clock{"server"};
    ServerMetrics m_metrics;
    ServerEpoch m_epoch;
    std::unique_ptr<httplib::Server> m_http;
    std::unique_ptr<httplib::Server> m_admin;  // operator listener, when adminHost is set
    std::thread m_thread;
    std::thread m_adminThread;
    std::atomic<bool> m_finished{false};
    int m_port = 0;
    int m_adminPort = 0;
};

// Registers the /v1 routes on `http` (http_routes.cpp).
void installSyncRoutes(httplib::Server& http, SyncServer& server);
// Registers /healthz and /metrics on the operator listener (ops_routes.cpp).
void installOpsRoutes(httplib::Server& http, SyncServer& server);

}  // namespace jc::server
