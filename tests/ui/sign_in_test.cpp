// The sign-in screen of a protected store: nothing of the store is opened before the right
// passphrase; wrong ones are refused and, after five, each further try must wait; the window
// locks itself when idle (the views vanish, the key stays in memory for the workers and sync)
// and opens again with the passphrase. A wait left running by earlier wrong passphrases (the
// CLI's, an earlier window's) shows as soon as the window opens or locks, with the seconds the
// CLI would say. An unprotected store says so in red.
#include <cmath>
#include <cstdlib>

#include "app/paths.h"
#include "app/protection.h"
#include "store/crypto/sign_in_throttle.h"
#include "ui_harness.h"

using namespace jc;
using namespace jc::test;

namespace {
void enterPassphrase(UiHarness& h, const std::string& pass) {
    h.click("signin.passphrase");
    h.type(pass);
    h.click("signin.button");
    h.frame();
    h.waitUntil([&] { return !h.find("signin.working"); }, "the passphrase checked (argon2id on its thread)", 10);
    h.frame();
}

// The seconds the sign-in screen shows in "请 N 秒后再试" (-1: none shown).
int shownWait(UiHarness& h) {
    std::string text = h.screenText();
    size_t at = text.find("连续输错口令：请 ");
    if (at == std::string::npos) return -1;
    return std::atoi(text.c_str() + at + std::string("连续输错口令：请 ").size());
}

// The seconds the CLI would give now (app::signInWaitSeconds, rounded up as its message does).
int cliWait(const fs::path& dir) { return static_cast<int>(std::ceil(signInWaitSeconds(dir))); }
}  // namespace

TEST_CASE("a protected store opens only after sign-in, and locks again when idle", "[ui][crypto]") {
    ::setenv("JIANCHA_KDF", "fast", 1);
    TempDir dir("signin");
    protectNewStore(dir.path, "default", "正确的口令 secret", "");
    seedStore(dir.path);
    signOut(dir.path);
    REQUIRE(storeLockState(dir.path) == StoreLock::Locked);

    ui::ShellOptions opt;
    opt.idleLockSeconds = 3600;
    UiHarness h(dir.path, "", opt);
    h.settle();
    CHECK(h.shell().gate() == ui::Gate::SignIn);
    CHECK_FALSE(h.shell().hasJobs());  // the workers (and their connections) start only after sign-in
    CHECK(h.find("signin.title").has_value());
    CHECK_FALSE(h.find("nav.new_finding").has_value());
    CHECK_FALSE(h.find("signin.unprotected").has_value());

    for (int i = 0; i < 5; ++i) {
        enterPassphrase(h, "wrong " + std::to_string(i));
        h.runUntil([&] { return h.shell().gate() != ui::Gate::SignIn || h.find("signin.error"); }, 4);
        CHECK(h.find("signin.error").has_value());
    }
    CHECK(h.shell().gate() == ui::Gate::SignIn);
    CHECK(h.shell().signInDelay() > 0);  // the sixth try has to wait
    h.frame();
    CHECK(h.find("signin.wait").has_value());
    h.waitUntil([&] { return h.shell().signInDelay() <= 0; }, "the retry delay over", 60);

    enterPassphrase(h, "正确的口令 secret");
    h.runUntil([&] { return h.shell().gate() == ui::Gate::Open; }, 6);
    REQUIRE(h.shell().gate() == ui::Gate::Open);
    h.settle();
    CHECK(h.find("nav.new_finding").has_value());
    CHECK(h.shell().session().actor.name == "张伟");

    // Idle: the window locks; the key stays for the workers.
    h.shell().setIdleLockSeconds(1.0);
    h.runUntil([&] { return h.shell().gate() == ui::Gate::Locked; }, 5);
    h.frame();  // the locked screen drawn
    CHECK(h.shell().gate() == ui::Gate::Locked);
    CHECK(h.find("signin.locked_title").has_value());
    CHECK_FALSE(h.find("nav.new_finding").has_value());
    CHECK(storeLockState(dir.path) == StoreLock::Unlocked);
    enterPassphrase(h, "正确的口令 secret");
    h.runUntil([&] { return h.shell().gate() == ui::Gate::Open; }, 6);
    CHECK(h.shell().gate() == ui::Gate::Open);
}

TEST_CASE("an unprotected store is shown in red in the status bar", "[ui][crypto]") {
    TempDir dir("plain");
    seedStore(dir.path);
    UiHarness h(dir.path, "张伟");
    h.settle();
    CHECK(h.shell().gate() == ui::Gate::Open);
    CHECK(h.find("signin.unprotected").has_value());
}

TEST_CASE("a running sign-in wait shows as soon as the window opens or locks, as the CLI counts it", "[ui][crypto]") {
    ::setenv("JIANCHA_KDF", "fast", 1);
    TempDir dir("signin_wait");
    const std::string right = "正确的口令 secret";
    protectNewStore(dir.path, "default", right, "");
    seedStore(dir.path);
    signOut(dir.path);
    fs::path db = storePath(dir.path);
    // Five wrong passphrases (as the CLI or an earlier window count them), and a sixth through
    // the count's own API — sign-in itself refuses to try during the wait: the next try waits 2 s.
    for (int i = 0; i < 5; ++i) REQUIRE_FALSE(signIn(dir.path, "wrong " + std::to_string(i)));
    crypto::noteSignInFailure(db, crypto::wallClockSeconds());
    REQUIRE(crypto::readSignInFailures(db).count == 6);

    UiHarness h(dir.path, "");
    int before = cliWait(dir.path);
    int shown = shownWait(h);  // the first frames: nothing has been typed
    int after = cliWait(dir.path);
    INFO("widgets: " << h.knownNames());
    REQUIRE(after > 0);  // (the window came up within the wait)
    CHECK(h.shell().gate() == ui::Gate::SignIn);
    CHECK(h.find("signin.wait"));
    CHECK(shown >= after);
    CHECK(shown <= before);
    CHECK(h.shell().signInDelay() > 0);

    // The button does nothing while the wait runs, even with the right passphrase typed: no try
    // is made (none counted, none refused).
    h.click("signin.passphrase");
    h.type(right);
    h.click("signin.button");
    h.key(kKeyEnter);
    CHECK_FALSE(h.find("signin.working"));
    CHECK_FALSE(h.find("signin.error"));
    CHECK(h.shell().gate() == ui::Gate::SignIn);
    CHECK(crypto::readSignInFailures(db).count == 6);

    // When it is over the button signs in.
    h.waitUntil([&] { return h.shell().signInDelay() <= 0 && cliWait(dir.path) == 0; }, "the wait over", 10);
    h.frame();
    CHECK_FALSE(h.find("signin.wait"));
    h.click("signin.button");
    h.waitUntil([&] { return h.shell().gate() == ui::Gate::Open; }, "signed in after the wait", 10);
    CHECK_FALSE(fs::exists(crypto::signInFailuresPath(db)));
    h.settle();

    // Five wrong passphrases elsewhere (the CLI, unlocking another window) while this window is
    // open: the lock screen shows the wait at once.
    for (int i = 0; i < 5; ++i) REQUIRE_FALSE(checkPassphrase(dir.path, "wrong again " + std::to_string(i)));
    h.shell().lockNow();
    h.frame();
    h.frame();  // the locked screen drawn (find() answers from the frame before)
    CHECK(h.shell().gate() == ui::Gate::Locked);
    CHECK(h.find("signin.wait"));
    CHECK(shownWait(h) == 1);
    h.waitUntil([&] { return h.shell().signInDelay() <= 0 && cliWait(dir.path) == 0; }, "the wait over", 10);
    enterPassphrase(h, right);
    h.runUntil([&] { return h.shell().gate() == ui::Gate::Open; }, 6);
    CHECK(h.shell().gate() == ui::Gate::Open);
}
