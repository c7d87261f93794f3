// Two servers' transactions on one PostgreSQL database, interleaved step by step (pg_storage.h):
// a pull never moves its cursor past a change that is still in flight, so no device skips one;
// writers from two servers get consecutive sequence numbers in commit order; official-number
// counters hand out every number exactly once when two servers accept at once.
#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <future>
#include <set>
#include <thread>

#include "support/pg_env.h"
#include "sync/server/open_storage.h"
#include "sync/server/pg_storage.h"

using jc::Json;
using namespace jc::server;

namespace {

// A change the HQ viewer sees: the record it belongs to is written with it.
int64_t writeUnit(StorageTx& tx, const std::string& id) {
    LogEntry e;
    e.entity = "unit";
    e.entityId = id;
    e.fields = {{"name", id}};
    e.author = "test";
    e.deviceId = "test";
    e.hlc = "hlc";
    int64_t seq = tx.appendChange(e);
    Record r;
    r.entity = "unit";
    r.id = id;
    r.scope = kScopeShared;
    r.createdSeq = seq;
    r.fields["name"] = FieldState{id, seq, "test", "test", "hlc"};
    tx.putRecord(r);
    return seq;
}

std::vector<int64_t> pulledSeqs(ServerStorage& s, int64_t cursor, int64_t* next) {
    auto tx = s.read();
    ChangePage page = tx->changesAfter(cursor, 1000, Viewer{true, "", ""});
    std::vector<int64_t> out;
    for (const auto& e : page.entries) out.push_back(e.serverSeq);
    *next = page.nextCursor;
    return out;
}

// Waits until PostgreSQL shows a jiancha-server backend waiting on a lock (the second writer).
bool writerWaitsOnLock(const std::string& url) {
    for (int i = 0; i < 500; ++i) {
        std::string n = jc::test::pgScalar(
            url, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                 "AND application_name LIKE 'jiancha-server/%' AND wait_event_type = 'Lock'");
        if (n == "1") return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
}

}  // namespace

TEST_CASE("two servers: a pull never passes a change that commits later", "[pg][cursor]") {
    std::string url = jc::test::freshPgDatabase();
    if (url.empty()) return;
    initStorage(url);
    auto serverA = openStorage(url);
    auto serverB = openStorage(url);
    {
        auto tx = serverA->write();
        writeUnit(*tx, "u0");
        tx->commit();
    }
    int64_t cursor = 0;
    REQUIRE(pulledSeqs(*serverB, 0, &cursor) == std::vector<int64_t>{1});
    REQUIRE(cursor == 1);

    // 1. Server A's push takes number 2 and has not committed yet.
    auto txA = serverA->write();
    REQUIRE(writeUnit(*txA, "uA") == 2);

    // 2. Server B's push starts meanwhile: it must wait for A, not take number 3 beside it.
    std::atomic<bool> bStarted{false};
    auto b = std::async(std::launch::async, [&] {
        bStarted = true;
        auto txB = serverB->write();
        int64_t seq = writeUnit(*txB, "uB");
        return std::make_pair(std::move(txB), seq);
    });
    REQUIRE(writerWaitsOnLock(url));

    // 3. A device pulls through server B while both are in flight: nothing new, cursor stays.
    int64_t next = 0;
    CHECK(pulledSeqs(*serverB, cursor, &next).empty());
    CHECK(next == cursor);

    // 4. A commits; B goes on and takes number 3 (after 2 is visible), not yet committed.
    txA->commit();
    txA.reset();
    auto [txB, seqB] = b.get();
    CHECK(seqB == 3);
    CHECK(pulledSeqs(*serverA, cursor, &next) == std::vector<int64_t>{2});
    CHECK(next == 2);
    cursor = next;

    // 5. B commits: the device continues from 2 and gets 3.
    txB->commit();
    txB.reset();
    CHECK(pulledSeqs(*serverA, cursor, &next) == std::vector<int64_t>{3});
    CHECK(next == 3);

    // A rolled-back writer leaves no gap: the next number is taken again.
    {
        auto tx = serverB->write();
        CHECK(writeUnit(*tx, "lost") == 4);
    }
    {
        auto tx = serverA->write();
        CHECK(writeUnit(*tx, "u4") == 4);
        tx->commit();
    }
}

TEST_CASE("two servers writing and pulling at once: every change pulled once, in order", "[pg][cursor]") {
    std::string url = jc::test::freshPgDatabase();
    if (url.empty()) return;
    initStorage(url);
    auto serverA = openStorage(url);
    auto serverB = openStorage(url);
    const int perServer = 150;
    std::atomic<bool> writing{true};
    auto writer = [&](ServerStorage& s, const std::string& tag) {
        for (int i = 0; i < perServer; ++i) {
            auto tx = s.write();
            writeUnit(*tx, tag + std::to_string(i));
            if (i % 3 == 0) writeUnit(*tx, tag + std::to_string(i) + "b");  // some commits carry two
            tx->commit();
        }
    };
    // A device pulling alternately through both servers while they write: the cursor only ever
    // moves over sequence numbers it has received, with no hole and no repeat.
    std::vector<int64_t> seen;
    std::thread puller([&] {
        int64_t cursor = 0;
        for (int round = 0;; ++round) {
            bool done = !writing;  // read before the pull: a pull after the last commit follows
            int64_t next = 0;
            auto got = pulledSeqs(round % 2 ? *serverA : *serverB, cursor, &next);
            for (auto s : got) seen.push_back(s);
            cursor = next;
            if (done && got.empty()) break;
        }
    });
    std::thread wa(writer, std::ref(*serverA), "a");
    std::thread wb(writer, std::ref(*serverB), "b");
    wa.join();
    wb.join();
    writing = false;
    puller.join();
    const int64_t total = 2 * (perServer + (perServer + 2) / 3);
    REQUIRE(static_cast<int64_t>(seen.size()) == total);
    for (int64_t i = 0; i < total; ++i) REQUIRE(seen[static_cast<size_t>(i)] == i + 1);
}

TEST_CASE("official-number counters from two servers at once: consecutive and unique", "[pg][numbers]") {
    std::string url = jc::test::freshPgDatabase();
    if (url.empty()) return;
    initStorage(url);
    auto serverA = openStorage(url);
    auto serverB = openStorage(url);
    const int each = 60;
    auto accept = [&](ServerStorage& s) {
        std::vector<int64_t> got;
        for (int i = 0; i < each; ++i) {
            auto tx = s.write();
            int64_t n = tx->nextCounter("official_number:张监:2026");
            if (i % 7 == 3) continue;  // rolled back: the number must be handed out again
            tx->commit();
            got.push_back(n);
        }
        return got;
    };
    auto fa = std::async(std::launch::async, accept, std::ref(*serverA));
    auto fb = std::async(std::launch::async, accept, std::ref(*serverB));
    std::vector<int64_t> all = fa.get();
    for (auto n : fb.get()) all.push_back(n);
    std::sort(all.begin(), all.end());
    REQUIRE(all.size() == 2 * (each - 9));
    for (size_t i = 0; i < all.size(); ++i) REQUIRE(all[i] == static_cast<int64_t>(i) + 1);
}
