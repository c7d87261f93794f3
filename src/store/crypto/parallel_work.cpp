#include "store/crypto/parallel_work.h"

#include <sched.h>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

namespace jc::crypto {

namespace {

// The helper: a detached thread that lives as long as the process, asleep when there is nothing.
struct Helper {
    std::mutex mutex;
    std::condition_variable wake;
    std::deque<std::shared_ptr<Task>> queue;
    bool sleeping = false;

    Helper() { std::thread([this] { loop(); }).detach(); }

    void loop() {
        for (;;) {
            std::shared_ptr<Task> t;
            {
                std::unique_lock<std::mutex> lock(mutex);
                sleeping = true;
                wake.wait(lock, [&] { return !queue.empty(); });
                sleeping = false;
                t = std::move(queue.front());
                queue.pop_front();
            }
            t->runIfUntaken();  // the owner may have taken it meanwhile: then it is not waited for
        }
    }
};

Helper& helper() {
    static Helper* h = new Helper();  // never destroyed: the thread may outlive static destructors
    return *h;
}

}  // namespace

bool Task::runIfUntaken() {
    int expected = 0;
    if (!m_state.compare_exchange_strong(expected, 1, std::memory_order_acq_rel)) return false;
    run();
    m_state.store(2, std::memory_order_release);
    m_state.notify_all();
    return true;
}

void Task::finish() {
    if (runIfUntaken()) return;
    for (int s = m_state.load(std::memory_order_acquire); s != 2; s = m_state.load(std::memory_order_acquire))
        m_state.wait(s, std::memory_order_acquire);
}

bool parallelWorkAvailable() {
    // The cores this process may run on (taskset, cgroups' cpusets), not the machine's.
    static const bool available = [] {
        cpu_set_t set;
        CPU_ZERO(&set);
        if (sched_getaffinity(0, sizeof set, &set) == 0) return CPU_COUNT(&set) > 1;
        return std::thread::hardware_concurrency() > 1;
    }();
    return available;
}

void postTask(std::shared_ptr<Task> task) {
    Helper& h = helper();
    bool wakeIt = false;
    {
        std::lock_guard<std::mutex> lock(h.mutex);
        h.queue.push_back(std::move(task));
        wakeIt = h.sleeping;
    }
    if (wakeIt) h.wake.notify_one();
}

}  // namespace jc::crypto
