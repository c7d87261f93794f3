#include "app/outside_viewer.h"

#include <fcntl.h>
#include <linux/magic.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "app/protection.h"
#include "base/file_io.h"
#include "core/error.h"
#include "core/i18n.h"

extern char** environ;

namespace jc {

namespace fs = std::filesystem;

namespace {

double nowSeconds() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// Field 22 of /proc/<pid>/stat (start time in clock ticks since boot): with the pid, it names
// one process for good (a reused pid has another start time). "" when the process is gone.
std::string processStart(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    if (!std::getline(in, line)) return "";
    size_t close = line.rfind(')');
    if (close == std::string::npos) return "";
    std::istringstream rest(line.substr(close + 2));
    std::string field;
    for (int i = 3; i <= 22 && rest >> field; ++i) {
        if (i == 22) return field;
    }
    return "";
}

std::string instanceName() { return std::to_string(::getpid()) + "-" + processStart(::getpid()); }

bool instanceAlive(const std::string& name) {
    size_t dash = name.find('-');
    if (dash == std::string::npos || dash == 0) return false;
    char* end = nullptr;
    long pid = std::strtol(name.c_str(), &end, 10);
    if (end != name.c_str() + dash || pid <= 0) return false;
    std::string start = processStart(static_cast<pid_t>(pid));
    return !start.empty() && start == name.substr(dash + 1);
}

// A private folder of ours: a real directory (not a link), owned by us, nobody else may enter.
void makePrivateDir(const fs::path& dir) {
    if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST)
        throw StorageError(trf("app.err_cannot_write", {dir.string(), std::strerror(errno)}));
    struct stat st {};
    if (::lstat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != ::getuid())
        throw ValidationError(trf("app.err_viewer_dir_not_private", {dir.string()}));
    if ((st.st_mode & 0777) != 0700 && ::chmod(dir.c_str(), 0700) != 0)
        throw ValidationError(trf("app.err_viewer_dir_not_private", {dir.string()}));
}

}  // namespace

fs::path viewerCopyRoot() {
    const char* env = std::getenv("XDG_RUNTIME_DIR");
    if (!env || !*env) throw ValidationError(tr("app.err_runtime_dir_unset"));
    fs::path run(env);
    struct stat st {};
    if (::stat(run.c_str(), &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != ::getuid() || (st.st_mode & 077) != 0)
        throw ValidationError(trf("app.err_viewer_dir_not_private", {run.string()}));
    struct statfs fsInfo {};
    if (::statfs(run.c_str(), &fsInfo) != 0 ||
        (static_cast<unsigned long>(fsInfo.f_type) != TMPFS_MAGIC && static_cast<unsigned long>(fsInfo.f_type) != RAMFS_MAGIC))
        throw ValidationError(trf("app.err_runtime_dir_not_ram", {run.string()}));
    fs::path root = run / "jiancha-open";
    makePrivateDir(root);
    return root;
}

int sweepViewerCopies() {
    fs::path root;
    try {
        root = viewerCopyRoot();
    } catch (const std::exception&) {
        return 0;  // no private runtime folder: no copy was ever made there
    }
    int removed = 0;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(root, ec)) {
        if (instanceAlive(e.path().filename().string())) continue;
        std::error_code rm;
        fs::remove_all(e.path(), rm);
        if (!rm) ++removed;
    }
    return removed;
}

bool fileOpenByAnyProcess(const fs::path& file) {
    std::string target = file.string();
    uid_t me = ::getuid();
    std::error_code ec;
    for (const auto& proc : fs::directory_iterator("/proc", ec)) {
        const std::string name = proc.path().filename().string();
        if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
        struct stat st {};
        if (::stat(proc.path().c_str(), &st) != 0 || st.st_uid != me) continue;
        std::error_code fdEc;
        for (const auto& fd : fs::directory_iterator(proc.path() / "fd", fdEc)) {
            char buf[4096];
            ssize_t n = ::readlink(fd.path().c_str(), buf, sizeof buf - 1);
            if (n > 0 && static_cast<size_t>(n) == target.size() && target.compare(0, target.size(), buf, static_cast<size_t>(n)) == 0)
                return true;
        }
    }
    return false;
}

OutsideViewer::OutsideViewer() { sweepViewerCopies(); }

OutsideViewer::~OutsideViewer() {
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_cv.notify_all();
    if (m_thread.joinable()) m_thread.join();
    removeCopies();
    std::error_code ec;
    if (!m_dir.empty()) fs::remove_all(m_dir, ec);
}

fs::path OutsideViewer::instanceDir() {
    if (m_dir.empty()) {
        fs::path dir = viewerCopyRoot() / instanceName();
        makePrivateDir(dir);
        m_dir = fs::weakly_canonical(dir);
    }
    return m_dir;
}

fs::path OutsideViewer::open(const fs::path& blobFile, const std::string& fileName, bool encrypted, const std::string& program) {
    std::string name = fs::path(fileName).filename().string();
    if (name.empty() || name == "." || name == "..") name = blobFile.filename().string();
    fs::path target;
    {
        std::lock_guard lock(m_mutex);
        fs::path base;
        if (encrypted) {
            base = instanceDir();  // throws when no private RAM-backed folder: no copy on disk
        } else {
            try {
                base = instanceDir();
            } catch (const std::exception&) {  // a plain store: a link reveals nothing more than the store
                base = fs::temp_directory_path() / ("jiancha-open-" + std::to_string(::getuid()));
                makePrivateDir(base);
            }
        }
        fs::path dir;
        for (int i = 1;; ++i) {  // one folder per opening, so the file keeps its own name
            dir = base / std::to_string(i);
            if (::mkdir(dir.c_str(), 0700) == 0) break;
            if (errno != EEXIST) throw StorageError(trf("app.err_cannot_write", {dir.string(), std::strerror(errno)}));
        }
        target = dir / name;
        if (encrypted) {
            std::string bytes = readEvidenceFile(blobFile);
            FileHandle f = FileHandle::open(target, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0600);
            bool ok = f && ::fchmod(f.get(), 0600) == 0 && writeAll(f.get(), bytes.data(), bytes.size()) && f.close();
            int err = errno;
            std::fill(bytes.begin(), bytes.end(), '\0');
            if (!ok) {
                std::error_code ec;
                fs::remove_all(dir, ec);
                throw StorageError(trf("app.err_cannot_write", {target.string(), std::strerror(err)}));
            }
        } else {
            std::error_code ec;
            fs::create_symlink(fs::absolute(blobFile), target, ec);
            if (ec) throw StorageError(trf("app.err_cannot_write", {target.string(), ec.message()}));
        }
    }
    pid_t pid = 0;
    std::string arg = target.string();
    char* argv[] = {const_cast<char*>(program.c_str()), arg.data(), nullptr};
    if (posix_spawnp(&pid, program.c_str(), nullptr, nullptr, argv, environ) != 0) {
        std::error_code ec;
        fs::remove_all(target.parent_path(), ec);
        throw ValidationError(trf("app.err_viewer_failed", {program}));
    }
    {
        std::lock_guard lock(m_mutex);
        m_copies.push_back(Copy{target, pid, 0, 0, false});
        if (!m_thread.joinable()) m_thread = std::thread([this] { watch(); });
    }
    m_cv.notify_all();
    return target;
}

void OutsideViewer::removeCopies() {
    std::lock_guard lock(m_mutex);
    for (auto& c : m_copies) {
        if (c.path.empty()) continue;
        std::error_code ec;
        fs::remove_all(c.path.parent_path(), ec);
        c.path.clear();  // kept until its program is reaped
    }
}

std::vector<fs::path> OutsideViewer::copies() const {
    std::lock_guard lock(m_mutex);
    std::vector<fs::path> out;
    for (const auto& c : m_copies)
        if (!c.path.empty()) out.push_back(c.path);
    return out;
}

void OutsideViewer::watch() {
    std::unique_lock lock(m_mutex);
    while (!m_stop) {
        m_cv.wait_for(lock, std::chrono::milliseconds(500));
        if (m_stop) break;
        double t = nowSeconds();
        for (auto& c : m_copies) {
            if (c.pid > 0) {
                pid_t r = ::waitpid(c.pid, nullptr, WNOHANG);
                if (r == c.pid || (r < 0 && errno == ECHILD)) {
                    c.pid = 0;
                    c.endedAt = t;
                }
            }
        }
        // Which copies are still held open: read without the lock (it walks /proc).
        std::vector<fs::path> check;
        for (const auto& c : m_copies)
            if (!c.path.empty()) check.push_back(c.path);  // while the program runs too: it may be the viewer
        if (check.empty()) {
            std::erase_if(m_copies, [](const Copy& c) { return c.pid == 0 && c.path.empty(); });
            continue;
        }
        lock.unlock();
        std::vector<bool> open;
        for (const auto& p : check) open.push_back(fileOpenByAnyProcess(p));
        lock.lock();
        t = nowSeconds();
        for (auto& c : m_copies) {
            for (size_t i = 0; i < check.size(); ++i) {
                if (c.path != check[i]) continue;
                if (open[i]) {
                    c.seenOpen = true;
                    c.lastOpenAt = t;
                }
                if (c.pid > 0) continue;  // the program we started still runs
                double since = c.seenOpen ? t - std::max(c.lastOpenAt, c.endedAt) : t - c.endedAt;
                if (since >= (c.seenOpen ? kGraceSeconds : kUnusedLimit) && !open[i]) {
                    std::error_code ec;
                    fs::remove_all(c.path.parent_path(), ec);
                    c.path.clear();
                }
            }
        }
        std::erase_if(m_copies, [](const Copy& c) { return c.pid == 0 && c.path.empty(); });
    }
}

}  // namespace jc
