#pragma once
// Automatic background sync of the GUI (DESIGN.md §4, §6): one thread with its own Store
// connection runs SyncEngine rounds while the client is open — every `interval` while the server
// answers, after a growing backoff while it does not, and shortly after a local write (poke) so a
// saved finding leaves within seconds. The UI thread reads a copy of the published state
// (status()) for the status bar; `onRound` tells the owner, on the worker thread, what a round
// did (the shell posts it to its main-thread queue and reloads views when something was pulled).
//
// Between rounds the thread catches the search index up with what a pull wrote
// (store/search_index.h catchUpSearchIndex), a batch at a time: a poke, "sync now" or stop() is
// seen within one batch, and search stays exact meanwhile (it scans what is not indexed yet).
//
// stop() cancels a round in progress (its HTTP requests are aborted within about a second,
// what was committed stays) and waits up to `shutdownGrace` seconds for the thread; should it
// still be busy it is left to finish alone: everything it touches is owned by the thread, and
// `onRound` is never called after stop() returned.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "sync/client/sync_engine.h"

namespace jc::sync {

enum class SyncState {
    Starting,     // the first check has not run yet
    NotEnrolled,  // no server settings in the store (`jiancha enroll`)
    Online,       // the last round succeeded
    Offline,      // the last round failed (lastError says why)
};

// What the status bar shows; a copy taken under the worker's lock.
struct SyncStatus {
    SyncState state = SyncState::Starting;
    bool syncing = false;                  // a round is under way (state keeps the last outcome)
    std::string phase;                     // "push" | "pull" | "blobs" while syncing
    int64_t done = 0, total = 0;           // progress of the phase
    std::string server;                    // the enrolled server's URL
    std::optional<int64_t> lastSuccessMs;  // unix ms of the last successful round (also of earlier runs)
    std::string lastError;                 // in words; "" when the last round succeeded
    sync::SyncErrorKind lastErrorKind = sync::SyncErrorKind::None;  // what kind of failure (translated)
    double nextAttemptIn = -1;             // seconds until the next automatic round (-1: none planned)
    double backoff = 0;                    // the current retry delay while offline, in seconds
    int failures = 0;                      // failed rounds in a row
    int rounds = 0;                        // rounds finished since start
    SyncReport last;                 // the counts of the last round
    int64_t unindexed = 0;           // pulled records the search index has not caught up with yet
};

struct SyncWorkerOptions {
    std::filesystem::path storePath;  // the local store (app/paths.h storePath())
    std::filesystem::path blobDir;    // where evidence files live (app/paths.h blobDir())
    double interval = 30;    // between rounds while online, in seconds
    double enrolCheck = 30;  // between checks while the device is not enrolled
    double backoffMin = 5;   // the first retry after a failure; doubles up to backoffMax
    double backoffMax = 300;
    double debounce = 2;       // a poke after a local write starts a round this much later
    double shutdownGrace = 3;  // how long stop() waits for a cancelled round to end
};

class SyncWorker {
public:
    using RoundFn = std::function<void(const SyncReport&)>;

    // Starts the thread; the first check runs at once.
    SyncWorker(SyncWorkerOptions options, RoundFn onRound = {});
    ~SyncWorker();  // stop()
    SyncWorker(const SyncWorker&) = delete;
    SyncWorker& operator=(const SyncWorker&) = delete;

    SyncStatus status() const;
    // Something was written locally: a round within `debounce` seconds (not sooner than a
    // running backoff allows, so saving while offline does not hammer a dead server).
    void poke();
    // "Sync now": a round at once, backoff or not.
    void syncNow();
    // Ends the loop, cancels a round in progress and waits up to shutdownGrace for it. Safe to call twice.
    void stop();

private:
    struct Shared;
    static void run(std::shared_ptr<Shared> s);
    std::shared_ptr<Shared> m_shared;
    std::thread m_thread;
};

}  // namespace jc::sync
