#include "ui/widgets/region_picker.h"

#include <imgui.h>

#include <algorithm>

#include "ui/shell/automation.h"
#include "ui/shell/i18n.h"
#include "ui/shell/shell.h"

namespace jc::ui {

std::vector<std::string> regionAncestors(const std::string& code) {
    std::vector<std::string> out;
    for (size_t len : {2u, 4u, 6u, 9u, 12u})
        if (code.size() >= len) out.push_back(code.substr(0, len));
    return out;
}

const std::vector<Region>* RegionPicker::children(Shell& shell, const std::string& parent) {
    auto it = m_children.find(parent);
    if (it != m_children.end()) return &it->second;
    if (m_loading.insert(parent).second) {
        shell.jobs().request<std::vector<Region>>(
            Lane::Read, [parent](WorkerContext& w) { return loadRegionChildren(w, parent); },
            [this, &shell, parent](std::vector<Region> r) {
                for (const auto& x : r) shell.noteText(x.name);
                m_children[parent] = std::move(r);
                m_loading.erase(parent);
            },
            [this, parent](const JobError&) { m_loading.erase(parent); });
    }
    return nullptr;
}

bool RegionPicker::draw(Shell& shell, const char* id, std::string& code, const std::string& root, float width) {
    static const size_t kLevels[] = {2, 4, 6, 9};
    std::vector<std::string> chain = regionAncestors(code);
    bool changed = false;
    int levels = 0;
    for (size_t len : kLevels) levels += len > root.size() ? 1 : 0;
    float fit = (ImGui::GetContentRegionAvail().x - ImGui::GetFrameHeight() * 1.5f -
                 ImGui::GetStyle().ItemSpacing.x * static_cast<float>(levels)) / static_cast<float>(std::max(levels, 1));
    width = std::min(width, fit);  // all levels on one line
    ImGui::PushID(id);
    int shown = 0;
    std::string parent = root;
    // Levels below the root: one combo each, until the chosen chain ends (plus one more to go deeper).
    for (size_t level = 0; level < 4; ++level) {
        if (kLevels[level] <= root.size()) continue;
        const std::vector<Region>* list = children(shell, parent);
        std::string selected = chain.size() > level ? chain[level] : std::string();
        if (!selected.empty() && selected.size() != kLevels[level]) selected.clear();
        if (list && list->empty()) break;  // no deeper level
        const char* preview = tr(level == 0   ? "region.province"
                                 : level == 1 ? "region.city"
                                 : level == 2 ? "region.county"
                                              : "region.township");
        std::string previewText = preview;
        if (list)
            for (const auto& r : *list)
                if (r.code == selected) previewText = r.name;
        if (shown++) ImGui::SameLine();
        ImGui::SetNextItemWidth(width);
        ImGui::PushID(static_cast<int>(level));
        if (ImGui::BeginCombo("##level", previewText.c_str(), ImGuiComboFlags_HeightLarge)) {
            if (!list) ImGui::TextDisabled("%s", tr("common.loading"));
            else
                for (const auto& r : *list) {
                    if (ImGui::Selectable(r.name.c_str(), r.code == selected)) {
                        code = r.code;
                        changed = true;
                    }
                    mark(std::string(id) + "." + r.code);
                }
            ImGui::EndCombo();
        }
        ImGui::PopID();
        mark(std::string(id) + ".level" + std::to_string(level));
        if (selected.empty()) break;
        parent = selected;
    }
    if (!code.empty()) {
        ImGui::SameLine();
        if (ImGui::SmallButton("×")) {
            code.clear();
            changed = true;
        }
        mark(std::string(id) + ".clear");
    }
    ImGui::PopID();
    return changed;
}

}  // namespace jc::ui
