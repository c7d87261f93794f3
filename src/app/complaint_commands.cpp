#include "app/complaint_commands.h"

#include "app/case_history.h"
#include "app/sealing.h"
#include "core/i18n.h"
#include "core/error.h"
#include "core/time_input.h"
#include "core/workflow.h"
#include "store/writer.h"

namespace jc {

namespace {
struct Loaded {
    FieldMap row;
    std::string status;
};

Loaded loadComplaint(Store& store, const std::string& id) {
    FieldMap row = store.require("complaint", id);
    if (row["deleted"].get<bool>()) throw NotFoundError(trf("app.err_deleted", {tr("entity.complaint"), id}));
    return {row, row["status"].get<std::string>()};
}

void requireUser(Store& store, const std::string& name) {
    auto& s = store.db().cached("SELECT 1 FROM user WHERE name = ? AND deleted = 0");
    s.bind(1, name);
    if (!s.exists()) throw NotFoundError(trf("complaint.err_user", {name}));
}

std::string owner(const FieldMap& row) {
    std::string a = row.value("assignee", Json()).is_string() ? row["assignee"].get<std::string>() : "";
    return a.empty() ? row["first_contact_handler"].get<std::string>() : a;
}

// Applies one workflow step with extra fields, in one transaction.
void step(AppContext& ctx, const std::string& id, const std::string& action, const std::string& comment, FieldMap extra,
          const Json& detail = nullptr) {
    Transaction tx(ctx.store.db());
    Loaded c = loadComplaint(ctx.store, id);
    const Transition& t = checkTransition(Machine::Complaint, c.status, action, ctx.actor.role, comment);
    if (ctx.actor.role == Role::Inspector && owner(c.row) != ctx.actor.name)
        throw ForbiddenError(trf("complaint.err_owner", {owner(c.row), ctx.actor.name, codeLabel(actions(Machine::Complaint), action)}));
    extra["status"] = t.to;
    ChangeWriter w(ctx.store, tx, ctx.actor.name);
    w.update("complaint", id, extra);
    recordCaseEvent(w, "complaint", id, action, c.status, t.to, comment, detail);
    tx.commit();
}
}  // namespace

std::string receiveComplaint(AppContext& ctx, const ComplaintIntake& in) {
    FieldMap f = {{"title", in.title},
                  {"channel", findCode(complaintChannels(), in.channel, "complaint channel").code},
                  {"content", in.content},
                  {"first_contact_handler", ctx.actor.name},
                  {"assignee", ctx.actor.name},
                  {"anonymous", in.anonymous},
                  {"status", std::string(initialStatus(Machine::Complaint))}};
    // Any form people type (core/time_input.h), China time unless it names a zone; stored as UTC.
    std::string received = in.receivedAt.empty() ? nowIso() : parseTimeInputIso(in.receivedAt, "received_at");
    f["received_at"] = received;
    if (in.title.empty()) throw ValidationError(tr("complaint.err_title"));
    if (in.content.empty()) throw ValidationError(tr("complaint.err_content"));
    bool hasIdentity = !in.complainantName.empty() || !in.complainantPhone.empty() || !in.complainantIdNumber.empty();
    if (in.anonymous && hasIdentity) throw ValidationError(tr("complaint.err_anonymous_identity"));
    if (!in.anonymous && !hasIdentity)
        throw ValidationError(tr("complaint.err_identity"));
    if (!in.category.empty()) f["category"] = findCode(categories(), in.category, "category").code;
    if (!in.regionCode.empty()) {
        ctx.requireRegion(in.regionCode);
        f["region_code"] = in.regionCode;
    }
    if (!in.respondentUnitId.empty()) f["respondent_unit_id"] = in.respondentUnitId;
    if (!in.respondentPersonId.empty()) f["respondent_person_id"] = in.respondentPersonId;

    Transaction tx(ctx.store.db());
    int workdays = kDefaultComplaintWorkdays;
    if (!in.campaignId.empty()) {
        FieldMap camp = ctx.store.require("campaign", in.campaignId);
        f["campaign_id"] = in.campaignId;
        if (camp["complaint_deadline_days"].is_number_integer()) workdays = camp["complaint_deadline_days"].get<int>();
    }
    if (!in.respondentUnitId.empty()) ctx.store.require("unit", in.respondentUnitId);
    if (!in.respondentPersonId.empty()) ctx.store.require("person", in.respondentPersonId);
    Date receivedDay = Date::chinaDate(*parseIsoTimestamp(received));
    f["deadline"] = ctx.calendar->addWorkdays(receivedDay, workdays).str();
    if (hasIdentity) {
        Json who = {{"name", in.complainantName}, {"phone", in.complainantPhone}, {"id_number", in.complainantIdNumber}};
        f["complainant_sealed"] = sealIdentity(ctx.store, who);
    }
    ChangeWriter w(ctx.store, tx, ctx.actor.name);
    std::string id = w.insert("complaint", f);
    recordCaseEvent(w, "complaint", id, "receive", "", f["status"], "", {{"first_contact_handler", ctx.actor.name}});
    tx.commit();
    return id;
}

void assignComplaint(AppContext& ctx, const std::string& id, const std::string& assignee) {
    requireUser(ctx.store, assignee);
    step(ctx, id, "assign", "", {{"assignee", assignee}}, {{"assignee", assignee}});
}

void handOverComplaint(AppContext& ctx, const std::string& id, const std::string& toUser, const std::string& note) {
    Transaction tx(ctx.store.db());
    Loaded c = loadComplaint(ctx.store, id);
    if (c.status == "closed") throw ValidationError(tr("complaint.err_closed"));
    requireUser(ctx.store, toUser);
    std::string from = owner(c.row);
    if (ctx.actor.role == Role::Inspector && from != ctx.actor.name)
        throw ForbiddenError(trf("complaint.err_handover", {from}));
    if (toUser == from) throw ValidationError(trf("complaint.err_same_owner", {toUser}));
    ChangeWriter w(ctx.store, tx, ctx.actor.name);
    w.update("complaint", id, {{"assignee", toUser}});
    recordCaseEvent(w, "complaint", id, "handover", c.status, c.status, note, {{"from", from}, {"to", toUser}});
    tx.commit();
}

void startInvestigation(AppContext& ctx, const std::string& id) { step(ctx, id, "investigate", "", FieldMap::object()); }

void replyComplaint(AppContext& ctx, const std::string& id, const std::string& reply) {
    step(ctx, id, "reply", reply, {{"reply", reply}, {"reply_at", nowIso()}});
}

void closeComplaint(AppContext& ctx, const std::string& id, const std::string& outcome, const std::string& satisfaction) {
    FieldMap extra = {{"outcome", outcome}};
    if (!satisfaction.empty()) {
        static const char* ok[] = {"satisfied", "basically_satisfied", "dissatisfied", "unknown"};
        bool known = false;
        for (const char* s : ok) known = known || satisfaction == s;
        if (!known)
            throw ValidationError(tr("complaint.err_satisfaction"));
        extra["satisfaction"] = satisfaction;
    }
    step(ctx, id, "close", outcome, extra);
}

Json revealComplainant(AppContext& ctx, const std::string& id) {
    ctx.requireRole(kHq, tr("context.do.reveal_identity"));
    Transaction tx(ctx.store.db());
    Loaded c = loadComplaint(ctx.store, id);
    if (c.row["anonymous"] == true) throw ValidationError(tr("complaint.err_anonymous"));
    Json who = openIdentity(ctx.store, c.row["complainant_sealed"].get<std::string>());
    ChangeWriter w(ctx.store, tx, ctx.actor.name);
    w.audit("reveal_complainant", "complaint", id);
    tx.commit();
    return who;
}

}  // namespace jc
