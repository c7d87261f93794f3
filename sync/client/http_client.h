#pragma once
// A small blocking HTTP client over libcurl for the sync engine's worker thread: one reused
// connection (keep-alive), the protocol and schema version headers and the bearer token on
// every request, timeouts, and TLS with an optional CA file for a self-signed HQ server.
// Transport failures come back as values (Result-style at the network boundary), never thrown.
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace jc::sync {

struct HttpResponse {
    long status = 0;                             // 0 when no HTTP answer arrived
    std::string body;
    std::map<std::string, std::string> headers;  // lower-case names
    std::string transportError;                  // curl's words when status == 0
    int curlCode = 0;                            // libcurl's CURLcode when status == 0 (sync_errors.h classifies it)
    int64_t sentMs = 0;                          // device wall clock when the request went out
    int64_t answeredMs = 0;                      // … and when the answer's first line came back (0: none)

    bool ok() const { return status >= 200 && status < 300; }
    std::string header(const std::string& lowerName) const;
};

struct HttpOptions {
    long connectTimeoutMs = 5000;
    long totalTimeoutMs = 120'000;
    std::string caFile;  // PEM bundle to trust (self-signed HQ certificate); empty = system store
    // When set and true, requests fail at once, and one in flight ends within about a second
    // (transportError "cancelled"): the GUI stops its sync worker without waiting for timeouts.
    const std::atomic<bool>* cancel = nullptr;
};
HttpOptions optionsFor(const std::string& caFile, const std::atomic<bool>* cancel = nullptr);

class HttpClient {
public:
    explicit HttpClient(std::string baseUrl, HttpOptions options = {});
    ~HttpClient();
    HttpClient(const HttpClient&) = delete;
    HttpClient& operator=(const HttpClient&) = delete;

    void setToken(std::string token) { m_token = std::move(token); }

    // The device clock against the server's, from every answer so far that carried the server's
    // time (proto::kHeaderServerTime): server time minus the request's midpoint, taken from the
    // exchange with the shortest round trip (the least uncertain). nullopt when no answer had it.
    std::optional<int64_t> clockOffset() const;
    int requestCount() const { return m_requests; }  // requests performed (answered or not)

    HttpResponse get(const std::string& path, const std::map<std::string, std::string>& headers = {});
    // Like get(), but a 2xx body goes to `sink` as it arrives (status, bytes) instead of into
    // memory; returning false from the sink aborts the transfer. Other answers fill `body` as usual.
    using BodySink = std::function<bool(long status, const char* data, size_t size)>;
    HttpResponse getTo(const std::string& path, const std::map<std::string, std::string>& headers, BodySink sink);
    HttpResponse head(const std::string& path);
    HttpResponse postJson(const std::string& path, const std::string& json);
    HttpResponse put(const std::string& path, const char* data, size_t size, const std::string& contentType);

private:
    HttpResponse perform(const std::string& method, const std::string& path, const char* body, size_t size,
                         const std::string& contentType, const std::map<std::string, std::string>& headers,
                         const BodySink* sink = nullptr);
    void noteServerTime(const HttpResponse& r);
    std::string m_baseUrl;
    HttpOptions m_options;
    std::string m_token;
    void* m_curl = nullptr;
    // The push pipeline performs on a helper thread, one request at a time: atomics and a mutex
    // keep the readers above safe.
    mutable std::mutex m_clockMutex;
    std::optional<int64_t> m_clockOffset;
    int64_t m_clockRoundTrip = 0;
    std::atomic<int> m_requests{0};
};

}  // namespace jc::sync
