#include "app/rectification_commands.h"

#include "app/case_history.h"
#include "core/i18n.h"
#include "core/error.h"
#include "core/workflow.h"
#include "store/writer.h"

namespace jc {

namespace {
FieldMap loadLive(Store& store, const std::string& entity, const std::string& id) {
    FieldMap row = store.require(entity, id);
    if (row["deleted"].get<bool>()) throw NotFoundError(trf("app.err_deleted", {entityLabel(entity), id}));
    return row;
}

void rectStep(AppContext& ctx, const std::string& id, const std::string& action, const std::string& comment,
              FieldMap extra) {
    Transaction tx(ctx.store.db());
    FieldMap r = loadLive(ctx.store, "rectification", id);
    std::string from = r["status"].get<std::string>();
    const Transition& t = checkTransition(Machine::Rectification, from, action, ctx.actor.role, comment);
    extra["status"] = t.to;
    ChangeWriter w(ctx.store, tx, ctx.actor.name);
    w.update("rectification", id, extra);
    recordCaseEvent(w, "rectification", id, action, from, t.to, comment);
    if (t.to == std::string("verified")) {
        // On-site verification of the rectification marks its finding rectified.
        std::string fid = r["finding_id"].get<std::string>();
        FieldMap f = loadLive(ctx.store, "finding", fid);
        std::string fs = f["status"].get<std::string>();
        if (fs == "rectification_ordered") {
            const Transition& ft = checkTransition(Machine::Finding, fs, "mark_rectified", ctx.actor.role, "");
            w.update("finding", fid, {{"status", ft.to}});
            recordCaseEvent(w, "finding", fid, "mark_rectified", fs, ft.to, comment, {{"rectification_id", id}});
        }
    }
    tx.commit();
}
}  // namespace

std::string orderRectification(AppContext& ctx, const std::string& findingId, const std::string& requiredAction,
                               const std::string& responsibleUnitId, const std::string& deadline, int workdays) {
    if (requiredAction.empty()) throw ValidationError(tr("rect.err_action"));
    std::string due = deadline;
    if (due.empty()) {
        if (workdays <= 0) throw ValidationError(tr("rect.err_deadline"));
        due = ctx.calendar->addWorkdays(ctx.today(), workdays).str();
    } else {
        Date d = Date::parse(due);
        if (d < ctx.today()) throw ValidationError(trf("rect.err_past", {due}));
    }
    Transaction tx(ctx.store.db());
    FieldMap f = loadLive(ctx.store, "finding", findingId);
    std::string fs = f["status"].get<std::string>();
    const Transition& t = checkTransition(Machine::Finding, fs, "order_rectification", ctx.actor.role, "");
    FieldMap r = {{"finding_id", findingId},
                  {"required_action", requiredAction},
                  {"deadline", due},
                  {"status", std::string(initialStatus(Machine::Rectification))}};
    std::string unit = responsibleUnitId.empty() && f["subject_unit_id"].is_string() ? f["subject_unit_id"].get<std::string>()
                                                                                     : responsibleUnitId;
    if (!unit.empty()) {
        loadLive(ctx.store, "unit", unit);
        r["responsible_unit_id"] = unit;
    }
    ChangeWriter w(ctx.store, tx, ctx.actor.name);
    std::string id = w.insert("rectification", r);
    w.update("finding", findingId, {{"status", t.to}});
    recordCaseEvent(w, "finding", findingId, "order_rectification", fs, t.to, requiredAction,
                    {{"rectification_id", id}, {"deadline", due}});
    tx.commit();
    return id;
}

void reportRectification(AppContext& ctx, const std::string& id, const std::string& note) {
    if (note.empty()) throw ValidationError(tr("rect.err_report"));
    rectStep(ctx, id, "report", note, {{"progress_note", note}, {"reported_at", nowIso()}});
}

void verifyRectification(AppContext& ctx, const std::string& id, const std::string& note) {
    rectStep(ctx, id, "verify", note,
             {{"verification_note", note}, {"verified_by", ctx.actor.name}, {"verified_at", nowIso()}});
}

void rejectRectification(AppContext& ctx, const std::string& id, const std::string& comment) {
    rectStep(ctx, id, "reject", comment, FieldMap::object());
}

int markOverdueRectifications(AppContext& ctx) {
    std::vector<std::string> due;
    {
        auto s = ctx.store.db().prepare("SELECT id FROM rectification WHERE deleted = 0 AND status = 'ordered' AND deadline < ?");
        s.bind(1, ctx.today().str());
        while (s.step()) due.push_back(s.getText(0));
    }
    for (const auto& id : due) rectStep(ctx, id, "mark_overdue", "", FieldMap::object());
    return static_cast<int>(due.size());
}

std::string issueWarning(AppContext& ctx, const WarningInput& in) {
    ctx.requireRole(kLead | kHq, tr("context.do.issue_warning"));
    if (in.targetPersonId.empty() && in.targetUnitId.empty())
        throw ValidationError(tr("warning.err_target"));
    if (in.reason.empty()) throw ValidationError(tr("warning.err_reason"));
    FieldMap f = {{"reason", in.reason},
                  {"level", findCode(warningLevels(), in.level, "warning level").code},
                  {"issued_by", ctx.actor.name},
                  {"issued_at", nowIso()}};
    Transaction tx(ctx.store.db());
    if (!in.targetPersonId.empty()) {
        loadLive(ctx.store, "person", in.targetPersonId);
        f["target_person_id"] = in.targetPersonId;
    }
    if (!in.targetUnitId.empty()) {
        loadLive(ctx.store, "unit", in.targetUnitId);
        f["target_unit_id"] = in.targetUnitId;
    }
    if (!in.linkedId.empty()) {
        if (in.linkedEntity != "finding" && in.linkedEntity != "complaint" && in.linkedEntity != "approval")
            throw ValidationError(tr("warning.err_link"));
        loadLive(ctx.store, in.linkedEntity, in.linkedId);
        f["linked_entity"] = in.linkedEntity;
        f["linked_id"] = in.linkedId;
    }
    ChangeWriter w(ctx.store, tx, ctx.actor.name);
    std::string id = w.insert("warning", f);
    if (!in.linkedId.empty())
        recordCaseEvent(w, in.linkedEntity, in.linkedId, "warning_issued", "", "", in.reason, {{"warning_id", id}});
    tx.commit();
    return id;
}

void acknowledgeWarning(AppContext& ctx, const std::string& id) {
    Transaction tx(ctx.store.db());
    FieldMap wrow = loadLive(ctx.store, "warning", id);
    if (wrow["acknowledged_at"].is_string()) throw ValidationError(tr("warning.err_acknowledged"));
    ChangeWriter w(ctx.store, tx, ctx.actor.name);
    w.update("warning", id, {{"acknowledged_at", nowIso()}});
    tx.commit();
}

}  // namespace jc
