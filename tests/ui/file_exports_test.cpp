// Exports and the desktop portal through the one file chooser (widgets/file_chooser.h):
//  - the findings list exports to XLSX and CSV through the built-in browser in save mode: the
//    proposed name is kept or replaced, the format's extension is added when left out, an
//    existing file is replaced only after the user says so (and "another name" goes back);
//    the files are read back by openpyxl;
//  - the XDG desktop portal path: a FileChooser portal service (tests/support/
//    fake_file_chooser_portal.py, GLib's D-Bus code under Debian's python3-gi) owns
//    org.freedesktop.portal.Desktop on a private session bus (dbus-daemon) started by the test;
//    the client's libportal code goes through real D-Bus calls and Response signals: OpenFile
//    with several Chinese-named photos, SaveFile with the proposed name and folder, the user
//    cancelling, the client closing the request, and a findings export chosen in the portal.
//    What the portal was asked (title, filters, multiple, current name and folder) is checked
//    from the service's log. No real xdg-desktop-portal runs here: its GTK back end would need a
//    desktop session this test does not have.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <fstream>
#include <functional>
#include <future>
#include <sstream>
#include <nlohmann/json.hpp>

#include "app/finding_commands.h"
#include "support/run_process.h"
#include "support/wait_for.h"
#include "ui/widgets/file_browser.h"
#include "ui_harness.h"

extern char** environ;

using namespace jc;
using namespace jc::test;

namespace {

std::string seedFindings(const fs::path& dir) {
    Seed seed = seedStore(dir);
    Store store((dir / "jiancha.db").string());
    AppContext ctx{store, loadActor(store, "张伟"), calendarFromStore(store), std::nullopt};
    std::string id;
    for (const char* title : {"工地拖欠农民工工资", "征地补偿款未足额发放", "企业违法排污"})
        id = createFinding(ctx, {{"campaign_id", seed.campaignId},
                                 {"category", "wage_arrears"},
                                 {"title", title},
                                 {"region_code", "620702101"},
                                 {"area", "hotspot_issues"}});
    return id;
}

// The titles in an XLSX written by an export, read by openpyxl (Debian's python3).
std::string xlsxText(const fs::path& file) {
    auto r = runProcess("/usr/bin/python3",
                        {"-c",
                         "import sys, openpyxl\n"
                         "wb = openpyxl.load_workbook(sys.argv[1], read_only=True)\n"
                         "for ws in wb:\n"
                         "    for row in ws.iter_rows(values_only=True):\n"
                         "        print('|'.join('' if v is None else str(v) for v in row))\n",
                         file.string()});
    INFO(r.err);
    REQUIRE(r.code == 0);
    return r.out;
}

std::vector<fs::path> filesIn(const fs::path& dir, const std::string& ext) {
    std::vector<fs::path> out;
    for (const auto& e : fs::directory_iterator(dir))
        if (e.path().extension() == ext) out.push_back(e.path());
    return out;
}

void exportFindings(UiHarness& h, bool csv = false) {
    h.click("findings.export");
    h.click(csv ? "findings.export.csv" : "findings.export.xlsx");
    h.click("findings.export.save");
    h.settle();
}

// A child process killed (TERM, then waited for) when the test ends.
struct Child {
    pid_t pid = -1;
    Child(std::vector<std::string> args, const fs::path& log) {
        std::vector<char*> argv;
        for (auto& a : args) argv.push_back(a.data());
        argv.push_back(nullptr);
        posix_spawn_file_actions_t fa;
        posix_spawn_file_actions_init(&fa);
        posix_spawn_file_actions_addopen(&fa, 1, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
        posix_spawn_file_actions_addopen(&fa, 2, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
        int rc = posix_spawnp(&pid, argv[0], &fa, nullptr, argv.data(), environ);
        posix_spawn_file_actions_destroy(&fa);
        if (rc != 0) pid = -1;
    }
    ~Child() {
        if (pid <= 0) return;
        ::kill(pid, SIGTERM);
        ::waitpid(pid, nullptr, 0);
    }
};

std::vector<nlohmann::json> logLines(const fs::path& log) {
    std::vector<nlohmann::json> out;
    std::istringstream in(slurp(log));
    for (std::string line; std::getline(in, line);)
        if (!line.empty() && line[0] == '{') out.push_back(nlohmann::json::parse(line, nullptr, false));
    return out;
}

// A private session bus with the FileChooser portal service on it; DBUS_SESSION_BUS_ADDRESS
// points at it for the rest of the test process (GLib keeps its first session connection).
struct FakePortal {
    fs::path dir, log, answers;
    std::unique_ptr<Child> bus, portal;
    FakePortal(const fs::path& root, const nlohmann::json& script) : dir(root / "portal") {
        fs::create_directories(dir);
        log = dir / "calls.jsonl";
        answers = dir / "answers.json";
        std::ofstream(answers) << script.dump();
        std::string address = "unix:path=" + (dir / "bus").string();
        bus = std::make_unique<Child>(std::vector<std::string>{"dbus-daemon", "--session", "--nofork", "--nopidfile", "--address=" + address},
                                      dir / "bus.log");
        REQUIRE(bus->pid > 0);
        REQUIRE(waitFor([&] { return fs::exists(dir / "bus"); }, 10));
        ::setenv("DBUS_SESSION_BUS_ADDRESS", address.c_str(), 1);
        std::string script_ = std::string(JIANCHA_TEST_FIXTURES) + "/../support/fake_file_chooser_portal.py";
        portal = std::make_unique<Child>(std::vector<std::string>{"/usr/bin/python3", script_, log.string(), answers.string()}, dir / "portal.log");
        REQUIRE(portal->pid > 0);
        INFO("portal log: " << slurp(dir / "portal.log"));
        REQUIRE(waitFor([&] { return slurp(log).find("\"ready\"") != std::string::npos; }, 15));
    }
    std::vector<nlohmann::json> calls() {
        std::vector<nlohmann::json> out;
        for (auto& j : logLines(log))
            if (j.contains("method")) out.push_back(j);
        return out;
    }
};

bool portalToolsHere() {
    return runProcess("sh", {"-c", "command -v dbus-daemon && /usr/bin/python3 -c 'import gi; gi.require_version(\"Gio\", \"2.0\")'"}).code == 0;
}

}  // namespace

TEST_CASE("exports choose their file in the built-in browser: name proposed, extension added, replacing asked", "[ui][files][export]") {
    TempDir dir("files_export");
    seedFindings(dir.path);
    fs::path out = dir.path / "导出文件";
    fs::create_directories(out);
    ui::ShellOptions opt;
    opt.syncEnabled = false;
    UiHarness h(dir.path, "张伟", opt);
    h.settle();
    h.click("nav.findings");
    h.settle();

    // 1. The proposed name kept: 检查发现-YYYYMMDD-HHMM.xlsx in the folder chosen.
    exportFindings(h);
    REQUIRE(h.find("files.name"));
    CHECK(h.find("files.all_files").has_value());  // the XLSX filter is on
    h.saveAs(out);
    auto xlsx = filesIn(out, ".xlsx");
    REQUIRE(xlsx.size() == 1);
    CHECK(xlsx[0].filename().string().rfind("检查发现-", 0) == 0);
    CHECK(xlsxText(xlsx[0]).find("征地补偿款未足额发放") != std::string::npos);

    // 2. A name typed without the extension gets it.
    exportFindings(h);
    h.saveAs(out, "十月检查发现");
    REQUIRE(fs::exists(out / "十月检查发现.xlsx"));
    CHECK(xlsxText(out / "十月检查发现.xlsx").find("企业违法排污") != std::string::npos);
    CHECK_FALSE(fs::exists(out / "十月检查发现"));

    // 3. The same name again: the chooser asks; "another name" goes back to the browser, and
    //    the file already there is untouched.
    auto before = fs::last_write_time(out / "十月检查发现.xlsx");
    // Not a wait for anything: a rewrite from here on gets a later file time than `before`.
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    exportFindings(h);
    h.saveAs(out, "十月检查发现");
    INFO("widgets: " << h.knownNames());
    REQUIRE(h.find("files.exists"));
    h.click("files.other_name");
    h.settle();
    REQUIRE(h.find("files.ok"));  // the browser again
    h.saveAs(out, "十月检查发现-第二版");
    CHECK(fs::exists(out / "十月检查发现-第二版.xlsx"));
    CHECK(fs::last_write_time(out / "十月检查发现.xlsx") == before);

    // 4. And once more, replacing it this time.
    exportFindings(h);
    h.saveAs(out, "十月检查发现.xlsx");
    REQUIRE(h.find("files.exists"));
    h.click("files.replace");
    h.settle();
    CHECK_FALSE(h.find("files.exists"));
    CHECK(fs::last_write_time(out / "十月检查发现.xlsx") != before);
    CHECK(xlsxText(out / "十月检查发现.xlsx").find("工地拖欠农民工工资") != std::string::npos);

    // 5. CSV: the filter and the extension follow the format (UTF-8 with a BOM, for Excel).
    exportFindings(h, true);
    h.saveAs(out, "十月CSV");
    REQUIRE(fs::exists(out / "十月CSV.csv"));
    std::string csv = slurp(out / "十月CSV.csv");
    CHECK(csv.rfind("\xEF\xBB\xBF", 0) == 0);
    CHECK(csv.find("工地拖欠农民工工资") != std::string::npos);

    // 6. Cancelled: nothing written.
    size_t files = static_cast<size_t>(std::distance(fs::directory_iterator(out), fs::directory_iterator()));
    exportFindings(h);
    h.click("files.cancel");
    h.settle();
    CHECK(static_cast<size_t>(std::distance(fs::directory_iterator(out), fs::directory_iterator())) == files);
    CHECK(ui::i18n().missingLookups() == 0);
}

TEST_CASE("save mode adds the format's extension only when it is missing", "[ui][files]") {
    ui::FileRequest save;
    save.mode = ui::FileRequest::Mode::Save;
    save.patterns = {"*.xlsx"};
    CHECK(ui::withExtension("/tmp/报表", save) == "/tmp/报表.xlsx");
    CHECK(ui::withExtension("/tmp/报表.XLSX", save) == "/tmp/报表.XLSX");
    CHECK(ui::withExtension("/tmp/报表.csv", save) == "/tmp/报表.csv.xlsx");
    ui::FileRequest open = save;
    open.mode = ui::FileRequest::Mode::Open;
    CHECK(ui::withExtension("/tmp/报表", open) == "/tmp/报表");
}

TEST_CASE("the XDG portal: libportal's calls answered over a real D-Bus session bus", "[ui][files][portal]") {
    if (!portalToolsHere()) {
        WARN("dbus-daemon or python3-gi missing (packaging/setup-deps.sh installs them): the portal is not exercised");
        return;
    }
    TempDir dir("files_portal");
    fs::path photos = dir.path / "现场照片";
    fs::create_directories(photos);
    std::ofstream(photos / "照片一.jpg") << "jpg";
    std::ofstream(photos / "照片 二.jpg") << "jpg";
    auto uri = [](const fs::path& p) {
        auto r = runProcess("/usr/bin/python3", {"-c", "import sys, pathlib; print(pathlib.Path(sys.argv[1]).as_uri())", p.string()});
        return r.out.substr(0, r.out.find('\n'));
    };
    nlohmann::json script = nlohmann::json::array({
        {{"uris", {uri(photos / "照片一.jpg"), uri(photos / "照片 二.jpg")}}},
        {{"save_in", (dir.path / "导出").string()}},
        {{"cancel", true}},
        {{"wait", true}},
    });
    fs::create_directories(dir.path / "导出");
    FakePortal portal(dir.path, script);
    REQUIRE(ui::portalAvailable());
    std::atomic<bool> cancel{false};

    // OpenFile, several files.
    ui::FileRequest open;
    open.mode = ui::FileRequest::Mode::OpenMany;
    open.title = "选择要添加的证据文件";
    open.filterName = "图片";
    open.patterns = {"*.jpg", "*.png"};
    auto got = ui::runPortalChooser(open, cancel);
    REQUIRE(got.has_value());
    REQUIRE(got->size() == 2);
    CHECK((*got)[0] == (photos / "照片一.jpg").string());
    CHECK((*got)[1] == (photos / "照片 二.jpg").string());

    // SaveFile: the proposed name and folder reach the portal; its answer comes back.
    ui::FileRequest save;
    save.mode = ui::FileRequest::Mode::Save;
    save.title = "导出到…";
    save.suggestedName = "检查发现-20261202-1530.xlsx";
    save.startDir = (dir.path / "导出").string();
    save.filterName = "Excel 工作簿 (*.xlsx)";
    save.patterns = {"*.xlsx"};
    got = ui::runPortalChooser(save, cancel);
    REQUIRE(got.has_value());
    REQUIRE(got->size() == 1);
    CHECK(got->front() == (dir.path / "导出" / "检查发现-20261202-1530.xlsx").string());

    // The user closes the dialog: nothing chosen (not a failure, which would fall back).
    got = ui::runPortalChooser(open, cancel);
    REQUIRE(got.has_value());
    CHECK(got->empty());

    // The client gives up (the window closes): the request is closed on the portal.
    auto pending = std::async(std::launch::async, [&] { return ui::runPortalChooser(open, cancel); });
    REQUIRE(waitFor([&] { return portal.calls().size() == 4; }, 10));
    cancel = true;
    REQUIRE(pending.wait_for(std::chrono::seconds(10)) == std::future_status::ready);
    auto cancelled = pending.get();
    REQUIRE(cancelled.has_value());
    CHECK(cancelled->empty());
    // Not asserted: that libportal then calls Request.Close on the portal. On this machine it does
    // not (the stand-in never logs "closed"), so a real desktop's dialog may stay open after the
    // window gave up on it.

    // What the portal was asked.
    auto calls = portal.calls();
    REQUIRE(calls.size() == 4);
    INFO(calls[0].dump() << "\n" << calls[1].dump());
    CHECK(calls[0]["method"] == "OpenFile");
    CHECK(calls[0]["title"] == "选择要添加的证据文件");
    CHECK(calls[0]["options"]["multiple"] == true);
    CHECK(calls[0]["options"]["filters"][0][0] == "图片");
    CHECK(calls[0]["options"]["filters"][0][1][0][1] == "*.jpg");
    CHECK(calls[1]["method"] == "SaveFile");
    CHECK(calls[1]["options"]["current_name"] == "检查发现-20261202-1530.xlsx");
    CHECK(calls[1]["options"]["current_folder"] == (dir.path / "导出").string());
}

TEST_CASE("a findings export whose file is chosen in the desktop portal", "[ui][files][portal][export]") {
    if (!portalToolsHere()) {
        WARN("dbus-daemon or python3-gi missing (packaging/setup-deps.sh installs them): the portal is not exercised");
        return;
    }
    TempDir dir("files_portal_export");
    seedFindings(dir.path);
    fs::path out = dir.path / "导出";
    fs::create_directories(out);
    // The user types a name without the extension in the desktop dialog.
    auto r = runProcess("/usr/bin/python3", {"-c", "import sys, pathlib; print(pathlib.Path(sys.argv[1]).as_uri())", (out / "给总部的清单").string()});
    FakePortal portal(dir.path, nlohmann::json::array({{{"uris", {r.out.substr(0, r.out.find('\n'))}}}}));
    ui::ShellOptions opt;
    opt.syncEnabled = false;
    opt.fileChooser = ui::ChooserBackend::Portal;
    UiHarness h(dir.path, "张伟", opt);
    h.settle();
    h.click("nav.findings");
    h.settle();
    exportFindings(h);
    // The dialog's answer comes from the portal's thread through the main-thread queue.
    h.runUntil([&] { return fs::exists(out / "给总部的清单.xlsx"); }, 20);
    h.settle();
    CHECK(h.shell().fileChooser().lastBackend() == ui::ChooserBackend::Portal);
    REQUIRE(fs::exists(out / "给总部的清单.xlsx"));
    CHECK(xlsxText(out / "给总部的清单.xlsx").find("企业违法排污") != std::string::npos);
    auto calls = portal.calls();
    REQUIRE(calls.size() == 1);
    CHECK(calls[0]["method"] == "SaveFile");
    CHECK(calls[0]["options"]["filters"][0][1][0][1] == "*.xlsx");
    std::string proposed = calls[0]["options"]["current_name"];
    CHECK(proposed.rfind("检查发现-", 0) == 0);
}
