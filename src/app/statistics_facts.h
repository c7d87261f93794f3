#pragma once
// An in-memory copy of the facts the statistics count (app/statistics.h), so the 统计分析 view
// can recompute all its figures on every change of filter without scanning 100,000 findings in
// SQL each time. One pass over the store loads, per finding, complaint, rectification and warning,
// the filter columns, the dimension keys (made by the same SQL expressions the grouped queries
// use) and the measure values; computeStatistics(…, cache) then filters and groups in memory and
// gives the same numbers as the SQL path (tests/unit/statistics_facts_test.cpp).
//
// The facts belong to one store generation: facts() loads them again when the connection's store
// changed since the last load, seen through PRAGMA data_version (commits by other connections and
// processes: the write worker, sync) and sqlite3_total_changes() (changes on this connection).
// Full-text search is not in the facts: such a filter is counted by SQL (canAnswer()).
// Thread-safe; meant to be held by one reader (the view's background worker) per store.
#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "app/queries.h"
#include "base/db.h"

namespace jc {

namespace stats_detail {
struct StatsFacts;
}

class StatsFactCache {
public:
    StatsFactCache();
    ~StatsFactCache();
    StatsFactCache(const StatsFactCache&) = delete;
    StatsFactCache& operator=(const StatsFactCache&) = delete;

    // The facts of the store `db` is connected to, as it is now (loaded if needed).
    std::shared_ptr<const stats_detail::StatsFacts> facts(Database& db);
    // Whether facts() would answer without loading (loaded, and the store unchanged since).
    bool isCurrent(Database& db) const;
    // Whether the facts can count this filter (everything but full-text search).
    static bool canAnswer(const FindingFilter& f);

    int64_t loads() const;      // how many times the facts were loaded
    double lastLoadMs() const;  // how long the last load took
    size_t findingCount() const;

private:
    struct Generation {
        sqlite3* handle = nullptr;
        std::string path;
        int64_t dataVersion = -1;
        int64_t totalChanges = -1;
        bool operator==(const Generation&) const = default;
    };
    static Generation generationOf(Database& db);
    mutable std::mutex m_mutex;
    Generation m_generation;
    std::shared_ptr<const stats_detail::StatsFacts> m_facts;
    int64_t m_loads = 0;
    double m_lastLoadMs = 0;
};

}  // namespace jc
