#pragma once
// GroupCommit: concurrent write requests (pushes, evidence byte counts, first token use) share
// one write transaction and one commit, so one fsync serves many requests instead of each
// request waiting for its own (about 6 ms a flush on a plain disk, which capped a server at
// ~170 pushes a second however idle its CPU was).
//
// Leader/follower, no timer: a request queues its work and, if no commit is running, becomes the
// leader. The leader opens the write transaction (under SQLite the writer mutex, under
// PostgreSQL the `write_lock` row, so it may wait there for another process's commit), then
// takes whatever has queued by then — up to maxRequests requests and kMaxBytes of request
// bodies, oldest first — and runs each between a savepoint and its release. A request whose
// work throws is rolled back to its savepoint: its error goes back to its caller and the
// others in the group are untouched. Then one COMMIT, and only after it returns is any request
// of the group answered (an uncommitted change is never acknowledged; if the commit fails every
// request of the group gets that error). Requests that arrive during the commit wait for the
// next leader, which is one of them. A lone request becomes leader at once and runs without a
// savepoint: nothing is added to its latency.
//
// Sequence and locks: the group is one transaction, so the rules for a write transaction hold
// unchanged. Its changes get consecutive server sequence numbers in the order the requests ran,
// taken under the same single-writer lock (SQLite) / write_lock row (PostgreSQL) and published
// by one COMMIT, so commit order still equals sequence order and a pull still sees a prefix of
// the log. A rolled-back request gives its sequence numbers back (the transaction's next number
// is restored with the savepoint), and its counter increments (official numbers) are undone by
// the savepoint, so numbers stay gapless and unique across servers. Idempotency is unchanged: a
// later request of the group sees an earlier one's push bookkeeping in the same transaction.
// Durability is the backend's COMMIT (SQLite synchronous=FULL, PostgreSQL synchronous_commit=on).
//
// What it buys depends on the disk: on the shared build machine a SQLite commit's flush grows
// with the pages it writes (about 2.5 ms alone, 4.5 ms for a group of 1.8 pushes), so grouping
// cuts the queueing under bursts (server_bench, 3000 devices: push p99 135 -> 97 ms) more than
// it raises the ceiling; on a disk whose flush costs the same whatever it carries it does both.
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>

#include "sync/server/storage.h"

namespace jc::server {

class GroupCommit {
public:
    static constexpr size_t kDefaultMaxRequests = 64;  // requests in one transaction (serve --write-group)
    static constexpr size_t kMaxBytes = 16u << 20;     // their request bodies together

    // `maxRequests` 1: every request commits alone (what the server did before group commit).
    explicit GroupCommit(ServerStorage& storage, size_t maxRequests = kDefaultMaxRequests)
        : m_storage(storage), m_maxRequests(maxRequests < 1 ? 1 : maxRequests) {}

    // Runs `work` inside a shared write transaction and returns once that transaction has
    // committed; rethrows what `work` threw (then none of its writes stay) or the commit's error.
    // `bytes` is the request's size, for the group's byte bound.
    void run(const std::function<void(StorageTx&)>& work, size_t bytes = 0);

    struct Stats {
        uint64_t commits = 0;   // transactions committed by the group committer
        uint64_t requests = 0;  // requests those transactions carried (committed or rolled back)
        uint64_t largest = 0;   // the largest group so far
    };
    Stats stats() const;
    size_t queued() const;  // requests waiting for a leader (for tests)

private:
    struct Job {
        const std::function<void(StorageTx&)>* work;
        size_t bytes;
        std::exception_ptr error;
        bool done = false;
    };
    void lead(std::unique_lock<std::mutex>& lock);

    ServerStorage& m_storage;
    const size_t m_maxRequests;
    mutable std::mutex m_mutex;
    std::condition_variable m_cv;
    std::deque<Job*> m_queue;
    bool m_leading = false;
    std::atomic<uint64_t> m_commits{0}, m_requests{0}, m_largest{0};
};

}  // namespace jc::server
