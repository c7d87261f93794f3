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

    // Frames for `seconds` of wall time (autosave timers run on the real clock).
    void runFor(double seconds) {
        auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
        while (std::chrono::steady_clock::now() < end) {
            frame();
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
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

private:
    ImGuiContext* m_ctx = nullptr;
    ui::HeadlessRenderer m_renderer;
    std::unique_ptr<ui::Shell> m_shell;
    int m_frames = 0;
};

}  // namespace jc::test
