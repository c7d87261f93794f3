#pragma once
// Content-addressed evidence files (DESIGN.md §4 Blobs). A blob is named by the SHA-256 of its
// bytes and stored once however many records name it. Uploads are resumable: chunks append to
// partial/<sha256>.part at exactly the stored offset (fdatasync'ed before the answer), and when
// the declared total is reached the bytes are verified against the name; a mismatch discards the
// partial file. A chunk cut short by the connection is stored as far as it arrived (the routes
// append the received prefix as a shorter chunk), so a client on a flaky link resumes at the
// byte where the cut happened. Complete blobs live in objects/<first two hex digits>/<sha256>.
// Only names that passed proto::isSha256Hex ever reach the file system.
// The running SHA-256 state of each upload is kept in memory so completion does not re-read the
// file; after a restart it is rebuilt from the partial file (base/sha256.h).
// Several server processes may share one directory (PostgreSQL deployments): an append holds an
// exclusive flock on the partial file and takes the stored offset from that file, and the
// in-memory hash state is used only when it belongs to the same file (inode) at the same offset.
#include <array>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "base/sha256.h"

namespace jc::server {

class BlobStore {
public:
    struct Status {
        int64_t offset = 0;  // bytes stored (the size when complete)
        bool complete = false;
    };

    explicit BlobStore(std::filesystem::path dir);  // creates the directories

    Status status(const std::string& sha256);
    // Appends one chunk. Throws ApiError: 400 (bad total), 409 offset_mismatch (with "offset"),
    // 413 (blob too large), 422 hash_mismatch (the partial upload is then discarded).
    // A blob that is already complete is answered as complete without writing (deduplication).
    Status append(const std::string& sha256, int64_t offset, int64_t total, std::string_view data);
    std::optional<std::filesystem::path> completePath(const std::string& sha256);

    const std::filesystem::path& dir() const { return m_dir; }

private:
    struct Upload {
        std::shared_ptr<Sha256> state;  // SHA-256 of the first `offset` bytes
        int64_t offset = 0;
        uint64_t inode = 0;  // of the partial file the state was computed over
    };
    std::filesystem::path objectPath(const std::string& sha) const;
    std::filesystem::path partialPath(const std::string& sha) const;
    std::mutex& lockFor(const std::string& sha);

    std::filesystem::path m_dir;
    std::array<std::mutex, 16> m_locks;
    std::mutex m_uploadsMutex;
    std::map<std::string, Upload> m_uploads;
};

}  // namespace jc::server
