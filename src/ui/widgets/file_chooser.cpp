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

#include "app/jobs.h"
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
    if (!m_browser) return;
    std::optional<std::vector<std::string>> result = m_browser->draw(shell);
    if (!result) return;
    m_browser.reset();
    finish(std::move(*result));
}

void FileChooser::finish(std::vector<std::string> paths) {
    m_busy = false;
    if (!paths.empty()) m_lastDir = fs::path(paths.front()).parent_path().string();
    FilesChosen done = std::move(m_done);
    m_done = {};
    if (done) done(std::move(paths));
}

}  // namespace jc::ui
