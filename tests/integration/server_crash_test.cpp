// Kill -9 of the real jiancha-server binary in the middle of a push stream: after a restart,
// pushing everything again from the first seq must leave every change applied exactly once —
// nothing lost, nothing doubled (DESIGN.md §4: last_seq moves in the same transaction as the effects).
#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <thread>

#include "core/dates.h"
#include "core/hlc.h"
#include "core/uuid.h"
#include "sync/server/admin.h"
#include "sync/server/auth.h"
#include "support/server_process.h"
#include "support/wait_for.h"
#include "sync/server/sqlite_storage.h"

using jc::Json;
using jc::test::ServerProcess;
namespace fs = std::filesystem;

TEST_CASE("kill -9 of the server during a push stream loses and doubles nothing", "[server][crash]") {
    fs::path dir = fs::temp_directory_path() / ("jiancha-crash-" + jc::newUuidV7());
    fs::create_directories(dir);
    std::string db = (dir / "server.db").string();
    std::string token, deviceId;
    {
        jc::server::initSqliteStorage(db);
        auto storage = jc::server::openSqliteStorage(db);
        jc::server::Admin admin(*storage);
        admin.addTeam("第一检查组");
        admin.addUser("a1", jc::Role::Inspector, "第一检查组");
        auto e = jc::server::enrollDevice(*storage, {admin.enrollCode("a1"), "crash laptop", ""});
        token = e.token;
        deviceId = e.deviceId;
    }
    const httplib::Headers headers = {
        {"X-Jiancha-Protocol", "1"}, {"X-Jiancha-Schema", "1"}, {"Authorization", "Bearer " + token}};

    // The outbox: 3000 unit records, pushed in batches of 100.
    const int total = 3000, batchSize = 100;
    jc::HybridClock clock(deviceId);
    std::vector<Json> outbox;
    for (int i = 1; i <= total; ++i)
        outbox.push_back({{"change_id", jc::newUuidV7()},
                          {"seq", i},
                          {"entity", "unit"},
                          {"entity_id", jc::newUuidV7()},
                          {"fields",
                           {{"name", "单位" + std::to_string(i)},
                            {"kind", "department"},
                            {"created_at", jc::nowIso()},
                            {"created_by", "a1"}}},
                          {"base_versions", Json::object()},
                          {"hlc", clock.now().encode()},
                          {"user_id", "a1"}});
    auto batch = [&](int from) {  // seq from .. from+batchSize-1
        Json changes = Json::array();
        for (int s = from; s < std::min(total + 1, from + batchSize); ++s) changes.push_back(outbox[s - 1]);
        return Json{{"device_id", deviceId}, {"db_incarnation", "inc-1"}, {"changes", changes}}.dump();
    };

    std::atomic<int> acknowledged{0};
    {
        ServerProcess server(db);
        std::thread pusher([&] {
            httplib::Client cli("127.0.0.1", server.port);
            for (int from = 1; from <= total; from += batchSize) {
                auto r = cli.Post("/v1/push", headers, batch(from), "application/json");
                if (!r || r->status != 200) return;  // the server died under us
                acknowledged = Json::parse(r->body)["last_seq"].get<int>();
            }
        });
        // Killed once five batches are in (or after a minute, when the pusher stopped early).
        bool midway = jc::test::waitFor([&] { return acknowledged >= 5 * batchSize; }, 60, std::chrono::milliseconds(1));
        server.kill9();
        pusher.join();
        REQUIRE(midway);
    }
    INFO("acknowledged before the kill: " << acknowledged.load());
    CHECK(acknowledged.load() < total);

    ServerProcess server(db);
    httplib::Client cli("127.0.0.1", server.port);
    cli.set_read_timeout(120, 0);
    // The device does not know what the last answer was: it sends everything again from seq 1.
    std::map<std::string, int> statuses;
    int64_t last = 0;
    for (int from = 1; from <= total; from += batchSize) {
        auto r = cli.Post("/v1/push", headers, batch(from), "application/json");
        REQUIRE(r);
        INFO(r->body.substr(0, 300));
        REQUIRE(r->status == 200);
        Json body = Json::parse(r->body);
        for (const auto& res : body["results"]) {
            ++statuses[res["status"].get<std::string>()];
            if (res["status"] == "duplicate") CHECK(res["original_status"] == "applied");
        }
        last = body["last_seq"].get<int64_t>();
    }
    CHECK(last == total);
    CHECK(statuses["duplicate"] >= acknowledged.load());
    CHECK(statuses["duplicate"] + statuses["applied"] == total);

    // Every unit exactly once in the change log.
    std::map<std::string, int> seen;
    int64_t cursor = 0;
    for (;;) {
        auto r = cli.Get(("/v1/pull?limit=2000&cursor=" + std::to_string(cursor)).c_str(), headers);
        REQUIRE(r);
        REQUIRE(r->status == 200);
        Json page = Json::parse(r->body);
        for (const auto& c : page["changes"])
            if (c["entity"] == "unit") ++seen[c["entity_id"].get<std::string>()];
        cursor = page["next_cursor"].get<int64_t>();
        if (!page["has_more"].get<bool>()) break;
    }
    CHECK(seen.size() == static_cast<size_t>(total));
    bool once = true;
    for (const auto& [id, n] : seen) once = once && n == 1;
    CHECK(once);
    for (const auto& c : outbox) CHECK(seen.count(c["entity_id"].get<std::string>()) == 1);

    server.stop();  // SIGTERM: a graceful stop exits 0
    std::error_code ec;
    fs::remove_all(dir, ec);
}
