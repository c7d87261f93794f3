#include "ui/widgets/calendar_years.h"

#include <imgui.h>
#include <filesystem>
#include <fstream>

#include "core/error.h"
#include "ui/shell/automation.h"
#include "ui/shell/i18n.h"
#include "ui/shell/shell.h"
#include "ui/shell/theme.h"
#include "ui/widgets/file_chooser.h"
#include "ui/widgets/widgets.h"

namespace jc::ui {

void CalendarYearsPanel::load(Shell& shell) {
    m_loading = true;
    m_version = shell.dataVersion();
    shell.jobs().request<std::vector<CalendarYearInfo>>(
        Lane::Read,
        [](WorkerContext& w) {
            int y = w.app.today().year;
            return calendarYears(w.store, *w.app.calendar, y - 1, y + 4);
        },
        [this](std::vector<CalendarYearInfo> years) {
            m_years = std::move(years);
            m_loaded = true;
            m_loading = false;
        },
        [this, &shell](const JobError& e) {
            m_loaded = true;
            m_loading = false;
            shell.notifyError(e);
        },
        "settings.calendar");
}

void CalendarYearsPanel::draw(Shell& shell) {
    if (m_version != shell.dataVersion() && !m_loading) load(shell);
    widgets::heading(tr("settings.calendar"));
    if (ImGui::BeginTable("##settings.calendar_years", 4, ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_RowBg)) {
        float em = ImGui::GetFontSize();
        ImGui::TableSetupColumn(tr("settings.calendar_year"), ImGuiTableColumnFlags_WidthFixed, em * 4);
        ImGui::TableSetupColumn(tr("settings.calendar_source"), ImGuiTableColumnFlags_WidthFixed, em * 12);
        ImGui::TableSetupColumn(tr("settings.calendar_days"), ImGuiTableColumnFlags_WidthFixed, em * 9);
        ImGui::TableSetupColumn(tr("settings.calendar_by"), ImGuiTableColumnFlags_WidthStretch);
        ImGui::TableHeadersRow();
        for (const auto& y : m_years) {
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::Text("%d", y.year);
            ImGui::TableNextColumn();
            bool official = y.source == "official";
            ImGui::TextColored(official                ? theme::kGreen
                               : y.source == "by_rule" ? theme::kYellow
                                                       : theme::kRed,
                               "%s",
                               tr(official                ? "settings.calendar_official"
                                  : y.source == "by_rule" ? "settings.calendar_by_rule"
                                                          : "settings.calendar_weekdays"));
            mark("settings.calendar." + std::to_string(y.year));
            ImGui::TableNextColumn();
            ImGui::Text("%s",
                        trf("settings.calendar_counts", {std::to_string(y.holidays), std::to_string(y.makeupWorkdays)})
                            .c_str());
            ImGui::TableNextColumn();
            if (y.published)
                ImGui::TextColored(
                    theme::kMuted, "%s",
                    trf("settings.calendar_published", {y.publishedBy, localTime(y.publishedAt).substr(0, 10)})
                        .c_str());
        }
        ImGui::EndTable();
    }
    ImGui::TextColored(theme::kMuted, "%s", tr("settings.calendar_rule_note"));
    if (shell.session().actor.role != Role::HqAdmin) return;
    ImGui::BeginDisabled(m_busy || shell.fileChooser().busy());
    if (ImGui::Button(trId("settings.calendar_choose"))) {
        FileRequest req;
        req.title = tr("settings.calendar_choose_title");
        req.filterName = tr("settings.calendar_filter");
        req.patterns = {"*.json"};
        shell.fileChooser().open(req, [this, &shell](std::vector<std::string> paths) {
            if (paths.empty()) return;
            m_path = paths.front();
            shell.noteText(m_path);
        });
    }
    mark("settings.calendar_choose");
    ImGui::EndDisabled();
    ImGui::SameLine();
    ImGui::TextColored(m_path.empty() ? theme::kMuted : ImGui::GetStyleColorVec4(ImGuiCol_Text), "%s",
                       m_path.empty() ? tr("settings.calendar_no_file") : std::filesystem::path(m_path).filename().string().c_str());
    if (!m_path.empty() && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", m_path.c_str());
    mark("settings.calendar_file");
    ImGui::SameLine();
    ImGui::BeginDisabled(m_path.empty() || m_busy);
    if (ImGui::Button(trId("settings.calendar_publish"))) {
        m_busy = true;
        std::string path = m_path;
        auto result = std::make_shared<PublishResult>();
        shell.runCommand(
            [path, result](WorkerContext& w) {
                std::ifstream in(path, std::ios::binary);
                if (!in) throw ValidationError("cannot read '" + path + "'");
                Json j = Json::parse(in, nullptr, false);
                if (j.is_discarded()) throw ValidationError("'" + path + "' is not valid JSON");
                *result = publishCalendarYear(w.app, j);
            },
            [this, &shell, result]() {
                m_busy = false;
                m_path.clear();
                shell.notify(
                    trf("settings.calendar_done", {std::to_string(result->year), std::to_string(result->casesMoved),
                                                   std::to_string(result->approvalsMoved)}));
            },
            [this](const JobError&) { m_busy = false; });
    }
    mark("settings.calendar_publish");
    ImGui::EndDisabled();
}

}  // namespace jc::ui
