#include "ui/shell/clock_warning.h"

#include <imgui.h>

#include <cstdlib>

#include "core/hq_clock.h"
#include "ui/shell/automation.h"
#include "ui/shell/i18n.h"
#include "ui/shell/theme.h"
#include "ui/widgets/widgets.h"

namespace jc::ui {

bool clockWarningShown() {
    auto off = hqClockOffset();
    return off && std::llabs(*off) > kClockWarnMs;
}

std::string clockWarningText() {
    auto off = hqClockOffset();
    if (!off || std::llabs(*off) <= kClockWarnMs) return {};
    std::string words = clockOffsetWords(*off, tr("clock.day"), tr("clock.hour"), tr("clock.minute"));
    return trf("clock.warning", {words, tr(*off < 0 ? "clock.ahead" : "clock.behind")});
}

void drawClockWarning() {
    std::string text = clockWarningText();
    if (text.empty()) return;
    ImGui::TextColored(theme::kRed, "%s", text.c_str());
    mark("status.clock_warning");
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr("clock.warning_help"));
}

void drawDeviceTimeNote(const nlohmann::json& e) {
    if (e.contains("device_time") && e["device_time"].is_string()) {
        ImGui::TextColored(theme::kMuted, "%s",
                           trf("clock.device_time", {localTime(e["device_time"].get<std::string>())}).c_str());
        ImGui::SameLine();
    }
    if (e.value("time_suspect", false)) {
        ImGui::TextColored(theme::kRed, "%s", tr("clock.time_suspect"));
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr("clock.time_suspect_help"));
        ImGui::SameLine();
    }
}

}  // namespace jc::ui
