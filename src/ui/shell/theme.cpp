#include "ui/shell/theme.h"

namespace jc::ui::theme {

void apply(float scale) {
    ImGuiStyle style;
    ImGui::StyleColorsLight(&style);
    style.WindowRounding = 0;
    style.ChildRounding = 4;
    style.FrameRounding = 3;
    style.GrabRounding = 3;
    style.PopupRounding = 4;
    style.TabRounding = 3;
    style.ScrollbarRounding = 4;
    style.FramePadding = ImVec2(6, 4);
    style.ItemSpacing = ImVec2(8, 6);
    style.CellPadding = ImVec2(6, 3);
    style.WindowPadding = ImVec2(10, 8);
    style.ScrollbarSize = 16;
    ImVec4* c = style.Colors;
    c[ImGuiCol_WindowBg] = ImVec4(0.97f, 0.97f, 0.96f, 1.0f);
    c[ImGuiCol_ChildBg] = ImVec4(0, 0, 0, 0);
    c[ImGuiCol_Header] = ImVec4(0.86f, 0.89f, 0.95f, 1.0f);
    c[ImGuiCol_HeaderHovered] = ImVec4(0.80f, 0.85f, 0.95f, 1.0f);
    c[ImGuiCol_HeaderActive] = ImVec4(0.72f, 0.79f, 0.93f, 1.0f);
    c[ImGuiCol_Button] = ImVec4(0.88f, 0.89f, 0.91f, 1.0f);
    c[ImGuiCol_ButtonHovered] = ImVec4(0.80f, 0.84f, 0.92f, 1.0f);
    c[ImGuiCol_ButtonActive] = ImVec4(0.70f, 0.77f, 0.90f, 1.0f);
    c[ImGuiCol_TableHeaderBg] = ImVec4(0.90f, 0.90f, 0.91f, 1.0f);
    c[ImGuiCol_TableRowBgAlt] = ImVec4(0.0f, 0.0f, 0.0f, 0.03f);
    c[ImGuiCol_FrameBg] = ImVec4(1.0f, 1.0f, 1.0f, 1.0f);
    c[ImGuiCol_Border] = ImVec4(0.0f, 0.0f, 0.0f, 0.16f);
    style.FrameBorderSize = 1.0f;
    style.ScaleAllSizes(scale);
    ImGui::GetStyle() = style;
}

ImVec4 lightColor(std::string_view l) {
    if (l == "red") return kRed;
    if (l == "yellow") return kYellow;
    if (l == "green") return kGreen;
    return kMuted;
}

ImVec4 lightCardColor(std::string_view l) {
    if (l == "red") return kRedCard;
    if (l == "yellow") return kYellowCard;
    return kGreenCard;
}

ImVec4 statusColor(std::string_view s) {
    if (s == "draft") return kMuted;
    if (s == "submitted" || s == "received" || s == "assigned" || s == "reported_done") return ImVec4(0.15f, 0.35f, 0.75f, 1);
    if (s == "returned" || s == "investigating") return ImVec4(0.85f, 0.45f, 0.05f, 1);
    if (s == "dismissed" || s == "overdue") return kRed;
    if (s == "closed" || s == "verified") return ImVec4(0.3f, 0.3f, 0.3f, 1);
    return kGreen;
}

}  // namespace jc::ui::theme
