#include "ui/widgets/field_form.h"

#include <optional>
#include <span>

#include "core/domain.h"
#include "core/entities.h"
#include "core/error.h"
#include "core/workflow.h"

namespace jc::ui {

namespace {
bool isLongText(const std::string& f) {
    for (const char* k : {"narrative", "content", "reply", "outcome", "loophole", "recommendation", "accountability",
                          "required_action", "progress_note", "verification_note", "reason", "body"})
        if (f == k) return true;
    return false;
}

std::optional<std::span<const CodeLabel>> codeList(const std::string& entity, const std::string& field) {
    if (field == "area") return areas();
    if (field == "category") return categories();
    if (field == "severity") return severities();
    if (field == "channel") return complaintChannels();
    if (field == "level") return warningLevels();
    if (field == "misconduct_types") return misconductTypes();
    if (field == "kind" && entity == "unit") return unitKinds();
    if (field == "status" && (entity == "finding" || entity == "complaint" || entity == "rectification"))
        return statuses(machineFor(entity));
    return std::nullopt;
}

std::optional<FormFieldType> typeOf(const std::string& entity, const std::string& field) {
    const FieldDef* def = nullptr;
    try {
        def = entityDef(entity).field(field);
    } catch (const ValidationError&) {
        return std::nullopt;
    }
    if (!def) return std::nullopt;
    // Set by the workflow, the device or HQ, never typed: statuses move by workflow actions.
    for (const char* fixed : {"status", "local_number", "official_number", "template_version", "assignee"})
        if (field == fixed) return std::nullopt;
    if (field == "misconduct_types") return FormFieldType::MultiChoice;
    if (codeList(entity, field)) return FormFieldType::Choice;
    if (field == "region_code") return FormFieldType::Region;
    switch (def->kind) {
        case FieldKind::Text: return isLongText(field) ? FormFieldType::Multiline : FormFieldType::Text;
        case FieldKind::Int:
        case FieldKind::Real: return FormFieldType::Number;
        case FieldKind::Money: return FormFieldType::Money;
        case FieldKind::Date: return FormFieldType::Date;
        case FieldKind::Bool: return FormFieldType::YesNo;
        case FieldKind::Ref:
            if (field == "subject_unit_id" || field == "respondent_unit_id" || field == "responsible_unit_id" ||
                field == "unit_id")
                return FormFieldType::Unit;
            if (field == "respondent_person_id" || field == "person_id") return FormFieldType::Person;
            return std::nullopt;
        default: return std::nullopt;
    }
}
}  // namespace

bool fieldEditable(const std::string& entity, const std::string& field) { return typeOf(entity, field).has_value(); }

FormTemplate formForFields(const std::string& entity, const std::vector<FieldToEdit>& fields) {
    FormTemplate t;
    t.category = entity;
    for (const auto& f : fields) {
        auto type = typeOf(entity, f.field);
        if (!type) continue;
        FormField ff;
        ff.key = f.field;
        ff.labelZh = f.labelZh;
        ff.labelEn = f.labelEn;
        ff.type = *type;
        if (auto list = codeList(entity, f.field))
            for (const auto& c : *list) ff.options.push_back({c.code, c.zh, c.en});
        const FieldDef* def = entityDef(entity).field(f.field);
        ff.integer = def && def->kind == FieldKind::Int;
        t.fields.push_back(std::move(ff));
    }
    return t;
}

}  // namespace jc::ui
