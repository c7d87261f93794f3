// HQ at scale: PostgreSQL, two jiancha-server processes sharing it (and one blob directory), and
// HAProxy in front of them, round-robin. Three devices (two inspectors and their lead) sync
// through HAProxy with the real `jiancha` binary while one server is killed with SIGKILL in the
// middle of a push stream and started again. Afterwards every replica holds the same records,
// nothing a device created is lost or doubled, and the official numbers the lead's acceptances
// got from whichever server are unique and consecutive.
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>
#include <memory>
#include <set>
#include <thread>

#include <httplib.h>

#include "core/dates.h"
#include "store/store.h"
#include "support/hq_seed.h"
#include "support/pg_env.h"
#include "support/run_process.h"
#include "support/free_port.h"
#include "support/server_process.h"
#include "support/sync_devices.h"
#include "support/wait_for.h"

using namespace jc;
namespace fs = std::filesystem;

namespace {

using test::freePort;

bool accepts(int port) {
    int fd = test::connectLoopback(port);
    if (fd >= 0) ::close(fd);
    return fd >= 0;
}

// Whether the server whose admin listener is on `adminPort` has answered GET /v1/version (its
// metrics count the requests; only those sent through HAProxy ask for it here).
bool answeredVersion(int adminPort) {
    httplib::Client c("127.0.0.1", adminPort);
    auto r = c.Get("/metrics");
    return r && r->status == 200 &&
           r->body.find("jiancha_http_requests_total{route=\"/v1/version\"") != std::string::npos;
}

// HAProxy in the foreground (-db) as a child process, round-robin over the given servers, with
// fast health checks so a dead server leaves the rotation within a fraction of a second.
struct Haproxy {
    pid_t pid = -1;
    int port = 0;
    test::TempDir dir{"haproxy"};
    Haproxy(const std::string& bin, const std::vector<int>& backends) {
        port = freePort();
        fs::path cfg = dir.path / "haproxy.cfg";
        std::ofstream out(cfg);
        out << "global\n  maxconn 4000\n  log stderr format raw local0\n"
            << "defaults\n  log global\n  option httplog\n  mode http\n  timeout connect 2s\n  timeout client 60s\n  timeout server 60s\n"
            << "  retries 2\n  option redispatch\n  option http-server-close\n"
            << "frontend hq\n  bind 127.0.0.1:" << port << "\n  default_backend servers\n"
            << "backend servers\n  balance roundrobin\n";
        for (size_t i = 0; i < backends.size(); ++i)
            out << "  server s" << i << " 127.0.0.1:" << backends[i] << " check inter 200ms fall 1 rise 1\n";
        out.close();
        pid = ::fork();
        REQUIRE(pid >= 0);
        if (pid == 0) {
            int log = ::open((dir.path / "haproxy.log").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
            ::dup2(log, 1);
            ::dup2(log, 2);
            ::execl(bin.c_str(), bin.c_str(), "-f", cfg.c_str(), "-db", static_cast<char*>(nullptr));
            ::_exit(127);
        }
        for (int i = 0; i < 200 && !accepts(port); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
        REQUIRE(accepts(port));
    }
    ~Haproxy() {
        if (std::getenv("JIANCHA_TEST_KEEP_LOGS")) fs::copy_file(dir.path / "haproxy.log", "/tmp/jiancha-haproxy.log", fs::copy_options::overwrite_existing);
        if (pid > 0) {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, nullptr, 0);
        }
    }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port); }
};

// Syncs until a round succeeds with nothing pending (a round may fail while a server is down).
void syncUntilClean(test::Device& d) {
    for (int i = 0; i < 10; ++i) {
        auto r = d.run({"--json", "sync"});
        if (r.code == 0) {
            Json j = Json::parse(r.out, nullptr, false);
            if (j.is_object() && j["ok"] == true && j["pending"] == 0) return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
    }
    FAIL(d.name << " could not finish a clean sync");
}

std::set<std::string> ids(Store& s, const std::string& entity, const std::string& where) {
    std::set<std::string> out;
    auto st = s.db().prepare("SELECT id FROM " + entity + " WHERE " + where);
    while (st.step()) out.insert(st.getText(0));
    return out;
}

}  // namespace

TEST_CASE("two servers behind HAProxy on PostgreSQL: a server killed mid-push loses and doubles nothing",
          "[pg][haproxy][crash]") {
    std::string url = test::freshPgDatabase();
    if (url.empty()) return;
    // packaging/test.sh runs HAProxy for this test (round-robin over two loopback ports it
    // chose); run by hand with only the binary given, the test starts its own.
    const char* runningUrl = std::getenv("JIANCHA_TEST_HAPROXY_URL");
    const char* runningBackends = std::getenv("JIANCHA_TEST_HAPROXY_BACKENDS");
    bool shared = runningUrl && *runningUrl && runningBackends && *runningBackends;
    std::string haproxy;
    if (!shared) {
        if (test::servicesRequired()) FAIL("JIANCHA_TEST_SERVICES=1 but packaging/test.sh started no HAProxy (JIANCHA_TEST_HAPROXY_URL)");
        haproxy = test::haproxyBin();
        if (haproxy.empty()) return;
    }

    auto seed = test::seedHqDatabase(url, {{"张伟", Role::Inspector}, {"王磊", Role::Inspector}, {"李娜", Role::Lead}});
    test::TempDir blobs{"shared-blobs"};
    test::ServerProcess s1, s2;
    std::unique_ptr<Haproxy> own;
    std::string lbUrl;
    if (shared) {
        std::string list = runningBackends;
        auto comma = list.find(',');
        REQUIRE(comma != std::string::npos);
        const int admin1 = freePort(), admin2 = freePort();
        REQUIRE(s1.start(url, blobs.path.string(), std::stoi(list.substr(0, comma)),
                         {"--admin-listen", "127.0.0.1:" + std::to_string(admin1)}));
        REQUIRE(s2.start(url, blobs.path.string(), std::stoi(list.substr(comma + 1)),
                         {"--admin-listen", "127.0.0.1:" + std::to_string(admin2)}));
        lbUrl = runningUrl;
        // HAProxy's health check (every 200 ms) puts the servers in its rotation: wait until
        // each has answered a request that came through it.
        httplib::Client lb(lbUrl);
        REQUIRE(test::waitFor(
            [&] {
                lb.Get("/v1/version");
                return answeredVersion(admin1) && answeredVersion(admin2);
            },
            10));
    } else {
        REQUIRE(s1.start(url, blobs.path.string(), 0));
        REQUIRE(s2.start(url, blobs.path.string(), 0));
        own = std::make_unique<Haproxy>(haproxy, std::vector<int>{s1.port, s2.port});
        lbUrl = own->url();
    }

    test::Device a{{}, "张伟"}, b{{}, "王磊"}, lead{{}, "李娜"};
    a.ok({"enroll", "--server", lbUrl, "--code", seed.codes["张伟"]});
    b.ok({"enroll", "--server", lbUrl, "--code", seed.codes["王磊"]});
    lead.ok({"enroll", "--server", lbUrl, "--code", seed.codes["李娜"]});
    for (auto* d : {&a, &b, &lead}) REQUIRE(d->sync()["ok"] == true);

    // A: a large outbox (several push batches). B: findings submitted for the lead.
    a.ok({"demo", "--findings", "120", "--complaints", "40"});
    const int64_t before = a.json({"status"})["outbox_pending"];
    REQUIRE(before > 600);
    std::vector<std::string> submitted;
    for (int i = 0; i < 6; ++i) {
        std::string f = b.ok({"finding", "add", "--campaign", seed.campaign, "--category", "wage_arrears", "--title",
                              "拖欠农民工工资" + std::to_string(i), "--narrative",
                              "甘州区梁家墩镇某安置房项目拖欠农民工工资，讨薪未果。", "--region", "620702101", "--area",
                              "hotspot_issues", "--misconduct", "inaction", "--field", "employer=张掖市某建筑工程有限公司",
                              "--field", "project=梁家墩镇安置房二期", "--field", "workers_affected=42", "--field",
                              "amount_owed=386500.50", "--field", "months_overdue=5"});
        b.ok({"finding", "submit", f});
        submitted.push_back(f);
    }

    // A syncs in a child process (one large push, about a second of work for the server); B
    // syncs beside it; the server holding a push transaction open dies by SIGKILL.
    int status = 0;
    pid_t pid = test::spawnQuiet(JIANCHA_BIN, {"--data-dir", a.dir.path.string(), "sync"});
    REQUIRE(pid >= 0);
    std::thread bSync([&] { b.run({"sync"}); });
    struct Join {
        std::thread& t;
        ~Join() {
            if (t.joinable()) t.join();
        }
    } joinB{bSync};
    // Mid-push: whichever server holds an open write transaction (PostgreSQL gave it a
    // transaction id) is killed, with its transaction half done.
    test::ServerProcess* victim = nullptr;
    PGconn* watch = PQconnectdb(url.c_str());
    REQUIRE(PQstatus(watch) == CONNECTION_OK);
    for (int i = 0; i < 20000 && !victim && ::waitpid(pid, &status, WNOHANG) == 0; ++i) {
        PGresult* r = PQexec(watch,
                             "SELECT application_name FROM pg_stat_activity WHERE application_name LIKE "
                             "'jiancha-server/%' AND backend_xid IS NOT NULL AND state <> 'idle' LIMIT 1");
        if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1) {
            std::string app = PQgetvalue(r, 0, 0);
            for (auto* s : {&s1, &s2})
                if (app == "jiancha-server/" + std::to_string(s->pid)) victim = s;
        }
        PQclear(r);
        if (victim) victim->kill9();
    }
    PQfinish(watch);
    REQUIRE(victim);
    const int victimPort = victim->port;
    ::waitpid(pid, &status, 0);
    bSync.join();
    // The server comes back on its port; HAProxy's health check puts it back in the rotation.
    REQUIRE(victim->start(url, blobs.path.string(), victimPort));
    for (auto* d : {&a, &b, &lead}) syncUntilClean(*d);

    // The lead accepts B's findings; each acceptance gets its official number from whichever
    // server HAProxy chose.
    for (const auto& f : submitted) lead.ok({"finding", "accept", f});
    syncUntilClean(lead);
    for (auto* d : {&a, &b, &lead}) syncUntilClean(*d);

    // Every replica holds the same records.
    auto snapLead = test::snapshot(lead.dir.path);
    CHECK(test::snapshot(b.dir.path) == snapLead);
    Store storeA(a.storePath().string()), storeLead(lead.storePath().string());
    std::set<std::string> rejected;
    {
        auto st = storeA.db().prepare("SELECT entity_id FROM sync_rejection");
        while (st.step()) rejected.insert(st.getText(0));
    }
    // Nothing A created is lost: what HQ accepted from A is on the lead's replica, and nothing else.
    for (const char* entity : {"finding", "complaint", "unit", "case_event"}) {
        std::set<std::string> mine;
        for (const auto& id : ids(storeA, entity, "created_by = '张伟'"))
            if (!rejected.count(id)) mine.insert(id);
        INFO(entity);
        CHECK(!mine.empty());
        CHECK(ids(storeLead, entity, "created_by = '张伟'") == mine);
    }
    // Nothing doubled: each pushed change is in HQ's log at most once.
    CHECK(test::pgScalar(url, "SELECT count(*) - count(DISTINCT change_id) FROM change_log WHERE change_id IS NOT NULL") ==
          "0");

    // Official numbers: unique and consecutive, 0001 … N, one per accepted finding of B's.
    std::vector<std::string> numbers;
    {
        auto st = storeLead.db().prepare("SELECT official_number FROM finding WHERE official_number IS NOT NULL");
        while (st.step()) numbers.push_back(st.getText(0));
    }
    std::sort(numbers.begin(), numbers.end());
    REQUIRE(numbers.size() == submitted.size());
    const std::string year = std::to_string(Date::today().year);
    for (size_t i = 0; i < numbers.size(); ++i) {
        char seq[8];
        std::snprintf(seq, sizeof seq, "%04zu", i + 1);
        CHECK(numbers[i] == "张监〔" + year + "〕" + seq + "号");
    }
}
