// Writes tests/fixtures/store_v1.db, the schema-version-1 store that tests/unit/migrations_test.cpp
// upgrades. A tool, not a test: run it by hand, and only from a tree whose latest schema version
// is 1 (it refuses otherwise, since the fixture must stay a v1 store):
//   build-test/tests/make_store_v1_fixture [OUTPUT.db]
// The ids and row counts are in support/store_v1_fixture.h, which migrations_test.cpp checks.
#include <filesystem>
#include <iostream>
#include <map>

#include "store/fts_tokenizer.h"
#include "store/store.h"
#include "store/writer.h"
#include "support/store_v1_fixture.h"

using namespace jc;
namespace fs = std::filesystem;

using namespace jc::test::store_v1;

int main(int argc, char** argv) {
    if (Store::latestSchemaVersion() != 1) {
        std::cerr << "the store is at schema version " << Store::latestSchemaVersion()
                  << "; store_v1.db must be written by a v1 store (check out the commit that had v1)\n";
        return 1;
    }
    const fs::path kFixture = argc > 1 ? fs::path(argv[1]) : fs::path(JIANCHA_TEST_FIXTURES) / "store_v1.db";
    fs::remove(kFixture);
    {
        Store store(kFixture.string());
        Database& db = store.db();
        Transaction tx(db);
        ChangeWriter w(store, tx, "inspector1");
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
    int bad = 0;
    for (const auto& [table, rows] : kFixtureRows) {
        int64_t n = check.queryInt("SELECT count(*) FROM " + table);
        if (n != rows) {
            std::cerr << table << ": " << n << " rows, migrations_test expects " << rows << "\n";
            ++bad;
        }
    }
    if (bad) return 1;
    std::cout << "wrote " << kFixture.string() << "\n";
    return 0;
}
