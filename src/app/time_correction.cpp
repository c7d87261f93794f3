#include "app/time_correction.h"

#include <algorithm>
#include <cstdlib>

#include "app/case_history.h"
#include "core/error.h"
#include "core/hq_clock.h"
#include "core/i18n.h"
#include "core/time_input.h"
#include "core/workflow.h"
#include "store/writer.h"

namespace jc {

namespace {

struct Kind {
    const char* entity;
    const char* field;  // the date people read and count from
    const char* title;  // what names the record in a list
    bool deadline;      // its deadline is counted from `field`
};
// Records whose date is one of their own fields, which a change may set (created_at is
// immutable once synced, so findings and rectifications keep their flag for HQ's attention).
constexpr Kind kKinds[] = {
    {"complaint", "received_at", "title", true},
    {"warning", "issued_at", "reason", false},
};

const Kind& kindOf(const std::string& entity) {
    for (const Kind& k : kKinds)
        if (entity == k.entity) return k;
    throw ValidationError(trf("app.err_no_correctable_date", {entityLabel(entity)}));
}

std::string text(const Json& v) {
    return v.is_string() ? v.get<std::string>() : std::string();
}

}  // namespace

std::vector<TimeSuspectRow> listTimeSuspect(Store& store) {
    std::vector<TimeSuspectRow> out;
    for (const Kind& k : kKinds) {
        std::string sql = std::string("SELECT id, ") + k.title + ", " + k.field + ", device_time, " +
                          (k.deadline ? "deadline" : "NULL") + " FROM " + k.entity +
                          " WHERE deleted = 0 AND time_suspect = 1";
        auto s = store.db().prepare(sql);
        while (s.step()) {
            TimeSuspectRow r{k.entity,
                             s.getText(0),
                             s.isNull(1) ? "" : s.getText(1),
                             k.field,
                             s.isNull(2) ? "" : s.getText(2),
                             s.isNull(3) ? "" : s.getText(3),
                             s.isNull(4) ? "" : s.getText(4)};
            out.push_back(std::move(r));
        }
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.recordedAt > b.recordedAt; });
    return out;
}

TimeCorrection correctRecordTime(AppContext& ctx, const std::string& entity, const std::string& id,
                                 const std::string& typed) {
    ctx.requireRole(kLead | kHq, tr("context.do.correct_time"));
    const Kind& k = kindOf(entity);
    const int64_t ms = parseTimeInput(typed, k.field);
    if (ms > hqNowMillis() + kClockFutureLimitMs)
        throw ValidationError(trf("app.err_future_time", {displayTime(isoTimestamp(ms)), entityLabel(entity)}));
    Transaction tx(ctx.store.db());
    FieldMap row = ctx.store.require(entity, id);
    if (row.value("deleted", false)) throw NotFoundError(trf("app.err_deleted", {entityLabel(entity), id}));
    TimeCorrection c;
    c.field = k.field;
    c.from = text(row[k.field]);
    c.to = isoTimestamp(ms);
    FieldMap f = {{k.field, c.to}, {"time_suspect", false}};
    // The device's own time stays beside the corrected one for the history.
    if (text(row["device_time"]).empty() && !c.from.empty()) f["device_time"] = c.from;
    if (k.deadline && !text(row["deadline"]).empty() && !c.from.empty()) {
        if (auto moved = recountDeadline(*ctx.calendar, c.from, c.to, text(row["deadline"]))) {
            c.deadlineFrom = text(row["deadline"]);
            c.deadlineTo = moved->str();
            f["deadline"] = c.deadlineTo;
        }
    }
    ChangeWriter w(ctx.store, tx, ctx.actor.name);
    w.update(entity, id, f);
    std::string comment = "时间更正：" + displayTime(c.from) + " → " + displayTime(c.to);
    if (!c.deadlineTo.empty() && c.deadlineTo != c.deadlineFrom)
        comment += "；办结期限 " + c.deadlineFrom + " → " + c.deadlineTo;
    Json detail = {{"field", c.field}, {"from", c.from}, {"to", c.to}};
    if (!c.deadlineTo.empty()) detail["deadline"] = {{"from", c.deadlineFrom}, {"to", c.deadlineTo}};
    const std::string status = text(row["status"]);
    recordCaseEvent(w, entity, id, "time_corrected", status, status, comment, detail);
    tx.commit();
    return c;
}

}  // namespace jc
