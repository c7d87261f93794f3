#include "store/clock_fix.h"

#include <cstdlib>
#include <set>

#include "core/calendar.h"
#include "core/dates.h"
#include "core/hq_clock.h"
#include "store/reference_data.h"

namespace jc {

namespace {

bool isTimeField(const EntityDef& def, const std::string& name) {
    if (name == "created_at") return true;
    if (name == "device_time") return false;
    const FieldDef* f = def.field(name);
    return f && f->kind == FieldKind::Timestamp;
}

// Sets `column` of the record to `value` when it still holds `old` (a later edit wins).
void updateIfUnchanged(Database& db, const std::string& table, const std::string& id, const std::string& column,
                       const Json& value, const Json& old) {
    auto& s = db.cached("UPDATE " + table + " SET " + column + " = ? WHERE id = ? AND " + column + " IS ?");
    s.bindJson(1, value).bind(2, id).bindJson(3, old);
    s.run();
}

}  // namespace

ClockFixReport recordClockOffset(Store& store, int64_t offsetMs) {
    ClockFixReport report;
    Database& db = store.db();
    Transaction tx(db);
    const bool significant = std::llabs(offsetMs) > kClockWarnMs;
    const ClockAnchor now = currentClockAnchor();
    std::optional<WorkCalendar> calendar;
    struct Row {
        int64_t seq;
        std::string entity, entityId, fields, anchor;
    };
    std::vector<Row> rows;
    {
        auto& q = db.cached(
            "SELECT seq, entity, entity_id, fields, coalesce(clock_anchor, '') FROM outbox WHERE clock_offset_ms IS "
            "NULL "
            "ORDER BY seq");
        while (q.step()) rows.push_back({q.getInt(0), q.getText(1), q.getText(2), q.getText(3), q.getText(4)});
    }
    for (const Row& r : rows) {
        Json fields = Json::parse(r.fields);
        if (significant) {
            const EntityDef& def = entityDef(r.entity);
            auto anchor = ClockAnchor::decode(r.anchor);
            if (anchor && !clockChangedBetween(*anchor, now)) {
                Json before = fields;
                for (auto it = fields.begin(); it != fields.end(); ++it) {
                    if (!isTimeField(def, it.key()) || !it->is_string()) continue;
                    auto ms = parseIsoTimestamp(it->get<std::string>());
                    if (!ms) continue;
                    *it = isoTimestamp(*ms + offsetMs);
                    updateIfUnchanged(db, def.name, r.entityId, it.key(), *it, before[it.key()]);
                }
                // A complaint's deadline was counted from the device's day: count it from HQ's.
                if (fields.contains("deadline") && fields["deadline"].is_string() && fields.contains("received_at") &&
                    fields["received_at"].is_string()) {
                    if (!calendar) calendar = WorkCalendar::fromJson(calendarJson(db));
                    if (auto moved = recountDeadline(*calendar, before["received_at"].get<std::string>(),
                                                     fields["received_at"].get<std::string>(),
                                                     fields["deadline"].get<std::string>())) {
                        fields["deadline"] = moved->str();
                        updateIfUnchanged(db, def.name, r.entityId, "deadline", fields["deadline"], before["deadline"]);
                    }
                }
                if (before.contains("created_at") && def.field("device_time") && !fields.contains("device_time")) {
                    fields["device_time"] = before["created_at"];
                    updateIfUnchanged(db, def.name, r.entityId, "device_time", fields["device_time"], nullptr);
                }
                ++report.corrected;
            } else {
                if (def.field("time_suspect")) {
                    fields["time_suspect"] = true;
                    auto& s = db.cached("UPDATE " + std::string(def.name) + " SET time_suspect = 1 WHERE id = ?");
                    s.bind(1, r.entityId);
                    s.run();
                }
                ++report.flagged;
            }
        }
        auto& u = db.cached("UPDATE outbox SET fields = ?, clock_offset_ms = ? WHERE seq = ?");
        u.bind(1, fields.dump()).bind(2, offsetMs).bind(3, r.seq);
        u.run();
    }
    store.setMeta("clock_offset_ms", std::to_string(offsetMs));
    store.setMeta("clock_offset_anchor", now.encode());
    store.setMeta("clock_offset_measured_at", isoTimestamp(nowMillis() + offsetMs));
    tx.commit();
    setHqClockOffset(offsetMs, now);
    return report;
}

bool ClockOffsetInfo::warn() const {
    return offsetMs && std::llabs(*offsetMs) > kClockWarnMs;
}

void loadClockOffset(Store& store) {
    auto v = store.meta("clock_offset_ms");
    if (!v) return;
    try {
        auto anchor = ClockAnchor::decode(store.meta("clock_offset_anchor").value_or(""));
        setHqClockOffset(std::stoll(*v), anchor);
    } catch (const std::exception&) {
    }
}

ClockOffsetInfo clockOffsetInfo(Store& store) {
    ClockOffsetInfo info;
    // The stored offset, moved by any setting of the wall clock since (core/hq_clock.h).
    if (store.meta("clock_offset_ms")) info.offsetMs = hqClockOffset();
    info.measuredAt = store.meta("clock_offset_measured_at").value_or("");
    return info;
}

}  // namespace jc
