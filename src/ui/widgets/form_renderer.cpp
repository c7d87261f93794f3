#include "ui/widgets/form_renderer.h"

#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "core/dates.h"
#include "ui/shell/automation.h"
#include "ui/shell/i18n.h"
#include "ui/shell/shell.h"
#include "ui/shell/theme.h"
#include "ui/widgets/pickers.h"
#include "ui/widgets/widgets.h"

namespace jc::ui {

namespace {

bool filled(const Json& v) {
    return !(v.is_null() || (v.is_string() && v.get<std::string>().empty()) || (v.is_array() && v.empty()));
}

std::string initialText(const FormField& f, const Json& v) {
    if (v.is_null()) return {};
    switch (f.type) {
        case FormFieldType::Money:
            if (v.is_number_integer()) {
                int64_t fen = v.get<int64_t>();
                char buf[48];
                std::snprintf(buf, sizeof buf, "%lld.%02lld", static_cast<long long>(fen / 100),
                              static_cast<long long>(std::llabs(fen % 100)));
                return buf;
            }
            return {};
        case FormFieldType::Number:
            if (v.is_number_integer()) return std::to_string(v.get<int64_t>());
            if (v.is_number()) {
                char buf[48];
                std::snprintf(buf, sizeof buf, "%g", v.get<double>());
                return buf;
            }
            return {};
        case FormFieldType::Date: return v.is_string() ? v.get<std::string>() : std::string();
        default: return {};
    }
}

// Parses typed text into a value; "" -> null. Returns false (and a message key) when it is not one.
bool parseTyped(const FormField& f, const std::string& t, Json& out, const char*& errKey) {
    std::string s = t;
    while (!s.empty() && s.back() == ' ') s.pop_back();
    while (!s.empty() && s.front() == ' ') s.erase(0, 1);
    if (s.empty()) {
        out = nullptr;
        return true;
    }
    if (f.type == FormFieldType::Date) {
        if (!Date::tryParse(s)) {
            errKey = "form.bad_date";
            return false;
        }
        out = s;
        return true;
    }
    // Accept the separators and unit suffixes people type: "1,234.50", "1234元", "12 人".
    std::string clean;
    for (size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if ((c >= '0' && c <= '9') || c == '.' || (c == '-' && clean.empty())) clean += c;
        else if (c == ',' || c == ' ') continue;
        else if (static_cast<unsigned char>(c) >= 0x80) break;  // 元 人 个 … end the number
        else {
            errKey = "form.bad_number";
            return false;
        }
    }
    char* end = nullptr;
    double d = std::strtod(clean.c_str(), &end);
    if (clean.empty() || !end || *end != '\0' || !std::isfinite(d)) {
        errKey = "form.bad_number";
        return false;
    }
    if (f.type == FormFieldType::Money) {
        out = static_cast<int64_t>(std::llround(d * 100.0));
        return true;
    }
    if (f.integer) {
        if (d != std::floor(d)) {
            errKey = "form.bad_integer";
            return false;
        }
        out = static_cast<int64_t>(d);
        return true;
    }
    out = d;
    return true;
}

const char* optionLabel(const FormOption& o) { return i18n().english() && !o.en.empty() ? o.en.c_str() : o.zh.c_str(); }

}  // namespace

std::vector<std::string> invalidKeys(const FormTemplate& form, const Json& values) {
    std::vector<std::string> out;
    for (const auto& issue : form.validateValues(values.is_object() ? values : Json::object())) {
        if (issue.key.empty()) continue;
        if (form.field(issue.key) && !filled(values.value(issue.key, Json()))) continue;  // just missing
        out.push_back(issue.key);
    }
    return out;
}

bool drawForm(FormContext& ctx, const FormTemplate& form, Json& values, FormBuffers& buf) {
    if (!values.is_object()) values = Json::object();
    if (!buf.issuesValid) {
        buf.issues = form.validateValues(values);
        buf.issuesValid = true;
        for (const auto& i : buf.issues) ctx.shell.noteText(i.messageZh);
    }
    bool changed = false;
    float em = ImGui::GetFontSize();
    if (!ImGui::BeginTable("##form", 3, ImGuiTableFlags_SizingStretchProp)) return false;
    ImGui::TableSetupColumn("label", ImGuiTableColumnFlags_WidthFixed, em * 9);
    ImGui::TableSetupColumn("input", ImGuiTableColumnFlags_WidthStretch, 3.0f);
    ImGui::TableSetupColumn("issue", ImGuiTableColumnFlags_WidthStretch, 1.2f);
    for (const FormField& f : form.fields) {
        ImGui::PushID(f.key.c_str());
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::AlignTextToFramePadding();
        const char* label = i18n().english() && !f.labelEn.empty() ? f.labelEn.c_str() : f.labelZh.c_str();
        widgets::fieldLabel(label, f.required);
        const std::string& hint = i18n().english() && !f.hintEn.empty() ? f.hintEn : f.hintZh;
        if (!hint.empty()) widgets::helpMarker(hint.c_str());
        ImGui::TableNextColumn();
        ImGui::SetNextItemWidth(-1);
        Json& v = values[f.key];
        bool fieldChanged = false;
        std::string name = "form." + f.key;
        ImGui::BeginDisabled(ctx.readOnly);
        switch (f.type) {
            case FormFieldType::Text: {
                std::string s = v.is_string() ? v.get<std::string>() : std::string();
                if (ImGui::InputText("##v", &s)) {
                    v = s;
                    fieldChanged = true;
                }
                mark(name);
                break;
            }
            case FormFieldType::Multiline: {
                std::string s = v.is_string() ? v.get<std::string>() : std::string();
                if (widgets::inputMultiline("##v", s, 2, 8)) {
                    v = s;
                    fieldChanged = true;
                }
                mark(name);
                break;
            }
            case FormFieldType::Number:
            case FormFieldType::Money:
            case FormFieldType::Date: {
                auto it = buf.text.find(f.key);
                if (it == buf.text.end()) it = buf.text.emplace(f.key, initialText(f, v)).first;
                const char* hintKey = f.type == FormFieldType::Money ? "form.hint_money"
                                      : f.type == FormFieldType::Date ? "form.hint_date"
                                                                      : "form.hint_number";
                if (ImGui::InputTextWithHint("##v", tr(hintKey), &it->second)) {
                    Json parsed;
                    const char* err = nullptr;
                    if (parseTyped(f, it->second, parsed, err)) {
                        buf.parseError.erase(f.key);
                        if (parsed != v) {
                            v = parsed;
                            fieldChanged = true;
                        }
                    } else {
                        buf.parseError[f.key] = tr(err);
                    }
                }
                mark(name);
                break;
            }
            case FormFieldType::Choice: {
                std::string code = v.is_string() ? v.get<std::string>() : std::string();
                const FormOption* cur = f.option(code);
                if (ImGui::BeginCombo("##v", cur ? optionLabel(*cur) : tr("form.choose"))) {
                    if (ImGui::Selectable(tr("form.none"), code.empty())) {
                        v = nullptr;
                        fieldChanged = true;
                    }
                    for (const auto& o : f.options)
                        if (ImGui::Selectable(optionLabel(o), o.code == code)) {
                            v = o.code;
                            fieldChanged = true;
                        }
                    ImGui::EndCombo();
                }
                mark(name);
                break;
            }
            case FormFieldType::MultiChoice: {
                std::vector<std::string> chosen;
                if (v.is_array())
                    for (const auto& x : v)
                        if (x.is_string()) chosen.push_back(x.get<std::string>());
                int i = 0;
                for (const auto& o : f.options) {
                    bool on = std::find(chosen.begin(), chosen.end(), o.code) != chosen.end();
                    if (i++ % 3) ImGui::SameLine();
                    if (ImGui::Checkbox(optionLabel(o), &on)) {
                        Json arr = Json::array();
                        for (const auto& o2 : f.options) {
                            bool sel = o2.code == o.code ? on : std::find(chosen.begin(), chosen.end(), o2.code) != chosen.end();
                            if (sel) arr.push_back(o2.code);
                        }
                        v = arr;
                        fieldChanged = true;
                    }
                    mark(name + "." + o.code);
                }
                break;
            }
            case FormFieldType::YesNo: {
                int state = v.is_boolean() ? (v.get<bool>() ? 1 : 2) : 0;
                if (ImGui::RadioButton(tr("form.unset"), state == 0)) v = nullptr, fieldChanged = true;
                ImGui::SameLine();
                if (ImGui::RadioButton(tr("form.yes"), state == 1)) v = true, fieldChanged = true;
                mark(name + ".yes");
                ImGui::SameLine();
                if (ImGui::RadioButton(tr("form.no"), state == 2)) v = false, fieldChanged = true;
                mark(name + ".no");
                break;
            }
            case FormFieldType::Region: {
                std::string code = v.is_string() ? v.get<std::string>() : std::string();
                if (buf.regions[f.key].draw(ctx.shell, name.c_str(), code, ctx.regionRoot, em * 7)) {
                    v = code.empty() ? Json() : Json(code);
                    fieldChanged = true;
                }
                break;
            }
            case FormFieldType::Unit: {
                std::string id = v.is_string() ? v.get<std::string>() : std::string();
                if (unitPicker(ctx.shell, name.c_str(), id, {}, ImGui::GetContentRegionAvail().x)) {
                    v = id.empty() ? Json() : Json(id);
                    fieldChanged = true;
                }
                break;
            }
            case FormFieldType::Person: {
                std::string id = v.is_string() ? v.get<std::string>() : std::string();
                if (personPicker(ctx.shell, name.c_str(), id, {}, ImGui::GetContentRegionAvail().x)) {
                    v = id.empty() ? Json() : Json(id);
                    fieldChanged = true;
                }
                break;
            }
        }
        ImGui::EndDisabled();
        if (v.is_null()) values.erase(f.key);  // not filled in: keep the object small
        if (fieldChanged) {
            changed = true;
            buf.issuesValid = false;
            if (v.is_string()) ctx.shell.noteText(v.get<std::string>());
        }
        ImGui::TableNextColumn();
        ImGui::PushTextWrapPos(0.0f);
        if (auto pe = buf.parseError.find(f.key); pe != buf.parseError.end()) {
            ImGui::TextColored(theme::kRed, "%s", pe->second.c_str());
            mark(name + ".issue");
        } else {
            for (const auto& issue : buf.issues) {
                if (issue.key != f.key) continue;
                bool missing = !filled(values.value(f.key, Json()));
                const std::string& msg = i18n().english() ? issue.messageEn : issue.messageZh;
                ImGui::TextColored(missing ? theme::kMuted : theme::kRed, "%s", msg.c_str());
                mark(name + ".issue");
                break;
            }
        }
        ImGui::PopTextWrapPos();
        ImGui::PopID();
    }
    ImGui::EndTable();
    return changed;
}

}  // namespace jc::ui
