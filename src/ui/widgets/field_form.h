#pragma once
// A form for some fields of a synced record, each with the editor of its kind (money in yuan,
// dates, code lists as choices, regions as the cascade picker, units and persons as pickers,
// long texts multi-line) — drawn by the form renderer like a category's template. Used where a
// user types a value of one or a few fields outside the editor: a refused change corrected and
// resent, a lead's own value for a conflict.
#include <string>
#include <utility>
#include <vector>

#include "core/form_template.h"

namespace jc::ui {

struct FieldToEdit {
    std::string field, labelZh, labelEn;
};

// Whether `entity.field` has an editor here (ids of other kinds and JSON structures do not).
bool fieldEditable(const std::string& entity, const std::string& field);
// A one-off template with one form field per editable field, keyed by the field's name.
FormTemplate formForFields(const std::string& entity, const std::vector<FieldToEdit>& fields);

}  // namespace jc::ui
