#pragma once
// Converting a plain store to a protected one in place (`jiancha protect`), and finishing or
// undoing a conversion a crash interrupted. The conversion never edits the plain file:
//   1. a new data key goes to <db>.keys.pending;
//   2. VACUUM INTO writes an encrypted copy <db>.protecting through the encrypting VFS, with the
//      reserved bytes the suite needs; it is checked (integrity_check, the rows of every table);
//   3. the commit point: <db>.protecting is renamed over <db>; then .keys.pending becomes .keys;
//   4. every evidence file is encrypted in place (one by one, each renamed over its plain copy),
//      and plain partial downloads are dropped; a second `protect` finishes this part.
// Before the commit point a crash leaves the plain store untouched (rolled back on next open);
// after it, the next open rolls forward.
#include <cstdint>
#include <filesystem>
#include <string>

#include "store/crypto/cipher.h"

namespace jc {

// Rolls an interrupted conversion back or forward (see above). Cheap; run before every open.
void finishInterruptedProtect(const std::filesystem::path& dbPath);

struct ProtectResult {
    bool converted = false;  // false: the database was protected already (evidence finished only)
    int64_t rows = 0;        // rows copied and checked
    int64_t blobsEncrypted = 0;
};

// Throws ValidationError when the store is missing or was protected with another passphrase
// (a wrong one for the existing key file), StorageError when a step fails (nothing then changes).
ProtectResult protectStore(const std::filesystem::path& dbPath, const std::filesystem::path& blobDir,
                           crypto::Suite suite, const std::string& passphrase, const std::string& hqPublicKey);

// Encrypts the plain evidence files still in `blobDir` (the store must be unlocked).
int64_t protectEvidenceFiles(const std::filesystem::path& dbPath, const std::filesystem::path& blobDir);

}  // namespace jc
