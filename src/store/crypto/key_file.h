#pragma once
// The key file beside a protected store (<db>.keys, JSON, no secret in clear): the store's
// random 32-byte data key wrapped twice —
//   by a key derived from the user's passphrase (argon2id, libsodium crypto_pwhash; the limits
//     are kept in the file so they can be raised later), sealed with the store's suite;
//   sealed to HQ's public key (libsodium sealed box), so HQ, and nobody else, can recover the
//     store when the passphrase is forgotten.
// Changing the passphrase rewraps the data key; nothing else is re-encrypted.
// Unlocking puts the data key in the process keyring (keyring.h), where the VFS finds it.
#include <cstdint>
#include <filesystem>
#include <string>

#include "store/crypto/cipher.h"

namespace jc::crypto {

std::filesystem::path keyFilePath(const std::filesystem::path& dbPath);  // <db>.keys
bool storeIsProtected(const std::filesystem::path& dbPath);             // its key file exists

struct KdfLimits {
    uint64_t ops = 0;
    size_t mem = 0;
};
// argon2id limits of the product: 3 passes over 64 MiB (~0.3 s on a 2-core laptop, ~0.55 s
// under heavy load; tests/bench/store_bench measures sign-in).
KdfLimits productKdfLimits();
// The limits new key files get: the product's; in a build with JIANCHA_TEST_KDF (the test
// build only, see CMakeLists.txt) JIANCHA_KDF=fast gives libsodium's minimum so test suites that
// create many stores stay quick. unlockStore() rewraps a key file whose limits are below these.
KdfLimits defaultKdfLimits();

struct KeyFileInfo {
    Suite suite = Suite::XChaCha;
    KdfLimits kdf;
    bool hqCanRecover = false;
    std::string hqPublicKey;  // base64, the key the HQ copy is sealed to ("" when none)
};
KeyFileInfo readKeyFileInfo(const std::filesystem::path& dbPath);  // throws StorageError

// Makes a new data key for the store at `dbPath`, writes the key file at `keyFile` (durably:
// temporary file, fsync, rename, fsync of the directory) and puts the key in the keyring.
// `hqPublicKey` (base64) may be empty: sealForHq() adds the HQ copy later (enrolment).
void createStoreKey(const std::filesystem::path& dbPath, const std::filesystem::path& keyFile, Suite suite,
                    const std::string& passphrase, const std::string& hqPublicKey);

// Derives the passphrase key and unwraps the data key into the keyring. False for a wrong
// passphrase (nothing changes); throws StorageError for a missing or damaged key file. A key
// file wrapped with limits below defaultKdfLimits() is rewrapped with them (new salt).
bool unlockStore(const std::filesystem::path& dbPath, const std::string& passphrase);
bool storeIsUnlocked(const std::filesystem::path& dbPath);
// Whether `passphrase` unwraps the key, without touching the keyring (unlocking an idle lock).
bool passphraseOpens(const std::filesystem::path& dbPath, const std::string& passphrase);
void lockStore(const std::filesystem::path& dbPath);  // wipes the key from the keyring

// Rewraps the (unlocked) data key with a new passphrase. Throws StorageError when locked.
void changePassphrase(const std::filesystem::path& dbPath, const std::string& newPassphrase);
// Adds or replaces the copy sealed to HQ's public key (base64). Throws when locked.
void sealForHq(const std::filesystem::path& dbPath, const std::string& hqPublicKey);

// HQ recovery of a forgotten passphrase. The device asks with recoveryRequest() (the HQ-sealed
// data key, base64 text, useless without HQ's secret key); HQ answers with hqRecoverKey() (the
// data key sealed to the device store's own recovery public key, also in the request); the
// device applies the answer with completeRecovery(), which rewraps under a new passphrase.
std::string recoveryRequest(const std::filesystem::path& dbPath);
std::string hqRecoverKey(const std::string& request, const std::string& hqPublicKey, const std::string& hqSecretKey);
void completeRecovery(const std::filesystem::path& dbPath, const std::string& answer, const std::string& newPassphrase);
// The SHA-256 (hex) of the request whose answer completeRecovery() would take, kept with the
// pending request; "" when none is pending (or it was made before requests kept it).
std::string pendingRecoveryRequestSha256(const std::filesystem::path& dbPath);

// base64 helpers shared with the callers of this file.
std::string toBase64(const uint8_t* p, size_t n);
std::string fromBase64(const std::string& s, const char* what);  // throws ValidationError

}  // namespace jc::crypto
