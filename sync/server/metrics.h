#pragma once
// ServerMetrics: what an operator's Prometheus scrapes from `/metrics` on the admin listener
// (`serve --admin-listen 127.0.0.1:9464`), in the Prometheus text exposition format (0.0.4):
//   jiancha_http_requests_total{route,method,status}    counter
//   jiancha_request_duration_seconds{route}             histogram, /v1/push and /v1/pull
//   jiancha_changes_total{result}                       counter: applied, applied_with_conflict,
//                                                       duplicate, rejected (the push results)
//   jiancha_devices_seen_24h, jiancha_devices_total     gauges, from the device table
//   jiancha_database_bytes, jiancha_blob_bytes          gauges: files on disk (PostgreSQL: pg_database_size)
//   jiancha_write_commits_total, jiancha_write_requests_total  counters of the group commit
//                                                       (group_commit.h): requests / commits is
//                                                       the requests (pushes …) per commit;
//   jiancha_write_group_largest                         gauge: the largest group committed
// Routes are the route patterns (`/v1/blobs/{sha256}`), never raw paths, so the number of
// series stays bounded; unknown paths count as route "other". Thread-safe: handlers on
// httplib's pool threads record into it concurrently.
#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>

namespace jc::server {

class ServerMetrics {
public:
    // Bucket upper bounds in seconds for push and pull latencies.
    static constexpr std::array<double, 12> kBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                        0.1,   0.25,   0.5,   1.0,  2.5,   10.0};

    static std::string routeOf(std::string_view path);  // "/v1/blobs/ab…" -> "/v1/blobs/{sha256}"

    void observeRequest(std::string_view path, std::string_view method, int status, double seconds);
    void addChanges(std::string_view result, int64_t n);  // a push result code (proto::statusCode)

    struct Gauges {
        int64_t devicesTotal = 0, devicesSeen24h = 0;
        int64_t databaseBytes = -1;  // -1: not known for this backend (not exported)
        int64_t blobBytes = 0;
        uint64_t writeCommits = 0, writeRequests = 0, writeGroupLargest = 0;  // GroupCommit::stats()
    };
    std::string prometheusText(const Gauges& gauges) const;

private:
    struct Histogram {
        std::array<uint64_t, kBuckets.size()> counts{};  // per bucket, not cumulative
        uint64_t count = 0;
        double sum = 0;
    };
    mutable std::mutex m_mutex;
    std::map<std::tuple<std::string, std::string, int>, uint64_t> m_requests;  // route, method, status
    std::map<std::string, Histogram> m_latency;                                // route
    std::map<std::string, uint64_t> m_changes;                                 // result
};

}  // namespace jc::server
