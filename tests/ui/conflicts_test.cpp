// The conflicts view as a lead: a conflict pulled from the server shows the record, both values
// and both authors; keeping the overwritten version asks for confirmation, then rewrites the
// record and takes the conflict off the open list ("show resolved" brings it back, decided).
// Inspectors do not get the view in their navigation.
#include "app/conflict_commands.h"
#include "app/finding_commands.h"
#include "core/dates.h"
#include "store/reference_data.h"
#include "store/sync_state.h"
#include "ui_harness.h"

using namespace jc;
using namespace jc::test;

namespace {

// A finding by 张伟 and a conflict about its title exactly as a pull brings it: 王磊's title won.
struct ConflictStore {
    std::string finding, conflict;
};

ConflictStore seedConflict(const fs::path& dir, const std::string& campaign) {
    Store store((dir / "jiancha.db").string());
    AppContext ctx{store, loadActor(store, "张伟"), calendarFromStore(store), std::nullopt};
    ConflictStore out;
    out.finding = createFinding(ctx, {{"campaign_id", campaign},
                                      {"category", "demolition"},
                                      {"area", "hotspot_issues"},
                                      {"title", "城区拆迁补偿不到位（王磊核实）"},
                                      {"region_code", regionChildren(store.db(), "620702").front().code}});
    out.conflict = newUuidV7();
    RemoteChange rc;
    rc.serverSeq = pullCursor(store) + 1;
    rc.entity = "conflict";
    rc.entityId = out.conflict;
    rc.fields = {{"entity", "finding"},
                 {"entity_id", out.finding},
                 {"field", "title"},
                 {"winner_value", {{"value", "城区拆迁补偿不到位（王磊核实）"}}},
                 {"loser_value", {{"value", "城区拆迁补偿款拖欠（张伟更正）"}}},
                 {"winner_author", "王磊"},
                 {"loser_author", "张伟"},
                 {"winner_at", "2026-09-28T02:10:00Z"},
                 {"loser_at", "2026-09-28T02:05:00Z"},
                 {"created_at", nowIso()},
                 {"created_by", "server"}};
    rc.versions = Json::object();
    rc.author = "server";
    applyRemoteChanges(store, {rc}, rc.serverSeq);
    return out;
}

}  // namespace

TEST_CASE("a lead sees both versions of a conflict with their authors and keeps one", "[ui][conflicts]") {
    TempDir dir("conflicts");
    Seed seed = seedStore(dir.path);
    ConflictStore cs = seedConflict(dir.path, seed.campaignId);

    UiHarness h(dir.path, "陈静");
    h.settle();
    CHECK(h.find("nav.conflicts.badge.1").has_value());  // the navigation says one is waiting
    h.click("nav.conflicts");
    h.settle();
    INFO("widgets on screen: " << h.knownNames());
    REQUIRE(h.find("conflicts.keep_loser.0").has_value());
    CHECK(h.find("conflicts.winner_by.王磊").has_value());
    CHECK(h.find("conflicts.loser_by.张伟").has_value());
    CHECK(h.find("conflicts.winner_text.城区拆迁补偿不到位（王磊核实）").has_value());
    CHECK(h.find("conflicts.loser_text.城区拆迁补偿款拖欠（张伟更正）").has_value());
    CHECK(h.find("conflicts.record.0").has_value());
    // Side by side: the overwritten version is to the right of the one applied.
    CHECK(h.find("conflicts.loser_value.0")->x0 > h.find("conflicts.winner_value.0")->x1);

    // Keeping a version asks first; cancel leaves everything as it was.
    h.click("conflicts.keep_loser.0");
    REQUIRE(h.find("conflicts.confirm").has_value());
    h.click("conflicts.cancel");
    h.settle();
    CHECK_FALSE(h.find("conflicts.confirm").has_value());
    {
        Store store((dir.path / "jiancha.db").string());
        CHECK(store.require("conflict", cs.conflict)["resolution"].is_null());
    }

    h.click("conflicts.keep_loser.0");
    h.click("conflicts.confirm");
    h.settle();
    {
        Store store((dir.path / "jiancha.db").string());
        FieldMap c = store.require("conflict", cs.conflict);
        CHECK(c["resolution"] == "kept_loser");
        CHECK(c["resolved_by"] == "陈静");
        CHECK(store.require("finding", cs.finding)["title"] == "城区拆迁补偿款拖欠（张伟更正）");
    }
    // Off the open list and the navigation's count …
    CHECK_FALSE(h.find("nav.conflicts.badge.1").has_value());
    CHECK(h.find("nav.conflicts").has_value());
    CHECK_FALSE(h.find("conflicts.keep_loser.0").has_value());
    CHECK_FALSE(h.find("conflicts.record.0").has_value());
    // … and listed as decided, with no buttons, when resolved ones are shown.
    h.click("conflicts.show_resolved");
    h.settle();
    CHECK(h.find("conflicts.record.0").has_value());
    CHECK(h.find("conflicts.loser_by.张伟").has_value());
    CHECK_FALSE(h.find("conflicts.keep_loser.0").has_value());
    CHECK(ui::i18n().missingLookups() == 0);
}

TEST_CASE("inspectors have no conflicts view in their navigation", "[ui][conflicts]") {
    TempDir dir("conflicts_insp");
    Seed seed = seedStore(dir.path);
    seedConflict(dir.path, seed.campaignId);
    UiHarness h(dir.path, "张伟");
    h.settle();
    REQUIRE(h.find("nav.home").has_value());
    CHECK_FALSE(h.find("nav.conflicts").has_value());
}

TEST_CASE("a lead keeps a third value of their own, typed with the field's editor", "[ui][conflicts]") {
    TempDir dir("conflicts_own");
    Seed seed = seedStore(dir.path);
    ConflictStore cs = seedConflict(dir.path, seed.campaignId);
    UiHarness h(dir.path, "陈静");
    h.settle();
    h.click("nav.conflicts");
    h.settle();
    h.click("conflicts.own_value.0");
    h.settle();
    INFO("widgets on screen: " << h.knownNames());
    REQUIRE(h.find("form.title"));  // the title's own editor, holding the record's value
    h.click("form.title");
    h.key(kKeyEnd);
    for (int i = 0; i < 9; ++i) h.key(kKeyBackspace);  // "不到位（王磊核实）"
    h.type("款拖欠、补偿不到位");
    h.click("conflicts.own_value_keep");
    h.settle();
    {
        Store store((dir.path / "jiancha.db").string());
        FieldMap c = store.require("conflict", cs.conflict);
        CHECK(c["resolution"] == "custom");
        CHECK(store.require("finding", cs.finding)["title"] == "城区拆迁补偿款拖欠、补偿不到位");
    }
    CHECK_FALSE(h.find("conflicts.own_value.0"));

    // Which fields take a value of one's own (codes are checked as codes, other kinds by the writer).
    CHECK(conflictTakesOwnValue("finding", "severity"));
    CHECK(conflictTakesOwnValue("complaint", "deadline"));
    CHECK_FALSE(conflictTakesOwnValue("finding", "status"));
    CHECK_FALSE(conflictTakesOwnValue("finding", "subject_unit_id"));
}
