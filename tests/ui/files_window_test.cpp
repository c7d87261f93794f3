// The file chooser in the real window under X (Xvfb in CI), driven with xdotool like a user with
// a mouse: the `jiancha` binary writes its named widgets' rectangles to JIANCHA_AUTOMATION_FILE
// after every frame, and the test clicks them.
//  - an export through the built-in browser: the browser opens in the home folder, a folder is
//    entered with one click, the proposed name is replaced, 保存 writes the XLSX; the same name
//    again asks before replacing;
//  - an import through the built-in browser: 电子监察's 选择文件… lists a folder with Chinese
//    names, one click and 打开 preview the CSV, 导入 writes the records;
// Screenshots of each step go to ${JIANCHA_BUILD_DIR}/screenshots (files-*.png).
// DISPLAY must point at a running X server with xdotool and ImageMagick's import installed.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>

#include "app/finding_commands.h"
#include "support/run_process.h"
#include "support/wait_for.h"
#include "support/x_display.h"
#include "ui_harness.h"

extern char** environ;

using namespace jc;
using namespace jc::test;

namespace {

// The client's trace (JIANCHA_TRACE_KEYS) after byte `from` of its log: a line per frame drawn
// ("frame N text_input B", printed after the frame's widgets went to the automation file) and one
// per key event as the client receives it ("key K scancode S action A mods M").
struct Trace {
    int frames = 0;              // frames drawn
    int presses = 0;             // keys pressed, modifiers not counted
    int framesAfterLastKey = 0;  // frames drawn after the last key event of any kind
    Trace(const std::string& log, size_t from) {
        std::istringstream in(log.substr(std::min(from, log.size())));
        for (std::string line; std::getline(in, line);) {
            int key = 0, scancode = 0, action = 0, mods = 0, frame = 0, text = 0;
            if (std::sscanf(line.c_str(), "key %d scancode %d action %d mods %d", &key, &scancode, &action, &mods) == 4) {
                framesAfterLastKey = 0;
                if (action == 1 && (key < 340 || key > 347)) ++presses;  // GLFW_KEY_LEFT_SHIFT … GLFW_KEY_RIGHT_SUPER
            } else if (std::sscanf(line.c_str(), "frame %d text_input %d", &frame, &text) == 2) {
                ++frames;
                ++framesAfterLastKey;
            }
        }
    }
};

// The GUI as a child process with its own HOME (the browser starts there) and chooser.
//
// Nothing here sleeps a fixed time: each step waits for what it needs, read from the client's
// automation file (the named widgets of the last frame, and whether anything is loading) and its
// trace (the frames drawn, the keys received). An X event reaches the client before the xdotool
// that sent it exits, and the client reads events between frames, so the second frame begun
// after xdotool returned has seen it; an idle client draws a frame at least every 0.5 s.
class Window {
public:
    Window(const fs::path& data, const fs::path& home, const std::string& user, const std::string& chooser,
           const std::vector<std::string>& guiArgs)
        : m_widgets(data.parent_path() / (data.filename().string() + "-widgets.txt")),
          m_log(data.parent_path() / (data.filename().string() + "-gui.log")) {
        fs::remove(m_widgets);
        std::vector<std::string> args = {JIANCHA_BIN, "--data-dir", data.string(), "--as", user, "gui", "--no-sync"};
        args.insert(args.end(), guiArgs.begin(), guiArgs.end());
        std::vector<std::string> env;
        for (char** e = environ; *e; ++e) {
            std::string v = *e;
            if (v.rfind("HOME=", 0) == 0 || v.rfind("JIANCHA_", 0) == 0) continue;
            env.push_back(v);
        }
        env.push_back("HOME=" + home.string());
        env.push_back("JIANCHA_FILE_CHOOSER=" + chooser);
        env.push_back("JIANCHA_AUTOMATION_FILE=" + m_widgets.string());
        env.push_back("JIANCHA_NO_OPEN=1");
        env.push_back("JIANCHA_TRACE_KEYS=1");  // frames and key events in the log (Trace)
        std::vector<char*> argv, envp;
        for (auto& a : args) argv.push_back(a.data());
        argv.push_back(nullptr);
        for (auto& e : env) envp.push_back(e.data());
        envp.push_back(nullptr);
        posix_spawn_file_actions_t fa;
        posix_spawn_file_actions_init(&fa);
        posix_spawn_file_actions_addopen(&fa, 2, m_log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        REQUIRE(posix_spawn(&m_pid, JIANCHA_BIN, &fa, nullptr, argv.data(), envp.data()) == 0);
        posix_spawn_file_actions_destroy(&fa);
        // The X window, found by the process id.
        waitFor(
            [&] {
                auto r = runProcess("xdotool", {"search", "--onlyvisible", "--pid", std::to_string(m_pid)});
                m_win = r.out.substr(0, r.out.find('\n'));
                return !m_win.empty();
            },
            30, std::chrono::milliseconds(100));
        INFO("log: " << log());
        REQUIRE_FALSE(m_win.empty());
    }
    ~Window() {
        // A desktop dialog still open is the client's child: it goes first, then the client.
        runProcess("pkill", {"-TERM", "-P", std::to_string(m_pid)});
        ::kill(m_pid, SIGTERM);
        if (waitFor([&] { return ::waitpid(m_pid, nullptr, WNOHANG) == m_pid; }, 5, std::chrono::milliseconds(50))) return;
        ::kill(m_pid, SIGKILL);
        ::waitpid(m_pid, nullptr, 0);
    }

    // The named widgets of the last frame.
    std::map<std::string, ui::automation::ItemRect> widgets() {
        std::map<std::string, ui::automation::ItemRect> out;
        std::istringstream in(slurp(m_widgets));
        for (std::string line; std::getline(in, line);) {
            size_t tab = line.find('\t');
            if (tab == std::string::npos || line[0] == '#') continue;
            ui::automation::ItemRect r;
            std::istringstream nums(line.substr(tab + 1));
            nums >> r.x0 >> r.y0 >> r.x1 >> r.y1;
            out[line.substr(0, tab)] = r;
        }
        return out;
    }
    // Whether the last frame had nothing loading or running (no job pending: an export finished).
    bool settled() { return slurp(m_widgets).rfind("#settled\t1\n", 0) == 0; }
    std::optional<ui::automation::ItemRect> wait(const std::string& name, double seconds = 30) {
        std::optional<ui::automation::ItemRect> found;
        waitFor(
            [&] {
                auto w = widgets();
                if (auto it = w.find(name); it != w.end()) found = it->second;
                return found.has_value();
            },
            seconds, std::chrono::milliseconds(50));
        return found;
    }
    bool gone(const std::string& name, double seconds = 15) {
        return waitFor([&] { return !widgets().count(name); }, seconds, std::chrono::milliseconds(50));
    }
    // Waits for `n` frames drawn after byte `mark` of the log: with the mark taken right after an
    // xdotool command, the last of them has read its events. An idle client draws a frame only
    // every 0.5 s, so while waiting the pointer is nudged a pixel to and fro (less than ImGui's
    // drag threshold; the hover stays on the same widget), and each nudge wakes a frame.
    void framesFrom(size_t mark, int n, const std::string& what) {
        INFO("waiting for " << n << " frames after " << what << "; log: " << log());
        REQUIRE(waitFor(
            [&] {
                if (Trace(slurp(m_log), mark).frames >= n) return true;
                nudge();
                return false;
            },
            20, std::chrono::milliseconds(30)));
    }
    void nudge() {
        m_nudged = !m_nudged;
        xdotool({"mousemove_relative", "--", m_nudged ? "1" : "-1", "0"});
    }
    size_t logSize() {
        std::error_code ec;
        auto n = fs::file_size(m_log, ec);
        return ec ? 0 : static_cast<size_t>(n);
    }
    void xdotool(const std::vector<std::string>& args) { REQUIRE(runProcess("xdotool", args).code == 0); }

    // Points at the widget and clicks it once it stays put: the pointer moves to the widget's
    // centre, and a frame drawn after that (the automation file shows the frame before the one
    // it is written after: three frames) must show it in the same place with nothing loading.
    // Then press and release, and the frames that read them. Two clicks at one spot within ImGui's
    // double-click time (io.MouseDoubleClickTime, 0.3 s; MouseDoubleClickMaxDist, 6 px) are a
    // double click: a file entry under the folder entry just clicked would be opened at once.
    // So a click where the last one was waits until that time has passed since it.
    void click(const std::string& name) {
        auto r = wait(name);
        INFO("waiting for " << name << "; log: " << log());
        REQUIRE(r.has_value());
        for (int tries = 0;; ++tries) {
            REQUIRE(tries < 20);
            xdotool({"mousemove", "--window", m_win, std::to_string(static_cast<int>(r->cx())),
                     std::to_string(static_cast<int>(r->cy()))});
            framesFrom(logSize(), 3, "pointing at " + name);
            auto now = widgets();
            auto it = now.find(name);
            REQUIRE(it != now.end());
            const auto& a = it->second;
            if (a.x0 == r->x0 && a.y0 == r->y0 && a.x1 == r->x1 && a.y1 == r->y1 && settled()) break;
            r = a;
        }
        if (std::hypot(r->cx() - m_lastClickX, r->cy() - m_lastClickY) <= 8)
            std::this_thread::sleep_until(m_lastClickAt + std::chrono::milliseconds(350));
        xdotool({"click", "1"});
        // ImGui acts on the release, the frame after the one that saw the press.
        framesFrom(logSize(), 3, "clicking " + name);
        m_lastClickAt = std::chrono::steady_clock::now();  // later than the frame that took the press
        m_lastClickX = r->cx();
        m_lastClickY = r->cy();
    }
    // Keys (xdotool key syntax): waits until the client received `presses` non-modifier key
    // presses and drew two frames after the last key event (a release held back for a frame).
    void keys(const std::string& what, int presses, const std::vector<std::string>& xdotoolArgs) {
        size_t mark = logSize();
        xdotool(xdotoolArgs);
        INFO("waiting for the keys of " << what << " to be read; log: " << log());
        REQUIRE(waitFor(
            [&] {
                Trace t(slurp(m_log), mark);
                return t.presses >= presses && t.framesAfterLastKey >= 2;
            },
            20));
    }
    void key(const std::string& combo) { keys(combo, 1, {"key", "--window", m_win, combo}); }
    void type(const std::string& latin) {
        keys(latin, static_cast<int>(latin.size()), {"type", "--delay", "60", latin});
    }
    // A picture of the settled window without the pointer's hover highlight: the pointer goes
    // out of the way, and the shot waits for a frame drawn after that with nothing loading.
    void shot(const std::string& name) {
        fs::path dir = fs::path(JIANCHA_BUILD_DIR) / "screenshots";
        fs::create_directories(dir);
        xdotool({"mousemove", "--window", m_win, "1360", "760"});
        settledFrame("the picture " + name);
        REQUIRE(runProcess("import", {"-window", "root", (dir / (name + ".png")).string()}).code == 0);
    }
    // Waits until `started` holds (an export has begun writing its file) and then for a frame
    // begun after that with nothing running: the export job has finished and closed the file.
    bool written(const std::function<bool()>& started, double seconds = 20) {
        if (!waitFor(started, seconds, std::chrono::milliseconds(50))) return false;
        settledFrame("the export");
        return true;
    }
    // Frames drawn after this call until one has nothing loading or running.
    void settledFrame(const std::string& what) {
        for (int tries = 0;; ++tries) {
            REQUIRE(tries < 400);  // 20 s of busy frames
            framesFrom(logSize(), 2, what);
            if (settled()) return;
        }
    }
    // The log without the trace's frame and key lines.
    std::string log() {
        std::istringstream in(slurp(m_log));
        std::string out;
        for (std::string line; std::getline(in, line);)
            if (line.rfind("frame ", 0) != 0 && line.rfind("key ", 0) != 0) out += line + "\n";
        return out;
    }

private:
    fs::path m_widgets, m_log;
    pid_t m_pid = -1;
    std::string m_win;
    bool m_nudged = false;  // the pointer is one pixel right of where it was put
    std::chrono::steady_clock::time_point m_lastClickAt;
    float m_lastClickX = -100, m_lastClickY = -100;
};

std::string xlsxCell(const fs::path& file, const std::string& needle) {
    auto r = runProcess("/usr/bin/python3",
                        {"-c",
                         "import sys, openpyxl\n"
                         "wb = openpyxl.load_workbook(sys.argv[1], read_only=True)\n"
                         "print(any(sys.argv[2] in str(v) for ws in wb for row in ws.iter_rows(values_only=True) for v in row))\n",
                         file.string(), needle});
    INFO(r.err);
    return r.out.substr(0, r.out.find('\n'));
}

void seedFindings(const fs::path& data) {
    Seed seed = seedStore(data);
    Store store((data / "jiancha.db").string());
    AppContext ctx{store, loadActor(store, "张伟"), calendarFromStore(store), std::nullopt};
    for (const char* title : {"工地拖欠农民工工资", "征地补偿款未足额发放", "企业违法排污"})
        createFinding(ctx, {{"campaign_id", seed.campaignId},
                            {"category", "wage_arrears"},
                            {"title", title},
                            {"region_code", "620702101"},
                            {"area", "hotspot_issues"}});
}

}  // namespace

TEST_CASE("in the window: an export saved through the built-in browser, replacing asked", "[ui][files][window]") {
    test::requireXDisplay();
    TempDir dir("files_window_export");
    fs::path data = dir.path / "data", home = dir.path / "home";
    fs::create_directories(data);
    fs::create_directories(home / "上报材料");
    std::ofstream(home / "上报材料" / "九月检查发现.xlsx") << "an older export";
    seedFindings(data);
    Window w(data, home, "张伟", "builtin", {"--view", "findings"});
    w.click("findings.export");
    w.click("findings.export.save");
    REQUIRE(w.wait("files.ok"));
    w.click("files.entry.上报材料");  // one click into the folder: nothing typed
    REQUIRE(w.wait("files.entry.九月检查发现.xlsx"));
    w.shot("files-save-proposed");
    w.click("files.name");
    w.key("ctrl+a");
    w.type("october");
    w.click("files.ok");
    REQUIRE(w.written([&] { return fs::exists(home / "上报材料" / "october.xlsx"); }));
    CHECK(xlsxCell(home / "上报材料" / "october.xlsx", "企业违法排污") == "True");

    // The older file, clicked in the list: its name, and a question before it is replaced.
    w.click("findings.export");
    w.click("findings.export.save");
    w.click("files.entry.九月检查发现.xlsx");
    w.click("files.ok");
    REQUIRE(w.wait("files.exists"));
    w.shot("files-replace-asked");
    CHECK(slurp(home / "上报材料" / "九月检查发现.xlsx") == "an older export");
    w.click("files.replace");
    REQUIRE(w.gone("files.exists"));
    REQUIRE(w.written([&] { return slurp(home / "上报材料" / "九月检查发现.xlsx") != "an older export"; }));
    CHECK(xlsxCell(home / "上报材料" / "九月检查发现.xlsx", "工地拖欠农民工工资") == "True");
    INFO(w.log());
}

TEST_CASE("in the window: approval records imported from a file picked in the built-in browser", "[ui][files][window]") {
    test::requireXDisplay();
    TempDir dir("files_window_import");
    fs::path data = dir.path / "data", home = dir.path / "home";
    fs::create_directories(data);
    fs::create_directories(home / "政务服务中心");
    std::ofstream(home / "政务服务中心" / "十月办件导出.csv")
        << "事项名称,办件编号,办理单位,申请人,受理时间,承诺时限（工作日）,办结时间,状态\n"
           "食品经营许可证核发,SP2026-0001,甘州区市场监督管理局,张三,2026-09-28 09:30,5,,在办\n"
           "建设工程规划许可,GH2026-0002,甘州区自然资源局,李四,2026-09-21 10:00,10,2026-10-12 16:00,办结\n";
    std::ofstream(home / "政务服务中心" / "说明.txt") << "不是表格";
    seedStore(data);
    Window w(data, home, "总部管理员", "builtin", {"--view", "esup", "--today", "2026-10-20"});
    w.click("esup.choose");
    REQUIRE(w.wait("files.ok"));
    w.click("files.entry.政务服务中心");
    REQUIRE(w.wait("files.entry.十月办件导出.csv"));
    CHECK_FALSE(w.widgets().count("files.entry.说明.txt"));  // CSV and XLSX only
    w.click("files.entry.十月办件导出.csv");
    w.shot("files-import-browser");
    w.click("files.ok");
    REQUIRE(w.wait("esup.commit"));
    w.shot("files-import-preview");
    w.click("esup.commit");
    int64_t n = 0;
    waitFor(
        [&] {
            Store store((data / "jiancha.db").string());
            n = store.db().queryInt("SELECT count(*) FROM approval WHERE deleted = 0");
            return n >= 2;
        },
        20, std::chrono::milliseconds(200));
    CHECK(n == 2);
}
