#include "app/finding_commands.h"

#include <cstdio>

#include "app/case_history.h"
#include "app/templates.h"
#include "core/domain.h"
#include "core/error.h"
#include "core/i18n.h"
#include "core/workflow.h"
#include "store/writer.h"

namespace jc {

namespace {
const char* kEditable[] = {"campaign_id", "area",     "category",          "misconduct_types", "title",
                           "narrative",   "region_code", "address",        "gps_lat",          "gps_lon",
                           "subject_unit_id", "responsible_persons", "field_values", "severity", "assignee",
                           "loophole",    "recommendation", "accountability"};

void checkCodes(const FieldMap& f) {
    if (f.contains("area") && f["area"].is_string() && !f["area"].get<std::string>().empty())
        findCode(areas(), f["area"].get<std::string>(), "area");
    if (f.contains("category") && f["category"].is_string()) findCode(categories(), f["category"].get<std::string>(), "category");
    if (f.contains("severity") && f["severity"].is_string()) findCode(severities(), f["severity"].get<std::string>(), "severity");
    if (f.contains("misconduct_types") && !f["misconduct_types"].is_null()) {
        if (!f["misconduct_types"].is_array()) throw ValidationError(tr("finding.err_misconduct_list"));
        for (const auto& m : f["misconduct_types"]) {
            if (!m.is_string()) throw ValidationError(tr("finding.err_misconduct_list"));
            findCode(misconductTypes(), m.get<std::string>(), "misconduct type");
        }
    }
    if (f.contains("gps_lat") && f["gps_lat"].is_number()) {
        double v = f["gps_lat"].get<double>();
        if (v < -90 || v > 90) throw ValidationError(tr("finding.err_lat"));
    }
    if (f.contains("gps_lon") && f["gps_lon"].is_number()) {
        double v = f["gps_lon"].get<double>();
        if (v < -180 || v > 180) throw ValidationError(tr("finding.err_lon"));
    }
    if (f.contains("responsible_persons") && !f["responsible_persons"].is_null()) {
        if (!f["responsible_persons"].is_array()) throw ValidationError(tr("finding.err_persons"));
        for (const auto& p : f["responsible_persons"])
            if (!p.is_object() || !p.contains("person_id") || !p["person_id"].is_string())
                throw ValidationError(tr("finding.err_persons"));
    }
}

void checkRefs(Store& store, const FieldMap& f) {
    if (f.contains("campaign_id") && f["campaign_id"].is_string()) {
        auto c = store.get("campaign", f["campaign_id"].get<std::string>());
        if (!c || (*c)["deleted"].get<bool>())
            throw NotFoundError(trf("finding.err_campaign", {f["campaign_id"].get<std::string>()}));
    }
    if (f.contains("subject_unit_id") && f["subject_unit_id"].is_string() && !f["subject_unit_id"].get<std::string>().empty())
        store.require("unit", f["subject_unit_id"].get<std::string>());
    if (f.contains("region_code") && f["region_code"].is_string() && !f["region_code"].get<std::string>().empty()) {
        auto& s = store.db().cached("SELECT 1 FROM region WHERE code = ?");
        s.bind(1, f["region_code"].get<std::string>());
        if (!s.exists()) throw ValidationError(trf("org.err_region", {f["region_code"].get<std::string>()}));
    }
}

bool isFilled(const Json& v) {
    return !(v.is_null() || (v.is_string() && v.get<std::string>().empty()) || (v.is_array() && v.empty()));
}

// Template value problems for the keys present (drafts may leave required fields empty).
void checkTemplateValues(Store& store, const std::string& category, const Json& values) {
    if (values.is_null()) return;
    if (!values.is_object()) throw ValidationError(tr("finding.err_values_object"));
    FormTemplate t = currentTemplate(store, category);
    std::string problems;
    for (const auto& issue : t.validateValues(values)) {
        if (t.field(issue.key) && !isFilled(values.value(issue.key, Json()))) continue;  // missing: checked on submit
        problems += (problems.empty() ? "" : "; ") + issue.key + ": " + (i18n().english() ? issue.messageEn : issue.messageZh);
    }
    if (!problems.empty()) throw ValidationError(trf("finding.err_values", {problems}));
}

std::string nextLocalNumber(Store& store) {
    int64_t n = findingCounter(store) + 1;
    setFindingCounter(store, n);
    return localNumber(store.deviceId(), n);
}
}  // namespace

int64_t findingCounter(Store& store) { return std::stoll(store.meta("finding_counter").value_or("0")); }
void setFindingCounter(Store& store, int64_t serial) { store.setMeta("finding_counter", std::to_string(serial)); }

std::string localNumber(const std::string& deviceId, int64_t serial) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%s-%05lld", deviceId.substr(deviceId.size() >= 4 ? deviceId.size() - 4 : 0).c_str(),
                  static_cast<long long>(serial));
    return buf;
}

bool isEditableFindingField(const std::string& name) {
    for (const char* k : kEditable)
        if (name == k) return true;
    return false;
}

std::string createFinding(AppContext& ctx, FieldMap fields) {
    for (auto it = fields.begin(); it != fields.end(); ++it)
        if (!isEditableFindingField(it.key())) throw ValidationError(trf("finding.err_field_set", {it.key()}));
    if (!fields.contains("severity")) fields["severity"] = "medium";
    if (!fields.contains("assignee")) fields["assignee"] = ctx.actor.name;
    fields["status"] = std::string(initialStatus(Machine::Finding));
    checkCodes(fields);
    if (fields.contains("region_code") && fields["region_code"].is_string())
        ctx.requireRegion(fields["region_code"].get<std::string>());
    Transaction tx(ctx.store.db());
    checkRefs(ctx.store, fields);
    if (fields.contains("category") && fields["category"].is_string()) {
        FormTemplate t = currentTemplate(ctx.store, fields["category"].get<std::string>());
        fields["template_version"] = t.version;
        checkTemplateValues(ctx.store, fields["category"].get<std::string>(), fields.value("field_values", Json()));
    }
    fields["local_number"] = nextLocalNumber(ctx.store);
    ChangeWriter w(ctx.store, tx, ctx.actor.name);
    std::string id = w.insert("finding", fields);
    tx.commit();
    return id;
}

FieldMap editFinding(AppContext& ctx, const std::string& id, const FieldMap& fields) {
    for (auto it = fields.begin(); it != fields.end(); ++it)
        if (!isEditableFindingField(it.key()))
            throw ValidationError(trf("finding.err_field_edit", {it.key()}));
    checkCodes(fields);
    Transaction tx(ctx.store.db());
    FieldMap cur = ctx.store.require("finding", id);
    if (cur["deleted"].get<bool>()) throw NotFoundError(trf("app.err_deleted", {tr("entity.finding"), id}));
    std::string status = cur["status"].get<std::string>();
    if (status != "draft" && status != "returned")
        throw ValidationError(trf("finding.err_not_editable", {cur.value("local_number", id), codeLabel(statuses(Machine::Finding), status)}));
    if (ctx.actor.role == Role::Inspector && cur["created_by"] != ctx.actor.name && cur["assignee"] != ctx.actor.name)
        throw ForbiddenError(trf("finding.err_other_inspector", {ctx.actor.name}));
    checkRefs(ctx.store, fields);
    if (fields.contains("region_code") && fields["region_code"].is_string())
        ctx.requireRegion(fields["region_code"].get<std::string>());
    std::string category = fields.contains("category") ? fields["category"].get<std::string>() : cur["category"].get<std::string>();
    if (fields.contains("field_values")) checkTemplateValues(ctx.store, category, fields["field_values"]);
    ChangeWriter w(ctx.store, tx, ctx.actor.name);
    FieldMap changed = w.update("finding", id, fields);
    tx.commit();
    return changed;
}

std::vector<std::string> findingSubmitProblems(AppContext& ctx, const FieldMap& f) {
    std::vector<std::string> out;
    if (f.value("title", std::string()).empty()) out.push_back("title: 标题必填");
    if (f.value("region_code", Json()).is_null() || f["region_code"].get<std::string>().empty())
        out.push_back("region_code: 请选择行政区划");
    if (f.value("area", Json()).is_null()) out.push_back("area: 请选择监察领域");
    FormTemplate t = currentTemplate(ctx.store, f["category"].get<std::string>());
    Json values = f.value("field_values", Json::object());
    if (values.is_null()) values = Json::object();
    for (const auto& issue : t.validateValues(values))
        out.push_back(issue.key + ": " + (i18n().english() ? issue.messageEn : issue.messageZh));
    return out;
}

std::string transitionFinding(AppContext& ctx, const std::string& id, const std::string& action, const std::string& comment) {
    Transaction tx(ctx.store.db());
    FieldMap cur = ctx.store.require("finding", id);
    if (cur["deleted"].get<bool>()) throw NotFoundError(trf("app.err_deleted", {tr("entity.finding"), id}));
    std::string from = cur["status"].get<std::string>();
    const Transition& t = checkTransition(Machine::Finding, from, action, ctx.actor.role, comment);
    if (action == "submit") {
        auto problems = findingSubmitProblems(ctx, cur);
        if (!problems.empty()) {
            loadStringTables();
            std::string msg = tr("findings.cannot_submit");
            for (const auto& p : problems) msg += "\n  " + p;
            throw ValidationError(msg);
        }
    }
    ChangeWriter w(ctx.store, tx, ctx.actor.name);
    w.update("finding", id, {{"status", t.to}});
    recordCaseEvent(w, "finding", id, action, from, t.to, comment);
    tx.commit();
    return t.to;
}

}  // namespace jc
