// The device's clock is measured with the requests a sync already makes, not with one of its
// own: counted in the real server's request log, an enrolment is one request and a sync round
// only its pushes and pulls — no /v1/version — while the offset is recorded each time.
#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

#include "app/paths.h"
#include "core/assets.h"
#include "store/reference_data.h"
#include "store/store.h"
#include "store/writer.h"
#include "support/wait_for.h"
#include "support/temp_dir.h"
#include "sync/client/sync_engine.h"
#include "sync/server/local_server.h"

using namespace jc;
using jc::server::LocalServer;

namespace {
// The routes of the log lines after the first `from`.
std::vector<std::string> routes(const LocalServer& s, size_t from) {
    std::vector<std::string> out;
    auto lines = s.logLines();
    for (size_t i = from; i < lines.size(); ++i) {
        Json j = Json::parse(lines[i], nullptr, false);
        if (j.is_object() && j.contains("route"))
            out.push_back(j["method"].get<std::string>() + " " + j["route"].get<std::string>());
    }
    return out;
}

// Each request's log line is written once its answer has gone out, so the log may lag the
// client by a moment: the mark is taken when the log has been still for 100 ms, and the routes
// after it are read once as many as expected are there.
size_t quietMark(const LocalServer& s) {
    size_t n = s.logLines().size();
    for (int i = 0; i < 50; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        size_t now = s.logLines().size();
        if (now == n) break;
        n = now;
    }
    return n;
}
std::vector<std::string> routesAfter(const LocalServer& s, size_t from, size_t expected) {
    test::waitFor([&] { return routes(s, from).size() >= expected; }, 5);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));  // and nothing more comes
    return routes(s, from);
}
}  // namespace

TEST_CASE("a sync measures the clock from its own push and pull answers, without an extra request", "[sync][clock]") {
    LocalServer server;
    server.admin().addTeam("第一检查组");
    server.admin().addUser("alice", Role::Inspector, "第一检查组");
    test::TempDir dir("clock_requests");
    Store store(storePath(dir.path).string());
    loadReferenceData(store.db(), assetsDir());

    size_t mark = quietMark(server);
    auto enrolled = sync::enrollDevice(store, server.url(), server.admin().enrollCode("alice"), "乡镇笔记本");
    REQUIRE(enrolled.ok);
    CHECK(routesAfter(server, mark, 1) == std::vector<std::string>{"POST /v1/enroll"});
    REQUIRE(store.meta("clock_offset_ms").has_value());  // measured from the enrolment's answer
    CHECK(std::llabs(std::stoll(*store.meta("clock_offset_ms"))) < 5'000);

    // A round with nothing to push: one pull.
    sync::SyncEngine engine(store, blobDir(dir.path));
    store.setMeta("clock_offset_measured_at", "");
    mark = quietMark(server);
    REQUIRE(engine.runRecords().ok);
    CHECK(routesAfter(server, mark, 1) == std::vector<std::string>{"GET /v1/pull"});
    CHECK_FALSE(store.meta("clock_offset_measured_at").value_or("").empty());  // measured again

    // A round with a change: one push and one pull, still no /v1/version.
    {
        Transaction tx(store.db());
        ChangeWriter(store, tx, "alice").insert("unit", {{"name", "甘州区住房和城乡建设局"}, {"kind", "department"}});
        tx.commit();
    }
    store.setMeta("clock_offset_measured_at", "");
    mark = quietMark(server);
    sync::SyncReport r = engine.runRecords();
    INFO(r.error);
    REQUIRE(r.ok);
    CHECK(r.pushed == 1);
    CHECK(routesAfter(server, mark, 2) == std::vector<std::string>{"POST /v1/push", "GET /v1/pull"});
    CHECK_FALSE(store.meta("clock_offset_measured_at").value_or("").empty());
}
