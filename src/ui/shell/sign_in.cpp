// The gate before the store (DESIGN.md §5): a protected store is opened only after the user's
// passphrase unwrapped its key, so the sign-in screen reads nothing of it; an empty data
// directory first gets its passphrase; an idle window locks (the views vanish, the workers and
// the background sync keep running with the key held in locked memory). Wrong passphrases:
// after five, each further try waits 1, 2, 4 … up to 60 seconds — the count kept beside the key
// file, shared with the CLI and earlier runs (app::signInWaitSeconds), so a wait already running
// shows the moment the screen does, with the number of seconds the CLI would give. The key
// derivation (argon2id, about half a second) runs on a thread of its own so frames keep coming.
#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <cmath>

#include "app/outside_viewer.h"
#include "app/protection.h"
#include "ui/shell/automation.h"
#include "ui/shell/i18n.h"
#include "ui/shell/shell.h"
#include "ui/shell/theme.h"
#include "ui/widgets/widgets.h"

namespace jc::ui {

double Shell::signInDelay() const { return std::max(0.0, m_signRetryAt - now()); }

void Shell::refreshSignInWait() {
    m_signWaitCheckedAt = now();
    double wait = 0;
    try {
        wait = signInWaitSeconds(m_opt.dataDir);
    } catch (const std::exception&) {
        wait = 0;  // the sign-in itself will say what is wrong
    }
    m_signRetryAt = wait > 0 ? m_signWaitCheckedAt + wait : 0;
}

OutsideViewer& Shell::outsideViewer() {
    if (!m_viewer) m_viewer = std::make_unique<OutsideViewer>();
    return *m_viewer;
}

void Shell::lockNow() {
    if (!m_storeProtected || m_gate != Gate::Open) return;
    if (m_viewer) m_viewer->removeCopies();  // no plaintext copy outlives the lock
    m_gate = Gate::Locked;
    m_signPass.clear();
    m_signError.clear();
    refreshSignInWait();
}

void Shell::noteActivity() {
    ImGuiContext* g = ImGui::GetCurrentContext();
    if (!g) return;
    ImGuiIO& io = ImGui::GetIO();
    bool active = io.MouseDelta.x != 0 || io.MouseDelta.y != 0 || !io.InputQueueCharacters.empty() || io.MouseWheel != 0;
    for (bool down : io.MouseDown) active = active || down;
    for (bool down : io.KeysDown) active = active || down;
    double t = now();
    if (active || m_lastActivity == 0) m_lastActivity = t;
    double limit = m_opt.idleLockSeconds > 0 ? m_opt.idleLockSeconds : m_settings.idleLockMinutes * 60.0;
    if (m_gate == Gate::Open && m_storeProtected && limit > 0 && t - m_lastActivity > limit) lockNow();
}

void Shell::pollSignIn() {
    bool gateShown = m_gate == Gate::SignIn || m_gate == Gate::Locked;
    if (!m_signTask.valid()) {
        // Another process (the CLI, a second window) may have counted wrong passphrases since.
        if (gateShown && now() - m_signWaitCheckedAt >= 1.0) refreshSignInWait();
        return;
    }
    if (m_signTask.wait_for(std::chrono::seconds(0)) != std::future_status::ready) return;
    auto [outcome, why] = m_signTask.get();
    m_signPass.clear();
    m_signPass2.clear();
    bool recovered = m_recoveryRunning;
    m_recoveryRunning = false;
    if (outcome < 0) {
        m_signError = why;
        refreshSignInWait();  // refused because a wait runs: it shows
        return;
    }
    if (recovered) {  // HQ's answer applied: the key is in memory under the new passphrase
        m_recovering = false;
        m_recoveryRequest.clear();
        m_recoveryShown.clear();
        m_recoveryAnswer.clear();
        m_recoveryNote.clear();
        notify(tr("recovery.done"));
    }
    if (outcome == 0) {
        m_signError = tr("signin.wrong");
        refreshSignInWait();  // the failure was counted beside the key file
        return;
    }
    m_signRetryAt = 0;
    m_signError.clear();
    m_lastActivity = now();
    if (!m_signUser.empty() && m_settings.lastUser != m_signUser) {
        m_settings.lastUser = m_signUser;
        saveSettings();
    }
    if (m_gate == Gate::Locked) {
        m_gate = Gate::Open;
        return;
    }
    m_storeProtected = true;
    if (m_opt.asUser.empty()) m_opt.asUser = m_signUser;
    m_gate = Gate::Open;
    startStore();
}

void Shell::drawGate() {
    float w = std::min(ImGui::GetContentRegionAvail().x, ImGui::GetFontSize() * 24);
    ImGui::SetCursorPosX((ImGui::GetContentRegionAvail().x - w) * 0.5f);
    ImGui::BeginGroup();
    ImGui::Dummy(ImVec2(0, ImGui::GetFontSize() * 3));
    if (m_recovering && m_gate == Gate::SignIn) {
        drawRecovery(w);
        ImGui::EndGroup();
        return;
    }
    bool newStore = m_gate == Gate::NewStore;
    const char* title = newStore ? "newstore.title" : m_gate == Gate::Locked ? "signin.locked_title" : "signin.title";
    ImGui::TextColored(theme::kAccent, "%s", tr(title));
    mark(title);
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + w);
    ImGui::TextColored(theme::kMuted, "%s",
                       tr(newStore ? "newstore.intro" : m_gate == Gate::Locked ? "signin.locked_intro" : "signin.intro"));
    ImGui::PopTextWrapPos();
    ImGui::Spacing();
    ImGui::PushItemWidth(w);
    bool working = m_signTask.valid();
    bool submit = false;
    if (!newStore) {
        widgets::fieldLabel(tr("signin.user"));
        ImGui::BeginDisabled(m_gate == Gate::Locked);
        widgets::inputText("##signin.user", m_signUser);
        ImGui::EndDisabled();
    }
    widgets::fieldLabel(tr(newStore ? "newstore.passphrase" : "signin.passphrase"), true);
    if (ImGui::IsWindowAppearing() || (!working && m_signPass.empty() && !ImGui::IsAnyItemActive()))
        ImGui::SetKeyboardFocusHere();
    if (ImGui::InputText("##signin.passphrase", &m_signPass, ImGuiInputTextFlags_Password | ImGuiInputTextFlags_EnterReturnsTrue))
        submit = !newStore;
    mark("signin.passphrase");
    if (newStore) {
        widgets::fieldLabel(tr("newstore.repeat"), true);
        if (ImGui::InputText("##signin.repeat", &m_signPass2, ImGuiInputTextFlags_Password | ImGuiInputTextFlags_EnterReturnsTrue))
            submit = true;
        mark("signin.repeat");
        widgets::fieldLabel(tr("newstore.suite"));
        const char* suites[] = {tr("newstore.suite_default"), tr("newstore.suite_gm")};
        ImGui::Combo("##signin.suite", &m_signSuite, suites, 2);
        mark("signin.suite");
    }
    ImGui::PopItemWidth();
    ImGui::Spacing();
    double wait = signInDelay();
    ImGui::BeginDisabled(working || wait > 0 || m_signPass.empty());
    if (ImGui::Button(trId(newStore ? "newstore.create" : "signin.button"))) submit = true;
    mark(newStore ? "newstore.create" : "signin.button");
    ImGui::EndDisabled();
    if (m_gate == Gate::SignIn) {
        ImGui::SameLine();
        ImGui::BeginDisabled(working);
        if (ImGui::Button(trId("signin.forgot"))) {
            m_recovering = true;
            m_signError.clear();
            m_signPass.clear();
        }
        mark("signin.forgot");
        ImGui::EndDisabled();
    }
    if (working) {
        ImGui::SameLine();
        ImGui::TextColored(theme::kMuted, "%s", tr("signin.working"));
        mark("signin.working");
    } else if (wait > 0) {
        ImGui::SameLine();
        ImGui::TextColored(theme::kRed, "%s", trf("signin.wait", {std::to_string(static_cast<int>(std::ceil(wait)))}).c_str());
        mark("signin.wait");
    }
    if (!m_signError.empty()) {
        ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + w);
        ImGui::TextColored(theme::kRed, "%s", m_signError.c_str());
        ImGui::PopTextWrapPos();
        mark("signin.error");
    }
    ImGui::EndGroup();
    if (!submit || working || wait > 0 || m_signPass.empty()) return;
    m_signError.clear();
    std::filesystem::path dir = m_opt.dataDir;
    std::string pass = m_signPass;
    if (newStore) {
        if (m_signPass2 != m_signPass) {
            m_signError = tr("newstore.mismatch");
            return;
        }
        std::string suite = m_signSuite == 1 ? "gm" : "default";
        m_signTask = std::async(std::launch::async, [dir, pass, suite] {
            try {
                protectNewStore(dir, suite, pass, "");
                return std::make_pair(1, std::string());
            } catch (const std::exception& e) {
                return std::make_pair(-1, std::string(e.what()));
            }
        });
        return;
    }
    bool locked = m_gate == Gate::Locked;
    m_signTask = std::async(std::launch::async, [dir, pass, locked] {
        try {
            return std::make_pair((locked ? checkPassphrase(dir, pass) : signIn(dir, pass)) ? 1 : 0, std::string());
        } catch (const std::exception& e) {
            return std::make_pair(-1, std::string(e.what()));
        }
    });
}

}  // namespace jc::ui
