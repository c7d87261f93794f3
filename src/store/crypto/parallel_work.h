#pragma once
// Work a thread hands over so that a second core can do it meanwhile: a helper thread (one per
// process, started on first use) takes posted tasks in order; the owner, when it needs a task's
// result, calls finish(), which runs the task itself if the helper has not taken it yet, or waits
// for the helper to end it. Each task runs exactly once. The encrypting VFS seals the pages of a
// commit this way (enc_vfs.cpp): SQLite writes them one after the other and syncs, and the two
// cores seal them in parallel.
#include <atomic>
#include <memory>

namespace jc::crypto {

class Task {
public:
    virtual ~Task() = default;
    // Runs the task here unless it ran or runs elsewhere; returns once it has run.
    void finish();
    // Runs the task here if nobody has taken it yet; false (at once) when it ran or runs elsewhere.
    bool runIfUntaken();

private:
    virtual void run() = 0;
    std::atomic<int> m_state{0};  // 0 posted, 1 running, 2 done
};

// True when this process may run on a second core (otherwise tasks are run by finish() alone).
bool parallelWorkAvailable();
// Queues a task for the helper thread (it keeps the task alive until it took it or passed it).
void postTask(std::shared_ptr<Task> task);

}  // namespace jc::crypto
