#pragma once
// Background job runner and main-thread queue (DESIGN.md §6, Tracy / ImHex style).
//
// The UI thread never touches SQLite. Work is queued on one of two lanes, each a worker thread
// with its own Store connection on the same file (WAL lets the reader run beside the writer):
//   Lane::Write  commands (one user intent = one transaction), autosave, evidence copies — run in
//                the order they were queued, and all of them finish before the runner stops;
//   Lane::Read   queries that build immutable snapshots for the views; queued reads may be
//                replaced by a newer job with the same coalesce key (typing in a filter box) and
//                are dropped at shutdown;
//   Lane::Background  long scans (the glyph scan of the whole store, exports) that must not
//                delay the snapshots a view is waiting for; dropped at shutdown like reads.
// The write worker opens (creates, migrates) the store first; the others open it after that.
// A job returns a closure that is posted to the MainThreadQueue, which the UI drains once per
// frame; errors are caught at the job boundary and arrive as JobError values (never exceptions
// on the UI thread).
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "app/context.h"
#include "app/setup.h"
#include "core/error.h"

namespace jc {

// A failed job, turned into UI state: the error code and the message to show.
struct JobError {
    ErrorCode code = ErrorCode::Storage;
    std::string message;
};

// Closures posted from any thread, run in order on the UI thread by drain().
class MainThreadQueue {
public:
    void post(std::function<void()> fn);
    // Runs the queued closures (and any they post meanwhile, up to `max`); returns how many ran.
    size_t drain(size_t max = static_cast<size_t>(-1));
    bool empty() const;
    // Called (on the posting thread) after each post, e.g. glfwPostEmptyEvent to wake an idle loop.
    void setWakeup(std::function<void()> wake);

private:
    mutable std::mutex m_mutex;
    std::deque<std::function<void()>> m_items;
    std::function<void()> m_wake;
};

// What a job sees on its worker: the worker's own store connection and AppContext. `app.actor`
// has an empty name while the store has no user yet (first run).
struct WorkerContext {
    Store& store;
    AppContext& app;
    bool hasUser() const { return !app.actor.name.empty(); }
    // Re-reads the acting user (after first-run set-up or a user switch).
    void reloadActor(const std::string& name);
};

enum class Lane { Read, Write, Background };

struct JobRunnerOptions {
    std::string storePath;        // <data-dir>/jiancha.db
    std::string actorName;        // "" = the store's current user
    std::optional<Date> today;    // pinned "today" (tests, demo screenshots)
};

class JobRunner {
public:
    // A job's result: a closure for the UI thread (may be empty).
    using MainTask = std::function<void()>;
    using Work = std::function<MainTask(WorkerContext&)>;
    using ErrorHandler = std::function<void(const JobError&)>;

    JobRunner(JobRunnerOptions opt, MainThreadQueue& mainQueue);
    ~JobRunner();  // finishes queued writes, drops queued reads, joins the workers
    JobRunner(const JobRunner&) = delete;
    JobRunner& operator=(const JobRunner&) = delete;

    // Queues `work`. A non-empty `coalesceKey` replaces a queued, not yet started job of the lane
    // with the same key. Exceptions from `work` become a JobError for `onError` (or the default
    // error handler) on the UI thread.
    void submit(Lane lane, Work work, std::string coalesceKey = {}, ErrorHandler onError = {});

    // Typed convenience: `work` runs on the worker, `done(result)` on the UI thread.
    template <class R>
    void request(Lane lane, std::function<R(WorkerContext&)> work, std::function<void(R)> done,
                 ErrorHandler onError = {}, std::string coalesceKey = {}) {
        submit(
            lane,
            [work = std::move(work), done = std::move(done)](WorkerContext& w) -> MainTask {
                auto result = std::make_shared<R>(work(w));
                if (!done) return {};
                return [done, result]() { done(std::move(*result)); };
            },
            std::move(coalesceKey), std::move(onError));
    }
    // For commands with no result.
    void command(std::function<void(WorkerContext&)> work, std::function<void()> done = {}, ErrorHandler onError = {});

    // Makes `name` the acting user of every worker (each holds its own AppContext), after a user
    // switch; `done` runs on the UI thread once every lane has switched.
    void switchUser(const std::string& name, std::function<void()> done = {});
    // First-run set-up on the write lane (initStore: regions, calendar, templates, the user),
    // then switchUser to the new user; `done` runs on the UI thread at the end.
    void setUpStore(InitOptions options, std::function<void()> done = {}, ErrorHandler onError = {});

    // Default handler for errors of jobs submitted without one (runs on the UI thread).
    void setErrorHandler(ErrorHandler h);
    // Blocks until every lane is empty and idle and their results are posted (tests, shutdown).
    void waitIdle();
    // Jobs queued or running on all lanes (for the status bar's busy indicator).
    int pendingJobs() const { return m_pending.load(); }
    MainThreadQueue& mainQueue() { return m_main; }
    const JobRunnerOptions& options() const { return m_opt; }

private:
    struct Job {
        Work work;
        std::string key;
        ErrorHandler onError;
    };
    struct Worker;
    void run(Worker& w);
    Worker& worker(Lane lane);
    void postError(const ErrorHandler& h, JobError e);

    JobRunnerOptions m_opt;
    MainThreadQueue& m_main;
    std::shared_ptr<ErrorHandler> m_defaultError;
    std::mutex m_errorMutex;
    std::atomic<int> m_pending{0};
    std::unique_ptr<Worker> m_read, m_write, m_background;
    std::mutex m_openMutex;
    std::condition_variable m_openCv;
    bool m_writerOpened = false;
};

}  // namespace jc
