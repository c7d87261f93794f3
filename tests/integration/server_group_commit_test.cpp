// Group commit (sync/server/group_commit.h) on a real server over SQLite and PostgreSQL:
// concurrent pushes are committed together (fewer commits than pushes, counted by the server's
// write metrics), each answered only after that commit; a refused push or a request whose work
// fails half-way leaves the others of its group applied, and gives back its sequence numbers
// and official numbers (no gap). The write lock is held by the test while the requests queue,
// so the group forms deterministically.
#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <thread>

#include "core/dates.h"
#include "core/hlc.h"
#include "core/uuid.h"
#include "support/pg_env.h"
#include "support/wait_for.h"
#include "sync/protocol/protocol.h"
#include "sync/server/local_server.h"

using jc::Json;
using jc::server::GroupCommit;
using jc::server::LocalServer;
using jc::server::StorageTx;

namespace {

constexpr int kDevices = 6;  // fewer than the server's request threads, so all push at once

struct Device {
    std::string id, token;
    int64_t seq = 0;
    jc::HybridClock clock{"x"};

    httplib::Headers headers() const {
        return {{"X-Jiancha-Protocol", "1"},
                {"X-Jiancha-Schema", std::to_string(jc::proto::kSchemaVersion)},
                {"Authorization", "Bearer " + token}};
    }
    // One new unit (reference data an inspector may create) at `atSeq` (default: the next seq).
    std::string pushBody(int64_t atSeq = 0) {
        if (atSeq == 0) atSeq = ++seq;
        Json fields = {{"name", "单位" + std::to_string(atSeq)},
                       {"kind", "department"},
                       {"created_at", jc::nowIso()},
                       {"created_by", "insp"}};
        Json c = {{"change_id", jc::newUuidV7()}, {"seq", atSeq},     {"entity", "unit"},
                  {"entity_id", jc::newUuidV7()}, {"fields", fields}, {"base_versions", Json::object()},
                  {"hlc", clock.now().encode()},  {"user_id", "insp"}};
        return Json{{"device_id", id}, {"db_incarnation", "inc-1"}, {"changes", Json::array({c})}}.dump();
    }
};

std::vector<Device> enrolDevices(LocalServer& s) {
    s.admin().addTeam("第一检查组");
    s.admin().addUser("insp", jc::Role::Inspector, "第一检查组");
    std::vector<Device> out(kDevices);
    for (int i = 0; i < kDevices; ++i) {
        auto e = s.enroll("insp", "laptop " + std::to_string(i));
        out[i].id = e.deviceId;
        out[i].token = e.token;
        // The token's first use is a write of its own; done here, before the grouped pushes.
        httplib::Client cli(s.host(), s.port());
        auto r = cli.Get("/v1/whoami", out[i].headers());
        REQUIRE(r);
        REQUIRE(r->status == 200);
    }
    return out;
}

struct Answer {
    int status = 0;  // 0: no answer
    std::string body;
};

// Every device pushes once, concurrently, while the test holds the write lock; the lock is let
// go once all pushes wait in the group committer's queue.
std::vector<Answer> pushTogether(LocalServer& s, std::vector<std::string> bodies, const std::vector<Device>& devs) {
    std::vector<Answer> results(bodies.size());
    std::atomic<int> answered{0};
    auto hold = s.server().storage().write();
    std::vector<std::thread> threads;
    for (size_t i = 0; i < bodies.size(); ++i)
        threads.emplace_back([&, i] {
            httplib::Client cli(s.host(), s.port());
            cli.set_read_timeout(60, 0);
            if (auto r = cli.Post("/v1/push", devs[i].headers(), bodies[i], "application/json"))
                results[i] = Answer{r->status, r->body};
            ++answered;
        });
    bool queued = jc::test::waitFor([&] { return s.server().writes().queued() == bodies.size(); }, 30,
                                    std::chrono::milliseconds(2));
    // Nothing is answered while the group cannot commit.
    CHECK(answered == 0);
    hold.reset();  // rolls back the test's empty transaction and frees the lock
    for (auto& t : threads) t.join();
    REQUIRE(queued);
    return results;
}

void concurrentPushesShareCommits(const std::string& db) {
    LocalServer s({}, true, db);
    auto devs = enrolDevices(s);
    auto before = s.server().writes().stats();
    std::vector<std::string> bodies;
    for (auto& d : devs) bodies.push_back(d.pushBody());
    auto results = pushTogether(s, bodies, devs);
    auto after = s.server().writes().stats();

    std::vector<int64_t> seqs;
    for (auto& r : results) {
        INFO(r.body);
        REQUIRE(r.status == 200);
        Json body = Json::parse(r.body);
        CHECK(body["results"][0]["status"] == "applied");
        seqs.push_back(body["results"][0]["server_seq"].get<int64_t>());
    }
    // One commit carried all the pushes.
    CHECK(after.commits - before.commits == 1);
    CHECK(after.requests - before.requests == kDevices);
    CHECK(after.largest >= kDevices);
    // Their changes have consecutive sequence numbers, and a pull from the start sees them all.
    std::sort(seqs.begin(), seqs.end());
    for (size_t i = 1; i < seqs.size(); ++i) CHECK(seqs[i] == seqs[i - 1] + 1);
    auto tx = s.server().storage().read();
    auto page = tx->changesAfter(seqs.front() - 1, 100, jc::server::Viewer{true, "", ""});
    CHECK(page.entries.size() == seqs.size());
}

void refusedPushLeavesOthers(const std::string& db) {
    LocalServer s({}, true, db);
    auto devs = enrolDevices(s);
    {  // device 0 has pushed seq 1; its grouped push then skips to seq 5: 409 seq_gap
        httplib::Client cli(s.host(), s.port());
        auto r = cli.Post("/v1/push", devs[0].headers(), devs[0].pushBody(), "application/json");
        REQUIRE(r);
        REQUIRE(r->status == 200);
    }
    auto before = s.server().writes().stats();
    std::vector<std::string> bodies;
    bodies.push_back(devs[0].pushBody(5));
    for (int i = 1; i < kDevices; ++i) bodies.push_back(devs[i].pushBody());
    auto results = pushTogether(s, bodies, devs);
    auto after = s.server().writes().stats();
    INFO(results[0].body);
    CHECK(results[0].status == 409);
    CHECK(Json::parse(results[0].body)["expected_seq"] == 2);
    for (int i = 1; i < kDevices; ++i) {
        INFO(results[i].body);
        REQUIRE(results[i].status == 200);
        CHECK(Json::parse(results[i].body)["results"][0]["status"] == "applied");
    }
    CHECK(after.commits - before.commits == 1);
    // The refused push changed nothing: device 0's push cursor is still at 1.
    auto tx = s.server().storage().read();
    CHECK(tx->lastSeq(devs[0].id, "inc-1") == 1);
}

// Requests that write, take an official number, then fail half-way: rolled back to their
// savepoint, so the others' sequence numbers and official numbers run on without a gap.
void failedWorkGivesNumbersBack(const std::string& db) {
    LocalServer s({}, true, db);
    GroupCommit& group = s.server().writes();
    const int n = 8;
    std::vector<int64_t> numbers(n, 0), seqs(n, 0);
    std::vector<bool> failed(n, false);
    auto before = group.stats();
    int64_t lastBefore = s.server().storage().read()->lastServerSeq();
    {
        auto hold = s.server().storage().write();
        std::vector<std::thread> threads;
        for (int i = 0; i < n; ++i)
            threads.emplace_back([&, i] {
                try {
                    group.run([&](StorageTx& tx) {
                        jc::server::LogEntry e;
                        e.entity = "unit";
                        e.entityId = "u" + std::to_string(i);
                        e.fields = {{"name", e.entityId}};
                        e.author = "test";
                        int64_t seq = tx.appendChange(e);
                        int64_t number = tx.nextCounter("张监〔2026〕");
                        if (i % 3 == 1) throw std::runtime_error("fails after writing");
                        seqs[i] = seq;
                        numbers[i] = number;
                    });
                } catch (const std::runtime_error&) {
                    failed[i] = true;
                }
            });
        bool queued = jc::test::waitFor([&] { return group.queued() == static_cast<size_t>(n); }, 30,
                                        std::chrono::milliseconds(2));
        hold.reset();
        for (auto& t : threads) t.join();
        REQUIRE(queued);
    }
    CHECK(group.stats().commits - before.commits == 1);
    std::vector<int64_t> gotSeqs, gotNumbers;
    for (int i = 0; i < n; ++i) {
        CHECK(failed[i] == (i % 3 == 1));
        if (failed[i]) continue;
        gotSeqs.push_back(seqs[i]);
        gotNumbers.push_back(numbers[i]);
    }
    std::sort(gotSeqs.begin(), gotSeqs.end());
    std::sort(gotNumbers.begin(), gotNumbers.end());
    for (size_t i = 0; i < gotSeqs.size(); ++i) {
        CHECK(gotSeqs[i] == lastBefore + 1 + static_cast<int64_t>(i));
        CHECK(gotNumbers[i] == 1 + static_cast<int64_t>(i));
    }
    auto tx = s.server().storage().read();
    CHECK(tx->lastServerSeq() == lastBefore + static_cast<int64_t>(gotSeqs.size()));
}

}  // namespace

TEST_CASE("group commit on SQLite: concurrent pushes share one commit", "[server][group]") {
    concurrentPushesShareCommits({});
}
TEST_CASE("group commit on SQLite: a refused push leaves the rest of its group applied", "[server][group]") {
    refusedPushLeavesOthers({});
}
TEST_CASE("group commit on SQLite: failed work gives its sequence and official numbers back", "[server][group]") {
    failedWorkGivesNumbersBack({});
}
TEST_CASE("group commit on PostgreSQL: concurrent pushes share one commit", "[pg][group]") {
    if (auto db = jc::test::freshPgDatabase(); !db.empty()) concurrentPushesShareCommits(db);
}
TEST_CASE("group commit on PostgreSQL: a refused push leaves the rest of its group applied", "[pg][group]") {
    if (auto db = jc::test::freshPgDatabase(); !db.empty()) refusedPushLeavesOthers(db);
}
TEST_CASE("group commit on PostgreSQL: failed work gives its sequence and official numbers back", "[pg][group]") {
    if (auto db = jc::test::freshPgDatabase(); !db.empty()) failedWorkGivesNumbersBack(db);
}
