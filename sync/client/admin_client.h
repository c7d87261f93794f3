#pragma once
// The HQ client's side of the server's admin API (/v1/admin/…, hq_admin devices only): teams,
// users, campaigns, enrolment codes, devices and the server's audit log, over this device's
// enrolment (server address, token, CA file). The 系统管理 view calls it from a background
// thread; every call is one blocking HTTP request with a bounded timeout.
#include <string>

#include "core/entities.h"
#include "sync/client/sync_errors.h"

namespace jc {
class Store;
}

namespace jc::sync {

struct AdminResult {
    bool ok = false;
    long status = 0;  // HTTP status (0: no answer)
    SyncErrorKind kind = SyncErrorKind::None;
    std::string errorCode;  // the server's error code ("forbidden", "bad_request" …)
    std::string message;    // the server's message, or the transport failure, in English
    Json body;              // the answer (object) when ok
};

class AdminClient {
public:
    // Reads the enrolment from `store` now; a device that is not enrolled gets NotEnrolled answers.
    explicit AdminClient(Store& store);

    AdminResult get(const std::string& path);
    AdminResult post(const std::string& path, const Json& body);

    AdminResult teams() { return get("/v1/admin/teams"); }
    AdminResult addTeam(const Json& team) { return post("/v1/admin/teams", team); }
    AdminResult users() { return get("/v1/admin/users"); }
    AdminResult addUser(const Json& user) { return post("/v1/admin/users", user); }
    AdminResult updateUser(const std::string& id, const Json& change) { return post("/v1/admin/users/" + id, change); }
    AdminResult campaigns() { return get("/v1/admin/campaigns"); }
    AdminResult addCampaign(const Json& campaign) { return post("/v1/admin/campaigns", campaign); }
    AdminResult enrollCodes() { return get("/v1/admin/enroll-codes"); }
    AdminResult issueEnrollCode(const std::string& user, double ttlHours);
    AdminResult expireEnrollCode(const std::string& id) {
        return post("/v1/admin/enroll-codes/" + id + "/expire", Json::object());
    }
    AdminResult devices() { return get("/v1/admin/devices"); }
    AdminResult revokeDevice(const std::string& id) {
        return post("/v1/admin/devices/" + id + "/revoke", Json::object());
    }
    AdminResult audit(int64_t afterSeq, int limit);

private:
    // The request `request(HttpClient&)` to the enrolled server with this device's token.
    template <class Request>
    AdminResult send(const Request& request);
    AdminResult finish(long status, const std::string& body, int curlCode, const std::string& transportError);
    std::string m_server, m_token, m_caFile;
};

}  // namespace jc::sync
