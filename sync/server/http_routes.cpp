// The /v1 HTTP routes of jiancha-server: version gate, authentication, JSON in and out, and the
// mapping of every failure to {"error": code, "message": text} with a fitting status.
// The wire format itself is described in sync/protocol/protocol.h and sync/server/README.md.
#include <httplib.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>
#include <mutex>
#include <vector>

#include "base/deflate.h"
#include "core/dates.h"
#include "core/error.h"
#include "sync/protocol/body_coding.h"
#include "sync/protocol/protocol.h"
#include "sync/server/api_error.h"
#include "sync/server/auth.h"
#include "sync/server/route_support.h"
#include "sync/server/server.h"
#include "sync/server/sync_service.h"

namespace jc::server {

namespace {

using httplib::Request;
using httplib::Response;

// Per-request bookkeeping for the log line (httplib handles a request on one pool thread).
thread_local std::chrono::steady_clock::time_point t_start;
thread_local bool t_started = false;
thread_local std::string t_user;
thread_local std::string t_device;

constexpr const char* kJson = "application/json; charset=utf-8";

void sendJson(Response& res, int status, const Json& body) {
    res.status = status;
    res.set_content(body.dump(), kJson);
}

bool acceptsGzip(const Request& req) {
    std::string v = req.get_header_value("Accept-Encoding");
    for (auto& ch : v) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    auto at = v.find("gzip");
    if (at == std::string::npos) return false;
    auto end = v.find(',', at);
    std::string item = v.substr(at, end == std::string::npos ? std::string::npos : end - at);
    item.erase(std::remove(item.begin(), item.end(), ' '), item.end());
    return item.find("q=0") == std::string::npos || item.find("q=0.") != std::string::npos;
}

// A JSON answer, gzip-coded when the client accepts it and it is big enough to gain from it.
// (httplib's own response coding does not apply: it does not treat "application/json;
// charset=utf-8" as compressible, and it would use a slower level.)
void sendJsonBody(const Request& req, Response& res, int status, std::string body) {
    res.status = status;
    if (body.size() >= proto::kMinCodedBodyBytes && acceptsGzip(req)) {
        res.set_header("Content-Encoding", "gzip");
        res.set_header("Vary", "Accept-Encoding");
        body = deflateEncode(body, DeflateFormat::Gzip, proto::kGzipResponseLevel);
    }
    res.set_content(std::move(body), kJson);
}

void sendError(Response& res, int status, std::string_view code, std::string_view message, const Json& extra = {}) {
    Json body = proto::errorBody(code, message);
    if (extra.is_object()) body.update(extra);
    sendJson(res, status, body);
}

std::optional<int64_t> parseInt(const std::string& s) {
    int64_t v = 0;
    if (s.empty() || s.size() > 19) return std::nullopt;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
    return v;
}

std::optional<int> headerInt(const Request& req, const char* name) {
    if (!req.has_header(name)) return std::nullopt;
    auto v = parseInt(req.get_header_value(name));
    if (!v || *v < 0 || *v > 1'000'000) return std::nullopt;
    return static_cast<int>(*v);
}

// Query parameter as a non-negative integer; `fallback` when absent; 400 when malformed.
std::optional<int64_t> intParam(const Request& req, const char* name, bool required) {
    if (!req.has_param(name)) {
        if (required)
            throw ApiError(400, proto::err::kBadRequest, std::string("query parameter '") + name + "' is required");
        return std::nullopt;
    }
    auto v = parseInt(req.get_param_value(name));
    if (!v || *v < 0)
        throw ApiError(400, proto::err::kBadRequest,
                       std::string("query parameter '") + name + "' must be a non-negative integer, got '" +
                           req.get_param_value(name) + "'");
    return v;
}

void checkVersion(const Request& req) {
    auto protocol = headerInt(req, proto::kHeaderProtocol);
    auto schema = headerInt(req, proto::kHeaderSchema);
    auto verdict = proto::checkVersions(protocol, schema);
    if (verdict == proto::VersionVerdict::Ok) return;
    throw ApiError(426,
                   verdict == proto::VersionVerdict::TooOld ? proto::err::kClientTooOld : proto::err::kClientTooNew,
                   proto::versionMessage(verdict, protocol, schema), {{"supported", proto::supportedVersions()}});
}

template <class F>
void guarded(SyncServer& srv, const Request& req, Response& res, bool versioned, F&& fn) {
    try {
        if (versioned) checkVersion(req);
        fn();
    } catch (const ApiError& e) {
        if (e.status() == 429 && e.extra().contains("retry_after"))
            res.set_header("Retry-After", std::to_string(e.extra()["retry_after"].get<int64_t>()));
        sendError(res, e.status(), e.code(), e.what(), e.extra());
    } catch (const ForbiddenError& e) {
        sendError(res, 403, proto::err::kForbidden, e.what());
    } catch (const NotFoundError& e) {
        sendError(res, 404, proto::err::kNotFound, e.what());
    } catch (const StorageError& e) {
        srv.log(nowIso() + " ERROR " + req.method + " " + req.path + ": " + e.what());
        sendError(res, 500, proto::err::kInternal, "the server could not read or write its database; try again later");
    } catch (const Error& e) {  // ValidationError, ProtocolError, UsageError
        sendError(res, 400, proto::err::kBadRequest, e.what());
    } catch (const std::exception& e) {
        srv.log(nowIso() + " ERROR " + req.method + " " + req.path + ": " + e.what());
        sendError(res, 500, proto::err::kInternal, "internal server error; try again later");
    }
}

Principal authenticated(SyncServer& srv, const Request& req) {
    Principal p;
    {
        auto tx = srv.storage().read();
        p = authenticate(*tx, req.get_header_value("Authorization"));
    }
    t_user = p.account.name;
    t_device = p.device.id;
    // The token's first use: the device has its enrolment answer, so a retried enrolment may
    // no longer hand out a new token for it (auth.h). Once per device.
    if (p.device.lastSeenAt == p.device.createdAt) {
        srv.writes().run([&](StorageTx& tx) {
            if (auto d = tx.device(p.device.id); d && d->lastSeenAt == d->createdAt) {
                d->lastSeenAt = nowIso();
                if (d->lastSeenAt == d->createdAt) d->lastSeenAt = isoTimestamp(nowMillis() + 1);
                tx.updateDevice(*d);
                p.device = *d;
            }
        });
    }
    return p;
}

std::string blobName(const Request& req) {
    std::string sha = req.matches[1];
    if (!proto::isSha256Hex(sha))
        throw ApiError(400, proto::err::kBadRequest,
                       "a blob is named by its SHA-256: exactly 64 lower-case hex digits");
    return sha;
}

void setBlobHeaders(Response& res, const BlobStore::Status& st) {
    res.set_header(proto::kHeaderBlobOffset, std::to_string(st.offset));
    res.set_header(proto::kHeaderBlobComplete, st.complete ? "1" : "0");
}

void getBlob(SyncServer& srv, const Request& req, Response& res) {
    std::string sha = blobName(req);
    Principal who = authenticated(srv, req);
    if (req.method == "HEAD") {
        setBlobHeaders(res, srv.blobs().status(sha));
        res.status = 200;
        return;
    }
    {
        auto tx = srv.storage().read();
        if (!tx->blobVisible(sha, who.viewer()))
            throw ApiError(403, proto::err::kForbidden,
                           "no evidence record you may see refers to blob " + sha + "; you may not read it");
    }
    auto path = srv.blobs().completePath(sha);
    if (!path) throw ApiError(404, proto::err::kNotFound, "blob " + sha + " has not been uploaded completely yet");
    std::shared_ptr<std::FILE> file(std::fopen(path->c_str(), "rb"), [](std::FILE* f) {
        if (f) std::fclose(f);
    });
    if (!file) throw StorageError("cannot open blob " + sha);
    std::error_code ec;
    auto size = static_cast<size_t>(std::filesystem::file_size(*path, ec));
    res.set_header("Accept-Ranges", "bytes");
    res.set_header("ETag", "\"" + sha + "\"");
    // httplib applies a Range header to this provider (206 + Content-Range) by itself.
    // One read buffer for the whole download (not a fresh zero-filled one for every piece).
    auto buf = std::make_shared<std::unique_ptr<char[]>>(new char[1u << 20]);
    res.set_content_provider(size, "application/octet-stream",
                             [file, buf](size_t offset, size_t length, httplib::DataSink& sink) {
                                 size_t want = std::min<size_t>(length, 1u << 20);
                                 if (std::fseek(file.get(), static_cast<long>(offset), SEEK_SET) != 0) return false;
                                 size_t n = std::fread(buf->get(), 1, want, file.get());
                                 if (n == 0) return false;
                                 return sink.write(buf->get(), n);
                             });
}

// `complete` is false when the connection was cut before the whole chunk arrived: the bytes that
// did arrive (an intact prefix, TCP delivers nothing else) are stored like a shorter chunk at the
// same offset, so the client resumes where the cut happened instead of sending the chunk again.
// Nothing is served before the whole blob matches its SHA-256 name (BlobStore::append).
void putBlob(SyncServer& srv, const Request& req, Response& res, const std::string& body, bool tooLarge, bool complete) {
    std::string sha = blobName(req);
    Principal who = authenticated(srv, req);
    int64_t offset = *intParam(req, "offset", true);
    int64_t total = *intParam(req, "total", true);
    if (!complete && !tooLarge) {
        if (body.empty()) throw ApiError(400, proto::err::kBadRequest, "the blob chunk did not arrive completely");
        putBlob(srv, req, res, body, false, true);  // the received prefix, as a chunk of its own
        throw ApiError(400, proto::err::kBadRequest,
                       "the blob chunk did not arrive completely; the server kept " + std::to_string(body.size()) +
                           " bytes of it, resume at offset " + std::to_string(offset + static_cast<int64_t>(body.size())),
                       {{"offset", offset + static_cast<int64_t>(body.size())}});
    }
    if (tooLarge || body.size() > proto::kMaxBlobChunkBytes)
        throw ApiError(413, proto::err::kPayloadTooLarge,
                       "a blob chunk may be at most " + std::to_string(proto::kMaxBlobChunkBytes >> 20) + " MiB");
    // The device's evidence bytes for today: checked before, counted after the chunk is stored.
    const int64_t now = nowMillis();
    const auto chunk = static_cast<int64_t>(body.size());
    {
        auto tx = srv.storage().read();
        try {
            checkBlobQuota(*tx, srv.options().limits, who.device.id, chunk, now);
        } catch (const ApiError& e) {
            srv.log(Json{{"time", nowIso()}, {"event", "blob_quota_exceeded"}, {"device", who.device.id},
                         {"used_bytes", e.extra()["used_bytes"]}, {"chunk_bytes", chunk}}
                        .dump());
            throw;
        }
    }
    auto st = srv.blobs().append(sha, offset, total, body);
    if (chunk > 0)
        srv.writes().run([&](StorageTx& tx) { tx.addBlobBytes(who.device.id, chinaDayOf(now), chunk); });
    setBlobHeaders(res, st);
    sendJson(res, 200, {{"sha256", sha}, {"offset", st.offset}, {"complete", st.complete}});
}

// A few chunk-sized buffers reused across blob uploads: touching fresh memory for every 8 MiB
// chunk (page faults, and on this kind of VM the host's faults too) costs more than copying it.
class ChunkBuffer {
public:
    ChunkBuffer() {
        std::lock_guard lock(s_mutex);
        if (!s_free.empty()) {
            m_buf = std::move(s_free.back());
            s_free.pop_back();
        }
        if (!m_buf) m_buf = std::make_unique<std::string>();
        m_buf->clear();
    }
    ~ChunkBuffer() {
        if (m_buf->capacity() > proto::kMaxBlobChunkBytes + (1u << 20)) return;  // not a chunk buffer
        std::lock_guard lock(s_mutex);
        if (s_free.size() < kKept) s_free.push_back(std::move(m_buf));
    }
    ChunkBuffer(const ChunkBuffer&) = delete;
    ChunkBuffer& operator=(const ChunkBuffer&) = delete;
    std::string& get() { return *m_buf; }

private:
    static constexpr size_t kKept = 2;  // at most 2 x 8 MiB held between uploads
    static inline std::mutex s_mutex;
    static inline std::vector<std::unique_ptr<std::string>> s_free;
    std::unique_ptr<std::string> m_buf;
};

std::string defaultErrorCode(int status) {
    switch (status) {
        case 400:
            return proto::err::kBadRequest;
        case 404:
            return proto::err::kNotFound;
        case 413:
            return proto::err::kPayloadTooLarge;
        default:
            return "http_" + std::to_string(status);
    }
}

std::string defaultErrorMessage(const Request& req, int status) {
    switch (status) {
        case 404:
            return "no such endpoint: " + req.method + " " + req.path;
        case 405:
            return "method not allowed: " + req.method + " " + req.path;
        case 413:
            return "the request body is larger than the limit of " + std::to_string(proto::kMaxBodyBytes >> 20) +
                   " MiB";
        case 400:
            return "malformed HTTP request";
        default:
            return "HTTP error " + std::to_string(status);
    }
}

}  // namespace

void runGuarded(SyncServer& srv, const httplib::Request& req, httplib::Response& res, const std::function<void()>& fn) {
    guarded(srv, req, res, true, fn);
}
Principal authenticateRequest(SyncServer& srv, const httplib::Request& req) { return authenticated(srv, req); }
void sendJsonBody(httplib::Response& res, int status, const Json& body) { sendJson(res, status, body); }

void installSyncRoutes(httplib::Server& http, SyncServer& srv) {
    // Accept-Encoding in a response (RFC 7694) tells clients that request bodies may be sent
    // gzip-coded; httplib decodes them. Responses are coded when the client asks (Accept-Encoding).
    http.set_default_headers({{proto::kHeaderProtocol, std::to_string(proto::kProtocolVersion)},
                              {proto::kHeaderSchema, std::to_string(proto::kSchemaVersion)},
                              {"Accept-Encoding", "gzip"}});

    http.set_pre_routing_handler([&srv](const Request&, Response& res) {
        // Every answer carries our clock and our epoch: devices measure their clock against it and
        // notice a restore with the requests a sync already makes, not with a request of their own.
        res.set_header(proto::kHeaderServerTime, nowIso());
        res.set_header(proto::kHeaderServerEpoch, srv.epoch().id + " " + std::to_string(srv.epoch().seq));
        t_start = std::chrono::steady_clock::now();
        t_started = true;
        t_user.clear();
        t_device.clear();
        return httplib::Server::HandlerResponse::Unhandled;
    });

    http.set_error_handler(httplib::Server::HandlerWithResponse([](const Request& req, Response& res) {
        if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
        sendError(res, res.status, defaultErrorCode(res.status), defaultErrorMessage(req, res.status));
        return httplib::Server::HandlerResponse::Handled;
    }));

    http.set_exception_handler([&srv](const Request& req, Response& res, std::exception_ptr ep) {
        std::string what;
        try {
            if (ep) std::rethrow_exception(ep);
        } catch (const std::exception& e) {
            what = std::string(": ") + e.what();
        } catch (...) {
        }
        srv.log(nowIso() + " ERROR unhandled exception in " + req.method + " " + req.path + what);
        sendError(res, 500, proto::err::kInternal, "internal server error; try again later");
    });

    // One JSON line per request, for the journal and log tools. Blob uploads are read by their
    // handler, not into req.body, so bytes in come from Content-Length.
    http.set_logger([&srv](const Request& req, const Response& res) {
        double ms = -1;
        if (t_started) ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t_start).count();
        int64_t bytesIn = static_cast<int64_t>(req.body.size());
        if (bytesIn == 0) bytesIn = parseInt(req.get_header_value("Content-Length")).value_or(0);
        int64_t bytesOut = static_cast<int64_t>(res.body.empty() ? res.content_length_ : res.body.size());
        srv.metrics().observeRequest(req.path, req.method, res.status, ms < 0 ? 0 : ms / 1000);
        Json line = {{"time", nowIso()},
                     {"method", req.method},
                     {"route", ServerMetrics::routeOf(req.path)},
                     {"path", req.path},
                     {"status", res.status},
                     {"ms", ms < 0 ? Json() : Json(std::round(ms * 10) / 10)},
                     {"user", t_user.empty() ? Json() : Json(t_user)},
                     {"device", t_device.empty() ? Json() : Json(t_device)},
                     {"bytes_in", bytesIn},
                     {"bytes_out", bytesOut}};
        srv.log(line.dump(-1, ' ', false, Json::error_handler_t::replace));
        t_started = false;
        t_user.clear();
        t_device.clear();
    });

    http.Get("/v1/version", [&srv](const Request& req, Response& res) {
        guarded(srv, req, res, false, [&] {
            sendJson(res, 200,
                     {{"server", "jiancha-server"},
                      {"protocol", proto::kProtocolVersion},
                      {"schema", proto::kSchemaVersion},
                      {"supported", proto::supportedVersions()},
                      {"server_time", nowIso()},
                      {"server_epoch", srv.epoch().id},
                      {"epoch_seq", srv.epoch().seq}});
        });
    });

    http.Post("/v1/enroll", [&srv](const Request& req, Response& res) {
        guarded(srv, req, res, true, [&] {
            const ServerLimits& limits = srv.options().limits;
            const std::string& address = req.remote_addr;
            const int64_t now = nowMillis();
            EnrolThrottle t;
            {
                auto tx = srv.storage().read();
                t = enrolThrottle(*tx, limits, address, now);
            }
            if (t.refused) {
                srv.log(Json{{"time", nowIso()}, {"event", "enrol_throttled"}, {"address", address},
                             {"scope", t.scope}, {"retry_after", t.retryAfterSeconds}}
                            .dump());
                throw ApiError(429, proto::err::kTooManyAttempts,
                               t.scope == "address"
                                   ? "too many wrong enrolment codes from this address; try again in " +
                                         std::to_string(t.retryAfterSeconds) + " s"
                                   : "too many wrong enrolment codes from all addresses; enrolment is paused for " +
                                         std::to_string(t.retryAfterSeconds) + " s",
                               {{"retry_after", t.retryAfterSeconds}, {"scope", t.scope}});
            }
            auto in = proto::enrollRequestFromJson(proto::parseBody(req.body));
            proto::EnrollResponse out;
            try {
                out = enrollDevice(srv.storage(), in);
            } catch (const ApiError& e) {
                if (e.code() == proto::err::kInvalidCode) recordEnrolFailure(srv.storage(), limits, address, now);
                throw;
            }
            t_user = out.user.name;
            srv.log(nowIso() + " enrolled device " + out.deviceId + " (" + in.deviceName + ") for " + out.user.name);
            sendJson(res, 200, proto::toJson(out));
        });
    });

    http.Get("/v1/whoami", [&srv](const Request& req, Response& res) {
        guarded(srv, req, res, true, [&] {
            Principal p = authenticated(srv, req);
            proto::WhoAmI w{p.userInfo(), p.device.id, p.device.name, p.account.scopeEpoch, nowIso()};
            sendJson(res, 200, proto::toJson(w));
        });
    });

    // The body is read here rather than into req.body so that its size is bounded after
    // decoding too: httplib inflates a gzip body (Content-Encoding: gzip) on the way in, and a few
    // MiB of gzip could otherwise grow into gigabytes. Reading always runs to the end, so the
    // client gets the JSON error rather than a reset connection.
    http.Post("/v1/push", [&srv](const Request& req, Response& res, const httplib::ContentReader& reader) {
        std::string raw;
        bool tooLarge = false;
        if (auto declared = parseInt(req.get_header_value("Content-Length")); declared && !req.has_header("Content-Encoding"))
            raw.reserve(static_cast<size_t>(std::clamp<int64_t>(*declared, 0, proto::kMaxBodyBytes)));
        bool complete = reader([&](const char* data, size_t n) {
            if (raw.size() + n > proto::kMaxBodyBytes) tooLarge = true;
            else if (!tooLarge) raw.append(data, n);
            return true;
        });
        if (!complete && res.status == 413) tooLarge = true;
        guarded(srv, req, res, true, [&] {
            if (tooLarge)
                throw ApiError(413, proto::err::kPayloadTooLarge,
                               "the request body is larger than the limit of " +
                                   std::to_string(proto::kMaxBodyBytes >> 20) + " MiB (after decoding)");
            if (!complete) throw ApiError(400, proto::err::kBadRequest, "the request body did not arrive completely");
            Principal p = authenticated(srv, req);
            Json body = proto::parseBody(raw);
            if (auto it = body.find("changes");
                it != body.end() && it->is_array() && it->size() > proto::kMaxChangesPerPush)
                throw ApiError(413, proto::err::kBatchTooLarge,
                               "a push may carry at most " + std::to_string(proto::kMaxChangesPerPush) + " changes",
                               {{"max_changes", proto::kMaxChangesPerPush}});
            auto in = proto::pushRequestFromJson(std::move(body));
            auto out = handlePush(srv.writes(), srv.clock(), p, in, raw.size());
            for (const auto& r : out.results) srv.metrics().addChanges(proto::statusCode(r.status), 1);
            sendJsonBody(req, res, 200, proto::toJson(out).dump());
        });
    });

    http.Get("/v1/pull", [&srv](const Request& req, Response& res) {
        guarded(srv, req, res, true, [&] {
            Principal p = authenticated(srv, req);
            int64_t cursor = intParam(req, "cursor", false).value_or(0);
            int64_t limit = intParam(req, "limit", false).value_or(proto::kDefaultPullLimit);
            if (limit < 1) throw ApiError(400, proto::err::kBadRequest, "query parameter 'limit' must be at least 1");
            limit = std::min<int64_t>(limit, proto::kMaxPullLimit);
            auto epoch = intParam(req, "scope_epoch", false);
            int schema = headerInt(req, proto::kHeaderSchema).value_or(proto::kSchemaVersion);
            sendJsonBody(req, res, 200, pullResponseBody(srv.storage(), p, cursor, static_cast<int>(limit), epoch, schema));
        });
    });

    installAdminRoutes(http, srv);

    // GET also answers HEAD (httplib routes HEAD to the GET handlers).
    http.Get(R"(/v1/blobs/([^/]*))", [&srv](const Request& req, Response& res) {
        guarded(srv, req, res, true, [&] { getBlob(srv, req, res); });
    });
    // The chunk is read here rather than by httplib into req.body: httplib appends 4 KiB reads to
    // an empty string, reallocating and copying an 8 MiB chunk many times over; reserving the
    // declared length once makes a 20 MiB upload markedly faster. The whole body is always read
    // (also when the answer will be an error), so the client gets the JSON error, not a reset.
    http.Put(R"(/v1/blobs/([^/]*))", [&srv](const Request& req, Response& res, const httplib::ContentReader& reader) {
        ChunkBuffer buffer;
        std::string& body = buffer.get();
        bool tooLarge = false;
        if (auto declared = parseInt(req.get_header_value("Content-Length")))
            body.reserve(static_cast<size_t>(std::clamp<int64_t>(*declared, 0, proto::kMaxBlobChunkBytes)));
        bool complete = reader([&](const char* data, size_t n) {
            if (body.size() + n > proto::kMaxBlobChunkBytes) tooLarge = true;
            else body.append(data, n);
            return true;
        });
        // httplib stops reading a body over its payload limit and marks the answer 413.
        if (!complete && res.status == 413) tooLarge = true;
        guarded(srv, req, res, true, [&] { putBlob(srv, req, res, body, tooLarge, complete); });
    });
}

}  // namespace jc::server
