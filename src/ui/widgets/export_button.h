#pragma once
// The 导出 button of a list or table: a popup with the format (XLSX / CSV) and the destination
// file (a path field for now), and the export itself on the background lane, so the frame never
// waits for it. The file states the filters on screen, the time and who exported
// (report/exports.h); the message line says where it went and how many rows it holds.
#include <atomic>
#include <functional>
#include <memory>
#include <string>

#include "app/jobs.h"
#include "report/exports.h"

namespace jc::ui {

class Shell;

class ExportButton {
public:
    // Writes the file on a worker: gets the path, the format and a progress callback (rows
    // written so far, shown on the button while it runs), returns the rows written.
    using Work = std::function<int64_t(WorkerContext&, const std::string& path, report::ExportFormat format,
                                       const report::ExportProgress& progress)>;

    // `id` names the widgets ("findings.export" …); `baseName` is the file name without the
    // extension ("检查发现"); `work` is called when the user confirms.
    void draw(Shell& shell, const char* id, const std::string& baseName, const Work& work);
    bool running() const { return m_running; }
    const std::string& lastFile() const { return m_lastFile; }

private:
    std::string m_path;
    int m_format = 0;  // 0 xlsx, 1 csv
    bool m_running = false;
    std::shared_ptr<std::atomic<int64_t>> m_rows = std::make_shared<std::atomic<int64_t>>(0);  // written so far
    std::string m_lastFile;
};

// A default destination: $HOME/<baseName>-YYYYMMDD-HHMM.<ext> (the data directory without $HOME).
std::string defaultExportPath(Shell& shell, const std::string& baseName, const char* ext);

}  // namespace jc::ui
