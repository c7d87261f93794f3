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

#include <fstream>
#include <map>
#include <sstream>

#include "app/finding_commands.h"
#include "support/run_process.h"
#include "support/x_display.h"
#include "ui_harness.h"

extern char** environ;

using namespace jc;
using namespace jc::test;

namespace {

void pause(double s) { std::this_thread::sleep_for(std::chrono::duration<double>(s)); }

// The GUI as a child process with its own HOME (the browser starts there) and chooser.
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
        for (int i = 0; i < 300 && m_win.empty(); ++i) {
            auto r = runProcess("xdotool", {"search", "--onlyvisible", "--pid", std::to_string(m_pid)});
            m_win = r.out.substr(0, r.out.find('\n'));
            if (m_win.empty()) pause(0.1);
        }
        INFO("log: " << slurp(m_log));
        REQUIRE_FALSE(m_win.empty());
    }
    ~Window() {
        // A desktop dialog still open is the client's child: it goes first, then the client.
        runProcess("pkill", {"-TERM", "-P", std::to_string(m_pid)});
        ::kill(m_pid, SIGTERM);
        for (int i = 0; i < 50; ++i) {
            if (::waitpid(m_pid, nullptr, WNOHANG) == m_pid) return;
            pause(0.1);
        }
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
    std::optional<ui::automation::ItemRect> wait(const std::string& name, double seconds = 30) {
        auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
        while (std::chrono::steady_clock::now() < end) {
            auto w = widgets();
            if (auto it = w.find(name); it != w.end()) return it->second;
            pause(0.1);
        }
        return std::nullopt;
    }
    bool gone(const std::string& name, double seconds = 15) {
        auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
        while (std::chrono::steady_clock::now() < end) {
            if (!widgets().count(name)) return true;
            pause(0.1);
        }
        return false;
    }
    void click(const std::string& name) {
        auto r = wait(name);
        INFO("waiting for " << name << "; log: " << slurp(m_log));
        REQUIRE(r.has_value());
        pause(0.3);  // let the layout settle
        r = wait(name);
        REQUIRE(r.has_value());
        auto x = std::to_string(static_cast<int>(r->cx())), y = std::to_string(static_cast<int>(r->cy()));
        REQUIRE(runProcess("xdotool", {"mousemove", "--window", m_win, x, y, "sleep", "0.2", "click", "1"}).code == 0);
        pause(0.4);
    }
    void key(const std::string& keys) {
        REQUIRE(runProcess("xdotool", {"key", "--window", m_win, keys}).code == 0);
        pause(0.3);
    }
    void type(const std::string& latin) {
        REQUIRE(runProcess("xdotool", {"type", "--delay", "60", latin}).code == 0);
        pause(0.4);
    }
    void shot(const std::string& name) {
        fs::path dir = fs::path(JIANCHA_BUILD_DIR) / "screenshots";
        fs::create_directories(dir);
        pause(0.5);
        // Out of the picture: the pointer's hover highlight.
        runProcess("xdotool", {"mousemove", "--window", m_win, "1360", "760"});
        pause(0.5);
        REQUIRE(runProcess("import", {"-window", "root", (dir / (name + ".png")).string()}).code == 0);
    }
    std::string log() { return slurp(m_log); }

private:
    fs::path m_widgets, m_log;
    pid_t m_pid = -1;
    std::string m_win;
};

bool waitForFile(const fs::path& p, double seconds = 20) {
    auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
    while (!fs::exists(p)) {
        if (std::chrono::steady_clock::now() > end) return false;
        pause(0.1);
    }
    pause(0.3);  // the writer closes it
    return true;
}

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
    REQUIRE(waitForFile(home / "上报材料" / "october.xlsx"));
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
    auto end = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (slurp(home / "上报材料" / "九月检查发现.xlsx") == "an older export" && std::chrono::steady_clock::now() < end) pause(0.1);
    pause(0.3);
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
    auto end = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    int64_t n = 0;
    while (n < 2 && std::chrono::steady_clock::now() < end) {
        pause(0.2);
        Store store((data / "jiancha.db").string());
        n = store.db().queryInt("SELECT count(*) FROM approval WHERE deleted = 0");
    }
    CHECK(n == 2);
}
