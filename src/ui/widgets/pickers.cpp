#include "ui/widgets/pickers.h"

#include <imgui.h>
#include <imgui_stdlib.h>

#include <functional>
#include <map>

#include "app/org_commands.h"
#include "ui/shell/automation.h"
#include "ui/shell/i18n.h"
#include "ui/shell/shell.h"
#include "ui/shell/theme.h"
#include "ui/widgets/widgets.h"

namespace jc::ui {

namespace {

struct PickerState {
    std::string filter, newName, newKind = "department", newPost;
    std::string pendingId;  // created and saved: select it on the next frame
    bool creating = false;
};

PickerState& state(ImGuiID id) {
    static std::map<ImGuiID, PickerState> states;
    return states[id];
}

bool matches(const std::string& text, const std::string& filter) {
    return filter.empty() || text.find(filter) != std::string::npos;
}

// Saves a new unit or person on the write lane. When it is saved, the picker selects it on the
// next frame (once the session snapshot holds it) and its inputs are cleared.
void createAndSelect(Shell& shell, ImGuiID sid, std::function<std::string(WorkerContext&)> create) {
    state(sid).creating = true;
    shell.jobs().request<std::string>(
        Lane::Write, std::move(create),
        [&shell, sid](std::string newId) {
            PickerState& p = state(sid);
            p.pendingId = newId;
            p.creating = false;
            p.newName.clear();
            p.newPost.clear();
            p.filter.clear();
            shell.dataChanged();
        },
        [&shell, sid](const JobError& e) {
            state(sid).creating = false;
            shell.notifyError(e);
        });
}

// A record created by this picker has arrived in the session snapshot: select it.
bool adoptCreated(PickerState& st, bool arrived, std::string& value) {
    if (!arrived) return false;
    value = st.pendingId;
    st.pendingId.clear();
    return true;
}

// The filter line at the top of an open picker (focused when it opens).
void filterInput(const char* id, PickerState& st) {
    ImGui::SetNextItemWidth(-1);
    if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
    ImGui::InputTextWithHint("##filter", tr("picker.filter"), &st.filter);
    mark(std::string(id) + ".filter");
}

// The "create" button under the new-record inputs: true when pressed (the picker then closes).
bool createButton(const char* id, const PickerState& st, const char* labelKey) {
    ImGui::BeginDisabled(st.newName.empty() || st.creating);
    bool pressed = ImGui::Button(trId(labelKey));
    if (pressed) ImGui::CloseCurrentPopup();
    mark(std::string(id) + ".create");
    ImGui::EndDisabled();
    return pressed;
}

}  // namespace

bool unitPicker(Shell& shell, const char* id, std::string& unitId, const std::string& regionHint, float width) {
    ImGui::PushID(id);
    const ImGuiID sid = ImGui::GetID("state");  // taken here: inside the combo popup the ID stack differs
    PickerState& st = state(sid);
    bool changed = adoptCreated(st, !st.pendingId.empty() && shell.session().unit(st.pendingId), unitId);
    const SessionData& s = shell.session();
    std::string preview = unitId.empty() ? tr("picker.choose_unit") : s.unitName(unitId);
    if (preview.empty()) preview = tr("common.loading");
    ImGui::SetNextItemWidth(width);
    if (ImGui::BeginCombo("##combo", preview.c_str(), ImGuiComboFlags_HeightLarge)) {
        filterInput(id, st);
        if (!unitId.empty() && ImGui::Selectable(tr("picker.clear"))) {
            unitId.clear();
            changed = true;
        }
        int shown = 0;
        for (const auto& u : s.units) {
            if (!matches(u.name, st.filter)) continue;
            if (++shown > 200) break;
            ImGui::PushID(u.id.c_str());
            if (ImGui::Selectable(u.name.c_str(), u.id == unitId)) {
                unitId = u.id;
                changed = true;
            }
            mark(std::string(id) + ".item." + u.name);
            ImGui::PopID();
        }
        ImGui::Separator();
        ImGui::TextColored(theme::kMuted, "%s", tr("picker.new_unit"));
        if (st.newName.empty() && !st.filter.empty()) st.newName = st.filter;
        ImGui::SetNextItemWidth(width * 0.6f);
        ImGui::InputTextWithHint("##newname", tr("picker.unit_name"), &st.newName);
        mark(std::string(id) + ".new_name");
        ImGui::SameLine();
        widgets::codeCombo("##newkind", unitKinds(), st.newKind, nullptr, width * 0.3f);
        if (createButton(id, st, "picker.create_unit"))
            createAndSelect(shell, sid, [name = st.newName, kind = st.newKind, region = regionHint](WorkerContext& w) {
                return createUnit(w.app, name, kind, region);
            });
        ImGui::EndCombo();
    }
    mark(id);
    ImGui::PopID();
    return changed;
}

bool personPicker(Shell& shell, const char* id, std::string& personId, const std::string& unitId, float width) {
    ImGui::PushID(id);
    const ImGuiID sid = ImGui::GetID("state");  // taken here: inside the combo popup the ID stack differs
    PickerState& st = state(sid);
    bool changed = adoptCreated(st, !st.pendingId.empty() && shell.session().person(st.pendingId), personId);
    const SessionData& s = shell.session();
    std::string preview = personId.empty() ? tr("picker.choose_person") : s.personName(personId);
    ImGui::SetNextItemWidth(width);
    if (ImGui::BeginCombo("##combo", preview.c_str(), ImGuiComboFlags_HeightLarge)) {
        filterInput(id, st);
        int shown = 0;
        // The unit's people first, then everyone else.
        for (int pass = 0; pass < 2; ++pass) {
            for (const auto& p : s.persons) {
                bool inUnit = !unitId.empty() && p.unitId == unitId;
                if ((pass == 0) != inUnit || !matches(p.name, st.filter)) continue;
                if (++shown > 200) break;
                ImGui::PushID(p.id.c_str());
                std::string label = p.name + (p.post.empty() ? "" : " · " + p.post);
                std::string unit = s.unitName(p.unitId);
                if (!unit.empty() && !inUnit) label += " (" + unit + ")";
                if (ImGui::Selectable(label.c_str(), p.id == personId)) {
                    personId = p.id;
                    changed = true;
                }
                mark(std::string(id) + ".item." + p.name);
                ImGui::PopID();
            }
            if (unitId.empty()) break;
        }
        ImGui::Separator();
        ImGui::TextColored(theme::kMuted, "%s", unitId.empty() ? tr("picker.new_person") : trf("picker.new_person_in", {s.unitName(unitId)}).c_str());
        if (st.newName.empty() && !st.filter.empty()) st.newName = st.filter;
        ImGui::SetNextItemWidth(width * 0.45f);
        ImGui::InputTextWithHint("##newname", tr("picker.person_name"), &st.newName);
        mark(std::string(id) + ".new_name");
        ImGui::SameLine();
        ImGui::SetNextItemWidth(width * 0.45f);
        ImGui::InputTextWithHint("##newpost", tr("picker.person_post"), &st.newPost);
        mark(std::string(id) + ".new_post");
        if (createButton(id, st, "picker.create_person"))
            createAndSelect(shell, sid, [name = st.newName, post = st.newPost, unit = unitId](WorkerContext& w) {
                return createPerson(w.app, name, unit, post);
            });
        ImGui::EndCombo();
    }
    mark(id);
    ImGui::PopID();
    return changed;
}

}  // namespace jc::ui
