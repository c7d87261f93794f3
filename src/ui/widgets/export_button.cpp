#include "ui/widgets/export_button.h"

#include <imgui.h>
#include <imgui_stdlib.h>

#include <cstdlib>
#include <ctime>
#include <filesystem>

#include "app/statistics.h"
#include "ui/shell/automation.h"
#include "ui/shell/i18n.h"
#include "ui/shell/shell.h"

namespace jc::ui {

std::string defaultExportPath(Shell& shell, const std::string& baseName, const char* ext) {
    const char* home = std::getenv("HOME");
    std::filesystem::path dir = home && *home ? std::filesystem::path(home) : shell.dataDir();
    std::time_t t = std::time(nullptr) + 8 * 3600;  // Beijing time in the name
    std::tm tm{};
    gmtime_r(&t, &tm);
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M", &tm);
    return (dir / (baseName + "-" + stamp + "." + ext)).string();
}

void ExportButton::draw(Shell& shell, const char* id, const std::string& baseName, const Work& work) {
    std::string popup = std::string("##") + id + ".popup";
    ImGui::BeginDisabled(m_running);
    std::string label = !m_running ? tr("export.button")
                        : m_rows->load() > 0 ? trf("export.progress", {withThousands(m_rows->load())})
                                             : tr("export.running");
    if (ImGui::Button((label + "###" + id).c_str())) {
        m_path = defaultExportPath(shell, baseName, m_format == 0 ? "xlsx" : "csv");
        ImGui::OpenPopup(popup.c_str());
    }
    ImGui::EndDisabled();
    mark(id);
    if (!ImGui::BeginPopup(popup.c_str())) return;
    float em = ImGui::GetFontSize();
    ImGui::TextUnformatted(tr("export.format"));
    ImGui::SameLine();
    auto swapExt = [&](const char* ext) {
        std::filesystem::path p(m_path);
        if (p.has_extension()) m_path = p.replace_extension(ext).string();
    };
    if (ImGui::RadioButton("XLSX", m_format == 0)) m_format = 0, swapExt(".xlsx");
    mark(std::string(id) + ".xlsx");
    ImGui::SameLine();
    if (ImGui::RadioButton("CSV", m_format == 1)) m_format = 1, swapExt(".csv");
    mark(std::string(id) + ".csv");
    ImGui::TextUnformatted(tr("export.file"));
    ImGui::SetNextItemWidth(em * 30);
    ImGui::InputText((std::string("##") + id + ".path").c_str(), &m_path);
    mark(std::string(id) + ".path");
    ImGui::TextDisabled("%s", tr("export.no_identities"));
    if (ImGui::Button(trId("export.save")) && !m_path.empty()) {
        m_running = true;
        m_rows->store(0);
        std::string path = m_path;
        auto format = m_format == 0 ? report::ExportFormat::Xlsx : report::ExportFormat::Csv;
        auto rows = m_rows;
        shell.jobs().request<int64_t>(
            Lane::Background,
            [work, path, format, rows](WorkerContext& w) { return work(w, path, format, [rows](int64_t n) { rows->store(n); }); },
            [this, &shell, path](int64_t rows) {
                m_running = false;
                m_lastFile = path;
                shell.notify(trf("export.done", {std::to_string(rows), path}));
            },
            [this, &shell](const JobError& e) {
                m_running = false;
                shell.notify(e.message, true);
            });
        ImGui::CloseCurrentPopup();
    }
    mark(std::string(id) + ".save");
    ImGui::SameLine();
    if (ImGui::Button(trId("common.cancel"))) ImGui::CloseCurrentPopup();
    ImGui::EndPopup();
}

}  // namespace jc::ui
