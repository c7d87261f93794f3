// The admin API (/v1/admin/…): what HQ's 系统管理 view does — teams, users, campaigns, enrolment
// codes, devices and the server's audit log. Only hq_admin devices may call it (403 for inspectors
// and leads, 401 without a valid token). Each route is a thin JSON layer over Admin (admin.h),
// the same logic the `jiancha-server` admin commands use; Admin writes the audit entries with the
// calling user and device as the actor. Wire shapes: sync/server/README.md "Admin API".
#include <httplib.h>

#include <algorithm>
#include <charconv>

#include "core/dates.h"
#include "core/domain.h"
#include "core/error.h"
#include "sync/protocol/protocol.h"
#include "sync/server/admin.h"
#include "sync/server/api_error.h"
#include "sync/server/route_support.h"
#include "sync/server/server.h"

namespace jc::server {

namespace {

using httplib::Request;
using httplib::Response;

constexpr int kDefaultAuditPage = 200;
constexpr int kMaxAuditPage = 1000;

// The caller, who must be an HQ administrator.
AuditActor requireHqAdmin(SyncServer& srv, const Request& req) {
    Principal p = authenticateRequest(srv, req);
    if (p.role != Role::HqAdmin)
        throw ApiError(403, proto::err::kForbidden,
                       "only headquarters administrators (hq_admin) may use the admin API; you are " + p.account.role);
    return AuditActor{p.account.name, p.device.id};
}

Json body(const Request& req) {
    Json j = proto::parseBody(req.body);
    if (!j.is_object()) throw ValidationError("the request body must be a JSON object");
    return j;
}

std::string text(const Json& j, const char* key, bool required) {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) {
        if (required) throw ValidationError(std::string("'") + key + "' is required");
        return {};
    }
    if (!it->is_string()) throw ValidationError(std::string("'") + key + "' must be a string");
    return it->get<std::string>();
}

std::vector<std::string> textList(const Json& j, const char* key) {
    std::vector<std::string> out;
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) return out;
    if (!it->is_array()) throw ValidationError(std::string("'") + key + "' must be a list of strings");
    for (const auto& v : *it) {
        if (!v.is_string()) throw ValidationError(std::string("'") + key + "' must be a list of strings");
        out.push_back(v.get<std::string>());
    }
    return out;
}

Json regionScope(const Json& j) {
    auto it = j.find("region_scope");
    return it == j.end() || it->is_null() ? Json::array() : *it;
}

int64_t queryInt(const Request& req, const char* name, int64_t fallback) {
    if (!req.has_param(name)) return fallback;
    std::string s = req.get_param_value(name);
    int64_t v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || ec != std::errc() || p != s.data() + s.size() || v < 0)
        throw ApiError(400, proto::err::kBadRequest,
                       std::string("query parameter '") + name + "' must be a non-negative integer, got '" + s + "'");
    return v;
}

Json teamsJson(Admin& admin) {
    Json out = Json::array();
    for (const auto& t : admin.records("team")) {
        if (t.value("deleted") == Json(true)) continue;
        const Json& scope = t.value("region_scope");
        out.push_back(
            {{"id", t.id}, {"name", t.text("name")}, {"region_scope", scope.is_array() ? scope : Json::array()}});
    }
    return {{"teams", out}};
}

Json usersJson(Admin& admin) {
    std::map<std::string, std::string> teamNames;
    for (const auto& t : admin.records("team")) teamNames[t.id] = t.text("name");
    std::map<std::string, std::string> displayNames;
    for (const auto& u : admin.records("user")) displayNames[u.id] = u.text("display_name");
    Json out = Json::array();
    for (const auto& a : admin.users())
        out.push_back({{"id", a.userId},
                       {"name", a.name},
                       {"display_name", displayNames[a.userId]},
                       {"role", a.role},
                       {"team_id", a.teamId},
                       {"team_name", a.teamId.empty() ? "" : teamNames[a.teamId]},
                       {"region_scope", a.regionScope},
                       {"disabled", a.deleted}});
    return {{"users", out}};
}

Json campaignsJson(Admin& admin) {
    Json out = Json::array();
    for (const auto& c : admin.records("campaign")) {
        if (c.value("deleted") == Json(true)) continue;
        out.push_back({{"id", c.id},
                       {"title", c.text("title")},
                       {"number_prefix", c.text("number_prefix")},
                       {"status", c.text("status")},
                       {"period_start", c.text("period_start")},
                       {"period_end", c.text("period_end")},
                       {"team_ids", c.value("team_ids").is_array() ? c.value("team_ids") : Json::array()}});
    }
    return {{"campaigns", out}};
}

Json codesJson(Admin& admin) {
    Json out = Json::array();
    for (const auto& c : admin.enrollCodes())
        out.push_back({{"id", c.id},
                       {"user_id", c.userId},
                       {"user_name", c.userName},
                       {"created_at", c.createdAt},
                       {"expires_at", isoTimestamp(c.expiresAtMs)},
                       {"used_at", c.usedAt},
                       {"device_id", c.deviceId},
                       {"state", c.state}});
    return {{"codes", out}};
}

Json devicesJson(Admin& admin) {
    std::map<std::string, std::string> names;
    for (const auto& a : admin.users()) names[a.userId] = a.name;
    Json out = Json::array();
    for (const auto& d : admin.devices())
        out.push_back({{"id", d.id},
                       {"name", d.name},
                       {"user_id", d.userId},
                       {"user_name", names.count(d.userId) ? names[d.userId] : d.userId},
                       {"created_at", d.createdAt},
                       {"last_seen_at", d.lastSeenAt},
                       {"revoked_at", d.revokedAt}});
    return {{"devices", out}};
}

Json auditJson(const std::vector<AuditRecord>& entries) {
    Json out = Json::array();
    for (const auto& e : entries) {
        Json detail = e.detail.empty() ? Json() : Json::parse(e.detail, nullptr, false);
        out.push_back({{"seq", e.seq},
                       {"at", e.at},
                       {"actor", e.actor},
                       {"device_id", e.deviceId},
                       {"action", e.action},
                       {"target", e.target},
                       {"target_id", e.targetId},
                       {"detail", detail.is_discarded() ? Json(e.detail) : detail},
                       {"hash", e.hash}});
    }
    return {{"entries", out}};
}

// Registers one admin route: authenticated as hq_admin, errors mapped like every /v1 route.
template <class F>
void route(httplib::Server& http, SyncServer& srv, bool post, const std::string& pattern, F fn) {
    auto handler = [&srv, fn](const Request& req, Response& res) {
        runGuarded(srv, req, res, [&] {
            Admin admin(srv.storage(), requireHqAdmin(srv, req));
            sendJsonBody(res, 200, fn(admin, req));
        });
    };
    if (post)
        http.Post(pattern, handler);
    else
        http.Get(pattern, handler);
}

}  // namespace

void installAdminRoutes(httplib::Server& http, SyncServer& srv) {
    route(http, srv, false, "/v1/admin/teams", [](Admin& a, const Request&) { return teamsJson(a); });
    route(http, srv, true, "/v1/admin/teams", [](Admin& a, const Request& req) {
        Json in = body(req);
        return Json{{"id", a.addTeam(text(in, "name", true), regionScope(in))}};
    });

    route(http, srv, false, "/v1/admin/users", [](Admin& a, const Request&) { return usersJson(a); });
    route(http, srv, true, "/v1/admin/users", [](Admin& a, const Request& req) {
        Json in = body(req);
        Role role = parseRole(text(in, "role", true));
        return Json{{"id", a.addUser(text(in, "name", true), role, text(in, "team", false), regionScope(in),
                                     text(in, "display_name", false))}};
    });
    route(http, srv, true, R"(/v1/admin/users/([^/]+))", [](Admin& a, const Request& req) {
        Json in = body(req);
        UserUpdate u;
        if (in.contains("role")) u.role = parseRole(text(in, "role", true));
        if (in.contains("team")) u.team = text(in, "team", false);
        if (in.contains("region_scope")) u.regionScope = regionScope(in);
        if (in.contains("display_name")) u.displayName = text(in, "display_name", false);
        if (in.contains("disabled")) {
            if (!in["disabled"].is_boolean()) throw ValidationError("'disabled' must be true or false");
            u.disabled = in["disabled"].get<bool>();
        }
        return Json{{"id", a.updateUser(req.matches[1], u)}};
    });

    route(http, srv, false, "/v1/admin/campaigns", [](Admin& a, const Request&) { return campaignsJson(a); });
    route(http, srv, true, "/v1/admin/campaigns", [](Admin& a, const Request& req) {
        Json in = body(req);
        CampaignSpec s;
        s.title = text(in, "title", true);
        s.numberPrefix = text(in, "number_prefix", false);
        s.categories = textList(in, "categories");
        s.areas = textList(in, "areas");
        s.teams = textList(in, "teams");
        s.periodStart = text(in, "period_start", false);
        s.periodEnd = text(in, "period_end", false);
        for (const auto* d : {&s.periodStart, &s.periodEnd})
            if (!d->empty()) Date::parse(*d);  // throws ValidationError: not a date
        if (auto it = in.find("complaint_deadline_days"); it != in.end() && !it->is_null()) {
            if (!it->is_number_integer()) throw ValidationError("'complaint_deadline_days' must be a whole number");
            s.complaintDeadlineDays = it->get<int>();
        }
        return Json{{"id", a.addCampaign(s)}};
    });

    route(http, srv, false, "/v1/admin/enroll-codes", [](Admin& a, const Request&) { return codesJson(a); });
    route(http, srv, true, "/v1/admin/enroll-codes", [](Admin& a, const Request& req) {
        Json in = body(req);
        double ttl = kDefaultEnrollTtlHours;
        if (auto it = in.find("ttl_hours"); it != in.end() && !it->is_null()) {
            if (!it->is_number()) throw ValidationError("'ttl_hours' must be a number of hours");
            ttl = it->get<double>();
        }
        auto c = a.issueEnrollCode(text(in, "user", true), ttl);
        return Json{{"code", c.code}, {"id", c.id}, {"expires_at", isoTimestamp(c.expiresAtMs)}};
    });
    route(http, srv, true, R"(/v1/admin/enroll-codes/([^/]+)/expire)", [](Admin& a, const Request& req) {
        a.expireEnrollCode(req.matches[1]);
        return Json{{"id", std::string(req.matches[1])}, {"state", "expired"}};
    });

    route(http, srv, false, "/v1/admin/devices", [](Admin& a, const Request&) { return devicesJson(a); });
    route(http, srv, true, R"(/v1/admin/devices/([^/]+)/revoke)", [](Admin& a, const Request& req) {
        a.revokeDevice(req.matches[1]);
        return Json{{"id", std::string(req.matches[1])}, {"revoked", true}};
    });

    route(http, srv, false, "/v1/admin/audit", [](Admin& a, const Request& req) {
        int64_t after = queryInt(req, "after", 0);
        int64_t limit = std::clamp<int64_t>(queryInt(req, "limit", kDefaultAuditPage), 1, kMaxAuditPage);
        return auditJson(a.audit(after, static_cast<int>(limit)));
    });
}

}  // namespace jc::server
