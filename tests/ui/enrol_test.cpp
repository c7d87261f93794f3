// Enrolment in the window, against a real jiancha-server on loopback: the first-run screen's
// 注册到总部 with the code HQ read out → the store is the enrolled user's, the status bar says
// online and the first pull's campaign is there; a wrong code → the Chinese message and nothing
// created. Settings then show the server, the user and the device, and can leave HQ.
#include "app/paths.h"
#include "support/hq_server.h"
#include "ui/shell/sync_status.h"
#include "ui_harness.h"

using namespace jc;

namespace {
void fill(test::UiHarness& ui, const std::string& name, const std::string& text) {
    ui.click("enrol." + name);
    ui.key('A', true);
    ui.key(test::kKeyBackspace);
    ui.type(text);
}
}  // namespace

TEST_CASE("a new laptop enrols from the first-run screen and syncs", "[ui][enrol]") {
    test::HqServer hq;
    test::TempDir dir("enrol_ui");
    std::filesystem::path data = dir.path / "laptop";
    ui::ShellOptions opt;
    opt.sync.interval = 600;
    opt.sync.enrolCheck = 600;
    {
        test::UiHarness ui(data, "", opt);
        ui.settle();
        REQUIRE(ui.find("enrol.submit"));

        // A wrong code: the message in Chinese, nothing created.
        fill(ui, "server", hq.url());
        fill(ui, "code", "WRNG-CODE-XXXX");
        ui.click("enrol.submit");
        ui.settle();
        ui.waitUntil([&] { return ui.find("enrol.error").has_value(); }, "the error message");
        std::string text = ui.screenText();
        INFO(text);
        CHECK(test::contains(text, "注册码不正确或已被使用"));
        CHECK_FALSE(ui.find("nav.new_finding"));
        {
            Store store(storePath(data).string());
            CHECK_FALSE(store.meta("current_user"));
            CHECK_FALSE(store.meta("sync_token"));
        }

        // The right code, typed the way it was read out: lower case with spaces.
        std::string code = hq.enrollCode("张伟");
        std::string typed;
        for (char c : code) typed += c == '-' ? ' ' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        fill(ui, "code", typed);
        fill(ui, "device_name", "张伟的笔记本");
        ui.click("enrol.submit");
        ui.settle();
        ui.waitUntil([&] { return ui.find("nav.new_finding").has_value(); }, "the navigation of an enrolled user");
        ui.waitUntil([&] {
            const ui::SyncStatus* st = ui.shell().syncStatus();
            return st && st->state == ui::SyncState::Online && !st->syncing && st->last.pulled > 0;
        }, "the first sync");
        ui.settle();
        ui.waitUntil([&] { return !ui.shell().session().campaigns.empty(); }, "the pulled campaign");
        CHECK(ui.shell().session().campaigns.front().title == "2026年张掖市行政效能专项监察");
        CHECK(ui.shell().session().actor.name == "张伟");
        text = ui.screenText();
        INFO(text);
        CHECK(test::contains(text, "在线"));
        CHECK(test::contains(text, "上次成功"));

        // Settings: what this laptop is enrolled as.
        ui.click("nav.settings");
        ui.settle();
        ui.waitUntil([&] { return ui.find("settings.sync_server").has_value(); }, "the sync settings");
        text = ui.screenText();
        INFO(text);
        CHECK(test::contains(text, hq.url()));
        CHECK(test::contains(text, "张伟的笔记本"));
        CHECK(test::contains(text, "张伟 · "));
        CHECK(ui::i18n().missingLookups() == 0);

        // Leaving HQ asks first, then forgets the server; the records stay.
        ui.click("settings.leave");
        ui.click("settings.leave_confirm");
        ui.settle();
        ui.waitUntil([&] { return ui.find("enrol.submit").has_value(); }, "the enrol form in settings");
    }
    Store store(storePath(data).string());
    CHECK_FALSE(store.meta("sync_token"));
    CHECK(store.meta("current_user") == std::optional<std::string>("张伟"));
    CHECK(store.db().queryInt("SELECT count(*) FROM campaign") == 1);
}
