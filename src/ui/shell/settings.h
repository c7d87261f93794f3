#pragma once
// Per-device UI preferences in <data-dir>/ui.json (not synced, not in SQLite): language, font
// size, the campaign and category last worked on. Written atomically (temp file + rename).
#include <filesystem>
#include <string>

namespace jc::ui {

struct UiSettings {
    std::string language = "zh_CN";
    float fontSize = 18.0f;
    std::string campaignId;  // the current campaign
    std::string category;    // default category of a new finding
    std::string lastUser;    // shown on the sign-in screen
    int idleLockMinutes = 10;  // a protected store locks the window after this long idle (0 = never)

    static UiSettings load(const std::filesystem::path& file);  // defaults when missing or unreadable
    bool save(const std::filesystem::path& file) const;         // false when it cannot be written
};

}  // namespace jc::ui
