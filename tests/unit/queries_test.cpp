// The app's id lookups from what a person typed (app/queries.h, org_commands.h): the CLI and the
// editor name records by id, number or name through these, and say themselves what none or two
// matches mean.
#include <catch2/catch.hpp>

#include "app/context.h"
#include "app/finding_commands.h"
#include "app/org_commands.h"
#include "app/queries.h"
#include "app/setup.h"
#include "core/error.h"
#include "store/store.h"
#include "support/app_setup.h"
#include "support/temp_dir.h"

using namespace jc;

TEST_CASE("case ids by id or number, deleted ones only when asked, and set-up records by name", "[queries]") {
    test::TempDir dir("queries");
    Store store((dir.path / "jiancha.db").string());
    initStore(store, InitOptions{"总部管理员", Role::HqAdmin, {}, {}});
    AppContext hq = test::appContext(store, "");
    CampaignInput c;
    c.title = "测试专项";
    std::string campaign = createCampaign(hq, c);
    std::string kept = createFinding(hq, test::findingFields(campaign, "wage_arrears", "拖欠工资"));
    std::string dropped = createFinding(hq, test::findingFields(campaign, "wage_arrears", "录错了"));
    deleteDraft(hq, "finding", dropped);
    Database& db = store.db();
    std::string number = store.require("finding", kept)["local_number"].get<std::string>();

    CHECK(caseIdsNamed(db, "finding", kept, true) == std::vector<std::string>{kept});
    CHECK(caseIdsNamed(db, "finding", number, true) == std::vector<std::string>{kept});
    CHECK(caseIdsNamed(db, "finding", dropped, true).empty());
    CHECK(caseIdsNamed(db, "finding", dropped, false) == std::vector<std::string>{dropped});
    CHECK(caseIdsNamed(db, "complaint", number, false).empty());  // numbers name findings only
    CHECK(caseIdsNamed(db, "finding", "no such thing", false).empty());
    CHECK_THROWS_AS(caseIdsNamed(db, "unit", kept, false), UsageError);

    // Names: the oldest of two units with one name; ids work too; deleted and unknown ones do not.
    std::string first = createUnit(hq, "甘州区人社局", "department", "620702");
    std::string second = createUnit(hq, "甘州区人社局", "department", "620702");
    CHECK(findNamedId(db, "unit", "甘州区人社局") == first);
    CHECK(findNamedId(db, "unit", second) == second);
    CHECK(findNamedId(db, "campaign", "测试专项") == campaign);
    CHECK_FALSE(findNamedId(db, "team", "第一组").has_value());
    CHECK_THROWS_AS(findNamedId(db, "finding", "拖欠工资"), UsageError);

    auto units = listSetupRecords(db, "unit", {"name", "region_code"});
    REQUIRE(units.size() == 2);
    CHECK(units[0].id == first);
    CHECK(units[0].values == std::vector<std::string>{"甘州区人社局", "620702"});
    CHECK_THROWS_AS(listSetupRecords(db, "unit", {"name; DROP TABLE unit"}), ValidationError);
    CHECK_THROWS_AS(listSetupRecords(db, "finding", {"title"}), UsageError);
}
