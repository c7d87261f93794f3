// End-to-end under X (Xvfb in CI): the real `jiancha` binary, driven with xdotool.
//  - an inspector types a finding (Chinese typed as Unicode characters), saves with Ctrl+S,
//    quits with Ctrl+Q; the CLI finds it in the store;
//  - the client is killed with SIGKILL while typing; what was typed more than a second before
//    is in the store, and the restarted client opens the draft;
//  - screenshots of the main screens over a store with 100,000 findings are written to
//    ${JIANCHA_BUILD_DIR}/screenshots (home, list, editor with photos, review queue, complaints
//    with yellow and red cards, rectifications, warnings, settings).
// DISPLAY must point at a running X server: without one these tests fail (they do not skip).
#include <catch2/catch.hpp>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <dlfcn.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <set>
#include <thread>
#include <vector>

#include "app/evidence_commands.h"
#include "core/uuid.h"
#include "demo_store.h"
#include "store/store.h"

extern char** environ;

using namespace jc;
namespace fs = std::filesystem;

namespace {

#ifndef JIANCHA_BIN
#error "JIANCHA_BIN must name the jiancha binary"
#endif

void requireDisplay() {
    const char* d = std::getenv("DISPLAY");
    if (!d || !*d)
        FAIL("DISPLAY is not set: the end-to-end UI tests need an X server, e.g.\n"
             "  Xvfb :99 -screen 0 1366x768x24 & export DISPLAY=:99");
    REQUIRE(std::system("xdotool version > /dev/null 2>&1") == 0);
}

std::string shellQuote(const std::string& s) {
    std::string out = "'";
    for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

std::string capture(const std::string& cmd) {
    std::string out;
    FILE* p = ::popen(cmd.c_str(), "r");
    if (!p) return out;
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    ::pclose(p);
    return out;
}

int cli(const fs::path& dir, const std::string& args) {
    return std::system((std::string(JIANCHA_BIN) + " --data-dir " + shellQuote(dir.string()) + " " + args + " > /dev/null").c_str());
}

struct Dir {
    fs::path path;
    explicit Dir(const std::string& tag) {
        path = fs::temp_directory_path() / ("jc_e2e_" + tag + "_" + newUuidV7());
        fs::create_directories(path);
    }
    ~Dir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
};

// The GUI as a child process, stderr to a log file.
class Client {
public:
    Client(const fs::path& dataDir, const std::vector<std::string>& guiArgs, const std::string& asUser = {}) {
        m_log = dataDir.parent_path() / (dataDir.filename().string() + "-gui.log");
        std::vector<std::string> args = {JIANCHA_BIN, "--data-dir", dataDir.string()};
        if (!asUser.empty()) args.insert(args.end(), {"--as", asUser});
        args.push_back("gui");
        args.insert(args.end(), guiArgs.begin(), guiArgs.end());
        std::vector<char*> argv;
        for (auto& a : args) argv.push_back(a.data());
        argv.push_back(nullptr);
        posix_spawn_file_actions_t fa;
        posix_spawn_file_actions_init(&fa);
        posix_spawn_file_actions_addopen(&fa, 2, m_log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        setenv("JIANCHA_NO_OPEN", "1", 1);
        REQUIRE(posix_spawn(&m_pid, JIANCHA_BIN, &fa, nullptr, argv.data(), environ) == 0);
        posix_spawn_file_actions_destroy(&fa);
    }
    ~Client() {
        if (m_pid > 0) {
            ::kill(m_pid, SIGKILL);
            ::waitpid(m_pid, nullptr, 0);
        }
    }
    // The client's X window (searched by process id), waiting up to `seconds`.
    std::string window(double seconds = 30) {
        auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
        while (std::chrono::steady_clock::now() < end) {
            std::string out = capture("xdotool search --onlyvisible --pid " + std::to_string(m_pid) + " 2>/dev/null | head -1");
            while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
            if (!out.empty()) return out;
            if (exited()) break;
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        FAIL("the client window did not appear; log:\n" << log());
        return {};
    }
    bool exited() {
        if (m_pid <= 0) return true;
        int st = 0;
        if (::waitpid(m_pid, &st, WNOHANG) == m_pid) {
            m_pid = -1;
            m_status = st;
            return true;
        }
        return false;
    }
    // Waits for a normal exit; returns the exit code (-1 on timeout or a signal).
    int wait(double seconds = 30) {
        auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
        while (std::chrono::steady_clock::now() < end) {
            if (exited()) return WIFEXITED(m_status) ? WEXITSTATUS(m_status) : -1;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        return -1;
    }
    void killHard() {
        ::kill(m_pid, SIGKILL);
        ::waitpid(m_pid, nullptr, 0);
        m_pid = -1;
    }
    std::string log() const {
        std::ifstream in(m_log);
        std::stringstream ss;
        ss << in.rdbuf();
        return ss.str();
    }

private:
    pid_t m_pid = -1;
    int m_status = 0;
    fs::path m_log;
};

void xdo(const std::string& win, const std::string& cmd) {
    std::string full = "xdotool " + cmd;
    INFO("running " << full);
    REQUIRE(std::system(full.c_str()) == 0);
    (void)win;
}

void pause(double s) { std::this_thread::sleep_for(std::chrono::duration<double>(s)); }

// xdotool types a character missing from the keymap by binding it to a spare keycode, pressing
// it and unbinding it at once; an X client looks keycodes up lazily (after MappingNotify), so a
// client busy rendering a frame reads the key after the unbinding and the character is lost.
// So the test binds every character it will type to its own keycode first (what an installed
// input method or keyboard layout would provide); xdotool then finds them and never remaps.
// libX11 is loaded at run time: the test links no X library.
void premapCharacters(const std::string& utf8) {
    using Display = void;
    void* x11 = dlopen("libX11.so.6", RTLD_NOW);
    REQUIRE(x11);
    auto openDisplay = reinterpret_cast<Display* (*)(const char*)>(dlsym(x11, "XOpenDisplay"));
    auto displayKeycodes = reinterpret_cast<int (*)(Display*, int*, int*)>(dlsym(x11, "XDisplayKeycodes"));
    auto getMapping = reinterpret_cast<unsigned long* (*)(Display*, unsigned char, int, int*)>(dlsym(x11, "XGetKeyboardMapping"));
    auto changeMapping = reinterpret_cast<int (*)(Display*, int, int, unsigned long*, int)>(dlsym(x11, "XChangeKeyboardMapping"));
    auto xfree = reinterpret_cast<int (*)(void*)>(dlsym(x11, "XFree"));
    auto xsync = reinterpret_cast<int (*)(Display*, int)>(dlsym(x11, "XSync"));
    auto closeDisplay = reinterpret_cast<int (*)(Display*)>(dlsym(x11, "XCloseDisplay"));
    REQUIRE((openDisplay && displayKeycodes && getMapping && changeMapping && xfree && xsync && closeDisplay));
    Display* dpy = openDisplay(nullptr);
    REQUIRE(dpy);
    int minKc = 0, maxKc = 0;
    displayKeycodes(dpy, &minKc, &maxKc);
    int per = 0;
    unsigned long* map = getMapping(dpy, static_cast<unsigned char>(minKc), maxKc - minKc + 1, &per);
    std::set<unsigned long> present;
    std::vector<int> free;
    for (int kc = minKc; kc <= maxKc; ++kc) {
        bool empty = true;
        for (int i = 0; i < per; ++i) {
            unsigned long ks = map[(kc - minKc) * per + i];
            if (ks) empty = false, present.insert(ks);
        }
        if (empty) free.push_back(kc);
    }
    xfree(map);
    std::vector<unsigned long> wanted;
    for (size_t i = 0; i < utf8.size();) {
        unsigned char c = static_cast<unsigned char>(utf8[i]);
        int len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : 4;
        uint32_t cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
        for (int k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(utf8[i + static_cast<size_t>(k)]) & 0x3F);
        i += static_cast<size_t>(len);
        if (cp < 0x80) continue;
        unsigned long ks = 0x01000000UL | cp;
        if (!present.count(ks) && std::find(wanted.begin(), wanted.end(), ks) == wanted.end()) wanted.push_back(ks);
    }
    REQUIRE(wanted.size() <= free.size());
    for (size_t i = 0; i < wanted.size(); ++i) {
        unsigned long syms[2] = {wanted[i], wanted[i]};
        changeMapping(dpy, free[i], 2, syms, 1);
    }
    xsync(dpy, 0);
    closeDisplay(dpy);
    dlclose(x11);
    pause(0.3);  // let clients see the MappingNotify
}

void typeText(const std::string& text, int delayMs = 60) {
    premapCharacters(text);
    std::string cmd = "xdotool type --delay " + std::to_string(delayMs) + " " + shellQuote(text);
    INFO("running " << cmd);
    REQUIRE(std::system(cmd.c_str()) == 0);
}

// A fresh store: HQ set-up, inspector 张伟, a campaign in Zhangye.
void freshStore(const fs::path& dir) {
    REQUIRE(cli(dir, "init --user 总部管理员 --role hq_admin") == 0);
    REQUIRE(cli(dir, "user add --name 张伟 --role inspector") == 0);
    REQUIRE(cli(dir, "campaign add --title 2026年张掖市行政效能专项监察 --region 6207") == 0);
}

std::string findingsJson(const fs::path& dir) {
    return capture(std::string(JIANCHA_BIN) + " --data-dir " + shellQuote(dir.string()) + " --json finding list");
}

}  // namespace

TEST_CASE("an inspector types a finding in the real window; the CLI sees it", "[e2e]") {
    requireDisplay();
    Dir d("type");
    fs::path data = d.path / "data";
    fs::create_directories(fs::path(JIANCHA_BUILD_DIR) / "screenshots");
    freshStore(data);
    Client c(data, {}, "张伟");
    std::string win = c.window();
    pause(1.5);  // first frames, session loaded
    xdo(win, "windowfocus --sync " + win);
    xdo(win, "key ctrl+n");
    pause(1.0);
    typeText("拖欠农民工工资：堃喆劳务公司 xdotool");
    pause(0.3);
    xdo(win, "key ctrl+s");
    pause(1.5);
    std::system(("import -window root " + shellQuote((fs::path(JIANCHA_BUILD_DIR) / "screenshots" / "e2e-typed.png").string()) +
                 " 2>/dev/null").c_str());
    xdo(win, "key ctrl+q");
    INFO("client log:\n" << c.log());
    CHECK(c.wait(20) == 0);
    std::string list = findingsJson(data);
    INFO("finding list: " << list);
    CHECK(list.find("拖欠农民工工资：堃喆劳务公司 xdotool") != std::string::npos);
}

TEST_CASE("killing the client while typing loses nothing typed more than a second before", "[e2e]") {
    requireDisplay();
    Dir d("kill");
    fs::path data = d.path / "data";
    fs::create_directories(fs::path(JIANCHA_BUILD_DIR) / "screenshots");
    freshStore(data);
    {
        Client c(data, {}, "张伟");
        std::string win = c.window();
        pause(1.5);
        xdo(win, "windowfocus --sync " + win);
        xdo(win, "key ctrl+n");
        pause(1.0);
        typeText("食品安全监督抽查：監察局");
        pause(1.2);  // more than a second: this part must survive
        // Keep typing, and pull the plug in the middle of it.
        premapCharacters("继续输入的文字");
        std::thread typing([&] { std::system(("xdotool type --delay 120 " + shellQuote("继续输入的文字继续输入的文字")).c_str()); });
        pause(0.5);
        c.killHard();
        typing.join();
    }
    std::string list = findingsJson(data);
    INFO("finding list after kill -9: " << list);
    CHECK(list.find("食品安全监督抽查：監察局") != std::string::npos);

    // The restarted client opens the draft (no error, window up); the CLI still sees it.
    Client again(data, {"--view", "findings"}, "张伟");
    again.window();
    pause(2.0);
    CHECK_FALSE(again.exited());
    std::system(("import -window root " + shellQuote((fs::path(JIANCHA_BUILD_DIR) / "screenshots" / "e2e-after-kill.png").string()) +
                 " 2>/dev/null").c_str());
}

namespace {

struct Shot {
    const char* name;
    const char* user;
    std::vector<std::string> args;
};

// Photos for the editor screenshot: drawn with ImageMagick (no camera in CI).
std::vector<fs::path> makePhotos(const fs::path& dir) {
    fs::create_directories(dir);
    const char* font = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";
    struct P {
        const char* file;
        const char* colors;
        const char* text;
    } photos[] = {{"工地公示牌.jpg", "#7da7d9-#f0e6c8", "工资公示牌"},
                  {"欠薪名册.jpg", "#c8d8c0-#f7f3ea", "欠薪名册"},
                  {"项目现场.jpg", "#a89880-#d9cbb0", "项目现场"},
                  {"约谈记录.png", "#e8e8f0-#ffffff", "约谈记录"}};
    std::vector<fs::path> out;
    for (const auto& p : photos) {
        fs::path f = dir / p.file;
        std::string cmd = std::string("convert -size 960x720 gradient:'") + p.colors + "' -font " + font +
                          " -pointsize 96 -fill '#333333' -gravity center -annotate +0+0 '" + p.text + "' " +
                          shellQuote(f.string()) + " 2>/dev/null";
        if (std::system(cmd.c_str()) == 0 && fs::exists(f)) out.push_back(f);
    }
    return out;
}

// A draft of 张伟 with template facts, with the photos attached; returns its local number.
std::string draftWithPhotos(const fs::path& store, const std::vector<fs::path>& photos) {
    Store s((store / "jiancha.db").string());
    auto q = s.db().prepare(
        "SELECT f.id, f.local_number FROM finding f WHERE f.status = 'draft' AND f.created_by = '张伟' AND "
        "f.category = 'wage_arrears' AND f.narrative IS NOT NULL ORDER BY f.created_at DESC LIMIT 1");
    REQUIRE(q.step());
    std::string id = q.getText(0), number = q.getText(1);
    q.reset();
    if (s.db().queryInt("SELECT count(*) FROM evidence WHERE owner_id = '" + id + "'") == 0) {
        AppContext ctx{s, loadActor(s, "张伟"), calendarFromStore(s), std::nullopt};
        const char* captions[] = {"项目部张贴的工资发放公示", "施工方提供的欠薪名册", "项目现场全景", "约谈项目负责人记录"};
        for (size_t i = 0; i < photos.size(); ++i) addEvidence(ctx, "finding", id, photos[i].string(), captions[i % 4]);
    }
    return number;
}

}  // namespace

TEST_CASE("screenshots of the main screens over 100,000 findings", "[e2e][screenshots]") {
    requireDisplay();
    fs::path build(JIANCHA_BUILD_DIR);
    fs::path store = build / "ui-demo-store";
    fs::path shots = build / "screenshots";
    fs::create_directories(shots);
    test::ensureDemoStore(store, 100'000);
    std::string number = draftWithPhotos(store, makePhotos(build / "ui-demo-photos"));
    const std::string today = test::kDemoToday;
    const Shot list[] = {
        {"home", "陈静", {"--view", "home"}},
        {"findings-100k", "陈静", {"--view", "findings"}},
        {"findings-search", "陈静", {"--view", "findings", "--search", "欠薪 甘州"}},
        {"editor-photos", "张伟", {"--view", "findings", "--open", number}},
        {"review-queue", "陈静", {"--view", "review"}},
        {"complaints-cards", "陈静", {"--view", "complaints"}},
        {"rectifications", "陈静", {"--view", "rectifications"}},
        {"warnings", "陈静", {"--view", "warnings"}},
        {"home-inspector", "张伟", {"--view", "home"}},
        {"findings-en", "陈静", {"--view", "findings", "--lang", "en"}},
    };
    for (const auto& s : list) {
        fs::path png = shots / (std::string(s.name) + ".png");
        fs::remove(png);
        std::vector<std::string> args = s.args;
        args.insert(args.end(), {"--today", today, "--screenshot", png.string(), "--timing"});
        Client c(store, args, s.user);
        int code = c.wait(180);
        std::string log = c.log();
        INFO("screen " << s.name << " log:\n" << log);
        CHECK(code == 0);
        CHECK(fs::exists(png));
        CHECK(log.find("before everything loaded") == std::string::npos);
        // The client reports what it could not draw: nothing may be missing from the fonts.
        CHECK(log.find("\"unavailable_glyphs\": 0") != std::string::npos);
        CHECK(log.find("\"missing_strings\": 0") != std::string::npos);
    }
}
