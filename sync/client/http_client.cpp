#include "sync/client/http_client.h"

#include <curl/curl.h>

#include <algorithm>
#include <mutex>

#include "base/deflate.h"
#include "sync/protocol/body_coding.h"
#include "core/dates.h"
#include "core/hq_clock.h"
#include "sync/protocol/protocol.h"

namespace jc::sync {

HttpOptions optionsFor(const std::string& caFile, const std::atomic<bool>* cancel) {
    HttpOptions o;
    o.caFile = caFile;
    o.cancel = cancel;
    return o;
}

namespace {
void globalInit() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct BodyTarget {
    std::string* body;
    const HttpClient::BodySink* sink;  // streams 2xx bodies when set
    CURL* curl;
};

size_t onBody(char* data, size_t size, size_t n, void* user) {
    auto* t = static_cast<BodyTarget*>(user);
    if (t->sink) {
        long status = 0;
        curl_easy_getinfo(t->curl, CURLINFO_RESPONSE_CODE, &status);
        if (status >= 200 && status < 300) return (*t->sink)(status, data, size * n) ? size * n : 0;
    }
    t->body->append(data, size * n);
    return size * n;
}

struct HeaderTarget {
    std::map<std::string, std::string>* headers;
    int64_t* answeredMs;
};

size_t onHeader(char* data, size_t size, size_t n, void* user) {
    auto* t = static_cast<HeaderTarget*>(user);
    if (*t->answeredMs == 0) *t->answeredMs = nowMillis();
    std::string line(data, size * n);
    auto colon = line.find(':');
    if (colon != std::string::npos) {
        std::string name = line.substr(0, colon), value = line.substr(colon + 1);
        std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
        auto trim = [](std::string& s) {
            while (!s.empty() && (s.back() == '\r' || s.back() == '\n' || s.back() == ' ')) s.pop_back();
            while (!s.empty() && s.front() == ' ') s.erase(0, 1);
        };
        trim(value);
        (*t->headers)[name] = value;
    }
    return size * n;
}

constexpr const char* kCancelled = "cancelled";

const std::string& lowerServerTimeHeader() {
    static const std::string name = [] {
        std::string n = proto::kHeaderServerTime;
        std::transform(n.begin(), n.end(), n.begin(), [](unsigned char c) { return std::tolower(c); });
        return n;
    }();
    return name;
}

// Returning non-zero aborts the transfer (CURLE_ABORTED_BY_CALLBACK).
int onProgress(void* cancel, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
    return static_cast<const std::atomic<bool>*>(cancel)->load() ? 1 : 0;
}
}  // namespace

std::string HttpResponse::header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
}

HttpClient::HttpClient(std::string baseUrl, HttpOptions options) : m_baseUrl(std::move(baseUrl)), m_options(std::move(options)) {
    globalInit();
    while (!m_baseUrl.empty() && m_baseUrl.back() == '/') m_baseUrl.pop_back();
    m_curl = curl_easy_init();
}

HttpClient::~HttpClient() {
    if (m_curl) curl_easy_cleanup(static_cast<CURL*>(m_curl));
}

void HttpClient::noteServerHeaders(const HttpResponse& r) {
    static const std::string epochHeader = [] {
        std::string n = proto::kHeaderServerEpoch;
        std::transform(n.begin(), n.end(), n.begin(), [](unsigned char c) { return std::tolower(c); });
        return n;
    }();
    if (auto e = r.headers.find(epochHeader); e != r.headers.end()) {
        std::lock_guard lock(m_clockMutex);
        m_serverEpoch = e->second;
    }
    if (r.answeredMs == 0) return;
    auto it = r.headers.find(lowerServerTimeHeader());
    if (it == r.headers.end()) return;
    auto serverMs = parseIsoTimestamp(it->second);
    if (!serverMs) return;
    const int64_t roundTrip = r.answeredMs - r.sentMs;
    if (roundTrip < 0) return;  // the wall clock was set during the request
    std::lock_guard lock(m_clockMutex);
    if (m_clockOffset && roundTrip >= m_clockRoundTrip) return;
    m_clockOffset = clockOffsetFromExchange(r.sentMs, r.answeredMs, *serverMs);
    m_clockRoundTrip = roundTrip;
}

std::string HttpClient::serverEpoch() const {
    std::lock_guard lock(m_clockMutex);
    return m_serverEpoch;
}

std::optional<int64_t> HttpClient::clockOffset() const {
    std::lock_guard lock(m_clockMutex);
    return m_clockOffset;
}

HttpResponse HttpClient::get(const std::string& path, const std::map<std::string, std::string>& headers) {
    return perform("GET", path, nullptr, 0, "", headers);
}
HttpResponse HttpClient::getTo(const std::string& path, const std::map<std::string, std::string>& headers,
                               BodySink sink) {
    return perform("GET", path, nullptr, 0, "", headers, &sink);
}
HttpResponse HttpClient::head(const std::string& path) { return perform("HEAD", path, nullptr, 0, "", {}); }
std::string HttpClient::codeJson(const std::string& json) const {
    if (!m_gzipRequests.load() || json.size() < proto::kMinCodedBodyBytes) return {};
    return deflateEncode(json, DeflateFormat::Gzip, proto::kGzipLevel);
}

HttpResponse HttpClient::postJson(const std::string& path, const std::string& json) {
    return postCodedJson(path, json, codeJson(json));
}

HttpResponse HttpClient::postCodedJson(const std::string& path, const std::string& json, const std::string& coded) {
    if (m_gzipRequests.load() && !coded.empty()) {
        HttpResponse r = perform("POST", path, coded.data(), coded.size(), "application/json",
                                 {{"Content-Encoding", "gzip"}});
        // 415: a server that cannot decode gzip bodies. Everything after goes uncoded.
        if (r.status != 415) return r;
        m_gzipRequests = false;
    }
    return perform("POST", path, json.data(), json.size(), "application/json", {});
}
HttpResponse HttpClient::put(const std::string& path, const char* data, size_t size, const std::string& contentType) {
    return perform("PUT", path, data, size, contentType, {});
}

HttpResponse HttpClient::perform(const std::string& method, const std::string& path, const char* body, size_t size,
                                 const std::string& contentType, const std::map<std::string, std::string>& extra,
                                 const BodySink* sink) {
    HttpResponse r;
    CURL* c = static_cast<CURL*>(m_curl);
    if (!c) {
        r.transportError = "libcurl failed to initialise";
        return r;
    }
    curl_easy_reset(c);
    if (m_options.cancel) {
        if (m_options.cancel->load()) {
            r.transportError = kCancelled;
            return r;
        }
        // libcurl calls this at least once a second, also while waiting for an answer.
        curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
        curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, onProgress);
        curl_easy_setopt(c, CURLOPT_XFERINFODATA, m_options.cancel);
    }
    std::string url = m_baseUrl + path;
    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, m_options.connectTimeoutMs);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, m_options.totalTimeoutMs);
    curl_easy_setopt(c, CURLOPT_TCP_NODELAY, 1L);
    BodyTarget target{&r.body, sink, c};
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, onBody);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &target);
    // Larger socket reads than curl's 16 KiB default: blob downloads and pull pages are megabytes.
    curl_easy_setopt(c, CURLOPT_BUFFERSIZE, 512L * 1024);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, onHeader);
    HeaderTarget headerTarget{&r.headers, &r.answeredMs};
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &headerTarget);
    // gzip only: the server's brotli coder is far slower for the same gain on these bodies.
    curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "gzip");
    if (!m_options.caFile.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, m_options.caFile.c_str());

    curl_slist* headers = nullptr;
    auto addHeader = [&](const std::string& h) { headers = curl_slist_append(headers, h.c_str()); };
    addHeader(std::string(proto::kHeaderProtocol) + ": " + std::to_string(proto::kProtocolVersion));
    addHeader(std::string(proto::kHeaderSchema) + ": " + std::to_string(proto::kSchemaVersion));
    if (!m_token.empty()) addHeader("Authorization: Bearer " + m_token);
    if (!contentType.empty()) addHeader("Content-Type: " + contentType);
    addHeader("Expect:");  // no 100-continue round trip on uploads
    for (const auto& [k, v] : extra) addHeader(k + ": " + v);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);

    if (method == "HEAD") {
        curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
    } else if (method == "POST") {
        curl_easy_setopt(c, CURLOPT_POST, 1L);
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(size));
    } else if (method == "PUT") {
        // Sent straight from the caller's buffer (as for POST), without a read callback copying it.
        curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, "PUT");
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body ? body : "");
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(size));
    }
    ++m_requests;
    r.sentMs = nowMillis();
    CURLcode rc = curl_easy_perform(c);
    curl_slist_free_all(headers);
    countWireBytes();
    noteServerHeaders(r);
    if (rc != CURLE_OK) {
        r.status = 0;
        r.curlCode = static_cast<int>(rc);
        r.transportError = rc == CURLE_ABORTED_BY_CALLBACK && m_options.cancel && m_options.cancel->load()
                               ? kCancelled
                               : curl_easy_strerror(rc);
        return r;
    }
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.status);
    return r;
}

void HttpClient::countWireBytes() {
    CURL* c = static_cast<CURL*>(m_curl);
    long requestHeaders = 0, responseHeaders = 0;
    curl_off_t up = 0, down = 0;
    curl_easy_getinfo(c, CURLINFO_REQUEST_SIZE, &requestHeaders);
    curl_easy_getinfo(c, CURLINFO_HEADER_SIZE, &responseHeaders);
    curl_easy_getinfo(c, CURLINFO_SIZE_UPLOAD_T, &up);
    curl_easy_getinfo(c, CURLINFO_SIZE_DOWNLOAD_T, &down);  // as received, before decoding
    m_bytesSent += requestHeaders + static_cast<int64_t>(up);
    m_bytesReceived += responseHeaders + static_cast<int64_t>(down);
}

}  // namespace jc::sync
