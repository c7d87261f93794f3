// Settings: interface language, font size, the current campaign, the acting user, security (the
// store's encryption and changing its passphrase), and what the client found about fonts and the store (useful when a character does not render).
#include <algorithm>
#include <imgui.h>

#include "ui/shell/automation.h"
#include "ui/shell/i18n.h"
#include "ui/shell/shell.h"
#include "ui/shell/theme.h"
#include "ui/views/views.h"
#include "ui/shell/sync_status.h"
#include "ui/widgets/calendar_years.h"
#include "ui/widgets/enrol_form.h"
#include "ui/widgets/security_panels.h"
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

        // A protected store locks the window after this many idle minutes (0 = never).
        row("settings.idle_lock");
        int idle = shell.settings().idleLockMinutes;
        ImGui::SetNextItemWidth(ImGui::GetFontSize() * 8);
        if (ImGui::InputInt("##settings.idle_lock", &idle, 1, 5)) {
            shell.settings().idleLockMinutes = std::clamp(idle, 0, 240);
            shell.saveSettings();
        }
        mark("settings.idle_lock");
        ImGui::SameLine();
        ImGui::TextColored(shell.storeProtected() ? theme::kMuted : theme::kRed, "%s",
                           tr(shell.storeProtected() ? "settings.idle_lock_hint" : "signin.unprotected_hint"));

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
        widgets::heading(tr("settings.security"));
        m_passphrase.draw(shell, labelW);

        ImGui::Spacing();
        drawSync(shell, labelW);

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
        if (shell.fonts().unavailable() > 0) {
            row("settings.glyph_gaps");
            ImGui::TextColored(theme::kRed, "%s",
                               trf("settings.glyph_gaps_text", {std::to_string(shell.fonts().unavailable())}).c_str());
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

    bool settled() const override { return m_calendar.settled() && m_passphrase.settled(); }

private:
    // HQ sync: the enrolment (server, user, device, last sync) with "leave", or the form to enrol.
    void drawSync(Shell& shell, float labelW) {
        widgets::heading(tr("settings.sync"));
        int rounds = shell.syncStatus() ? shell.syncStatus()->rounds : -1;
        if (!m_infoLoading && (m_infoVersion != shell.dataVersion() || m_infoRounds != rounds)) {
            m_infoLoading = true;
            m_infoVersion = shell.dataVersion();
            m_infoRounds = rounds;
            shell.jobs().request<sync::EnrolmentInfo>(
                Lane::Read, [](WorkerContext& w) { return sync::enrolmentInfo(w.store); },
                [this, &shell](sync::EnrolmentInfo info) {
                    m_infoLoading = false;
                    shell.noteText(info.deviceName + info.userName + info.lastError);
                    m_info = std::move(info);
                    m_infoLoaded = true;
                },
                [this](const JobError&) { m_infoLoading = false; });
        }
        if (!m_infoLoaded) return;
        auto row = [&](const char* key, const std::string& value, const char* name) {
            ImGui::AlignTextToFramePadding();
            ImGui::TextUnformatted(tr(key));
            ImGui::SameLine(labelW);
            ImGui::TextUnformatted(value.empty() ? tr("common.none") : value.c_str());
            mark(name);
        };
        if (!m_info.enrolled) {
            ImGui::PushTextWrapPos(ImGui::GetFontSize() * 40);
            ImGui::TextColored(theme::kMuted, "%s", tr("settings.not_enrolled"));
            ImGui::PopTextWrapPos();
            drawEnrolForm(shell, m_form, ImGui::GetFontSize() * 30);
            return;
        }
        row("settings.sync_server", m_info.server, "settings.sync_server");
        row("settings.sync_user", m_info.userName + (m_info.role.empty() ? "" : " · " + std::string(roleLabel(m_info.role))),
            "settings.sync_user");
        row("settings.device_name", m_info.deviceName, "settings.device_name");
        row("settings.device_id", m_info.deviceId, "settings.device_id");
        if (!m_info.caFile.empty()) row("settings.ca_file", m_info.caFile, "settings.ca_file");
        row("settings.last_sync", m_info.lastSuccess.empty() ? std::string(tr("sync.never")) : localTime(m_info.lastSuccess),
            "settings.last_sync");
        row("settings.unsent", std::to_string(m_info.pending), "settings.unsent");
        if (ImGui::Button(trId("sync.now"))) shell.syncNow();
        mark("settings.sync_now");
        ImGui::SameLine();
        if (ImGui::Button(trId("settings.leave"))) ImGui::OpenPopup("###settings.leave_confirm");
        mark("settings.leave");
        std::string title = std::string(tr("settings.leave_title")) + "###settings.leave_confirm";
        if (ImGui::BeginPopupModal(title.c_str(), nullptr, ImGuiWindowFlags_AlwaysAutoResize)) {
            ImGui::PushTextWrapPos(ImGui::GetFontSize() * 28);
            if (m_info.pending > 0)
                ImGui::TextColored(theme::kRed, "%s", trf("settings.leave_unsent", {std::to_string(m_info.pending)}).c_str());
            ImGui::TextUnformatted(tr("settings.leave_text"));
            ImGui::PopTextWrapPos();
            if (ImGui::Button(trId("settings.leave_confirm"))) {
                shell.leaveServer([&shell](int64_t unsent) {
                    shell.notify(trf("settings.left", {std::to_string(unsent)}), unsent > 0);
                });
                ImGui::CloseCurrentPopup();
            }
            mark("settings.leave_confirm");
            ImGui::SameLine();
            if (ImGui::Button(trId("common.cancel"))) ImGui::CloseCurrentPopup();
            ImGui::EndPopup();
        }
    }

    float m_fontSize = 0;
    sync::EnrolmentInfo m_info;
    bool m_infoLoaded = false, m_infoLoading = false;
    uint64_t m_infoVersion = 0;
    int m_infoRounds = -2;
    EnrolFormState m_form;
    CalendarYearsPanel m_calendar;
    PassphrasePanel m_passphrase;
};

}  // namespace

std::unique_ptr<View> makeSettingsView() { return std::make_unique<SettingsView>(); }

}  // namespace jc::ui
