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
#include "store/fts_tokenizer.h"
#include "store/migrations.h"
#include "store/search_index.h"
#include "store/store.h"
#include "store/writer.h"
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
        // meta gains one row: from when this store's field history is complete. The search
        // index is made again for the current tokens: its records wait for the catch-up.
        if (table == "search_index") CHECK(count(db, "search_index") + count(db, "search_pending") == rows);
        else CHECK(count(db, table) == rows + (table == "meta" ? 1 : 0));
    }
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
