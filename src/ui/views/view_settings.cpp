// Settings: interface language, font size, the current campaign, the acting user, and what the
// client found about fonts and the store (useful when a character does not render).
#include <imgui.h>

#include "ui/shell/automation.h"
#include "ui/shell/i18n.h"
#include "ui/shell/shell.h"
#include "ui/shell/theme.h"
#include "ui/views/views.h"
#include "ui/widgets/calendar_years.h"
#include "ui/widgets/widgets.h"

namespace jc::ui {

namespace {

class SettingsView : public View {
public:
    const char* id() const override { return "settings"; }
    const char* titleKey() const override { return "nav.settings"; }

    void draw(Shell& shell) override {
        const SessionData& s = shell.session();
        ImGui::BeginChild("##settings", ImVec2(0, 0));
        float labelW = ImGui::GetFontSize() * 9;
        auto row = [&](const char* key) {
            ImGui::AlignTextToFramePadding();
            ImGui::TextUnformatted(tr(key));
            ImGui::SameLine(labelW);
        };

        widgets::heading(tr("settings.interface"));
        row("settings.language");
        bool zh = !i18n().english();
        if (ImGui::RadioButton("中文###settings.zh", zh)) shell.setLanguage("zh_CN");
        mark("settings.zh");
        ImGui::SameLine();
        if (ImGui::RadioButton("English###settings.en", !zh)) shell.setLanguage("en");
        mark("settings.en");

        row("settings.font_size");
        if (m_fontSize == 0) m_fontSize = shell.settings().fontSize;
        ImGui::SetNextItemWidth(ImGui::GetFontSize() * 12);
        ImGui::SliderFloat("##settings.font_size", &m_fontSize, 14.0f, 28.0f, "%.0f px");
        mark("settings.font_size");
        if (ImGui::IsItemDeactivatedAfterEdit()) shell.setFontSize(m_fontSize);

        row("settings.campaign");
        std::string current = shell.currentCampaignId();
        const CampaignInfo* c = s.campaign(current);
        ImGui::SetNextItemWidth(ImGui::GetFontSize() * 24);
        if (ImGui::BeginCombo("##settings.campaign", c ? c->title.c_str() : tr("common.none"))) {
            for (const auto& camp : s.campaigns)
                if (ImGui::Selectable(camp.title.c_str(), camp.id == current)) {
                    shell.settings().campaignId = camp.id;
                    shell.saveSettings();
                    shell.dataChanged();
                }
            ImGui::EndCombo();
        }
        mark("settings.campaign");

        ImGui::Spacing();
        widgets::heading(tr("settings.user"));
        row("settings.current_user");
        ImGui::Text("%s · %s", s.actor.name.c_str(), roleLabel(roleCode(s.actor.role)));
        if (s.users.size() > 1) {
            row("settings.switch_user");
            ImGui::SetNextItemWidth(ImGui::GetFontSize() * 16);
            if (ImGui::BeginCombo("##settings.switch_user", s.actor.name.c_str())) {
                for (const auto& u : s.users) {
                    std::string label = u.name + " · " + roleLabel(u.role);
                    if (ImGui::Selectable(label.c_str(), u.name == s.actor.name) && u.name != s.actor.name)
                        shell.switchUser(u.name);
                }
                ImGui::EndCombo();
            }
            mark("settings.switch_user");
        }

        ImGui::Spacing();
        m_calendar.draw(shell);

        ImGui::Spacing();
        widgets::heading(tr("settings.about"));
        row("settings.data_dir");
        ImGui::TextUnformatted(shell.dataDir().string().c_str());
        row("settings.font");
        ImGui::TextUnformatted(shell.fonts().description().c_str());
        row("settings.glyphs");
        ImGui::Text("%s", trf("settings.glyph_stats", {std::to_string(shell.fonts().glyphCount()),
                                                       std::to_string(static_cast<int>(shell.fonts().lastBuildMs()))})
                              .c_str());
        if (shell.fonts().outsideBmp() > 0 || shell.fonts().unavailable() > 0) {
            row("settings.glyph_gaps");
            ImGui::TextColored(theme::kRed, "%s",
                               trf("settings.glyph_gaps_text", {std::to_string(shell.fonts().unavailable()),
                                                                std::to_string(shell.fonts().outsideBmp())})
                                   .c_str());
        }
        row("settings.schema");
        ImGui::Text("%d", shell.statusBar().schemaVersion);

        ImGui::Spacing();
        widgets::heading(tr("settings.shortcuts"));
        for (const char* k : {"settings.key_new", "settings.key_save", "settings.key_search", "settings.key_prev_next",
                              "settings.key_review", "settings.key_quit"})
            ImGui::BulletText("%s", tr(k));
        ImGui::EndChild();
    }

    bool settled() const override { return m_calendar.settled(); }

private:
    float m_fontSize = 0;
    CalendarYearsPanel m_calendar;
};

}  // namespace

std::unique_ptr<View> makeSettingsView() { return std::make_unique<SettingsView>(); }

}  // namespace jc::ui
