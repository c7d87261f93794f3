// 变更记录 of a record older than the store's field history: a store written at schema v1
// (tests/fixtures/store_v1.db) is upgraded; its findings' change logs say from when changes are
// recorded field by field (earlier ones have no values before and after). A store created at
// the current schema has no such note.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>

#include "app/change_log.h"
#include "app/finding_commands.h"
#include "app/org_commands.h"
#include "app/setup.h"
#include "store/store.h"
#include "support/store_v1_fixture.h"
#include "support/temp_dir.h"

using namespace jc;
using namespace jc::test;
namespace fs = std::filesystem;

TEST_CASE("the change log says where the field history of an upgraded store begins", "[history]") {
    TempDir dir;
    fs::path copy = dir.path / "store.db";
    fs::copy_file(fs::path(JIANCHA_TEST_FIXTURES) / "store_v1.db", copy);
    Store store(copy.string());
    auto since = store.meta("field_history_since");
    REQUIRE(since.has_value());
    // The v1 fixture has no user records: an HQ reader by name.
    Actor reader;
    reader.name = "总部管理员";
    reader.role = Role::HqAdmin;
    AppContext ctx{store, reader, calendarFromStore(store), std::nullopt};
    auto log = changeLog(ctx, "finding", store_v1::kFindingDemolition);
    REQUIRE(log.size() >= 2);
    CHECK(log[0].kind == "created");
    auto gap = std::find_if(log.begin(), log.end(), [](const ChangeLogEntry& e) { return e.kind == "history_gap"; });
    REQUIRE(gap != log.end());
    CHECK(gap->at == *since);
    CHECK(log[0].at < gap->at);
}

TEST_CASE("a store created with field history has no gap in its change logs", "[history]") {
    TempDir dir;
    Store store((dir.path / "jiancha.db").string());
    initStore(store, InitOptions{"总部管理员", Role::HqAdmin, "", ""});
    CHECK_FALSE(store.meta("field_history_since").has_value());
    AppContext hq{store, loadActor(store, "总部管理员"), calendarFromStore(store), std::nullopt};
    CampaignInput c;
    c.title = "2026年张掖市行政效能专项监察";
    c.regionScope = {"6207"};
    std::string campaign = createCampaign(hq, c);
    std::string id = createFinding(hq, {{"campaign_id", campaign},
                                        {"category", "wage_arrears"},
                                        {"title", "工地拖欠农民工工资"},
                                        {"region_code", "620702101"},
                                        {"area", "hotspot_issues"}});
    editFinding(hq, id, {{"title", "工地拖欠农民工工资（复核）"}});
    for (const auto& e : changeLog(hq, "finding", id)) CHECK(e.kind != "history_gap");
}
