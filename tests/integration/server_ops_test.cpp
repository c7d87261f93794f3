// The operator's side of the server: /healthz and /metrics on the admin listener only, and an
// online backup taken while a device pushes, restored and served again.
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <httplib.h>
#include <regex>
#include <thread>

#include "app/finding_commands.h"
#include "sync/server/metrics.h"
#include "support/hq_server.h"
#include "support/pg_env.h"
#include "support/run_process.h"
#include "support/free_port.h"
#include "support/server_process.h"

using namespace jc;
using test::Laptop;

namespace {

using test::freePort;

std::string addFinding(Laptop& l, const std::string& campaign, const std::string& title) {
    AppContext c = l.ctx();
    return createFinding(c, {{"campaign_id", campaign},
                             {"category", "wage_arrears"},
                             {"title", title},
                             {"region_code", "620702101"},
                             {"area", "hotspot_issues"},
                             {"field_values", {{"employer", "张掖市某建筑公司"}, {"amount_owed", 38650050}}}});
}

// The value of one metric line (exact name with labels), or -1 when it is missing.
double metric(const std::string& text, const std::string& series) {
    auto at = text.find("\n" + series + " ");
    if (at == std::string::npos) return -1;
    return std::stod(text.substr(at + series.size() + 2));
}

int64_t findingsIn(Laptop& l) {
    auto& st = l.store->db().cached("SELECT count(*) FROM finding WHERE deleted = 0");
    st.step();
    int64_t n = st.getInt(0);
    st.reset();
    return n;
}

}  // namespace

TEST_CASE("route names in metrics are bounded and latency buckets are cumulative", "[server][metrics]") {
    using server::ServerMetrics;
    CHECK(ServerMetrics::routeOf("/v1/blobs/" + std::string(64, 'a')) == "/v1/blobs/{sha256}");
    CHECK(ServerMetrics::routeOf("/v1/push") == "/v1/push");
    CHECK(ServerMetrics::routeOf("/etc/passwd") == "other");
    ServerMetrics m;
    m.observeRequest("/v1/push", "POST", 200, 0.0008);
    m.observeRequest("/v1/push", "POST", 200, 0.3);
    m.observeRequest("/v1/push", "POST", 409, 20);
    m.addChanges("applied", 5);
    std::string t = "\n" + m.prometheusText({});
    CHECK(metric(t, R"(jiancha_request_duration_seconds_bucket{route="/v1/push",le="0.001"})") == 1);
    CHECK(metric(t, R"(jiancha_request_duration_seconds_bucket{route="/v1/push",le="0.5"})") == 2);
    CHECK(metric(t, R"(jiancha_request_duration_seconds_bucket{route="/v1/push",le="10"})") == 2);
    CHECK(metric(t, R"(jiancha_request_duration_seconds_bucket{route="/v1/push",le="+Inf"})") == 3);
    CHECK(metric(t, R"(jiancha_request_duration_seconds_count{route="/v1/push"})") == 3);
    CHECK(metric(t, R"(jiancha_http_requests_total{route="/v1/push",method="POST",status="409"})") == 1);
    CHECK(metric(t, R"(jiancha_changes_total{result="applied"})") == 5);
    CHECK(metric(t, R"(jiancha_changes_total{result="rejected"})") == 0);
}

TEST_CASE("health and metrics answer on the admin listener only", "[server][metrics]") {
    int adminPort = freePort();
    test::HqServer hq({"--admin-listen", "127.0.0.1:" + std::to_string(adminPort)});
    Laptop a(hq, "张伟");
    for (int i = 0; i < 3; ++i) addFinding(a, hq.campaign(), "工地拖欠工资第" + std::to_string(i) + "件");
    a.sync(false);

    httplib::Client admin("127.0.0.1", adminPort);
    auto health = admin.Get("/healthz");
    REQUIRE(health);
    CHECK(health->status == 200);
    CHECK(Json::parse(health->body)["status"] == "ok");

    auto m = admin.Get("/metrics");
    REQUIRE(m);
    REQUIRE(m->status == 200);
    CHECK(m->get_header_value("Content-Type").find("text/plain; version=0.0.4") == 0);
    std::string t = "\n" + m->body;
    INFO(m->body);
    CHECK(metric(t, R"(jiancha_http_requests_total{route="/v1/push",method="POST",status="200"})") >= 1);
    CHECK(metric(t, R"(jiancha_http_requests_total{route="/v1/pull",method="GET",status="200"})") >= 1);
    CHECK(metric(t, R"(jiancha_request_duration_seconds_count{route="/v1/push"})") >= 1);
    CHECK(metric(t, R"(jiancha_changes_total{result="applied"})") >= 3);
    CHECK(metric(t, "jiancha_devices_total") == 1);
    CHECK(metric(t, "jiancha_devices_seen_24h") == 1);
    CHECK(metric(t, "jiancha_database_bytes") > 0);

    // Not on the sync port: there every request needs a device token.
    httplib::Client sync("127.0.0.1", hq.port());
    auto onSync = sync.Get("/metrics");
    REQUIRE(onSync);
    CHECK(onSync->status == 404);
    CHECK(sync.Get("/healthz")->status == 404);
}

TEST_CASE("a backup taken while a device pushes restores and is served again", "[server][backup]") {
    test::HqServer hq;
    Laptop a(hq, "张伟"), lead(hq, "李娜");
    for (int i = 0; i < 20; ++i) addFinding(a, hq.campaign(), "欠薪基础案件" + std::to_string(i));
    a.sync(false);

    test::TempDir out("backup");
    std::string backup = (out.path / "hq-backup.db").string();
    std::atomic<bool> done{false};
    std::thread pusher([&] {
        for (int i = 0; i < 15; ++i) {
            addFinding(a, hq.campaign(), "备份期间推送" + std::to_string(i));
            a.sync(false);
        }
        done = true;
    });
    // Take backups while the pushes go on; the one restored is the last, started while they still ran.
    // (Nothing here may stop the test while the pusher thread runs: results are checked after join.)
    std::vector<test::ProcessResult> runs;
    while (!done && runs.size() < 50)
        runs.push_back(test::runProcess(JIANCHA_SERVER_BIN, {"backup", "--db", hq.db(), "--out", backup, "--blobs-to",
                                                             (out.path / "blobs").string(), "--blob-dir",
                                                             hq.blobDir().string()},
                                        "LC_ALL= LC_MESSAGES= LANG=zh_CN.UTF-8"));
    pusher.join();
    REQUIRE_FALSE(runs.empty());
    for (const auto& run : runs) {
        INFO(run.out << run.err);
        CHECK(run.code == 0);
    }
    // And surely after the backup: three more findings pushed once every backup has finished.
    for (int i = 0; i < 3; ++i) addFinding(a, hq.campaign(), "备份之后推送" + std::to_string(i));
    a.sync(false);
    test::ProcessResult r = runs.back();
    CHECK(r.out.find("备份已写入") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(backup + ".partial"));

    // A backup never overwrites a database, and restore refuses to replace one without --force.
    CHECK(test::runProcess(JIANCHA_SERVER_BIN, {"backup", "--db", hq.db(), "--out", hq.db()}).code == 2);
    std::string restored = (out.path / "restored.db").string();
    auto rr = test::runProcess(JIANCHA_SERVER_BIN, {"restore", "--from", backup, "--db", restored});
    INFO(rr.out << rr.err);
    REQUIRE(rr.code == 0);
    CHECK(test::runProcess(JIANCHA_SERVER_BIN, {"restore", "--from", backup, "--db", restored}).code == 2);
    auto forced = test::runProcess(JIANCHA_SERVER_BIN, {"restore", "--from", backup, "--db", restored, "--force"});
    CHECK(forced.code == 0);
    CHECK(test::runProcess(JIANCHA_SERVER_BIN, {"restore", "--from", "/nonexistent.db", "--db", restored}).code == 2);

    // Served again: the lead, who synced before the backup, syncs on and holds what the backup
    // holds — the 20 findings pushed before it and those of the 15 that landed before the copy.
    int port = hq.port();
    hq.kill();
    test::ServerProcess again;
    REQUIRE(again.start(restored, (out.path / "blobs").string(), port));
    {
        auto storage = server::openSqliteStorage(restored);
        auto tx = storage->read();
        int64_t inBackup = static_cast<int64_t>(tx->records("finding").size());
        CHECK(inBackup >= 20);
        CHECK(inBackup <= 35);
        tx.reset();
        lead.sync(false);
        CHECK(findingsIn(lead) == inBackup);
    }

    // The restore made a new epoch. Device `a` pushed the findings the backup lacks; its next
    // sync sees the new epoch, queues them again under a fresh incarnation (no seq_gap), and
    // then pushes on as before: the server ends with all 38 and one more, the lead gets them,
    // nothing doubled.
    std::string incarnationBefore = a.store->incarnation();
    sync::SyncReport ra = a.sync(false);
    CHECK(ra.serverRestored);
    CHECK(ra.requeued >= 3);
    CHECK(a.store->incarnation() != incarnationBefore);
    addFinding(a, hq.campaign(), "恢复之后新增");
    a.sync(false);
    CHECK_FALSE(a.sync(false).serverRestored);  // only once per restore
    {
        auto storage = server::openSqliteStorage(restored);
        auto tx = storage->read();
        CHECK(tx->records("finding").size() == 39);
    }
    lead.sync(false);
    CHECK(findingsIn(lead) == 39);
    CHECK(findingsIn(a) == 39);
    // The restore is in the server's audit log, and the log verifies.
    auto verify = test::runProcess(JIANCHA_SERVER_BIN, {"audit", "verify", "--db", restored, "--lang", "en"});
    INFO(verify.out << verify.err);
    CHECK(verify.code == 0);
    auto list = test::runProcess(JIANCHA_SERVER_BIN, {"audit", "list", "--db", restored, "--lang", "en"});
    CHECK(list.out.find("server_restore") != std::string::npos);
}

TEST_CASE("metrics on PostgreSQL report the database's size", "[server][metrics][pg]") {
    std::string url = test::freshPgDatabase();
    if (url.empty()) return;
    test::seedHqDatabase(url, {{"张伟", Role::Inspector}});
    test::TempDir blobs("pg_metrics_blobs");
    int adminPort = freePort();
    test::ServerProcess s;
    REQUIRE(s.start(url, blobs.path.string(), 0, {"--admin-listen", "127.0.0.1:" + std::to_string(adminPort)}));
    httplib::Client admin("127.0.0.1", adminPort);
    auto m = admin.Get("/metrics");
    for (int i = 0; i < 50 && !m; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        m = admin.Get("/metrics");
    }
    REQUIRE(m);
    REQUIRE(m->status == 200);
    double bytes = metric(m->body, "jiancha_database_bytes");
    int64_t actual = std::stoll(test::pgScalar(url, "SELECT pg_database_size(current_database())"));
    CHECK(bytes > 1e6);  // an empty PostgreSQL database alone is several MB
    CHECK(bytes <= static_cast<double>(actual) * 1.5);
    CHECK(bytes >= static_cast<double>(actual) / 1.5);
}
