#pragma once
// The built-in file browser, used when the desktop offers no file dialog (no portal, no zenity):
// a modal Dear ImGui window with places on the left (home, Desktop, Pictures, removable media
// under /media and /run/media), the folder's subfolders and files on the right (images with a
// thumbnail), a path box, multi-select (click to pick, click again to drop) and a name box when
// saving. Hidden files are left out; a folder lists at most kMaxEntries entries (it says so).
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "ui/widgets/file_chooser.h"

namespace jc::ui {

class Shell;

struct BrowserEntry {
    std::string name;
    bool dir = false;
    bool image = false;
    int64_t size = 0;
};

// The entries of `dir`: folders first, then files matching `patterns` (all when `allFiles`),
// each group by name; hidden ones left out. `truncated` says the listing stopped at `limit`.
std::vector<BrowserEntry> listFolder(const std::string& dir, const std::vector<std::string>& patterns, bool allFiles,
                                     size_t limit, bool* truncated, std::string* error);

// Places on the left: {label key or name, path}; removable media as found under /media/<user>,
// /media and /run/media/<user>.
struct BrowserPlace {
    std::string label;  // translated or the medium's name
    std::string path;
    bool removable = false;
};
std::vector<BrowserPlace> browserPlaces();

class FileBrowser {
public:
    static constexpr size_t kMaxEntries = 5000;
    explicit FileBrowser(FileRequest request);
    // Draws the window; a value once the user has chosen (paths) or cancelled (empty).
    std::optional<std::vector<std::string>> draw(Shell& shell);

private:
    void go(Shell& shell, const std::string& dir);
    FileRequest m_req;
    std::string m_dir, m_pathInput, m_name, m_error;
    std::vector<BrowserEntry> m_entries;
    std::vector<BrowserPlace> m_places;
    std::set<std::string> m_selected;  // names in m_dir
    bool m_truncated = false, m_allFiles = false, m_listed = false, m_opened = false;
};

}  // namespace jc::ui
