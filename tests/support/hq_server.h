#pragma once
// Test helper for the client side of sync: a headquarters database (team 第一检查组, inspector
// 张伟, lead 李娜, one campaign, the form templates) served by the real jiancha-server binary on
// loopback — which a test can kill and start again on the same port — and devices enrolled
// with one-time codes through the client's own enrollDevice() (what `jiancha enroll` runs).
#include <catch2/catch.hpp>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "app/context.h"
#include "app/paths.h"
#include "core/uuid.h"
#include "store/reference_data.h"
#include "store/store.h"
#include "support/hq_seed.h"
#include "support/server_process.h"
#include "support/temp_dir.h"
#include "sync/client/sync_engine.h"
#include "sync/server/admin.h"
#include "sync/server/sqlite_storage.h"

namespace jc::test {

class HqServer {
public:
    // `serveArgs` go to every `serve` of this server (e.g. --admin-listen 127.0.0.1:PORT).
    explicit HqServer(std::vector<std::string> serveArgs = {}) : m_serveArgs(std::move(serveArgs)) {
        m_dir = std::filesystem::temp_directory_path() / ("jc_hq_" + newUuidV7());
        std::filesystem::create_directories(m_dir);
        m_db = (m_dir / "server.db").string();
        m_campaign = seedHqDatabase(m_db, {{"张伟", Role::Inspector}, {"李娜", Role::Lead}}).campaign;
        REQUIRE(start(0));
    }
    ~HqServer() {
        kill();
        std::error_code ec;
        std::filesystem::remove_all(m_dir, ec);
    }
    HqServer(const HqServer&) = delete;
    HqServer& operator=(const HqServer&) = delete;

    std::string enrollCode(const std::string& user) {
        auto storage = server::openSqliteStorage(m_db);
        server::Admin admin(*storage);
        return admin.enrollCode(user);
    }

    // Starts the server on `port` (0: the OS picks one). False when it could not listen there.
    bool start(int port) { return m_server.start(m_db, (m_dir / "blobs").string(), port, m_serveArgs); }
    void kill() { m_server.kill9(); }
    bool running() const { return m_server.running(); }
    int port() const { return m_server.port; }
    std::string url() const { return m_server.url(); }
    const std::string& campaign() const { return m_campaign; }
    const std::string& db() const { return m_db; }
    std::filesystem::path blobDir() const { return m_dir / "blobs"; }

private:
    std::filesystem::path m_dir;
    std::string m_db, m_campaign;
    std::vector<std::string> m_serveArgs;
    ServerProcess m_server;
};

// Enrols `dataDir` (creating its store) as the user the code was made for, like `jiancha enroll`.
inline void enrollDataDir(const std::filesystem::path& dataDir, const std::string& url, const std::string& code) {
    std::filesystem::create_directories(dataDir);
    Store store(storePath(dataDir).string());
    loadReferenceData(store.db(), assetsDir());
    auto r = sync::enrollDevice(store, url, code, "test-device");
    INFO("enrolment: " << r.error);
    REQUIRE(r.ok);
}

// A laptop driven in-process: a store enrolled with HQ as `user` and synced once (the campaign
// and the team come down), app commands through ctx(), and sync through the real engine.
struct Laptop {
    TempDir dir{"laptop"};
    std::unique_ptr<Store> store;
    Laptop(HqServer& hq, const std::string& user) {
        enrollDataDir(dir.path, hq.url(), hq.enrollCode(user));
        store = std::make_unique<Store>(storePath(dir.path).string());
        sync();
    }
    AppContext ctx() { return AppContext{*store, loadActor(*store, ""), calendarFromStore(*store), std::nullopt}; }
    // One round (records, then evidence files unless `blobs` is false); it must not fail.
    sync::SyncReport sync(bool blobs = true) {
        sync::SyncEngine engine(*store, blobDir(dir.path));
        sync::SyncReport r = blobs ? engine.run() : engine.runRecords();
        INFO("sync: " << r.error);
        REQUIRE(r.ok);
        return r;
    }
};

}  // namespace jc::test
