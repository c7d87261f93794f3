// The GUI's background sync (sync/client/sync_worker.h) against a real jiancha-server on
// loopback: it sends a local write by itself after a poke, goes offline with the reason in
// words when the server dies and backs off more and more, and comes back when the server does;
// a store that is not enrolled just waits; stop() cancels even a hung request and ends the thread.
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <thread>

#include "app/context.h"
#include "app/finding_commands.h"
#include "app/paths.h"
#include "app/setup.h"
#include "core/uuid.h"
#include "store/store.h"
#include "support/app_setup.h"
#include "support/hq_server.h"
#include "support/free_port.h"
#include "support/temp_dir.h"
#include "support/wait_for.h"
#include "sync/client/sync_worker.h"

using namespace jc;
using jc::sync::SyncState;
using jc::sync::SyncStatus;
using jc::sync::SyncWorker;
using jc::sync::SyncWorkerOptions;
namespace fs = std::filesystem;

namespace {

using Dir = test::TempDir;

// Polls the worker until `ok` holds; fails after `seconds` with the last state in the message.
SyncStatus waitFor(const SyncWorker& w, const std::function<bool(const SyncStatus&)>& ok, double seconds = 20) {
    auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
    SyncStatus st = w.status();
    while (!ok(st)) {
        if (std::chrono::steady_clock::now() > end) {
            FAIL("timed out; state " << static_cast<int>(st.state) << ", syncing " << st.syncing << ", rounds "
                                     << st.rounds << ", failures " << st.failures << ", error '" << st.lastError << "'");
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        st = w.status();
    }
    return st;
}

SyncWorkerOptions quick(const fs::path& dataDir) {
    SyncWorkerOptions o;
    o.storePath = storePath(dataDir);
    o.blobDir = blobDir(dataDir);
    o.interval = 600;  // only pokes start rounds after the first (so each round below is ours)
    o.enrolCheck = 0.2;
    o.backoffMin = 0.3;
    o.backoffMax = 2.4;
    o.debounce = 0.2;
    return o;
}

std::string addFinding(const fs::path& dataDir, const std::string& campaign, const std::string& title) {
    Store store(storePath(dataDir).string());
    AppContext ctx = test::appContext(store, "");
    return createFinding(ctx, test::findingFields(campaign, "demolition", title));
}

int64_t outboxCount(const fs::path& dataDir) {
    Store store(storePath(dataDir).string());
    return store.db().queryInt("SELECT count(*) FROM outbox");
}

// What the server has, seen by another device of the team: a fresh lead device pulls everything.
int64_t findingsOnServer(test::HqServer& hq, const std::string& title) {
    Dir lead;
    test::enrollDataDir(lead.path, hq.url(), hq.enrollCode("李娜"));
    Store store(storePath(lead.path).string());
    sync::SyncEngine engine(store, blobDir(lead.path));
    auto r = engine.run();
    INFO("lead's sync: " << r.error);
    REQUIRE(r.ok);
    auto& s = store.db().cached("SELECT count(*) FROM finding WHERE title = ?");
    s.bind(1, title);
    REQUIRE(s.step());
    int64_t n = s.getInt(0);
    s.reset();
    return n;
}

}  // namespace

TEST_CASE("the sync worker sends local writes, backs off while the server is down and comes back", "[sync][worker]") {
    test::HqServer hq;
    Dir device;
    {
        Store fresh(storePath(device.path).string());  // what the GUI finds before `jiancha enroll`
    }
    std::atomic<int> callbacks{0}, pulledRounds{0};
    SyncWorker worker(quick(device.path), [&](const sync::SyncReport& r) {
        ++callbacks;
        if (r.pulled > 0) ++pulledRounds;
    });
    waitFor(worker, [](const SyncStatus& s) { return s.state == SyncState::NotEnrolled; });
    CHECK(worker.status().rounds == 0);

    // Enrolled while the worker runs: it notices by itself and its first round pulls the team's data.
    test::enrollDataDir(device.path, hq.url(), hq.enrollCode("张伟"));
    SyncStatus st = waitFor(worker, [](const SyncStatus& s) { return s.state == SyncState::Online && !s.syncing; });
    CHECK(st.lastError.empty());
    REQUIRE(st.lastSuccessMs.has_value());
    CHECK(*st.lastSuccessMs > 0);
    CHECK(st.server == hq.url());
    CHECK(st.last.pulled > 0);
    // The owner hears of every round (right after the state is published).
    for (int i = 0; i < 200 && callbacks.load() < st.rounds; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    CHECK(callbacks.load() == st.rounds);
    CHECK(pulledRounds.load() >= 1);

    // A local write and a poke (what Shell::dataChanged does): the worker sends it.
    int roundsBefore = st.rounds;
    addFinding(device.path, hq.campaign(), "城区拆迁补偿不到位");
    REQUIRE(outboxCount(device.path) > 0);
    worker.poke();
    st = waitFor(worker, [&](const SyncStatus& s) { return s.rounds > roundsBefore && !s.syncing; });
    CHECK(st.state == SyncState::Online);
    CHECK(st.last.pushed >= 1);
    CHECK(st.last.pendingAfter == 0);
    CHECK(outboxCount(device.path) == 0);
    CHECK(findingsOnServer(hq, "城区拆迁补偿不到位") == 1);

    // The server dies: offline, the reason in words, and the retry delay grows.
    int port = hq.port();
    hq.kill();
    addFinding(device.path, hq.campaign(), "学校食堂食品安全隐患");
    worker.poke();
    st = waitFor(worker, [](const SyncStatus& s) { return s.state == SyncState::Offline && !s.syncing; });
    INFO("error: " << st.lastError);
    CHECK(st.lastError.find("server unreachable") != std::string::npos);
    CHECK(st.failures >= 1);
    double firstBackoff = st.backoff;
    CHECK(firstBackoff == Approx(0.3));
    CHECK(st.nextAttemptIn > 0);
    CHECK(st.nextAttemptIn <= firstBackoff + 0.01);
    // Nobody pokes: the retries come by themselves, each after a longer wait, up to the maximum.
    st = waitFor(worker, [](const SyncStatus& s) { return s.failures >= 4 && !s.syncing; });
    CHECK(st.backoff > firstBackoff);
    CHECK(st.backoff == Approx(2.4));
    CHECK(st.state == SyncState::Offline);
    // A poke after a local write respects the backoff (no hammering a dead server) …
    int failures = st.failures;
    st = waitFor(worker, [&](const SyncStatus& s) { return s.failures > failures && !s.syncing; });  // just failed
    worker.poke();
    CHECK(worker.status().nextAttemptIn > 1.0);  // still ~2.4 s away, not the 0.2 s debounce

    // … and the server comes back (on the same port if the OS lets us have it again, else
    // elsewhere and the device is pointed there, as HQ would tell an inspector to).
    if (!hq.start(port)) {
        REQUIRE(hq.start(0));
        Store store(storePath(device.path).string());
        store.setMeta("sync_server", hq.url());
    }
    worker.syncNow();
    st = waitFor(worker, [](const SyncStatus& s) { return s.state == SyncState::Online && !s.syncing; });
    CHECK(st.lastError.empty());
    CHECK(st.failures == 0);
    CHECK(st.backoff == 0);
    CHECK(st.last.pendingAfter == 0);
    CHECK(outboxCount(device.path) == 0);
    CHECK(findingsOnServer(hq, "学校食堂食品安全隐患") == 1);

    // The last success is what the store says too (a restart shows it before the first round).
    Store store(storePath(device.path).string());
    auto saved = store.meta("sync_last_success");
    REQUIRE(saved.has_value());
    CHECK(store.meta("sync_last_error").value_or("x").empty());
}

TEST_CASE("a store that is not enrolled makes the worker wait, not fail", "[sync][worker]") {
    Dir device;
    {
        Store store(storePath(device.path).string());
        initStore(store, InitOptions{"张伟", Role::Inspector, "", ""});
    }
    SyncWorker worker(quick(device.path));
    SyncStatus st = waitFor(worker, [](const SyncStatus& s) { return s.state == SyncState::NotEnrolled; });
    worker.poke();
    worker.syncNow();
    std::this_thread::sleep_for(std::chrono::milliseconds(500));  // several enrolment checks
    st = worker.status();
    CHECK(st.state == SyncState::NotEnrolled);
    CHECK(st.rounds == 0);
    CHECK(st.failures == 0);
    CHECK(st.lastError.empty());
    CHECK_FALSE(st.lastSuccessMs.has_value());
    worker.stop();
    worker.stop();  // twice is fine
}

TEST_CASE("stopping the worker cancels a hung request and ends the thread", "[sync][worker]") {
    // A "server" that accepts TCP connections (the kernel's backlog does) but never answers:
    // a request to it hangs until libcurl's 120 s timeout.
    int sock = test::listenLoopback(0, 16);
    REQUIRE(sock >= 0);
    int port = test::boundPort(sock);

    Dir device;
    {
        Store store(storePath(device.path).string());
        initStore(store, InitOptions{"张伟", Role::Inspector, "", ""});
        store.setMeta("sync_server", "http://127.0.0.1:" + std::to_string(port));
        store.setMeta("sync_token", "token-of-a-hung-server");
    }
    std::atomic<int> callbacks{0};
    auto opt = quick(device.path);
    opt.shutdownGrace = 5;  // the cancelled request ends within about a second; this is slack for a loaded machine
    auto worker = std::make_unique<SyncWorker>(opt, [&](const sync::SyncReport&) { ++callbacks; });
    waitFor(*worker, [](const SyncStatus& s) { return s.syncing; });
    // The request is out and waiting: its connection sits in the listening socket's queue.
    REQUIRE(test::waitFor(
        [&] {
            pollfd p{sock, POLLIN, 0};
            return ::poll(&p, 1, 0) == 1;
        },
        20));
    REQUIRE(worker->status().syncing);

    auto t0 = std::chrono::steady_clock::now();
    worker.reset();  // the destructor stops: the request is cancelled and the thread joined
    double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    CHECK(took < 10);  // not the 120 s of the request timeout

    // The thread ended before stop() returned (it was not left running): the cancelled round
    // has already recorded why it stopped, although the hung "server" is still there.
    {
        Store store(storePath(device.path).string());
        CHECK(store.meta("sync_last_error").value_or("").find("cancelled") != std::string::npos);
    }
    ::close(sock);
    CHECK(callbacks.load() == 0);
}
