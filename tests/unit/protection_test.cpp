// app/protection.h as the device's audit chain sees it: a passphrase change is recorded on the
// device's own store for the acting user (the suite and KDF limits, never a secret), a wrong
// current passphrase records and changes nothing, a change whose audit row cannot be written is
// undone; a reset through HQ (request → HQ's answer → completion) is recorded with the SHA-256s
// of the request and of the answer, the same two HQ's "recovery_answer" entry holds, and both
// chains verify.
#include <catch2/catch.hpp>

#include <cstdlib>

#include "app/paths.h"
#include "app/protection.h"
#include "app/sealing.h"
#include "app/setup.h"
#include "base/sha256.h"
#include "core/error.h"
#include "store/audit.h"
#include "store/crypto/key_file.h"
#include "store/crypto/sign_in_throttle.h"
#include "support/app_setup.h"
#include "support/hq_admin_store.h"
#include "support/temp_dir.h"

using namespace jc;
using namespace jc::test;
namespace fs = std::filesystem;

namespace {

const std::string kOld = "旧口令 old passphrase", kNew = "新口令 new passphrase 2";

// Every column of every audit row, for "no secret in the log".
std::string auditText(Store& store) {
    std::string all;
    auto s = store.db().prepare("SELECT actor, action, entity, entity_id, detail FROM audit_event");
    while (s.step())
        for (int i = 0; i < 5; ++i) all += s.getText(i) + "\n";
    return all;
}

std::vector<AuditEvent> events(Store& store, const std::string& action) { return listAudit(store.db(), 0, 1000, action); }

// A protected device store of inspectors 张伟 and 李娜, 李娜 its current user (so an entry
// naming 张伟 was not taken from the store's current user). Signed in.
struct Device {
    TempDir dir{"protection"};
    explicit Device(const std::string& hqKey = "", const std::string& passphrase = kOld) {
        ::setenv("JIANCHA_KDF", "fast", 1);
        protectNewStore(dir.path, "default", passphrase, hqKey);
        Store store(storePath(dir.path).string());
        initStore(store, InitOptions{"张伟", Role::Inspector, "", hqKey});
        initStore(store, InitOptions{"李娜", Role::Inspector, "", ""});
    }
    fs::path db() const { return storePath(dir.path); }
};

}  // namespace

TEST_CASE("a passphrase change is audited on the device for the acting user, with no secret", "[app][crypto][audit]") {
    Device d;
    Store store(d.db().string());
    AppContext ctx = appContext(store, "张伟");
    REQUIRE(store.meta("current_user") == "李娜");
    int64_t before = verifyAudit(store.db()).events;

    // Refused changes record nothing and change nothing: a wrong current passphrase (counted
    // like a wrong sign-in), a too short new one.
    CHECK_THROWS_AS(changeStorePassphrase(ctx, "不是这个口令 wrong", kNew), LockedError);
    CHECK(crypto::readSignInFailures(d.db()).count == 1);
    CHECK_THROWS_AS(changeStorePassphrase(ctx, kOld, "短"), ValidationError);
    CHECK(verifyAudit(store.db()).events == before);
    CHECK(events(store, "passphrase_change").empty());
    CHECK(checkPassphrase(d.dir.path, kOld));

    changeStorePassphrase(ctx, kOld, kNew);
    auto changed = events(store, "passphrase_change");
    REQUIRE(changed.size() == 1);
    CHECK(changed[0].actor == "张伟");
    CHECK(changed[0].entity == "device");
    CHECK(changed[0].entityId == store.deviceId());
    crypto::KeyFileInfo info = crypto::readKeyFileInfo(d.db());
    CHECK(changed[0].detail["suite"] == "xchacha20poly1305");
    CHECK(changed[0].detail["kdf_ops"] == info.kdf.ops);
    CHECK(changed[0].detail["kdf_mem"] == info.kdf.mem);
    CHECK(changed[0].detail.size() == 3);
    std::string logged = auditText(store);
    CHECK(logged.find(kOld) == std::string::npos);
    CHECK(logged.find(kNew) == std::string::npos);
    CHECK(logged.find("wrong") == std::string::npos);
    AuditCheck check = verifyAudit(store.db());
    CHECK(check.ok);
    CHECK(check.events == before + 1);
    CHECK(checkPassphrase(d.dir.path, kNew));
    CHECK_FALSE(checkPassphrase(d.dir.path, kOld));
}

TEST_CASE("a passphrase change whose audit row cannot be written is undone", "[app][crypto][audit]") {
    Device d;
    Store store(d.db().string());
    AppContext ctx = appContext(store, "张伟");
    store.db().exec("CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_event BEGIN SELECT RAISE(ABORT, 'disk full'); END");
    try {
        changeStorePassphrase(ctx, kOld, kNew);
        FAIL("the change returned without its audit row");
    } catch (const StorageError& e) {
        CHECK(std::string(e.what()).find("disk full") != std::string::npos);
    }
    // The passphrase the user was told did not change still opens the store; the new one not.
    CHECK(checkPassphrase(d.dir.path, kOld));
    CHECK_FALSE(checkPassphrase(d.dir.path, kNew));
    store.db().exec("DROP TRIGGER refuse_audit");
    CHECK(events(store, "passphrase_change").empty());
    CHECK(verifyAudit(store.db()).ok);
}

TEST_CASE("a reset through HQ is audited on the device and matches HQ's entry", "[app][crypto][audit]") {
    HqAdminStore hq("protection_hq", Date{2026, 9, 28}, "总部管理员", false);
    std::string hqKey = hqPublicKey(hq.store);
    REQUIRE_FALSE(hqKey.empty());
    Device d(hqKey, "忘掉了的口令 forgotten");
    {
        Store store(d.db().string());
        store.setMeta("current_user", "张伟");
    }
    signOut(d.dir.path);
    for (int i = 0; i < 6; ++i) crypto::noteSignInFailure(d.db(), crypto::wallClockSeconds());
    REQUIRE(signInWaitSeconds(d.dir.path) > 0);

    // A request made and superseded: HQ's answer to it opens nothing, and nothing is recorded.
    std::string stale = storeRecoveryRequest(d.dir.path);
    std::string staleAnswer = answerRecoveryRequest(hq.ctx, stale);
    std::string request = storeRecoveryRequest(d.dir.path);
    CHECK(crypto::pendingRecoveryRequestSha256(d.db()) == sha256Hex(request));
    CHECK_THROWS_AS(completeStoreRecovery(d.dir.path, staleAnswer, kNew, ""), ValidationError);
    CHECK(storeLockState(d.dir.path) == StoreLock::Locked);

    // The answer as it arrives: in a file's text with its note line, broken into lines.
    std::string answer = answerRecoveryRequest(hq.ctx, request);
    std::string pasted = "总部的答复：\n" + answer.substr(0, 40) + "\n" + answer.substr(40) + "\n";
    completeStoreRecovery(d.dir.path, pasted, kNew, "");
    CHECK(storeLockState(d.dir.path) == StoreLock::Unlocked);
    CHECK(signInWaitSeconds(d.dir.path) == 0);  // HQ vouched: the earlier wrong ones no longer count
    CHECK_FALSE(fs::exists(crypto::signInFailuresPath(d.db())));

    auto answered = events(hq.store, "recovery_answer");
    REQUIRE(answered.size() == 2);
    const AuditEvent& atHq = answered[1];
    CHECK(atHq.actor == "总部管理员");
    CHECK(atHq.detail["request_sha256"] == sha256Hex(request));
    CHECK(atHq.detail["answer_sha256"] == sha256Hex(answer));
    CHECK(verifyAudit(hq.store.db()).ok);

    Store store(d.db().string());
    auto reset = events(store, "passphrase_recovery_reset");
    REQUIRE(reset.size() == 1);  // the stale answer left nothing
    CHECK(reset[0].actor == "张伟");  // the store's user: none was named
    CHECK(reset[0].entityId == store.deviceId());
    // An auditor matches the device's entry with HQ's by both hashes.
    CHECK(reset[0].detail["request_sha256"] == atHq.detail["request_sha256"]);
    CHECK(reset[0].detail["answer_sha256"] == atHq.detail["answer_sha256"]);
    CHECK(reset[0].detail["suite"] == "xchacha20poly1305");
    CHECK(reset[0].detail["kdf_ops"] == crypto::readKeyFileInfo(d.db()).kdf.ops);
    std::string logged = auditText(store);
    CHECK(logged.find(kNew) == std::string::npos);
    CHECK(logged.find(answer.substr(24, 32)) == std::string::npos);  // the answer itself is not kept
    CHECK(verifyAudit(store.db()).ok);
    CHECK(checkPassphrase(d.dir.path, kNew));
}

TEST_CASE("a reset through HQ is audited as the user named for the session", "[app][crypto][audit]") {
    HqAdminStore hq("protection_hq_as", Date{2026, 9, 28}, "总部管理员", false);
    Device d(hqPublicKey(hq.store), "忘掉了的口令 forgotten");
    signOut(d.dir.path);
    std::string request = storeRecoveryRequest(d.dir.path);
    completeStoreRecovery(d.dir.path, answerRecoveryRequest(hq.ctx, request), kNew, "张伟");
    Store store(d.db().string());
    auto reset = events(store, "passphrase_recovery_reset");
    REQUIRE(reset.size() == 1);
    CHECK(reset[0].actor == "张伟");
    CHECK(store.meta("current_user") == "李娜");
    CHECK(verifyAudit(store.db()).ok);
}
