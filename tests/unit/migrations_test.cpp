// Schema migrations keep every row of an old store. tests/fixtures/store_v1.db is a small store
// written at schema version 1 (by the hidden [.make-fixture] case below, once, when v1 was the
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
#include "support/temp_dir.h"

using namespace jc;
namespace fs = std::filesystem;

namespace {

const fs::path kFixture = fs::path(JIANCHA_TEST_FIXTURES) / "store_v1.db";

// Fixed ids so the test can look records up after the upgrade.
const std::string kCampaign = "0190a000-0000-7000-8000-0000000000c1";
const std::string kUnit = "0190a000-0000-7000-8000-0000000000a1";
const std::string kFindingDemolition = "0190a000-0000-7000-8000-0000000000f1";
const std::string kFindingDeleted = "0190a000-0000-7000-8000-0000000000f4";
const std::string kComplaintWages = "0190a000-0000-7000-8000-0000000000e1";

// Rows per table in the fixture, as written by the generator below.
const std::map<std::string, int64_t> kFixtureRows = {
    {"unit", 2},         {"person", 1},        {"campaign", 1},     {"finding", 4},      {"complaint", 3},
    {"rectification", 1}, {"comment", 1},       {"case_event", 1},   {"evidence", 1},     {"outbox", 17},
    {"field_meta", 2},   {"audit_event", 18},  {"region", 4},       {"calendar_day", 3}, {"search_rowid", 7},
    {"search_index", 6}, {"meta", 3},
};

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
        CHECK(count(db, table) == rows);
    }

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
    auto hits = searchIds(db, "拆迁", "finding");
    CHECK(hits == std::vector<std::string>{kFindingDemolition});
    ChangeWriter w(store, "inspector1");
    Transaction tx(db);
    w.update("complaint", kComplaintWages, {{"status", "assigned"}});
    tx.commit();
    CHECK(count(db, "outbox") == kFixtureRows.at("outbox") + 1);
    CHECK(verifyAudit(db).ok);
}

// Writes tests/fixtures/store_v1.db. Run explicitly (store_v1 must stay a v1 store, so this
// refuses to run once a later schema version exists):
//   build/tests/migrations_test "[.make-fixture]"
TEST_CASE("migrations: make the v1 store fixture", "[.make-fixture]") {
    REQUIRE(Store::latestSchemaVersion() == 1);
    fs::remove(kFixture);
    {
        Store store(kFixture.string());
        Database& db = store.db();
        ChangeWriter w(store, "inspector1");
        Transaction tx(db);
        w.insert("campaign",
                 {{"title", "2026年张掖市专项行政效能监察"},
                  {"areas", {"hot_issues"}},
                  {"categories", {"demolition", "wage_arrears"}},
                  {"period_start", "2026-03-01"},
                  {"period_end", "2026-12-31"},
                  {"status", "active"},
                  {"complaint_deadline_days", 15},
                  {"number_prefix", "张监"}},
                 kCampaign);
        w.insert("unit", {{"name", "甘州区住建局"}, {"kind", "department"}, {"region_code", "620702"}}, kUnit);
        std::string unit2 = w.insert("unit", {{"name", "张掖市某化工厂"}, {"kind", "enterprise"}});
        w.insert("person", {{"name", "王堃"}, {"unit_id", kUnit}, {"post", "副局长"}});
        w.insert("finding",
                 {{"campaign_id", kCampaign},
                  {"category", "demolition"},
                  {"title", "城南片区拆迁补偿不到位"},
                  {"narrative", "强制拆迁，补偿款未足额发放"},
                  {"region_code", "620702001"},
                  {"subject_unit_id", kUnit},
                  {"field_values", {{"households", 12}, {"forced", true}}},
                  {"status", "draft"}},
                 kFindingDemolition);
        w.update("finding", kFindingDemolition, {{"title", "城南片区拆迁补偿不到位（已核实）"}, {"status", "submitted"}});
        std::string f2 = w.insert("finding", {{"campaign_id", kCampaign},
                                              {"category", "pollution"},
                                              {"title", "企业违法排污"},
                                              {"subject_unit_id", unit2},
                                              {"gps_lat", 38.93},
                                              {"gps_lon", 100.45},
                                              {"status", "submitted"}});
        w.insert("finding", {{"campaign_id", kCampaign},
                             {"category", "demolition"},
                             {"title", "旧城改造拆除迁移"},
                             {"status", "draft"}});
        w.insert("finding", {{"campaign_id", kCampaign}, {"category", "demolition"}, {"title", "重复录入"},
                             {"status", "draft"}},
                 kFindingDeleted);
        w.remove("finding", kFindingDeleted);
        w.insert("complaint", {{"title", "拖欠农民工工资"},
                               {"channel", "hotline"},
                               {"received_at", "2026-03-02T08:00:00.000Z"},
                               {"first_contact_handler", "李明"},
                               {"anonymous", true},
                               {"respondent_unit_id", kUnit},
                               {"content", "欠薪三个月，多次讨要未果"},
                               {"deadline", "2026-03-23"},
                               {"status", "received"}},
                 kComplaintWages);
        w.insert("complaint", {{"title", "監察投訴"},
                               {"channel", "letter"},
                               {"received_at", "2026-03-03T01:30:00.000Z"},
                               {"first_contact_handler", "李明"},
                               {"content", "鄉鎮幹部作風粗暴"},
                               {"status", "received"}});
        w.insert("complaint", {{"title", "审批超时"},
                               {"channel", "web"},
                               {"received_at", "2026-03-04T02:00:00.000Z"},
                               {"first_contact_handler", "赵敏"},
                               {"content", "营业执照办理超过法定时限"},
                               {"status", "received"}});
        w.insert("rectification", {{"finding_id", f2},
                                   {"required_action", "停产整顿，安装在线监测"},
                                   {"deadline", "2026-04-30"},
                                   {"status", "ordered"}});
        w.insert("comment", {{"entity", "finding"}, {"entity_id", kFindingDemolition}, {"body", "请补充证据"},
                             {"author", "lead1"}});
        w.insert("case_event", {{"entity", "finding"},
                                {"entity_id", kFindingDemolition},
                                {"action", "submit"},
                                {"from_status", "draft"},
                                {"to_status", "submitted"},
                                {"actor", "inspector1"},
                                {"at", "2026-03-05T03:00:00.000Z"}});
        w.insert("evidence", {{"owner_entity", "finding"},
                              {"owner_id", kFindingDemolition},
                              {"sha256", std::string(64, 'a')},
                              {"kind", "photo"},
                              {"size", 123456},
                              {"caption", "现场照片"}});
        w.audit("read_complainant", "complaint", kComplaintWages, {{"reason", "核实"}});
        db.exec("INSERT INTO field_meta(entity, entity_id, field, version, hlc, author) VALUES "
                "('finding', '" + kFindingDemolition + "', 'title', 3, '', 'server'), "
                "('finding', '" + kFindingDemolition + "', 'status', 2, '', 'server')");
        db.exec("INSERT INTO region(code, name, parent_code, level) VALUES ('62', '甘肃省', NULL, 1), "
                "('6207', '张掖市', '62', 2), ('620702', '甘州区', '6207', 3), ('620702001', '东街街道', '620702', 4)");
        db.exec("INSERT INTO calendar_day(day, kind, name) VALUES ('2026-01-01', 'holiday', '元旦|New Year''s Day'), "
                "('2026-01-04', 'workday', '元旦|New Year''s Day'), ('2026-02-17', 'holiday', '春节|Spring Festival')");
        store.setMeta("fixture", "store_v1 for tests/unit/migrations_test.cpp");
        tx.commit();
    }
    {
        // One self-contained file: no -wal next to it.
        Database raw(kFixture.string());
        raw.exec("PRAGMA journal_mode = DELETE");
        raw.exec("PRAGMA page_size = 1024");  // small pages keep the committed file small
        raw.exec("VACUUM");
    }
    Database check(kFixture.string(), true);
    registerCjkTokenizer(check.handle());
    for (const auto& [table, rows] : kFixtureRows) {
        INFO(table);
        CHECK(count(check, table) == rows);
    }
}
