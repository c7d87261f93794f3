// sync_bench: the sync figures (push, pull, blobs, conflicts), measured against the offline-first peer
// (PouchDB 9 ⇄ express-pouchdb over loopback, the PouchDB peer kit) on the very same data.
//
// Data: the peer's own generator (`node docgen.js --n N`) writes N findings of ~1.2 KB with
// Chinese text; each becomes a Jiancha finding (title, narrative = description, category mapped
// to our codes, region_code of the township in the GB/T 2260 table, severity, status draft or
// submitted, created_at) written through ChangeWriter into a client store (not timed), so every
// outbox change carries about the same bytes as the peer's document. Without node or docgen the
// demo generator's texts (demo/demo_text.h) stand in, cut to similar sizes.
//
// Scenarios (each printed as one JSON line on stdout; median over --runs runs, each run on a
// fresh server and fresh devices, like the peer):
//   initial_push      a fresh device A holds N findings; one-shot sync to an empty server
//                     (SyncEngine::runRecords: push, then the pull that follows it). docs/s.
//   initial_pull      a second fresh device B (same team) pulls the N findings: one-shot sync.
//   incremental_push  A changes one finding (status, a short note), then one-shot sync; median of
//                     --reps (20) per run, median of the run medians. ms.
//   incremental_pull  A changes one finding and syncs (not timed); B's one-shot sync is timed.
//   blob_up           a 20 MiB random evidence file through A's blob queue (SyncEngine::runBlobs).
//   blob_down         B downloads it through its blob queue. MB/s.
// Bytes: initial push and pull also give the HTTP bytes each way (headers + bodies as sent, i.e.
// gzip-coded; libcurl's counters) beside the peer's server-side socket counters.
// With --link, a fresh world runs again behind tests/bench/link_shaper.h (default 2 Mbit/s each
// way, 150 ms RTT, optional resets): link_initial_push, link_initial_pull, link_incremental_push,
// link_photo_up / link_photo_down (a --link-photo-mb photo), in ms, and the peer's run.sh runs
// behind its own shaper with the same spec (SERVER_PORT / CLIENT_PORT). The shaper's byte counts
// are in those lines too (they agree with libcurl's within 0.1 %).
// The run ends with one table on stderr and in the summary's "table": scenario, ours, peer,
// ratio (ours / peer), aim, met.
// The server is the real jiancha-server code in-process (sync/server/local_server.h) on
// 127.0.0.1; client and server share this machine's cores. fsync stays ON on both sides
// (SQLite WAL synchronous=FULL on client and server, fdatasync for blob chunks); the peer runs
// without any fsync (leveldown sync:false).
//
// After the scenarios both devices sync once more and must hold identical findings and field
// versions (not timed). Each run also probes the disk's fsync latency (fsync_probe_ms): the
// one-change scenarios pay three small durable commits, so that is the context of their figures.
//
// Then, unless --no-peer, the peer's run.sh runs in the same invocation; its JSON lines are
// parsed and a final JSON object gives ours, the peer's, the ratios (ours/peer for docs/s and
// MB/s, peer/ours for ms), the ratios against the peer's published figures (its README) and the
// targets. Progress goes to stderr.
//
//   sync_bench [--n 10000] [--runs 3] [--reps 20] [--blob-mb 20] [--seed 20260101]
//              [--scenarios push,pull,incr_push,incr_pull,blob] [--no-peer] [--peer-dir DIR]
//              [--docgen FILE] [--dir DIR] [--keep] [--pg postgresql://USER@HOST:PORT]
//              [--link [--link-mbit 2] [--link-rtt-ms 150] [--link-reset-kb 0] [--link-photo-mb 5]]
// --pg runs HQ on PostgreSQL (a fresh database per run) instead of SQLite, for the comparison.
#include <fcntl.h>
#include <libpq-fe.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "core/uuid.h"
#include "demo/demo_text.h"
#include "core/dates.h"
#include "core/domain.h"
#include "core/args.h"
#include "core/error.h"
#include "base/sha256.h"
#include "store/field_versions.h"
#include "store/crypto/blob_file.h"
#include "store/crypto/key_file.h"
#include "store/search_index.h"
#include "store/store.h"
#include "store/sync_state.h"
#include "store/writer.h"
#include "sync/client/sync_engine.h"
#include "sync/server/local_server.h"
#include "tests/bench/link_shaper.h"

using namespace jc;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

#ifndef JIANCHA_SOURCE_DIR
#define JIANCHA_SOURCE_DIR "."
#endif

namespace {

// [SECTION] Targets
constexpr double kDocsRatioTarget = 10;     // ≥ 10× the peer's docs/s on initial push and pull
constexpr double kIncrementalTargetMs = 2;  // one-change push and pull each < 2 ms
constexpr double kBytesRatioTarget = 0.25;  // initial push sends ≤ ¼ of the peer's bytes
constexpr double kBlobTargetMBs = 300;       // MB/s (10^6 bytes) up and down
constexpr double kLinkRatioTarget = 0.2;     // on the shaped link: ≤ ⅕ of the peer's time for the bulk syncs

struct Options {
    int n = 10000;
    int runs = 3;
    int reps = 20;
    int blobMb = 20;
    uint64_t seed = 20260101;
    std::set<std::string> scenarios{"push", "pull", "incr_push", "incr_pull", "blob"};
    bool peer = true;
    fs::path peerDir;
    fs::path docgen;
    fs::path dir;
    bool keep = false;
    std::string pg;  // --pg postgresql://USER@HOST:PORT: HQ on PostgreSQL (a fresh database per run)
    bool link = false;        // --link: the shaped-link scenarios too (minutes: the peer at 2 Mbit/s)
    double linkMbit = 2;      // --link-mbit
    double linkRttMs = 150;   // --link-rtt-ms
    double linkResetKb = 0;   // --link-reset-kb: mean KiB per connection before a reset (0 = none)
    int linkPhotoMb = 5;      // --link-photo-mb
    std::string protect;  // --protect default|gm: device stores (and their evidence files) encrypted at rest
};

std::string g_protect;  // the suite devices are protected with ("" = plain)

double msSince(Clock::time_point t0) { return std::chrono::duration<double, std::milli>(Clock::now() - t0).count(); }
double round1(double v) { return std::round(v * 10) / 10; }
double round2(double v) { return std::round(v * 100) / 100; }

double cpuMs() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return (u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1e3 + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e3;
}

double median(std::vector<double> v) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}
double percentile(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    size_t i = static_cast<size_t>(std::ceil(p * static_cast<double>(v.size())));
    return v[std::min(v.size() - 1, i == 0 ? 0 : i - 1)];
}
Json roundAll(const std::vector<double>& v) {
    Json a = Json::array();
    for (double x : v) a.push_back(round1(x));
    return a;
}

void progress(const std::string& s) { std::cerr << "[sync_bench] " << s << std::endl; }

// [SECTION] The data set

// A finding in the peer's shape, already mapped to our fields (campaign still as the peer's code).
struct PeerDoc {
    std::string campaign;  // peer campaign code; mapped to a server campaign id per run
    Json fields;           // finding fields except campaign_id
    std::string createdAt;
    int64_t jsonBytes = 0;  // the peer document's UTF-8 JSON size
};

// The peer's 8 labour-inspection categories onto our 6 hot-spot categories (core/domain.h).
std::string mapCategory(const std::string& c) {
    if (c == "social_insurance" || c == "labor_contract") return "restructuring";  // enterprise obligations to staff
    if (c == "safety_training") return "demolition";                                // construction-site work
    return "wage_arrears";  // wage_arrears, wage_deposit, real_name_registration, working_hours, minor_labor
}

// County and township names of Zhangye (6207) → GB/T 2260 codes, read from the bundled region table.
std::map<std::string, std::string> zhangyeRegions() {
    std::map<std::string, std::string> out;
    fs::path file = fs::path(JIANCHA_SOURCE_DIR) / "assets" / "regions" / "pcas-code.json";
    std::ifstream in(file);
    if (!in) return out;
    Json all = Json::parse(in, nullptr, false);
    if (!all.is_array()) return out;
    std::function<void(const Json&, const std::string&)> walk = [&](const Json& n, const std::string& county) {
        std::string code = n.value("code", std::string());
        if (!(code.rfind("6207", 0) == 0 || std::string("6207").rfind(code, 0) == 0)) return;
        std::string name = n.value("name", std::string());
        std::string key = code.size() == 6 ? name : (code.size() == 9 ? county + "/" + name : std::string());
        if (!key.empty()) out[key] = code;
        if (n.contains("children"))
            for (const auto& c : n["children"]) walk(c, code.size() == 6 ? name : county);
    };
    for (const auto& p : all) walk(p, "");
    return out;
}

fs::path findPeerDir(const Options& o) {
    if (!o.peerDir.empty()) return o.peerDir;
    for (fs::path p : {fs::path(JIANCHA_SOURCE_DIR) / ".." / "shared" / "peers" / "pouchdb",
                       fs::path("/work/shared/peers/pouchdb")})
        if (fs::exists(p / "run.sh")) return fs::weakly_canonical(p);
    return fs::path(JIANCHA_SOURCE_DIR) / ".." / "shared" / "peers" / "pouchdb";
}

std::string shellQuote(const std::string& s) {
    std::string out = "'";
    for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

// Runs docgen.js; empty when node or the script is unavailable.
std::vector<PeerDoc> loadPeerDocs(const Options& o, std::string& source) {
    fs::path script = o.docgen.empty() ? findPeerDir(o) / "docgen.js" : o.docgen;
    std::vector<PeerDoc> docs;
    if (!fs::exists(script)) {
        source = "docgen.js not found at " + script.string();
        return docs;
    }
    std::string cmd = "node " + shellQuote(script.string()) + " --n " + std::to_string(o.n) + " --seed " +
                      std::to_string(o.seed) + " 2>/dev/null";
    FILE* p = ::popen(cmd.c_str(), "r");
    if (!p) {
        source = "cannot run node";
        return docs;
    }
    std::string all;
    char buf[1 << 16];
    size_t got;
    while ((got = std::fread(buf, 1, sizeof buf, p)) > 0) all.append(buf, got);
    int rc = ::pclose(p);
    if (rc != 0) {
        source = "node docgen.js failed (exit " + std::to_string(rc) + "): is node installed?";
        return {};
    }
    auto regions = zhangyeRegions();
    size_t start = 0;
    while (start < all.size()) {
        size_t nl = all.find('\n', start);
        if (nl == std::string::npos) nl = all.size();
        std::string line = all.substr(start, nl - start);
        start = nl + 1;
        if (line.empty()) continue;
        Json d = Json::parse(line);
        PeerDoc doc;
        doc.jsonBytes = static_cast<int64_t>(line.size());
        doc.campaign = d.at("campaign").get<std::string>();
        doc.createdAt = d.at("created_at").get<std::string>();
        std::string county = d.value("county", ""), township = d.value("township", "");
        std::string region = regions.count(county + "/" + township) ? regions[county + "/" + township]
                             : regions.count(county)                 ? regions[county]
                                                                     : "620702";  // 甘州区
        std::string status = d.value("status", "draft") == "draft" ? "draft" : "submitted";
        doc.fields = {{"area", "hotspot_issues"},
                      {"category", mapCategory(d.value("category", ""))},
                      {"title", d.at("title")},
                      {"narrative", d.at("description")},
                      {"region_code", region},
                      {"severity", d.value("severity", "medium")},
                      {"status", status}};
        docs.push_back(std::move(doc));
    }
    if (static_cast<int>(docs.size()) != o.n) {
        source = "docgen.js gave " + std::to_string(docs.size()) + " documents, not " + std::to_string(o.n);
        return {};
    }
    source = "peer docgen.js (" + script.string() + ")";
    return docs;
}

// [SECTION] A server with a team, two inspectors and the peer's three campaigns.
const std::map<std::string, std::string> kCampaignTitles = {
    {"cmp-2026-spring-wage", "2026年春季根治欠薪专项监察"},
    {"cmp-2026-summer-safety", "2026年夏季安全生产专项监察"},
    {"cmp-2026-winter-wage", "2026年冬季根治欠薪专项监察"},
};
constexpr const char* kUserA = "张伟";
constexpr const char* kUserB = "王磊";

struct World {
    std::unique_ptr<server::LocalServer> server;
    std::map<std::string, std::string> campaigns;  // peer code → campaign id
};

// A fresh PostgreSQL database on the server at `base`; returns its URL.
std::string freshPgDatabase(const std::string& base) {
    std::string name = "jc_sync_bench_" + newUuidV7().substr(24);
    PGconn* c = PQconnectdb((base + "/postgres").c_str());
    PGresult* r = PQstatus(c) == CONNECTION_OK ? PQexec(c, ("CREATE DATABASE " + name).c_str()) : nullptr;
    bool ok = r && PQresultStatus(r) == PGRES_COMMAND_OK;
    std::string err = PQerrorMessage(c);
    if (r) PQclear(r);
    PQfinish(c);
    if (!ok) throw StorageError("cannot create a PostgreSQL database at " + base + ": " + err);
    return base + "/" + name;
}

World makeWorld(const fs::path& dir, const std::string& pg) {
    World w;
    w.server = std::make_unique<server::LocalServer>(dir, true, pg.empty() ? std::string() : freshPgDatabase(pg));
    auto& admin = w.server->admin();
    admin.addTeam("第一检查组", Json::array({"620700"}));
    admin.addUser(kUserA, Role::Inspector, "第一检查组", Json::array({"620700"}));
    admin.addUser(kUserB, Role::Inspector, "第一检查组", Json::array({"620700"}));
    for (const auto& [code, title] : kCampaignTitles) {
        server::CampaignSpec spec;
        spec.title = title;
        spec.categories = {"wage_arrears", "restructuring", "demolition"};
        spec.teams = {"第一检查组"};
        w.campaigns[code] = admin.addCampaign(spec);
    }
    return w;
}

struct DeviceHandle {
    fs::path dir;
    std::unique_ptr<Store> store;
    std::unique_ptr<sync::SyncEngine> engine;
    std::string user;
};

DeviceHandle makeDevice(World& w, const fs::path& dir, const std::string& user, const std::string& name) {
    DeviceHandle d;
    d.dir = dir;
    d.user = user;
    fs::create_directories(dir);
    if (!g_protect.empty())  // encrypted at rest from the first page, as `jiancha init` makes it
        crypto::createStoreKey(dir / "jiancha.db", crypto::keyFilePath(dir / "jiancha.db"), crypto::parseSuite(g_protect),
                               "sync bench passphrase", "");
    d.store = std::make_unique<Store>((dir / "jiancha.db").string());
    std::string code = w.server->admin().enrollCode(user);
    auto e = sync::enrollDevice(*d.store, w.server->url(), code, name);
    if (!e.ok) throw StorageError("enrolment of " + user + " failed: " + e.error);
    d.engine = std::make_unique<sync::SyncEngine>(*d.store, dir / "blobs");
    auto r = d.engine->runRecords();  // campaigns, team, users (not timed)
    if (!r.ok) throw StorageError("first sync of " + name + " failed: " + r.error);
    return d;
}

void require(bool ok, const std::string& what) {
    if (!ok) throw StorageError("benchmark check failed: " + what);
}

// Without node or docgen.js: the demo generator's Chinese findings (demo/demo_text.h), cut to the
// peer's sizes (title as generated, narrative ~300 characters), in the same document shape.
std::vector<PeerDoc> demoDocs(const Options& o) {
    auto regions = zhangyeRegions();
    std::vector<demo::Township> towns;
    for (const auto& [key, code] : regions) {
        auto slash = key.find('/');
        if (slash == std::string::npos) continue;
        std::string county = key.substr(0, slash);
        towns.push_back({code, key.substr(slash + 1), code.substr(0, 6), county, county.substr(0, 6)});
    }
    if (towns.empty()) towns.push_back({"620702107", "党寨镇", "620702", "甘州区", "甘州"});
    const std::vector<std::string> cats = {"wage_arrears", "demolition", "restructuring", "land_acquisition",
                                           "pollution", "food_drug"};
    const std::vector<std::string> sev = {"low", "medium", "high", "critical"};
    std::vector<std::string> campaigns;
    for (const auto& [code, title] : kCampaignTitles) campaigns.push_back(code);
    std::vector<PeerDoc> docs;
    demo::Rng rng(o.seed);
    int64_t base = *parseIsoTimestamp("2026-01-05T01:00:00.000Z");
    for (int i = 0; i < o.n; ++i) {
        const demo::Township& t = rng.pick(towns);
        demo::UnitInfo unit{"", t.name + "人民政府", "township_gov", "township", t.code, t.countyCode};
        demo::UnitInfo dept{"", t.countyName + "人力资源和社会保障局", "department", "hrss", t.countyCode, t.countyCode};
        demo::PersonInfo person{"", "王某", "负责人", ""};
        demo::Parties parties;
        parties.place = &t;
        parties.subject = &unit;
        parties.department = &dept;
        parties.townshipGov = &unit;
        parties.persons = {&person};
        std::string cat = rng.pick(cats);
        int64_t created = base + i * 60000LL + rng.below(60000);
        demo::FindingText ft = demo::composeFinding(rng, cat, parties, Date::fromDays(created / 86400000), i);
        // Cut the narrative to ~300 code points, on a UTF-8 boundary.
        std::string narrative;
        int cps = 0;
        for (size_t k = 0; k < ft.narrative.size() && cps < 300; ++cps) {
            unsigned char c = static_cast<unsigned char>(ft.narrative[k]);
            size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
            narrative += ft.narrative.substr(k, len);
            k += len;
        }
        PeerDoc d;
        d.campaign = campaigns[static_cast<size_t>(i) % campaigns.size()];
        d.createdAt = isoTimestamp(created);
        d.fields = {{"area", "hotspot_issues"}, {"category", cat},        {"title", ft.title},
                    {"narrative", narrative},   {"region_code", t.code}, {"severity", rng.pick(sev)},
                    {"status", rng.chance(0.2) ? "draft" : "submitted"}};
        d.jsonBytes = static_cast<int64_t>(d.fields.dump().size()) + 120;
        docs.push_back(std::move(d));
    }
    return docs;
}

// Writes the documents into A's store through ChangeWriter, 1000 per transaction (not timed).
// Returns the ids of the findings, in document order.
std::vector<std::string> writeDocs(DeviceHandle& d, World& w, const std::vector<PeerDoc>& docs, double& ms) {
    auto t0 = Clock::now();
    std::vector<std::string> ids;
    ids.reserve(docs.size());
    for (size_t i = 0; i < docs.size();) {
        Transaction tx(d.store->db());
        ChangeWriter writer(*d.store, tx, d.user);
        for (size_t end = std::min(docs.size(), i + 1000); i < end; ++i) {
            ChangeWriter::PinnedTime pin(docs[i].createdAt);
            Json f = docs[i].fields;
            f["campaign_id"] = w.campaigns.at(docs[i].campaign);
            ids.push_back(writer.insert("finding", std::move(f)));
        }
        tx.commit();
    }
    ms = msSince(t0);
    return ids;
}

// [SECTION] Scenario results
struct Sample {
    double ms = 0, cpuMs = 0;
    double phaseMs = 0;  // initial push: the push phase alone (before the pull that follows)
    double bytesUp = 0, bytesDown = 0;  // HTTP bytes on the wire, client → server and back
    double catchUpMs = 0;  // initial pull: the search index's catch-up after it (not in ms)
};

struct Results {
    std::vector<Sample> push, pull, blobUp, blobDown;
    std::vector<double> incrPushRunMedians, incrPullRunMedians, incrPushAll, incrPullAll;
    std::vector<double> incrPushCpu, incrPullCpu;
    double writeMs = 0;
    int64_t outboxBytes = 0, outboxChanges = 0;
    std::vector<double> fsyncProbes;  // ms, one per run
};

// How long one small durable write takes on this disk right now (4 KiB overwrite + fdatasync,
// median of 20): the one-change scenarios pay for three of them (server commit, the client's
// push-result commit, its pull commit), so this is their floor and the context of their figures.
double fsyncProbeMs(const fs::path& dir) {
    fs::path p = dir / "fsync-probe";
    int fd = ::open(p.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return -1;
    char buf[4096];
    std::memset(buf, 'x', sizeof buf);
    for (int i = 0; i < 4; ++i)
        if (::pwrite(fd, buf, sizeof buf, i * 4096) != static_cast<ssize_t>(sizeof buf)) break;
    ::fdatasync(fd);
    std::vector<double> t;
    for (int i = 0; i < 20; ++i) {
        auto t0 = Clock::now();
        if (::pwrite(fd, buf, sizeof buf, (i % 4) * 4096) != static_cast<ssize_t>(sizeof buf)) break;
        ::fdatasync(fd);
        t.push_back(msSince(t0));
    }
    ::close(fd);
    fs::remove(p);
    return median(t);
}

int64_t blobBytes(const Options& o) { return static_cast<int64_t>(o.blobMb) << 20; }

std::string makeBlobFile(const fs::path& blobDir, int64_t bytes, uint64_t seed) {
    std::string data(static_cast<size_t>(bytes), '\0');
    std::mt19937_64 rng(seed);
    for (size_t i = 0; i + 8 <= data.size(); i += 8) {
        uint64_t v = rng();
        std::memcpy(&data[i], &v, 8);
    }
    std::string sha = sha256Hex(data);
    fs::create_directories(blobDir);
    std::ofstream(blobDir / sha, std::ios::binary).write(data.data(), static_cast<std::streamsize>(data.size()));
    return sha;
}

void oneRun(const Options& o, int run, const std::vector<PeerDoc>& docs, Results& res) {
    fs::path root = o.dir / ("run-" + std::to_string(run));
    fs::remove_all(root);
    fs::create_directories(root);
    res.fsyncProbes.push_back(fsyncProbeMs(root));
    World w = makeWorld(root / "server", o.pg);
    DeviceHandle a = makeDevice(w, root / "device-a", kUserA, "设备A");
    DeviceHandle b = makeDevice(w, root / "device-b", kUserB, "设备B");

    double writeMs = 0;
    std::vector<std::string> ids = writeDocs(a, w, docs, writeMs);
    res.writeMs = writeMs;
    {
        auto& s = a.store->db().cached("SELECT count(*), sum(length(CAST(fields AS BLOB))) FROM outbox");
        s.step();
        res.outboxChanges = s.getInt(0);
        res.outboxBytes = s.getInt(1);
        s.reset();
    }
    progress("run " + std::to_string(run) + ": " + std::to_string(ids.size()) + " findings written on A in " +
             std::to_string(static_cast<int>(writeMs)) + " ms (not timed); outbox " +
             std::to_string(res.outboxChanges) + " changes, " + std::to_string(res.outboxBytes) + " bytes of fields");

    // initial push: one-shot sync of A (push of N, then the pull of A's own N changes back).
    {
        double lastPush = 0;
        auto t0 = Clock::now();
        double c0 = cpuMs();
        auto r = a.engine->runRecords([&](const sync::SyncProgress& p) {
            if (p.phase == "push") lastPush = msSince(t0);
        });
        Sample s{msSince(t0), cpuMs() - c0, lastPush, static_cast<double>(r.wireBytesSent),
                 static_cast<double>(r.wireBytesReceived)};
        require(r.ok, "initial push: " + r.error);
        require(r.pushed == o.n && r.rejected == 0,
                "initial push: pushed " + std::to_string(r.pushed) + ", rejected " + std::to_string(r.rejected));
        require(pendingCount(a.store->db()) == 0, "initial push left changes in the outbox");
        res.push.push_back(s);
        progress("run " + std::to_string(run) + ": initial push " + std::to_string(o.n) + " in " +
                 std::to_string(static_cast<int>(s.ms)) + " ms (push phase " + std::to_string(static_cast<int>(lastPush)) +
                 " ms; the pull after it fetched " + std::to_string(r.pulled) + " changes)");
    }
    // initial pull: B's one-shot sync (skipped only when no later scenario needs B: profiling).
    if (o.scenarios.count("pull") || o.scenarios.count("incr_pull") || o.scenarios.count("blob")) {
        auto t0 = Clock::now();
        double c0 = cpuMs();
        auto r = b.engine->runRecords();
        Sample s{msSince(t0), cpuMs() - c0, 0, static_cast<double>(r.wireBytesSent),
                 static_cast<double>(r.wireBytesReceived)};
        require(r.ok, "initial pull: " + r.error);
        require(r.pulled >= o.n, "initial pull: pulled " + std::to_string(r.pulled));
        int64_t have = b.store->db().queryInt("SELECT count(*) FROM finding");
        require(have == o.n, "initial pull: B holds " + std::to_string(have) + " findings");
        auto last = b.store->get("finding", ids.back());
        require(last && (*last)["narrative"] == docs.back().fields["narrative"] && (*last)["title"] == docs.back().fields["title"],
                "initial pull: content of the last finding");
        // The pull leaves full-text indexing to the catch-up (store/search_index.h; the GUI runs it
        // in the background, `jiancha sync` before it exits): timed apart, in the worker's batches.
        require(searchPendingCount(b.store->db()) >= o.n, "initial pull: records awaiting the search catch-up");
        progress("run " + std::to_string(run) + ": initial pull " + std::to_string(r.pulled) + " in " +
                 std::to_string(static_cast<int>(s.ms)) + " ms; search catch-up …");
        auto t1 = Clock::now();
        while (catchUpSearchIndex(b.store->db(), 500) > 0) {
        }
        s.catchUpMs = msSince(t1);
        require(!searchIds(b.store->db(), docs.back().fields["title"].get<std::string>(), "finding").empty(),
                "initial pull: the last finding found by its title once indexed");
        res.pull.push_back(s);
        progress("run " + std::to_string(run) + ": search catch-up of the pulled records " +
                 std::to_string(static_cast<int>(s.catchUpMs)) + " ms");
    }

    // Findings still in draft on both devices: the incremental scenarios submit them one by one.
    std::vector<std::string> drafts;
    for (size_t i = 0; i < ids.size() && drafts.size() < static_cast<size_t>(2 * o.reps + 2); ++i)
        if (docs[i].fields["status"] == "draft") drafts.push_back(ids[i]);
    require(drafts.size() >= static_cast<size_t>(2 * o.reps), "not enough draft findings");
    size_t nextDraft = 0;
    auto changeOne = [&](int k) {
        const std::string& id = drafts.at(nextDraft++);
        Transaction tx(a.store->db());
        ChangeWriter wa(*a.store, tx, kUserA);
        wa.update("finding", id,
                  {{"status", "submitted"}, {"recommendation", "复查第" + std::to_string(k + 1) + "次：已督促整改，材料已补充。"}});
        tx.commit();
        return id;
    };

    if (o.scenarios.count("incr_push")) {
        std::vector<double> t, cpu;
        for (int k = 0; k < o.reps; ++k) {
            changeOne(k);
            auto t0 = Clock::now();
            double c0 = cpuMs();
            auto r = a.engine->runRecords();
            t.push_back(msSince(t0));
            cpu.push_back(cpuMs() - c0);
            require(r.ok && r.pushed == 1, "incremental push: " + r.error + " pushed " + std::to_string(r.pushed));
        }
        res.incrPushRunMedians.push_back(median(t));
        res.incrPushAll.insert(res.incrPushAll.end(), t.begin(), t.end());
        res.incrPushCpu.push_back(median(cpu));
        progress("run " + std::to_string(run) + ": incremental push median " + std::to_string(median(t)) + " ms");
    }
    if (o.scenarios.count("incr_pull")) {
        require(b.engine->runRecords().ok, "B catching up");
        std::vector<double> t, cpu;
        for (int k = 0; k < o.reps; ++k) {
            std::string id = changeOne(o.reps + k);
            require(a.engine->runRecords().ok, "incremental pull: A's push");
            auto t0 = Clock::now();
            double c0 = cpuMs();
            auto r = b.engine->runRecords();
            t.push_back(msSince(t0));
            cpu.push_back(cpuMs() - c0);
            require(r.ok && r.pulled == 1, "incremental pull: " + r.error + " pulled " + std::to_string(r.pulled));
            auto f = b.store->get("finding", id);
            require(f && (*f)["status"] == "submitted", "incremental pull: B has the new status");
        }
        res.incrPullRunMedians.push_back(median(t));
        res.incrPullAll.insert(res.incrPullAll.end(), t.begin(), t.end());
        res.incrPullCpu.push_back(median(cpu));
        progress("run " + std::to_string(run) + ": incremental pull median " + std::to_string(median(t)) + " ms");
    }
    if (o.scenarios.count("blob")) {
        int64_t bytes = blobBytes(o);
        std::string sha = makeBlobFile(a.dir / "blobs", bytes, o.seed + static_cast<uint64_t>(run));
        {
            Transaction tx(a.store->db());
            ChangeWriter ev(*a.store, tx, kUserA);
            ev.insert("evidence", {{"owner_entity", "finding"},
                                   {"owner_id", ids.front()},
                                   {"sha256", sha},
                                   {"kind", "photo"},
                                   {"size", bytes},
                                   {"file_name", "现场照片.jpg"},
                                   {"mime", "image/jpeg"}});
            tx.commit();
        }
        require(a.engine->runRecords().ok, "blob: pushing the evidence record");
        {
            auto t0 = Clock::now();
            double c0 = cpuMs();
            auto r = a.engine->runBlobs();
            Sample s{msSince(t0), cpuMs() - c0, 0};
            require(r.ok && r.blobsUp == 1 && r.blobsFailed == 0, "blob up: " + r.error);
            require(fs::file_size(w.server->dir() / "blobs" / "objects" / sha.substr(0, 2) / sha) ==
                        static_cast<uintmax_t>(bytes),
                    "blob up: the server's object");
            res.blobUp.push_back(s);
        }
        require(b.engine->runRecords().ok, "blob: B pulling the evidence record");
        {
            auto t0 = Clock::now();
            double c0 = cpuMs();
            auto r = b.engine->runBlobs();
            Sample s{msSince(t0), cpuMs() - c0, 0};
            require(r.ok && r.blobsDown == 1 && r.blobsFailed == 0, "blob down: " + r.error);
            // The plaintext size (an encrypted file is larger on disk: header and chunk trailers).
            crypto::BlobReader got(b.dir / "blobs" / sha, crypto::findStoreKey((b.dir / "jiancha.db").string()));
            require(got.size() == static_cast<int64_t>(bytes), "blob down: B's file");
            res.blobDown.push_back(s);
        }
        progress("run " + std::to_string(run) + ": blob up " + std::to_string(static_cast<int>(res.blobUp.back().ms)) +
                 " ms, down " + std::to_string(static_cast<int>(res.blobDown.back().ms)) + " ms");
    }
    // Not timed: both devices sync once more and must then hold identical findings, with the
    // same server versions for every field (a check that the fast paths skipped nothing).
    // created_at / created_by are left out of the versions: they are written once, at creation,
    // and only a device that received the record by pull keeps a version for them.
    {
        require(a.engine->runRecords().ok && b.engine->runRecords().ok, "final syncs");
        auto digest = [](Store& st) {
            std::string all;
            auto q = st.db().prepare(
                "SELECT id, title, narrative, status, severity, region_code, coalesce(recommendation, ''), "
                "created_at, created_by FROM finding ORDER BY id");
            while (q.step())
                for (int c = 0; c < 9; ++c) all += q.getText(c) + '\x1f';
            auto v = st.db().prepare("SELECT entity_id, versions FROM field_meta WHERE entity = 'finding' ORDER BY entity_id");
            while (v.step())
                for (const auto& [field, version] : decodeFieldVersions(v.getText(1)))
                    if (field != "created_at" && field != "created_by")
                        all += v.getText(0) + field + std::to_string(version) + '\x1e';
            return sha256Hex(all);
        };
        require(digest(*a.store) == digest(*b.store), "devices A and B hold different findings or versions");
        require(pullCursor(*a.store) == pullCursor(*b.store), "devices A and B stopped at different cursors");
    }
    a = {};
    b = {};
    w.server.reset();
    if (!o.keep) fs::remove_all(root);
}

// [SECTION] The peer
std::map<std::string, Json> runPeer(const Options& o, std::string& error, const std::string& extraEnv = {}) {
    std::map<std::string, Json> out;
    fs::path dir = findPeerDir(o);
    if (!fs::exists(dir / "run.sh")) {
        error = "peer run.sh not found in " + dir.string();
        return out;
    }
    std::string cmd = extraEnv + " N=" + std::to_string(o.n) + " RUNS=" + std::to_string(o.runs) +
                      " REPS=" + std::to_string(o.reps) + " ATT_MB=" + std::to_string(o.blobMb) +
                      " SEED=" + std::to_string(o.seed) + " bash " + shellQuote((dir / "run.sh").string());
    progress("running the peer: " + cmd);
    FILE* p = ::popen(cmd.c_str(), "r");  // its stderr goes straight to ours
    if (!p) {
        error = "cannot start the peer";
        return out;
    }
    std::string all;
    char buf[1 << 14];
    size_t got;
    while ((got = std::fread(buf, 1, sizeof buf, p)) > 0) all.append(buf, got);
    int rc = ::pclose(p);
    size_t start = 0;
    while (start < all.size()) {
        size_t nl = all.find('\n', start);
        if (nl == std::string::npos) nl = all.size();
        std::string line = all.substr(start, nl - start);
        start = nl + 1;
        if (line.empty() || line[0] != '{') continue;
        Json j = Json::parse(line, nullptr, false);
        if (j.is_object() && j.contains("scenario")) out[j["scenario"].get<std::string>()] = j;
    }
    if (rc != 0) error = "peer run.sh exited with " + std::to_string(rc);
    return out;
}

// [SECTION] The shaped link: ours and the peer behind the same LinkShaper.
bench::LinkSpec linkSpec(const Options& o) {
    bench::LinkSpec spec;
    spec.bitsPerSecond = o.linkMbit * 1e6;
    spec.rttMs = o.linkRttMs;
    spec.meanBytesToReset = o.linkResetKb * 1024;
    spec.seed = o.seed;
    return spec;
}

Json linkJson(const Options& o) {
    return {{"mbit_per_s", o.linkMbit}, {"rtt_ms", o.linkRttMs}, {"mean_kib_to_reset", o.linkResetKb}};
}

// One run of our scenarios over the link: initial push and pull of the N documents, one-change
// push (median of up to 5), a photo up and down. Devices are enrolled on loopback, then pointed at
// the shaper. With resets on, a sync that fails is run again (what the GUI's worker does) and the
// figure is the time until the data is through.
void linkRun(const Options& o, const std::vector<PeerDoc>& docs, std::map<std::string, Json>& ours) {
    fs::path root = o.dir / "link";
    fs::remove_all(root);
    fs::create_directories(root);
    World w = makeWorld(root / "server", o.pg);
    bench::LinkShaper link(w.server->port(), linkSpec(o));
    DeviceHandle a = makeDevice(w, root / "device-a", kUserA, "设备A");
    DeviceHandle b = makeDevice(w, root / "device-b", kUserB, "设备B");
    const std::string via = "http://127.0.0.1:" + std::to_string(link.port());
    a.store->setMeta("sync_server", via);
    b.store->setMeta("sync_server", via);
    double writeMs = 0;
    std::vector<std::string> ids = writeDocs(a, w, docs, writeMs);
    auto untilThrough = [&](DeviceHandle& d, bool blobs, int& attempts) {
        // A photo that fails mid-way counts as failed without failing the round (records never wait
        // for photos); the next round resumes it from the server's offset.
        sync::SyncReport r;
        int up = 0, down = 0;
        for (attempts = 1; attempts <= 50; ++attempts) {
            r = blobs ? d.engine->runBlobs() : d.engine->runRecords();
            up += r.blobsUp, down += r.blobsDown;
            if (r.ok && r.blobsFailed == 0) {
                r.blobsUp = up, r.blobsDown = down;
                return r;
            }
        }
        throw StorageError("link: no successful sync in 50 attempts: " + r.error);
    };
    auto record = [&](const std::string& name, const std::string& peerName, double ms, int attempts, const std::string& unit) {
        Json j = {{"scenario", name}, {"peer_scenario", peerName}, {"link", linkJson(o)}, {"median_ms", round1(ms)},
                  {"bytes_up", link.bytesUp()}, {"bytes_down", link.bytesDown()}, {"connections", link.connections()},
                  {"resets", link.resets()}, {"attempts", attempts}, {"what", unit}};
        ours[name] = j;
        std::cout << j.dump() << std::endl;
        link.resetCounters();
    };
    int attempts = 0;
    link.resetCounters();
    auto t0 = Clock::now();
    untilThrough(a, false, attempts);
    record("link_initial_push", "initial_push", msSince(t0), attempts, "one-shot sync of N findings");
    progress("link: initial push " + std::to_string(static_cast<int>(ours["link_initial_push"]["median_ms"].get<double>())) + " ms");
    t0 = Clock::now();
    untilThrough(b, false, attempts);
    require(b.store->db().queryInt("SELECT count(*) FROM finding") == o.n, "link: B holds every finding");
    record("link_initial_pull", "initial_pull", msSince(t0), attempts, "a fresh device's one-shot sync of N findings");
    progress("link: initial pull " + std::to_string(static_cast<int>(ours["link_initial_pull"]["median_ms"].get<double>())) + " ms");
    std::vector<double> t;
    int k = 0;
    for (size_t i = 0; i < ids.size() && k < std::min(o.reps, 5); ++i) {
        if (docs[i].fields["status"] != "draft") continue;
        {
            Transaction tx(a.store->db());
            ChangeWriter(*a.store, tx, kUserA).update("finding", ids[i], {{"status", "submitted"}, {"recommendation", "复查：已督促整改。"}});
            tx.commit();
        }
        auto t1 = Clock::now();
        untilThrough(a, false, attempts);
        t.push_back(msSince(t1));
        ++k;
    }
    record("link_incremental_push", "incremental_push", median(t), attempts, "one changed finding, one-shot sync");
    int64_t bytes = static_cast<int64_t>(o.linkPhotoMb) << 20;
    std::string sha = makeBlobFile(a.dir / "blobs", bytes, o.seed + 99);
    {
        Transaction tx(a.store->db());
        ChangeWriter(*a.store, tx, kUserA).insert("evidence", {{"owner_entity", "finding"}, {"owner_id", ids.front()}, {"sha256", sha}, {"kind", "photo"},
                               {"size", bytes}, {"file_name", "现场照片.jpg"}, {"mime", "image/jpeg"}});
        tx.commit();
    }
    untilThrough(a, false, attempts);
    link.resetCounters();
    t0 = Clock::now();
    auto up = untilThrough(a, true, attempts);
    require(up.blobsUp == 1, "link: the photo went up");
    record("link_photo_up", "attachment_push", msSince(t0), attempts, std::to_string(o.linkPhotoMb) + " MiB photo up");
    untilThrough(b, false, attempts);
    t0 = Clock::now();
    auto down = untilThrough(b, true, attempts);
    require(down.blobsDown == 1, "link: the photo came down");
    record("link_photo_down", "attachment_pull", msSince(t0), attempts, std::to_string(o.linkPhotoMb) + " MiB photo down");
    a = {};
    b = {};
    w.server.reset();
    if (!o.keep) fs::remove_all(root);
}

// The peer's run.sh with its clients sent through a shaper on the same link spec.
std::map<std::string, Json> runPeerOnLink(const Options& o, std::string& error) {
    int serverPort = bench::freeLoopbackPort();
    bench::LinkShaper link(serverPort, linkSpec(o));
    Options po = o;
    po.runs = 1;
    po.reps = std::min(o.reps, 5);
    po.blobMb = o.linkPhotoMb;
    std::string env = "SERVER_PORT=" + std::to_string(serverPort) + " CLIENT_PORT=" + std::to_string(link.port()) +
                      " SCENARIOS=push,pull,incr_push,attachment";
    auto out = runPeer(po, error, env);
    for (auto& [k, j] : out) j["link"] = linkJson(o), j["link_resets"] = link.resets();
    return out;
}

// [SECTION] The comparison table: one row per aim (and per figure worth seeing beside the peer's).
Json comparisonTable(std::map<std::string, Json>& ours, std::map<std::string, Json>& peer) {
    Json rows = Json::array();
    auto num = [](const Json& j, const char* k) { return j.contains(k) && j[k].is_number() ? j[k].get<double>() : -1.0; };
    // kind: "higher" = ratio ours/peer must reach aim; "lower" = ratio ours/peer must stay ≤ aim;
    // "abs_lt"/"abs_ge" = ours alone against the aim; "" = no aim, shown for context.
    auto add = [&](const std::string& scenario, const char* unit, double mine, double theirs, const std::string& kind,
                   double aim) {
        Json r = {{"scenario", scenario}, {"unit", unit}, {"ours", mine}};
        r["peer"] = theirs >= 0 ? Json(theirs) : Json(nullptr);
        double ratio = theirs > 0 && mine >= 0 ? mine / theirs : -1;
        r["ratio"] = ratio >= 0 ? Json(round2(ratio)) : Json(nullptr);
        bool met = false;
        std::string aimText = "-";
        if (kind == "higher") met = ratio >= aim, aimText = ">= " + std::to_string(static_cast<int>(aim)) + "x peer";
        else if (kind == "lower") {
            met = ratio >= 0 && ratio <= aim;
            aimText = "<= " + std::to_string(aim).substr(0, 4) + " x peer";
        } else if (kind == "abs_lt") met = mine >= 0 && mine < aim, aimText = "< " + std::to_string(static_cast<int>(aim)) + " " + unit;
        else if (kind == "abs_ge") met = mine >= aim, aimText = ">= " + std::to_string(static_cast<int>(aim)) + " " + unit;
        r["aim"] = aimText;
        r["met"] = kind.empty() ? Json(nullptr) : Json(met);
        rows.push_back(r);
    };
    auto get = [&](std::map<std::string, Json>& m, const std::string& s, const char* k) {
        return m.count(s) ? num(m[s], k) : -1.0;
    };
    add("initial_push", "docs/s", get(ours, "initial_push", "docs_per_s"), get(peer, "initial_push", "docs_per_s"), "higher", kDocsRatioTarget);
    add("initial_pull", "docs/s", get(ours, "initial_pull", "docs_per_s"), get(peer, "initial_pull", "docs_per_s"), "higher", kDocsRatioTarget);
    add("incremental_push", "ms", get(ours, "incremental_push", "median_ms"), get(peer, "incremental_push", "median_ms"), "abs_lt", kIncrementalTargetMs);
    add("incremental_pull", "ms", get(ours, "incremental_pull", "median_ms"), get(peer, "incremental_pull", "median_ms"), "abs_lt", kIncrementalTargetMs);
    add("blob_up", "MB/s", get(ours, "blob_up", "MB_per_s"), get(peer, "attachment_push", "MiB_per_s") * 1.048576, "abs_ge", kBlobTargetMBs);
    add("blob_down", "MB/s", get(ours, "blob_down", "MB_per_s"), get(peer, "attachment_pull", "MiB_per_s") * 1.048576, "abs_ge", kBlobTargetMBs);
    add("initial_push_bytes_up", "bytes", get(ours, "initial_push", "bytes_up"), get(peer, "initial_push", "bytes_up"), "lower", kBytesRatioTarget);
    add("initial_pull_bytes_down", "bytes", get(ours, "initial_pull", "bytes_down"), get(peer, "initial_pull", "bytes_down"), "", 0);
    for (auto& [name, j] : ours)
        if (j.contains("link")) {
            bool bulk = name == "link_initial_push" || name == "link_initial_pull";
            std::string peerName = j["peer_scenario"].get<std::string>();
            add(name, "ms", num(j, "median_ms"), get(peer, "link:" + peerName, "median_ms"), bulk ? "lower" : "", kLinkRatioTarget);
        }
    return rows;
}

void printTable(const Json& rows) {
    std::fprintf(stderr, "\n%-26s %14s %14s %8s %-18s %s\n", "scenario", "ours", "peer", "ratio", "aim", "met");
    for (const auto& r : rows) {
        auto cell = [](const Json& v) {
            if (v.is_null()) return std::string("-");
            char b[32];
            std::snprintf(b, sizeof b, "%.2f", v.get<double>());
            return std::string(b);
        };
        std::string unit = r["unit"].get<std::string>();
        std::fprintf(stderr, "%-26s %14s %14s %8s %-18s %s\n", (r["scenario"].get<std::string>() + " (" + unit + ")").c_str(),
                     cell(r["ours"]).c_str(), cell(r["peer"]).c_str(), cell(r["ratio"]).c_str(),
                     r["aim"].get<std::string>().c_str(), r["met"].is_null() ? "-" : (r["met"].get<bool>() ? "yes" : "NO"));
    }
}

Options parseArgs(int argc, char** argv) {
    Options o;
    std::vector<std::string> words(argv + 1, argv + argc);
    if (wantsHelp(words)) {
        std::cout << "sync_bench [--n 10000] [--runs 3] [--reps 20] [--blob-mb 20] [--seed 20260101]\n"
                     "           [--scenarios push,pull,incr_push,incr_pull,blob] [--no-peer] [--peer-dir DIR]\n"
                     "           [--docgen FILE] [--dir DIR] [--keep] [--pg postgresql://USER@HOST:PORT]\n"
                     "           [--link [--link-mbit 2] [--link-rtt-ms 150] [--link-reset-kb 0] [--link-photo-mb 5]]\n";
        std::exit(0);
    }
    Args a(words, {"n", "runs", "reps", "blob-mb", "seed", "peer-dir", "docgen", "dir", "scenarios", "pg", "link-mbit",
                   "link-rtt-ms", "link-reset-kb", "link-photo-mb", "protect"},
           {"no-peer", "keep", "link"});
    a.maxPositional(0);
    o.n = a.intOpt("n", o.n, 1, 10'000'000);
    o.runs = a.intOpt("runs", o.runs, 1, 1000);
    o.reps = a.intOpt("reps", o.reps, 1, 100'000);
    o.blobMb = a.intOpt("blob-mb", o.blobMb, 1, 10'000);
    o.seed = static_cast<uint64_t>(a.intOpt("seed", static_cast<int>(o.seed), 0, 2'000'000'000));
    o.peer = !a.flag("no-peer");
    o.peerDir = a.optOr("peer-dir", o.peerDir);
    o.docgen = a.optOr("docgen", o.docgen);
    o.dir = a.optOr("dir", o.dir);
    o.keep = a.flag("keep");
    o.protect = a.optOr("protect", "");
    g_protect = o.protect;
    o.pg = a.optOr("pg", o.pg);
    o.link = a.flag("link");
    o.linkMbit = a.intOpt("link-mbit", static_cast<int>(o.linkMbit), 1, 10'000);
    o.linkRttMs = a.intOpt("link-rtt-ms", static_cast<int>(o.linkRttMs), 0, 10'000);
    o.linkResetKb = a.intOpt("link-reset-kb", 0, 0, 10'000'000);
    o.linkPhotoMb = a.intOpt("link-photo-mb", o.linkPhotoMb, 1, 1000);
    if (auto v = a.opt("scenarios")) {
        o.scenarios.clear();
        size_t s = 0;
        while (s <= v->size()) {
            size_t c = v->find(',', s);
            if (c == std::string::npos) c = v->size();
            if (c > s) o.scenarios.insert(v->substr(s, c - s));
            s = c + 1;
        }
    }
    return o;
}

}  // namespace

int main(int argc, char** argv) {
    fs::path tempDir;  // removed on the way out when this run made it
    bool keep = false;
    try {
        Options o = parseArgs(argc, argv);
        keep = o.keep;
        bool ownDir = o.dir.empty();
        if (ownDir) {
            std::string tmpl = (fs::temp_directory_path() / "jiancha-sync-bench-XXXXXX").string();
            if (!::mkdtemp(tmpl.data())) throw StorageError("cannot make a temporary directory");
            o.dir = tmpl;
            tempDir = o.dir;
        }
        fs::create_directories(o.dir);

        std::string source;
        std::vector<PeerDoc> docs = loadPeerDocs(o, source);
        if (docs.empty()) {
            progress("cannot use the peer's generator (" + source + "): falling back to the demo generator");
            docs = demoDocs(o);
            source = "demo generator (fallback: " + source + ")";
        }
        double avgBytes = 0;
        for (const auto& d : docs) avgBytes += static_cast<double>(d.jsonBytes);
        avgBytes /= static_cast<double>(docs.size());
        progress(std::to_string(docs.size()) + " documents from " + source + ", mean " +
                 std::to_string(static_cast<int>(avgBytes)) + " bytes of JSON each");

        Results res;
        for (int run = 1; run <= o.runs; ++run) oneRun(o, run, docs, res);

        const std::string durability =
            "fsync on: SQLite WAL synchronous=FULL on client and server, fdatasync per blob chunk (the peer: no fsync)";
        Json common = {{"n", o.n}, {"runs", o.runs}, {"cpus", std::thread::hardware_concurrency()},
                       {"durability", durability}, {"fsync_probe_ms", round2(median(res.fsyncProbes))},
                       {"device_protection", o.protect.empty() ? "none" : crypto::suiteName(crypto::parseSuite(o.protect))}};
        std::map<std::string, Json> ours;
        auto bulk = [&](const char* name, const std::vector<Sample>& v, bool withPhase) {
            std::vector<double> ms, cpu, phase, up, down;
            for (const auto& s : v)
                ms.push_back(s.ms), cpu.push_back(s.cpuMs), phase.push_back(s.phaseMs), up.push_back(s.bytesUp),
                    down.push_back(s.bytesDown);
            double m = median(ms);
            Json j = {{"scenario", name}};
            j.update(common);
            j["avg_doc_bytes"] = static_cast<int>(avgBytes);
            j["avg_outbox_fields_bytes"] = res.outboxChanges ? res.outboxBytes / res.outboxChanges : 0;
            j["median_ms"] = round1(m);
            j["docs_per_s"] = m > 0 ? static_cast<int64_t>(std::round(o.n / (m / 1000))) : 0;
            j["runs_ms"] = roundAll(ms);
            j["cpu_ms"] = round1(median(cpu));  // client + server: one process
            j["bytes_up"] = static_cast<int64_t>(median(up));  // HTTP headers + bodies as sent (gzip)
            j["bytes_down"] = static_cast<int64_t>(median(down));
            if (withPhase) {
                double p = median(phase);
                j["push_phase_ms"] = round1(p);
                j["push_phase_docs_per_s"] = p > 0 ? static_cast<int64_t>(std::round(o.n / (p / 1000))) : 0;
                j["local_write_ms"] = round1(res.writeMs);
                j["note"] = "one-shot sync (SyncEngine::runRecords): push of N, then the pull that follows it";
            } else {
                std::vector<double> cu;
                for (const auto& s : v) cu.push_back(s.catchUpMs);
                double c = median(cu);
                j["search_catch_up_ms"] = round1(c);
                j["pull_and_index_docs_per_s"] = m + c > 0 ? static_cast<int64_t>(std::round(o.n / ((m + c) / 1000))) : 0;
                j["note"] = "one-shot sync; full-text indexing of the pulled records follows as a catch-up "
                            "(search exact meanwhile), timed apart as search_catch_up_ms";
            }
            ours[name] = j;
        };
        auto incr = [&](const char* name, const std::vector<double>& runMedians, const std::vector<double>& all,
                        const std::vector<double>& cpu) {
            Json j = {{"scenario", name}};
            j.update(common);
            j["reps_per_run"] = o.reps;
            j["median_ms"] = round2(median(runMedians));
            j["runs_median_ms"] = roundAll(runMedians);
            j["min_ms"] = round2(all.empty() ? 0 : *std::min_element(all.begin(), all.end()));
            j["p90_ms"] = round2(percentile(all, 0.9));
            j["max_ms"] = round2(all.empty() ? 0 : *std::max_element(all.begin(), all.end()));
            j["cpu_ms"] = round2(median(cpu));
            ours[name] = j;
        };
        auto blob = [&](const char* name, const std::vector<Sample>& v) {
            std::vector<double> ms, cpu;
            for (const auto& s : v) ms.push_back(s.ms), cpu.push_back(s.cpuMs);
            double m = median(ms);
            double bytes = static_cast<double>(blobBytes(o));
            Json j = {{"scenario", name}};
            j.update(common);
            j["blob_bytes"] = blobBytes(o);
            j["median_ms"] = round1(m);
            j["MB_per_s"] = m > 0 ? round1(bytes / 1e6 / (m / 1000)) : 0;
            j["MiB_per_s"] = m > 0 ? round1(bytes / 1048576.0 / (m / 1000)) : 0;
            j["runs_ms"] = roundAll(ms);
            j["cpu_ms"] = round1(median(cpu));
            ours[name] = j;
        };
        if (!res.push.empty()) bulk("initial_push", res.push, true);
        if (!res.pull.empty()) bulk("initial_pull", res.pull, false);
        if (!res.incrPushRunMedians.empty())
            incr("incremental_push", res.incrPushRunMedians, res.incrPushAll, res.incrPushCpu);
        if (!res.incrPullRunMedians.empty())
            incr("incremental_pull", res.incrPullRunMedians, res.incrPullAll, res.incrPullCpu);
        if (!res.blobUp.empty()) blob("blob_up", res.blobUp);
        if (!res.blobDown.empty()) blob("blob_down", res.blobDown);
        for (const auto& [k, j] : ours) std::cout << j.dump() << std::endl;
        if (o.link) linkRun(o, docs, ours);

        // The peer, then the comparison.
        std::map<std::string, Json> peer;
        std::string peerError;
        if (o.peer) peer = runPeer(o, peerError);
        if (o.peer && o.link) {
            std::string linkError;
            for (auto& [k, j] : runPeerOnLink(o, linkError)) peer["link:" + k] = j;
            if (!linkError.empty()) peerError += (peerError.empty() ? "" : "; ") + ("on the link: " + linkError);
        }

        Json summary = {{"ours", Json::object()}, {"peer", Json::object()}, {"ratios", Json::object()},
                        {"targets", Json::object()}};
        summary["data"] = {{"source", source}, {"n", o.n}, {"avg_doc_bytes", static_cast<int>(avgBytes)}};
        summary["durability"] = durability;
        summary["backend"] = o.pg.empty() ? "sqlite" : "postgresql";
        summary["fsync_probe_ms"] = {{"median", round2(median(res.fsyncProbes))}, {"runs", roundAll(res.fsyncProbes)},
                                     {"what", "4 KiB overwrite + fdatasync on the benchmark's disk, median of 20, per run"}};
        auto num = [](const Json& j, const char* k) { return j.contains(k) && j[k].is_number() ? j[k].get<double>() : 0.0; };
        struct Row {
            const char* ours;
            const char* peer;
            const char* metric;   // ours' metric
            const char* pmetric;  // peer's metric
            bool higherBetter;
        };
        const Row rows[] = {
            {"initial_push", "initial_push", "docs_per_s", "docs_per_s", true},
            {"initial_pull", "initial_pull", "docs_per_s", "docs_per_s", true},
            {"incremental_push", "incremental_push", "median_ms", "median_ms", false},
            {"incremental_pull", "incremental_pull", "median_ms", "median_ms", false},
            {"blob_up", "attachment_push", "MiB_per_s", "MiB_per_s", true},
            {"blob_down", "attachment_pull", "MiB_per_s", "MiB_per_s", true},
        };
        for (const auto& r : rows) {
            if (!ours.count(r.ours)) continue;
            double mine = num(ours[r.ours], r.metric);
            summary["ours"][r.ours] = {{r.metric, mine}};
            if (std::string(r.metric) == "MiB_per_s") summary["ours"][r.ours]["MB_per_s"] = num(ours[r.ours], "MB_per_s");
            if (std::string(r.ours) == "initial_push")
                summary["ours"][r.ours]["push_phase_docs_per_s"] = num(ours[r.ours], "push_phase_docs_per_s");
            if (peer.count(r.peer)) {
                double theirs = num(peer[r.peer], r.pmetric);
                summary["peer"][r.ours] = {{r.pmetric, theirs}, {"peer_scenario", r.peer}};
                double ratio = r.higherBetter ? (theirs > 0 ? mine / theirs : 0) : (mine > 0 ? theirs / mine : 0);
                summary["ratios"][r.ours] = round2(ratio);
            }
        }
        // The peer's published figures (its README, invocation 1; the numbers the targets quote), so a
        // slow or noisy peer run in this invocation can be told apart from a real difference.
        const std::map<std::string, double> reference = {
            {"initial_push", 2545}, {"initial_pull", 2593}, {"incremental_push", 13.4},
            {"incremental_pull", 20.6}, {"blob_up", 35.7}, {"blob_down", 20.1}};
        summary["peer_readme"] = Json::object();
        summary["ratios_vs_peer_readme"] = Json::object();
        for (const auto& r : rows) {
            if (!ours.count(r.ours)) continue;
            double mine = num(ours[r.ours], r.metric), theirs = reference.at(r.ours);
            summary["peer_readme"][r.ours] = {{r.pmetric, theirs}};
            summary["ratios_vs_peer_readme"][r.ours] =
                round2(r.higherBetter ? mine / theirs : (mine > 0 ? theirs / mine : 0));
        }
        auto target = [&](const char* name, const std::string& goal, bool met, Json value) {
            summary["targets"][name] = {{"goal", goal}, {"value", value}, {"met", met}};
        };
        for (const char* s : {"initial_push", "initial_pull"})
            if (summary["ratios"].contains(s))
                target(s, "docs/s >= 10x the peer", summary["ratios"][s].get<double>() >= kDocsRatioTarget,
                       summary["ratios"][s]);
        for (const char* s : {"incremental_push", "incremental_pull"})
            if (ours.count(s))
                target(s, "< 2 ms with fsync on both sides", num(ours[s], "median_ms") < kIncrementalTargetMs,
                       num(ours[s], "median_ms"));
        for (const char* s : {"blob_up", "blob_down"})
            if (ours.count(s))
                target(s, ">= 300 MB/s", num(ours[s], "MB_per_s") >= kBlobTargetMBs, num(ours[s], "MB_per_s"));
        if (ours.count("initial_push") && peer.count("initial_push")) {
            double mine = num(ours["initial_push"], "bytes_up"), theirs = num(peer["initial_push"], "bytes_up");
            double ratio = theirs > 0 ? mine / theirs : 0;
            summary["ratios"]["initial_push_bytes_up"] = round2(ratio);
            target("initial_push_bytes_up", "<= 1/4 of the peer's bytes client -> server", theirs > 0 && ratio <= kBytesRatioTarget,
                   mine);
        }
        if (ours.count("initial_pull") && peer.count("initial_pull")) {
            double mine = num(ours["initial_pull"], "bytes_down"), theirs = num(peer["initial_pull"], "bytes_down");
            summary["ratios"]["initial_pull_bytes_down"] = round2(theirs > 0 ? mine / theirs : 0);
        }
        summary["table"] = comparisonTable(ours, peer);
        printTable(summary["table"]);
        if (!peerError.empty()) summary["peer_error"] = peerError;
        if (!o.peer) summary["peer_error"] = "--no-peer";
        std::cout << summary.dump() << std::endl;

        if (ownDir && !o.keep) fs::remove_all(o.dir);
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "sync_bench: " << e.what() << std::endl;
        std::error_code ec;
        if (!tempDir.empty() && !keep) fs::remove_all(tempDir, ec);
        return 1;
    }
}
