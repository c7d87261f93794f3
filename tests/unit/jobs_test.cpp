// The job runner: work runs on the workers (never the calling thread), results come back only
// through the main-thread queue, writes keep their order and all finish before the runner
// stops, queued reads with the same key are coalesced, errors arrive as JobError values.
#include <catch2/catch.hpp>

#include <atomic>
#include <filesystem>
#include <thread>

#include "app/jobs.h"
#include "app/setup.h"
#include "core/error.h"
#include "core/uuid.h"

using namespace jc;
namespace fs = std::filesystem;

namespace {
struct Dir {
    fs::path path = fs::temp_directory_path() / ("jc_jobs_" + newUuidV7());
    Dir() { fs::create_directories(path); }
    ~Dir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
    std::string db() const { return (path / "jiancha.db").string(); }
};
}  // namespace

TEST_CASE("jobs run off the calling thread and report back through the main queue", "[jobs]") {
    Dir d;
    MainThreadQueue main;
    std::thread::id caller = std::this_thread::get_id();
    std::thread::id ranOn;
    int result = 0;
    {
        JobRunner jobs({d.db(), "", std::nullopt}, main);
        jobs.request<int>(
            Lane::Read,
            [&](WorkerContext& w) {
                ranOn = std::this_thread::get_id();
                return static_cast<int>(w.store.schemaVersion());
            },
            [&](int v) { result = v; });
        jobs.waitIdle();
        CHECK(result == 0);  // not before the queue is drained
        CHECK(main.drain() == 1);
        CHECK(result > 0);
        CHECK(ranOn != caller);
    }
}

TEST_CASE("writes run in order and finish before the runner stops", "[jobs]") {
    Dir d;
    MainThreadQueue main;
    std::vector<int> order;
    {
        JobRunner jobs({d.db(), "", std::nullopt}, main);
        for (int i = 0; i < 50; ++i)
            jobs.command([&order, i](WorkerContext&) { order.push_back(i); });
    }  // destructor: queued writes still run
    REQUIRE(order.size() == 50);
    for (int i = 0; i < 50; ++i) CHECK(order[static_cast<size_t>(i)] == i);
}

TEST_CASE("queued reads with the same key are coalesced to the newest", "[jobs]") {
    Dir d;
    MainThreadQueue main;
    std::atomic<bool> release{false};
    std::vector<int> seen;
    JobRunner jobs({d.db(), "", std::nullopt}, main);
    jobs.submit(Lane::Read, [&](WorkerContext&) -> JobRunner::MainTask {
        while (!release) std::this_thread::sleep_for(std::chrono::milliseconds(1));
        return {};
    });
    for (int i = 0; i < 10; ++i)
        jobs.request<int>(Lane::Read, [i](WorkerContext&) { return i; }, [&seen](int v) { seen.push_back(v); }, {}, "filter");
    release = true;
    jobs.waitIdle();
    main.drain();
    REQUIRE(seen.size() == 1);
    CHECK(seen[0] == 9);
}

TEST_CASE("errors become JobError values on the main thread", "[jobs]") {
    Dir d;
    MainThreadQueue main;
    JobRunner jobs({d.db(), "", std::nullopt}, main);
    std::optional<JobError> err, fallback;
    jobs.setErrorHandler([&](const JobError& e) { fallback = e; });
    jobs.command([](WorkerContext&) { throw ValidationError("标题必填"); }, {}, [&](const JobError& e) { err = e; });
    jobs.command([](WorkerContext&) { throw NotFoundError("finding x not found"); });
    jobs.waitIdle();
    CHECK_FALSE(err.has_value());
    main.drain();
    REQUIRE(err.has_value());
    CHECK(err->code == ErrorCode::Invalid);
    CHECK(err->message == "标题必填");
    REQUIRE(fallback.has_value());
    CHECK(fallback->code == ErrorCode::NotFound);
}

TEST_CASE("a worker sees the user after first-run set-up", "[jobs]") {
    Dir d;
    MainThreadQueue main;
    JobRunner jobs({d.db(), "", std::nullopt}, main);
    std::string before = "?", after = "?";
    jobs.request<std::string>(Lane::Read, [](WorkerContext& w) { return w.app.actor.name; }, [&](std::string n) { before = n; });
    jobs.command([](WorkerContext& w) {
        initStore(w.store, InitOptions{"李娜", Role::Inspector, "", ""});
        w.reloadActor("李娜");
    });
    jobs.waitIdle();
    jobs.request<std::string>(Lane::Write, [](WorkerContext& w) { return w.app.actor.name; }, [&](std::string n) { after = n; });
    jobs.waitIdle();
    main.drain();
    CHECK(before.empty());
    CHECK(after == "李娜");
}

TEST_CASE("the wakeup hook is called when results are posted", "[jobs]") {
    Dir d;
    MainThreadQueue main;
    std::atomic<int> wakes{0};
    main.setWakeup([&] { ++wakes; });
    JobRunner jobs({d.db(), "", std::nullopt}, main);
    jobs.command([](WorkerContext&) {}, [] {});
    jobs.waitIdle();
    CHECK(wakes.load() >= 1);
    CHECK(main.drain() == 1);
}

TEST_CASE("a reader sees writes made after its previous job (no snapshot is held between jobs)", "[jobs]") {
    Dir d;
    MainThreadQueue main;
    JobRunner jobs({d.db(), "", std::nullopt}, main);
    jobs.command([](WorkerContext& w) { w.store.setMeta("probe", "1"); });
    jobs.waitIdle();
    // A read job that leaves a cached statement on a row (as store helpers do).
    jobs.request<std::string>(Lane::Read, [](WorkerContext& w) {
        auto& s = w.store.db().cached("SELECT value FROM meta WHERE key = 'probe'");
        return s.step() ? s.getText(0) : std::string();
    }, {});
    jobs.waitIdle();
    jobs.command([](WorkerContext& w) { w.store.setMeta("probe", "2"); });
    jobs.waitIdle();
    std::string seen;
    jobs.request<std::string>(Lane::Read, [](WorkerContext& w) { return w.store.meta("probe").value_or(""); },
                              [&](std::string v) { seen = v; });
    jobs.waitIdle();
    main.drain();
    CHECK(seen == "2");
}
