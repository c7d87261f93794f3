// server_bench: load on jiancha-server from many simulated devices, for three configurations —
// SQLite with one server, PostgreSQL with one server, PostgreSQL with two servers behind HAProxy
// (round-robin) — with a ramp of device counts.
//
// Each device has its own enrolled identity (user, team of 20, device token) and repeats a
// compressed 30-second cycle, starting at a random point of it: push 1–5 new findings, sometimes
// (--photo-share) upload a 200 KB photo, pull until has_more is false. Devices are libcurl easy
// handles, many per thread on curl multi handles; a device reuses its connection within a cycle
// and closes it at the end, as a laptop would. Servers run as separate processes so the CPU of
// the load generator, the servers and PostgreSQL can be told apart.
//
// For each step it prints one JSON line: devices, requests/s, changes/s, p50/p99 of push, pull
// and photo upload (ms), errors, CPU (cores) of generator / servers / PostgreSQL. A configuration
// stops ramping when p99 of push or pull exceeds 1 s or more than 1 % of requests fail; the
// summary line names the largest device count that stayed under 1 s.
//
//   server_bench [--configs sqlite,pg,pg2] [--steps 250,500,1000,2000,4000] [--step-seconds 12]
//                [--cycle-seconds 30] [--photo-share 0.05] [--threads 2]
//                [--pg postgresql://USER@HOST:PORT] [--haproxy /usr/sbin/haproxy]
//                [--write-group N]   (passed to every server: 1 = each push commits alone, as before
//                                     group commit; default: the server's own, 64)
//   server_bench --blobs [--blob-mib 4] [--blob-count 24]
//                evidence upload/download MB/s: PostgreSQL with two servers behind HAProxy sharing
//                a blob directory (ours) beside one SQLite server (the reference)
// --pg defaults to $JIANCHA_TEST_PG (packaging/test.sh sets it), --haproxy to $JIANCHA_TEST_HAPROXY.
// Each step also reports the servers' commits per second and writes per commit (their /metrics)
// and the machine's 1-minute load average (it is shared).
#include <curl/curl.h>
#include <fcntl.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <mutex>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "base/sha256.h"
#include "core/args.h"
#include "core/dates.h"
#include "core/error.h"
#include "core/hlc.h"
#include "core/uuid.h"
#include "sync/protocol/protocol.h"
#include "sync/server/admin.h"
#include "sync/server/apply.h"
#include "sync/server/auth.h"
#include "support/free_port.h"
#include "support/pg_exec.h"
#include "support/server_spawn.h"
#include "sync/server/open_storage.h"

using jc::Json;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

struct Options {
    std::vector<std::string> configs = {"sqlite", "pg", "pg2"};
    std::vector<int> steps = {250, 500, 1000, 2000, 4000};
    int stepSeconds = 12;
    int cycleSeconds = 30;
    double photoShare = 0.05;
    int threads = 2;
    std::string pg;
    std::string haproxy;
    int writeGroup = 0;   // serve --write-group (0: the server's default; 1: every write commits alone)
    bool blobs = false;   // the blob throughput scenario instead of the ramp
    int blobMib = 4;      // size of each blob in that scenario
    int blobCount = 24;   // blobs in that scenario (uploaded by 4 devices at once, then downloaded)
};

double seconds(Clock::time_point a, Clock::time_point b) {
    return std::chrono::duration<double>(b - a).count();
}

// --- processes ------------------------------------------------------------------------------

using jc::test::freePort;

struct Child {
    pid_t pid = -1;
    int port = 0;
    int adminPort = 0;  // the server's /metrics listener
    ~Child() {
        if (pid > 0) {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, nullptr, 0);
        }
    }
};

// jiancha-server serve on a port the OS picks; reads the "listening on …:PORT (db …)" line.
void startServer(Child& c, const std::string& db, const std::string& blobDir, int writeGroup) {
    c.adminPort = freePort();
    const std::string admin = "127.0.0.1:" + std::to_string(c.adminPort);
    std::vector<std::string> args = {JIANCHA_SERVER_BIN, "serve", "--db", db, "--listen", "127.0.0.1:0",
                                     "--blob-dir", blobDir, "--admin-listen", admin, "--quiet"};
    if (writeGroup > 0) args.insert(args.end(), {"--write-group", std::to_string(writeGroup)});
    auto s = jc::test::spawnServer(args);
    if (s.pid < 0) throw std::runtime_error("fork");
    c.pid = s.pid;
    c.port = jc::test::serverPort(s.line);
    if (c.port <= 0) throw std::runtime_error("the server did not start: " + s.line);
}

void startHaproxy(Child& c, const std::string& bin, const std::vector<int>& backends, const fs::path& dir) {
    c.port = freePort();
    fs::path cfg = dir / "haproxy.cfg";
    std::ofstream out(cfg);
    out << "global\n  maxconn 8000\n"
        << "defaults\n  mode http\n  timeout connect 5s\n  timeout client 60s\n  timeout server 60s\n"
        << "  retries 2\n  option redispatch\n  option http-server-close\n"
        << "frontend hq\n  bind 127.0.0.1:" << c.port << "\n  default_backend servers\n"
        << "backend servers\n  balance roundrobin\n";
    for (size_t i = 0; i < backends.size(); ++i)
        out << "  server s" << i << " 127.0.0.1:" << backends[i] << " check inter 1s\n";
    out.close();
    c.pid = ::fork();
    if (c.pid == 0) {
        int log = ::open((dir / "haproxy.log").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        ::dup2(log, 1);
        ::dup2(log, 2);
        ::execl(bin.c_str(), bin.c_str(), "-f", cfg.c_str(), "-db", static_cast<char*>(nullptr));
        ::_exit(127);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    int status = 0;
    if (::waitpid(c.pid, &status, WNOHANG) == c.pid) {
        c.pid = -1;
        std::ifstream in(dir / "haproxy.log");
        throw std::runtime_error("haproxy did not start: " + std::string((std::istreambuf_iterator<char>(in)), {}));
    }
}

// CPU seconds (user + system) of a process, from /proc.
double cpuOf(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string s((std::istreambuf_iterator<char>(in)), {});
    auto close = s.rfind(')');
    if (close == std::string::npos) return 0;
    std::istringstream rest(s.substr(close + 2));
    std::string field;
    double ut = 0, st = 0;
    for (int i = 3; rest >> field; ++i) {
        if (i == 14) ut = std::stod(field);
        if (i == 15) {
            st = std::stod(field);
            break;
        }
    }
    return (ut + st) / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

// CPU seconds of every process named "postgres" (the cluster the bench uses; run it alone).
double postgresCpu() {
    double total = 0;
    for (const auto& e : fs::directory_iterator("/proc")) {
        std::string name = e.path().filename();
        if (name.empty() || !std::isdigit(static_cast<unsigned char>(name[0]))) continue;
        std::ifstream comm(e.path() / "comm");
        std::string c;
        std::getline(comm, c);
        if (c == "postgres") total += cpuOf(std::stoi(name));
    }
    return total;
}

double selfCpu() {
    rusage u{};
    ::getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
           static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

using jc::test::pgExec;

// The 1-minute load average (the machine is shared: each figure says how busy it was).
double loadAverage() {
    std::ifstream in("/proc/loadavg");
    double l = 0;
    in >> l;
    return l;
}

size_t collect(char* p, size_t size, size_t n, void* user);

// A blocking GET of a loopback URL's body ("" when it fails).
std::string httpGet(const std::string& url) {
    std::string body;
    CURL* c = curl_easy_init();
    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &body);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 10L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    if (curl_easy_perform(c) != CURLE_OK) body.clear();
    curl_easy_cleanup(c);
    return body;
}

// Group-commit counters of the servers, summed: {commits, write requests} (metrics.h).
std::pair<double, double> writeCounters(const std::vector<std::unique_ptr<Child>>& servers) {
    double commits = 0, requests = 0;
    for (const auto& s : servers) {
        std::string m = httpGet("http://127.0.0.1:" + std::to_string(s->adminPort) + "/metrics");
        auto value = [&](const std::string& name) {
            auto at = m.find("\n" + name + " ");
            return at == std::string::npos ? 0.0 : std::stod(m.substr(at + name.size() + 2));
        };
        commits += value("jiancha_write_commits_total");
        requests += value("jiancha_write_requests_total");
    }
    return {commits, requests};
}

// --- identities -----------------------------------------------------------------------------

// A device's identity and sync state, kept across the steps of a ramp.
struct Identity {
    std::string user, deviceId, token;
    std::string incarnation = jc::newUuidV7();
    int64_t seq = 0, cursor = 0;
};

// Teams of 20 inspectors, each with one device, written straight into the database in large
// transactions (enrolling ten thousand devices one code at a time would take longer than the run).
std::string seed(jc::server::ServerStorage& storage, size_t from, size_t to, std::vector<Identity>& out,
                 const std::string& campaignIn) {
    jc::HybridClock clock("bench");
    std::string campaign = campaignIn;
    const size_t kBatch = 500;
    for (size_t start = from; start < to; start += kBatch) {
        auto tx = storage.write();
        jc::server::Applier applier(*tx, clock);
        std::string team;
        for (size_t i = start; i < std::min(to, start + kBatch); ++i) {
            if (i % 20 == 0 || team.empty()) {
                team = jc::newUuidV7();
                applier.writeServerChange("team", team, {{"name", "组" + std::to_string(i / 20)}, {"region_scope", Json::array()}},
                                          jc::server::kAdminAuthor);
            }
            Identity id;
            id.user = "insp" + std::to_string(i);
            id.deviceId = jc::newUuidV7();
            id.token = jc::server::newToken();
            std::string userId = jc::newUuidV7();
            applier.writeServerChange("user", userId,
                                      {{"name", id.user}, {"role", "inspector"}, {"region_scope", Json::array()}, {"team_id", team}},
                                      jc::server::kAdminAuthor);
            std::string now = jc::nowIso();
            tx->putDevice(jc::server::Device{id.deviceId, userId, "bench device", now, now, ""},
                          jc::server::hashSecret(id.token));
            out.push_back(std::move(id));
        }
        if (campaign.empty()) {
            campaign = jc::newUuidV7();
            applier.writeServerChange("campaign", campaign,
                                      {{"title", "负载测试专项"},
                                       {"status", "active"},
                                       {"categories", Json::array({"land_acquisition"})},
                                       {"areas", Json::array()},
                                       {"team_ids", Json::array()},
                                       {"complaint_deadline_days", 15}},
                                      jc::server::kAdminAuthor);
        }
        tx->commit();
    }
    return campaign;
}

// --- simulated devices ----------------------------------------------------------------------

enum Kind { kPush = 0, kPull = 1, kPhoto = 2 };

struct Stats {
    std::vector<double> ms[3];
    int64_t requests = 0, changes = 0, errors = 0;
    std::string firstError;
    void merge(const Stats& o) {
        if (firstError.empty()) firstError = o.firstError;
        for (int k = 0; k < 3; ++k) ms[k].insert(ms[k].end(), o.ms[k].begin(), o.ms[k].end());
        requests += o.requests;
        changes += o.changes;
        errors += o.errors;
    }
};

struct Device {
    Identity* id = nullptr;
    CURL* easy = nullptr;
    curl_slist* headers = nullptr;
    std::string body, response;
    int phase = 0;  // 0 idle, 1 push, 2 photo, 3 pull
    bool photo = false;
    int pushed = 0;
    double nextAt = 0;
    Clock::time_point started;
    std::unique_ptr<jc::HybridClock> clock;
};

size_t collect(char* p, size_t size, size_t n, void* user) {
    static_cast<std::string*>(user)->append(p, size * n);
    return size * n;
}

// One thread driving its share of the devices on one curl multi handle.
class Driver {
public:
    Driver(std::vector<Device*> devices, std::string base, std::string campaign, const Options& o, unsigned seed)
        : m_devices(std::move(devices)), m_base(std::move(base)), m_campaign(std::move(campaign)), m_o(o), m_rng(seed) {}

    Stats run(Clock::time_point t0, double until) {
        CURLM* multi = curl_multi_init();
        curl_multi_setopt(multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, 0L);
        std::uniform_real_distribution<double> offset(0, m_o.cycleSeconds);
        for (Device* d : m_devices) d->nextAt = offset(m_rng);
        int running = 0;
        for (;;) {
            double now = seconds(t0, Clock::now());
            if (now < until)
                for (Device* d : m_devices)
                    if (d->phase == 0 && d->nextAt <= now) startCycle(multi, d);
            curl_multi_perform(multi, &running);
            int left = 0;
            while (CURLMsg* m = curl_multi_info_read(multi, &left)) {
                if (m->msg != CURLMSG_DONE) continue;
                Device* d = nullptr;
                curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, &d);
                curl_multi_remove_handle(multi, m->easy_handle);
                finished(multi, d, m->data.result);
            }
            if (now >= until && running == 0) break;
            if (now >= until + 30) break;  // stragglers: give up
            curl_multi_poll(multi, nullptr, 0, 5, nullptr);
        }
        curl_multi_cleanup(multi);
        return m_stats;
    }

private:
    void startCycle(CURLM* multi, Device* d) {
        d->nextAt += m_o.cycleSeconds;
        d->photo = std::uniform_real_distribution<double>(0, 1)(m_rng) < m_o.photoShare;
        int n = std::uniform_int_distribution<int>(1, 5)(m_rng);
        Json changes = Json::array();
        for (int i = 0; i < n; ++i) {
            std::string now = jc::nowIso();
            changes.push_back({{"change_id", jc::newUuidV7()},
                               {"seq", ++d->id->seq},
                               {"entity", "finding"},
                               {"entity_id", jc::newUuidV7()},
                               {"fields",
                                {{"campaign_id", m_campaign},
                                 {"category", "land_acquisition"},
                                 {"title", "征地补偿款未足额发放"},
                                 {"status", "draft"},
                                 {"narrative", "某镇征地补偿款未足额发放，涉及农户十二户。"},
                                 {"created_at", now},
                                 {"created_by", d->id->user}}},
                               {"base_versions", Json::object()},
                               {"hlc", d->clock->now().encode()},
                               {"user_id", d->id->user}});
        }
        d->pushed = n;
        d->body = Json{{"device_id", d->id->deviceId}, {"db_incarnation", d->id->incarnation}, {"changes", changes}}.dump();
        d->phase = 1;
        send(multi, d, "/v1/push", "POST");
    }

    void send(CURLM* multi, Device* d, const std::string& path, const char* method, bool last = false) {
        d->response.clear();
        curl_easy_setopt(d->easy, CURLOPT_URL, (m_base + path).c_str());
        curl_easy_setopt(d->easy, CURLOPT_CUSTOMREQUEST, method);
        if (std::strcmp(method, "GET") == 0) {
            curl_easy_setopt(d->easy, CURLOPT_HTTPGET, 1L);
        } else {
            curl_easy_setopt(d->easy, CURLOPT_POSTFIELDS, d->body.data());
            curl_easy_setopt(d->easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(d->body.size()));
        }
        curl_easy_setopt(d->easy, CURLOPT_FORBID_REUSE, last ? 1L : 0L);
        d->started = Clock::now();
        curl_multi_add_handle(multi, d->easy);
    }

    void finished(CURLM* multi, Device* d, CURLcode rc) {
        double ms = std::chrono::duration<double, std::milli>(Clock::now() - d->started).count();
        long status = 0;
        curl_easy_getinfo(d->easy, CURLINFO_RESPONSE_CODE, &status);
        const int kind = d->phase == 1 ? kPush : d->phase == 2 ? kPhoto : kPull;
        ++m_stats.requests;
        bool ok = rc == CURLE_OK && status == 200;
        if (!ok) {
            ++m_stats.errors;
            if (m_stats.firstError.empty())
                m_stats.firstError = rc != CURLE_OK ? curl_easy_strerror(rc)
                                                    : "HTTP " + std::to_string(status) + " " + d->response.substr(0, 200);
            d->phase = 0;  // the device tries again next cycle
            return;
        }
        m_stats.ms[kind].push_back(ms);
        if (d->phase == 1) {
            m_stats.changes += d->pushed;
            if (d->photo) {
                d->body.assign(200 * 1024, '\0');
                for (auto& c : d->body) c = static_cast<char>(m_rng());
                std::string sha = jc::sha256Hex(d->body);
                d->phase = 2;
                send(multi, d, "/v1/blobs/" + sha + "?offset=0&total=" + std::to_string(d->body.size()), "PUT");
                return;
            }
            d->phase = 2;
        }
        if (d->phase == 3) {
            Json page = Json::parse(d->response, nullptr, false);
            if (!page.is_object() || !page.contains("next_cursor")) {
                ++m_stats.errors;
                d->phase = 0;
                return;
            }
            d->id->cursor = page["next_cursor"].get<int64_t>();
            if (!page["has_more"].get<bool>()) {
                d->phase = 0;
                return;
            }
        }
        d->phase = 3;
        send(multi, d, "/v1/pull?limit=500&cursor=" + std::to_string(d->id->cursor), "GET", true);
    }

    std::vector<Device*> m_devices;
    std::string m_base, m_campaign;
    const Options& m_o;
    std::mt19937 m_rng;
    Stats m_stats;
};

double percentile(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())))];
}

// One configuration's database and servers: a fresh SQLite file or PostgreSQL database in a
// temporary directory, then (start) its servers on it — two behind HAProxy for "pg2". The
// servers are stopped and the database and directory removed when it goes.
struct BenchSite {
    const Options& o;
    const bool pg;
    const int nServers;
    fs::path dir = fs::temp_directory_path() / ("jiancha-server-bench-" + jc::newUuidV7());
    std::string db = (dir / "server.db").string(), dbName;
    std::vector<std::unique_ptr<Child>> servers;
    Child lb;
    std::string base;  // where the devices send their requests

    BenchSite(const std::string& config, const Options& opts)
        : o(opts), pg(config != "sqlite"), nServers(config == "pg2" ? 2 : 1) {
        if (pg && o.pg.empty()) throw std::runtime_error("configuration " + config + " needs --pg or $JIANCHA_TEST_PG");
        fs::create_directories(dir);
        if (pg) {
            dbName = "jc_bench_" + jc::newUuidV7().substr(24);
            pgExec(o.pg + "/postgres", "CREATE DATABASE " + dbName);
            db = o.pg + "/" + dbName;
        }
        jc::server::initStorage(db);
    }
    void start() {
        for (int i = 0; i < nServers; ++i) {
            servers.push_back(std::make_unique<Child>());
            startServer(*servers.back(), db, (dir / "blobs").string(), o.writeGroup);
        }
        base = "http://127.0.0.1:" + std::to_string(servers[0]->port);
        if (nServers == 2) {
            if (o.haproxy.empty()) throw std::runtime_error("pg2 needs --haproxy or $JIANCHA_TEST_HAPROXY");
            startHaproxy(lb, o.haproxy, {servers[0]->port, servers[1]->port}, dir);
            base = "http://127.0.0.1:" + std::to_string(lb.port);
        }
    }
    ~BenchSite() {
        servers.clear();
        if (pg) {
            try {
                pgExec(o.pg + "/postgres", "DROP DATABASE IF EXISTS " + dbName + " WITH (FORCE)");
            } catch (const std::exception&) {
            }
        }
        std::error_code ec;
        fs::remove_all(dir, ec);
    }
};

Json runConfig(const std::string& config, const Options& o) {
    BenchSite site(config, o);
    const bool pg = site.pg;
    const std::string& db = site.db;
    const std::string& base = site.base;
    std::vector<Identity> ids;
    std::string campaign;

    Json steps = Json::array();
    int best = 0;
    for (int n : o.steps) {
        if (static_cast<int>(ids.size()) < n) {
            auto storage = jc::server::openStorage(db);
            campaign = seed(*storage, ids.size(), static_cast<size_t>(n), ids, campaign);
        }
        if (site.servers.empty()) site.start();
        std::vector<Device> devices(static_cast<size_t>(n));
        for (int i = 0; i < n; ++i) {
            Device& d = devices[static_cast<size_t>(i)];
            d.id = &ids[static_cast<size_t>(i)];
            d.clock = std::make_unique<jc::HybridClock>(d.id->deviceId);
            d.easy = curl_easy_init();
            d.headers = curl_slist_append(d.headers, "X-Jiancha-Protocol: 1");
            d.headers = curl_slist_append(d.headers, "X-Jiancha-Schema: 1");
            d.headers = curl_slist_append(d.headers, "Content-Type: application/json");
            d.headers = curl_slist_append(d.headers, ("Authorization: Bearer " + d.id->token).c_str());
            curl_easy_setopt(d.easy, CURLOPT_HTTPHEADER, d.headers);
            curl_easy_setopt(d.easy, CURLOPT_WRITEFUNCTION, collect);
            curl_easy_setopt(d.easy, CURLOPT_WRITEDATA, &d.response);
            curl_easy_setopt(d.easy, CURLOPT_PRIVATE, &d);
            curl_easy_setopt(d.easy, CURLOPT_TIMEOUT, 30L);
            curl_easy_setopt(d.easy, CURLOPT_NOSIGNAL, 1L);
            curl_easy_setopt(d.easy, CURLOPT_ACCEPT_ENCODING, "");
        }
        std::vector<std::vector<Device*>> shares(static_cast<size_t>(o.threads));
        for (size_t i = 0; i < devices.size(); ++i) shares[i % shares.size()].push_back(&devices[i]);

        const auto writes0 = writeCounters(site.servers);
        double cpu0 = selfCpu(), pg0 = pg ? postgresCpu() : 0, srv0 = 0;
        for (auto& s : site.servers) srv0 += cpuOf(s->pid);
        auto t0 = Clock::now();
        std::vector<Stats> results(shares.size());
        std::vector<std::thread> threads;
        for (size_t t = 0; t < shares.size(); ++t)
            threads.emplace_back([&, t] {
                Driver drv(shares[t], base, campaign, o, static_cast<unsigned>(t * 7919 + n));
                results[t] = drv.run(t0, o.stepSeconds);
            });
        for (auto& th : threads) th.join();
        double wall = seconds(t0, Clock::now());
        double genCpu = selfCpu() - cpu0, pgCpu = pg ? postgresCpu() - pg0 : 0, srvCpu = -srv0;
        for (auto& s : site.servers) srvCpu += cpuOf(s->pid);
        const auto writes1 = writeCounters(site.servers);
        const double commits = writes1.first - writes0.first, writeRequests = writes1.second - writes0.second;
        for (auto& d : devices) {
            curl_easy_cleanup(d.easy);
            curl_slist_free_all(d.headers);
        }
        Stats all;
        for (auto& r : results) all.merge(r);
        const double p99 = std::max(percentile(all.ms[kPush], 0.99), percentile(all.ms[kPull], 0.99));
        const double errorShare = all.requests ? static_cast<double>(all.errors) / static_cast<double>(all.requests) : 1;
        Json step = {{"config", config},
                     {"devices", n},
                     {"requests_per_s", all.requests / wall},
                     {"changes_per_s", all.changes / wall},
                     {"push_p50_ms", percentile(all.ms[kPush], 0.5)},
                     {"push_p99_ms", percentile(all.ms[kPush], 0.99)},
                     {"pull_p50_ms", percentile(all.ms[kPull], 0.5)},
                     {"pull_p99_ms", percentile(all.ms[kPull], 0.99)},
                     {"photo_p50_ms", percentile(all.ms[kPhoto], 0.5)},
                     {"photo_p99_ms", percentile(all.ms[kPhoto], 0.99)},
                     {"photos", all.ms[kPhoto].size()},
                     {"errors", all.errors},
                     {"first_error", all.firstError},
                     {"generator_cpu_cores", genCpu / wall},
                     {"server_cpu_cores", srvCpu / wall},
                     {"postgres_cpu_cores", pgCpu / wall},
                     {"commits_per_s", commits / wall},
                     {"writes_per_commit", commits > 0 ? writeRequests / commits : 0},
                     {"write_group", o.writeGroup},
                     {"load_avg_1m", loadAverage()},
                     {"seconds", wall}};
        std::cout << step.dump() << std::endl;
        steps.push_back(step);
        if (p99 >= 1000 || errorShare > 0.01) break;
        best = n;
    }
    return {{"config", config}, {"max_devices_p99_under_1s", best}, {"steps", steps.size()}};
}

// --- blob throughput ------------------------------------------------------------------------

// A blocking request with a body (PUT/POST) or without (GET): {HTTP status, response body}.
std::pair<long, std::string> httpCall(const std::string& url, const char* method, const std::string& token,
                                      const std::string* body) {
    std::string out;
    CURL* c = curl_easy_init();
    curl_slist* h = nullptr;
    h = curl_slist_append(h, "X-Jiancha-Protocol: 1");
    h = curl_slist_append(h, "X-Jiancha-Schema: 1");
    h = curl_slist_append(h, "Content-Type: application/json");
    h = curl_slist_append(h, ("Authorization: Bearer " + token).c_str());
    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    if (body) {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body->data());
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body->size()));
    }
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &out);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 120L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    long status = 0;
    if (curl_easy_perform(c) == CURLE_OK) curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
    return {status, out};
}

// Evidence upload and download MB/s for one configuration: 4 devices at once each upload their
// share of `blobCount` blobs of `blobMib` MiB (one chunk each), push the evidence records naming
// them, then download them all again (checked against their SHA-256).
Json blobThroughput(const std::string& config, const Options& o) {
    BenchSite site(config, o);
    const int devices = 4;
    std::vector<Identity> ids;
    std::string campaign;
    {
        auto storage = jc::server::openStorage(site.db);
        campaign = seed(*storage, 0, devices, ids, {});
    }
    site.start();
    const std::string& base = site.base;
    const size_t size = static_cast<size_t>(o.blobMib) << 20;
    std::vector<std::vector<std::string>> blobs(devices);  // per device: the blobs' data
    std::mt19937 rng(7);
    for (int i = 0; i < o.blobCount; ++i) {
        std::string data(size, '\0');
        for (size_t k = 0; k + 4 <= size; k += 4) {
            uint32_t v = rng();
            std::memcpy(&data[k], &v, 4);
        }
        blobs[static_cast<size_t>(i % devices)].push_back(std::move(data));
    }
    std::atomic<int> errors{0};
    std::string firstError;
    std::mutex errorMutex;
    auto fail = [&](const std::string& what) {
        ++errors;
        std::lock_guard lock(errorMutex);
        if (firstError.empty()) firstError = what;
    };
    auto phase = [&](const std::function<void(int)>& perDevice) {
        auto t0 = Clock::now();
        std::vector<std::thread> threads;
        for (int d = 0; d < devices; ++d) threads.emplace_back(perDevice, d);
        for (auto& t : threads) t.join();
        return seconds(t0, Clock::now());
    };
    const double load0 = loadAverage();
    const double up = phase([&](int d) {
        for (const auto& data : blobs[static_cast<size_t>(d)]) {
            auto r = httpCall(base + "/v1/blobs/" + jc::sha256Hex(data) + "?offset=0&total=" + std::to_string(data.size()),
                              "PUT", ids[static_cast<size_t>(d)].token, &data);
            if (r.first != 200) fail("upload: HTTP " + std::to_string(r.first) + " " + r.second.substr(0, 200));
        }
    });
    // The evidence records that make the blobs readable (not timed).
    for (int d = 0; d < devices; ++d) {
        Identity& id = ids[static_cast<size_t>(d)];
        jc::HybridClock clock(id.deviceId);
        Json changes = Json::array();
        for (const auto& data : blobs[static_cast<size_t>(d)]) {
            std::string finding = jc::newUuidV7(), now = jc::nowIso();
            changes.push_back({{"change_id", jc::newUuidV7()}, {"seq", ++id.seq}, {"entity", "finding"},
                               {"entity_id", finding},
                               {"fields", {{"campaign_id", campaign}, {"category", "land_acquisition"},
                                           {"title", "证据吞吐"}, {"status", "draft"}, {"created_at", now},
                                           {"created_by", id.user}}},
                               {"base_versions", Json::object()}, {"hlc", clock.now().encode()}, {"user_id", id.user}});
            changes.push_back({{"change_id", jc::newUuidV7()}, {"seq", ++id.seq}, {"entity", "evidence"},
                               {"entity_id", jc::newUuidV7()},
                               {"fields", {{"owner_entity", "finding"}, {"owner_id", finding}, {"sha256", jc::sha256Hex(data)},
                                           {"kind", "photo"}, {"size", static_cast<int64_t>(data.size())},
                                           {"created_at", now}, {"created_by", id.user}}},
                               {"base_versions", Json::object()}, {"hlc", clock.now().encode()}, {"user_id", id.user}});
        }
        std::string body =
            Json{{"device_id", id.deviceId}, {"db_incarnation", id.incarnation}, {"changes", changes}}.dump();
        auto r = httpCall(base + "/v1/push", "POST", id.token, &body);
        if (r.first != 200 || r.second.find("\"rejected\"") != std::string::npos)
            fail("evidence push: HTTP " + std::to_string(r.first) + " " + r.second.substr(0, 300));
    }
    const double down = phase([&](int d) {
        for (const auto& data : blobs[static_cast<size_t>(d)]) {
            auto r = httpCall(base + "/v1/blobs/" + jc::sha256Hex(data), "GET", ids[static_cast<size_t>(d)].token, nullptr);
            if (r.first != 200 || r.second.size() != data.size() || jc::sha256Hex(r.second) != jc::sha256Hex(data))
                fail("download: HTTP " + std::to_string(r.first) + " " + std::to_string(r.second.size()) + " bytes");
        }
    });
    const double mb = static_cast<double>(size) * o.blobCount / 1e6;
    Json out = {{"scenario", "blobs"},           {"config", config},
                {"blob_mib", o.blobMib},         {"blobs", o.blobCount},
                {"upload_mb_s", mb / up},        {"download_mb_s", mb / down},
                {"errors", errors.load()},       {"first_error", firstError},
                {"load_avg_1m", (load0 + loadAverage()) / 2}};
    std::cout << out.dump() << std::endl;
    return out;
}

// Ours: PostgreSQL, two servers behind HAProxy, blobs in their shared directory; the reference
// beside it: one SQLite server with its own directory.
void blobScenario(const Options& o) {
    Json ref = blobThroughput("sqlite", o);
    Json ours = blobThroughput("pg2", o);
    std::cout << Json{{"scenario", "blobs"},
                      {"ours", {{"config", "pg2"}, {"upload_mb_s", ours["upload_mb_s"]}, {"download_mb_s", ours["download_mb_s"]}}},
                      {"reference", {{"config", "sqlite"}, {"upload_mb_s", ref["upload_mb_s"]}, {"download_mb_s", ref["download_mb_s"]}}},
                      {"upload_ratio", ours["upload_mb_s"].get<double>() / ref["upload_mb_s"].get<double>()},
                      {"download_ratio", ours["download_mb_s"].get<double>() / ref["download_mb_s"].get<double>()}}
                     .dump()
              << std::endl;
}

}  // namespace

int main(int argc, char** argv) {
    Options o;
    if (const char* v = std::getenv("JIANCHA_TEST_PG")) o.pg = v;
    if (const char* v = std::getenv("JIANCHA_TEST_HAPROXY")) o.haproxy = v;
    try {
        // Options: see the comment at the top of this file.
        jc::Args a(argc, argv,
               {"configs", "steps", "step-seconds", "cycle-seconds", "photo-share", "threads", "pg", "haproxy",
                "write-group", "blob-mib", "blob-count"},
               {"blobs"});
        a.maxPositional(0);
        if (auto v = a.opt("configs")) o.configs = jc::splitList(*v);
        if (auto v = a.opt("steps")) {
            o.steps.clear();
            for (auto& s : jc::splitList(*v)) o.steps.push_back(std::stoi(s));
        }
        o.stepSeconds = a.intOpt("step-seconds", o.stepSeconds, 1, 3600);
        o.cycleSeconds = a.intOpt("cycle-seconds", o.cycleSeconds, 1, 3600);
        o.photoShare = a.doubleOpt("photo-share", o.photoShare, 0, 1);
        o.threads = a.intOpt("threads", o.threads, 1, 256);
        o.pg = a.optOr("pg", o.pg);
        o.haproxy = a.optOr("haproxy", o.haproxy);
        o.writeGroup = a.intOpt("write-group", o.writeGroup, 0, 1000);
        o.blobs = a.flag("blobs");
        o.blobMib = a.intOpt("blob-mib", o.blobMib, 1, 8);
        o.blobCount = a.intOpt("blob-count", o.blobCount, 4, 1000);
        ::signal(SIGPIPE, SIG_IGN);
        // Thousands of connections: raise the descriptor limit (the servers and HAProxy inherit it).
        rlimit files{};
        ::getrlimit(RLIMIT_NOFILE, &files);
        files.rlim_cur = files.rlim_max;
        ::setrlimit(RLIMIT_NOFILE, &files);
        curl_global_init(CURL_GLOBAL_DEFAULT);
        Json summary = Json::array();
        if (o.blobs) {
            blobScenario(o);
            return 0;
        }
        for (const auto& c : o.configs) summary.push_back(runConfig(c, o));
        std::cout << Json{{"summary", summary}, {"aim", {{"sqlite", 2000}, {"pg2", 10000}}}}.dump() << std::endl;
    } catch (const std::exception& e) {
        std::cerr << "server_bench: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
