#include "app/monitoring.h"

#include "app/evaluation.h"
#include "core/i18n.h"
#include "core/domain.h"
#include "core/error.h"
#include "core/workflow.h"
#include "store/writer.h"

namespace jc {

namespace {
std::string text(Statement& s, int c) { return s.isNull(c) ? std::string() : s.getText(c); }
}  // namespace

std::vector<MonitorRule> loadMonitorRules(Database& db) {
    std::map<std::string, MonitorRule> stored;
    auto s = db.prepare("SELECT id, kind, params, coalesce(enabled, 1) FROM monitor_rule WHERE deleted = 0 ORDER BY created_at, id");
    while (s.step()) {
        MonitorRule r;
        r.id = s.getText(0);
        r.kind = text(s, 1);
        Json p = s.isNull(2) ? Json::object() : Json::parse(s.getText(2), nullptr, false);
        r.enabled = s.getInt(3) != 0;
        try {
            r.params = checkedMonitorParams(r.kind, p.is_discarded() ? Json::object() : p);
        } catch (const ValidationError&) {
            continue;  // a kind this version does not know (a newer HQ client wrote it)
        }
        stored[r.kind] = std::move(r);  // the first record of a kind wins; HQ edits that one
        if (stored.size() > 100) break;
    }
    std::vector<MonitorRule> out;
    for (const auto& kind : monitorRuleKinds()) {
        auto it = stored.find(kind);
        out.push_back(it != stored.end() ? it->second : defaultMonitorRule(kind));
    }
    return out;
}

std::string setMonitorRule(AppContext& ctx, const std::string& kind, const Json& params, bool enabled) {
    ctx.requireRole(kHq, tr("context.do.change_rules"));
    Transaction tx(ctx.store.db());
    MonitorRule current = defaultMonitorRule(kind);  // throws for an unknown kind
    for (const auto& r : loadMonitorRules(ctx.store.db()))
        if (r.kind == kind) current = r;
    Json merged = current.params;
    if (params.is_object())
        for (auto it = params.begin(); it != params.end(); ++it) merged[it.key()] = *it;
    merged = checkedMonitorParams(kind, merged);
    ChangeWriter w(ctx.store, tx, ctx.actor.name);
    std::string id = current.id;
    if (id.empty()) id = w.insert("monitor_rule", {{"kind", kind}, {"params", merged}, {"enabled", enabled}});
    else w.update("monitor_rule", id, {{"params", merged}, {"enabled", enabled}});
    tx.commit();
    return id;
}

MonitorFacts gatherMonitorFacts(Database& db) {
    MonitorFacts f;
    {
        auto s = db.prepare(
            "SELECT id, coalesce(respondent_unit_id, ''), coalesce(category, ''), "
            "coalesce(nullif(assignee, ''), first_contact_handler, ''), received_at, reply_at IS NOT NULL, status "
            "FROM complaint WHERE deleted = 0");
        while (s.step()) {
            auto d = chinaDateOf(text(s, 4));
            if (!d) continue;
            f.complaints.push_back({s.getText(0), s.getText(1), s.getText(2), s.getText(3), *d, s.getInt(5) != 0, text(s, 6)});
        }
    }
    {
        auto s = db.prepare(
            "SELECT id, coalesce(subject_unit_id, ''), category, created_at FROM finding WHERE deleted = 0 "
            "AND status NOT IN ('draft', 'dismissed')");
        while (s.step()) {
            auto d = chinaDateOf(text(s, 3));
            if (d) f.findings.push_back({s.getText(0), s.getText(1), text(s, 2), *d});
        }
    }
    {
        auto s = db.prepare(
            "SELECT id, coalesce(responsible_unit_id, ''), deadline FROM rectification WHERE deleted = 0 "
            "AND status IN ('ordered', 'overdue')");
        while (s.step()) {
            auto d = Date::tryParse(text(s, 2));
            if (d) f.openRectifications.push_back({s.getText(0), s.getText(1), *d});
        }
    }
    auto s = db.prepare("SELECT id, name FROM unit WHERE deleted = 0");
    while (s.step()) f.unitNames[s.getText(0)] = text(s, 1);
    return f;
}

std::vector<MonitorFlag> runMonitoring(Database& db, const WorkCalendar& cal, const Date& today) {
    return evaluateMonitoring(loadMonitorRules(db), gatherMonitorFacts(db), cal, today);
}

std::string placeUnderFocus(AppContext& ctx, const std::string& subjectKind, const std::string& subject,
                            const std::string& reason, const Json& flag) {
    ctx.requireRole(kHq, tr("context.do.place_focus"));
    if (isBlank(reason)) throw ValidationError(tr("monitor.err_reason"));
    Transaction tx(ctx.store.db());
    FieldMap f = {{"subject_kind", subjectKind}, {"reason", reason}, {"status", "active"},
                  {"placed_by", ctx.actor.name}, {"placed_at", nowIso()}};
    std::string column, value;
    if (subjectKind == "unit") {
        value = resolveUnit(ctx.store.db(), subject);
        column = "unit_id";
    } else if (subjectKind == "category") {
        value = findCode(categories(), subject, tr("cli.list.category")).code;
        column = "category";
    } else {
        throw ValidationError(trf("monitor.err_kind", {subjectKind}));
    }
    f[column] = value;
    auto s = ctx.store.db().prepare("SELECT id FROM focus WHERE deleted = 0 AND status = 'active' AND subject_kind = ? AND " +
                                    column + " = ?");
    s.bind(1, subjectKind).bind(2, value);
    if (s.step()) throw ValidationError(trf("monitor.err_already", {subject, s.getText(0)}));
    s.reset();
    if (flag.is_object()) f["flag"] = flag;
    std::string id = ChangeWriter(ctx.store, tx, ctx.actor.name).insert("focus", f);
    tx.commit();
    return id;
}

void liftFocus(AppContext& ctx, const std::string& id, const std::string& note) {
    ctx.requireRole(kHq, tr("context.do.lift_focus"));
    if (isBlank(note)) throw ValidationError(tr("monitor.err_note"));
    Transaction tx(ctx.store.db());
    FieldMap row = ctx.store.require("focus", id);
    if (row["deleted"].get<bool>()) throw NotFoundError(trf("monitor.err_deleted", {id}));
    if (row["status"] != "active") throw ValidationError(trf("monitor.err_lifted", {id}));
    ChangeWriter(ctx.store, tx, ctx.actor.name)
        .update("focus", id, {{"status", "lifted"}, {"lifted_by", ctx.actor.name}, {"lifted_at", nowIso()}, {"lift_note", note}});
    tx.commit();
}

std::vector<FocusRow> listFocus(Database& db, bool activeOnly) {
    auto s = db.prepare(
        "SELECT f.id, f.subject_kind, coalesce(f.unit_id, ''), coalesce(f.category, ''), coalesce(u.name, ''), f.reason, "
        "f.status, coalesce(f.placed_by, ''), coalesce(f.placed_at, ''), coalesce(f.lifted_by, ''), "
        "coalesce(f.lifted_at, ''), coalesce(f.lift_note, ''), f.flag FROM focus f LEFT JOIN unit u ON u.id = f.unit_id "
        "WHERE f.deleted = 0" +
        std::string(activeOnly ? " AND f.status = 'active'" : "") + " ORDER BY f.status = 'active' DESC, f.placed_at DESC");
    std::vector<FocusRow> out;
    while (s.step()) {
        FocusRow r{s.getText(0), text(s, 1), s.getText(2), s.getText(3), s.getText(4), text(s, 5), text(s, 6),
                   s.getText(7), s.getText(8), s.getText(9), s.getText(10), s.getText(11), Json()};
        if (r.subjectKind == "category") r.subjectName = hasCode(categories(), r.category) ? findCode(categories(), r.category, "category").zh : r.category;
        if (!s.isNull(12)) r.flag = Json::parse(s.getText(12), nullptr, false);
        if (r.flag.is_discarded()) r.flag = nullptr;
        out.push_back(std::move(r));
    }
    return out;
}

Json focusToJson(const FocusRow& f) {
    return {{"id", f.id},         {"subject_kind", f.subjectKind}, {"unit_id", f.unitId},      {"category", f.category},
            {"subject", f.subjectName}, {"reason", f.reason},      {"status", f.status},       {"placed_by", f.placedBy},
            {"placed_at", f.placedAt},  {"lifted_by", f.liftedBy}, {"lifted_at", f.liftedAt}, {"lift_note", f.liftNote},
            {"flag", f.flag}};
}

}  // namespace jc
