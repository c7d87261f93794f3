#include "ui/views/list_view.h"

#include <imgui.h>

#include "ui/shell/automation.h"
#include "ui/shell/i18n.h"
#include "ui/shell/theme.h"

namespace jc::ui {

bool drawListState(bool loaded, bool empty, const char* noneKey) {
    if (!loaded) {
        ImGui::TextUnformatted(tr("common.loading"));
        return false;
    }
    if (empty) {
        ImGui::TextColored(theme::kMuted, "%s", tr(noneKey));
        mark(noneKey);
        return false;
    }
    return true;
}

void listAndSide(const char* listId, float listShare, const std::function<void()>& list, const char* sideId,
                 const std::function<void()>& side) {
    const bool withSide = sideId && side;
    ImGui::BeginChild(listId, ImVec2(withSide ? ImGui::GetContentRegionAvail().x * listShare : 0.0f, 0));
    list();
    ImGui::EndChild();
    if (!withSide) return;
    ImGui::SameLine();
    ImGui::BeginChild(sideId, ImVec2(0, 0), true);
    side();
    ImGui::EndChild();
}

}  // namespace jc::ui
