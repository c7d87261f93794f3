#include "ui/shell/settings.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "core/entities.h"

namespace jc::ui {

UiSettings UiSettings::load(const std::filesystem::path& file) {
    UiSettings s;
    std::ifstream in(file);
    if (!in) return s;
    std::stringstream ss;
    ss << in.rdbuf();
    Json j = Json::parse(ss.str(), nullptr, false);
    if (!j.is_object()) return s;
    s.language = j.value("language", s.language);
    if (j.contains("font_size") && j["font_size"].is_number()) s.fontSize = j["font_size"].get<float>();
    s.campaignId = j.value("campaign_id", std::string());
    s.category = j.value("category", std::string());
    s.lastUser = j.value("last_user", std::string());
    if (j.contains("idle_lock_minutes") && j["idle_lock_minutes"].is_number_integer())
        s.idleLockMinutes = std::clamp(j["idle_lock_minutes"].get<int>(), 0, 240);
    return s;
}

bool UiSettings::save(const std::filesystem::path& file) const {
    Json j = {{"language", language}, {"font_size", fontSize}, {"campaign_id", campaignId}, {"category", category},
              {"last_user", lastUser}, {"idle_lock_minutes", idleLockMinutes}};
    std::filesystem::path tmp = file;
    tmp += ".tmp";
    {
        std::ofstream out(tmp);
        if (!out) return false;
        out << j.dump(2) << "\n";
        if (!out) return false;
    }
    std::error_code ec;
    std::filesystem::rename(tmp, file, ec);
    return !ec;
}

}  // namespace jc::ui
