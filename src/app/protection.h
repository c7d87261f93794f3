#pragma once
// Encryption at rest as the GUI and the CLI see it (the mechanics are in store/crypto and
// store/protect.h): whether a data directory's store is protected and signed in, signing in
// and out, protecting a new or an existing store, and reading evidence files whatever their
// form. A protected store cannot be opened (Store throws LockedError) until signIn() put its key
// in this process's memory; signOut() wipes it (the GUI's lock keeps it for the sync worker).
#include <cstdint>
#include <filesystem>
#include <string>

namespace jc {

enum class StoreLock {
    NoStore,   // nothing created yet
    Plain,     // not protected (created with --no-passphrase, or before protection existed)
    Locked,    // protected, key not in memory
    Unlocked,  // protected and signed in
};

StoreLock storeLockState(const std::filesystem::path& dataDir);
std::string protectionSuite(const std::filesystem::path& dataDir);  // "" when plain
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

// Rewraps the data key (signed in); nothing else is rewritten.
void changeStorePassphrase(const std::filesystem::path& dataDir, const std::string& newPassphrase);
// HQ recovery: the device's request, HQ's answer (audited by the caller), the device's reset.
std::string storeRecoveryRequest(const std::filesystem::path& dataDir);
std::string answerRecoveryRequest(const std::string& request, const std::string& hqPublicKey, const std::string& hqSecretKey);
void completeStoreRecovery(const std::filesystem::path& dataDir, const std::string& answer, const std::string& newPassphrase);

// The plaintext of an evidence file of this data directory's blob folder (decrypted when the
// store is protected). Throws StorageError naming the file when it fails its integrity check.
std::string readEvidenceFile(const std::filesystem::path& blobFile);
// A plaintext copy for an outside viewer, in the user's private runtime directory (RAM-backed
// $XDG_RUNTIME_DIR when set); returns its path.
std::filesystem::path evidenceCopyForViewer(const std::filesystem::path& blobFile, const std::string& fileName);

}  // namespace jc
