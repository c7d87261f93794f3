#include "sync/server/metrics.h"

#include <cstdio>
#include <sstream>

namespace jc::server {

std::string ServerMetrics::routeOf(std::string_view path) {
    static constexpr std::string_view kFixed[] = {"/v1/version", "/v1/enroll", "/v1/whoami", "/v1/push",
                                                  "/v1/pull",    "/healthz",   "/metrics"};
    for (auto r : kFixed)
        if (path == r) return std::string(r);
    if (path.rfind("/v1/blobs/", 0) == 0) return "/v1/blobs/{sha256}";
    return "other";
}

void ServerMetrics::observeRequest(std::string_view path, std::string_view method, int status, double seconds) {
    std::string route = routeOf(path);
    std::lock_guard lock(m_mutex);
    ++m_requests[{route, std::string(method), status}];
    if (route != "/v1/push" && route != "/v1/pull") return;
    auto& h = m_latency[route];
    size_t i = 0;
    while (i < kBuckets.size() && seconds > kBuckets[i]) ++i;
    if (i < kBuckets.size()) ++h.counts[i];
    ++h.count;
    h.sum += seconds;
}

void ServerMetrics::addChanges(std::string_view result, int64_t n) {
    if (n <= 0) return;
    std::lock_guard lock(m_mutex);
    m_changes[std::string(result)] += static_cast<uint64_t>(n);
}

namespace {
std::string number(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    return buf;
}
}  // namespace

std::string ServerMetrics::prometheusText(const Gauges& g) const {
    std::ostringstream out;
    std::lock_guard lock(m_mutex);
    out << "# HELP jiancha_http_requests_total HTTP requests by route, method and status.\n"
           "# TYPE jiancha_http_requests_total counter\n";
    for (const auto& [key, n] : m_requests) {
        const auto& [route, method, status] = key;
        out << "jiancha_http_requests_total{route=\"" << route << "\",method=\"" << method << "\",status=\""
            << status << "\"} " << n << '\n';
    }
    out << "# HELP jiancha_request_duration_seconds Time to answer a push or a pull.\n"
           "# TYPE jiancha_request_duration_seconds histogram\n";
    for (const auto& [route, h] : m_latency) {
        uint64_t cumulative = 0;
        for (size_t i = 0; i < kBuckets.size(); ++i) {
            cumulative += h.counts[i];
            out << "jiancha_request_duration_seconds_bucket{route=\"" << route << "\",le=\"" << number(kBuckets[i])
                << "\"} " << cumulative << '\n';
        }
        out << "jiancha_request_duration_seconds_bucket{route=\"" << route << "\",le=\"+Inf\"} " << h.count << '\n';
        out << "jiancha_request_duration_seconds_sum{route=\"" << route << "\"} " << number(h.sum) << '\n';
        out << "jiancha_request_duration_seconds_count{route=\"" << route << "\"} " << h.count << '\n';
    }
    out << "# HELP jiancha_changes_total Pushed changes by result.\n"
           "# TYPE jiancha_changes_total counter\n";
    for (const char* result : {"applied", "applied_with_conflict", "duplicate", "rejected"}) {
        auto it = m_changes.find(result);
        out << "jiancha_changes_total{result=\"" << result << "\"} " << (it == m_changes.end() ? 0 : it->second)
            << '\n';
    }
    out << "# HELP jiancha_devices_total Enrolled devices that are not revoked.\n"
           "# TYPE jiancha_devices_total gauge\n"
        << "jiancha_devices_total " << g.devicesTotal << '\n'
        << "# HELP jiancha_devices_seen_24h Devices that made an authenticated request in the last 24 hours.\n"
           "# TYPE jiancha_devices_seen_24h gauge\n"
        << "jiancha_devices_seen_24h " << g.devicesSeen24h << '\n';
    if (g.databaseBytes >= 0)
        out << "# HELP jiancha_database_bytes Size of the database files on disk.\n"
               "# TYPE jiancha_database_bytes gauge\n"
            << "jiancha_database_bytes " << g.databaseBytes << '\n';
    out << "# HELP jiancha_blob_bytes Bytes of evidence files stored.\n"
           "# TYPE jiancha_blob_bytes gauge\n"
        << "jiancha_blob_bytes " << g.blobBytes << '\n';
    out << "# HELP jiancha_write_commits_total Write transactions committed for requests (group commit).\n"
           "# TYPE jiancha_write_commits_total counter\n"
        << "jiancha_write_commits_total " << g.writeCommits << '\n'
        << "# HELP jiancha_write_requests_total Write requests (pushes, evidence counts) those commits carried.\n"
           "# TYPE jiancha_write_requests_total counter\n"
        << "jiancha_write_requests_total " << g.writeRequests << '\n'
        << "# HELP jiancha_write_group_largest The most requests one commit has carried.\n"
           "# TYPE jiancha_write_group_largest gauge\n"
        << "jiancha_write_group_largest " << g.writeGroupLargest << '\n';
    return out.str();
}

}  // namespace jc::server
