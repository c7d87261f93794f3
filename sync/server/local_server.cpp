#include "sync/server/local_server.h"

#include <unistd.h>

#include "core/error.h"
#include "sync/server/auth.h"
#include "sync/server/open_storage.h"

namespace jc::server {

namespace fs = std::filesystem;

LocalServer::LocalServer(fs::path dir, bool quiet, std::string db)
    : m_dir(std::move(dir)), m_db(std::move(db)), m_quiet(quiet) {
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
    o.quiet = m_quiet;
    m_server = std::make_unique<SyncServer>(o);
    m_server->start();
    m_port = m_server->port();
    m_admin = std::make_unique<Admin>(m_server->storage());
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
