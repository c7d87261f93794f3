#include "sync/client/clock_sync.h"

#include "sync/client/http_client.h"

namespace jc::sync {

std::optional<ClockFixReport> recordMeasuredClock(const HttpClient& http, Store& store) {
    auto offset = http.clockOffset();
    if (!offset) return std::nullopt;
    return recordClockOffset(store, *offset);
}

bool clockNeverMeasured(Store& store) {
    return !store.meta("clock_offset_ms").has_value();
}

std::optional<ClockFixReport> measureClock(HttpClient& http, Store& store, std::string* versionBody) {
    HttpResponse res = http.get("/v1/version");
    if (!res.ok()) return std::nullopt;
    if (versionBody) *versionBody = res.body;
    return recordMeasuredClock(http, store);
}

}  // namespace jc::sync
