#include "sync/server/blob_store.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

#include "base/file_io.h"
#include "base/sha256.h"
#include "core/error.h"
#include "sync/protocol/protocol.h"
#include "sync/server/api_error.h"

namespace jc::server {

namespace fs = std::filesystem;

namespace {

void writeOrThrow(int fd, const char* p, size_t n, const fs::path& where) {
    if (!writeAll(fd, p, n)) throw StorageError("cannot write " + where.string() + ": " + std::strerror(errno));
}

// Hash state over the first `size` bytes of a file (rebuilding after a restart).
std::shared_ptr<Sha256> hashPrefix(const fs::path& p, int64_t size) {
    auto st = std::make_shared<Sha256>();
    FileHandle f = FileHandle::open(p, O_RDONLY);
    if (!f) throw StorageError("cannot read " + p.string());
    std::vector<char> buf(1 << 20);
    for (int64_t done = 0; done < size;) {
        size_t want = static_cast<size_t>(std::min<int64_t>(size - done, static_cast<int64_t>(buf.size())));
        if (!readAt(f.get(), buf.data(), want, done)) break;
        st->update(buf.data(), want);
        done += static_cast<int64_t>(want);
    }
    return st;
}

}  // namespace

BlobStore::BlobStore(fs::path dir) : m_dir(std::move(dir)) {
    std::error_code ec;
    fs::create_directories(m_dir / "partial", ec);
    fs::create_directories(m_dir / "objects", ec);
    if (!fs::is_directory(m_dir / "partial") || !fs::is_directory(m_dir / "objects"))
        throw StorageError("cannot create the blob directory " + m_dir.string());
}

fs::path BlobStore::objectPath(const std::string& sha) const {
    return m_dir / "objects" / sha.substr(0, 2) / sha;
}
fs::path BlobStore::partialPath(const std::string& sha) const {
    return m_dir / "partial" / (sha + ".part");
}
std::mutex& BlobStore::lockFor(const std::string& sha) {
    return m_locks[static_cast<size_t>(std::stoi(sha.substr(0, 1), nullptr, 16))];
}

BlobStore::Status BlobStore::status(const std::string& sha) {
    // Not while a chunk of this blob is being stored (the part a cut connection delivered, say):
    // the client asking where to resume must get the offset after it.
    std::lock_guard lock(lockFor(sha));
    std::error_code ec;
    auto size = fs::file_size(objectPath(sha), ec);
    if (!ec) return {static_cast<int64_t>(size), true};
    size = fs::file_size(partialPath(sha), ec);
    return {ec ? 0 : static_cast<int64_t>(size), false};
}

std::optional<fs::path> BlobStore::completePath(const std::string& sha) {
    fs::path p = objectPath(sha);
    std::error_code ec;
    if (fs::is_regular_file(p, ec)) return p;
    return std::nullopt;
}

BlobStore::Status BlobStore::append(const std::string& sha, int64_t offset, int64_t total, std::string_view data) {
    if (total < 0 || offset < 0)
        throw ApiError(400, proto::err::kBadRequest, "offset and total must be non-negative integers");
    if (total > proto::kMaxBlobBytes)
        throw ApiError(413, proto::err::kPayloadTooLarge,
                       "a blob may be at most " + std::to_string(proto::kMaxBlobBytes >> 20) +
                           " MiB; this one declares " + std::to_string(total) + " bytes");
    if (offset + static_cast<int64_t>(data.size()) > total)
        throw ApiError(400, proto::err::kBadRequest,
                       "the chunk ends at byte " + std::to_string(offset + static_cast<int64_t>(data.size())) +
                           ", beyond the declared total of " + std::to_string(total));

    std::lock_guard lock(lockFor(sha));
    fs::path part = partialPath(sha);
    // The partial file, locked against other processes sharing the directory. Opened again when
    // another process renamed (completed) or removed (discarded) it while this one waited.
    FileHandle file;
    struct stat fst {};
    for (;;) {
        file = FileHandle::open(part, O_WRONLY | O_CREAT | O_APPEND, 0640);
        if (!file) throw StorageError("cannot open " + part.string() + ": " + std::strerror(errno));
        while (::flock(file.get(), LOCK_EX) != 0)
            if (errno != EINTR) throw StorageError("cannot lock " + part.string() + ": " + std::strerror(errno));
        struct stat pst {};
        if (::fstat(file.get(), &fst) == 0 && ::stat(part.c_str(), &pst) == 0 && pst.st_ino == fst.st_ino) break;
    }
    const int fd = file.get();
    std::error_code ec;
    if (fs::is_regular_file(objectPath(sha), ec)) {
        if (fst.st_size == 0) fs::remove(part, ec);  // the file opened above, not needed
        return {static_cast<int64_t>(fs::file_size(objectPath(sha), ec)), true};  // deduplicated
    }
    const int64_t held = static_cast<int64_t>(fst.st_size);
    if (offset != held)
        throw ApiError(409, proto::err::kOffsetMismatch,
                       "the server holds " + std::to_string(held) +
                           " bytes of this blob; send the chunk at offset " + std::to_string(held),
                       {{"offset", held}});

    std::shared_ptr<Sha256> hs;
    {
        std::lock_guard ul(m_uploadsMutex);
        auto it = m_uploads.find(sha);
        if (it != m_uploads.end() && it->second.offset == offset && it->second.inode == fst.st_ino) {
            // Taken out while this chunk is written: only the holder of lockFor(sha) touches it,
            // and it goes back (advanced) only when the chunk is safely on disk.
            hs = std::move(it->second.state);
            m_uploads.erase(it);
        }
    }
    if (!hs) hs = offset ? hashPrefix(part, offset) : std::make_shared<Sha256>();
    if (!data.empty() || offset == 0) {
        // Written in slices; each slice's writeback to disk starts at once (sync_file_range
        // only starts it) and the slice is hashed while the disk works, so the fdatasync
        // below, which still makes the whole chunk durable before the answer, waits less.
        constexpr size_t kSlice = 1u << 20;
        for (size_t pos = 0; pos < data.size(); pos += kSlice) {
            size_t n = std::min(kSlice, data.size() - pos);
            writeOrThrow(fd, data.data() + pos, n, part);
#ifdef __linux__
            ::sync_file_range(fd, offset + static_cast<int64_t>(pos), static_cast<int64_t>(n), SYNC_FILE_RANGE_WRITE);
#endif
            hs->update(data.data() + pos, n);
        }
        if (::fdatasync(fd) != 0) throw StorageError("cannot sync " + part.string() + ": " + std::strerror(errno));
        if (offset == 0) fsyncDir(part.parent_path());
    }
    int64_t stored = offset + static_cast<int64_t>(data.size());

    if (stored < total) {
        std::lock_guard ul(m_uploadsMutex);
        if (m_uploads.size() > 4096) m_uploads.clear();
        m_uploads[sha] = Upload{std::move(hs), stored, static_cast<uint64_t>(fst.st_ino)};
        return {stored, false};
    }
    std::string got = hs->hexDigest();
    if (got != sha) {
        fs::remove(part, ec);
        throw ApiError(422, proto::err::kHashMismatch,
                       "the uploaded bytes have SHA-256 " + got + ", not " + sha +
                           "; the partial upload was discarded, send the blob again from offset 0");
    }
    fs::path obj = objectPath(sha);
    // A new objects/<xx> directory must itself be durable in objects/, or a crash could lose it
    // with the blob renamed into it.
    if (fs::create_directories(obj.parent_path(), ec)) fsyncDir(obj.parent_path().parent_path());
    fs::rename(part, obj, ec);
    if (ec) throw StorageError("cannot store blob " + sha + ": " + ec.message());
    // The object's directory entry is made durable. The partial directory is not synced again:
    // if the old entry survived a crash, status() still finds the complete object first, and
    // the stray partial file is only garbage.
    fsyncDir(obj.parent_path());
    return {stored, true};
}

}  // namespace jc::server
