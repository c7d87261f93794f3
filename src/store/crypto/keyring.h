#pragma once
// The process's unlocked store keys. Signing in (key_file.h) puts a store's data key here,
// keyed by the database path; the encrypting VFS and the evidence files find it here. The keys
// live in locked memory (never swapped) and are wiped when forgotten and at exit, so the sync
// worker and every connection of the process share one copy while the screen is locked.
#include <memory>
#include <string>

#include "store/crypto/cipher.h"

namespace jc::crypto {

struct StoreKey {
    Suite suite = Suite::XChaCha;
    std::string fileId;                  // 16 random bytes, the store's identity in associated data
    std::shared_ptr<const Cipher> cipher;
    std::shared_ptr<const SecretBytes> dataKey;  // for rewrapping and evidence file keys
};

// `dbPath` is the main database file; any spelling of the same path finds the same key.
void putStoreKey(const std::string& dbPath, StoreKey key);
std::shared_ptr<const StoreKey> findStoreKey(const std::string& dbPath);  // nullptr when locked
void forgetStoreKey(const std::string& dbPath);
void forgetAllStoreKeys();  // also registered with atexit()

}  // namespace jc::crypto
