#include "app/org_commands.h"

#include "core/i18n.h"
#include "core/error.h"
#include "core/workflow.h"
#include "store/writer.h"

namespace jc {

namespace {
Json codeList(const std::vector<std::string>& in, std::span<const CodeLabel> list, const char* what) {
    Json out = Json::array();
    for (const auto& c : in) out.push_back(findCode(list, c, what).code);
    if (in.empty())
        for (const auto& c : list) out.push_back(c.code);
    return out;
}

void requireRegion(Store& store, const std::string& code) {
    if (code.empty()) return;
    auto& s = store.db().cached("SELECT 1 FROM region WHERE code = ?");
    s.bind(1, code);
    if (!s.exists()) throw ValidationError(trf("org.err_region", {code}));
}
}  // namespace

std::string createCampaign(AppContext& ctx, const CampaignInput& in) {
    ctx.requireRole(kHq, tr("context.do.set_up_campaign"));
    if (in.title.empty()) throw ValidationError(tr("org.err_campaign_title"));
    if (in.complaintDeadlineDays < 1 || in.complaintDeadlineDays > 365)
        throw ValidationError(tr("org.err_deadline_days"));
    FieldMap f = {{"title", in.title},
                  {"areas", codeList(in.areas, areas(), "area")},
                  {"categories", codeList(in.categories, categories(), "category")},
                  {"status", "active"},
                  {"number_prefix", in.numberPrefix},
                  {"complaint_deadline_days", in.complaintDeadlineDays},
                  {"region_scope", in.regionScope}};
    if (!in.periodStart.empty()) f["period_start"] = Date::parse(in.periodStart).str();
    if (!in.periodEnd.empty()) f["period_end"] = Date::parse(in.periodEnd).str();
    if (!in.periodStart.empty() && !in.periodEnd.empty() && in.periodEnd < in.periodStart)
        throw ValidationError(tr("org.err_period"));
    Transaction tx(ctx.store.db());
    for (const auto& r : in.regionScope) requireRegion(ctx.store, r);
    std::string id = ChangeWriter(ctx.store, tx, ctx.actor.name).insert("campaign", f);
    tx.commit();
    return id;
}

std::string createTeam(AppContext& ctx, const std::string& name) {
    ctx.requireRole(kHq, tr("context.do.create_team"));
    Transaction tx(ctx.store.db());
    std::string id = ChangeWriter(ctx.store, tx, ctx.actor.name).insert("team", {{"name", name}});
    tx.commit();
    return id;
}

std::string createUser(AppContext& ctx, const std::string& name, Role role, const std::string& teamId) {
    ctx.requireRole(kHq, tr("context.do.create_user"));
    FieldMap f = {{"name", name}, {"role", std::string(roleCode(role))}};
    Transaction tx(ctx.store.db());
    if (!teamId.empty()) {
        ctx.store.require("team", teamId);
        f["team_id"] = teamId;
    }
    auto& s = ctx.store.db().cached("SELECT 1 FROM user WHERE name = ?");
    s.bind(1, name);
    if (s.exists()) throw ValidationError(trf("org.err_user_exists", {name}));
    std::string id = ChangeWriter(ctx.store, tx, ctx.actor.name).insert("user", f);
    tx.commit();
    return id;
}

std::string createUnit(AppContext& ctx, const std::string& name, const std::string& kind, const std::string& regionCode) {
    FieldMap f = {{"name", name}, {"kind", findCode(unitKinds(), kind, "unit kind").code}};
    if (!regionCode.empty()) f["region_code"] = regionCode;
    Transaction tx(ctx.store.db());
    requireRegion(ctx.store, regionCode);
    std::string id = ChangeWriter(ctx.store, tx, ctx.actor.name).insert("unit", f);
    tx.commit();
    return id;
}

std::string createPerson(AppContext& ctx, const std::string& name, const std::string& unitId, const std::string& post) {
    FieldMap f = {{"name", name}};
    if (!post.empty()) f["post"] = post;
    Transaction tx(ctx.store.db());
    if (!unitId.empty()) {
        ctx.store.require("unit", unitId);
        f["unit_id"] = unitId;
    }
    std::string id = ChangeWriter(ctx.store, tx, ctx.actor.name).insert("person", f);
    tx.commit();
    return id;
}

void deleteDraft(AppContext& ctx, const std::string& entity, const std::string& id) {
    Transaction tx(ctx.store.db());
    FieldMap row = ctx.store.require(entity, id);
    std::string status = row.value("status", std::string());
    bool draft = (entity == "finding" && status == "draft") || (entity == "complaint" && status == "received");
    if (!draft) throw ValidationError(trf("org.err_not_draft", {codeLabel(statuses(entity == "finding" ? Machine::Finding : Machine::Complaint), status)}));
    if (ctx.actor.role == Role::Inspector && row["created_by"] != ctx.actor.name)
        throw ForbiddenError(trf("org.err_own_drafts", {ctx.actor.name}));
    ChangeWriter(ctx.store, tx, ctx.actor.name).remove(entity, id);
    tx.commit();
}

std::vector<SetupRecord> listSetupRecords(Database& db, const std::string& entity, const std::vector<std::string>& fields) {
    if (entity != "campaign" && entity != "team" && entity != "unit" && entity != "person" && entity != "user")
        throw UsageError("listSetupRecords: " + entity + " is not a set-up record");
    const EntityDef& def = entityDef(entity);
    std::string sql = "SELECT id";
    for (const auto& f : fields) {
        if (!def.field(f)) throw ValidationError(entity + " has no field " + f);
        sql += ", coalesce(" + f + ", '')";
    }
    sql += " FROM " + entity + " WHERE deleted = 0 ORDER BY created_at LIMIT 10000";
    auto s = db.prepare(sql);
    std::vector<SetupRecord> out;
    while (s.step()) {
        SetupRecord r{s.getText(0), {}};
        for (int i = 1; i <= static_cast<int>(fields.size()); ++i) {
            Json v = s.getJson(i);
            r.values.push_back(v.is_string() ? s.getText(i) : v.dump());
        }
        out.push_back(std::move(r));
    }
    return out;
}

}  // namespace jc
