#pragma once
// An encrypting SQLite VFS over the default one ("jiancha-enc"). Every file SQLite writes for a
// protected store is ciphertext on disk:
//   main database: each page sealed on its own with a fresh nonce; nonce and tag sit in the
//     page's reserved bytes (the store sets SQLITE_FCNTL_RESERVE_BYTES to the suite's trailer
//     before the first write); associated data = store identity, "d", page number.
//   WAL: the page of every frame the same way, with the same associated data (the page number
//     from the frame's header), so a checkpoint copies a frame's ciphertext into the database
//     without opening and sealing it again (it is authenticated when the page is next read).
//     The 32-byte WAL header and the 24-byte frame headers (page numbers, salts, checksums: no
//     content) stay as SQLite wrote them, so its own recovery works unchanged. Frames sealed the
//     first way (associated data "w" and the frame's index) are still read from a WAL left over
//     by a crash; that WAL's checkpoint then opens and seals each page.
//     With a second core, WAL pages are sealed by a helper thread while SQLite writes the rest
//     of the commit (parallel_work.h); they are all on disk before the file is next read,
//     synced, sized or closed, and before the commit is published in the WAL index.
//   rollback journal, temporary files, statement journals: cut into 4096-byte blocks, each
//     sealed with its trailer after it (offsets remapped); the journal with the store's key (it
//     must be readable after a crash), temporary files with a random key of their own that dies
//     with the process.
// The key comes from the process keyring (keyring.h) by the database path; opening a store whose
// key is not there fails (SQLITE_CANTOPEN). A unit that fails authentication is never handed to
// SQLite: the read fails with SQLITE_IOERR_DATA and noteIntegrityFailure() names the file and page.
// Memory-mapped I/O is refused (SQLite falls back to reads), so SQLite only ever sees plaintext
// that passed authentication.
#include <cstddef>
#include <cstdint>

namespace jc::crypto {

constexpr const char* kVfsName = "jiancha-enc";
constexpr int kPageSize = 4096;  // the page size of every protected store

// Registers the VFS once per process (not as the default). Returns its name.
const char* registerEncryptingVfs();

// Units opened (decrypted) and sealed (encrypted) by this process since it started, by kind:
// what encryption costs a workload (tests/bench/store_bench reports them per finding).
struct VfsCounters {
    uint64_t dbPagesOpened = 0, dbPagesSealed = 0;
    uint64_t walFramesOpened = 0, walFramesSealed = 0;
    uint64_t walFramesSealedAside = 0;  // of those, by the helper thread (a second core)
    uint64_t walFramesCopied = 0;  // checkpointed into the database as ciphertext
    uint64_t blocksOpened = 0, blocksSealed = 0;  // journals and temporary files
};
VfsCounters vfsCounters();

}  // namespace jc::crypto
