#pragma once
// Renders a category's form template (core/form_template.h) as a form: one row per field —
// label, input, and the validation message beside it (required fields that are still empty in
// grey, invalid values in red). Values live in a JSON object exactly as the store keeps them
// (money in integer fen, dates as YYYY-MM-DD, choices as option codes); numbers, money and
// dates are edited as text and only parsed values reach the object, so an autosave never sends
// a value the store would refuse.
#include <map>
#include <string>
#include <vector>

#include "core/entities.h"
#include "core/form_template.h"
#include "ui/widgets/region_picker.h"

namespace jc::ui {

class Shell;

struct FormBuffers {
    std::map<std::string, std::string> text;        // number / money / date fields as typed
    std::map<std::string, std::string> parseError;  // key -> message (typed text is not a value)
    std::map<std::string, RegionPicker> regions;
    std::vector<FieldIssue> issues;                 // of the current values
    bool issuesValid = false;
    void reset() { *this = FormBuffers{}; }
};

struct FormContext {
    Shell& shell;
    bool readOnly = false;
    std::string regionRoot;  // campaign region scope for region fields
};

// Returns true when a value changed.
bool drawForm(FormContext& ctx, const FormTemplate& form, Json& values, FormBuffers& buf);
// Keys whose current value is invalid (they are left out of autosaves until fixed).
std::vector<std::string> invalidKeys(const FormTemplate& form, const Json& values);

}  // namespace jc::ui
