// Evidence files: resumable chunked uploads and streamed, verified, durable downloads.
#include "sync/client/sync_engine.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <map>
#include <memory>
#include <optional>
#include <vector>

#include "base/file_io.h"
#include "base/sha256.h"
#include "core/dates.h"
#include "core/error.h"
#include "store/sync_state.h"
#include "sync/client/http_client.h"
#include "sync/protocol/protocol.h"

namespace jc::sync {

namespace fs = std::filesystem;

namespace {
// Hashes the first `size` bytes of a file (a partial download being resumed).
bool hashFile(const fs::path& p, int64_t size, Sha256& hash) {
    FileHandle f = FileHandle::open(p, O_RDONLY);
    if (!f) return false;
    std::vector<char> buf(1 << 20);
    for (int64_t offset = 0; offset < size;) {
        size_t n = static_cast<size_t>(std::min<int64_t>(static_cast<int64_t>(buf.size()), size - offset));
        if (!readAt(f.get(), buf.data(), n, offset)) return false;
        hash.update(buf.data(), n);
        offset += static_cast<int64_t>(n);
    }
    return true;
}
}  // namespace

void SyncEngine::blobs(HttpClient& http, SyncReport& r, const ProgressFn& progress) {
    struct Item {
        std::string sha;
        int64_t size;
    };
    std::vector<Item> up, down;
    {
        auto s = m_store.db().prepare(
            "SELECT DISTINCT e.sha256, e.size FROM evidence e LEFT JOIN blob_upload b ON b.sha256 = e.sha256 "
            "WHERE e.deleted = 0 AND coalesce(b.uploaded, 0) = 0");
        while (s.step()) {
            Item it{s.getText(0), s.getInt(1)};
            (fs::exists(m_blobDir / it.sha) ? up : down).push_back(it);
        }
    }
    int64_t total = static_cast<int64_t>(up.size() + down.size()), done = 0;
    for (const auto& it : up) {
        // Over today's evidence limit: the rest waits for tomorrow (downloads still run).
        if (r.errorKind == SyncErrorKind::BlobQuota) break;
        std::string error;
        if (uploadBlob(http, it.sha, it.size, r, error)) {
            ++r.blobsUp;
            markBlobStored(it.sha, it.size, 1);
        } else {
            ++r.blobsFailed;
            auto& s = m_store.db().cached(
                "INSERT INTO blob_upload(sha256, size, uploaded, attempts, last_error) VALUES(?, ?, 0, 1, ?) "
                "ON CONFLICT(sha256) DO UPDATE SET attempts = attempts + 1, last_error = excluded.last_error");
            s.bind(1, it.sha).bind(2, it.size).bind(3, error);
            s.run();
        }
        if (progress) progress({"blobs", ++done, total});
    }
    for (const auto& it : down) {
        std::string error;
        if (downloadBlob(http, it.sha, it.size, r, error)) {
            ++r.blobsDown;
            markBlobStored(it.sha, it.size, 0);
        } else {
            ++r.blobsFailed;
        }
        if (progress) progress({"blobs", ++done, total});
    }
}

// The blob is on the server and on this device: it leaves the blob queue. `attempts` counts
// uploads (1 for an upload, 0 for a download) when the blob has no queue row yet.
void SyncEngine::markBlobStored(const std::string& sha, int64_t size, int attempts) {
    auto& s = m_store.db().cached(
        "INSERT INTO blob_upload(sha256, size, uploaded, attempts) VALUES(?, ?, 1, ?) "
        "ON CONFLICT(sha256) DO UPDATE SET uploaded = 1, last_error = NULL");
    s.bind(1, sha).bind(2, size).bind(3, attempts);
    s.run();
}

bool SyncEngine::uploadBlob(HttpClient& http, const std::string& sha, int64_t size, SyncReport& r, std::string& error) {
    HttpResponse h = http.head("/v1/blobs/" + sha);
    int64_t offset = 0;
    if (h.ok()) {
        if (h.header("x-jiancha-blob-complete") == "1") return true;  // stored already (deduplicated)
        offset = std::stoll(h.header("x-jiancha-blob-offset").empty() ? "0" : h.header("x-jiancha-blob-offset"));
    } else if (h.status != 404) {
        error = describeHttpFailure(h.status, h.body, h.transportError);
        return false;
    }
    FileHandle file = FileHandle::open(m_blobDir / sha, O_RDONLY);
    if (!file) {
        error = "local blob file missing: " + (m_blobDir / sha).string();
        return false;
    }
    int fd = file.get();
    // One chunk buffer for all uploads of this engine, not zero-filled (pread fills it): fresh
    // memory for every 8 MiB chunk costs more in page faults than the copy itself.
    if (!m_chunk) m_chunk.reset(new char[kBlobChunk]);
    char* chunk = m_chunk.get();
    while (offset < size) {
        size_t n = static_cast<size_t>(std::min<int64_t>(static_cast<int64_t>(kBlobChunk), size - offset));
        if (!readAt(fd, chunk, n, offset)) {
            error = "local blob file is shorter than its record says";
            return false;
        }
        HttpResponse p = http.put("/v1/blobs/" + sha + "?offset=" + std::to_string(offset) + "&total=" + std::to_string(size),
                                  chunk, n, "application/octet-stream");
        if (!p.ok()) {
            error = describeHttpFailure(p.status, p.body, p.transportError);
            if (classifyHttpFailure(p.status, p.body, p.curlCode, p.transportError) == SyncErrorKind::BlobQuota) {
                r.error = error;
                r.errorKind = SyncErrorKind::BlobQuota;
            }
            return false;
        }
        offset += static_cast<int64_t>(n);
        r.bytesUp += static_cast<int64_t>(n);
    }
    return true;
}

bool SyncEngine::downloadBlob(HttpClient& http, const std::string& sha, int64_t size, SyncReport& r, std::string& error) {
    std::error_code ec;
    fs::create_directories(m_blobDir, ec);
    fs::path part = m_blobDir / (sha + ".part");
    int64_t have = fs::exists(part) ? static_cast<int64_t>(fs::file_size(part)) : 0;
    if (have > size) {
        fs::remove(part, ec);
        have = 0;
    }
    // The bytes stream to the partial file as they arrive and are hashed on the way (a cut
    // download keeps what it got and resumes with a Range request); then fdatasync, verify,
    // rename and sync the directory, so a blob counts as downloaded only once it is durable.
    FileHandle file = FileHandle::open(part, O_WRONLY | O_CREAT | O_APPEND, 0640);
    if (!file) {
        error = "cannot write " + part.string() + ": " + std::strerror(errno);
        return false;
    }
    int fd = file.get();
    Sha256 hash;
    if (have > 0 && !hashFile(part, have, hash)) {
        error = "cannot read " + part.string();
        return false;
    }
    if (have < size) {
        std::map<std::string, std::string> headers;
        if (have > 0) headers["Range"] = "bytes=" + std::to_string(have) + "-";
        bool first = true;
        int64_t flushedTo = have;
        std::string writeError;
        HttpResponse g = http.getTo("/v1/blobs/" + sha, headers, [&](long status, const char* data, size_t n) {
            if (first) {
                first = false;
                if (status == 200 && have > 0) {  // the server sent the whole blob: start over
                    if (::ftruncate(fd, 0) != 0) {
                        writeError = std::strerror(errno);
                        return false;
                    }
                    try {
                        hash = Sha256();
                    } catch (const std::exception& e) {
                        writeError = e.what();
                        return false;
                    }
                    have = 0;
                    flushedTo = 0;
                }
            }
            if (!writeAll(fd, data, n)) {
                writeError = std::strerror(errno);
                return false;
            }
            try {  // nothing may be thrown through libcurl
                hash.update(data, n);
            } catch (const std::exception& e) {
                writeError = e.what();
                return false;
            }
            have += static_cast<int64_t>(n);
#ifdef __linux__
            // Start writing each MiB to disk while the rest arrives; the fdatasync below then
            // has little left to wait for (it still makes the whole file durable).
            if (have - flushedTo >= (1 << 20)) {
                ::sync_file_range(fd, flushedTo, have - flushedTo, SYNC_FILE_RANGE_WRITE);
                flushedTo = have;
            }
#endif
            r.bytesDown += static_cast<int64_t>(n);
            return true;
        });
        if (!writeError.empty()) {
            error = "cannot write " + part.string() + ": " + writeError;
            return false;
        }
        if (!g.ok()) {
            error = describeHttpFailure(g.status, g.body, g.transportError);
            return false;
        }
    }
    if (::fdatasync(fd) != 0) {
        error = "cannot sync " + part.string() + ": " + std::strerror(errno);
        return false;
    }
    if (have != size || hash.hexDigest() != sha) {
        fs::remove(part, ec);
        error = "downloaded blob " + sha + " does not match its hash";
        return false;
    }
    fs::rename(part, m_blobDir / sha, ec);
    if (ec) {
        error = "cannot store blob: " + ec.message();
        return false;
    }
    file.reset();
    fsyncDir(m_blobDir);
    return true;
}

}  // namespace jc::sync
