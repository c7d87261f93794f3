#include "sync/server/local_server.h"

#include <unistd.h>

#include <iostream>
#include <mutex>

#include "core/error.h"
#include "sync/server/auth.h"
#include "sync/server/open_storage.h"

namespace jc::server {

namespace fs = std::filesystem;

struct LogCapture {
    std::mutex mutex;
    std::vector<std::string> lines;
};

LocalServer::LocalServer(fs::path dir, bool quiet, std::string db, ServerLimits limits)
    : m_dir(std::move(dir)), m_db(std::move(db)), m_quiet(quiet), m_limits(limits),
      m_log(std::make_shared<LogCapture>()) {
    if (m_dir.empty()) {
        std::string tmpl = (fs::temp_directory_path() / "jiancha-server-XXXXXX").string();
        if (!::mkdtemp(tmpl.data())) throw StorageError("cannot make a temporary directory");
        m_dir = tmpl;
        m_ownsDir = true;
    }
    fs::create_directories(m_dir);
    initStorage(dbPath());
    open();
}

LocalServer::~LocalServer() {
    stop();
    m_admin.reset();
    m_server.reset();
    if (m_ownsDir) {
        std::error_code ec;
        fs::remove_all(m_dir, ec);
    }
}

void LocalServer::open() {
    ServerOptions o;
    o.dbPath = dbPath();
    o.blobDir = (m_dir / "blobs").string();
    o.port = m_port;
    o.limits = m_limits;
    o.log = [log = m_log, quiet = m_quiet](const std::string& line) {
        {
            std::lock_guard lock(log->mutex);
            log->lines.push_back(line);
        }
        if (!quiet) std::cerr << line << '\n';
    };
    m_server = std::make_unique<SyncServer>(o);
    m_server->start();
    m_port = m_server->port();
    m_admin = std::make_unique<Admin>(m_server->storage());
}

std::vector<std::string> LocalServer::logLines() const {
    std::lock_guard lock(m_log->mutex);
    return m_log->lines;
}

void LocalServer::stop() {
    if (m_server) m_server->stop();
}

void LocalServer::restart() {
    stop();
    m_admin.reset();
    m_server.reset();
    open();
}

proto::EnrollResponse LocalServer::enroll(const std::string& userName, const std::string& deviceName) {
    std::string code = m_admin->enrollCode(userName);
    return enrollDevice(m_server->storage(), proto::EnrollRequest{code, deviceName, ""});
}

}  // namespace jc::server
