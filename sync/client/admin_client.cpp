#include "sync/client/admin_client.h"

#include "store/store.h"
#include "sync/client/http_client.h"
#include "sync/client/sync_engine.h"

namespace jc::sync {

namespace {
constexpr long kAdminTimeoutMs = 20'000;
}

AdminClient::AdminClient(Store& store) {
    if (auto s = loadSyncSettings(store)) {
        m_server = s->server;
        m_token = s->token;
        m_caFile = s->caFile;
    }
}

AdminResult AdminClient::finish(long status, const std::string& body, int curlCode, const std::string& transportError) {
    AdminResult r;
    r.status = status;
    Json j = body.empty() ? Json() : Json::parse(body, nullptr, false);
    if (status >= 200 && status < 300) {
        if (j.is_object()) {
            r.ok = true;
            r.body = std::move(j);
            return r;
        }
        r.kind = SyncErrorKind::BadAnswer;
        r.message = "the server's answer is not a JSON object";
        return r;
    }
    r.kind = classifyHttpFailure(status, body, curlCode, transportError);
    if (j.is_object()) {
        r.errorCode = j.value("error", std::string());
        r.message = j.value("message", std::string());
    }
    if (r.message.empty()) r.message = status == 0 ? transportError : "HTTP " + std::to_string(status);
    return r;
}

template <class Request>
AdminResult AdminClient::send(const Request& request) {
    if (m_server.empty())
        return AdminResult{false, 0, SyncErrorKind::NotEnrolled, "", "this device is not enrolled", {}};
    HttpOptions o = optionsFor(m_caFile);
    o.totalTimeoutMs = kAdminTimeoutMs;
    HttpClient http(m_server, o);
    http.setToken(m_token);
    HttpResponse res = request(http);
    return finish(res.status, res.body, res.curlCode, res.transportError);
}

AdminResult AdminClient::get(const std::string& path) {
    return send([&](HttpClient& http) { return http.get(path); });
}

AdminResult AdminClient::post(const std::string& path, const Json& body) {
    return send([&](HttpClient& http) {
        return http.postJson(path, body.dump(-1, ' ', false, Json::error_handler_t::replace));
    });
}

AdminResult AdminClient::issueEnrollCode(const std::string& user, double ttlHours) {
    return post("/v1/admin/enroll-codes", {{"user", user}, {"ttl_hours", ttlHours}});
}

AdminResult AdminClient::audit(int64_t afterSeq, int limit) {
    return get("/v1/admin/audit?after=" + std::to_string(afterSeq) + "&limit=" + std::to_string(limit));
}

}  // namespace jc::sync
