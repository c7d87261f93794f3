#pragma once
// The 导出 button of a list or table: a popup with the format (XLSX / CSV), then the file
// chooser in save mode (widgets/file_chooser.h) proposing "<name>-YYYYMMDD-HHMM.<ext>" with the
// format's extension, and the export itself on the background lane, so the frame never waits
// for it. The file states the filters on screen, the time and who exported (report/exports.h);
// the message line says where it went and how many rows it holds.
#include <atomic>
#include <functional>
#include <memory>
#include <string>

#include "app/jobs.h"
#include "report/exports.h"
#include "ui/widgets/file_chooser.h"

namespace jc::ui {

class Shell;

class ExportButton {
public:
    // Writes the file on a worker: gets the path, the format and a progress callback (rows
    // written so far, shown on the button while it runs), returns the rows written.
    using Work = std::function<int64_t(WorkerContext&, const std::string& path, report::ExportFormat format,
                                       const report::ExportProgress& progress)>;

    // `id` names the widgets ("findings.export" …); `baseName` is the file name without the
    // extension ("检查发现"); `work` is called once the user has chosen the file.
    void draw(Shell& shell, const char* id, const std::string& baseName, const Work& work);
    bool running() const { return m_running; }
    const std::string& lastFile() const { return m_lastFile; }

private:
    int m_format = 0;  // 0 xlsx, 1 csv
    bool m_running = false;
    std::shared_ptr<std::atomic<int64_t>> m_rows = std::make_shared<std::atomic<int64_t>>(0);  // written so far
    std::string m_lastFile;
};

// The work of a list's export (report::exportList): `req` names the list and its filter; the
// chosen path and format and the signed-in user as the exporter are filled in.
ExportButton::Work listExport(report::ExportRequest req);

// The name an export proposes: "<baseName>-YYYYMMDD-HHMM.<ext>" (Beijing time).
std::string defaultExportName(const std::string& baseName, const char* ext);

// A save request for an export of format `ext` ("xlsx", "csv", "pdf"): the title, the
// proposed name and that format's filter (so the extension is added when the user leaves it out).
FileRequest exportFileRequest(const std::string& title, const std::string& baseName, const char* ext);

}  // namespace jc::ui
