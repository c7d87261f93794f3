#include "sync/client/clock_sync.h"

#include <nlohmann/json.hpp>

#include "core/dates.h"
#include "core/hq_clock.h"
#include "sync/client/http_client.h"

namespace jc::sync {

std::optional<ClockFixReport> measureClock(HttpClient& http, Store& store, std::string* versionBody) {
    const int64_t sent = nowMillis();
    HttpResponse res = http.get("/v1/version");
    const int64_t received = nowMillis();
    if (!res.ok()) return std::nullopt;
    if (versionBody) *versionBody = res.body;
    auto body = nlohmann::json::parse(res.body, nullptr, false);
    if (!body.is_object() || !body.contains("server_time") || !body["server_time"].is_string()) return std::nullopt;
    auto serverMs = parseIsoTimestamp(body["server_time"].get<std::string>());
    if (!serverMs) return std::nullopt;
    return recordClockOffset(store, clockOffsetFromExchange(sent, received, *serverMs));
}

}  // namespace jc::sync
