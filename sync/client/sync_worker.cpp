#include "sync/client/sync_worker.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <exception>
#include <mutex>

#include "core/dates.h"
#include "store/search_index.h"
#include "store/store.h"
#include "store/sync_state.h"

namespace jc::sync {

namespace {
using Clock = std::chrono::steady_clock;

// Records indexed per catch-up transaction: ~0.1–0.3 s of work, so the GUI's own writes wait
// at most that long for the store, and a poke or stop is seen as soon.
constexpr int kCatchUpBatch = 500;

Clock::duration after(double seconds) {
    return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
}

}  // namespace

struct SyncWorker::Shared {
    SyncWorkerOptions opt;
    RoundFn onRound;
    mutable std::mutex mutex;          // everything below but callbackMutex
    std::condition_variable wake;      // pokes and stop
    std::condition_variable finished;  // the thread has left its loop
    SyncStatus status;
    Clock::time_point nextAt = Clock::now();
    Clock::time_point backoffUntil = Clock::now();  // poke() starts nothing before this
    bool pokedDuringRound = false;
    bool stop = false, done = false;
    std::atomic<bool> cancel{false};  // set by stop(): the round in progress ends within about a second
    std::mutex callbackMutex;  // held while onRound runs, so stop() can wait for it
};

SyncWorker::SyncWorker(SyncWorkerOptions options, RoundFn onRound) : m_shared(std::make_shared<Shared>()) {
    m_shared->opt = std::move(options);
    m_shared->onRound = std::move(onRound);
    m_thread = std::thread(run, m_shared);
}

SyncWorker::~SyncWorker() {
    stop();
}

SyncStatus SyncWorker::status() const {
    std::lock_guard lock(m_shared->mutex);
    SyncStatus st = m_shared->status;
    if (m_shared->stop || st.syncing)
        st.nextAttemptIn = -1;
    else
        st.nextAttemptIn = std::max(0.0, std::chrono::duration<double>(m_shared->nextAt - Clock::now()).count());
    return st;
}

void SyncWorker::poke() {
    Shared& s = *m_shared;
    std::lock_guard lock(s.mutex);
    if (s.status.syncing) {
        // The running round may have read the outbox before this write: one more round after it.
        s.pokedDuringRound = true;
        return;
    }
    auto at = std::max(Clock::now() + after(s.opt.debounce), s.backoffUntil);
    if (at < s.nextAt) {
        s.nextAt = at;
        s.wake.notify_all();
    }
}

void SyncWorker::syncNow() {
    Shared& s = *m_shared;
    std::lock_guard lock(s.mutex);
    if (s.status.syncing) {
        s.pokedDuringRound = true;
        return;
    }
    s.nextAt = s.backoffUntil = Clock::now();
    s.wake.notify_all();
}

void SyncWorker::stop() {
    if (!m_thread.joinable()) return;
    Shared& s = *m_shared;
    {
        std::lock_guard lock(s.mutex);
        s.stop = true;
    }
    s.cancel = true;
    s.wake.notify_all();
    { std::lock_guard wait(s.callbackMutex); }  // a callback in progress ends; none starts after this
    std::unique_lock lock(s.mutex);
    bool done = s.finished.wait_for(lock, after(s.opt.shutdownGrace), [&] { return s.done; });
    lock.unlock();
    if (done) {
        m_thread.join();
    } else {
        // Cancelled requests end within about a second, so this is a round stuck elsewhere (a
        // long local commit); the thread owns what it uses (its Store, the shared state), so it
        // may finish after we are gone.
        std::fprintf(stderr, "jiancha: a sync round is still running; leaving it to end on its own\n");
        m_thread.detach();
    }
}

void SyncWorker::run(std::shared_ptr<Shared> sp) {
    Shared& s = *sp;
    std::unique_ptr<Store> store;
    std::unique_ptr<SyncEngine> engine;
    double backoff = 0;
    auto fail = [&](const std::string& error, sync::SyncErrorKind kind) {  // with s.mutex held
        backoff = backoff == 0 ? s.opt.backoffMin : std::min(backoff * 2, s.opt.backoffMax);
        s.status.state = SyncState::Offline;
        s.status.lastError = error;
        s.status.lastErrorKind = kind;
        s.status.backoff = backoff;
        ++s.status.failures;
        s.nextAt = s.backoffUntil = Clock::now() + after(backoff);
    };

    bool catchUp = false;  // check for unindexed records (after opening the store, after each round)
    std::unique_lock lock(s.mutex);
    while (!s.stop) {
        // Search index catch-up while no round is due; one batch (~0.1–0.3 s) per pass.
        while (catchUp && store && !s.stop && Clock::now() < s.nextAt) {
            lock.unlock();
            int64_t left = 0;
            try {
                left = catchUpSearchIndex(store->db(), kCatchUpBatch);
                store->db().resetStatements();
            } catch (const std::exception& e) {
                // A busy or failing store: search still scans the rest; try again after the next round.
                std::fprintf(stderr, "jiancha: search index catch-up: %s\n", e.what());
                left = -1;
            }
            lock.lock();
            s.status.unindexed = std::max<int64_t>(left, 0);
            catchUp = left > 0;
        }
        while (!s.stop && Clock::now() < s.nextAt) s.wake.wait_until(lock, s.nextAt);
        if (s.stop) break;
        lock.unlock();

        // Enrolment is read from the store each time: `jiancha enroll` may run while the window is open.
        std::optional<SyncSettings> settings;
        std::string openError;
        try {
            if (!store) {
                store = std::make_unique<Store>(s.opt.storePath.string());
                engine = std::make_unique<SyncEngine>(*store, s.opt.blobDir);
                engine->setCancelFlag(&s.cancel);
                auto last = store->meta("sync_last_success");
                if (last && !last->empty()) {
                    auto ms = parseIsoTimestamp(*last);
                    std::lock_guard l(s.mutex);
                    s.status.lastSuccessMs = ms;
                }
            }
            settings = loadSyncSettings(*store);
            catchUp = catchUp || searchPendingCount(store->db()) > 0;
            store->db().resetStatements();  // no stale WAL snapshot into the next round
        } catch (const std::exception& e) {
            openError = std::string("cannot read the local store: ") + e.what();
            store.reset();
            engine.reset();
        }

        lock.lock();
        if (!openError.empty()) {
            fail(openError, sync::SyncErrorKind::Local);
            continue;
        }
        if (!settings) {
            s.status.state = SyncState::NotEnrolled;
            s.status.server.clear();
            s.nextAt = Clock::now() + after(s.opt.enrolCheck);
            continue;
        }
        s.status.syncing = true;
        s.status.server = settings->server;
        s.status.phase.clear();
        s.status.done = s.status.total = 0;
        s.pokedDuringRound = false;
        lock.unlock();

        SyncReport r;
        try {
            r = engine->run([&s](const SyncProgress& p) {
                std::lock_guard l(s.mutex);
                s.status.phase = p.phase;
                s.status.done = p.done;
                s.status.total = p.total;
            });
        } catch (const std::exception& e) {  // the store, not the network (that comes back in the report)
            r.ok = false;
            r.error = e.what();
            r.errorKind = sync::SyncErrorKind::Local;
        }
        try {
            store->db().resetStatements();  // no stale WAL snapshot into the next round
            if (r.ok) releaseFreePages(store->db());  // the emptied outbox's pages, back to the disk
        } catch (...) {
        }

        int64_t unindexed = 0;
        try {
            unindexed = searchPendingCount(store->db());
            store->db().resetStatements();
        } catch (...) {
        }
        catchUp = unindexed > 0;

        lock.lock();
        s.status.syncing = false;
        s.status.phase.clear();
        s.status.unindexed = unindexed;
        s.status.last = r;
        ++s.status.rounds;
        // Over the day's evidence limit the records went through and HQ is there: online, at
        // the usual interval, with the limit shown as the last error until it clears.
        const bool quota = r.errorKind == sync::SyncErrorKind::BlobQuota;
        if (r.ok || quota) {
            backoff = 0;
            s.status.state = SyncState::Online;
            s.status.lastSuccessMs = nowMillis();
            s.status.lastError = quota ? r.error : std::string();
            s.status.lastErrorKind = r.errorKind;
            s.status.backoff = 0;
            s.status.failures = 0;
            s.backoffUntil = Clock::now();
            s.nextAt = Clock::now() + after(s.pokedDuringRound ? s.opt.debounce : s.opt.interval);
        } else {
            fail(r.error.empty() ? std::string("sync failed") : r.error, r.errorKind);
        }
        lock.unlock();
        {
            std::lock_guard cb(s.callbackMutex);
            bool stopping;
            {
                std::lock_guard l(s.mutex);
                stopping = s.stop;
            }
            if (!stopping && s.onRound) s.onRound(r);
        }
        lock.lock();
    }
    lock.unlock();
    engine.reset();
    store.reset();
    lock.lock();
    s.done = true;
    s.finished.notify_all();
}

}  // namespace jc::sync
