#include "store/crypto/enc_vfs.h"

#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <mutex>
#include <string>
#include <vector>

#include "base/db.h"
#include "store/crypto/keyring.h"

namespace jc::crypto {

namespace {

enum class Kind { Plain, MainDb, Wal, Blocked };

constexpr int64_t kBlock = 4096;
constexpr int64_t kWalHeader = 32;
constexpr int64_t kFrameHeader = 24;

struct EncFile {
    sqlite3_file base;
    Kind kind;
    std::shared_ptr<const Cipher>* cipher;  // heap-held: SQLite allocates EncFile as raw memory
    std::string* fileId;
    std::string* name;
    sqlite3_file* real;  // right after this struct
};

std::atomic<uint64_t> g_dbOpened{0}, g_dbSealed{0}, g_walOpened{0}, g_walSealed{0}, g_blkOpened{0}, g_blkSealed{0};
void count(std::atomic<uint64_t>& c) { c.fetch_add(1, std::memory_order_relaxed); }

sqlite3_vfs* g_real = nullptr;
sqlite3_vfs g_vfs;
sqlite3_io_methods g_methods;

std::vector<uint8_t>& scratch() {
    thread_local std::vector<uint8_t> buf(kPageSize + kBlock + 64);
    return buf;
}

void makeAd(const EncFile* f, char tag, int64_t index, uint8_t* ad, size_t& adLen) {
    std::memcpy(ad, f->fileId->data(), f->fileId->size());
    adLen = f->fileId->size();
    ad[adLen++] = static_cast<uint8_t>(tag);
    for (int i = 7; i >= 0; --i) ad[adLen++] = static_cast<uint8_t>(static_cast<uint64_t>(index) >> (8 * i));
}

int authFailure(const EncFile* f, const char* unit, int64_t index) {
    std::string msg = "the file " + *f->name + " failed its integrity check (" + unit + " " + std::to_string(index) +
                      "): it was changed outside Jiancha or is damaged, or it belongs to another store";
    noteIntegrityFailure(msg);
    sqlite3_log(SQLITE_IOERR_DATA, "%s", msg.c_str());
    return SQLITE_IOERR_DATA;
}

bool allZero(const uint8_t* p, size_t n) {
    for (size_t i = 0; i < n; ++i)
        if (p[i]) return false;
    return true;
}

// ---- whole pages (main database, WAL frames): trailer inside the page's reserved bytes ----

// Reads the page stored at physical `off` and decrypts it into `out` (kPageSize bytes).
int readPage(EncFile* f, int64_t off, char tag, int64_t index, uint8_t* out) {
    int rc = f->real->pMethods->xRead(f->real, out, kPageSize, off);
    if (rc == SQLITE_IOERR_SHORT_READ) {
        // Past the end: zeros. A partial WAL frame at the end is a write a crash cut short
        // (SQLite ends the log there); a partial database page is damage.
        if (tag == 'w' || allZero(out, kPageSize)) {
            std::memset(out, 0, kPageSize);
            return rc;
        }
        return authFailure(f, "a truncated page", index);
    }
    if (rc != SQLITE_OK) return rc;
    const Cipher& c = **f->cipher;
    size_t t = c.trailer();
    uint8_t ad[64];
    size_t adLen = 0;
    makeAd(f, tag, index, ad, adLen);
    uint8_t trailer[64];
    std::memcpy(trailer, out + kPageSize - t, t);
    count(tag == 'd' ? g_dbOpened : g_walOpened);
    if (!c.open(out, kPageSize - t, ad, adLen, trailer, out)) return authFailure(f, tag == 'd' ? "page" : "WAL frame", index);
    std::memset(out + kPageSize - t, 0, t);  // SQLite keeps the reserved bytes zero
    return SQLITE_OK;
}

int writePage(EncFile* f, int64_t off, char tag, int64_t index, const uint8_t* plain) {
    const Cipher& c = **f->cipher;
    size_t t = c.trailer();
    if (tag == 'd' && index == 1 && plain[20] < t) {
        std::string msg = "refusing to write " + *f->name + ": its pages have no room for the encryption trailer";
        noteIntegrityFailure(msg);
        return SQLITE_IOERR_WRITE;
    }
    uint8_t* buf = scratch().data();
    uint8_t ad[64];
    size_t adLen = 0;
    makeAd(f, tag, index, ad, adLen);
    count(tag == 'd' ? g_dbSealed : g_walSealed);
    c.seal(plain, kPageSize - t, ad, adLen, buf, buf + kPageSize - t);
    return f->real->pMethods->xWrite(f->real, buf, kPageSize, off);
}

// Maps a byte range of a paged file onto its units: calls onPage(physOff, tag, index, from, len)
// for each overlapped page region and onPlain(off, len) for header bytes kept as written.
template <class PageFn, class PlainFn>
int walkPaged(EncFile* f, int64_t off, int64_t n, PageFn onPage, PlainFn onPlain) {
    int64_t pos = off, end = off + n;
    while (pos < end) {
        int64_t pageStart, pageIndex;
        char tag;
        if (f->kind == Kind::MainDb) {
            pageIndex = pos / kPageSize;
            pageStart = pageIndex * kPageSize;
            pageIndex += 1;  // SQLite numbers pages from 1
            tag = 'd';
        } else {
            if (pos < kWalHeader) {
                int64_t len = std::min(end, kWalHeader) - pos;
                if (int rc = onPlain(pos, len); rc != SQLITE_OK) return rc;
                pos += len;
                continue;
            }
            int64_t rel = pos - kWalHeader, frame = rel / (kFrameHeader + kPageSize);
            int64_t frameStart = kWalHeader + frame * (kFrameHeader + kPageSize);
            if (pos < frameStart + kFrameHeader) {
                int64_t len = std::min(end, frameStart + kFrameHeader) - pos;
                if (int rc = onPlain(pos, len); rc != SQLITE_OK) return rc;
                pos += len;
                continue;
            }
            pageStart = frameStart + kFrameHeader;
            pageIndex = frame;
            tag = 'w';
        }
        int64_t len = std::min(end, pageStart + kPageSize) - pos;
        if (int rc = onPage(pageStart, tag, pageIndex, pos - pageStart, len); rc != SQLITE_OK) return rc;
        pos += len;
    }
    return SQLITE_OK;
}

int pagedRead(EncFile* f, void* out, int amt, int64_t off) {
    auto* dst = static_cast<uint8_t*>(out);
    bool shortRead = false;
    int rc = walkPaged(
        f, off, amt,
        [&](int64_t start, char tag, int64_t index, int64_t from, int64_t len) {
            uint8_t* page = scratch().data() + kPageSize;  // the second half: writePage uses the first
            int r = readPage(f, start, tag, index, page);
            if (r == SQLITE_IOERR_SHORT_READ) {
                shortRead = true;
                std::memset(dst + (start + from - off), 0, static_cast<size_t>(len));
                return SQLITE_OK;
            }
            if (r != SQLITE_OK) return r;
            std::memcpy(dst + (start + from - off), page + from, static_cast<size_t>(len));
            return SQLITE_OK;
        },
        [&](int64_t pos, int64_t len) {
            int r = f->real->pMethods->xRead(f->real, dst + (pos - off), static_cast<int>(len), pos);
            if (r == SQLITE_IOERR_SHORT_READ) {
                shortRead = true;
                return SQLITE_OK;
            }
            return r;
        });
    if (rc != SQLITE_OK) return rc;
    return shortRead ? SQLITE_IOERR_SHORT_READ : SQLITE_OK;
}

int pagedWrite(EncFile* f, const void* in, int amt, int64_t off) {
    const auto* src = static_cast<const uint8_t*>(in);
    return walkPaged(
        f, off, amt,
        [&](int64_t start, char tag, int64_t index, int64_t from, int64_t len) {
            if (from == 0 && len == kPageSize) return writePage(f, start, tag, index, src + (start - off));
            std::vector<uint8_t> page(kPageSize);  // a partial page: read, change, seal again
            int r = readPage(f, start, tag, index, page.data());
            if (r != SQLITE_OK && r != SQLITE_IOERR_SHORT_READ) return r;
            if (r == SQLITE_IOERR_SHORT_READ) std::fill(page.begin(), page.end(), 0);
            std::memcpy(page.data() + from, src + (start + from - off), static_cast<size_t>(len));
            return writePage(f, start, tag, index, page.data());
        },
        [&](int64_t pos, int64_t len) {
            return f->real->pMethods->xWrite(f->real, src + (pos - off), static_cast<int>(len), pos);
        });
}

// ---- blocked files (journals, temporary files): each 4096-byte block followed by its trailer ----

int64_t physBlock(const EncFile* f) { return kBlock + static_cast<int64_t>((*f->cipher)->trailer()); }

int blockedSize(EncFile* f, int64_t& logical) {
    sqlite3_int64 phys = 0;
    int rc = f->real->pMethods->xFileSize(f->real, &phys);
    if (rc != SQLITE_OK) return rc;
    int64_t pb = physBlock(f), t = pb - kBlock;
    int64_t full = phys / pb, rem = phys % pb;
    logical = full * kBlock + (rem > t ? rem - t : 0);
    return SQLITE_OK;
}

// Reads block `k` into out; `len` = its plaintext length (0 past the end).
int readBlock(EncFile* f, int64_t k, uint8_t* out, int64_t& len) {
    const Cipher& c = **f->cipher;
    int64_t pb = physBlock(f), t = static_cast<int64_t>(c.trailer());
    std::vector<uint8_t> buf(static_cast<size_t>(pb));
    int64_t logical = 0;
    if (int rc = blockedSize(f, logical); rc != SQLITE_OK) return rc;
    len = std::clamp<int64_t>(logical - k * kBlock, 0, kBlock);
    if (len == 0) return SQLITE_OK;
    int rc = f->real->pMethods->xRead(f->real, buf.data(), static_cast<int>(len + t), k * pb);
    if (rc != SQLITE_OK) return rc == SQLITE_IOERR_SHORT_READ ? authFailure(f, "block", k) : rc;
    uint8_t ad[64];
    size_t adLen = 0;
    makeAd(f, 'j', k, ad, adLen);
    count(g_blkOpened);
    if (!c.open(buf.data(), static_cast<size_t>(len), ad, adLen, buf.data() + len, out)) return authFailure(f, "block", k);
    return SQLITE_OK;
}

int writeBlock(EncFile* f, int64_t k, const uint8_t* plain, int64_t len) {
    const Cipher& c = **f->cipher;
    std::vector<uint8_t> buf(static_cast<size_t>(len) + c.trailer());
    uint8_t ad[64];
    size_t adLen = 0;
    makeAd(f, 'j', k, ad, adLen);
    count(g_blkSealed);
    c.seal(plain, static_cast<size_t>(len), ad, adLen, buf.data(), buf.data() + len);
    return f->real->pMethods->xWrite(f->real, buf.data(), static_cast<int>(buf.size()), k * physBlock(f));
}

int blockedRead(EncFile* f, void* out, int amt, int64_t off) {
    auto* dst = static_cast<uint8_t*>(out);
    std::vector<uint8_t> block(kBlock);
    bool shortRead = false;
    for (int64_t pos = off, end = off + amt; pos < end;) {
        int64_t k = pos / kBlock, from = pos % kBlock, len = 0;
        int64_t take = std::min(end - pos, kBlock - from);
        if (int rc = readBlock(f, k, block.data(), len); rc != SQLITE_OK) return rc;
        int64_t have = std::clamp<int64_t>(len - from, 0, take);
        std::memcpy(dst + (pos - off), block.data() + from, static_cast<size_t>(have));
        if (have < take) {
            std::memset(dst + (pos - off) + have, 0, static_cast<size_t>(take - have));
            shortRead = true;
        }
        pos += take;
    }
    return shortRead ? SQLITE_IOERR_SHORT_READ : SQLITE_OK;
}

int blockedWrite(EncFile* f, const void* in, int amt, int64_t off) {
    const auto* src = static_cast<const uint8_t*>(in);
    std::vector<uint8_t> block(kBlock);
    for (int64_t pos = off, end = off + amt; pos < end;) {
        int64_t k = pos / kBlock, from = pos % kBlock, len = 0;
        int64_t take = std::min(end - pos, kBlock - from);
        if (from == 0 && take == kBlock) {
            len = kBlock;
        } else {
            if (int rc = readBlock(f, k, block.data(), len); rc != SQLITE_OK) return rc;
            if (len < from) std::fill(block.begin() + len, block.begin() + from, 0);
            len = std::max(len, from + take);
        }
        std::memcpy(block.data() + from, src + (pos - off), static_cast<size_t>(take));
        if (int rc = writeBlock(f, k, block.data(), len); rc != SQLITE_OK) return rc;
        pos += take;
    }
    return SQLITE_OK;
}

int blockedTruncate(EncFile* f, int64_t size) {
    int64_t k = size / kBlock, rem = size % kBlock, pb = physBlock(f);
    if (rem == 0) return f->real->pMethods->xTruncate(f->real, k * pb);
    std::vector<uint8_t> block(kBlock);
    int64_t len = 0;
    if (int rc = readBlock(f, k, block.data(), len); rc != SQLITE_OK) return rc;
    if (len < rem) std::fill(block.begin() + len, block.begin() + rem, 0);
    if (int rc = writeBlock(f, k, block.data(), rem); rc != SQLITE_OK) return rc;
    return f->real->pMethods->xTruncate(f->real, k * pb + rem + (pb - kBlock));
}

// ---- io methods ----

EncFile* asEnc(sqlite3_file* p) { return reinterpret_cast<EncFile*>(p); }

int xClose(sqlite3_file* p) {
    EncFile* f = asEnc(p);
    int rc = f->real->pMethods ? f->real->pMethods->xClose(f->real) : SQLITE_OK;
    delete f->cipher;
    delete f->fileId;
    delete f->name;
    f->cipher = nullptr;
    f->fileId = f->name = nullptr;
    return rc;
}
int xRead(sqlite3_file* p, void* out, int amt, sqlite3_int64 off) {
    EncFile* f = asEnc(p);
    switch (f->kind) {
        case Kind::MainDb:
        case Kind::Wal: return pagedRead(f, out, amt, off);
        case Kind::Blocked: return blockedRead(f, out, amt, off);
        default: return f->real->pMethods->xRead(f->real, out, amt, off);
    }
}
int xWrite(sqlite3_file* p, const void* in, int amt, sqlite3_int64 off) {
    EncFile* f = asEnc(p);
    switch (f->kind) {
        case Kind::MainDb:
        case Kind::Wal: return pagedWrite(f, in, amt, off);
        case Kind::Blocked: return blockedWrite(f, in, amt, off);
        default: return f->real->pMethods->xWrite(f->real, in, amt, off);
    }
}
int xTruncate(sqlite3_file* p, sqlite3_int64 size) {
    EncFile* f = asEnc(p);
    if (f->kind == Kind::Blocked) return blockedTruncate(f, size);
    return f->real->pMethods->xTruncate(f->real, size);
}
int xSync(sqlite3_file* p, int flags) { return asEnc(p)->real->pMethods->xSync(asEnc(p)->real, flags); }
int xFileSize(sqlite3_file* p, sqlite3_int64* size) {
    EncFile* f = asEnc(p);
    if (f->kind == Kind::Blocked) {
        int64_t logical = 0;
        int rc = blockedSize(f, logical);
        *size = logical;
        return rc;
    }
    return f->real->pMethods->xFileSize(f->real, size);
}
int xLock(sqlite3_file* p, int l) { return asEnc(p)->real->pMethods->xLock(asEnc(p)->real, l); }
int xUnlock(sqlite3_file* p, int l) { return asEnc(p)->real->pMethods->xUnlock(asEnc(p)->real, l); }
int xCheckReservedLock(sqlite3_file* p, int* out) {
    return asEnc(p)->real->pMethods->xCheckReservedLock(asEnc(p)->real, out);
}
int xFileControl(sqlite3_file* p, int op, void* arg) {
    EncFile* f = asEnc(p);
    if (op == SQLITE_FCNTL_MMAP_SIZE) {  // no memory mapping: SQLite must read through us
        if (arg) *static_cast<sqlite3_int64*>(arg) = 0;
        return SQLITE_OK;
    }
    return f->real->pMethods->xFileControl(f->real, op, arg);
}
int xSectorSize(sqlite3_file* p) { return asEnc(p)->real->pMethods->xSectorSize(asEnc(p)->real); }
int xDeviceCharacteristics(sqlite3_file* p) {
    EncFile* f = asEnc(p);
    int d = f->real->pMethods->xDeviceCharacteristics(f->real);
    // A blocked file rewrites whole blocks, so a small write is not "power-safe" nor atomic.
    if (f->kind == Kind::Blocked) d &= ~(SQLITE_IOCAP_POWERSAFE_OVERWRITE | SQLITE_IOCAP_ATOMIC | SQLITE_IOCAP_SAFE_APPEND);
    return d;
}
int xShmMap(sqlite3_file* p, int pg, int sz, int extend, void volatile** pp) {
    return asEnc(p)->real->pMethods->xShmMap(asEnc(p)->real, pg, sz, extend, pp);
}
int xShmLock(sqlite3_file* p, int off, int n, int flags) {
    return asEnc(p)->real->pMethods->xShmLock(asEnc(p)->real, off, n, flags);
}
void xShmBarrier(sqlite3_file* p) { asEnc(p)->real->pMethods->xShmBarrier(asEnc(p)->real); }
int xShmUnmap(sqlite3_file* p, int del) { return asEnc(p)->real->pMethods->xShmUnmap(asEnc(p)->real, del); }
int xFetch(sqlite3_file*, sqlite3_int64, int, void** pp) {
    *pp = nullptr;
    return SQLITE_OK;
}
int xUnfetch(sqlite3_file*, sqlite3_int64, void*) { return SQLITE_OK; }

std::string stripSuffix(const std::string& s, const char* suffix) {
    size_t n = std::strlen(suffix);
    return s.size() > n && s.compare(s.size() - n, n, suffix) == 0 ? s.substr(0, s.size() - n) : s;
}

int xOpen(sqlite3_vfs*, sqlite3_filename zName, sqlite3_file* p, int flags, int* outFlags) {
    EncFile* f = asEnc(p);
    std::memset(f, 0, sizeof(EncFile));
    f->real = reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(p) + sizeof(EncFile));
    std::string name = zName ? zName : "(temporary file)";
    std::shared_ptr<const Cipher> cipher;
    std::string fileId;
    Kind kind = Kind::Blocked;
    if (flags & (SQLITE_OPEN_MAIN_DB | SQLITE_OPEN_WAL | SQLITE_OPEN_MAIN_JOURNAL)) {
        std::string db = name;
        if (flags & SQLITE_OPEN_WAL) db = stripSuffix(name, "-wal");
        if (flags & SQLITE_OPEN_MAIN_JOURNAL) db = stripSuffix(name, "-journal");
        auto key = findStoreKey(db);
        if (!key) {
            noteIntegrityFailure("the store " + db + " is locked: sign in with its passphrase first");
            return SQLITE_CANTOPEN;
        }
        cipher = key->cipher;
        fileId = key->fileId;
        kind = (flags & SQLITE_OPEN_MAIN_DB) ? Kind::MainDb : (flags & SQLITE_OPEN_WAL) ? Kind::Wal : Kind::Blocked;
    } else {
        // Temporary files, statement and super journals: a key of their own for this process.
        uint8_t key[kKeyBytes];
        randomBytes(key, sizeof key);
        cipher = makeCipher(Suite::XChaCha, key);
        std::memset(key, 0, sizeof key);
        fileId.assign(16, '\0');
        randomBytes(reinterpret_cast<uint8_t*>(fileId.data()), fileId.size());
    }
    int rc = g_real->xOpen(g_real, zName, f->real, flags, outFlags);
    if (rc != SQLITE_OK) {
        f->real->pMethods = nullptr;
        return rc;
    }
    f->kind = kind;
    f->cipher = new std::shared_ptr<const Cipher>(std::move(cipher));
    f->fileId = new std::string(std::move(fileId));
    f->name = new std::string(name);
    f->base.pMethods = &g_methods;
    return SQLITE_OK;
}

int xDelete(sqlite3_vfs*, const char* z, int sync) { return g_real->xDelete(g_real, z, sync); }
int xAccess(sqlite3_vfs*, const char* z, int flags, int* out) { return g_real->xAccess(g_real, z, flags, out); }
int xFullPathname(sqlite3_vfs*, const char* z, int n, char* out) { return g_real->xFullPathname(g_real, z, n, out); }
void* xDlOpen(sqlite3_vfs*, const char* z) { return g_real->xDlOpen(g_real, z); }
void xDlError(sqlite3_vfs*, int n, char* z) { g_real->xDlError(g_real, n, z); }
void (*xDlSym(sqlite3_vfs*, void* h, const char* z))(void) { return g_real->xDlSym(g_real, h, z); }
void xDlClose(sqlite3_vfs*, void* h) { g_real->xDlClose(g_real, h); }
int xRandomness(sqlite3_vfs*, int n, char* out) { return g_real->xRandomness(g_real, n, out); }
int xSleep(sqlite3_vfs*, int us) { return g_real->xSleep(g_real, us); }
int xCurrentTime(sqlite3_vfs*, double* t) { return g_real->xCurrentTime(g_real, t); }
int xGetLastError(sqlite3_vfs*, int n, char* z) { return g_real->xGetLastError ? g_real->xGetLastError(g_real, n, z) : 0; }
int xCurrentTimeInt64(sqlite3_vfs*, sqlite3_int64* t) { return g_real->xCurrentTimeInt64(g_real, t); }

}  // namespace

VfsCounters vfsCounters() {
    auto v = [](const std::atomic<uint64_t>& c) { return c.load(std::memory_order_relaxed); };
    return {v(g_dbOpened), v(g_dbSealed), v(g_walOpened), v(g_walSealed), v(g_blkOpened), v(g_blkSealed)};
}

const char* registerEncryptingVfs() {
    static std::once_flag once;
    std::call_once(once, [] {
        initSodium();
        g_real = sqlite3_vfs_find(nullptr);
        g_methods = sqlite3_io_methods{3,         xClose,     xRead,   xWrite,     xTruncate,
                                       xSync,     xFileSize,  xLock,   xUnlock,    xCheckReservedLock,
                                       xFileControl, xSectorSize, xDeviceCharacteristics, xShmMap, xShmLock,
                                       xShmBarrier, xShmUnmap, xFetch,  xUnfetch};
        g_vfs = sqlite3_vfs{};
        g_vfs.iVersion = 2;
        g_vfs.szOsFile = static_cast<int>(sizeof(EncFile)) + g_real->szOsFile;
        g_vfs.mxPathname = g_real->mxPathname;
        g_vfs.zName = kVfsName;
        g_vfs.xOpen = xOpen;
        g_vfs.xDelete = xDelete;
        g_vfs.xAccess = xAccess;
        g_vfs.xFullPathname = xFullPathname;
        g_vfs.xDlOpen = xDlOpen;
        g_vfs.xDlError = xDlError;
        g_vfs.xDlSym = xDlSym;
        g_vfs.xDlClose = xDlClose;
        g_vfs.xRandomness = xRandomness;
        g_vfs.xSleep = xSleep;
        g_vfs.xCurrentTime = xCurrentTime;
        g_vfs.xGetLastError = xGetLastError;
        g_vfs.xCurrentTimeInt64 = xCurrentTimeInt64;
        sqlite3_vfs_register(&g_vfs, 0);
    });
    return kVfsName;
}

}  // namespace jc::crypto
