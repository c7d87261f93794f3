#include "store/protect.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstring>
#include <vector>

#include "base/db.h"
#include "base/file_io.h"
#include "core/error.h"
#include "core/i18n.h"
#include "store/crypto/blob_file.h"
#include "store/crypto/enc_vfs.h"
#include "store/crypto/key_file.h"
#include "store/crypto/keyring.h"
#include "store/fts_tokenizer.h"

namespace jc {

namespace fs = std::filesystem;

namespace {

fs::path withSuffix(const fs::path& p, const char* suffix) {
    fs::path q = p;
    q += suffix;
    return q;
}

bool isPlainSqlite(const fs::path& p) {
    FileHandle f = FileHandle::open(p, O_RDONLY);
    char head[16];
    return f && readAt(f.get(), head, 16, 0) && std::memcmp(head, "SQLite format 3", 16) == 0;
}

// The old plain database under a second name from just before the commit point until it has
// been overwritten, so a crash in between still gets it wiped on the next open.
constexpr const char* kOldPlainSuffix = ".plain-wipe";

void removeQuietly(const fs::path& p) {
    std::error_code ec;
    fs::remove(p, ec);
}

void renameDurably(const fs::path& from, const fs::path& to) {
    std::error_code ec;
    fs::rename(from, to, ec);
    if (ec) throw StorageError("cannot rename " + from.string() + " to " + to.string() + ": " + ec.message());
    fsyncDir(to.parent_path());
}

// Rows of every ordinary table, to compare the copy with the original.
std::vector<std::pair<std::string, int64_t>> tableRows(Database& db) {
    std::vector<std::string> names;
    auto s = db.prepare("SELECT name FROM sqlite_schema WHERE type='table' AND rootpage>0 ORDER BY name");
    while (s.step()) names.push_back(s.getText(0));
    std::vector<std::pair<std::string, int64_t>> out;
    for (const auto& n : names) {
        std::string quoted = "\"";
        for (char c : n) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
        quoted += "\"";
        out.emplace_back(n, db.queryInt("SELECT count(*) FROM " + quoted));
    }
    return out;
}

std::string sqlQuote(const std::string& s) {
    std::string q = "'";
    for (char c : s) q += c == '\'' ? std::string("''") : std::string(1, c);
    return q + "'";
}

}  // namespace

void finishInterruptedProtect(const fs::path& dbPath) {
    fs::path pending = withSuffix(crypto::keyFilePath(dbPath), ".pending");
    fs::path copy = withSuffix(dbPath, ".protecting");
    std::error_code ec;
    if (fs::exists(pending, ec)) {
        if (fs::exists(copy, ec) || isPlainSqlite(dbPath)) {
            // Before the commit point: the plain store is the store.
            removeQuietly(copy);
            removeQuietly(withSuffix(copy, "-journal"));
            removeQuietly(withSuffix(copy, "-wal"));
            removeQuietly(pending);
            removeQuietly(withSuffix(dbPath, kOldPlainSuffix));  // a second name of the live plain file
            return;
        }
        renameDurably(pending, crypto::keyFilePath(dbPath));  // after it: finish
    } else if (fs::exists(copy, ec)) {
        removeQuietly(copy);
        removeQuietly(withSuffix(copy, "-journal"));
    }
    // After the commit point: the old plain database still waits to be overwritten.
    fs::path old = withSuffix(dbPath, kOldPlainSuffix);
    if (fs::exists(old, ec) && !isPlainSqlite(dbPath)) wipeAndRemove(old);
}

int64_t protectEvidenceFiles(const fs::path& dbPath, const fs::path& blobDir) {
    auto key = crypto::findStoreKey(dbPath.string());
    if (!key) throw LockedError(trf("store.err_locked", {dbPath.string()}));
    std::error_code ec;
    if (!fs::is_directory(blobDir, ec)) return 0;
    int64_t n = 0;
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(blobDir, ec))
        if (e.is_regular_file()) files.push_back(e.path());
    for (const auto& p : files) {
        std::string name = p.filename().string();
        // Partial downloads and interrupted copies in plaintext: dropped (they come again).
        // Also the second names of plain files a crash left (wipeAndRemove only unlinks a name
        // while another one still holds the same content).
        if (name.find('.') != std::string::npos) {
            if (!crypto::isEncryptedBlob(p)) wipeAndRemove(p);
            continue;
        }
        if (crypto::isEncryptedBlob(p)) continue;
        // The plain content is overwritten once the encrypted file has replaced it; until then
        // it keeps a second name (see above) so a crash cannot leave it on the disk unwiped.
        fs::path old = withSuffix(p, kOldPlainSuffix);
        FileHandle plainFile = FileHandle::open(p, O_RDWR);
        std::error_code linkEc;
        fs::create_hard_link(p, old, linkEc);
        fsyncDir(blobDir);
        crypto::encryptBlobInPlace(p, key);
        if (plainFile) overwriteWithZeros(plainFile.get());
        plainFile.reset();
        removeQuietly(old);
        ++n;
    }
    return n;
}

ProtectResult protectStore(const fs::path& dbPath, const fs::path& blobDir, crypto::Suite suite,
                           const std::string& passphrase, const std::string& hqPublicKey) {
    ProtectResult r;
    finishInterruptedProtect(dbPath);
    std::error_code ec;
    if (!fs::exists(dbPath, ec)) throw ValidationError(trf("store.err_no_store", {dbPath.string()}));
    if (crypto::storeIsProtected(dbPath)) {
        if (!crypto::storeIsUnlocked(dbPath) && !crypto::unlockStore(dbPath, passphrase))
            throw LockedError(trf("store.err_wrong_passphrase", {dbPath.string()}));
        r.blobsEncrypted = protectEvidenceFiles(dbPath, blobDir);
        return r;
    }
    if (passphrase.empty()) throw ValidationError(tr("store.err_empty_passphrase"));
    fs::path pending = withSuffix(crypto::keyFilePath(dbPath), ".pending");
    fs::path copy = withSuffix(dbPath, ".protecting");
    const char* vfs = crypto::registerEncryptingVfs();
    {
        Database plain(dbPath.string(), false, nullptr, true);  // URIs: VACUUM INTO names the VFS
        registerCjkTokenizer(plain.handle());
        // Everything into the database file, but the WAL keeps its bytes (not truncated, not
        // deleted at close) so they can be overwritten before the file is removed.
        int persist = 1;
        sqlite3_file_control(plain.handle(), "main", SQLITE_FCNTL_PERSIST_WAL, &persist);
        plain.exec("PRAGMA journal_size_limit=-1");
        plain.exec("PRAGMA wal_checkpoint(FULL)");
        if (plain.queryInt("PRAGMA page_size") != crypto::kPageSize) throw ValidationError(tr("store.err_page_size"));
        auto before = tableRows(plain);
        crypto::createStoreKey(dbPath, pending, suite, passphrase, hqPublicKey);
        auto key = crypto::findStoreKey(dbPath.string());
        crypto::putStoreKey(copy.string(), *key);  // the copy is the same store: same key, same identity
        try {
            int reserve = static_cast<int>(key->cipher->trailer());
            sqlite3_file_control(plain.handle(), "main", SQLITE_FCNTL_RESERVE_BYTES, &reserve);
            std::string uri = "file:" + copy.string() + "?vfs=" + vfs;
            plain.exec("VACUUM INTO " + sqlQuote(uri));
            fsyncPathOrThrow(copy);
            {
                Database check(copy.string(), false, vfs);
                registerCjkTokenizer(check.handle());
                auto s = check.prepare("PRAGMA integrity_check");
                std::string verdict = s.step() ? s.getText(0) : "";
                if (verdict != "ok") throw StorageError(trf("store.err_copy_integrity", {verdict}));
                auto after = tableRows(check);
                if (after != before) throw StorageError(tr("store.err_copy_rows"));
                for (const auto& [name, n] : after) r.rows += n;
            }
        } catch (...) {
            crypto::forgetStoreKey(copy.string());
            crypto::forgetStoreKey(dbPath.string());
            removeQuietly(copy);
            removeQuietly(withSuffix(copy, "-journal"));
            removeQuietly(withSuffix(copy, "-wal"));
            removeQuietly(withSuffix(copy, "-shm"));
            removeQuietly(pending);
            throw;
        }
        crypto::forgetStoreKey(copy.string());
    }
    // The plain connection is closed and its WAL checkpointed (all of it is in the database file,
    // synced): overwrite the WAL, then drop it and its index.
    wipeAndRemove(withSuffix(dbPath, "-wal"));
    removeQuietly(withSuffix(dbPath, "-shm"));
    removeQuietly(withSuffix(copy, "-wal"));
    removeQuietly(withSuffix(copy, "-shm"));
    // The plain database is overwritten after the commit point, through a descriptor and a
    // second name (kOldPlainSuffix) that outlive the rename.
    fs::path old = withSuffix(dbPath, kOldPlainSuffix);
    FileHandle plainFile = FileHandle::open(dbPath, O_RDWR);
    removeQuietly(old);
    std::error_code linkEc;
    fs::create_hard_link(dbPath, old, linkEc);
    fsyncDir(dbPath.parent_path());
    renameDurably(copy, dbPath);                           // commit point
    renameDurably(pending, crypto::keyFilePath(dbPath));
    if (plainFile) overwriteWithZeros(plainFile.get());
    plainFile.reset();
    if (!linkEc) wipeAndRemove(old);  // its content is zeros now: only unlinks, syncs the directory
    r.converted = true;
    r.blobsEncrypted = protectEvidenceFiles(dbPath, blobDir);
    return r;
}

}  // namespace jc
