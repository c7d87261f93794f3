#pragma once
// Headless UI test harness: a real Shell (workers, store, fonts, views) inside an ImGui context
// with no window. Input is scripted the 1.86 way — io.MousePos / io.MouseDown / io.KeysDown
// (with io.KeyMap set like the GLFW backend) / io.AddInputCharactersUTF8 — and widgets are found
// by the names views give them with ui::mark() (shell/automation.h).
#include <catch2/catch.hpp>
#include <imgui.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "app/context.h"
#include "app/org_commands.h"
#include "app/setup.h"
#include "core/uuid.h"
#include "store/store.h"
#include "support/app_setup.h"
#include "support/temp_dir.h"
#include "ui/shell/automation.h"
#include "ui/shell/i18n.h"
#include "ui/shell/renderer.h"
#include "ui/shell/shell.h"

namespace jc::test {

namespace fs = std::filesystem;

// GLFW key codes (the backend indexes io.KeysDown with them); letters are their ASCII capitals.
enum Key : int {
    kKeyTab = 258, kKeyEnter = 257, kKeyEscape = 256, kKeyBackspace = 259, kKeyUp = 265, kKeyDown = 264,
    kKeyLeft = 263, kKeyRight = 262, kKeyHome = 268, kKeyEnd = 269, kKeyDelete = 261, kKeyCtrl = 341, kKeySpace = 32, kKeyPageUp = 266, kKeyPageDown = 267, kKeyInsert = 260,
};

// The people and campaign most UI tests need: an HQ admin who set things up, inspector 张伟,
// lead 陈静, and an active campaign scoped to Zhangye (张掖市, 6207).
struct Seed {
    std::string campaignId;
};

inline Seed seedStore(const fs::path& dataDir) {
    Store store((dataDir / "jiancha.db").string());
    initStore(store, InitOptions{"总部管理员", Role::HqAdmin, "", ""});
    AppContext hq{store, loadActor(store, "总部管理员"), calendarFromStore(store), std::nullopt};
    createUser(hq, "张伟", Role::Inspector, "");
    createUser(hq, "陈静", Role::Lead, "");
    CampaignInput c;
    c.title = "2026年张掖市行政效能专项监察";
    c.regionScope = {"6207"};
    Seed s;
    s.campaignId = createCampaign(hq, c);
    store.setMeta("current_user", "张伟");
    return s;
}

inline bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

class UiHarness {
public:
    UiHarness(const fs::path& dataDir, const std::string& user, ui::ShellOptions extra = {}) {
        m_ctx = ImGui::CreateContext();
        ImGuiIO& io = ImGui::GetIO();
        io.IniFilename = nullptr;
        io.DisplaySize = ImVec2(1366, 768);
        io.DeltaTime = 1.0f / 60.0f;
        io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
        const std::pair<ImGuiKey_, int> keys[] = {
            {ImGuiKey_Tab, kKeyTab},       {ImGuiKey_LeftArrow, kKeyLeft}, {ImGuiKey_RightArrow, kKeyRight},
            {ImGuiKey_UpArrow, kKeyUp},    {ImGuiKey_DownArrow, kKeyDown}, {ImGuiKey_Home, kKeyHome},
            {ImGuiKey_End, kKeyEnd},       {ImGuiKey_Delete, kKeyDelete},  {ImGuiKey_Backspace, kKeyBackspace},
            {ImGuiKey_Enter, kKeyEnter},   {ImGuiKey_Escape, kKeyEscape},  {ImGuiKey_A, 'A'},
            {ImGuiKey_C, 'C'},             {ImGuiKey_V, 'V'},              {ImGuiKey_X, 'X'},
            {ImGuiKey_Y, 'Y'},             {ImGuiKey_Z, 'Z'},              {ImGuiKey_Space, kKeySpace},
            {ImGuiKey_PageUp, kKeyPageUp}, {ImGuiKey_PageDown, kKeyPageDown}, {ImGuiKey_Insert, kKeyInsert},
            {ImGuiKey_KeyPadEnter, 335}};
        for (auto [k, v] : keys) io.KeyMap[k] = v;
        extra.dataDir = dataDir;
        extra.asUser = user;
        // The built-in file browser unless a test asks for a desktop dialog: a test display may
        // have zenity, and nothing would answer it.
        if (extra.fileChooser == ui::ChooserBackend::Auto) extra.fileChooser = ui::ChooserBackend::Builtin;
        extra.automation = true;
        extra.newStorePlain = true;  // an empty data directory starts at the first-run screen
        if (extra.fontSize == 0) extra.fontSize = 18;
        if (extra.language.empty()) extra.language = "zh_CN";
        m_shell = std::make_unique<ui::Shell>(extra, m_renderer);
        std::string error;
        if (!m_shell->init(&error)) FAIL("shell init failed: " << error);
    }
    ~UiHarness() {
        m_shell->shutdown();
        m_shell.reset();
        ImGui::DestroyContext(m_ctx);
    }

    ui::Shell& shell() { return *m_shell; }

    void frame() {
        ImGuiIO& io = ImGui::GetIO();
        io.DeltaTime = 1.0f / 60.0f;
        m_shell->beginFrame();
        ImGui::NewFrame();
        m_shell->draw();
        ImGui::Render();
        ++m_frames;
    }

    // Runs frames (waiting for the workers between them) until nothing is pending for a few
    // frames in a row. Fails the test after `timeoutSeconds`.
    void settle(double timeoutSeconds = 60) {
        auto start = std::chrono::steady_clock::now();
        int quiet = 0;
        while (quiet < 4) {
            if (m_shell->hasJobs()) m_shell->jobs().waitIdle();  // none before sign-in
            frame();
            quiet = m_shell->settled() ? quiet + 1 : 0;
            if (std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() > timeoutSeconds)
                FAIL("the UI did not settle within " << timeoutSeconds << " s");
            if (quiet == 0) std::this_thread::sleep_for(std::chrono::milliseconds(2));
        }
    }

    // Frames (10 ms apart: timers such as autosave run on the real clock) until `done` holds,
    // for at most `seconds`. Whether it held.
    template <class Pred>
    bool runUntil(Pred done, double seconds) {
        auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
        for (;;) {
            frame();
            if (done()) return true;
            if (std::chrono::steady_clock::now() > end) return false;
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
    }

    // Frames until `done` holds; fails the test with `what` and the names of the widgets on
    // screen (what was there instead) after `seconds`.
    template <class Pred>
    void waitUntil(Pred done, const std::string& what, double seconds = 30) {
        if (!runUntil(done, seconds))
            FAIL("not reached within " << seconds << " s: " << what << "\nwidgets: " << knownNames());
    }

    std::optional<ui::automation::ItemRect> find(const std::string& name) { return ui::automation::find(name); }

    std::string knownNames() {
        std::string s;
        for (const auto& n : ui::automation::names()) s += n + " ";
        return s;
    }

    // Moves to the named widget and clicks it (press and release on separate frames).
    void click(const std::string& name, bool doubleClick = false) {
        auto r = find(name);
        if (!r) {
            frame();
            r = find(name);
        }
        INFO("widgets on screen: " << knownNames());
        REQUIRE(r.has_value());
        // Layout may still move for a frame or two (validation messages appear or go): wait
        // until the widget stays put, then press.
        ImGuiIO& io = ImGui::GetIO();
        for (int i = 0; i < 10; ++i) {
            io.MousePos = ImVec2(r->cx(), r->cy());
            frame();
            auto again = find(name);
            REQUIRE(again.has_value());
            bool same = again->x0 == r->x0 && again->y0 == r->y0 && again->x1 == r->x1 && again->y1 == r->y1;
            r = again;
            if (same) break;
        }
        io.MousePos = ImVec2(r->cx(), r->cy());
        frame();
        for (int i = 0; i < (doubleClick ? 2 : 1); ++i) {
            io.MouseDown[0] = true;
            frame();
            io.MouseDown[0] = false;
            frame();
        }
        frame();
    }

    void type(const std::string& utf8) {
        ImGui::GetIO().AddInputCharactersUTF8(utf8.c_str());
        frame();
        frame();
    }

    void key(int k, bool ctrl = false) {
        ImGuiIO& io = ImGui::GetIO();
        io.KeyCtrl = ctrl;
        io.KeysDown[kKeyCtrl] = ctrl;
        io.KeysDown[k] = true;
        frame();
        io.KeysDown[k] = false;
        frame();
        io.KeyCtrl = false;
        io.KeysDown[kKeyCtrl] = false;
        frame();
    }

    int frames() const { return m_frames; }

    // The built-in file browser (widgets/file_browser.h) as a user works it. browseTo: into
    // `folder` through its location box; pickFiles: then the files clicked and 打开; saveAs:
    // the name typed over the proposed one (none: the proposal kept) and 保存.
    void browseTo(const fs::path& folder) {
        INFO("widgets on screen: " << knownNames());
        REQUIRE(find("files.path"));
        click("files.path");
        key('A', true);
        key(kKeyBackspace);
        type(folder.string());
        key(kKeyEnter);
        settle();
    }
    void pickFiles(const fs::path& folder, const std::vector<std::string>& names) {
        browseTo(folder);
        for (const auto& n : names) click("files.entry." + n);
        click("files.ok");
        settle();
    }
    void saveAs(const fs::path& folder, const std::string& name = {}) {
        browseTo(folder);
        if (!name.empty()) {
            click("files.name");
            key('A', true);
            key(kKeyBackspace);
            type(name);
        }
        click("files.ok");
        settle();
    }

    // One frame whose drawn text is captured: ImGui logs every rendered text item while logging
    // is on, and hands the log to the clipboard when the shell's window ends. The mouse is moved
    // off the window first (a tooltip window would end the log early).
    std::string screenText() {
        ImGui::GetIO().MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
        frame();
        m_shell->beginFrame();
        ImGui::NewFrame();
        ImGui::LogToClipboard();
        m_shell->draw();
        ImGui::LogFinish();
        ImGui::Render();
        ++m_frames;
        const char* text = ImGui::GetClipboardText();
        return text ? text : "";
    }

private:
    ImGuiContext* m_ctx = nullptr;
    ui::HeadlessRenderer m_renderer;
    std::unique_ptr<ui::Shell> m_shell;
    int m_frames = 0;
};

}  // namespace jc::test
