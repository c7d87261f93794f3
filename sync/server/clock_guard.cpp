#include "sync/server/clock_guard.h"

#include "core/dates.h"
#include "core/hq_clock.h"

namespace jc::server {

namespace {
// True (and `value` replaced) when `value` is an ISO time too far ahead.
bool replaceIfAhead(std::string& value, int64_t serverNowMs) {
    auto ms = parseIsoTimestamp(value);
    if (!ms || *ms <= serverNowMs + kClockFutureLimitMs) return false;
    value = isoTimestamp(serverNowMs);
    return true;
}
}  // namespace

Json guardFutureTimes(const EntityDef& def, Json& fields, std::string* createdAt, int64_t serverNowMs,
                      const std::function<WorkCalendar()>& calendar) {
    Json device = Json::object();
    if (createdAt) {
        std::string v = *createdAt;
        if (replaceIfAhead(v, serverNowMs)) {
            device["created_at"] = *createdAt;
            *createdAt = v;
        }
    }
    for (auto it = fields.begin(); it != fields.end(); ++it) {
        const FieldDef* f = def.field(it.key());
        if (!f || f->kind != FieldKind::Timestamp || it.key() == "device_time" || !it->is_string()) continue;
        std::string v = it->get<std::string>();
        if (replaceIfAhead(v, serverNowMs)) {
            device[it.key()] = *it;
            *it = v;
        }
    }
    if (!device.empty() && def.field("time_suspect")) {
        fields["time_suspect"] = true;
        if (def.field("device_time") && !fields.contains("device_time"))
            fields["device_time"] = device.contains("created_at") ? device["created_at"] : device.begin().value();
    }
    // The deadline the device counted from its own receipt day, counted from ours.
    if (device.contains("received_at") && device["received_at"].is_string() && calendar && def.field("deadline") &&
        fields.contains("deadline") && fields["deadline"].is_string()) {
        if (auto moved = recountDeadline(calendar(), device["received_at"].get<std::string>(),
                                         fields["received_at"].get<std::string>(),
                                         fields["deadline"].get<std::string>())) {
            device["deadline"] = fields["deadline"];
            fields["deadline"] = moved->str();
        }
    }
    return device;
}

}  // namespace jc::server
