#include "core/entities.h"

#include "core/i18n.h"
#include "core/dates.h"
#include "core/error.h"
#include "core/uuid.h"

namespace jc {

namespace {
using K = FieldKind;

std::vector<EntityDef> buildRegistry() {
    return {
        {"unit", {{"name", K::Text, true, 200}, {"kind", K::Text, true, 40}, {"region_code", K::Text, false, 12}}},
        {"person", {{"name", K::Text, true, 100}, {"unit_id", K::Ref}, {"post", K::Text, false, 200}}},
        {"team", {{"name", K::Text, true, 200}, {"region_scope", K::Json}}},
        {"user",
         {{"name", K::Text, true, 100}, {"role", K::Text, true, 20}, {"team_id", K::Ref}, {"region_scope", K::Json},
          {"display_name", K::Text, false, 100}}},
        {"campaign",
         {{"title", K::Text, true, 300}, {"areas", K::Json}, {"categories", K::Json}, {"period_start", K::Date},
          {"period_end", K::Date}, {"region_scope", K::Json}, {"team_ids", K::Json}, {"status", K::Text, true, 20},
          {"templates", K::Json}, {"complaint_deadline_days", K::Int}, {"number_prefix", K::Text, false, 20}}},
        {"form_template",
         {{"category", K::Text, true, 40}, {"version", K::Int, true}, {"title", K::Text, true, 300},
          {"fields", K::Json, true}}},
        {"finding",
         {{"campaign_id", K::Ref, true}, {"area", K::Text, false, 40}, {"category", K::Text, true, 40},
          {"misconduct_types", K::Json}, {"title", K::Text, true, 500}, {"narrative", K::Text, false, kLongTextLimit},
          {"region_code", K::Text, false, 12}, {"address", K::Text, false, 500}, {"gps_lat", K::Real},
          {"gps_lon", K::Real}, {"subject_unit_id", K::Ref}, {"responsible_persons", K::Json},
          {"field_values", K::Json}, {"template_version", K::Int}, {"severity", K::Text, false, 20},
          {"status", K::Text, true, 30}, {"assignee", K::Text, false, 100}, {"local_number", K::Text, false, 40},
          {"official_number", K::Text, false, 60}, {"loophole", K::Text, false, kLongTextLimit},
          {"recommendation", K::Text, false, kLongTextLimit}, {"accountability", K::Text, false, kLongTextLimit},
          {"device_time", K::Timestamp}, {"time_suspect", K::Bool}}},
        {"evidence",
         {{"owner_entity", K::Text, true, 40}, {"owner_id", K::Ref, true}, {"sha256", K::Text, true, 64},
          {"kind", K::Text, true, 20}, {"size", K::Int, true}, {"caption", K::Text, false, 1000},
          {"captured_at", K::Timestamp}, {"file_name", K::Text, false, 255}, {"mime", K::Text, false, 100}}},
        {"complaint",
         {{"campaign_id", K::Ref}, {"title", K::Text, true, 500}, {"channel", K::Text, true, 20},
          {"received_at", K::Timestamp, true}, {"first_contact_handler", K::Text, true, 100}, {"anonymous", K::Bool},
          {"complainant_sealed", K::Text, false, 20000}, {"respondent_unit_id", K::Ref},
          {"respondent_person_id", K::Ref}, {"content", K::Text, true, kLongTextLimit}, {"category", K::Text, false, 40},
          {"region_code", K::Text, false, 12}, {"deadline", K::Date}, {"assignee", K::Text, false, 100},
          {"status", K::Text, true, 30}, {"reply", K::Text, false, kLongTextLimit}, {"reply_at", K::Timestamp},
          {"outcome", K::Text, false, kLongTextLimit}, {"satisfaction", K::Text, false, 20},
          {"device_time", K::Timestamp}, {"time_suspect", K::Bool}}},
        {"rectification",
         {{"finding_id", K::Ref, true}, {"required_action", K::Text, true, kLongTextLimit},
          {"responsible_unit_id", K::Ref}, {"deadline", K::Date, true}, {"status", K::Text, true, 30},
          {"progress_note", K::Text, false, kLongTextLimit}, {"reported_at", K::Timestamp},
          {"verification_note", K::Text, false, kLongTextLimit}, {"verified_by", K::Text, false, 100},
          {"verified_at", K::Timestamp},
          {"device_time", K::Timestamp}, {"time_suspect", K::Bool}}},
        {"warning",
         {{"target_person_id", K::Ref}, {"target_unit_id", K::Ref}, {"reason", K::Text, true, kLongTextLimit},
          {"linked_entity", K::Text, false, 40}, {"linked_id", K::Ref}, {"level", K::Text, true, 20},
          {"issued_by", K::Text, true, 100}, {"issued_at", K::Timestamp, true}, {"acknowledged_at", K::Timestamp},
          {"device_time", K::Timestamp}, {"time_suspect", K::Bool}}},
        // An evaluation (行政效能评估, core/evaluation.h): HQ's draft holds the scheme, manual scores and
        // the last run; publishing copies it into a new record with status "published" and the next
        // version number for its campaign and period (an earlier one becomes "superseded", kept).
        {"evaluation",
         {{"title", K::Text, true, 300}, {"period", K::Text, true, 40}, {"indicators", K::Json}, {"scores", K::Json},
          {"campaign_id", K::Ref}, {"status", K::Text, false, 20}, {"version", K::Int}, {"grades", K::Json},
          {"units", K::Json}, {"manual", K::Json}, {"run_at", K::Timestamp}, {"published_at", K::Timestamp},
          {"published_by", K::Text, false, 100}, {"source_id", K::Ref}}},
        // Focus monitoring (重点监控, core/monitoring.h): one record per rule kind with HQ's thresholds,
        // and the units or categories HQ put under focus, lifted later with a note.
        {"monitor_rule", {{"kind", K::Text, true, 40}, {"params", K::Json}, {"enabled", K::Bool}}},
        {"focus",
         {{"subject_kind", K::Text, true, 20}, {"unit_id", K::Ref}, {"category", K::Text, false, 40},
          {"reason", K::Text, true, kLongTextLimit}, {"flag", K::Json}, {"status", K::Text, true, 20},
          {"placed_by", K::Text, false, 100}, {"placed_at", K::Timestamp}, {"lifted_by", K::Text, false, 100},
          {"lifted_at", K::Timestamp}, {"lift_note", K::Text, false, kLongTextLimit}}},
        {"comment",
         {{"entity", K::Text, true, 40}, {"entity_id", K::Ref, true}, {"body", K::Text, true, kLongTextLimit},
          {"author", K::Text, true, 100}}},
        {"case_event",
         {{"entity", K::Text, true, 40}, {"entity_id", K::Ref, true}, {"action", K::Text, true, 40},
          {"from_status", K::Text, false, 30}, {"to_status", K::Text, false, 30},
          {"comment", K::Text, false, kLongTextLimit}, {"actor", K::Text, true, 100}, {"at", K::Timestamp, true},
          {"detail", K::Json},
          {"device_time", K::Timestamp}, {"time_suspect", K::Bool}}},
        {"conflict",
         {{"entity", K::Text, true, 40}, {"entity_id", K::Ref, true}, {"field", K::Text, true, 60},
          {"winner_value", K::Json}, {"loser_value", K::Json}, {"winner_author", K::Text, false, 100},
          {"loser_author", K::Text, false, 100}, {"winner_at", K::Text, false, 60}, {"loser_at", K::Text, false, 60},
          {"resolution", K::Text, false, 20}, {"resolved_value", K::Json}, {"resolved_by", K::Text, false, 100},
          {"resolved_at", K::Timestamp}}},
        // 电子监察: one record of the approval system (行政审批), imported by HQ. case_number
        // (办件编号) identifies it across imports; deadline is computed from received_at (China
        // time) and promised_workdays with the working-day calendar.
        {"approval",
         {{"case_number", K::Text, true, 100}, {"item_name", K::Text, true, 500}, {"unit_name", K::Text, true, 200},
          {"unit_id", K::Ref}, {"applicant", K::Text, false, 200}, {"received_at", K::Timestamp, true},
          {"promised_workdays", K::Int, true}, {"deadline", K::Date}, {"finished_at", K::Timestamp},
          {"status", K::Text, false, 100}, {"region_code", K::Text, false, 12}, {"source", K::Text, false, 255}}},
        // A year's published holiday arrangement (放假安排), written by HQ; it replaces the
        // bundled or rule-based days of that year on every device.
        {"calendar_year",
         {{"year", K::Int, true}, {"holidays", K::Json, true}, {"makeup_workdays", K::Json},
          {"note", K::Text, false, 1000}, {"published_by", K::Text, false, 100}}},
    };
}

const char* kindName(FieldKind k) {
    switch (k) {
        case K::Text: return tr("entities.kind_text");
        case K::Int: return tr("entities.kind_integer");
        case K::Money: return tr("entities.kind_money");
        case K::Real: return tr("entities.kind_number");
        case K::Date: return tr("entities.kind_date");
        case K::Timestamp: return tr("entities.kind_timestamp");
        case K::Bool: return tr("entities.kind_bool");
        case K::Json: return tr("entities.kind_json");
        case K::Ref: return tr("entities.kind_ref");
    }
    return "?";
}
}  // namespace

const FieldDef* EntityDef::field(std::string_view n) const {
    for (const auto& f : fields)
        if (n == f.name) return &f;
    return nullptr;
}

const std::vector<EntityDef>& allEntities() {
    static const std::vector<EntityDef> registry = buildRegistry();
    return registry;
}

const EntityDef& entityDef(std::string_view name) {
    for (const auto& e : allEntities())
        if (name == e.name) return e;
    throw ValidationError(trf("entities.err_unknown_entity", {name}));
}

bool isCommonField(std::string_view n) {
    return n == "id" || n == "created_at" || n == "updated_at" || n == "created_by" || n == "deleted";
}

void validateFields(const EntityDef& def, const FieldMap& fields, bool creating) {
    if (!fields.is_object()) throw ValidationError(trf("entities.err_fields_object", {def.name}));
    for (auto it = fields.begin(); it != fields.end(); ++it) {
        const std::string& name = it.key();
        if (name == "deleted") {
            if (!it->is_boolean()) throw ValidationError(trf("entities.err_deleted_bool", {def.name}));
            continue;
        }
        const FieldDef* f = def.field(name);
        if (!f) throw ValidationError(trf("entities.err_unknown_field", {def.name, name}));
        const Json& v = *it;
        std::string where = std::string(def.name) + "." + name;
        if (v.is_null()) {
            if (f->required) throw ValidationError(trf("entities.err_cannot_clear", {where}));
            continue;
        }
        bool ok = true;
        switch (f->kind) {
            case K::Text: ok = v.is_string(); break;
            case K::Int:
            case K::Money: ok = v.is_number_integer(); break;
            case K::Real: ok = v.is_number(); break;
            case K::Date: ok = v.is_string() && Date::tryParse(v.get<std::string>()).has_value(); break;
            case K::Timestamp: ok = v.is_string() && isIsoTimestamp(v.get<std::string>()); break;
            case K::Bool: ok = v.is_boolean(); break;
            case K::Json: ok = v.is_array() || v.is_object(); break;
            case K::Ref: ok = v.is_string() && (v.get<std::string>().empty() || isUuid(v.get<std::string>())); break;
        }
        if (!ok) throw ValidationError(trf("entities.err_kind", {where, kindName(f->kind), v.dump()}));
        if (v.is_string()) {
            size_t limit = static_cast<size_t>(f->maxLength ? f->maxLength : kDefaultTextLimit);
            if (v.get_ref<const std::string&>().size() > limit)
                throw ValidationError(trf("entities.err_too_long", {where, std::to_string(limit)}));
            if (f->required && v.get_ref<const std::string&>().empty())
                throw ValidationError(trf("entities.err_required", {where}));
        }
        if (f->kind == K::Json && v.dump().size() > static_cast<size_t>(kJsonLimit))
            throw ValidationError(trf("entities.err_too_large", {where, std::to_string(kJsonLimit)}));
    }
    if (creating) {
        for (const auto& f : def.fields) {
            if (!f.required) continue;
            auto it = fields.find(f.name);
            if (it == fields.end() || it->is_null())
                throw ValidationError(trf("entities.err_required", {std::string(def.name) + "." + f.name}));
        }
    }
}

Json encodeValue(const FieldDef& f, const Json& v) {
    if (v.is_null()) return nullptr;
    if (f.kind == K::Json) return v.dump();
    if (f.kind == K::Bool) return v.get<bool>() ? 1 : 0;
    return v;
}

Json decodeValue(const FieldDef& f, const Json& s) {
    if (s.is_null()) return nullptr;
    if (f.kind == K::Json) return s.is_string() ? Json::parse(s.get<std::string>(), nullptr, false) : s;
    if (f.kind == K::Bool) return s.is_boolean() ? s.get<bool>() : s.get<int64_t>() != 0;
    return s;
}

}  // namespace jc
