#include "sync/server/server.h"

#include <httplib.h>

#include <chrono>
#include <iostream>
#include <mutex>

#include "core/error.h"
#include "sync/protocol/protocol.h"
#include "sync/server/open_storage.h"
#include "sync/server/pg_storage.h"

namespace jc::server {

SyncServer::SyncServer(ServerOptions options) : m_options(std::move(options)) {
    if (m_options.dbPath.empty()) throw UsageError("no database given (--db FILE)");
    m_options.limits.validate();
    if (m_options.tlsCert.empty() != m_options.tlsKey.empty())
        throw UsageError("HTTPS needs both --tls-cert and --tls-key");
    // With PostgreSQL several servers share the database, so they must share the blobs too.
    if (isPostgresUrl(m_options.dbPath) && m_options.blobDir.empty())
        throw UsageError("with a PostgreSQL database, give --blob-dir DIR: a directory every server shares");
    m_storage = openStorage(m_options.dbPath);
    m_writes = std::make_unique<GroupCommit>(*m_storage, static_cast<size_t>(m_options.writeGroup));
    m_epoch = ensureServerEpoch(*m_storage);
    m_blobs = std::make_unique<BlobStore>(m_options.blobDir.empty() ? m_options.dbPath + ".blobs" : m_options.blobDir);
    if (tls()) {
        auto ssl = std::make_unique<httplib::SSLServer>(m_options.tlsCert.c_str(), m_options.tlsKey.c_str());
        if (!ssl->is_valid())
            throw UsageError("cannot use the TLS certificate '" + m_options.tlsCert + "' and key '" + m_options.tlsKey +
                             "' (missing, unreadable or not a matching PEM pair)");
        m_http = std::move(ssl);
    } else {
        m_http = std::make_unique<httplib::Server>();
    }
    installRoutes();
    if (!m_options.adminHost.empty()) {
        m_admin = std::make_unique<httplib::Server>();
        m_admin->set_read_timeout(10, 0);
        m_admin->set_write_timeout(10, 0);
        installOpsRoutes(*m_admin, *this);
    }
}

SyncServer::~SyncServer() {
    stop();
}

void SyncServer::log(const std::string& line) {
    if (m_options.quiet) return;
    if (m_options.log) {
        m_options.log(line);
        return;
    }
    static std::mutex mutex;
    std::lock_guard lock(mutex);
    std::cerr << line << '\n';
}

void SyncServer::installRoutes() {
    m_http->set_tcp_nodelay(true);
    m_http->new_task_queue = [n = static_cast<size_t>(m_options.requestThreads)] { return new httplib::ThreadPool(n); };
    m_http->set_payload_max_length(proto::kMaxBodyBytes);
    m_http->set_read_timeout(30, 0);
    m_http->set_write_timeout(30, 0);
    m_http->set_keep_alive_timeout(30);
    installSyncRoutes(*m_http, *this);
}

int SyncServer::bind() {
    if (m_options.port == 0) {
        m_port = m_http->bind_to_any_port(m_options.host);
    } else {
        m_port = m_http->bind_to_port(m_options.host, m_options.port) ? m_options.port : -1;
    }
    if (m_port <= 0)
        throw UsageError("cannot listen on " + m_options.host + ":" + std::to_string(m_options.port) +
                         " (address in use, not local, or not allowed)");
    if (m_admin) {
        m_adminPort = m_options.adminPort == 0
                          ? m_admin->bind_to_any_port(m_options.adminHost)
                          : (m_admin->bind_to_port(m_options.adminHost, m_options.adminPort) ? m_options.adminPort : -1);
        if (m_adminPort <= 0)
            throw UsageError("cannot listen on " + m_options.adminHost + ":" + std::to_string(m_options.adminPort) +
                             " for --admin-listen (address in use, not local, or not allowed)");
    }
    return m_port;
}

void SyncServer::run() {
    if (m_admin && !m_adminThread.joinable()) m_adminThread = std::thread([this] { m_admin->listen_after_bind(); });
    m_http->listen_after_bind();
}

void SyncServer::start() {
    bind();
    m_finished = false;
    m_thread = std::thread([this] {
        run();
        m_finished = true;
    });
    while (!m_http->is_running() && !m_finished) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    while (m_admin && !m_admin->is_running() && !m_finished) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

void SyncServer::stop() {
    if (m_http) m_http->stop();
    if (m_thread.joinable()) m_thread.join();
    if (m_admin) m_admin->stop();
    if (m_adminThread.joinable()) m_adminThread.join();
}

std::string SyncServer::baseUrl() const {
    return std::string(tls() ? "https://" : "http://") + m_options.host + ":" + std::to_string(m_port);
}

}  // namespace jc::server
