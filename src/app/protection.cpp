#include "app/protection.h"

#include <fcntl.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <functional>

#include "app/paths.h"
#include "base/file_io.h"
#include "core/error.h"
#include "core/i18n.h"
#include "core/utf8.h"
#include "store/crypto/blob_file.h"
#include "store/crypto/key_file.h"
#include "store/crypto/keyring.h"
#include "store/crypto/sign_in_throttle.h"
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

void changeStorePassphrase(const fs::path& dataDir, const std::string& newPassphrase) {
    checkNewPassphrase(newPassphrase);
    crypto::changePassphrase(storePath(dataDir), newPassphrase);
}

std::string storeRecoveryRequest(const fs::path& dataDir) { return crypto::recoveryRequest(storePath(dataDir)); }

std::string answerRecoveryRequest(const std::string& request, const std::string& hqPublicKey, const std::string& hqSecretKey) {
    return crypto::hqRecoverKey(request, hqPublicKey, hqSecretKey);
}

void completeStoreRecovery(const fs::path& dataDir, const std::string& answer, const std::string& newPassphrase) {
    checkNewPassphrase(newPassphrase);
    crypto::completeRecovery(storePath(dataDir), answer, newPassphrase);
}

std::string readEvidenceFile(const fs::path& blobFile) {
    fs::path db = storePath(blobFile.parent_path().parent_path());
    crypto::BlobReader r(blobFile, crypto::findStoreKey(db.string()));
    return r.readAll();
}

fs::path evidenceCopyForViewer(const fs::path& blobFile, const std::string& fileName) {
    const char* run = std::getenv("XDG_RUNTIME_DIR");
    fs::path base = run && *run ? fs::path(run) : fs::temp_directory_path();
    fs::path dir = base / ("jiancha-open-" + std::to_string(::getuid())) / blobFile.filename().string().substr(0, 16);
    std::error_code ec;
    fs::create_directories(dir, ec);
    fs::permissions(dir.parent_path(), fs::perms::owner_all, ec);
    fs::path out = dir / (fileName.empty() ? blobFile.filename().string() : fs::path(fileName).filename().string());
    std::string bytes = readEvidenceFile(blobFile);
    FileHandle f = FileHandle::open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (!f || !writeAll(f.get(), bytes.data(), bytes.size()) || !f.close())
        throw StorageError(trf("app.err_cannot_write", {out.string(), std::strerror(errno)}));
    return out;
}

}  // namespace jc
