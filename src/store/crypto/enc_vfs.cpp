#include "store/crypto/enc_vfs.h"

#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <deque>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "base/db.h"
#include "store/crypto/keyring.h"
#include "store/crypto/parallel_work.h"

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
    // WAL: the main database's file (SQLite's), which says when a checkpoint copies frames;
    // main database: its WAL's file while open.
    EncFile* db;
    EncFile* wal;
    // WAL: pages handed to the helper thread to seal, in the order SQLite wrote them, and the
    // first error writing them out (see writeWalPage / finishPending).
    std::deque<std::shared_ptr<class PageSeal>>* pending;
    int pendingError;
    // WAL: the last frame header written through this file (its offset, -1 none, and page number).
    int64_t lastHeaderAt;
    uint32_t lastHeaderPgno;
    // Main database: between SQLITE_FCNTL_CKPT_START and _DONE, SQLite's checkpoint copies WAL
    // frames here; `copying` is the buffer a frame was last read into as ciphertext, with its
    // trailer's first bytes (see pagedRead / pagedWrite).
    bool inCheckpoint;
    const uint8_t* copying;
    uint8_t copyingTrailer[16];
    sqlite3_file* real;  // right after this struct
};

std::atomic<uint64_t> g_dbOpened{0}, g_dbSealed{0}, g_walOpened{0}, g_walSealed{0}, g_walSealedAside{0}, g_walCopied{0}, g_blkOpened{0},
    g_blkSealed{0};
void count(std::atomic<uint64_t>& c) { c.fetch_add(1, std::memory_order_relaxed); }

sqlite3_vfs* g_real = nullptr;
sqlite3_vfs g_vfs;
sqlite3_io_methods g_methods;

// WAL files (by path) that may hold frames sealed the first way (associated data "w" and
// the frame's index, before frames were sealed as their database page): a WAL that already had
// frames when this process first opened it. Such a store's frames are opened either way and its
// checkpoints decrypt and seal again; the mark goes when SQLite starts the WAL afresh (writes its
// header) or truncates it.
std::mutex g_walMutex;
std::set<std::string> g_walSeen, g_walLegacy;

bool walMayHoldLegacy(const EncFile* f) {
    std::lock_guard<std::mutex> lock(g_walMutex);
    return g_walLegacy.count(*f->name) > 0;
}
void walStartedAfresh(const EncFile* f) {
    std::lock_guard<std::mutex> lock(g_walMutex);
    g_walLegacy.erase(*f->name);
}
void walOpened(const EncFile* f) {
    sqlite3_int64 size = 0;
    if (f->real->pMethods->xFileSize(f->real, &size) != SQLITE_OK) size = 1 << 30;  // unknown: be careful
    std::lock_guard<std::mutex> lock(g_walMutex);
    if (!g_walSeen.insert(*f->name).second) return;  // frames written since then are this process's
    if (size > kWalHeader) g_walLegacy.insert(*f->name);
}

// Per-thread buffers: a page being sealed, a WAL frame being read, a page read in part.
struct Scratch {
    uint8_t sealed[kPageSize];
    uint8_t frame[kFrameHeader + kPageSize];
    uint8_t partial[kPageSize];
};
Scratch& scratch() {
    thread_local Scratch s;
    return s;
}

void makeAd(const EncFile* f, char tag, int64_t index, uint8_t* ad, size_t& adLen) {
    std::memcpy(ad, f->fileId->data(), f->fileId->size());
    adLen = f->fileId->size();
    ad[adLen++] = static_cast<uint8_t>(tag);
    for (int i = 7; i >= 0; --i) ad[adLen++] = static_cast<uint8_t>(static_cast<uint64_t>(index) >> (8 * i));
}

int authFailure(const EncFile* f, const std::string& unit) {
    std::string msg = "the file " + *f->name + " failed its integrity check (" + unit +
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

uint32_t bigEndian32(const uint8_t* p) {
    return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | uint32_t{p[3]};
}

// ---- whole pages (main database, WAL frames): trailer inside the page's reserved bytes ----
// A page is sealed with associated data "d" and its page number wherever it lies, in the
// database or in a WAL frame (whose header names the page), so a checkpoint can copy a frame's
// ciphertext into the database unchanged.

// Opens `sealed` (kPageSize bytes, ciphertext and trailer) into `out` for `ad`; false when it fails.
bool openPage(const EncFile* f, const uint8_t* sealed, char tag, int64_t index, uint8_t* out) {
    const Cipher& c = **f->cipher;
    size_t t = c.trailer();
    uint8_t ad[64], trailer[64];
    size_t adLen = 0;
    makeAd(f, tag, index, ad, adLen);
    std::memcpy(trailer, sealed + kPageSize - t, t);
    if (!c.open(sealed, kPageSize - t, ad, adLen, trailer, out)) return false;
    std::memset(out + kPageSize - t, 0, t);  // SQLite keeps the reserved bytes zero
    return true;
}

// Refuses to write page 1 of a store whose pages have no reserved bytes for the trailer.
int checkRoom(const EncFile* f, int64_t pgno, const uint8_t* plain) {
    if (pgno == 1 && plain[20] < (*f->cipher)->trailer()) {
        std::string msg = "refusing to write " + *f->name + ": its pages have no room for the encryption trailer";
        noteIntegrityFailure(msg);
        return SQLITE_IOERR_WRITE;
    }
    return SQLITE_OK;
}

// Seals the page `pgno` (kPageSize bytes of plaintext) into `out` (may be `plain`).
void sealInto(const EncFile* f, int64_t pgno, const uint8_t* plain, uint8_t* out) {
    const Cipher& c = **f->cipher;
    size_t t = c.trailer();
    uint8_t ad[64];
    size_t adLen = 0;
    makeAd(f, 'd', pgno, ad, adLen);
    c.seal(plain, kPageSize - t, ad, adLen, out, out + kPageSize - t);
}

// Seals the page `pgno` and writes it at physical `off`.
int sealPage(EncFile* f, int64_t off, int64_t pgno, const uint8_t* plain) {
    if (int rc = checkRoom(f, pgno, plain); rc != SQLITE_OK) return rc;
    uint8_t* buf = scratch().sealed;
    sealInto(f, pgno, plain, buf);
    return f->real->pMethods->xWrite(f->real, buf, kPageSize, off);
}

// A WAL page being sealed by the helper thread (parallel_work.h), in place, to be written by
// the thread that wrote it. SQLite writes a commit's pages one after the other, then syncs: the
// helper seals while SQLite goes on, and the writing thread seals the rest itself when it next
// needs the file (finishPending), so two cores share the work.
class PageSeal final : public Task {
public:
    PageSeal(const EncFile* f, int64_t off, int64_t pgno, const uint8_t* plain) : m_file(f), off(off), pgno(pgno) {
        std::memcpy(page, plain, kPageSize);
    }
    const EncFile* m_file;
    const int64_t off, pgno;
    uint8_t page[kPageSize];

private:
    void run() override { sealInto(m_file, pgno, page, page); }
};

// At most this many pages wait to be written (16 MiB of copies); then they are all finished at
// once, the helper from the front and this thread from the back (finishing the oldest one by one
// instead makes this thread wait on the very page the helper is sealing).
constexpr size_t kMaxPendingPages = 4096;

// Seals (with the helper) and writes every pending page of this WAL, in order. Called before
// anything else touches the file: a read, a sync, its size, closing it; and before the database
// publishes a commit in the WAL index (xShmBarrier), so no reader finds a frame not yet written.
// Returns the first write error since the last call.
int finishPending(EncFile* f) {
    if (f->pending && !f->pending->empty()) {
        auto& q = *f->pending;
        size_t here = 0;
        for (auto it = q.rbegin(); it != q.rend(); ++it) here += (*it)->runIfUntaken();  // from the end: the helper starts at the front
        g_walSealedAside.fetch_add(q.size() - here, std::memory_order_relaxed);
        for (auto& p : q) {
            p->finish();
            int rc = f->real->pMethods->xWrite(f->real, p->page, kPageSize, p->off);
            if (rc != SQLITE_OK && f->pendingError == SQLITE_OK) f->pendingError = rc;
        }
        q.clear();
    }
    int rc = f->pendingError;
    f->pendingError = SQLITE_OK;
    return rc;
}

// A whole WAL page: handed to the helper when there is a second core, else sealed here.
int writeWalPage(EncFile* f, int64_t off, int64_t pgno, const uint8_t* plain) {
    if (!f->pending) return sealPage(f, off, pgno, plain);
    if (int rc = checkRoom(f, pgno, plain); rc != SQLITE_OK) return rc;
    auto p = std::make_shared<PageSeal>(f, off, pgno, plain);
    f->pending->push_back(p);
    postTask(std::move(p));
    if (f->pending->size() >= kMaxPendingPages) return finishPending(f);
    return f->pendingError;
}

// Reads the database page `pgno` (stored at physical `off`) into `out`, decrypted.
int readDbPage(EncFile* f, int64_t off, int64_t pgno, uint8_t* out) {
    int rc = f->real->pMethods->xRead(f->real, out, kPageSize, off);
    if (rc == SQLITE_IOERR_SHORT_READ) {  // past the end: zeros; a partial page is damage
        if (allZero(out, kPageSize)) return rc;
        return authFailure(f, "a truncated page " + std::to_string(pgno));
    }
    if (rc != SQLITE_OK) return rc;
    count(g_dbOpened);
    if (!openPage(f, out, 'd', pgno, out)) return authFailure(f, "page " + std::to_string(pgno));
    return SQLITE_OK;
}

// Reads the page of WAL frame `frame` (its page at physical `pageStart`) into `out`, decrypted.
int readWalFrame(EncFile* f, int64_t pageStart, int64_t frame, uint8_t* out) {
    uint8_t* buf = scratch().frame;
    int rc = f->real->pMethods->xRead(f->real, buf, kFrameHeader + kPageSize, pageStart - kFrameHeader);
    if (rc == SQLITE_IOERR_SHORT_READ) {  // a frame a crash cut short: SQLite ends the log there
        std::memset(out, 0, kPageSize);
        return rc;
    }
    if (rc != SQLITE_OK) return rc;
    uint32_t pgno = bigEndian32(buf);
    count(g_walOpened);
    if (openPage(f, buf + kFrameHeader, 'd', pgno, out)) return SQLITE_OK;
    if (walMayHoldLegacy(f) && openPage(f, buf + kFrameHeader, 'w', frame, out)) return SQLITE_OK;
    return authFailure(f, "WAL frame " + std::to_string(frame) + ", page " + std::to_string(pgno));
}

// The page number of the WAL frame whose page starts at `pageStart`: from the header SQLite
// just wrote through this file, else from the file.
int walFramePgno(EncFile* f, int64_t pageStart, uint32_t& pgno) {
    if (f->lastHeaderAt == pageStart - kFrameHeader) {
        pgno = f->lastHeaderPgno;
        return SQLITE_OK;
    }
    uint8_t h[4];
    int rc = f->real->pMethods->xRead(f->real, h, 4, pageStart - kFrameHeader);
    if (rc != SQLITE_OK) return rc == SQLITE_IOERR_SHORT_READ ? SQLITE_IOERR_WRITE : rc;  // a page with no header
    pgno = bigEndian32(h);
    return SQLITE_OK;
}

int readUnit(EncFile* f, int64_t start, int64_t index, uint8_t* out) {
    return f->kind == Kind::MainDb ? readDbPage(f, start, index, out) : readWalFrame(f, start, index, out);
}

int writeUnit(EncFile* f, int64_t start, int64_t index, const uint8_t* plain) {
    if (f->kind == Kind::MainDb) {
        count(g_dbSealed);
        return sealPage(f, start, index, plain);
    }
    uint32_t pgno = 0;
    if (int rc = walFramePgno(f, start, pgno); rc != SQLITE_OK) return rc;
    count(g_walSealed);
    return writeWalPage(f, start, pgno, plain);
}

// Maps a byte range of a paged file onto its units: calls onPage(physOff, index, from, len) for
// each overlapped page region (index: the page number in the database, the frame's index in the
// WAL) and onPlain(off, len) for header bytes kept as written.
template <class PageFn, class PlainFn>
int walkPaged(EncFile* f, int64_t off, int64_t n, PageFn onPage, PlainFn onPlain) {
    int64_t pos = off, end = off + n;
    while (pos < end) {
        int64_t pageStart, pageIndex;
        if (f->kind == Kind::MainDb) {
            pageIndex = pos / kPageSize;
            pageStart = pageIndex * kPageSize;
            pageIndex += 1;  // SQLite numbers pages from 1
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
        }
        int64_t len = std::min(end, pageStart + kPageSize) - pos;
        if (int rc = onPage(pageStart, pageIndex, pos - pageStart, len); rc != SQLITE_OK) return rc;
        pos += len;
    }
    return SQLITE_OK;
}

// A checkpoint (SQLite reads a frame's page, then writes that buffer to the database page the
// frame names, nothing in between) copies the sealed page as it is: the WAL read hands SQLite
// the ciphertext and trailer, and the database write that follows with the same buffer stores
// them unchanged. It is authenticated when the database page is next read. Not for a WAL that
// may hold frames sealed the first way (their associated data differs).
bool copiesCiphertext(const EncFile* wal, int64_t from, int64_t len) {
    return wal->kind == Kind::Wal && wal->db && wal->db->inCheckpoint && from == 0 && len == kPageSize &&
           !walMayHoldLegacy(wal);
}

int pagedRead(EncFile* f, void* out, int amt, int64_t off) {
    auto* dst = static_cast<uint8_t*>(out);
    bool shortRead = false;
    int rc = walkPaged(
        f, off, amt,
        [&](int64_t start, int64_t index, int64_t from, int64_t len) {
            uint8_t* to = dst + (start + from - off);
            if (copiesCiphertext(f, from, len)) {
                int r = f->real->pMethods->xRead(f->real, to, kPageSize, start);
                if (r != SQLITE_OK) return r;
                f->db->copying = to;
                std::memcpy(f->db->copyingTrailer, to + kPageSize - sizeof f->db->copyingTrailer,
                            sizeof f->db->copyingTrailer);
                return SQLITE_OK;
            }
            uint8_t* page = (from == 0 && len == kPageSize) ? to : scratch().partial;
            int r = readUnit(f, start, index, page);
            if (r == SQLITE_IOERR_SHORT_READ) {
                shortRead = true;
                std::memset(to, 0, static_cast<size_t>(len));
                return SQLITE_OK;
            }
            if (r != SQLITE_OK) return r;
            if (page != to) std::memcpy(to, page + from, static_cast<size_t>(len));
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
        [&](int64_t start, int64_t index, int64_t from, int64_t len) {
            const uint8_t* page = src + (start - off);
            if (f->kind == Kind::MainDb && f->copying) {
                // The buffer a checkpoint read a sealed frame into is written back as it is.
                bool same = f->copying == page && from == 0 && len == kPageSize;
                f->copying = nullptr;
                if (same) {
                    if (std::memcmp(page + kPageSize - sizeof f->copyingTrailer, f->copyingTrailer,
                                    sizeof f->copyingTrailer) != 0)
                        return authFailure(f, "a checkpoint's copy of page " + std::to_string(index) + " changed");
                    count(g_walCopied);
                    return f->real->pMethods->xWrite(f->real, page, kPageSize, start);
                }
            }
            if (from == 0 && len == kPageSize) return writeUnit(f, start, index, page);
            if (int r = finishPending(f); r != SQLITE_OK) return r;
            std::vector<uint8_t> whole(kPageSize);  // a partial page: read, change, seal again
            int r = readUnit(f, start, index, whole.data());
            if (r != SQLITE_OK && r != SQLITE_IOERR_SHORT_READ) return r;
            if (r == SQLITE_IOERR_SHORT_READ) std::fill(whole.begin(), whole.end(), 0);
            std::memcpy(whole.data() + from, src + (start + from - off), static_cast<size_t>(len));
            return writeUnit(f, start, index, whole.data());
        },
        [&](int64_t pos, int64_t len) {
            if (pos == 0) walStartedAfresh(f);  // the WAL header: a new log, every frame after it ours
            const uint8_t* bytes = src + (pos - off);
            int64_t rel = pos - kWalHeader;
            if (rel >= 0 && rel % (kFrameHeader + kPageSize) == 0 && len >= 4) {
                f->lastHeaderAt = pos;
                f->lastHeaderPgno = bigEndian32(bytes);
            }
            return f->real->pMethods->xWrite(f->real, bytes, static_cast<int>(len), pos);
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
    if (rc != SQLITE_OK) return rc == SQLITE_IOERR_SHORT_READ ? authFailure(f, "block " + std::to_string(k)) : rc;
    uint8_t ad[64];
    size_t adLen = 0;
    makeAd(f, 'j', k, ad, adLen);
    count(g_blkOpened);
    if (!c.open(buf.data(), static_cast<size_t>(len), ad, adLen, buf.data() + len, out)) return authFailure(f, "block " + std::to_string(k));
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
    int pendingRc = finishPending(f);
    if (f->kind == Kind::Wal && f->db) f->db->wal = nullptr;
    if (f->kind == Kind::MainDb && f->wal) f->wal->db = nullptr;
    int rc = f->real->pMethods ? f->real->pMethods->xClose(f->real) : SQLITE_OK;
    if (rc == SQLITE_OK) rc = pendingRc;
    delete f->pending;
    f->pending = nullptr;
    delete f->cipher;
    delete f->fileId;
    delete f->name;
    f->cipher = nullptr;
    f->fileId = f->name = nullptr;
    return rc;
}
int xRead(sqlite3_file* p, void* out, int amt, sqlite3_int64 off) {
    EncFile* f = asEnc(p);
    if (int rc = finishPending(f); rc != SQLITE_OK) return rc;
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
    if (int rc = finishPending(f); rc != SQLITE_OK) return rc;
    if (f->kind == Kind::Wal && size <= kWalHeader) walStartedAfresh(f);
    return f->real->pMethods->xTruncate(f->real, size);
}
int xSync(sqlite3_file* p, int flags) {
    EncFile* f = asEnc(p);
    if (int rc = finishPending(f); rc != SQLITE_OK) return rc;
    return f->real->pMethods->xSync(f->real, flags);
}
int xFileSize(sqlite3_file* p, sqlite3_int64* size) {
    EncFile* f = asEnc(p);
    if (f->kind == Kind::Blocked) {
        int64_t logical = 0;
        int rc = blockedSize(f, logical);
        *size = logical;
        return rc;
    }
    if (int rc = finishPending(f); rc != SQLITE_OK) return rc;
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
    if (op == SQLITE_FCNTL_CKPT_START || op == SQLITE_FCNTL_CKPT_DONE) {  // see copiesCiphertext()
        f->inCheckpoint = op == SQLITE_FCNTL_CKPT_START;
        f->copying = nullptr;
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
// The WAL index (shared memory) belongs to the main database file: before it changes, every
// page of this connection's WAL is on disk. A write error is kept for the WAL's next call
// (its sync, as a rule), which reports it: SQLite ignores what an unlock or a barrier returns.
void finishWalOf(EncFile* db) {
    if (db->wal) db->wal->pendingError = finishPending(db->wal);
}
int xShmLock(sqlite3_file* p, int off, int n, int flags) {
    EncFile* f = asEnc(p);
    finishWalOf(f);
    return f->real->pMethods->xShmLock(f->real, off, n, flags);
}
void xShmBarrier(sqlite3_file* p) {
    EncFile* f = asEnc(p);
    finishWalOf(f);
    f->real->pMethods->xShmBarrier(f->real);
}
int xShmUnmap(sqlite3_file* p, int del) {
    EncFile* f = asEnc(p);
    finishWalOf(f);
    return f->real->pMethods->xShmUnmap(f->real, del);
}
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
    f->lastHeaderAt = -1;
    if (kind == Kind::Wal) {
        sqlite3_file* db = sqlite3_database_file_object(zName);
        if (db && db->pMethods == &g_methods) {
            f->db = asEnc(db);
            f->db->wal = f;
        }
        if (parallelWorkAvailable()) f->pending = new std::deque<std::shared_ptr<PageSeal>>();
    }
    f->cipher = new std::shared_ptr<const Cipher>(std::move(cipher));
    f->fileId = new std::string(std::move(fileId));
    f->name = new std::string(name);
    if (kind == Kind::Wal) walOpened(f);
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
    return {v(g_dbOpened), v(g_dbSealed), v(g_walOpened), v(g_walSealed), v(g_walSealedAside), v(g_walCopied), v(g_blkOpened), v(g_blkSealed)};
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
