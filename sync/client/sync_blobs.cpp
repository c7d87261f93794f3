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
#include <thread>
#include <vector>

#include "base/file_io.h"
#include "base/sha256.h"
#include "core/dates.h"
#include "core/error.h"
#include "store/crypto/blob_file.h"
#include "store/crypto/keyring.h"
#include "store/sync_state.h"
#include "sync/client/http_client.h"
#include "sync/protocol/protocol.h"

namespace jc::sync {

namespace fs = std::filesystem;

namespace {
// The key of a protected store (evidence files are encrypted at rest), nullptr for a plain one.
std::shared_ptr<const crypto::StoreKey> blobKey(Store& store) { return crypto::findStoreKey(store.db().path()); }
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

namespace {
// The server's stored offset from a HEAD answer (or a JSON error answer carrying "offset").
std::optional<int64_t> offsetFrom(const HttpResponse& res) {
    if (res.ok() && !res.header("x-jiancha-blob-offset").empty()) {
        try {
            return std::stoll(res.header("x-jiancha-blob-offset"));
        } catch (const std::exception&) {
            return std::nullopt;
        }
    }
    Json j = Json::parse(res.body, nullptr, false);
    if (j.is_object() && j.contains("offset") && j["offset"].is_number_integer()) return j["offset"].get<int64_t>();
    return std::nullopt;
}
}  // namespace

// A cut transfer (a reset on a flaky link, an answer lost) is resumed at once from what the
// other side holds, as long as the tries move the blob forward: the server keeps the received
// part of a cut chunk and tells (HEAD) where to go on; a download goes on with a Range request.
// After kBlobStalls tries in a row without progress the blob waits for the next round.
bool SyncEngine::uploadBlob(HttpClient& http, const std::string& sha, int64_t size, SyncReport& r, std::string& error) {
    HttpResponse h;
    auto serverOffset = [&]() -> std::optional<int64_t> {
        h = http.head("/v1/blobs/" + sha);
        if (h.status == 404) return 0;
        if (!h.ok()) return std::nullopt;
        return offsetFrom(h).value_or(0);
    };
    auto known = serverOffset();
    if (!known) {
        error = describeHttpFailure(h.status, h.body, h.transportError);
        return false;
    }
    if (h.header("x-jiancha-blob-complete") == "1") return true;  // stored already (deduplicated)
    int64_t offset = *known;
    // The file may be encrypted at rest: the server gets the plaintext, whose hash names it.
    std::unique_ptr<crypto::BlobReader> file;
    try {
        file = std::make_unique<crypto::BlobReader>(m_blobDir / sha, blobKey(m_store));
    } catch (const std::exception& e) {
        error = fs::exists(m_blobDir / sha) ? std::string(e.what()) : "local blob file missing: " + (m_blobDir / sha).string();
        return false;
    }
    // One chunk buffer for all uploads of this engine, not zero-filled (the reader fills it):
    // fresh memory for every 8 MiB chunk costs more in page faults than the copy itself.
    if (!m_chunk) m_chunk.reset(new char[kBlobChunk]);
    char* chunk = m_chunk.get();
    int stalls = 0;
    while (offset < size) {
        size_t n = static_cast<size_t>(std::min<int64_t>(static_cast<int64_t>(kBlobChunk), size - offset));
        if (file->size() < offset + static_cast<int64_t>(n)) {
            error = "local blob file is shorter than its record says";
            return false;
        }
        try {
            file->readAt(chunk, n, offset);
        } catch (const std::exception& e) {
            error = e.what();
            return false;
        }
        HttpResponse p = http.put("/v1/blobs/" + sha + "?offset=" + std::to_string(offset) + "&total=" + std::to_string(size),
                                  chunk, n, "application/octet-stream");
        if (p.ok()) {
            offset += static_cast<int64_t>(n);
            r.bytesUp += static_cast<int64_t>(n);
            stalls = 0;
            continue;
        }
        error = describeHttpFailure(p.status, p.body, p.transportError);
        if (classifyHttpFailure(p.status, p.body, p.curlCode, p.transportError) == SyncErrorKind::BlobQuota) {
            r.error = error;
            r.errorKind = SyncErrorKind::BlobQuota;
            return false;
        }
        // Cut on the way (no answer), or refused as not where the server is (409; 400 for a
        // chunk that reached it only in part): ask where the server is and go on from there.
        const bool resumable = (p.status == 0 && p.transportError != "cancelled") || p.status == 409 || p.status == 400;
        if (!resumable || ++stalls > kBlobStalls) return false;
        auto at = serverOffset();
        // The server may still be storing what the cut connection delivered: give it a moment
        // rather than send bytes it will refuse as out of place.
        for (int wait = 0; p.status == 0 && at && *at == offset && wait < 2; ++wait) {
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
            at = serverOffset();
        }
        if (!at) return false;
        if (h.header("x-jiancha-blob-complete") == "1") break;
        if (*at > offset) {
            r.bytesUp += *at - offset;
            stalls = 0;
        }
        offset = *at;
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
    // In a protected store the partial file is encrypted as it is written (store/crypto/
    // blob_file.h): only complete chunks survive a cut, and the plaintext never touches the disk.
    Sha256 hash;
    std::unique_ptr<crypto::BlobWriter> file;
    for (int stalls = 0;;) {
        hash = Sha256();
        try {
            file = crypto::BlobWriter::resume(part, blobKey(m_store), [&](const uint8_t* p, size_t n) { hash.update(p, n); }, have);
        } catch (const std::exception& e) {
            error = "cannot write " + part.string() + ": " + e.what();
            return false;
        }
        if (have > size) {
            file->restart();
            hash = Sha256();
            have = 0;
        }
        const int64_t before = have;
        if (have < size) {
            std::map<std::string, std::string> headers;
            if (have > 0) headers["Range"] = "bytes=" + std::to_string(have) + "-";
            bool first = true;
            std::string writeError;
            HttpResponse g = http.getTo("/v1/blobs/" + sha, headers, [&](long status, const char* data, size_t n) {
                try {  // nothing may be thrown through libcurl
                    if (first) {
                        first = false;
                        if (status == 200 && have > 0) {  // the server sent the whole blob: start over
                            file->restart();
                            hash = Sha256();
                            have = 0;
                        }
                    }
                    file->write(data, n);
                    hash.update(data, n);
                } catch (const std::exception& e) {
                    writeError = e.what();
                    return false;
                }
                have += static_cast<int64_t>(n);
                r.bytesDown += static_cast<int64_t>(n);
                return true;
            });
            if (!writeError.empty()) {
                error = "cannot write " + part.string() + ": " + writeError;
                return false;
            }
            if (!g.ok()) {
                error = describeHttpFailure(g.status, g.body, g.transportError);
                // Cut on the way: what arrived is on disk (plain) or in whole sealed chunks
                // (protected), and the next try asks for the rest (uploadBlob).
                if (g.status != 0 || g.transportError == "cancelled") return false;
                stalls = have > before ? 0 : stalls + 1;
                if (stalls > kBlobStalls) return false;
                file.reset();
                continue;
            }
        }
        break;
    }
    if (have != size || hash.hexDigest() != sha) {
        file.reset();
        fs::remove(part, ec);
        error = "downloaded blob " + sha + " does not match its hash";
        return false;
    }
    try {
        file->finish();  // the last chunk, then fdatasync
    } catch (const std::exception& e) {
        error = "cannot sync " + part.string() + ": " + e.what();
        return false;
    }
    fs::rename(part, m_blobDir / sha, ec);
    if (ec) {
        error = "cannot store blob: " + ec.message();
        return false;
    }
    fsyncDir(m_blobDir);
    return true;
}

}  // namespace jc::sync
