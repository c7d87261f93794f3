// First run: with no store the window asks for the user (name, role) and sets the store up
// like `jiancha init`; the shortcuts and navigation appear once there is a user. Also the
// settings screen: switching the language to English and back.
#include "ui_harness.h"

using namespace jc;
using namespace jc::test;

TEST_CASE("the first-run screen creates the local user and store", "[ui][firstrun]") {
    TempDir dir("firstrun");
    fs::path data = dir.path / "new-device";
    {
        UiHarness h(data, "");
        h.settle();
        REQUIRE(h.find("enrol.submit").has_value());  // enrolling with HQ is the usual way
        CHECK_FALSE(h.find("nav.new_finding").has_value());
        h.click("firstrun.mode_local");
        REQUIRE(h.find("firstrun.create").has_value());
        h.click("##firstrun.name");
        h.type("李娜");
        h.click("##firstrun.team");
        h.type("甘州区第一检查组");
        h.click("firstrun.create");
        h.settle(120);
        CHECK(h.find("nav.new_finding").has_value());
    }
    Store store((data / "jiancha.db").string());
    Actor a = loadActor(store, "");
    CHECK(a.name == "李娜");
    CHECK(a.role == Role::Inspector);
    CHECK_FALSE(a.teamId.empty());
    CHECK(store.db().queryInt("SELECT count(*) FROM region") > 40000);
    CHECK(store.db().queryInt("SELECT count(*) FROM form_template") >= 6);
}

TEST_CASE("settings switch the interface language", "[ui][settings]") {
    TempDir dir("settings");
    seedStore(dir.path);
    UiHarness h(dir.path, "张伟");
    h.settle();
    h.click("nav.settings");
    h.click("settings.en");
    h.settle();
    CHECK(ui::i18n().english());
    CHECK(std::string(ui::tr("nav.home")) == "Home");
    h.click("settings.zh");
    h.settle();
    CHECK_FALSE(ui::i18n().english());
    CHECK(ui::UiSettings::load(dir.path / "ui.json").language == "zh_CN");
    CHECK(ui::i18n().missingLookups() == 0);
}
