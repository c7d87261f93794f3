#pragma once
// The look: a light theme for office and outdoor light, colours for deadline cards (green /
// yellow / red, DESIGN.md §2 限时办结制) and statuses, and sizes scaled with the font.
#include <imgui.h>

#include <string_view>

namespace jc::ui::theme {

void apply(float scale);  // call again when the font size changes

inline const ImVec4 kAccent{0.70f, 0.11f, 0.11f, 1.0f};    // 监察 red
inline const ImVec4 kMuted{0.42f, 0.42f, 0.45f, 1.0f};
inline const ImVec4 kGreen{0.13f, 0.55f, 0.25f, 1.0f};
inline const ImVec4 kYellow{0.85f, 0.62f, 0.0f, 1.0f};
inline const ImVec4 kRed{0.82f, 0.14f, 0.14f, 1.0f};
inline const ImVec4 kYellowCard{1.0f, 0.95f, 0.74f, 1.0f};
inline const ImVec4 kRedCard{1.0f, 0.86f, 0.86f, 1.0f};
inline const ImVec4 kGreenCard{0.88f, 0.96f, 0.89f, 1.0f};
inline const ImVec4 kHighlight{1.0f, 0.87f, 0.35f, 1.0f};  // search matches

// Colour of a deadline light code ("green" | "yellow" | "red").
ImVec4 lightColor(std::string_view light);
ImVec4 lightCardColor(std::string_view light);
// Colour of a case status (drafts grey, submitted blue, returned orange, accepted green …).
ImVec4 statusColor(std::string_view status);

}  // namespace jc::ui::theme
