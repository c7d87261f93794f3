#include "app/protection.h"

#include <fcntl.h>
#include <unistd.h>

#include <cmath>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <functional>

#include "app/paths.h"
#include "app/sealing.h"
#include "base/sha256.h"
#include "base/file_io.h"
#include "core/error.h"
#include "core/i18n.h"
#include "core/utf8.h"
#include "store/crypto/blob_file.h"
#include "store/crypto/key_file.h"
#include "store/crypto/keyring.h"
#include "store/crypto/sign_in_throttle.h"
#include "store/audit.h"
#include "store/protect.h"

namespace jc {

namespace fs = std::filesystem;

StoreLock storeLockState(const fs::path& dataDir) {
    fs::path db = storePath(dataDir);
    finishInterruptedProtect(db);
    std::error_code ec;
    bool keys = crypto::storeIsProtected(db);
    if (!keys && !fs::exists(db, ec)) return StoreLock::NoStore;
    if (!keys) return StoreLock::Plain;
    return crypto::storeIsUnlocked(db) ? StoreLock::Unlocked : StoreLock::Locked;
}

std::string protectionSuite(const fs::path& dataDir) {
    fs::path db = storePath(dataDir);
    if (!crypto::storeIsProtected(db)) return "";
    return crypto::suiteName(crypto::readKeyFileInfo(db).suite);
}

bool hqCanRecover(const fs::path& dataDir) {
    fs::path db = storePath(dataDir);
    return crypto::storeIsProtected(db) && crypto::readKeyFileInfo(db).hqCanRecover;
}

void checkSuiteName(const std::string& suite) { crypto::parseSuite(suite); }

void checkNewPassphrase(const std::string& p) {
    if (utf8Chars(p) < kMinPassphraseChars)
        throw ValidationError(trf("app.err_passphrase_short", {std::to_string(kMinPassphraseChars)}));
}

namespace {
// Refuses a try while the delay after repeated wrong passphrases runs (sign_in_throttle.h),
// then counts the outcome.
bool throttledTry(const fs::path& db, const std::function<bool()>& attempt) {
    double wait = crypto::signInWait(db, crypto::wallClockSeconds());
    if (wait > 0)
        throw LockedError(trf("app.err_signin_wait", {std::to_string(static_cast<int64_t>(std::ceil(wait)))}));
    bool ok = attempt();
    if (ok) crypto::noteSignInSuccess(db);
    else crypto::noteSignInFailure(db, crypto::wallClockSeconds());
    return ok;
}
}  // namespace

double signInWaitSeconds(const fs::path& dataDir) {
    return crypto::signInWait(storePath(dataDir), crypto::wallClockSeconds());
}

bool signIn(const fs::path& dataDir, const std::string& passphrase) {
    fs::path db = storePath(dataDir);
    finishInterruptedProtect(db);
    return throttledTry(db, [&] {
        if (crypto::storeIsUnlocked(db)) crypto::lockStore(db);
        return crypto::unlockStore(db, passphrase);
    });
}

void signOut(const fs::path& dataDir) { crypto::lockStore(storePath(dataDir)); }

bool checkPassphrase(const fs::path& dataDir, const std::string& passphrase) {
    fs::path db = storePath(dataDir);
    return throttledTry(db, [&] { return crypto::passphraseOpens(db, passphrase); });
}

void protectNewStore(const fs::path& dataDir, const std::string& suite, const std::string& passphrase,
                     const std::string& hqPublicKey) {
    fs::path db = storePath(dataDir);
    std::error_code ec;
    if (fs::exists(db, ec)) throw ValidationError(trf("app.err_store_exists", {dataDir.string()}));
    checkNewPassphrase(passphrase);
    fs::create_directories(dataDir, ec);
    crypto::createStoreKey(db, crypto::keyFilePath(db), crypto::parseSuite(suite), passphrase, hqPublicKey);
}

ProtectOutcome protectExistingStore(const fs::path& dataDir, const std::string& suite, const std::string& passphrase,
                                    const std::string& hqPublicKey) {
    fs::path db = storePath(dataDir);
    if (!crypto::storeIsProtected(db)) checkNewPassphrase(passphrase);
    else if (!crypto::storeIsUnlocked(db) && !signIn(dataDir, passphrase))  // counted like any sign-in
        throw LockedError(trf("store.err_wrong_passphrase", {db.string()}));
    ProtectResult r = protectStore(db, blobDir(dataDir), crypto::parseSuite(suite), passphrase, hqPublicKey);
    return {r.converted, r.rows, r.blobsEncrypted};
}

namespace {
// What an audit entry of a passphrase change or reset says about the key file: its suite and its
// argon2id limits (no secret: the salt and wrapped keys stay in the key file).
Json keyFileDetail(const fs::path& db) {
    crypto::KeyFileInfo info = crypto::readKeyFileInfo(db);
    return {{"suite", crypto::suiteName(info.suite)}, {"kdf_ops", info.kdf.ops}, {"kdf_mem", info.kdf.mem}};
}

void appendStoreAudit(Store& store, const std::string& actor, const std::string& action, const Json& detail) {
    Transaction tx(store.db());
    appendAudit(store.db(), actor, action, "device", store.deviceId(), detail);
    tx.commit();
}
}  // namespace

void changeStorePassphrase(AppContext& ctx, const std::string& current, const std::string& replacement) {
    fs::path db = ctx.store.db().path();
    if (!crypto::storeIsProtected(db)) throw ValidationError(tr("app.err_store_plain"));
    checkNewPassphrase(replacement);
    // The store is open, so its key is in memory: `current` is checked against the key file,
    // and counted like a sign-in (this is no way around the delay).
    if (!throttledTry(db, [&] { return crypto::passphraseOpens(db, current); }))
        throw LockedError(tr("app.err_current_passphrase_wrong"));
    crypto::changePassphrase(db, replacement);
    try {
        appendStoreAudit(ctx.store, ctx.actor.name, "passphrase_change", keyFileDetail(db));
    } catch (const std::exception& e) {
        // Unaudited, the change does not stand: the old wrap comes back, so the passphrase the
        // user was told did not change is still the one that opens the store.
        std::string why = e.what();
        try {
            crypto::changePassphrase(db, current);
        } catch (const std::exception&) {
            throw StorageError(trf("app.err_passphrase_unaudited_new", {why}));
        }
        throw StorageError(trf("app.err_passphrase_unaudited", {why}));
    }
}

std::string storeRecoveryRequest(const fs::path& dataDir) {
    fs::path db = storePath(dataDir);
    if (!crypto::storeIsProtected(db)) throw ValidationError(tr("app.err_store_plain"));
    return crypto::recoveryRequest(db);
}

std::string answerRecoveryRequest(AppContext& hq, const std::string& request) {
    if (hq.actor.role != Role::HqAdmin || !canOpenSealed(hq.store)) throw ForbiddenError(tr("app.err_recovery_hq_only"));
    std::string token = recoveryToken(request, RecoveryText::Request);
    auto sk = hq.store.meta("hq_secret_key");
    std::string answer = crypto::hqRecoverKey(token, hqPublicKey(hq.store), sk.value_or(""));
    Transaction tx(hq.store.db());
    appendAudit(hq.store.db(), hq.actor.name, "recovery_answer", "device", "",
                {{"request_sha256", sha256Hex(token)}, {"answer_sha256", sha256Hex(answer)}});
    tx.commit();
    return answer;
}

void completeStoreRecovery(const fs::path& dataDir, const std::string& answer, const std::string& newPassphrase,
                           const std::string& asUser) {
    checkNewPassphrase(newPassphrase);
    fs::path db = storePath(dataDir);
    std::string token = recoveryToken(answer, RecoveryText::Answer);
    std::string requestSha = crypto::pendingRecoveryRequestSha256(db);  // the pending request goes with the reset
    crypto::completeRecovery(db, token, newPassphrase);
    crypto::noteSignInSuccess(db);  // HQ vouched for this user: earlier wrong passphrases no longer count
    Store store(db.string());  // the answer must open this store
    store.db().queryInt("SELECT count(*) FROM meta");
    // From here the new passphrase opens the store, whatever follows.
    try {
        Json detail = {{"answer_sha256", sha256Hex(token)}};
        if (!requestSha.empty()) detail["request_sha256"] = requestSha;
        detail.update(keyFileDetail(db));
        std::string actor;
        try {
            actor = loadActor(store, asUser).name;
        } catch (const Error&) {
            actor = asUser;  // not (yet) a user of this store: recorded as named
        }
        appendStoreAudit(store, actor, "passphrase_recovery_reset", detail);
    } catch (const std::exception& e) {
        throw StorageError(trf("app.err_recovery_unaudited", {e.what()}));
    }
}

namespace {
const char* tokenPrefix(RecoveryText kind) {
    return kind == RecoveryText::Request ? "jiancha-recovery-request:" : "jiancha-recovery-answer:";
}
constexpr size_t kRecoveryFileMax = 64 * 1024;
}  // namespace

std::string recoveryToken(const std::string& text, RecoveryText kind) {
    size_t at = text.find(tokenPrefix(kind));
    if (at == std::string::npos) {
        size_t b = text.find_first_not_of(" \t\r\n"), e = text.find_last_not_of(" \t\r\n");
        return b == std::string::npos ? std::string() : text.substr(b, e - b + 1);
    }
    // The prefix, then base64 — possibly broken into lines by a mail program or the screen.
    std::string token = tokenPrefix(kind);
    for (size_t i = at + token.size(); i < text.size(); ++i) {
        char c = text[i];
        if (std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/' || c == '=') token += c;
        else if (c != '\n' && c != '\r' && c != ' ' && c != '\t') break;
    }
    return token;
}

std::string recoveryFingerprint(const std::string& token) { return sha256Hex(token).substr(0, 16); }

std::string readRecoveryFile(const fs::path& file, RecoveryText kind) {
    std::error_code ec;
    auto size = fs::file_size(file, ec);
    if (ec) throw ValidationError(trf("app.err_recovery_file_unreadable", {file.string(), ec.message()}));
    if (size > kRecoveryFileMax)
        throw ValidationError(trf("app.err_recovery_file_large", {file.string(), std::to_string(kRecoveryFileMax / 1024)}));
    FileHandle f = FileHandle::open(file, O_RDONLY);
    std::string text(size, '\0');
    if (!f || (size > 0 && !readAt(f.get(), text.data(), size, 0)))
        throw ValidationError(trf("app.err_recovery_file_unreadable", {file.string(), std::strerror(errno)}));
    std::string token = recoveryToken(text, kind);
    if (token.rfind(tokenPrefix(kind), 0) != 0)
        throw ValidationError(trf(kind == RecoveryText::Request ? "app.err_file_not_request" : "app.err_file_not_answer",
                                  {file.string()}));
    return token;
}

void writeRecoveryFile(const fs::path& file, const std::string& token, RecoveryText kind) {
    std::string text = std::string(tr(kind == RecoveryText::Request ? "app.recovery_request_note" : "app.recovery_answer_note")) +
                       "\n" + token + "\n";
    FileHandle f = FileHandle::open(file, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (!f || !writeAll(f.get(), text.data(), text.size()) || !f.close())
        throw StorageError(trf("app.err_cannot_write", {file.string(), std::strerror(errno)}));
}

std::string readEvidenceFile(const fs::path& blobFile) {
    fs::path db = storePath(blobFile.parent_path().parent_path());
    crypto::BlobReader r(blobFile, crypto::findStoreKey(db.string()));
    return r.readAll();
}

}  // namespace jc
