// store_bench: the local store's figures (bulk insert, list, search, sync export), on a temporary directory.
//
//   bulk insert   N generated findings (default 100,000) through ChangeWriter in batches (row +
//                 outbox + audit + search index; writeFindingBatch of demo/demo_data.h), against the
//                 baseline of raw SQLite inserting the same rows: same columns and values, a plain
//                 table with the store's own finding table definition and indexes (copied from
//                 sqlite_master), no outbox, audit or FTS, one prepared statement, batches of the
//                 same size, the same pragmas (WAL, synchronous=FULL, …). Batches alternate between
//                 the two so both meet the same disk conditions; only the transactions are timed.
//   bytes         the store's file after a sync (every outbox change acknowledged as a push answer
//                 acknowledges it, so the outbox is empty and sent_change holds them) against the
//                 raw table's file (target <= 3x); with the bytes of each table and index (dbstat)
//                 before and after that sync.
//   open          a new Store object on the N-finding store (median of several opens).
//   --protect default|gm: the store is encrypted at rest (store/crypto) with that suite and the
//                 product's argon2id limits; "sign_in" times unwrapping the key from the
//                 passphrase (target <= 1 s). The raw SQLite baseline stays plaintext, so the
//                 ratio then includes the cost of encryption. A plain store gets the same batches
//                 in the same rotation: "protection_cost" is the protected store's insert rate
//                 over that plain store's (target >= 0.7), and the two-character searches run
//                 on both.
//   queries       first page (50) of the findings list by date; a two-character CJK search
//                 (searchRecords); the list filtered by that search; status + county filter.
//                 Median and p90 over --runs runs (at least 20).
//
// Prints one JSON object to stdout (figures, targets, whether each is met); progress to stderr.
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <iostream>
#include <string>
#include <vector>

#include "demo/demo_data.h"
#include "app/queries.h"
#include "app/setup.h"
#include "core/args.h"
#include "core/error.h"
#include "core/uuid.h"
#include "store/crypto/enc_vfs.h"
#include "store/crypto/key_file.h"
#include "store/search_index.h"
#include "store/server_epoch.h"
#include "store/store.h"
#include "store/sync_state.h"
#include "support/applied_answer.h"

using namespace jc;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

constexpr double kInsertRatioTarget = 0.5;
constexpr double kBytesRatioTarget = 3.0;
constexpr double kQueryTargetMs = 20;
constexpr double kOpenTargetMs = 50;
constexpr double kSignInTargetMs = 1000;
constexpr double kProtectedShareTarget = 0.7;  // protected store's insert rate / a plain store's

struct Options {
    int64_t findings = 100'000;
    int batch = 1000;
    int runs = 25;
    uint64_t seed = 20260101;
    fs::path dir;
    bool keep = false;
    // Tuning experiments (not the defaults of the product): applied to the store and, where they
    // mean the same thing, to the raw baseline too.
    int pageSize = 0;      // bytes; both files are created with it
    int cacheMb = 0;       // PRAGMA cache_size on both connections
    std::vector<std::string> ftsConfig;  // "key=value" for the store's search_index (hashsize, automerge …)
    std::string protect;                 // "" plain, else the cipher suite of an encrypted store
};

double msSince(Clock::time_point t0) { return std::chrono::duration<double, std::milli>(Clock::now() - t0).count(); }

// CPU time of this thread: unlike wall time, it does not grow when other work shares the cores.
double threadCpuMs() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

std::string loadAverage() {
    std::ifstream in("/proc/loadavg");
    std::string a, b, c;
    in >> a >> b >> c;
    return a + " " + b + " " + c;
}

struct Stats {
    double median = 0, p90 = 0, min = 0, max = 0;
    int runs = 0;
};

Stats stats(std::vector<double> v) {
    Stats s;
    if (v.empty()) return s;
    std::sort(v.begin(), v.end());
    s.runs = static_cast<int>(v.size());
    s.min = v.front();
    s.max = v.back();
    s.median = v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
    s.p90 = v[std::min(v.size() - 1, static_cast<size_t>(std::ceil(0.9 * static_cast<double>(v.size()))) - 1)];
    return s;
}

double round2(double v) { return std::round(v * 100) / 100; }

// Targets are judged on wall time; CPU time is reported beside it to show what load did.
Json statsJson(const Stats& s, double targetMs, const Stats* cpu = nullptr) {
    Json j = {{"median_ms", round2(s.median)}, {"p90_ms", round2(s.p90)}, {"min_ms", round2(s.min)},
              {"max_ms", round2(s.max)},       {"runs", s.runs},          {"target_median_ms", targetMs},
              {"met", s.median <= targetMs}};
    if (cpu) {
        j["cpu_median_ms"] = round2(cpu->median);
        j["cpu_p90_ms"] = round2(cpu->p90);
    }
    return j;
}

// Runs `fn` once to warm up, then `runs` times, timing each (wall and thread CPU).
Stats timeRuns(int runs, const std::function<size_t()>& fn, size_t& rows, Stats& cpu) {
    rows = fn();
    std::vector<double> t, c;
    for (int i = 0; i < runs; ++i) {
        auto t0 = Clock::now();
        double c0 = threadCpuMs();
        rows = fn();
        c.push_back(threadCpuMs() - c0);
        t.push_back(msSince(t0));
    }
    cpu = stats(c);
    return stats(t);
}

Options parseArgs(int argc, char** argv) {
    Options o;
    std::vector<std::string> words(argv + 1, argv + argc);
    if (wantsHelp(words)) {
        std::cout << "store_bench [--findings N] [--batch N] [--runs N>=20] [--seed S] [--dir DIR] [--keep]\n"
                     "            [--page-size BYTES] [--cache-mb MB] [--fts KEY=VALUE]...   (tuning experiments)\n"
                     "            [--protect default|gm]   (encrypted store; also times sign-in)\n";
        std::exit(0);
    }
    Args a(words, {"findings", "batch", "runs", "seed", "dir", "page-size", "cache-mb", "fts", "protect"}, {"keep"});
    a.maxPositional(0);
    o.findings = a.intOpt("findings", static_cast<int>(o.findings), 1, 10'000'000);
    o.batch = a.intOpt("batch", o.batch, 1, 1'000'000);
    o.runs = std::max(20, a.intOpt("runs", o.runs, 1, 100'000));
    o.seed = static_cast<uint64_t>(a.intOpt("seed", static_cast<int>(o.seed), 0, 2'000'000'000));
    o.dir = a.optOr("dir", o.dir);
    o.keep = a.flag("keep");
    o.pageSize = a.intOpt("page-size", o.pageSize, 0, 65536);
    o.cacheMb = a.intOpt("cache-mb", o.cacheMb, 0, 100'000);
    o.ftsConfig = a.all("fts");
    o.protect = a.optOr("protect", "");
    if (o.findings < 1 || o.batch < 1) throw UsageError("--findings and --batch must be positive");
    return o;
}

// [SECTION] Bulk insert: raw SQLite baseline and the store, batch by batch

// A plain finding table in its own file: the store's own table definition and indexes (from
// sqlite_master), the store connection's pragmas, one prepared INSERT.
class RawTable {
public:
    RawTable(const fs::path& path, Store& store, int pageSize) : m_db(path.string()) {
        if (pageSize) m_db.exec("PRAGMA page_size=" + std::to_string(pageSize));
        m_db.exec("PRAGMA journal_mode=WAL");
        for (const char* p : {"synchronous", "foreign_keys", "temp_store", "cache_size"})
            m_db.exec(std::string("PRAGMA ") + p + "=" + std::to_string(store.db().queryInt(std::string("PRAGMA ") + p)));
        auto s = store.db().prepare(
            "SELECT sql FROM sqlite_master WHERE tbl_name = 'finding' AND sql IS NOT NULL ORDER BY type = 'index', name");
        while (s.step()) m_db.exec(s.getText(0));
        std::string cols = "id, created_at, updated_at, created_by, deleted", marks = "?, ?, ?, ?, 0";
        for (const auto& f : m_def.fields) {
            cols += std::string(", ") + f.name;
            marks += ", ?";
        }
        m_insert = std::make_unique<Statement>(m_db.prepare("INSERT INTO finding(" + cols + ") VALUES(" + marks + ")"));
    }

    void write(const std::vector<GeneratedFinding>& batch, const std::string& actor) {
        Transaction tx(m_db);
        Statement& ins = *m_insert;
        for (const auto& g : batch) {
            ins.reset();
            ins.bind(1, g.id).bind(2, g.createdAt).bind(3, g.createdAt).bind(4, actor);
            int i = 5;
            for (const auto& f : m_def.fields) {
                auto it = g.fields.find(f.name);
                if (it == g.fields.end()) ins.bindNull(i++);
                else ins.bindJson(i++, encodeValue(f, *it));
            }
            ins.run();
        }
        tx.commit();
    }

private:
    Database m_db;
    const EntityDef& m_def = entityDef("finding");
    std::unique_ptr<Statement> m_insert;
};

struct BulkResult {
    double rawSeconds = 0, storeSeconds = 0, plainStoreSeconds = 0;
    int64_t rows = 0;
};

// Each batch is composed once (untimed) and written to both, alternating which goes first, so
// both see the same disk and cache conditions (on a shared machine these swing by 2x).
// With --protect, `plain` is a plaintext store getting the same batches in the same rotation:
// the reference for the share of throughput encryption keeps.
BulkResult bulkInsert(Store& store, RawTable& raw, const DemoFindingSource& src, const Options& o,
                      const std::string& actor, Store* plain) {
    BulkResult r;
    std::vector<GeneratedFinding> batch, copy, plainCopy;
    for (int64_t done = 0, k = 0; done < o.findings; ++k) {
        int64_t n = std::min<int64_t>(o.batch, o.findings - done);
        batch.clear();
        for (int64_t i = 0; i < n; ++i) batch.push_back(src.make(done + i));
        copy = batch;  // writeFindingBatch moves the fields out
        if (plain) plainCopy = batch;
        auto timeRaw = [&] {
            auto t0 = Clock::now();
            raw.write(copy, actor);
            r.rawSeconds += std::chrono::duration<double>(Clock::now() - t0).count();
        };
        auto timeStore = [&] {
            auto t0 = Clock::now();
            writeFindingBatch(store, actor, batch);
            r.storeSeconds += std::chrono::duration<double>(Clock::now() - t0).count();
        };
        auto timePlain = [&] {
            if (!plain) return;
            auto t0 = Clock::now();
            writeFindingBatch(*plain, actor, plainCopy);
            r.plainStoreSeconds += std::chrono::duration<double>(Clock::now() - t0).count();
        };
        if (k % 3 == 0) timeRaw(), timeStore(), timePlain();
        else if (k % 3 == 1) timeStore(), timePlain(), timeRaw();
        else timePlain(), timeRaw(), timeStore();
        done += n;
        r.rows = done;
        if (done % (o.batch * 10) == 0 || done == o.findings)
            std::cerr << "\r  bulk insert: " << done << " / " << o.findings << std::flush;
    }
    std::cerr << "\n";
    return r;
}

int64_t fileBytes(const fs::path& p) {
    std::error_code ec;
    int64_t n = 0;
    for (const char* suffix : {"", "-wal", "-shm"}) {
        auto s = fs::file_size(p.string() + suffix, ec);
        if (!ec) n += static_cast<int64_t>(s);
    }
    return n;
}

// [SECTION] Sizes: per table and index (dbstat), and the outbox acknowledged as after a sync

// Bytes of each table and index of the file (the dbstat virtual table), largest first, with the
// pages on the free list and the pages in use.
Json sizeBreakdown(Database& db) {
    Json parts = Json::object();
    auto s = db.prepare("SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name ORDER BY bytes DESC");
    while (s.step()) parts[s.getText(0)] = s.getInt(1);
    int64_t page = db.queryInt("PRAGMA page_size");
    int64_t pages = db.queryInt("PRAGMA page_count"), freePages = db.queryInt("PRAGMA freelist_count");
    return {{"tables_and_indexes", parts}, {"free_list_bytes", freePages * page}, {"in_use_bytes", (pages - freePages) * page}};
}

// What a sync leaves behind: the server acknowledges every outbox change (as a push answer
// does: recordPushResults, batches of 500, one server version per field, increasing), so the
// outbox empties into sent_change. Returns the seconds it took.
double acknowledgeOutbox(Store& store) {
    auto t0 = Clock::now();
    int64_t serverSeq = 0;
    for (;;) {
        std::vector<OutboxChange> batch = pendingChanges(store.db(), 500, 0);
        if (batch.empty()) break;
        std::vector<PushResult> results;
        for (const auto& c : batch) results.push_back(test::appliedAnswer(c, ++serverSeq));
        recordPushResults(store, results);
    }
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

int run(const Options& o) {
    fs::path dir = o.dir.empty() ? fs::temp_directory_path() / ("jiancha_bench_" + newUuidV7()) : o.dir;
    fs::create_directories(dir);
    fs::path storeFile = dir / "jiancha.db", rawFile = dir / "raw.db", plainFile = dir / "plain.db";
    for (const auto& p : {storeFile, rawFile, plainFile})
        for (const char* suffix : {"", "-wal", "-shm", ".keys"}) fs::remove(p.string() + suffix);
    const std::string actor = "bench";
    const Date today = Date::today();
    std::cerr << "store_bench: " << o.findings << " findings in batches of " << o.batch << " under " << dir << "\n";

    Json out;
    out["findings"] = o.findings;
    out["batch_size"] = o.batch;
    out["sqlite_version"] = sqlite3_libversion();
    out["directory"] = dir.string();
    out["load_average_at_start"] = loadAverage();
    if (o.pageSize || o.cacheMb || !o.ftsConfig.empty())
        out["tuning"] = {{"page_size", o.pageSize}, {"cache_mb", o.cacheMb}, {"fts", o.ftsConfig}};

    if (!o.protect.empty()) {
        const std::string pass = "store bench passphrase";
        crypto::createStoreKey(storeFile, crypto::keyFilePath(storeFile), crypto::parseSuite(o.protect), pass, "");
        crypto::lockStore(storeFile);
        std::vector<double> signIns;
        for (int i = 0; i < 5; ++i) {
            crypto::lockStore(storeFile);
            auto t0 = Clock::now();
            if (!crypto::unlockStore(storeFile, pass)) throw StorageError("sign-in failed");
            signIns.push_back(msSince(t0));
        }
        Stats si = stats(signIns);
        crypto::KdfLimits kdf = crypto::readKeyFileInfo(storeFile).kdf;
        out["protected"] = {{"suite", crypto::suiteName(crypto::parseSuite(o.protect))},
                            {"argon2id_ops", kdf.ops},
                            {"argon2id_mem_mib", kdf.mem >> 20}};
        out["sign_in"] = statsJson(si, kSignInTargetMs);
        std::cerr << "  sign-in (argon2id): median " << round2(si.median) << " ms\n";
    }
    if (o.pageSize) {
        Database pre(storeFile.string());
        pre.exec("PRAGMA page_size=" + std::to_string(o.pageSize));
        pre.exec("PRAGMA user_version=0");  // writes the header with that page size
    }
    auto tune = [&](Store& s) {
        if (o.cacheMb) s.db().exec("PRAGMA cache_size=-" + std::to_string(o.cacheMb * 1024));
    };
    BulkResult bulk;
    {
        Store store(storeFile.string());
        tune(store);
        for (const auto& kv : o.ftsConfig) {
            auto eq = kv.find('=');
            if (eq == std::string::npos) throw UsageError("--fts wants KEY=VALUE");
            auto st = store.db().prepare("INSERT INTO search_index(search_index, rank) VALUES(?, ?)");
            st.bind(1, kv.substr(0, eq)).bind(2, static_cast<int64_t>(std::stoll(kv.substr(eq + 1))));
            st.run();
        }
        InitOptions init;
        init.userName = actor;
        init.role = Role::HqAdmin;
        auto t0 = Clock::now();
        initStore(store, init);
        std::cerr << "  init (regions, calendar, templates): " << round2(msSince(t0)) << " ms\n";
        RawTable raw(rawFile, store, static_cast<int>(store.db().queryInt("PRAGMA page_size")));
        DemoFindingSource src(store, actor, o.seed, today);
        std::unique_ptr<Store> plain;
        if (!o.protect.empty()) {
            plain = std::make_unique<Store>(plainFile.string());
            tune(*plain);
            initStore(*plain, init);
        }
        bulk = bulkInsert(store, raw, src, o, actor, plain.get());
    }
    double rawRate = static_cast<double>(bulk.rows) / bulk.rawSeconds;
    double storeRate = static_cast<double>(bulk.rows) / bulk.storeSeconds;
    double ratio = storeRate / rawRate;
    out["bulk_insert"] = {{"store_findings_per_s", std::round(storeRate)},
                          {"store_write_seconds", round2(bulk.storeSeconds)},
                          {"raw_sqlite_findings_per_s", std::round(rawRate)},
                          {"raw_sqlite_write_seconds", round2(bulk.rawSeconds)},
                          {"ratio", round2(ratio)},
                          {"target_ratio", kInsertRatioTarget},
                          {"met", ratio >= kInsertRatioTarget}};
    if (!o.protect.empty()) {
        crypto::VfsCounters c = crypto::vfsCounters();
        double n = static_cast<double>(bulk.rows);  // the plain store and raw table do not use the VFS
        out["units_per_finding_while_inserting"] = {{"db_pages_opened", round2(c.dbPagesOpened / n)},
                                                    {"db_pages_sealed", round2(c.dbPagesSealed / n)},
                                                    {"wal_frames_opened", round2(c.walFramesOpened / n)},
                                                    {"wal_frames_sealed", round2(c.walFramesSealed / n)},
                                                    {"wal_frames_sealed_by_helper_thread", round2(c.walFramesSealedAside / n)},
                                                    {"wal_frames_copied_as_ciphertext", round2(c.walFramesCopied / n)},
                                                    {"blocks_opened", round2(c.blocksOpened / n)},
                                                    {"blocks_sealed", round2(c.blocksSealed / n)}};
        double plainRate = static_cast<double>(bulk.rows) / bulk.plainStoreSeconds;
        double kept = storeRate / plainRate;
        out["protection_cost"] = {{"protected_store_findings_per_s", std::round(storeRate)},
                                  {"plain_store_findings_per_s", std::round(plainRate)},
                                  {"share_kept", round2(kept)},
                                  {"target_share_kept", kProtectedShareTarget},
                                  {"met", kept >= kProtectedShareTarget}};
        std::cerr << "  protected / plain store: " << round2(kept) << "\n";
    }
    int64_t rawBytes = fileBytes(rawFile);
    out["raw_sqlite_bytes"] = rawBytes;
    {
        Store store(storeFile.string());
        out["store_bytes_before_sync"] = fileBytes(storeFile);
        out["sizes_before_sync"] = sizeBreakdown(store.db());
        std::cerr << "  acknowledging the outbox (as after a sync) ...\n";
        out["acknowledge_seconds"] = round2(acknowledgeOutbox(store));
        out["outbox_after_sync"] = pendingCount(store.db());
        out["sent_changes_kept"] = static_cast<int64_t>(sentChanges(store.db()).size());
        store.db().exec("PRAGMA wal_checkpoint(TRUNCATE)");
        out["sizes_after_sync"] = sizeBreakdown(store.db());
        out["store_bytes_after_sync_before_release"] = fileBytes(storeFile);
        // What the sync worker (and `jiancha sync`) do after a round that emptied the outbox.
        auto r0 = Clock::now();
        int64_t released = releaseFreePages(store.db());
        store.db().exec("PRAGMA wal_checkpoint(TRUNCATE)");
        out["release_free_pages"] = {{"pages", released}, {"seconds", round2(msSince(r0) / 1000)}};
    }
    int64_t storeBytes = fileBytes(storeFile);
    double bytesRatio = static_cast<double>(storeBytes) / static_cast<double>(rawBytes);
    out["store_bytes"] = storeBytes;
    out["bytes"] = {{"store_after_sync", storeBytes},
                    {"raw_sqlite", rawBytes},
                    {"ratio", round2(bytesRatio)},
                    {"target_ratio_max", kBytesRatioTarget},
                    {"outbox_empty", out["outbox_after_sync"] == 0},
                    {"met", bytesRatio <= kBytesRatioTarget && out["outbox_after_sync"] == 0}};
    std::cerr << "  bytes after sync: " << storeBytes << " vs raw " << rawBytes << " (" << round2(bytesRatio) << "x)\n";
    if (o.protect.empty()) {  // the full-text index's share (pages of its shadow tables, dbstat; plain stores)
        Database probe(storeFile.string(), true);
        auto pages = [&](const char* where) -> int64_t {
            return probe.queryInt(std::string("SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE ") + where);
        };
        out["search_index_bytes"] = {{"postings", pages("name IN ('search_index_data', 'search_index_idx')")},
                                     {"text_copy", pages("name = 'search_index_content'")},
                                     {"other", pages("name LIKE 'search_%' AND name NOT IN ('search_index_data', "
                                                     "'search_index_idx', 'search_index_content')")}};
    }

    // Open: a new Store object each time (the file stays in the OS cache: "cold-ish").
    std::vector<double> opens, openCpu;
    for (int i = 0; i < o.runs; ++i) {
        auto t0 = Clock::now();
        double c0 = threadCpuMs();
        Store s(storeFile.string());
        openCpu.push_back(threadCpuMs() - c0);
        opens.push_back(msSince(t0));
    }
    Stats openStats = stats(opens), openCpuStats = stats(openCpu);
    out["open"] = statsJson(openStats, kOpenTargetMs, &openCpuStats);
    std::cerr << "  open: median " << round2(openStats.median) << " ms\n";

    Store store(storeFile.string());
    tune(store);
    Database& db = store.db();
    std::string todayStr = today.str();
    Json queries = Json::object();
    bool queriesMet = true;
    auto measure = [&](const std::string& name, const std::function<size_t()>& fn, Json extra) {
        size_t rows = 0;
        Stats cpu;
        Stats s = timeRuns(o.runs, fn, rows, cpu);
        Json j = statsJson(s, kQueryTargetMs, &cpu);
        j["rows"] = rows;
        for (auto it = extra.begin(); it != extra.end(); ++it) j[it.key()] = *it;
        queries[name] = j;
        queriesMet = queriesMet && s.median <= kQueryTargetMs;
        std::cerr << "  " << name << ": median " << round2(s.median) << " ms, p90 " << round2(s.p90) << " ms, " << rows << " rows\n";
    };

    FindingFilter firstPage;
    firstPage.sortBy = "created_at";
    firstPage.descending = true;
    firstPage.limit = 50;
    measure("first_page_by_date", [&] { return listFindings(db, firstPage, todayStr).size(); }, Json::object());

    {
        const char* one = "拆";  // one character: a prefix query over every pair it starts
        size_t matches = searchIds(db, one, "").size();
        measure("search_1char_chai", [&] { return searchRecords(db, one, 50).size(); },
                {{"query", one}, {"matching_records", matches}});
    }
    for (const char* word : {"欠薪", "拆迁"}) {
        size_t matches = searchIds(db, word, "").size();
        measure(std::string("search_2char_") + (word == std::string("欠薪") ? "qianxin" : "chaiqian"),
                [&] { return searchRecords(db, word, 50).size(); }, {{"query", word}, {"matching_records", matches}});
    }

    FindingFilter bySearch;
    bySearch.search = "欠薪";
    bySearch.limit = 50;
    measure("list_filtered_by_search", [&] { return listFindings(db, bySearch, todayStr).size(); },
            {{"query", "欠薪"}, {"matching_findings", countFindings(db, bySearch, todayStr)}});

    FindingFilter statusCounty;
    statusCounty.status = "submitted";
    statusCounty.regionPrefix = "620722";  // 民乐县
    statusCounty.limit = 50;
    measure("filter_status_county", [&] { return listFindings(db, statusCounty, todayStr).size(); },
            {{"status", "submitted"},
             {"region_prefix", "620722"},
             {"matching_findings", countFindings(db, statusCounty, todayStr)}});

    FindingFilter rareCounty = statusCounty;
    rareCounty.status = "returned";
    rareCounty.regionPrefix = "620721";  // 肃南: few findings, so the date order cannot stop early
    measure("filter_status_small_county", [&] { return listFindings(db, rareCounty, todayStr).size(); },
            {{"status", "returned"},
             {"region_prefix", "620721"},
             {"matching_findings", countFindings(db, rareCounty, todayStr)}});

    if (!o.protect.empty()) {
        // The same two-character searches on the plain store: the reference for the protected one.
        Store plainStore(plainFile.string());
        for (const char* word : {"欠薪", "拆迁"}) {
            size_t rows = 0;
            Stats cpu;
            Stats s = timeRuns(o.runs, [&] { return searchRecords(plainStore.db(), word, 50).size(); }, rows, cpu);
            queries[std::string("plain_store_search_2char_") + (word == std::string("欠薪") ? "qianxin" : "chaiqian")] =
                statsJson(s, kQueryTargetMs, &cpu);
            std::cerr << "  plain store search " << word << ": median " << round2(s.median) << " ms\n";
        }
    }
    out["queries"] = queries;
    bool all = ratio >= kInsertRatioTarget && out["bytes"]["met"].get<bool>() && openStats.median <= kOpenTargetMs && queriesMet;
    out["targets"] = {{"bulk_insert_ratio_min", kInsertRatioTarget},
                      {"bytes_ratio_max_after_sync", kBytesRatioTarget},
                      {"query_median_ms_max", kQueryTargetMs},
                      {"open_median_ms_max", kOpenTargetMs}};
    out["all_targets_met"] = all;
    out["load_average_at_end"] = loadAverage();
    std::cout << out.dump(2) << std::endl;

    if (!o.keep && o.dir.empty()) {
        std::error_code ec;
        fs::remove_all(dir, ec);
    }
    return all ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        return run(parseArgs(argc, argv));
    } catch (const std::exception& e) {
        std::cerr << "store_bench: " << e.what() << "\n";
        return 2;
    }
}
