#pragma once
// What the route files share (http_routes.cpp defines these): the error mapping of every /v1
// handler (version gate, then {"error", "message"} with a fitting status for each exception) and
// bearer-token authentication that also names the caller in the request log.
#include <functional>

#include "core/entities.h"
#include "sync/server/auth.h"

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace jc::server {

class SyncServer;

void runGuarded(SyncServer& srv, const httplib::Request& req, httplib::Response& res, const std::function<void()>& fn);
Principal authenticateRequest(SyncServer& srv, const httplib::Request& req);
void sendJsonBody(httplib::Response& res, int status, const Json& body);

// The admin API for hq_admin devices (admin_routes.cpp).
void installAdminRoutes(httplib::Server& http, SyncServer& srv);

}  // namespace jc::server
