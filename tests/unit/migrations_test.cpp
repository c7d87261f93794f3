// Schema migrations keep every row of an old store. tests/fixtures/store_v1.db is a small store
// written at schema version 1 (by tests/tools/make_store_v1_fixture.cpp, once, when v1 was the
// latest); each run copies it, opens it with Store (which applies every later migration) and
// checks the row counts of every v1 table and a few values against what the fixture holds.
// When v2 is added, this test keeps proving that a v1 store upgrades without losing data.
#include <catch2/catch.hpp>

#include <filesystem>
#include <map>

#include "core/uuid.h"
#include "store/audit.h"
#include "store/field_versions.h"
#include "store/server_epoch.h"
#include "store/sync_state.h"
#include "store/fts_tokenizer.h"
#include "store/migrations.h"
#include "store/search_index.h"
#include "store/store.h"
#include "store/writer.h"
#include "support/applied_answer.h"
#include "support/store_v1_fixture.h"
#include "support/temp_dir.h"

using namespace jc;
using namespace jc::test::store_v1;
namespace fs = std::filesystem;

namespace {

const fs::path kFixture = fs::path(JIANCHA_TEST_FIXTURES) / "store_v1.db";

using test::TempDir;

int64_t count(Database& db, const std::string& table) { return db.queryInt("SELECT count(*) FROM " + table); }

}  // namespace

// Versions start at 1 and only increase. Parallel branches reserve their numbers, so a branch
// may leave a gap until the merges fill it; a store simply skips versions it never had.
TEST_CASE("migrations: versions start at 1 and increase", "[migrations]") {
    const auto& list = migrations();
    REQUIRE_FALSE(list.empty());
    CHECK(list.front().version == 1);
    for (size_t i = 0; i < list.size(); ++i) {
        if (i > 0) CHECK(list[i].version > list[i - 1].version);
        CHECK(list[i].sql != nullptr);
    }
    CHECK(Store::latestSchemaVersion() == list.back().version);
}

TEST_CASE("migrations: a v1 store upgrades to the current schema with every row kept", "[migrations]") {
    REQUIRE(fs::exists(kFixture));
    TempDir dir;
    fs::path copy = dir.path / "store.db";
    fs::copy_file(kFixture, copy);

    std::string device;
    {
        Database raw(copy.string(), true);
        CHECK(raw.queryInt("PRAGMA user_version") == 1);
        auto s = raw.prepare("SELECT value FROM meta WHERE key = 'device_id'");
        REQUIRE(s.step());
        device = s.getText(0);
    }

    Store store(copy.string());
    Database& db = store.db();
    CHECK(store.schemaVersion() == Store::latestSchemaVersion());
    CHECK(store.deviceId() == device);
    for (const auto& [table, rows] : kFixtureRows) {
        INFO(table);
        if (table == "field_meta") continue;  // one row per record since v11 (below)
        // meta gains one row: from when this store's field history is complete. The search
        // index is made again for the current tokens: its records wait for the catch-up.
        if (table == "search_index") CHECK(count(db, "search_index") + count(db, "search_pending") == rows);
        else CHECK(count(db, table) == rows + (table == "meta" ? 1 : 0));
    }
    // The fixture's two field versions (one finding) are one row now, with both versions.
    CHECK(count(db, "field_meta") == 1);
    CHECK(loadFieldVersions(db, "finding", kFindingDemolition) == FieldVersions{{"status", 2}, {"title", 3}});
    auto since = store.meta("field_history_since");
    REQUIRE(since.has_value());
    CHECK(since->size() >= 19);  // an ISO time

    auto f = store.require("finding", kFindingDemolition);
    CHECK(f["title"] == "城南片区拆迁补偿不到位（已核实）");
    CHECK(f["field_values"]["households"] == 12);
    CHECK(f["subject_unit_id"] == kUnit);
    CHECK(store.require("finding", kFindingDeleted)["deleted"] == true);
    auto c = store.require("complaint", kComplaintWages);
    CHECK(c["content"] == "欠薪三个月，多次讨要未果");
    CHECK(c["anonymous"] == true);
    CHECK(verifyAudit(db).ok);
    CHECK(verifyAudit(db).events == kFixtureRows.at("audit_event"));

    // The search index came along and still answers, and new writes work on the upgraded store.
    // Before the catch-up the scan answers, after it the index, the same.
    auto hits = searchIds(db, "拆迁", "finding");
    CHECK(hits == std::vector<std::string>{kFindingDemolition});
    CHECK(searchPendingCount(db) > 0);
    CHECK(catchUpSearchIndex(db, 100) == 0);
    CHECK(searchIds(db, "拆迁", "finding") == std::vector<std::string>{kFindingDemolition});
    Transaction tx(db);
    ChangeWriter w(store, tx, "inspector1");
    w.update("complaint", kComplaintWages, {{"status", "assigned"}});
    tx.commit();
    CHECK(count(db, "outbox") == kFixtureRows.at("outbox") + 1);
    CHECK(verifyAudit(db).ok);
}

namespace {
struct QueuedChange {
    int64_t seq;
    std::string changeId, entity, entityId, fields, base, hlc, user, createdAt;
    bool operator==(const QueuedChange&) const = default;
};

std::vector<QueuedChange> outboxRows(Database& db) {
    auto s = db.prepare(
        "SELECT seq, change_id, entity, entity_id, fields, base_versions, hlc, user_id, created_at FROM outbox ORDER BY seq");
    std::vector<QueuedChange> out;
    while (s.step())
        out.push_back({s.getInt(0), s.getText(1), s.getText(2), s.getText(3), s.getText(4), s.getText(5), s.getText(6),
                       s.getText(7), s.getText(8)});
    return out;
}
}  // namespace

// An old store's pending changes still sync after the upgrade: acknowledged as a push answer
// acknowledges them, they leave the outbox and are kept (compressed) for a server restore, their
// versions become the base of the next edit, and a restore queues them again byte for byte.
// The audit chain (events hashed before and after the upgrade) verifies throughout.
TEST_CASE("migrations: an upgraded store's outbox syncs, is kept for a restore, and its audit verifies", "[migrations]") {
    TempDir dir;
    fs::path copy = dir.path / "store.db";
    fs::copy_file(kFixture, copy);
    Store store(copy.string());
    Database& db = store.db();
    std::vector<QueuedChange> before = outboxRows(db);
    REQUIRE(before.size() == static_cast<size_t>(kFixtureRows.at("outbox")));

    std::vector<PushResult> acks;
    int64_t serverSeq = 100;
    for (const auto& c : pendingChanges(db, 1000)) acks.push_back(test::appliedAnswer(c, ++serverSeq));
    recordPushResults(store, acks);
    CHECK(pendingCount(db) == 0);
    auto kept = sentChanges(db);
    REQUIRE(kept.size() == before.size());
    for (size_t i = 0; i < kept.size(); ++i) {
        CHECK(kept[i].changeId == before[i].changeId);
        CHECK(kept[i].fields == before[i].fields);
        CHECK(kept[i].serverSeq == 101 + static_cast<int64_t>(i));
    }
    // The complaint's status was last acknowledged at some version: the next edit names it as base.
    int64_t complaintVersion = 0;
    for (const auto& k : kept)
        if (k.entityId == kComplaintWages && k.fields.find("\"status\"") != std::string::npos) complaintVersion = k.serverSeq;
    REQUIRE(complaintVersion > 0);
    {
        Transaction tx(db);
        ChangeWriter w(store, tx, "inspector1");
        w.update("complaint", kComplaintWages, {{"status", "assigned"}});
        tx.commit();
    }
    auto next = pendingChanges(db, 10);
    REQUIRE(next.size() == 1);
    CHECK(next[0].baseVersions == Json{{"status", complaintVersion}});
    recordPushResults(store, {{next[0].changeId, "applied", {{"status", 200}}, Json::object()}});

    // HQ restored a backup that holds up to server seq 110: the changes numbered after it (and
    // only those) are queued again as they were first pushed.
    CHECK_FALSE(adoptServerEpoch(store, "epoch-1", 0).restored);
    EpochOutcome o = adoptServerEpoch(store, "epoch-2", 110);
    CHECK(o.restored);
    CHECK(o.requeued == static_cast<int>(before.size()) - 10 + 1);
    auto again = outboxRows(db);
    REQUIRE(again.size() == before.size() - 10 + 1);
    for (size_t i = 0; i + 1 < again.size(); ++i) CHECK(again[i] == before[i + 10]);
    CHECK(again.back().changeId == next[0].changeId);
    CHECK(sentChanges(db).size() == 10);
    CHECK(loadFieldVersions(db, "complaint", kComplaintWages).at("status") == 110);
    CHECK(verifyAudit(db).ok);
}

// A store of schema 9/10 kept acknowledged changes as rows of sent_change and field versions as
// one row per field: the upgrade moves both into their compact forms without losing any.
TEST_CASE("migrations: acknowledged changes and field versions of a schema 9 store survive the upgrade", "[migrations]") {
    TempDir dir;
    fs::path copy = dir.path / "store.db";
    fs::copy_file(kFixture, copy);
    std::vector<QueuedChange> before;
    {
        Database raw(copy.string());
        registerCjkTokenizer(raw.handle());
        for (const auto& m : migrations()) {
            if (m.version <= 1 || m.version > 9) continue;
            Transaction tx(raw);
            raw.exec(m.sql);
            raw.exec("PRAGMA user_version=" + std::to_string(m.version));
            tx.commit();
        }
        before = outboxRows(raw);
        raw.exec(
            "INSERT INTO sent_change(change_id, seq, entity, entity_id, fields, base_versions, hlc, user_id, created_at, "
            "server_seq, acked_at) SELECT change_id, seq, entity, entity_id, fields, base_versions, hlc, user_id, "
            "created_at, 100 + seq, strftime('%Y-%m-%dT%H:%M:%fZ', 'now') FROM outbox; DELETE FROM outbox;");
        raw.exec("INSERT INTO field_meta(entity, entity_id, field, version, hlc, author) VALUES "
                 "('complaint', '" + kComplaintWages + "', 'status', 105, 'h', 'a'), ('complaint', '" + kComplaintWages +
                 "', 'content', 104, 'h', 'a')");
    }
    Store store(copy.string());
    Database& db = store.db();
    CHECK(store.schemaVersion() == Store::latestSchemaVersion());
    CHECK(db.queryInt("SELECT count(*) FROM sqlite_master WHERE name = 'sent_change'") == 0);
    CHECK(count(db, "outbox") == 0);
    auto kept = sentChanges(db);
    REQUIRE(kept.size() == before.size());
    for (size_t i = 0; i < kept.size(); ++i) {
        CHECK(kept[i].seq == before[i].seq);
        CHECK(kept[i].fields == before[i].fields);
        CHECK(kept[i].baseVersions == before[i].base);
        CHECK(kept[i].serverSeq == 100 + before[i].seq);
    }
    CHECK(loadFieldVersions(db, "complaint", kComplaintWages) == FieldVersions{{"content", 104}, {"status", 105}});
    CHECK(loadFieldVersions(db, "finding", kFindingDemolition) == FieldVersions{{"status", 2}, {"title", 3}});

    CHECK_FALSE(adoptServerEpoch(store, "epoch-1", 0).restored);
    EpochOutcome o = adoptServerEpoch(store, "epoch-2", 112);
    CHECK(o.requeued == static_cast<int>(before.size()) - 12);
    auto again = outboxRows(db);
    REQUIRE(again.size() == before.size() - 12);
    for (size_t i = 0; i < again.size(); ++i) CHECK(again[i] == before[i + 12]);
    CHECK(verifyAudit(db).ok);
    CHECK(verifyAudit(db).events == kFixtureRows.at("audit_event") + 1);  // + server_restored
}
