#pragma once
// LocalServer: a complete jiancha-server running in-process on a loopback port over a fresh
// database in a temporary directory, with HQ's Admin at hand. For tests and the benchmark of the
// server and of the client engine: `LocalServer s; auto dev = s.enroll("alice"); … s.url()`.
// The directory is removed when the LocalServer dies (unless it was given by the caller).
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "sync/protocol/protocol.h"
#include "sync/server/admin.h"
#include "sync/server/server.h"

namespace jc::server {

struct LogCapture;

class LocalServer {
public:
    // With an empty `dir` a new temporary directory is made (and removed at the end). An existing
    // database in `dir` is reused, so a test can stop and start a server over the same data.
    // `db` names another database (a postgresql:// URL) instead of <dir>/server.db; it is
    // initialised the same way, and the blobs stay in <dir>/blobs.
    // `limits` replaces the server's defaults (tests of the throttles set small ones).
    explicit LocalServer(std::filesystem::path dir = {}, bool quiet = true, std::string db = {},
                         ServerLimits limits = {});
    ~LocalServer();

    std::string url() const { return m_server->baseUrl(); }
    std::string host() const { return "127.0.0.1"; }
    int port() const { return m_server->port(); }
    const std::filesystem::path& dir() const { return m_dir; }
    std::string dbPath() const { return m_db.empty() ? (m_dir / "server.db").string() : m_db; }
    SyncServer& server() { return *m_server; }
    Admin& admin() { return *m_admin; }

    // Makes an enrolment code for the user and trades it for a device token (no HTTP involved).
    proto::EnrollResponse enroll(const std::string& userName, const std::string& deviceName = "test device");

    // The request log's lines so far (kept whether or not the server is quiet).
    std::vector<std::string> logLines() const;

    void stop();     // stop serving (the data stays)
    void restart();  // stop, reopen the database and serve again on the same port

private:
    void open();
    std::filesystem::path m_dir;
    std::string m_db;
    bool m_ownsDir = false;
    bool m_quiet;
    ServerLimits m_limits;
    std::shared_ptr<LogCapture> m_log;
    int m_port = 0;
    std::unique_ptr<SyncServer> m_server;
    std::unique_ptr<Admin> m_admin;
};

}  // namespace jc::server
