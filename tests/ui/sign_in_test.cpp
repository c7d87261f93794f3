// The sign-in screen of a protected store: nothing of the store is opened before the right
// passphrase; wrong ones are refused and, after five, each further try must wait; the window
// locks itself when idle (the views vanish, the key stays in memory for the workers and sync)
// and opens again with the passphrase. An unprotected store says so in red.
#include <cstdlib>

#include "app/protection.h"
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
