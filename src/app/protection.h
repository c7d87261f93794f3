#pragma once
// Encryption at rest as the GUI and the CLI see it (the mechanics are in store/crypto and
// store/protect.h): whether a data directory's store is protected and signed in, signing in
// and out, protecting a new or an existing store, and reading evidence files whatever their
// form. A protected store cannot be opened (Store throws LockedError) until signIn() put its key
// in this process's memory; signOut() wipes it (the GUI's lock keeps it for the sync worker).
#include <cstdint>
#include <filesystem>
#include <string>

#include "app/context.h"

namespace jc {

enum class StoreLock {
    NoStore,   // nothing created yet
    Plain,     // not protected (created with --no-passphrase, or before protection existed)
    Locked,    // protected, key not in memory
    Unlocked,  // protected and signed in
};

StoreLock storeLockState(const std::filesystem::path& dataDir);
std::string protectionSuite(const std::filesystem::path& dataDir);  // "xchacha20poly1305", "sm4ctr-hmacsm3"; "" when plain
bool hqCanRecover(const std::filesystem::path& dataDir);
void checkSuiteName(const std::string& suite);  // "default" or "gm"; throws ValidationError

// Shortest passphrase a new one may be (a ValidationError says so).
constexpr size_t kMinPassphraseChars = 8;
void checkNewPassphrase(const std::string& passphrase);

// False for a wrong passphrase (nothing changes). Throws StorageError for a damaged key file.
// Wrong passphrases are counted beside the key file, across processes: from the fifth on in a
// row, the next try waits 1, 2, 4 … up to 60 s after the last (LockedError saying how long,
// without trying); a right one resets the count. checkPassphrase() counts the same way.
bool signIn(const std::filesystem::path& dataDir, const std::string& passphrase);
// Seconds before the next sign-in try is allowed (0: now).
double signInWaitSeconds(const std::filesystem::path& dataDir);
void signOut(const std::filesystem::path& dataDir);
// The passphrase is right (the key stays as it is in memory): unlocking an idle-locked window.
bool checkPassphrase(const std::filesystem::path& dataDir, const std::string& passphrase);

// A new store (no database yet): writes its key file and signs in, so the Store then created
// is encrypted from its first page. `suite`: "default" or "gm". `hqPublicKey` may be empty.
void protectNewStore(const std::filesystem::path& dataDir, const std::string& suite, const std::string& passphrase,
                     const std::string& hqPublicKey);

struct ProtectOutcome {
    bool converted = false;
    int64_t rows = 0;
    int64_t evidenceFiles = 0;
};
// Converts the existing plain store in place (store/protect.h), or finishes an earlier run.
ProtectOutcome protectExistingStore(const std::filesystem::path& dataDir, const std::string& suite,
                                    const std::string& passphrase, const std::string& hqPublicKey);

// Changes the passphrase of ctx.store (signed in: the store is open) for ctx.actor: `current`
// must open the store (else LockedError; counted like a wrong sign-in, nothing changes) and
// `replacement` must pass checkNewPassphrase(). Only the data key is rewrapped; nothing else is
// rewritten. The device's audit chain gets "passphrase_change" (the actor; the suite and the key
// file's new argon2id limits — never a passphrase or key). The key file is rewrapped first and
// the audit row written after; when the row cannot be written the old wrap is put back and a
// StorageError says which passphrase opens the store, so a return means both happened.
// The CLI (`passphrase change`) and the GUI (设置 → 安全) both come here.
void changeStorePassphrase(AppContext& ctx, const std::string& current, const std::string& replacement);

// HQ recovery of a forgotten passphrase, as the CLI and the GUI both do it:
//  1. the device makes a request (needs no passphrase; useless without HQ's secret key); the
//     pending request keeps the request's SHA-256;
//  2. HQ answers it with its key (hq_admin on a store holding HQ's secret key), audited on HQ's
//     store as "recovery_answer" with the SHA-256 of the request and of the answer;
//  3. the device applies the answer and sets a new passphrase (then it is signed in, and the
//     count of wrong passphrases is cleared), audited on the device's store as
//     "passphrase_recovery_reset" with the same two SHA-256s (the request's when the pending
//     request still had it) — so an auditor matches the two logs — the suite and KDF limits.
//     The actor is `asUser` ("" = the store's current user), the user the session then runs as.
std::string storeRecoveryRequest(const std::filesystem::path& dataDir);
std::string answerRecoveryRequest(AppContext& hq, const std::string& request);
// Throws ValidationError when the answer is not for this store's pending request. The new
// passphrase is in force once the answer was applied: a failure after that (the audit row could
// not be written) throws a StorageError saying the new passphrase opens the store.
void completeStoreRecovery(const std::filesystem::path& dataDir, const std::string& answer, const std::string& newPassphrase,
                           const std::string& asUser);

// Requests and answers travel as small text files (or pasted text). The token is found in
// `text` wherever it is (a note line before it is fine) and put together again when it was
// broken into lines (a mail program, the window's read-only box); text without one is returned
// trimmed (the step then says it is not a request / an answer).
enum class RecoveryText { Request, Answer };
std::string recoveryToken(const std::string& text, RecoveryText kind);
// The first 16 hex digits of the token's SHA-256 (the audit entry keeps all of it): what HQ reads
// back to the device's user on the phone.
std::string recoveryFingerprint(const std::string& token);
// Reads a request or answer file (at most 64 KiB): its token. Throws ValidationError naming the file.
std::string readRecoveryFile(const std::filesystem::path& file, RecoveryText kind);
// Writes a request or answer file: a line saying what it is and what to do with it, then the token.
void writeRecoveryFile(const std::filesystem::path& file, const std::string& token, RecoveryText kind);

// The plaintext of an evidence file of this data directory's blob folder (decrypted when the
// store is protected). Throws StorageError naming the file when it fails its integrity check.
// An outside viewer gets a temporary copy through app/outside_viewer.h.
std::string readEvidenceFile(const std::filesystem::path& blobFile);

}  // namespace jc
