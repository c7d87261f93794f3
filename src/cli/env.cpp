#include "cli/env.h"

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "app/paths.h"
#include "app/protection.h"
#include "core/error.h"

namespace jc::cli {

bool Env::storeExists() const { return std::filesystem::exists(storePath(dataDir)); }

void Env::requireStore() const {
    if (!storeExists()) throw UsageError(trf("cli.no_store", {dataDir.string()}));
}

Store& Env::store() {
    if (!m_store) {
        std::error_code ec;
        std::filesystem::create_directories(dataDir, ec);
        if (ec) throw StorageError(trf("cli.cannot_create_dir", {dataDir.string(), ec.message()}));
        if (storeLockState(dataDir) == StoreLock::Locked && !signIn(dataDir, passphrase()))
            throw LockedError(tr("cli.wrong_passphrase"));
        m_store = std::make_unique<Store>(storePath(dataDir).string());
    }
    return *m_store;
}

namespace {
std::string readPassphraseFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw UsageError(trf("cli.passphrase_file_unreadable", {path}));
    std::stringstream ss;
    ss << in.rdbuf();
    std::string p = ss.str();
    while (!p.empty() && (p.back() == '\n' || p.back() == '\r')) p.pop_back();  // one line
    return p;
}

// Reads one line from the terminal with echo off.
std::string promptTerminal(const std::string& prompt) {
    int fd = ::open("/dev/tty", O_RDWR | O_CLOEXEC);
    if (fd < 0) throw UsageError(tr("cli.passphrase_needed"));
    ssize_t w = ::write(fd, prompt.data(), prompt.size());
    (void)w;
    termios old {};
    bool restore = ::tcgetattr(fd, &old) == 0;
    if (restore) {
        termios quiet = old;
        quiet.c_lflag &= static_cast<tcflag_t>(~ECHO);
        ::tcsetattr(fd, TCSAFLUSH, &quiet);
    }
    std::string line;
    char c = 0;
    while (::read(fd, &c, 1) == 1 && c != '\n') line += c;
    if (restore) ::tcsetattr(fd, TCSAFLUSH, &old);
    w = ::write(fd, "\n", 1);
    ::close(fd);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
}
}  // namespace

namespace {
std::string askTerminal(bool twice) {
    if (!::isatty(STDIN_FILENO)) throw UsageError(tr("cli.passphrase_needed"));
    std::string p = promptTerminal(tr(twice ? "cli.passphrase_prompt_new" : "cli.passphrase_prompt"));
    if (twice && promptTerminal(tr("cli.passphrase_prompt_again")) != p) throw ValidationError(tr("cli.passphrase_mismatch"));
    return p;
}
}  // namespace

std::string Env::passphrase(bool confirm) {
    if (!passphraseFile.empty()) return readPassphraseFile(passphraseFile);
    if (const char* p = std::getenv("JIANCHA_PASSPHRASE"); p && *p) return p;
    return askTerminal(confirm);
}

std::string Env::newPassphrase(const std::string& file) {
    if (!file.empty()) return readPassphraseFile(file);
    if (const char* p = std::getenv("JIANCHA_NEW_PASSPHRASE"); p && *p) return p;
    return askTerminal(true);
}

AppContext& Env::ctx() {
    if (!m_ctx) {
        requireStore();
        Store& s = store();
        m_ctx = std::make_unique<AppContext>(AppContext{s, loadActor(s, asUser), calendarFromStore(s), std::nullopt});
        // JIANCHA_TODAY pins "today" (YYYY-MM-DD) for reproducible deadlines in scripts and tests.
        if (const char* t = std::getenv("JIANCHA_TODAY"); t && *t) m_ctx->todayOverride = Date::parse(t);
    }
    return *m_ctx;
}

}  // namespace jc::cli
