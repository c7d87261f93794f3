#pragma once
// Converting a plain store to a protected one in place (`jiancha protect`), and finishing or
// undoing a conversion a crash interrupted. The conversion never edits the plain file:
//   1. a new data key goes to <db>.keys.pending;
//   2. VACUUM INTO writes an encrypted copy <db>.protecting through the encrypting VFS, with the
//      reserved bytes the suite needs; it is checked (integrity_check, the rows of every table);
//   3. the commit point: <db>.protecting is renamed over <db>; then .keys.pending becomes .keys;
//   4. every evidence file is encrypted in place (one by one, each renamed over its plain copy),
//      and plain partial downloads are dropped; a second `protect` finishes this part.
// The plaintext left behind is overwritten with zeros (and fsynced) before it is unlinked: the
// plain WAL once checkpointed, the old database after the commit point (it keeps a second name,
// <db>.plain-wipe, until then, so a crash in between gets it wiped on the next open), each plain
// evidence file once its encrypted copy replaced it, plain partial downloads. This frees the
// blocks without their old content on an ordinary disk filesystem (ext4, xfs); on SSDs (wear
// levelling keeps old copies in the flash) and copy-on-write filesystems (btrfs, ZFS, snapshots)
// the old bytes may survive elsewhere: only a store encrypted from its first write (`init`) or
// full-disk encryption is sure to leave no plaintext behind.
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
