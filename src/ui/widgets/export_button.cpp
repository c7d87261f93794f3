#include "ui/widgets/export_button.h"

#include <imgui.h>

#include <cstdio>
#include <string_view>

#include "app/statistics.h"
#include "core/china_time.h"
#include "ui/shell/automation.h"
#include "ui/shell/i18n.h"
#include "ui/shell/shell.h"

namespace jc::ui {

std::string defaultExportName(const std::string& baseName, const char* ext) {
    const ChinaTime t = chinaTime(nowMillis());  // Beijing time in the name
    char stamp[32];
    std::snprintf(stamp, sizeof stamp, "%04d%02d%02d-%02d%02d", t.date.year, t.date.month, t.date.day, t.hour, t.minute);
    std::string name = baseName;
    for (char& c : name)
        if (c == '/') c = '-';  // a title with a slash is still one file name
    return name + "-" + stamp + "." + ext;
}

ExportButton::Work listExport(report::ExportRequest req) {
    return [req = std::move(req)](WorkerContext& w, const std::string& path, report::ExportFormat format,
                                  const report::ExportProgress& progress) {
        report::ExportRequest r = req;
        r.format = format;
        r.path = path;
        r.exportedBy = w.app.actor.name;
        return report::exportList(w.app, r, progress).rows;
    };
}

FileRequest exportFileRequest(const std::string& title, const std::string& baseName, const char* ext) {
    FileRequest req;
    req.mode = FileRequest::Mode::Save;
    req.title = title;
    req.suggestedName = defaultExportName(baseName, ext);
    std::string_view e(ext);
    req.filterName = e == "xlsx" ? tr("files.filter_xlsx") : e == "csv" ? tr("files.filter_csv") : e == "pdf" ? tr("files.filter_pdf") : std::string(ext);
    req.patterns = {std::string("*.") + ext};
    return req;
}

void ExportButton::draw(Shell& shell, const char* id, const std::string& baseName, const Work& work) {
    std::string popup = std::string("##") + id + ".popup";
    ImGui::BeginDisabled(m_running);
    std::string label = !m_running ? tr("export.button")
                        : m_rows->load() > 0 ? trf("export.progress", {withThousands(m_rows->load())})
                                             : tr("export.running");
    if (ImGui::Button((label + "###" + id).c_str()))
        ImGui::OpenPopup(popup.c_str());
    ImGui::EndDisabled();
    mark(id);
    if (!ImGui::BeginPopup(popup.c_str())) return;
    ImGui::TextUnformatted(tr("export.format"));
    ImGui::SameLine();
    if (ImGui::RadioButton("XLSX", m_format == 0)) m_format = 0;
    mark(std::string(id) + ".xlsx");
    ImGui::SameLine();
    if (ImGui::RadioButton("CSV", m_format == 1)) m_format = 1;
    mark(std::string(id) + ".csv");
    ImGui::TextDisabled("%s", tr("export.no_identities"));
    ImGui::BeginDisabled(shell.fileChooser().busy());
    if (ImGui::Button(trId("export.save"))) {
        const char* ext = m_format == 0 ? "xlsx" : "csv";
        auto format = m_format == 0 ? report::ExportFormat::Xlsx : report::ExportFormat::Csv;
        shell.fileChooser().open(
            exportFileRequest(tr("export.choose_title"), baseName, ext),
            [this, &shell, work, format](std::vector<std::string> paths) {
                if (paths.empty()) return;  // cancelled: nothing written
                m_running = true;
                m_rows->store(0);
                std::string path = paths.front();
                auto rows = m_rows;
                shell.jobs().request<int64_t>(
                    Lane::Background,
                    [work, path, format, rows](WorkerContext& w) {
                        return work(w, path, format, [rows](int64_t n) { rows->store(n); });
                    },
                    [this, &shell, path](int64_t rows) {
                        m_running = false;
                        m_lastFile = path;
                        shell.notify(trf("export.done", {std::to_string(rows), path}));
                    },
                    shell.failClears(m_running));
            });
        ImGui::CloseCurrentPopup();
    }
    mark(std::string(id) + ".save");
    ImGui::EndDisabled();
    ImGui::SameLine();
    if (ImGui::Button(trId("common.cancel"))) ImGui::CloseCurrentPopup();
    ImGui::EndPopup();
}

}  // namespace jc::ui
