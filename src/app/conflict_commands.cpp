#include "app/conflict_commands.h"

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <set>
#include <tuple>

#include "app/case_history.h"
#include "app/queries.h"
#include "app/templates.h"
#include "core/i18n.h"
#include "core/time_input.h"
#include "core/utf8.h"
#include "core/error.h"
#include "core/workflow.h"
#include "store/writer.h"

namespace jc {

namespace {

// [SECTION] Labels
// Field and entity names as the editor and the lists show them (the same words as the i18n
// tables' editor.*, complaints.*, rect.* keys), in both languages, so the CLI, which has no
// string table, and the conflicts view say the same thing.

struct FieldLabel {
    const char* entity;  // nullptr: any entity
    const char* field;
    const char* zh;
    const char* en;
};

const FieldLabel kFieldLabels[] = {
    {"finding", "campaign_id", "专项活动", "Campaign"},
    {"finding", "area", "监察领域", "Area"},
    {"finding", "category", "专项类别", "Category"},
    {"finding", "misconduct_types", "行为类型", "Misconduct"},
    {"finding", "title", "标题", "Title"},
    {"finding", "narrative", "案件事实", "Facts of the case"},
    {"finding", "region_code", "行政区划", "Region"},
    {"finding", "address", "详细地址", "Address"},
    {"finding", "gps_lat", "GPS 纬度", "Latitude"},
    {"finding", "gps_lon", "GPS 经度", "Longitude"},
    {"finding", "subject_unit_id", "被监察单位", "Supervised unit"},
    {"finding", "responsible_persons", "责任人", "Responsible persons"},
    {"finding", "field_values", "案件要素", "Case facts"},
    {"finding", "severity", "严重程度", "Severity"},
    {"finding", "status", "状态", "Status"},
    {"finding", "assignee", "承办人", "Assignee"},
    {"finding", "loophole", "发现的制度漏洞", "Systemic loophole found"},
    {"finding", "recommendation", "监察建议", "Supervision recommendation"},
    {"finding", "accountability", "责任追究", "Accountability"},
    {"finding", "local_number", "本机编号", "Local number"},
    {"finding", "official_number", "正式编号", "Official number"},
    {"finding", "template_version", "要素模板版本", "Form version"},
    {"complaint", "title", "投诉事项", "Subject"},
    {"complaint", "content", "投诉内容", "Content"},
    {"complaint", "channel", "投诉渠道", "Channel"},
    {"complaint", "respondent_unit_id", "被投诉单位", "Respondent unit"},
    {"complaint", "respondent_person_id", "被投诉人", "Respondent person"},
    {"complaint", "deadline", "办结期限", "Deadline"},
    {"complaint", "assignee", "承办人", "Handler"},
    {"complaint", "reply", "答复内容", "Reply"},
    {"complaint", "outcome", "办理结果", "Outcome"},
    {"complaint", "satisfaction", "投诉人满意度", "Satisfaction"},
    {"rectification", "required_action", "整改要求", "Required action"},
    {"rectification", "responsible_unit_id", "责任单位", "Responsible unit"},
    {"rectification", "deadline", "整改期限", "Deadline"},
    {"rectification", "progress_note", "整改进展", "Progress note"},
    {"rectification", "verification_note", "核查意见", "Verification note"},
    {"warning", "reason", "告诫事由", "Reason"},
    {"warning", "level", "告诫级别", "Level"},
    {"evidence", "caption", "说明", "Caption"},
    {"comment", "body", "意见", "Comment"},
    {nullptr, "name", "名称", "Name"},
    {nullptr, "post", "岗位", "Post"},
    {nullptr, "kind", "类型", "Kind"},
    {nullptr, "status", "状态", "Status"},
    {nullptr, "deleted", "删除", "Deleted"},
    {nullptr, "region_code", "行政区划", "Region"},
    {nullptr, "category", "专项类别", "Category"},
};

const CodeLabel kEntityLabels[] = {
    {"finding", "检查发现", "Finding"},      {"complaint", "投诉", "Complaint"},
    {"rectification", "整改", "Rectification"}, {"warning", "效能告诫", "Warning"},
    {"evidence", "证据", "Evidence"},        {"comment", "意见", "Comment"},
    {"unit", "被监察单位", "Unit"},          {"person", "责任人", "Person"},
    {"case_event", "办理记录", "Case event"}, {"conflict", "冲突", "Conflict"},
};

// Fields where a lead may write a text of their own (merging both versions); code lists, ids,
// numbers and workflow fields only ever keep one of the two versions, which were valid edits.
bool isFreeTextField(const std::string& f) {
    for (const char* k : {"title", "narrative", "address", "loophole", "recommendation", "accountability", "content",
                          "reply", "outcome", "required_action", "progress_note", "verification_note", "reason", "body",
                          "caption", "name", "post"})
        if (f == k) return true;
    return false;
}

std::pair<std::string, std::string> fieldLabel(const std::string& entity, const std::string& field) {
    for (const auto& l : kFieldLabels)
        if (l.entity && entity == l.entity && field == l.field) return {l.zh, l.en};
    for (const auto& l : kFieldLabels)
        if (!l.entity && field == l.field) return {l.zh, l.en};
    return {field, field};
}

std::pair<std::string, std::string> entityLabels(const std::string& entity) {
    for (const auto& l : kEntityLabels)
        if (entity == l.code) return {l.zh, l.en};
    return {entity, entity};
}

const char* labelIn(std::span<const CodeLabel> list, const std::string& code, bool english) {
    for (const auto& c : list)
        if (code == c.code) return english ? c.en : c.zh;
    return nullptr;
}

std::string str(const FieldMap& f, const char* key) {
    auto it = f.find(key);
    return it != f.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string nameOf(Store& store, const char* table, const std::string& id) {
    auto& s = store.db().cached(std::string("SELECT name FROM ") + table + " WHERE id = ?");
    s.bind(1, id);
    std::string name = s.step() && !s.isNull(0) ? s.getText(0) : std::string();
    s.reset();
    return name.empty() ? id : name;
}

std::string shortText(const std::string& s, size_t maxBytes = 90) {
    if (s.size() <= maxBytes) return s;
    size_t cut = maxBytes;
    while (cut > 0 && isUtf8Continuation(s[cut])) --cut;  // keep UTF-8 whole
    return s.substr(0, cut) + "…";
}

// The record as a person names it: a finding by its number and title, a complaint by its subject …
std::string recordLabel(const std::string& entity, const FieldMap& r) {
    if (entity == "finding") {
        std::string number = str(r, "official_number").empty() ? str(r, "local_number") : str(r, "official_number");
        return number.empty() ? str(r, "title") : number + " " + str(r, "title");
    }
    for (const char* key : {"title", "name", "required_action", "reason", "caption", "body"})
        if (!str(r, key).empty()) return shortText(str(r, key));
    return str(r, "id").substr(0, 8);
}

std::string plain(const Json& v, bool english) {
    if (v.is_null()) return english ? "(empty)" : "（空）";
    if (v.is_string()) return v.get<std::string>().empty() ? (english ? "(empty)" : "（空）") : v.get<std::string>();
    if (v.is_boolean()) return v.get<bool>() ? (english ? "yes" : "是") : (english ? "no" : "否");
    return v.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string templateValueText(Store& store, const FormField& f, const Json& v, bool english) {
    if (v.is_null() || (v.is_string() && v.get<std::string>().empty()) || (v.is_array() && v.empty()))
        return english ? "(empty)" : "（空）";
    switch (f.type) {
        case FormFieldType::Money:
            if (v.is_number_integer()) return formatYuan(v.get<int64_t>());  // the label names the unit (元)
            break;
        case FormFieldType::Choice:
            if (const FormOption* o = v.is_string() ? f.option(v.get<std::string>()) : nullptr) return english ? o->en : o->zh;
            break;
        case FormFieldType::MultiChoice:
            if (v.is_array()) {
                std::string out;
                for (const auto& c : v) {
                    const FormOption* o = c.is_string() ? f.option(c.get<std::string>()) : nullptr;
                    out += (out.empty() ? "" : english ? ", " : "、") + (o ? (english ? o->en : o->zh) : plain(c, english));
                }
                return out;
            }
            break;
        case FormFieldType::Unit:
            if (v.is_string()) return nameOf(store, "unit", v.get<std::string>());
            break;
        case FormFieldType::Person:
            if (v.is_string()) return nameOf(store, "person", v.get<std::string>());
            break;
        default: break;
    }
    return plain(v, english);
}

// field_values: only the keys on which the two versions differ, each as "label: value".
std::string fieldValuesText(Store& store, const ConflictRow& row, const Json& value, bool english) {
    if (!value.is_object()) return plain(value, english);
    std::optional<FormTemplate> form;
    if (row.entity == "finding") {
        auto rec = store.get("finding", row.entityId);
        if (rec && !str(*rec, "category").empty()) try {
                form = currentTemplate(store, str(*rec, "category"));
            } catch (const NotFoundError&) {
            }
    }
    std::set<std::string> keys;
    auto collect = [&](const Json& o) {
        if (o.is_object())
            for (auto it = o.begin(); it != o.end(); ++it) keys.insert(it.key());
    };
    collect(row.winnerValue);
    collect(row.loserValue);
    auto at = [](const Json& o, const std::string& k) { return o.is_object() && o.contains(k) ? o[k] : Json(); };
    std::string out;
    for (const auto& k : keys) {
        if (at(row.winnerValue, k) == at(row.loserValue, k)) continue;
        const FormField* f = form ? form->field(k) : nullptr;
        std::string label = f ? (english && !f->labelEn.empty() ? f->labelEn : f->labelZh) : k;
        std::string text = f ? templateValueText(store, *f, at(value, k), english) : plain(at(value, k), english);
        out += (out.empty() ? "" : "\n") + label + (english ? ": " : "：") + text;
    }
    return out.empty() ? plain(value, english) : out;
}

// [SECTION] Reading

ConflictRow rowFrom(Store& store, const FieldMap& c) {
    ConflictRow r;
    r.id = str(c, "id");
    r.entity = str(c, "entity");
    r.entityId = str(c, "entity_id");
    r.field = str(c, "field");
    std::tie(r.entityZh, r.entityEn) = entityLabels(r.entity);
    std::tie(r.fieldZh, r.fieldEn) = fieldLabel(r.entity, r.field);
    auto unwrap = [&](const char* key) {
        auto it = c.find(key);
        return it != c.end() && it->is_object() && it->contains("value") ? (*it)["value"] : Json();
    };
    r.winnerValue = unwrap("winner_value");
    r.loserValue = unwrap("loser_value");
    r.resolvedValue = unwrap("resolved_value");
    r.winnerAuthor = str(c, "winner_author");
    r.loserAuthor = str(c, "loser_author");
    r.winnerAt = str(c, "winner_at");
    r.loserAt = str(c, "loser_at");
    r.createdAt = str(c, "created_at");
    r.resolution = str(c, "resolution");
    r.resolvedBy = str(c, "resolved_by");
    r.resolvedAt = str(c, "resolved_at");
    std::optional<FieldMap> rec;
    try {
        const EntityDef& def = entityDef(r.entity);
        if (def.field(r.field) || r.field == "deleted") rec = store.get(r.entity, r.entityId);
    } catch (const ValidationError&) {
        // A conflict about an entity this client version does not know: shown, not resolvable.
    }
    if (rec) {
        r.recordLabel = recordLabel(r.entity, *rec);
        r.recordExists = !(*rec)["deleted"].get<bool>();
        r.currentValue = rec->value(r.field, Json());
        r.current = r.currentValue == r.winnerValue ? "winner" : r.currentValue == r.loserValue ? "loser" : "other";
    } else {
        r.current = "other";
    }
    return r;
}

}  // namespace

std::vector<ConflictRow> listConflicts(AppContext& ctx, bool openOnly) {
    std::string sql = "SELECT * FROM conflict WHERE deleted = 0";
    if (openOnly) sql += " AND (resolution IS NULL OR resolution = '')";
    sql += " ORDER BY (resolution IS NOT NULL AND resolution <> ''), created_at DESC, id DESC";
    auto s = ctx.store.db().prepare(sql);
    std::vector<ConflictRow> out;
    const EntityDef& def = entityDef("conflict");
    while (s.step()) out.push_back(rowFrom(ctx.store, rowToFields(def, s)));
    return out;
}

ConflictRow getConflict(AppContext& ctx, const std::string& id) {
    auto c = ctx.store.get("conflict", id);
    if (!c || (*c)["deleted"].get<bool>()) throw NotFoundError(trf("app.err_not_found", {tr("entity.conflict"), id}));
    return rowFrom(ctx.store, *c);
}

std::pair<std::string, std::string> fieldLabelOf(const std::string& entity, const std::string& field) {
    return fieldLabel(entity, field);
}
std::pair<std::string, std::string> entityLabelOf(const std::string& entity) { return entityLabels(entity); }
std::string recordLabelOf(const std::string& entity, const FieldMap& record) { return recordLabel(entity, record); }

std::string fieldValueText(Store& store, const std::string& entity, const std::string& entityId, const std::string& field,
                           const Json& value, const Json& other, bool english) {
    ConflictRow row;
    row.entity = entity;
    row.entityId = entityId;
    row.field = field;
    row.winnerValue = value;
    row.loserValue = other;
    return conflictValueText(store, row, value, english);
}

std::string conflictValueText(Store& store, const ConflictRow& row, const Json& v, bool english) {
    const std::string& f = row.field;
    if (v.is_null()) return plain(v, english);
    if (f == "field_values") return fieldValuesText(store, row, v, english);
    if (v.is_string()) {
        const std::string code = v.get<std::string>();
        const char* label = nullptr;
        if (f == "area") label = labelIn(areas(), code, english);
        else if (f == "category") label = labelIn(categories(), code, english);
        else if (f == "severity") label = labelIn(severities(), code, english);
        else if (f == "channel") label = labelIn(complaintChannels(), code, english);
        else if (f == "level") label = labelIn(warningLevels(), code, english);
        else if (f == "kind" && row.entity == "unit") label = labelIn(unitKinds(), code, english);
        else if (f == "status" && (row.entity == "finding" || row.entity == "complaint" || row.entity == "rectification"))
            label = labelIn(statuses(machineFor(row.entity)), code, english);
        if (label) return label;
        if (f == "region_code") {
            std::string name = regionName(store.db(), code);
            return name.empty() ? code : name;
        }
        if (f == "subject_unit_id" || f == "respondent_unit_id" || f == "responsible_unit_id" || f == "unit_id")
            return nameOf(store, "unit", code);
        if (f == "respondent_person_id") return nameOf(store, "person", code);
        if (f == "campaign_id") {
            auto& s = store.db().cached("SELECT title FROM campaign WHERE id = ?");
            s.bind(1, code);
            std::string title = s.step() && !s.isNull(0) ? s.getText(0) : code;
            s.reset();
            return title;
        }
        return plain(v, english);
    }
    if (v.is_array() && f == "misconduct_types") {
        std::string out;
        for (const auto& m : v) {
            const char* l = m.is_string() ? labelIn(misconductTypes(), m.get<std::string>(), english) : nullptr;
            out += (out.empty() ? "" : english ? ", " : "、") + (l ? std::string(l) : plain(m, english));
        }
        return out;
    }
    if (v.is_array() && f == "responsible_persons") {
        std::string out;
        for (const auto& p : v) {
            std::string name = p.is_object() && p.contains("person_id") && p["person_id"].is_string()
                                   ? nameOf(store, "person", p["person_id"].get<std::string>())
                                   : plain(p, english);
            out += (out.empty() ? "" : english ? ", " : "、") + name;
        }
        return out;
    }
    return plain(v, english);
}

// [SECTION] Resolving

bool conflictTakesOwnValue(const std::string& entity, const std::string& field) {
    if (isFreeTextField(field)) return true;
    if (field == "status" || field == "official_number" || field == "local_number" || field == "deleted") return false;
    const FieldDef* f = nullptr;
    try {
        f = entityDef(entity).field(field);
    } catch (const ValidationError&) {
        return false;
    }
    if (!f) return false;
    switch (f->kind) {
        case FieldKind::Money:
        case FieldKind::Date:
        case FieldKind::Int:
        case FieldKind::Real:
        case FieldKind::Bool: return true;
        case FieldKind::Text:
            return field == "area" || field == "category" || field == "severity" || field == "channel" || field == "level" ||
                   field == "region_code";
        default: return false;
    }
}

ConflictResolution resolveConflict(AppContext& ctx, const std::string& conflictId, const std::string& choice,
                                   const Json& customValue) {
    ctx.requireRole(kLead | kHq, tr("context.do.resolve_conflicts"));
    if (choice != "winner" && choice != "loser" && choice != "custom")
        throw ValidationError(trf("conflict.err_choice", {choice}));
    if (choice == "custom" && (customValue.is_null() || (customValue.is_string() && customValue.get<std::string>().empty())))
        throw ValidationError(tr("conflict.err_empty"));

    Transaction tx(ctx.store.db());
    ConflictRow c = getConflict(ctx, conflictId);
    if (!c.open())
        throw ValidationError(trf("conflict.err_resolved", {conflictId, c.resolvedBy, displayTime(c.resolvedAt), c.resolution}));
    const EntityDef& def = entityDef(c.entity);
    if (!def.field(c.field) && c.field != "deleted")
        throw ValidationError(trf("conflict.err_unknown_field", {conflictId, c.entity, c.field}));

    if (choice == "custom" && !conflictTakesOwnValue(c.entity, c.field))
        throw ValidationError(trf("conflict.err_no_custom", {i18n().english() ? c.field : c.fieldZh}));
    if (choice == "custom" && customValue.is_string()) {
        // Choices must be one of their codes (the writer checks only the kind of the value).
        std::optional<std::span<const CodeLabel>> list;
        if (c.field == "area") list = areas();
        else if (c.field == "category") list = categories();
        else if (c.field == "severity") list = severities();
        else if (c.field == "channel") list = complaintChannels();
        else if (c.field == "level") list = warningLevels();
        if (list && !hasCode(*list, customValue.get<std::string>()))
            throw ValidationError(trf("conflict.err_code", {customValue.get<std::string>(), c.field}));
    }

    ConflictResolution out;
    out.resolution = choice == "winner" ? "kept_winner" : choice == "loser" ? "kept_loser" : "custom";
    out.value = choice == "winner" ? c.winnerValue : choice == "loser" ? c.loserValue : customValue;

    ChangeWriter w(ctx.store, tx, ctx.actor.name);
    auto rec = ctx.store.get(c.entity, c.entityId);
    if (!rec)
        throw NotFoundError(trf("conflict.err_not_here", {i18n().english() ? c.entityEn : c.entityZh, c.entityId}));
    // A deleted record keeps its last value: the decision is recorded, nothing is revived.
    if (!(*rec)["deleted"].get<bool>() && rec->value(c.field, Json()) != out.value) {
        if (c.field == "official_number")
            throw ValidationError(tr("conflict.err_official_number"));
        const Transition* step = nullptr;  // a status kept this way is a workflow step
        std::string from, to;
        if (c.field == "status") {
            from = str(*rec, "status");
            to = out.value.is_string() ? out.value.get<std::string>() : "";
            step = findTransitionTo(machineFor(c.entity), from, to);
            if (!step || !(step->roles & roleBit(ctx.actor.role)))
                throw ValidationError(trf("conflict.err_status_back", {i18n().english() ? c.entityEn : c.entityZh, codeLabel(statuses(machineFor(c.entity)), from),
                                                       codeLabel(statuses(machineFor(c.entity)), to)}));
        }
        w.update(c.entity, c.entityId, {{c.field, out.value}});  // validates the value like any edit
        // Like every status change, it goes into the case history (and the server asks for the
        // comment of a return or dismissal there).
        if (step)
            recordCaseEvent(w, c.entity, c.entityId, step->action, from, to,
                            "冲突处理：保留" + (out.resolution == "kept_loser" ? c.loserAuthor : c.winnerAuthor) + "的版本");
        out.recordChanged = true;
    }
    w.update("conflict", conflictId,
             {{"resolution", out.resolution},
              {"resolved_value", {{"value", out.value}}},
              {"resolved_by", ctx.actor.name},
              {"resolved_at", ChangeWriter::now()}});
    tx.commit();
    return out;
}

std::vector<std::string> conflictIdsMatching(Store& store, const std::string& idOrTail) {
    auto s = store.db().prepare("SELECT id FROM conflict WHERE (id = ?1 OR substr(id, -length(?1)) = ?1) AND deleted = 0 LIMIT 2");
    s.bind(1, idOrTail);
    std::vector<std::string> ids;
    while (s.step()) ids.push_back(s.getText(0));
    return ids;
}

}  // namespace jc
