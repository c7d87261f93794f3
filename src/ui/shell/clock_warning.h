#pragma once
// The status bar's clock warning: red text while this device's clock is off HQ's by more than
// kClockWarnMs (as the last sync measured it, core/hq_clock.h), "本机时间与总部相差 365 天（本机偏快）",
// with what to do in the tooltip. Nothing is drawn while the clock is right or not yet measured.
#include <nlohmann/json.hpp>
#include <string>

namespace jc::ui {

bool clockWarningShown();
std::string clockWarningText();  // "" when not shown
// Draws the warning as the next item of the current line (the caller does ImGui::SameLine()).
void drawClockWarning();

// In a case history line, after the (HQ) time: the device's own time where it differed
// ("本机时间 2027-12-02 21:07") and a red 时间存疑 when the time could not be corrected. Ends
// with ImGui::SameLine() when it drew something, like the time before it.
void drawDeviceTimeNote(const nlohmann::json& caseEvent);

}  // namespace jc::ui
