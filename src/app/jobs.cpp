#include "app/jobs.h"

#include <exception>
#include <nlohmann/json.hpp>

#include "app/calendar_commands.h"
#include "core/i18n.h"

namespace jc {

// [SECTION] MainThreadQueue

void MainThreadQueue::post(std::function<void()> fn) {
    if (!fn) return;
    std::function<void()> wake;
    {
        std::lock_guard lock(m_mutex);
        m_items.push_back(std::move(fn));
        wake = m_wake;
    }
    if (wake) wake();
}

void MainThreadQueue::setWakeup(std::function<void()> wake) {
    std::lock_guard lock(m_mutex);
    m_wake = std::move(wake);
}

size_t MainThreadQueue::drain(size_t max) {
    size_t ran = 0;
    while (ran < max) {
        std::function<void()> fn;
        {
            std::lock_guard lock(m_mutex);
            if (m_items.empty()) break;
            fn = std::move(m_items.front());
            m_items.pop_front();
        }
        fn();
        ++ran;
    }
    return ran;
}

bool MainThreadQueue::empty() const {
    std::lock_guard lock(m_mutex);
    return m_items.empty();
}

// [SECTION] WorkerContext

void WorkerContext::reloadActor(const std::string& name) {
    app.actor = loadActor(store, name);
}

// [SECTION] JobRunner

struct JobRunner::Worker {
    Lane lane;
    std::thread thread;
    std::mutex mutex;
    std::condition_variable wake, idle;
    std::deque<Job> queue;
    bool stop = false;
    bool busy = false;
};

JobRunner::JobRunner(JobRunnerOptions opt, MainThreadQueue& mainQueue)
    : m_opt(std::move(opt)), m_main(mainQueue), m_defaultError(std::make_shared<ErrorHandler>()) {
    m_read = std::make_unique<Worker>();
    m_read->lane = Lane::Read;
    m_write = std::make_unique<Worker>();
    m_write->lane = Lane::Write;
    m_background = std::make_unique<Worker>();
    m_background->lane = Lane::Background;
    m_write->thread = std::thread([this] { run(*m_write); });
    m_read->thread = std::thread([this] { run(*m_read); });
    m_background->thread = std::thread([this] { run(*m_background); });
}

JobRunner::Worker& JobRunner::worker(Lane lane) {
    switch (lane) {
        case Lane::Read: return *m_read;
        case Lane::Write: return *m_write;
        case Lane::Background: return *m_background;
    }
    return *m_read;
}

JobRunner::~JobRunner() {
    for (Worker* w : {m_read.get(), m_background.get(), m_write.get()}) {
        std::lock_guard lock(w->mutex);
        if (w->lane != Lane::Write) {
            m_pending -= static_cast<int>(w->queue.size());
            w->queue.clear();  // nobody is waiting for snapshots any more
        }
        w->stop = true;
        w->wake.notify_all();
    }
    for (Worker* w : {m_read.get(), m_background.get(), m_write.get()})
        if (w->thread.joinable()) w->thread.join();
}

void JobRunner::submit(Lane lane, Work work, std::string coalesceKey, ErrorHandler onError) {
    Worker& w = worker(lane);
    std::lock_guard lock(w.mutex);
    if (!coalesceKey.empty()) {
        for (auto& j : w.queue) {
            if (j.key == coalesceKey) {  // a newer request supersedes the queued one
                j.work = std::move(work);
                j.onError = std::move(onError);
                return;
            }
        }
    }
    w.queue.push_back(Job{std::move(work), std::move(coalesceKey), std::move(onError)});
    ++m_pending;
    w.wake.notify_one();
}

void JobRunner::command(std::function<void(WorkerContext&)> work, std::function<void()> done, ErrorHandler onError) {
    submit(
        Lane::Write,
        [work = std::move(work), done = std::move(done)](WorkerContext& w) -> MainTask {
            work(w);
            return done;
        },
        {}, std::move(onError));
}

void JobRunner::switchUser(const std::string& name, std::function<void()> done) {
    for (Lane lane : {Lane::Write, Lane::Read, Lane::Background})
        submit(lane, [name](WorkerContext& w) -> MainTask {
            w.reloadActor(name);
            return {};
        });
    // The lanes run in parallel: wait for the other two before reporting back.
    auto remaining = std::make_shared<std::atomic<int>>(3);
    auto finish = [remaining, done = std::move(done)](WorkerContext&) -> MainTask {
        if (--*remaining > 0) return {};
        return done;
    };
    for (Lane lane : {Lane::Write, Lane::Read, Lane::Background}) submit(lane, finish);
}

void JobRunner::setUpStore(InitOptions options, std::function<void()> done, ErrorHandler onError) {
    command(
        [options](WorkerContext& w) {
            initStore(w.store, options);
            w.reloadActor(options.userName);
        },
        [this, name = options.userName, done = std::move(done)]() { switchUser(name, done); }, std::move(onError));
}

void JobRunner::setErrorHandler(ErrorHandler h) {
    std::lock_guard lock(m_errorMutex);
    m_defaultError = std::make_shared<ErrorHandler>(std::move(h));
}

void JobRunner::postError(const ErrorHandler& h, JobError e) {
    if (h) {
        m_main.post([h, e = std::move(e)]() { h(e); });
        return;
    }
    std::shared_ptr<ErrorHandler> def;
    {
        std::lock_guard lock(m_errorMutex);
        def = m_defaultError;
    }
    m_main.post([def, e = std::move(e)]() {
        if (*def) (*def)(e);
    });
}

void JobRunner::waitIdle() {
    for (Worker* w : {m_write.get(), m_read.get(), m_background.get(), m_write.get()}) {
        std::unique_lock lock(w->mutex);
        w->idle.wait(lock, [w] { return w->queue.empty() && !w->busy; });
    }
}

void JobRunner::run(Worker& w) {
    // The worker's own connection and context, opened on this thread (one connection per thread).
    std::unique_ptr<Store> store;
    std::unique_ptr<AppContext> app;
    std::string openError;
    ErrorCode openCode = ErrorCode::Storage;
    if (w.lane != Lane::Write) {
        // Two connections creating and migrating a new file at once would race: wait for the writer.
        std::unique_lock lock(m_openMutex);
        m_openCv.wait(lock, [this] { return m_writerOpened; });
    }
    try {
        store = std::make_unique<Store>(m_opt.storePath);
        Actor actor;
        try {
            actor = loadActor(*store, m_opt.actorName);
        } catch (const Error&) {
            // First run: no user yet. Jobs see an empty actor until set-up reloads it.
        }
        std::shared_ptr<const WorkCalendar> cal;
        try {
            cal = calendarFromStore(*store);
        } catch (const std::exception&) {
            cal = std::make_shared<const WorkCalendar>();
        }
        app = std::make_unique<AppContext>(AppContext{*store, actor, cal, m_opt.today});
    } catch (const Error& e) {
        openError = trf("app.err_open_store", {e.what(), m_opt.storePath});
        openCode = e.code();
    } catch (const std::exception& e) {
        openError = trf("app.err_open_store", {e.what(), m_opt.storePath});
    }
    if (w.lane == Lane::Write) {
        std::lock_guard lock(m_openMutex);
        m_writerOpened = true;
        m_openCv.notify_all();
    }

    std::string calendarSig;
    for (;;) {
        Job job;
        {
            std::unique_lock lock(w.mutex);
            w.wake.wait(lock, [&w] { return w.stop || !w.queue.empty(); });
            if (w.queue.empty()) break;  // stop requested and nothing left to do
            job = std::move(w.queue.front());
            w.queue.pop_front();
            w.busy = true;
        }
        if (!app) {
            postError(job.onError, JobError{openCode, openError});
        } else {
            try {
                // A year HQ published (here or pulled by sync) changes deadlines: rebuild the
                // calendar when the published years changed since this worker last looked.
                if (std::string sig = calendarSignature(*store); sig != calendarSig) {
                    if (!calendarSig.empty()) app->calendar = calendarFromStore(*store);
                    calendarSig = sig;
                }
                WorkerContext ctx{*store, *app};
                MainTask task = job.work(ctx);
                m_main.post(std::move(task));
            } catch (const Error& e) {
                postError(job.onError, JobError{e.code(), e.what()});
            } catch (const nlohmann::json::exception& e) {
                postError(job.onError, JobError{ErrorCode::Invalid, trf("app.err_invalid_data", {e.what()})});
            } catch (const std::exception& e) {
                postError(job.onError, JobError{ErrorCode::Storage, e.what()});
            }
            store->db().resetStatements();
        }
        {
            std::lock_guard lock(w.mutex);
            w.busy = false;
            --m_pending;
            if (w.queue.empty()) w.idle.notify_all();
        }
    }
    std::lock_guard lock(w.mutex);
    w.idle.notify_all();
}

}  // namespace jc
