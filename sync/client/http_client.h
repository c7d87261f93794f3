#pragma once
// A small blocking HTTP client over libcurl for the sync engine's worker thread: one reused
// connection (keep-alive), the protocol and schema version headers and the bearer token on
// every request, timeouts, and TLS with an optional CA file for a self-signed HQ server.
// JSON bodies travel gzip-coded both ways (Content-Encoding / Accept-Encoding: gzip), negotiated
// so that servers without gzip still work; blob chunks go as they are.
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

    // Bytes on the wire so far (request and response headers and bodies as sent, i.e. after
    // gzip), for progress reports and benchmarks.
    int64_t bytesSent() const { return m_bytesSent.load(); }
    int64_t bytesReceived() const { return m_bytesReceived.load(); }
    // Whether JSON request bodies are sent gzip-coded: on until a server answers 415 (one built
    // without zlib), then off for this client, and that request is sent again uncoded.
    bool codesRequests() const { return m_gzipRequests.load(); }
    // The device clock against the server's, from every answer so far that carried the server's
    // time (proto::kHeaderServerTime): server time minus the request's midpoint, taken from the
    // exchange with the shortest round trip (the least uncertain). nullopt when no answer had it.
    std::optional<int64_t> clockOffset() const;
    // The server's epoch ("ID SEQ", proto::kHeaderServerEpoch) from the latest answer that carried
    // it; "" when none did (an older server).
    std::string serverEpoch() const;
    int requestCount() const { return m_requests; }  // requests performed (answered or not)

    HttpResponse get(const std::string& path, const std::map<std::string, std::string>& headers = {});
    // Like get(), but a 2xx body goes to `sink` as it arrives (status, bytes) instead of into
    // memory; returning false from the sink aborts the transfer. Other answers fill `body` as usual.
    using BodySink = std::function<bool(long status, const char* data, size_t size)>;
    HttpResponse getTo(const std::string& path, const std::map<std::string, std::string>& headers, BodySink sink);
    HttpResponse head(const std::string& path);
    HttpResponse postJson(const std::string& path, const std::string& json);
    // The gzip coding postJson would send for `json` ("" when it would go uncoded), made ahead of
    // time: the push codes its next batch while the server applies the current one. Safe to call
    // from another thread than the one posting.
    std::string codeJson(const std::string& json) const;
    // postJson with the coding made by codeJson (empty: sent uncoded); same 415 fallback.
    HttpResponse postCodedJson(const std::string& path, const std::string& json, const std::string& coded);
    HttpResponse put(const std::string& path, const char* data, size_t size, const std::string& contentType);

private:
    HttpResponse perform(const std::string& method, const std::string& path, const char* body, size_t size,
                         const std::string& contentType, const std::map<std::string, std::string>& headers,
                         const BodySink* sink = nullptr);
    void countWireBytes();  // after each transfer: adds its bytes to the counters
    void noteServerHeaders(const HttpResponse& r);  // the server's time and epoch
    std::string m_baseUrl;
    HttpOptions m_options;
    std::string m_token;
    void* m_curl = nullptr;
    std::atomic<bool> m_gzipRequests{true};
    std::atomic<int64_t> m_bytesSent{0}, m_bytesReceived{0};
    // The push pipeline performs on a helper thread, one request at a time: atomics and a mutex
    // keep the readers above safe.
    mutable std::mutex m_clockMutex;
    std::optional<int64_t> m_clockOffset;
    int64_t m_clockRoundTrip = 0;
    std::string m_serverEpoch;
    std::atomic<int> m_requests{0};
};

}  // namespace jc::sync
