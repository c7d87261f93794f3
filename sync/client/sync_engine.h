#pragma once
// The client sync engine (DESIGN.md §4): enrols a device, then each run pushes the outbox in
// batches, pulls pages after the cursor, and moves evidence blobs in their own queue (so a
// failed photo never blocks records). Runs on whatever thread owns the Store it is given —
// the GUI gives it a worker thread with its own Store. Every outcome comes back as a
// SyncReport with the error in words; nothing here throws across the network boundary.
#include <atomic>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "store/store.h"
#include "sync/client/sync_errors.h"

namespace jc::sync {

class HttpClient;

struct SyncSettings {
    std::string server;    // base URL, e.g. https://hq.example:8443
    std::string token;     // bearer token from enrolment
    std::string deviceId;  // as the server knows this device
    std::string caFile;    // optional PEM to trust a self-signed server
    std::string userName;
};

std::optional<SyncSettings> loadSyncSettings(Store& store);

struct EnrollOutcome {
    bool ok = false;
    std::string error;  // in words when !ok (English detail; `kind` is what the user is told)
    SyncErrorKind kind = SyncErrorKind::None;
    std::string userName, role, deviceId;
};

// Exchanges a one-time code for a device token and records it in the store. On a fresh store
// it also makes the enrolled user the store's user. The code may be typed loosely (spaces,
// lower case, full-width characters: normalizeEnrollCode). Refuses (ok = false, store unchanged) when
// the store already belongs to another user.
EnrollOutcome enrollDevice(Store& store, const std::string& server, const std::string& code,
                           const std::string& deviceName, const std::string& caFile = {});

struct SyncProgress {
    std::string phase;  // "push", "pull", "blobs"
    int64_t done = 0, total = 0;
};

struct SyncReport {
    bool ok = false;
    std::string error;       // the first failure, in words ("" when ok)
    SyncErrorKind errorKind = SyncErrorKind::None;  // what kind of failure (sync_errors.h)
    int pushed = 0;          // changes the server accepted (applied, duplicate or with conflict)
    int rejected = 0;        // changes the server refused for good (kept in sync_rejection)
    int conflicts = 0;       // fields where two people edited the same value
    int pulled = 0;          // changes applied from the server
    int keptLocal = 0;       // pulled fields skipped because a local edit is pending
    int blobsUp = 0, blobsDown = 0, blobsFailed = 0;
    int64_t bytesUp = 0, bytesDown = 0;  // evidence file bytes moved
    int64_t wireBytesSent = 0, wireBytesReceived = 0;  // all HTTP bytes of the round (after gzip)
    int64_t pendingAfter = 0;  // outbox changes still waiting
    bool serverRestored = false;  // the server was restored from a backup since the last sync
    int requeued = 0;             // changes queued again because of it (store/server_epoch.h)
    double ms = 0;
};

class SyncEngine {
public:
    using ProgressFn = std::function<void(const SyncProgress&)>;
    static constexpr int kPushBatch = 1000;  // the protocol's limit per push (proto::kMaxChangesPerPush)
    static constexpr int kPullPage = 2000;   // the server's largest page (proto::kMaxPullLimit)
    static constexpr size_t kPushBodyBytes = 4u << 20;  // a push body stays under half the server's 8 MiB limit
    static constexpr size_t kBlobChunk = 8u << 20;  // the protocol's largest chunk (proto::kMaxBlobChunkBytes)
    // Tries in a row that move a cut blob transfer no further before it waits for the next round.
    static constexpr int kBlobStalls = 3;

    SyncEngine(Store& store, std::filesystem::path blobDir);
    // A flag that, once true, makes the round end soon with the error "cancelled" (requests in
    // flight are aborted; what was committed stays committed). It must outlive the engine's rounds.
    void setCancelFlag(const std::atomic<bool>* flag) { m_cancel = flag; }
    // One full round: push, pull, blobs. Safe to call again after any failure.
    SyncReport run(const ProgressFn& progress = {});
    // Only the record part (push + pull); used by `jiancha sync --no-blobs` and benchmarks.
    SyncReport runRecords(const ProgressFn& progress = {});
    // Only the blob queue (evidence files up and down), which never waits for records; used by
    // benchmarks and by callers that move photos separately from records.
    SyncReport runBlobs(const ProgressFn& progress = {});

private:
    SyncReport round(bool records, bool files, const ProgressFn& progress);
    void followServerEpoch(const std::string& versionBody, SyncReport& r);
    // The same from the epoch header of the answers so far; true when the server was restored
    // (the device then recovered, and the round pushes and pulls again).
    bool followEpochHeader(const HttpClient& http, SyncReport& r);
    bool push(class HttpClient& http, SyncReport& r, const ProgressFn& progress);
    std::string pushBody(const std::string& deviceId, int64_t& afterSeq, size_t& count);
    bool pull(class HttpClient& http, SyncReport& r, const ProgressFn& progress, bool& statusWritten);
    // Records the attempt (and the success or the error) in the caller's transaction `tx`.
    void writeSyncStatus(const Transaction& tx, bool ok, const std::string& error);
    void blobs(class HttpClient& http, SyncReport& r, const ProgressFn& progress);
    void markBlobStored(const std::string& sha, int64_t size, int attempts);
    bool uploadBlob(class HttpClient& http, const std::string& sha, int64_t size, SyncReport& r, std::string& error);
    bool downloadBlob(class HttpClient& http, const std::string& sha, int64_t size, SyncReport& r, std::string& error);
    Store& m_store;
    std::filesystem::path m_blobDir;
    std::unique_ptr<char[]> m_chunk;  // blob upload buffer (kBlobChunk), kept between uploads
    const std::atomic<bool>* m_cancel = nullptr;
};

// A server answer that is not 2xx, in words for the user ("device revoked by HQ", "update Jiancha …").
std::string describeHttpFailure(long status, const std::string& body, const std::string& transportError);

}  // namespace jc::sync
