#pragma once
// The one file chooser of the client, for every place that needs a file: evidence photos,
// HQ's certificate at enrolment, imports, export destinations. It opens the desktop's own
// dialog through the XDG desktop portal (libportal) when a portal runs, else zenity when it is
// installed and a display is there, else a built-in Dear ImGui browser (home, Desktop and
// Pictures, removable media under /media and /run/media, thumbnails of images, multi-select).
// Save mode proposes a name, adds the format's extension when the user left it out, and asks
// before replacing a file (the desktop dialogs ask for the name they return; this chooser asks
// for the built-in browser and for a name it completed with the extension).
// The desktop dialogs block a thread of their own, never the frame; the answer comes back on
// the UI thread through the main-thread queue. One request at a time: a second open() while a
// dialog is up is refused (returns false).
//
//     shell.fileChooser().open({FileRequest::Mode::OpenMany, tr("evidence.choose_title"), …},
//                              [](std::vector<std::string> paths) { … });  // empty: cancelled
//
// JIANCHA_FILE_CHOOSER=portal|zenity|builtin picks one (tests use builtin).
#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace jc {
class MainThreadQueue;
}

namespace jc::ui {

class Shell;

struct FileRequest {
    enum class Mode { Open, OpenMany, Save };
    Mode mode = Mode::Open;
    std::string title;                  // translated
    std::string filterName;             // "图片" (with patterns)
    std::vector<std::string> patterns;  // "*.jpg", "*.pem"; matched case-insensitively; empty = all files
    std::string suggestedName;          // Save: the file name proposed
    std::string startDir;               // "" = the last folder used, else home
};

// Save mode: a chosen name that matches none of the patterns gets the first pattern's extension
// ("报表" with {"*.xlsx"} → "报表.xlsx"); other modes and pattern-less requests are unchanged.
std::string withExtension(const std::string& path, const FileRequest& request);

// The chosen paths; empty when the user cancelled.
using FilesChosen = std::function<void(std::vector<std::string>)>;

enum class ChooserBackend { Auto, Portal, Zenity, Builtin };
const char* backendName(ChooserBackend b);
ChooserBackend backendFromName(std::string_view name);  // "" or unknown = Auto

// Whether the XDG desktop portal is running (or can be started) on the session bus.
bool portalAvailable();
// Blocking desktop dialogs (run on a thread of their own). nullopt: the backend could not run
// (the caller falls back); an empty vector: the user cancelled. `cancel` ends them early.
std::optional<std::vector<std::string>> runPortalChooser(const FileRequest& req, const std::atomic<bool>& cancel);
std::optional<std::vector<std::string>> runZenityChooser(const FileRequest& req, const std::atomic<bool>& cancel);

// True when `name` matches one of the patterns ("*.jpg" style, case-insensitive); true for none.
bool matchesPatterns(std::string_view name, const std::vector<std::string>& patterns);

class FileBrowser;

class FileChooser {
public:
    FileChooser(MainThreadQueue& main, ChooserBackend preferred);
    ~FileChooser();  // cancels a desktop dialog that is still open
    FileChooser(const FileChooser&) = delete;
    FileChooser& operator=(const FileChooser&) = delete;

    bool open(FileRequest request, FilesChosen done);
    // Draws the built-in browser while it is open (the shell calls this every frame).
    void draw(Shell& shell);
    bool busy() const { return m_busy; }
    // A "replace the existing file?" question is on screen (its path).
    const std::string& confirming() const { return m_confirm; }
    // The backend the last request went to (what the user saw).
    ChooserBackend lastBackend() const { return m_last; }

private:
    void finish(std::vector<std::string> paths);
    void done(std::vector<std::string> paths);
    void openBuiltin();
    void drawConfirm();
    MainThreadQueue& m_main;
    ChooserBackend m_preferred;
    ChooserBackend m_last = ChooserBackend::Auto;
    bool m_busy = false;
    FileRequest m_request;
    FilesChosen m_done;
    std::string m_lastDir;
    std::string m_confirm;  // the file a save would replace, waiting for the user's yes
    std::unique_ptr<FileBrowser> m_browser;
    std::shared_ptr<std::atomic<bool>> m_cancel;
    std::thread m_thread;
};

}  // namespace jc::ui
