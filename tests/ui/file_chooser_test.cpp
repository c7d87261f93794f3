// The file chooser (widgets/file_chooser.h): the built-in browser lists a folder with Chinese
// file names (folders first, hidden files left out, a filter), two photos are picked in it from
// the finding editor's "choose files…" and become evidence with thumbnails; the desktop dialogs
// run where they can: zenity on the test's X display (driven with xdotool; open and save modes),
// a desktop's XDG portal where one runs on the session bus — otherwise that part is skipped
// with a message (file_exports_test.cpp always drives the portal code through a FileChooser
// portal service on a private bus).
#include <stb_image_write.h>

#include <cstdlib>
#include <fstream>
#include <future>

#include "app/finding_commands.h"
#include "support/run_process.h"
#include "support/wait_for.h"
#include "ui/widgets/file_browser.h"
#include "ui_harness.h"

using namespace jc;
using namespace jc::test;

namespace {
void writePhoto(const fs::path& p, unsigned char shade) {
    std::vector<unsigned char> px(80 * 60 * 3, shade);
    for (size_t i = 0; i < px.size(); i += 3) px[i] = static_cast<unsigned char>(i % 251);
    bool ok = p.extension() == ".png" ? stbi_write_png(p.c_str(), 80, 60, 3, px.data(), 80 * 3)
                                      : stbi_write_jpg(p.c_str(), 80, 60, 3, px.data(), 90);
    REQUIRE(ok);
}

fs::path photoFolder(const fs::path& root) {
    fs::path d = root / "现场取证 2026";
    fs::create_directories(d / "询问笔录");
    writePhoto(d / "现场照片一.jpg", 120);
    writePhoto(d / "现场照片二.PNG", 200);
    std::ofstream(d / "情况说明.txt") << "工地负责人称工资已于月底结清。";
    std::ofstream(d / ".隐藏文件") << "x";
    return d;
}

// The Request objects the desktop portal has open, from its introspection data (gdbus, from
// GLib's libglib2.0-bin): one "node" line each.
std::string portalRequests() {
    auto r = runProcess("gdbus", {"introspect", "--session", "--dest", "org.freedesktop.portal.Desktop", "--object-path",
                                  "/org/freedesktop/portal/desktop/request", "--recurse", "--only-properties"});
    std::string nodes;
    for (size_t at = r.out.find("node "); at != std::string::npos; at = r.out.find("node ", at + 1))
        nodes += r.out.substr(at, r.out.find('\n', at) - at) + "\n";
    return nodes;
}

bool displayAvailable() {
    const char* d = std::getenv("DISPLAY");
    return d && *d && runProcess("xdpyinfo", {}).code == 0;
}
}  // namespace

TEST_CASE("the built-in browser lists Chinese names, folders first, with a filter", "[ui][files]") {
    TempDir dir("files_list");
    fs::path d = photoFolder(dir.path);
    bool truncated = true;
    std::string error;
    auto all = ui::listFolder(d.string(), {}, false, 100, &truncated, &error);
    REQUIRE(all.size() == 4);
    CHECK(all[0].name == "询问笔录");
    CHECK(all[0].dir);
    CHECK(all[1].name == "情况说明.txt");
    CHECK_FALSE(all[1].image);
    CHECK(all[2].name == "现场照片一.jpg");
    CHECK(all[2].image);
    CHECK(all[3].name == "现场照片二.PNG");
    CHECK(all[3].image);
    CHECK_FALSE(truncated);
    auto photos = ui::listFolder(d.string(), {"*.jpg", "*.png"}, false, 100, &truncated, &error);
    CHECK(photos.size() == 3);  // the folder and the two photos (.PNG too)
    auto capped = ui::listFolder(d.string(), {}, false, 2, &truncated, &error);
    CHECK(capped.size() == 2);
    CHECK(truncated);
    ui::listFolder((d / "没有这个文件夹").string(), {}, false, 100, &truncated, &error);
    CHECK_FALSE(error.empty());
}

TEST_CASE("two photos chosen in the built-in browser become evidence of the finding", "[ui][files]") {
    TempDir dir("files_pick");
    Seed seed = seedStore(dir.path);
    std::string id;
    {
        Store store((dir.path / "jiancha.db").string());
        AppContext ctx = appContext(store, "张伟");
        id = createFinding(ctx, findingFields(seed.campaignId, "wage_arrears", "工地拖欠农民工工资"));
    }
    fs::path photos = photoFolder(dir.path);
    ui::ShellOptions opt;
    opt.fileChooser = ui::ChooserBackend::Builtin;
    opt.syncEnabled = false;
    UiHarness h(dir.path, "张伟", opt);
    h.settle();
    h.shell().openFinding(id);
    h.settle();
    h.click("evidence.choose");
    h.settle();
    REQUIRE(h.find("files.path"));
    CHECK(h.find("files.place.主目录"));
    // To the folder: typed into the path box (the places and "up" get there too).
    h.click("files.path");
    h.key('A', true);
    h.key(kKeyBackspace);
    h.type(photos.string());
    h.key(kKeyEnter);
    h.settle();
    INFO("names: " << h.knownNames());
    REQUIRE(h.find("files.entry.现场照片一.jpg"));
    CHECK(h.find("files.entry.现场照片二.PNG"));
    CHECK(h.find("files.entry.情况说明.txt"));
    CHECK(h.find("files.entry.询问笔录"));
    CHECK_FALSE(h.find("files.entry..隐藏文件"));
    h.click("files.entry.现场照片一.jpg");
    h.click("files.entry.现场照片二.PNG");
    h.click("files.entry.情况说明.txt");
    h.click("files.entry.情况说明.txt");  // picked and dropped again
    h.click("files.ok");
    h.settle();
    CHECK_FALSE(h.find("files.ok"));
    CHECK(h.shell().fileChooser().lastBackend() == ui::ChooserBackend::Builtin);
    {
        Store store((dir.path / "jiancha.db").string());
        CHECK(store.db().queryInt("SELECT count(*) FROM evidence WHERE owner_id = '" + id + "' AND deleted = 0") == 2);
    }
    h.settle();
    CHECK(h.find("evidence.thumb.现场照片一.jpg"));
    CHECK(h.find("evidence.thumb.现场照片二.PNG"));
    CHECK(ui::i18n().missingLookups() == 0);
    CHECK(h.shell().fonts().unavailable() == 0);
}

TEST_CASE("the desktop's dialogs: zenity on this display, the portal where one runs", "[ui][files]") {
    TempDir dir("files_desktop");
    fs::path photos = photoFolder(dir.path);
    std::atomic<bool> cancel{false};
    ui::FileRequest req;
    req.mode = ui::FileRequest::Mode::Open;
    req.title = "jiancha-zenity-test";
    req.startDir = photos.string();

    if (!displayAvailable() || runProcess("sh", {"-c", "command -v zenity && command -v xdotool"}).code != 0) {
        WARN("no X display, zenity or xdotool here: the zenity chooser is not exercised");
    } else {
        // The dialog comes up on the display; Ctrl+L, a path typed into GTK's chooser and Enter
        // pick it. (xdotool loses characters of long CJK strings, so this file has a Latin name.)
        fs::path pick = dir.path / "site-photo-1.jpg";
        writePhoto(pick, 90);
        req.startDir = dir.path.string();
        auto answer = std::async(std::launch::async, [&] { return ui::runZenityChooser(req, cancel); });
        auto found = runProcess("xdotool", {"search", "--sync", "--onlyvisible", "--name", "jiancha-zenity-test"});
        REQUIRE(found.code == 0);
        std::string win = found.out.substr(0, found.out.find('\n'));
        runProcess("sleep", {"1"});
        runProcess("xdotool", {"windowfocus", "--sync", win});
        runProcess("xdotool", {"key", "--window", win, "ctrl+l"});
        runProcess("sleep", {"0.7"});
        runProcess("xdotool", {"type", "--delay", "20", pick.string()});
        runProcess("sleep", {"0.7"});
        runProcess("xdotool", {"key", "Return"});
        REQUIRE(answer.wait_for(std::chrono::seconds(20)) == std::future_status::ready);
        auto got = answer.get();
        REQUIRE(got.has_value());
        REQUIRE(got->size() == 1);
        CHECK(fs::equivalent(got->front(), pick));
    }

    if (displayAvailable() && runProcess("sh", {"-c", "command -v zenity && command -v xdotool"}).code == 0) {
        // Save mode: GTK's save dialog proposes the name (its stem selected); a name typed over
        // it without the extension comes back as typed, and the chooser adds the extension.
        ui::FileRequest save;
        save.mode = ui::FileRequest::Mode::Save;
        save.title = "jiancha-zenity-save";
        save.startDir = dir.path.string();
        save.suggestedName = "检查发现-20261202-1530.xlsx";
        save.filterName = "Excel";
        save.patterns = {"*.xlsx"};
        auto answer = std::async(std::launch::async, [&] { return ui::runZenityChooser(save, cancel); });
        auto found = runProcess("xdotool", {"search", "--sync", "--onlyvisible", "--name", "jiancha-zenity-save"});
        REQUIRE(found.code == 0);
        std::string win = found.out.substr(0, found.out.find('\n'));
        runProcess("sleep", {"1.5"});
        runProcess("xdotool", {"mousemove", "--window", win, "400", "300"});
        runProcess("xdotool", {"windowfocus", "--sync", win});
        runProcess("sleep", {"0.3"});
        runProcess("xdotool", {"type", "--delay", "30", "zenity-export"});
        runProcess("sleep", {"0.5"});
        runProcess("xdotool", {"key", "Return"});
        REQUIRE(answer.wait_for(std::chrono::seconds(20)) == std::future_status::ready);
        auto got = answer.get();
        REQUIRE(got.has_value());
        REQUIRE(got->size() == 1);
        CHECK(fs::path(got->front()).parent_path() == dir.path);
        CHECK(ui::withExtension(got->front(), save) == (dir.path / "zenity-export.xlsx").string());
    }

    if (!ui::portalAvailable()) {
        WARN("no XDG desktop portal on the session bus here: the portal chooser is not exercised");
        return;
    }
    // A portal runs: the request goes through it and closing it (cancel) answers "nothing chosen".
    // Cancelled once the request is open on the portal: a new Request object under its path.
    const std::string before = portalRequests();
    auto answer = std::async(std::launch::async, [&] { return ui::runPortalChooser(req, cancel); });
    bool open = waitFor([&] { return portalRequests().size() > before.size(); }, 20, std::chrono::milliseconds(50));
    cancel = true;
    REQUIRE(open);
    REQUIRE(answer.wait_for(std::chrono::seconds(20)) == std::future_status::ready);
    auto got = answer.get();
    REQUIRE(got.has_value());
    CHECK(got->empty());
}
