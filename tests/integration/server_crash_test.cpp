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
#include <vector>
#include <thread>

#include "core/dates.h"
#include "core/hlc.h"
#include "core/uuid.h"
#include "sync/server/admin.h"
#include "sync/server/auth.h"
#include "support/free_port.h"
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

// Group commit (group_commit.h): several devices push at once, so their pushes share commits;
// the server is killed while groups are committing. Every push a device got an answer for must
// be in the database after the restart — an answer is only sent once its group has committed.
TEST_CASE("kill -9 during group commits loses no acknowledged push", "[server][crash][group]") {
    fs::path dir = fs::temp_directory_path() / ("jiancha-crash-" + jc::newUuidV7());
    fs::create_directories(dir);
    std::string db = (dir / "server.db").string();
    const int devices = 6;
    std::vector<std::string> tokens(devices), ids(devices);
    {
        jc::server::initSqliteStorage(db);
        auto storage = jc::server::openSqliteStorage(db);
        jc::server::Admin admin(*storage);
        admin.addTeam("第一检查组");
        admin.addUser("a1", jc::Role::Inspector, "第一检查组");
        for (int i = 0; i < devices; ++i) {
            auto e = jc::server::enrollDevice(*storage, {admin.enrollCode("a1"), "laptop " + std::to_string(i), ""});
            tokens[i] = e.token;
            ids[i] = e.deviceId;
        }
    }
    const int adminPort = jc::test::freePort();
    // Per device: the unit ids it pushed, by seq, and the last seq the server acknowledged.
    std::vector<std::vector<std::string>> units(devices);
    std::vector<std::atomic<int>> acked(devices);
    std::atomic<uint64_t> largestGroup{0};
    {
        ServerProcess server(db, {}, {"--admin-listen", "127.0.0.1:" + std::to_string(adminPort)});
        std::atomic<bool> stop{false};
        std::vector<std::thread> pushers;
        for (int d = 0; d < devices; ++d) {
            units[d].reserve(100000);
            pushers.emplace_back([&, d] {
                httplib::Client cli("127.0.0.1", server.port);
                const httplib::Headers h = {
                    {"X-Jiancha-Protocol", "1"}, {"X-Jiancha-Schema", "1"}, {"Authorization", "Bearer " + tokens[d]}};
                jc::HybridClock clock(ids[d]);
                for (int seq = 1; !stop && seq < 100000; ++seq) {
                    units[d].push_back(jc::newUuidV7());
                    Json c = {{"change_id", jc::newUuidV7()},
                              {"seq", seq},
                              {"entity", "unit"},
                              {"entity_id", units[d].back()},
                              {"fields",
                               {{"name", "单位" + std::to_string(seq)},
                                {"kind", "department"},
                                {"created_at", jc::nowIso()},
                                {"created_by", "a1"}}},
                              {"base_versions", Json::object()},
                              {"hlc", clock.now().encode()},
                              {"user_id", "a1"}};
                    Json body = {{"device_id", ids[d]}, {"db_incarnation", "inc-1"}, {"changes", Json::array({c})}};
                    auto r = cli.Post("/v1/push", h, body.dump(), "application/json");
                    if (!r || r->status != 200) return;  // the server died under us
                    acked[d] = Json::parse(r->body)["last_seq"].get<int>();
                }
            });
        }
        // Killed once the pushes have been grouped and a good number acknowledged.
        httplib::Client ops("127.0.0.1", adminPort);
        bool grouped = jc::test::waitFor(
            [&] {
                int total = 0;
                for (auto& a : acked) total += a;
                auto m = ops.Get("/metrics");
                if (m && m->status == 200) {
                    auto at = m->body.find("\njiancha_write_group_largest ");
                    if (at != std::string::npos) largestGroup = std::stoull(m->body.substr(at + 29));
                }
                return total >= 300 && largestGroup > 1;
            },
            60, std::chrono::milliseconds(5));
        server.kill9();
        stop = true;
        for (auto& t : pushers) t.join();
        INFO("largest group before the kill: " << largestGroup.load());
        REQUIRE(grouped);
    }
    // Reopened (SQLite recovers its WAL): every acknowledged push is there, once.
    auto storage = jc::server::openSqliteStorage(db);
    auto tx = storage->read();
    for (int d = 0; d < devices; ++d) {
        INFO("device " << d << " acknowledged up to seq " << acked[d].load());
        CHECK(tx->lastSeq(ids[d], "inc-1").value_or(0) >= acked[d]);
        int missing = 0;
        for (int s = 1; s <= acked[d]; ++s)
            if (!tx->record("unit", units[d][s - 1])) ++missing;
        CHECK(missing == 0);
    }
    auto page = tx->changesAfter(0, 100000, jc::server::Viewer{true, "", ""});
    std::map<std::string, int> seen;
    for (const auto& e : page.entries)
        if (e.entity == "unit") ++seen[e.entityId];
    bool once = true;
    for (const auto& [id, n] : seen) once = once && n == 1;
    CHECK(once);
    tx.reset();
    storage.reset();
    std::error_code ec;
    fs::remove_all(dir, ec);
}
