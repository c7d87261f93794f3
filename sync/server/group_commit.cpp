#include "sync/server/group_commit.h"

#include <vector>

namespace jc::server {

void GroupCommit::run(const std::function<void(StorageTx&)>& work, size_t bytes) {
    Job job{&work, bytes, nullptr};
    std::unique_lock lock(m_mutex);
    m_queue.push_back(&job);
    while (!job.done) {
        if (m_leading) {
            m_cv.wait(lock);
        } else {
            lead(lock);
        }
    }
    if (job.error) std::rethrow_exception(job.error);
}

void GroupCommit::lead(std::unique_lock<std::mutex>& lock) {
    m_leading = true;
    std::vector<Job*> group;
    auto finish = [&](std::exception_ptr commitError) {
        lock.lock();
        for (Job* j : group) {
            if (commitError && !j->error) j->error = commitError;
            j->done = true;
        }
        m_leading = false;
        m_cv.notify_all();
    };
    lock.unlock();
    std::unique_ptr<StorageTx> tx;
    try {
        // Waits for the write lock (another process may be committing): what queues meanwhile
        // joins this group.
        tx = m_storage.write();
    } catch (...) {
        // Nothing taken yet: the oldest request (possibly ours) gets the error, the rest try again.
        lock.lock();
        Job* first = m_queue.front();
        m_queue.pop_front();
        group.push_back(first);
        lock.unlock();
        finish(std::current_exception());
        return;
    }
    lock.lock();
    size_t bytes = 0;
    while (!m_queue.empty() && group.size() < m_maxRequests &&
           (group.empty() || bytes + m_queue.front()->bytes <= kMaxBytes)) {
        bytes += m_queue.front()->bytes;
        group.push_back(m_queue.front());
        m_queue.pop_front();
    }
    lock.unlock();

    const bool alone = group.size() == 1;
    for (Job* j : group) {
        try {
            if (alone) {
                (*j->work)(*tx);
            } else {
                tx->savepoint();
                try {
                    (*j->work)(*tx);
                } catch (...) {
                    tx->rollbackToSavepoint();
                    throw;
                }
                tx->releaseSavepoint();
            }
        } catch (...) {
            j->error = std::current_exception();
            if (alone) {  // no savepoint: roll the transaction back, nothing to commit
                tx.reset();
                m_requests += 1;
                finish(nullptr);
                return;
            }
        }
    }
    std::exception_ptr commitError;
    try {
        tx->commit();
        m_commits += 1;
    } catch (...) {
        commitError = std::current_exception();
    }
    tx.reset();
    m_requests += group.size();
    uint64_t largest = m_largest.load();
    while (group.size() > largest && !m_largest.compare_exchange_weak(largest, group.size())) {
    }
    finish(commitError);
}

GroupCommit::Stats GroupCommit::stats() const {
    return Stats{m_commits.load(), m_requests.load(), m_largest.load()};
}

size_t GroupCommit::queued() const {
    std::lock_guard lock(m_mutex);
    return m_queue.size();
}

}  // namespace jc::server
