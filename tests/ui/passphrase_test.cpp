// The passphrase screens of the window: changing it in 设置 → 安全 (bad input refused with the
// string tables' words, then the new one signs in and the old one no longer does), and HQ
// recovery of a forgotten one through the screens alone — the device's 忘记口令 saves a request
// with the file chooser, HQ answers it in 系统管理 → 口令恢复 (audited), the device opens the
// answer, sets a new passphrase and is in. Both end in the device's audit chain, the reset
// matching HQ's entry of the answer. Opening evidence in an outside program while signed
// in: the temporary plaintext copy goes when the window locks and when it closes; a photo is
// shown inside the window instead, with no copy at all.
#include <stb_image_write.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <linux/magic.h>

#include <cstdlib>
#include <fstream>

#include "app/evidence_commands.h"
#include "app/finding_commands.h"
#include "app/outside_viewer.h"
#include "app/paths.h"
#include "app/protection.h"
#include "base/sha256.h"
#include "store/audit.h"
#include "ui_harness.h"

using namespace jc;
using namespace jc::test;

namespace {

const std::string kOld = "旧的口令 old secret", kNew = "新的口令 new secret 2";

void signInWith(UiHarness& h, const std::string& pass) {
    h.click("signin.passphrase");
    h.type(pass);
    h.click("signin.button");
    h.waitUntil([&] { return !h.shell().busy() || h.shell().gate() == ui::Gate::Open; }, "the passphrase checked", 10);
    h.runUntil([&] { return h.shell().gate() == ui::Gate::Open || h.find("signin.error"); }, 5);
}

void fill(UiHarness& h, const std::string& name, const std::string& text) {
    h.click(name);
    h.key('A', true);
    h.key(kKeyBackspace);
    h.type(text);
}

// A protected store of inspector 张伟, signed out, with HQ's public key when given.
Seed protectedStore(const fs::path& dir, const std::string& pass, const std::string& hqKey = "",
                    const std::string& suite = "default") {
    ::setenv("JIANCHA_KDF", "fast", 1);
    protectNewStore(dir, suite, pass, hqKey);
    Seed s = seedStore(dir);
    signOut(dir);
    return s;
}

}  // namespace

TEST_CASE("设置 → 安全 names the suite the store is encrypted with", "[ui][crypto]") {
    for (auto [suite, shown] : {std::pair{"default", "settings.protection.suite_default"},
                                std::pair{"gm", "settings.protection.suite_gm"}}) {
        INFO(suite);
        TempDir dir("passphrase_ui");
        protectedStore(dir.path, kOld, "", suite);
        UiHarness h(dir.path, "");
        h.settle();
        signInWith(h, kOld);
        REQUIRE(h.shell().gate() == ui::Gate::Open);
        h.settle();
        h.click("nav.settings");
        h.settle();
        CHECK(h.find(shown));
        CHECK_FALSE(h.find(std::string(suite) == "gm" ? "settings.protection.suite_default" : "settings.protection.suite_gm"));
    }
}

TEST_CASE("the passphrase is changed in 设置 → 安全: the new one signs in, the old one no longer", "[ui][crypto]") {
    TempDir dir("passphrase_ui");
    protectedStore(dir.path, kOld);
    {
        UiHarness h(dir.path, "");
        h.settle();
        signInWith(h, kOld);
        REQUIRE(h.shell().gate() == ui::Gate::Open);
        h.settle();
        h.click("nav.settings");
        h.settle();
        CHECK(h.find("settings.protection.on"));

        // Each bad form is refused with its reason, and nothing changes.
        fill(h, "passphrase.current", kOld);
        fill(h, "passphrase.new", kNew);
        fill(h, "passphrase.repeat", kNew + "x");
        h.click("passphrase.change");
        CHECK(contains(h.screenText(), "两次输入的口令不一致"));
        fill(h, "passphrase.new", "短口令");
        fill(h, "passphrase.repeat", "短口令");
        h.click("passphrase.change");
        CHECK(contains(h.screenText(), "口令至少要有 8 个字符"));
        fill(h, "passphrase.current", "不是这个口令 wrong");
        fill(h, "passphrase.new", kNew);
        fill(h, "passphrase.repeat", kNew);
        h.click("passphrase.change");
        h.settle();
        CHECK(contains(h.screenText(), "当前口令不对；口令没有更换。"));
        CHECK(checkPassphrase(dir.path, kOld));

        fill(h, "passphrase.current", kOld);
        h.click("passphrase.change");
        h.settle();
        CHECK(contains(h.screenText(), "口令已更换"));
        CHECK_FALSE(h.find("passphrase.error"));
    }
    CHECK(storeLockState(dir.path) == StoreLock::Locked);  // the window closed: the key wiped

    UiHarness h(dir.path, "");
    h.settle();
    signInWith(h, kOld);
    CHECK(h.shell().gate() == ui::Gate::SignIn);
    CHECK(contains(h.screenText(), "口令错误"));
    signInWith(h, kNew);
    REQUIRE(h.shell().gate() == ui::Gate::Open);
    h.settle();
    CHECK(h.shell().session().actor.name == "张伟");
    // One change, by the window's user, in the device's audit chain (the refused ones left nothing).
    Store store(storePath(dir.path).string());
    auto changes = listAudit(store.db(), 0, 100, "passphrase_change");
    REQUIRE(changes.size() == 1);
    CHECK(changes[0].actor == "张伟");
    CHECK(verifyAudit(store.db()).ok);
}

TEST_CASE("a forgotten passphrase is reset through HQ with the window's screens only", "[ui][crypto]") {
    TempDir hqDir("recovery_hq"), device("recovery_device"), files("recovery_files");
    std::string hqKey;
    {
        Store hq(storePath(hqDir.path).string());
        hqKey = initStore(hq, InitOptions{"总部管理员", Role::HqAdmin, "", ""}).hqPublicKey;
    }
    protectedStore(device.path, "忘掉了的口令 forgotten", hqKey);

    {  // The device: 忘记口令 → the request, saved with the file chooser.
        UiHarness h(device.path, "");
        h.settle();
        h.click("signin.forgot");
        h.frame();
        CHECK(h.find("recovery.title"));
        h.click("recovery.make_request");
        h.settle();
        h.saveAs(files.path, "恢复请求");
        CHECK(h.find("recovery.note"));
        CHECK(h.shell().gate() == ui::Gate::SignIn);  // nothing opened
    }
    fs::path request = files.path / "恢复请求.txt";
    REQUIRE(fs::exists(request));

    {  // HQ: 系统管理 → 口令恢复: open the request, answer it, save the answer.
        UiHarness h(hqDir.path, "总部管理员");
        h.settle();
        h.click("nav.admin");
        h.settle();
        h.click("admin.tab.recovery");
        h.click("admin.recovery_open");
        h.settle();
        h.pickFiles(files.path, {"恢复请求.txt"});
        REQUIRE(h.find("admin.recovery_request"));
        CHECK(contains(h.screenText(), recoveryFingerprint(readRecoveryFile(request, RecoveryText::Request))));
        h.click("admin.recovery_answer");
        h.settle();
        h.saveAs(files.path, "总部答复");
        CHECK(h.find("admin.recovery_note"));
    }
    REQUIRE(fs::exists(files.path / "总部答复.txt"));
    {
        Store hq(storePath(hqDir.path).string());
        CHECK(hq.db().queryInt("SELECT count(*) FROM audit_event WHERE action = 'recovery_answer' AND actor = '总部管理员'") == 1);
        CHECK(verifyAudit(hq.db()).ok);
    }

    {  // The device: the answer and a new passphrase, twice → signed in.
        UiHarness h(device.path, "");
        h.settle();
        h.click("signin.forgot");
        h.click("recovery.open_answer");
        h.settle();
        h.pickFiles(files.path, {"总部答复.txt"});
        CHECK(contains(h.screenText(), "jiancha-recovery-answer:"));
        fill(h, "recovery.passphrase", kNew);
        fill(h, "recovery.repeat", kNew);
        h.click("recovery.reset");
        h.waitUntil([&] { return h.shell().gate() == ui::Gate::Open; }, "signed in after the reset", 15);
        h.settle();
        CHECK(h.shell().session().actor.name == "张伟");
        CHECK(contains(h.screenText(), "口令已通过总部恢复并重设"));
    }
    CHECK(checkPassphrase(device.path, kNew));
    CHECK_FALSE(checkPassphrase(device.path, "忘掉了的口令 forgotten"));
    // The reset is in the device's audit chain, matching HQ's answer by the request's SHA-256.
    REQUIRE(signIn(device.path, kNew));
    Store hq(storePath(hqDir.path).string()), store(storePath(device.path).string());
    auto answered = listAudit(hq.db(), 0, 100, "recovery_answer");
    auto reset = listAudit(store.db(), 0, 100, "passphrase_recovery_reset");
    REQUIRE(answered.size() == 1);
    REQUIRE(reset.size() == 1);
    CHECK(reset[0].actor == "张伟");
    CHECK(reset[0].detail["request_sha256"] == sha256Hex(readRecoveryFile(request, RecoveryText::Request)));
    CHECK(reset[0].detail["request_sha256"] == answered[0].detail["request_sha256"]);
    CHECK(reset[0].detail["answer_sha256"] == answered[0].detail["answer_sha256"]);
    CHECK(verifyAudit(store.db()).ok);
}

TEST_CASE("evidence opened in an outside program: the plaintext copy goes when the window locks or closes", "[ui][crypto]") {
    TempDir dir("viewer_ui"), bin("viewer_bin");
    char run[] = "/dev/shm/jc-run-XXXXXX";
    REQUIRE(::mkdtemp(run) != nullptr);
    struct statfs sfs {};
    if (::statfs(run, &sfs) != 0 || static_cast<unsigned long>(sfs.f_type) != TMPFS_MAGIC) {
        fs::remove_all(run);
        WARN("/dev/shm is not tmpfs here: nothing to test against");
        return;
    }
    ::setenv("XDG_RUNTIME_DIR", run, 1);
    // The desktop's xdg-open, standing in: it keeps the file open a while, as a viewer does.
    std::ofstream(bin.path / "xdg-open") << "#!/bin/sh\nexec >/dev/null 2>&1 </dev/null\nexec 3<\"$1\"\nsleep 4\n";
    fs::permissions(bin.path / "xdg-open", fs::perms::owner_all);
    std::string oldPath = std::getenv("PATH") ? std::getenv("PATH") : "";
    ::setenv("PATH", (bin.path.string() + ":" + oldPath).c_str(), 1);
    ::unsetenv("JIANCHA_NO_OPEN");

    Seed seed = protectedStore(dir.path, kOld);
    std::string finding;
    REQUIRE(signIn(dir.path, kOld));
    {
        Store store(storePath(dir.path).string());
        AppContext ctx = appContext(store, "张伟");
        finding = createFinding(ctx, findingFields(seed.campaignId, "wage_arrears", "拖欠工资"));
        fs::path src = dir.path / "工资表.pdf";
        std::ofstream(src, std::ios::binary) << "%PDF-1.4 plaintext wage table";
        addEvidence(ctx, "finding", finding, src.string(), "");
        fs::remove(src);
        fs::path photo = dir.path / "现场.png";
        std::vector<unsigned char> px(64 * 48 * 3, 200);
        REQUIRE(stbi_write_png(photo.c_str(), 64, 48, 3, px.data(), 64 * 3));
        addEvidence(ctx, "finding", finding, photo.string(), "");
        fs::remove(photo);
    }
    signOut(dir.path);
    fs::path root = fs::path(run) / "jiancha-open";
    fs::create_directories(root / "999999999-1" / "1");  // left behind by a client that crashed
    std::ofstream(root / "999999999-1" / "1" / "旧.pdf") << "plaintext";

    std::vector<fs::path> copies;
    {
        UiHarness h(dir.path, "");
        CHECK_FALSE(fs::exists(root / "999999999-1"));  // swept at start
        h.settle();
        signInWith(h, kOld);
        REQUIRE(h.shell().gate() == ui::Gate::Open);
        h.settle();
        h.shell().openFinding(finding);
        h.settle();
        // A photo is shown inside the window: no copy for anyone.
        h.click("evidence.open.现场.png");
        h.waitUntil([&] { return h.find("evidence.viewer.image").has_value(); }, "the photo in the built-in viewer", 10);
        CHECK(h.shell().outsideViewer().copies().empty());
        h.click("evidence.viewer.close");
        h.frame();
        CHECK_FALSE(h.find("evidence.viewer"));
        h.click("evidence.open.工资表.pdf");
        copies = h.shell().outsideViewer().copies();
        REQUIRE(copies.size() == 1);
        struct stat st {};
        REQUIRE(::stat(copies[0].c_str(), &st) == 0);
        CHECK((st.st_mode & 0777) == 0600);
        CHECK(contains(h.screenText(), "临时明文副本"));
        h.shell().lockNow();
        CHECK_FALSE(fs::exists(copies[0]));  // locked: gone
        h.frame();
        h.frame();
        CHECK(h.find("signin.locked_title"));

        signInWith(h, kOld);
        REQUIRE(h.shell().gate() == ui::Gate::Open);
        h.settle();
        h.click("evidence.open.工资表.pdf");
        copies = h.shell().outsideViewer().copies();
        REQUIRE(copies.size() == 1);
        CHECK(fs::exists(copies[0]));
    }  // the window closes
    CHECK_FALSE(fs::exists(copies[0]));
    ::setenv("PATH", oldPath.c_str(), 1);
    ::unsetenv("XDG_RUNTIME_DIR");
    fs::remove_all(run);
}
