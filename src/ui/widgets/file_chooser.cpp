#include "ui/widgets/file_chooser.h"

#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <cstdlib>
#include <filesystem>

#include <imgui.h>

#include "app/jobs.h"
#include "ui/shell/automation.h"
#include "ui/shell/i18n.h"
#include "ui/shell/shell.h"
#include "ui/shell/theme.h"
#include "ui/widgets/file_browser.h"

extern char** environ;

namespace jc::ui {

namespace fs = std::filesystem;

const char* backendName(ChooserBackend b) {
    switch (b) {
        case ChooserBackend::Portal: return "portal";
        case ChooserBackend::Zenity: return "zenity";
        case ChooserBackend::Builtin: return "builtin";
        default: return "auto";
    }
}

ChooserBackend backendFromName(std::string_view name) {
    if (name == "portal") return ChooserBackend::Portal;
    if (name == "zenity") return ChooserBackend::Zenity;
    if (name == "builtin") return ChooserBackend::Builtin;
    return ChooserBackend::Auto;
}

bool matchesPatterns(std::string_view name, const std::vector<std::string>& patterns) {
    if (patterns.empty()) return true;
    auto lower = [](std::string_view s) {
        std::string o(s);
        for (char& c : o) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        return o;
    };
    std::string n = lower(name);
    for (const auto& p : patterns) {
        std::string q = lower(p);
        if (q == "*" || q == "*.*") return true;
        if (q.rfind("*", 0) == 0) {
            std::string tail = q.substr(1);
            if (n.size() >= tail.size() && n.compare(n.size() - tail.size(), tail.size(), tail) == 0) return true;
        } else if (n == q) {
            return true;
        }
    }
    return false;
}

std::string withExtension(const std::string& path, const FileRequest& request) {
    if (request.mode != FileRequest::Mode::Save || request.patterns.empty() || path.empty()) return path;
    std::string name = fs::path(path).filename().string();
    if (matchesPatterns(name, request.patterns)) return path;
    const std::string& first = request.patterns.front();
    if (first.rfind("*.", 0) != 0 || first.find_first_of("*?[", 1) != std::string::npos) return path;
    return path + first.substr(1);
}

namespace {
bool onPath(const char* program) {
    const char* path = std::getenv("PATH");
    if (!path) return false;
    std::string p = path;
    size_t start = 0;
    while (start <= p.size()) {
        size_t end = p.find(':', start);
        if (end == std::string::npos) end = p.size();
        fs::path candidate = fs::path(p.substr(start, end - start)) / program;
        if (::access(candidate.c_str(), X_OK) == 0) return true;
        start = end + 1;
    }
    return false;
}
}  // namespace

std::optional<std::vector<std::string>> runZenityChooser(const FileRequest& req, const std::atomic<bool>& cancel) {
    if (!std::getenv("DISPLAY") && !std::getenv("WAYLAND_DISPLAY")) return std::nullopt;
    if (!onPath("zenity")) return std::nullopt;
    std::vector<std::string> args = {"zenity", "--file-selection", "--separator=\n"};
    if (!req.title.empty()) args.push_back("--title=" + req.title);
    if (req.mode == FileRequest::Mode::OpenMany) args.push_back("--multiple");
    if (req.mode == FileRequest::Mode::Save) {
        args.push_back("--save");
        args.push_back("--confirm-overwrite");
    }
    std::string start = req.startDir.empty() ? std::string() : req.startDir + "/";
    if (req.mode == FileRequest::Mode::Save) start += req.suggestedName;
    if (!start.empty()) args.push_back("--filename=" + start);
    if (!req.patterns.empty()) {
        std::string f = (req.filterName.empty() ? std::string("*") : req.filterName) + " |";
        for (const auto& p : req.patterns) {
            f += " " + p;
            // zenity's patterns are case-sensitive: offer the upper-case spelling too (IMG_0001.JPG).
            std::string upper = p;
            for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
            if (upper != p) f += " " + upper;
        }
        args.push_back("--file-filter=" + f);
    }
    int out[2];
    if (::pipe(out) != 0) return std::nullopt;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, out[1], 1);
    posix_spawn_file_actions_addclose(&fa, out[0]);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_t pid = 0;
    int rc = posix_spawnp(&pid, "zenity", &fa, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    ::close(out[1]);
    if (rc != 0) {
        ::close(out[0]);
        return std::nullopt;
    }
    std::string text;
    char buf[4096];
    for (;;) {
        if (cancel.load()) {
            ::kill(pid, SIGTERM);
            break;
        }
        pollfd p{out[0], POLLIN, 0};
        int ready = ::poll(&p, 1, 100);
        if (ready < 0 && errno == EINTR) continue;
        if (ready <= 0) continue;
        ssize_t n = ::read(out[0], buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        text.append(buf, static_cast<size_t>(n));
    }
    ::close(out[0]);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (cancel.load()) return std::vector<std::string>{};
    if (!WIFEXITED(status)) return std::nullopt;
    int code = WEXITSTATUS(status);
    if (code == 1) return std::vector<std::string>{};  // cancelled or closed
    if (code != 0) return std::nullopt;                 // zenity could not run (no display …)
    std::vector<std::string> paths;
    size_t start2 = 0;
    while (start2 < text.size()) {
        size_t end = text.find('\n', start2);
        if (end == std::string::npos) end = text.size();
        if (end > start2) paths.push_back(text.substr(start2, end - start2));
        start2 = end + 1;
    }
    return paths;
}

FileChooser::FileChooser(MainThreadQueue& main, ChooserBackend preferred) : m_main(main), m_preferred(preferred) {
    if (const char* env = std::getenv("JIANCHA_FILE_CHOOSER"); env && *env && preferred == ChooserBackend::Auto)
        m_preferred = backendFromName(env);
}

FileChooser::~FileChooser() {
    if (m_cancel) m_cancel->store(true);
    if (m_thread.joinable()) m_thread.join();
}

bool FileChooser::open(FileRequest request, FilesChosen done) {
    if (m_busy) return false;
    if (m_thread.joinable()) m_thread.join();  // the last desktop dialog's thread has ended
    m_busy = true;
    if (request.startDir.empty()) request.startDir = m_lastDir;
    if (request.startDir.empty()) {
        const char* home = std::getenv("HOME");
        if (home && *home) request.startDir = home;
    }
    m_request = std::move(request);
    m_done = std::move(done);
    ChooserBackend b = m_preferred;
    if (b == ChooserBackend::Builtin) {
        openBuiltin();
        return true;
    }
    m_cancel = std::make_shared<std::atomic<bool>>(false);
    m_thread = std::thread([this, b, req = m_request, cancel = m_cancel]() {
        std::optional<std::vector<std::string>> got;
        ChooserBackend used = ChooserBackend::Builtin;
        if ((b == ChooserBackend::Auto || b == ChooserBackend::Portal) && portalAvailable()) {
            got = runPortalChooser(req, *cancel);
            used = ChooserBackend::Portal;
        }
        if (!got && (b == ChooserBackend::Auto || b == ChooserBackend::Zenity)) {
            got = runZenityChooser(req, *cancel);
            used = ChooserBackend::Zenity;
        }
        m_main.post([this, cancel, got = std::move(got), used]() mutable {
            if (cancel->load()) return;  // the chooser is gone
            if (!got) {
                openBuiltin();  // no desktop dialog could run: the built-in browser
                return;
            }
            m_last = used;
            finish(std::move(*got));
        });
    });
    return true;
}

void FileChooser::openBuiltin() {
    m_last = ChooserBackend::Builtin;
    m_browser = std::make_unique<FileBrowser>(m_request);
}

void FileChooser::draw(Shell& shell) {
    if (!m_confirm.empty()) {
        drawConfirm();
        return;
    }
    if (!m_browser) return;
    std::optional<std::vector<std::string>> result = m_browser->draw(shell);
    if (!result) return;
    m_browser.reset();
    finish(std::move(*result));
}

// Save mode: the extension, then "replace it?" when the file is there and no desktop dialog has
// asked about this very name.
void FileChooser::finish(std::vector<std::string> paths) {
    if (m_request.mode == FileRequest::Mode::Save && !paths.empty()) {
        std::string full = withExtension(paths.front(), m_request);
        std::error_code ec;
        bool asked = m_last != ChooserBackend::Builtin && full == paths.front();
        if (!asked && fs::exists(full, ec)) {
            m_confirm = full;
            return;
        }
        paths = {full};
    }
    done(std::move(paths));
}

void FileChooser::drawConfirm() {
    const char* popup = "###files.exists";
    std::string title = std::string(tr("files.exists_title")) + popup;
    if (!ImGui::IsPopupOpen(popup)) ImGui::OpenPopup(title.c_str());
    ImVec2 display = ImGui::GetIO().DisplaySize;
    ImGui::SetNextWindowPos(ImVec2(display.x * 0.5f, display.y * 0.5f), ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
    if (!ImGui::BeginPopupModal(title.c_str(), nullptr, ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoSavedSettings)) return;
    fs::path p(m_confirm);
    ImGui::TextUnformatted(trf("files.exists_text", {p.filename().string()}).c_str());
    mark("files.exists");
    ImGui::TextColored(theme::kMuted, "%s", trf("files.exists_where", {p.parent_path().string()}).c_str());
    ImGui::Spacing();
    int answer = 0;  // 1 replace, 2 choose another name
    ImGui::PushStyleColor(ImGuiCol_Button, theme::kRed);
    if (ImGui::Button(trId("files.replace"))) answer = 1;
    ImGui::PopStyleColor();
    mark("files.replace");
    ImGui::SameLine();
    if (ImGui::Button(trId("files.other_name")) || ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape))) answer = 2;
    mark("files.other_name");
    if (answer) ImGui::CloseCurrentPopup();
    ImGui::EndPopup();
    if (answer == 1) {
        std::string path = std::move(m_confirm);
        m_confirm.clear();
        done({path});
    } else if (answer == 2) {
        // Back to a chooser at that folder with that name, to type another one.
        m_request.startDir = p.parent_path().string();
        m_request.suggestedName = p.filename().string();
        m_confirm.clear();
        FileRequest again = m_request;
        FilesChosen then = std::move(m_done);
        m_busy = false;
        open(std::move(again), std::move(then));
    }
}

void FileChooser::done(std::vector<std::string> paths) {
    m_busy = false;
    if (!paths.empty()) m_lastDir = fs::path(paths.front()).parent_path().string();
    FilesChosen cb = std::move(m_done);
    m_done = {};
    if (cb) cb(std::move(paths));
}

}  // namespace jc::ui
