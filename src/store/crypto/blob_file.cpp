#include "store/crypto/blob_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "core/error.h"
#include "core/i18n.h"

namespace jc::crypto {

namespace fs = std::filesystem;

namespace {
constexpr char kMagic[8] = {'J', 'C', 'B', 'L', 'O', 'B', '0', '1'};

std::string keyAd(const StoreKey& k) { return "jiancha-blob-key:" + k.fileId; }

void chunkAd(int64_t index, bool last, uint8_t ad[17]) {
    std::memcpy(ad, kMagic, 8);
    for (int i = 0; i < 8; ++i) ad[8 + i] = static_cast<uint8_t>(static_cast<uint64_t>(index) >> (8 * (7 - i)));
    ad[16] = last ? 1 : 0;
}

int64_t headerBytes(Suite s) { return 16 + static_cast<int64_t>(kKeyBytes + trailerBytes(s)); }

[[noreturn]] void sysFail(const std::string& what, const fs::path& p) {
    throw StorageError(what + " " + p.string() + ": " + std::strerror(errno));
}
}  // namespace

bool isEncryptedBlob(const fs::path& p) {
    FileHandle f = FileHandle::open(p, O_RDONLY);
    char head[8];
    return f && readAt(f.get(), head, 8, 0) && std::memcmp(head, kMagic, 8) == 0;
}

BlobWriter::BlobWriter(const fs::path& p, std::shared_ptr<const StoreKey> key) : m_path(p), m_key(std::move(key)) {
    m_fd = FileHandle::open(p, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (!m_fd) sysFail("cannot write", p);
    writeHeader();
}

BlobWriter::~BlobWriter() {
    if (!m_buf.empty()) wipe(m_buf);
}

void BlobWriter::writeHeader() {
    m_chunkIndex = 0;
    m_total = 0;
    m_buf.clear();
    if (!m_key) return;
    uint8_t fileKey[kKeyBytes];
    randomBytes(fileKey, sizeof fileKey);
    m_fileCipher = makeCipher(m_key->suite, fileKey);
    std::vector<uint8_t> header(static_cast<size_t>(headerBytes(m_key->suite)), 0);
    std::memcpy(header.data(), kMagic, 8);
    header[8] = m_key->suite == Suite::Gm ? 2 : 1;
    std::string ad = keyAd(*m_key);
    m_key->cipher->seal(fileKey, kKeyBytes, reinterpret_cast<const uint8_t*>(ad.data()), ad.size(), header.data() + 16,
                        header.data() + 16 + kKeyBytes);
    std::memset(fileKey, 0, sizeof fileKey);
    if (!writeAll(m_fd.get(), header.data(), header.size())) sysFail("cannot write", m_path);
    m_headerBytes = static_cast<int64_t>(header.size());
}

void BlobWriter::flushChunk(bool last) {
    if (!m_key) {
        if (!m_buf.empty() && !writeAll(m_fd.get(), m_buf.data(), m_buf.size())) sysFail("cannot write", m_path);
        m_buf.clear();
        return;
    }
    uint8_t ad[17];
    chunkAd(m_chunkIndex, last, ad);
    std::vector<uint8_t> out(m_buf.size() + m_fileCipher->trailer());
    m_fileCipher->seal(reinterpret_cast<const uint8_t*>(m_buf.data()), m_buf.size(), ad, sizeof ad, out.data(),
                       out.data() + m_buf.size());
    if (!writeAll(m_fd.get(), out.data(), out.size())) sysFail("cannot write", m_path);
    ++m_chunkIndex;
    wipe(m_buf);
}

void BlobWriter::write(const void* data, size_t n) {
    const char* p = static_cast<const char*>(data);
    m_total += static_cast<int64_t>(n);
    if (!m_key) {
        if (!writeAll(m_fd.get(), p, n)) sysFail("cannot write", m_path);
        return;
    }
    while (n > 0) {
        size_t take = std::min(n, kBlobChunk - m_buf.size());
        m_buf.append(p, take);
        p += take;
        n -= take;
        if (m_buf.size() == kBlobChunk) flushChunk(false);
    }
}

void BlobWriter::restart() {
    if (::ftruncate(m_fd.get(), 0) != 0 || ::lseek(m_fd.get(), 0, SEEK_SET) < 0) sysFail("cannot truncate", m_path);
    writeHeader();
}

void BlobWriter::finish() {
    if (m_key) flushChunk(true);
    if (::fdatasync(m_fd.get()) != 0) sysFail("cannot sync", m_path);
    if (!m_fd.close()) sysFail("cannot write", m_path);
}

std::unique_ptr<BlobWriter> BlobWriter::resume(const fs::path& p, std::shared_ptr<const StoreKey> key,
                                               const std::function<void(const uint8_t*, size_t)>& kept, int64_t& keptBytes) {
    std::unique_ptr<BlobWriter> w(new BlobWriter());
    w->m_path = p;
    w->m_key = key;
    keptBytes = 0;
    std::error_code ec;
    int64_t have = fs::exists(p, ec) ? static_cast<int64_t>(fs::file_size(p, ec)) : 0;
    w->m_fd = FileHandle::open(p, O_RDWR | O_CREAT, 0600);
    if (!w->m_fd) sysFail("cannot write", p);
    if (!key) {  // plain: everything written so far counts
        std::vector<uint8_t> buf(1 << 16);
        for (int64_t off = 0; off < have;) {
            size_t n = static_cast<size_t>(std::min<int64_t>(static_cast<int64_t>(buf.size()), have - off));
            if (!readAt(w->m_fd.get(), buf.data(), n, off)) sysFail("cannot read", p);
            kept(buf.data(), n);
            off += static_cast<int64_t>(n);
        }
        if (::lseek(w->m_fd.get(), have, SEEK_SET) < 0) sysFail("cannot seek", p);
        keptBytes = w->m_total = have;
        return w;
    }
    int64_t hb = headerBytes(key->suite);
    bool usable = have >= hb;
    if (usable) {
        std::vector<uint8_t> header(static_cast<size_t>(hb));
        usable = readAt(w->m_fd.get(), header.data(), header.size(), 0) && std::memcmp(header.data(), kMagic, 8) == 0;
        uint8_t fileKey[kKeyBytes];
        std::string ad = keyAd(*key);
        usable = usable && key->cipher->open(header.data() + 16, kKeyBytes, reinterpret_cast<const uint8_t*>(ad.data()),
                                             ad.size(), header.data() + 16 + kKeyBytes, fileKey);
        if (usable) w->m_fileCipher = makeCipher(key->suite, fileKey);
        std::memset(fileKey, 0, sizeof fileKey);
    }
    if (!usable) {
        if (::ftruncate(w->m_fd.get(), 0) != 0) sysFail("cannot truncate", p);
        w->writeHeader();
        return w;
    }
    w->m_headerBytes = hb;
    size_t t = w->m_fileCipher->trailer();
    int64_t unit = static_cast<int64_t>(kBlobChunk + t);
    int64_t complete = (have - hb) / unit;
    std::vector<uint8_t> buf(static_cast<size_t>(unit)), plain(kBlobChunk);
    int64_t good = 0;
    for (; good < complete; ++good) {  // every complete chunk must still authenticate
        uint8_t ad[17];
        chunkAd(good, false, ad);
        if (!readAt(w->m_fd.get(), buf.data(), buf.size(), hb + good * unit) ||
            !w->m_fileCipher->open(buf.data(), kBlobChunk, ad, sizeof ad, buf.data() + kBlobChunk, plain.data()))
            break;
        kept(plain.data(), kBlobChunk);
    }
    int64_t end = hb + good * unit;
    if (::ftruncate(w->m_fd.get(), end) != 0 || ::lseek(w->m_fd.get(), end, SEEK_SET) < 0) sysFail("cannot truncate", p);
    w->m_chunkIndex = good;
    keptBytes = w->m_total = good * static_cast<int64_t>(kBlobChunk);
    return w;
}

BlobReader::BlobReader(const fs::path& p, std::shared_ptr<const StoreKey> key) : m_path(p) {
    m_fd = FileHandle::open(p, O_RDONLY);
    if (!m_fd) sysFail("cannot read", p);
    struct stat st {};
    if (::fstat(m_fd.get(), &st) != 0) sysFail("cannot read", p);
    char head[8];
    m_encrypted = st.st_size >= 8 && jc::readAt(m_fd.get(), head, 8, 0) && std::memcmp(head, kMagic, 8) == 0;
    if (!m_encrypted) {
        m_size = st.st_size;
        return;
    }
    if (!key) throw StorageError(trf("store.err_blob_locked", {p.string()}));
    m_headerBytes = headerBytes(key->suite);
    std::vector<uint8_t> header(static_cast<size_t>(m_headerBytes));
    uint8_t fileKey[kKeyBytes];
    std::string ad = keyAd(*key);
    if (st.st_size < m_headerBytes || !jc::readAt(m_fd.get(), header.data(), header.size(), 0) ||
        header[8] != (key->suite == Suite::Gm ? 2 : 1) ||
        !key->cipher->open(header.data() + 16, kKeyBytes, reinterpret_cast<const uint8_t*>(ad.data()), ad.size(),
                           header.data() + 16 + kKeyBytes, fileKey))
        throw StorageError(trf("store.err_blob_integrity", {p.string(), "header"}));
    m_fileCipher = makeCipher(key->suite, fileKey);
    std::memset(fileKey, 0, sizeof fileKey);
    m_trailer = m_fileCipher->trailer();
    int64_t body = st.st_size - m_headerBytes, unit = static_cast<int64_t>(kBlobChunk + m_trailer);
    m_chunks = body / unit + (body % unit ? 1 : 0);
    if (m_chunks == 0) m_chunks = 1;
    int64_t lastLen = body - (m_chunks - 1) * unit - static_cast<int64_t>(m_trailer);
    if (lastLen < 0) throw StorageError(trf("store.err_blob_integrity", {p.string(), "cut short"}));
    m_size = (m_chunks - 1) * static_cast<int64_t>(kBlobChunk) + lastLen;
}

void BlobReader::loadChunk(int64_t index) {
    if (m_loaded == index) return;
    int64_t unit = static_cast<int64_t>(kBlobChunk + m_trailer);
    bool last = index == m_chunks - 1;
    size_t len = last ? static_cast<size_t>(m_size - index * static_cast<int64_t>(kBlobChunk)) : kBlobChunk;
    std::vector<uint8_t> buf(len + m_trailer);
    uint8_t ad[17];
    chunkAd(index, last, ad);
    m_chunk.assign(len, '\0');
    if (!jc::readAt(m_fd.get(), buf.data(), buf.size(), m_headerBytes + index * unit) ||
        !m_fileCipher->open(buf.data(), len, ad, sizeof ad, buf.data() + len, reinterpret_cast<uint8_t*>(m_chunk.data()))) {
        m_loaded = -1;
        throw StorageError(trf("store.err_blob_integrity", {m_path.string(), "chunk " + std::to_string(index)}));
    }
    m_loaded = index;
}

void BlobReader::readAt(void* out, size_t n, int64_t off) {
    if (off < 0 || off + static_cast<int64_t>(n) > m_size)
        throw StorageError(trf("store.err_blob_integrity", {m_path.string(), "shorter than its record says"}));
    if (!m_encrypted) {
        if (!jc::readAt(m_fd.get(), out, n, off)) sysFail("cannot read", m_path);
        return;
    }
    auto* dst = static_cast<char*>(out);
    while (n > 0) {
        int64_t index = off / static_cast<int64_t>(kBlobChunk);
        size_t from = static_cast<size_t>(off % static_cast<int64_t>(kBlobChunk));
        loadChunk(index);
        size_t take = std::min(n, m_chunk.size() - from);
        std::memcpy(dst, m_chunk.data() + from, take);
        dst += take;
        off += static_cast<int64_t>(take);
        n -= take;
    }
}

std::string BlobReader::readAll() {
    std::string out(static_cast<size_t>(m_size), '\0');
    if (m_size > 0) readAt(out.data(), out.size(), 0);
    return out;
}

void encryptBlobInPlace(const fs::path& p, std::shared_ptr<const StoreKey> key) {
    if (isEncryptedBlob(p)) return;
    fs::path tmp = p;
    tmp += ".protecting";
    BlobReader in(p, nullptr);
    {
        BlobWriter out(tmp, key);
        std::vector<char> buf(kBlobChunk);
        for (int64_t off = 0; off < in.size();) {
            size_t n = static_cast<size_t>(std::min<int64_t>(static_cast<int64_t>(buf.size()), in.size() - off));
            in.readAt(buf.data(), n, off);
            out.write(buf.data(), n);
            off += static_cast<int64_t>(n);
        }
        out.finish();
    }
    std::error_code ec;
    fs::rename(tmp, p, ec);
    if (ec) throw StorageError("cannot replace " + p.string() + ": " + ec.message());
    fsyncDir(p.parent_path());
}

}  // namespace jc::crypto
