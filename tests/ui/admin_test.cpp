// 系统管理 in the window, against a real jiancha-server on loopback: an HQ administrator's laptop
// creates a user (the form refuses an empty name and a missing team first), issues the user an
// enrolment code shown large, and a second laptop enrols with that code and syncs; the
// administrator then revokes that laptop (after confirming) and its next sync is refused. The
// server's audit log holds each action with the administrator's name and device.
#include "sync/server/admin.h"

#include <regex>

#include "app/paths.h"
#include "support/hq_server.h"
#include "sync/server/open_storage.h"
#include "ui_harness.h"

using namespace jc;
namespace fs = std::filesystem;

namespace {

void fill(test::UiHarness& ui, const std::string& name, const std::string& text) {
    ui.click(name);
    ui.key('A', true);
    ui.key(test::kKeyBackspace);
    ui.type(text);
}

std::optional<server::Account> serverAccount(const std::string& db, const std::string& name) {
    auto storage = server::openStorage(db);
    return storage->read()->accountByName(name);
}
}  // namespace

TEST_CASE("HQ creates a user in 系统管理 who enrols a laptop, then revokes it there", "[ui][admin]") {
    test::HqServer hq;
    {
        auto storage = server::openStorage(hq.db());
        server::Admin(*storage).addUser("王主任", Role::HqAdmin, "");
    }
    test::TempDir dir("admin_ui");
    fs::path data = dir.path / "hq";
    test::enrollDataDir(data, hq.url(), hq.enrollCode("王主任"));
    std::string adminDevice;
    {
        Store st(storePath(data).string());
        sync::SyncEngine e(st, blobDir(data));
        REQUIRE(e.runRecords().ok);
        adminDevice = sync::loadSyncSettings(st)->deviceId;
    }
    ui::ShellOptions opt;
    opt.sync.interval = 600;
    opt.sync.enrolCheck = 600;
    test::UiHarness ui(data, "王主任", opt);
    ui.settle();
    ui.click("nav.admin");
    ui.waitUntil([&] { return ui.find("admin.user.张伟").has_value(); }, "the users from the server");

    // Validation before anything is sent: no name, then no team for an inspector.
    ui.click("admin.user_create");
    ui.waitUntil([&] { return ui.find("admin.form_error").has_value(); }, "the missing-name message");
    CHECK(ui.screenText().find("请填写名称") != std::string::npos);
    fill(ui, "admin.user_name", "赵敏");
    ui.click("admin.role.inspector");
    ui.click("admin.user_create");
    ui.frame();
    CHECK(ui.screenText().find("监察员和检查组组长必须属于一个检查组") != std::string::npos);
    CHECK_FALSE(serverAccount(hq.db(), "赵敏"));

    ui.click("admin.user_team.第一检查组");
    ui.click("admin.user_create");
    ui.waitUntil([&] { return ui.find("admin.user.赵敏").has_value(); }, "the new user in the list");
    auto created = serverAccount(hq.db(), "赵敏");
    REQUIRE(created);
    CHECK(created->role == "inspector");
    CHECK_FALSE(created->teamId.empty());

    // The list's search finds her; the enrolment code is shown large with its expiry.
    fill(ui, "admin.search.users", "赵");
    ui.frame();
    ui.frame();
    CHECK_FALSE(ui.find("admin.user.张伟"));
    REQUIRE(ui.find("admin.user.赵敏"));
    ui.click("admin.issue_code.赵敏");
    ui.waitUntil([&] { return ui.find("admin.code_value").has_value(); }, "the enrolment code");
    std::string text = ui.screenText();
    INFO(text);
    std::smatch m;
    REQUIRE(std::regex_search(text, m, std::regex("[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}")));
    std::string code = m.str();
    CHECK(text.find("有效期至") != std::string::npos);
    auto big = ui.find("admin.code_value");
    REQUIRE(big);
    CHECK(big->y1 - big->y0 > 2.5f * ImGui::GetFontSize());  // large: three times the text size
    ui.click("admin.code_close");

    // A laptop enrols as 赵敏 with the code read out, and syncs.
    fs::path laptop = dir.path / "laptop";
    test::enrollDataDir(laptop, hq.url(), code);
    Store laptopStore(storePath(laptop).string());
    sync::SyncEngine laptopSync(laptopStore, blobDir(laptop));
    REQUIRE(laptopSync.runRecords().ok);
    std::string laptopDevice = sync::loadSyncSettings(laptopStore)->deviceId;

    // Revoke it from the devices tab: asked first; cancelling changes nothing.
    ui.click("admin.refresh");
    ui.click("admin.tab.devices");
    ui.waitUntil([&] { return ui.find("admin.revoke.test-device.赵敏").has_value(); }, "the laptop in the device list");
    ui.click("admin.revoke.test-device.赵敏");
    ui.waitUntil([&] { return ui.find("admin.confirm_no").has_value(); }, "the confirmation");
    CHECK(ui.screenText().find("吊销 赵敏 的设备") != std::string::npos);
    ui.click("admin.confirm_no");
    ui.settle();
    REQUIRE(laptopSync.runRecords().ok);
    ui.click("admin.revoke.test-device.赵敏");
    ui.waitUntil([&] { return ui.find("admin.confirm_yes").has_value(); }, "the confirmation");
    ui.click("admin.confirm_yes");
    ui.waitUntil([&] { return !ui.find("admin.revoke.test-device.赵敏").has_value(); }, "the revoked device");
    auto r = laptopSync.runRecords();
    CHECK_FALSE(r.ok);
    CHECK(r.errorKind == sync::SyncErrorKind::DeviceRevoked);

    // The audit tab and the server's log: each action by 王主任 from this laptop.
    ui.click("admin.tab.audit");
    ui.settle();
    text = ui.screenText();
    CHECK(text.find("吊销设备") != std::string::npos);
    auto storage = server::openStorage(hq.db());
    std::vector<std::string> mine;
    for (const auto& e : server::Admin(*storage).audit(0, 1000))
        if (e.actor == "王主任" && e.deviceId == adminDevice) mine.push_back(e.action);
    CHECK(mine == std::vector<std::string>{"device_enroll", "user_add", "enroll_code_issue", "device_revoke"});
    CHECK(ui::i18n().missingLookups() == 0);
}
