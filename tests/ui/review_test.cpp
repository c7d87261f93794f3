// The review queue as a lead: submitted findings oldest first; R puts the cursor in the comment,
// Ctrl+Enter returns the case with that comment, the next case opens by itself, A accepts it.
#include "app/finding_commands.h"
#include "store/reference_data.h"
#include "ui_harness.h"

using namespace jc;
using namespace jc::test;

namespace {

std::string submittedFinding(Store& store, const std::string& campaign, const std::string& title, const std::string& region) {
    AppContext ctx{store, loadActor(store, "张伟"), calendarFromStore(store), std::nullopt};
    FieldMap f = {{"campaign_id", campaign},
                  {"category", "wage_arrears"},
                  {"area", "hotspot_issues"},
                  {"title", title},
                  {"region_code", region},
                  {"narrative", "经查，该项目拖欠农民工工资。"},
                  {"field_values",
                   {{"employer", "喆达劳务公司"}, {"project", "东街改造"}, {"workers_affected", 12}, {"amount_owed", 1500000},
                    {"months_overdue", 3}}}};
    std::string id = createFinding(ctx, f);
    transitionFinding(ctx, id, "submit");
    return id;
}

std::string status(Store& store, const std::string& id) { return store.require("finding", id)["status"].get<std::string>(); }

}  // namespace

TEST_CASE("a lead works through the review queue with single keystrokes", "[ui][review]") {
    TempDir dir("review");
    Seed seed = seedStore(dir.path);
    std::string first, second;
    {
        Store store((dir.path / "jiancha.db").string());
        std::string town = regionChildren(store.db(), "620702").front().code;
        first = submittedFinding(store, seed.campaignId, "第一件：欠薪未清偿", town);
        second = submittedFinding(store, seed.campaignId, "第二件：工资保证金未缴", town);
    }
    UiHarness h(dir.path, "陈静");
    h.settle();
    h.click("nav.review");
    h.settle();
    REQUIRE(h.find("review.title").has_value());

    // R without a comment: the cursor goes to the comment box; Ctrl+Enter confirms the return.
    h.key('R');
    h.type("请补充欠薪名册和现场照片");
    h.key(kKeyEnter, true);
    h.settle();
    {
        Store store((dir.path / "jiancha.db").string());
        CHECK(status(store, first) == "returned");
        CHECK(store.db().queryInt("SELECT count(*) FROM case_event WHERE entity_id = '" + first +
                                  "' AND action = 'return' AND comment = '请补充欠薪名册和现场照片' AND actor = '陈静'") == 1);
        CHECK(status(store, second) == "submitted");
    }
    // The next case is open: A accepts it.
    h.key('A');
    h.settle();
    {
        Store store((dir.path / "jiancha.db").string());
        CHECK(status(store, second) == "accepted");
    }
    CHECK(h.find("review.accept") == std::nullopt);  // nothing left to review
    CHECK(ui::i18n().missingLookups() == 0);
}

TEST_CASE("dismiss needs a comment", "[ui][review]") {
    TempDir dir("review2");
    Seed seed = seedStore(dir.path);
    std::string id;
    {
        Store store((dir.path / "jiancha.db").string());
        id = submittedFinding(store, seed.campaignId, "重复登记的案件", regionChildren(store.db(), "620702").front().code);
    }
    {
        UiHarness h(dir.path, "陈静");
        h.settle();
        h.click("nav.review");
        h.settle();
        h.click("review.dismiss");  // no comment: nothing happens but the cursor moves to the comment
        h.settle();
        {
            Store store((dir.path / "jiancha.db").string());
            CHECK(status(store, id) == "submitted");
        }
        h.type("与 00001 号重复");
        h.click("review.dismiss");
        h.settle();
        Store store((dir.path / "jiancha.db").string());
        CHECK(status(store, id) == "dismissed");
    }
}
