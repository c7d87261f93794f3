// 忘记口令 on the sign-in screen: HQ recovery of a forgotten passphrase, the same three steps
// as the CLI (app/protection.h): the device makes a recovery request (saved to a file with the
// file chooser, and shown for copying); HQ answers it in 系统管理 → 口令恢复 (or with
// `jiancha recovery answer`); the answer (opened from its file, or pasted) and a new
// passphrase, typed twice, reset the store's passphrase — then the store opens. Nothing of the
// store is read before that: the request needs only the key file.
#include <imgui.h>
#include <imgui_stdlib.h>

#include "app/protection.h"
#include "ui/shell/automation.h"
#include "ui/shell/i18n.h"
#include "ui/shell/shell.h"
#include "ui/shell/theme.h"
#include "ui/widgets/widgets.h"

namespace jc::ui {

namespace {
FileRequest recoveryFileRequest(FileRequest::Mode mode, const char* titleKey, const char* nameKey) {
    FileRequest r;
    r.mode = mode;
    r.title = tr(titleKey);
    r.filterName = tr("recovery.file_filter");
    r.patterns = {"*.txt"};
    if (nameKey) r.suggestedName = std::string(tr(nameKey)) + ".txt";
    return r;
}
}  // namespace

void Shell::drawRecovery(float w) {
    std::filesystem::path dir = m_opt.dataDir;
    bool working = m_signTask.valid();
    ImGui::TextColored(theme::kAccent, "%s", tr("recovery.title"));
    mark("recovery.title");
    widgets::textWrapped(tr("recovery.intro"), w, theme::kMuted);
    ImGui::Spacing();

    // 1. The request: made (a one-time reply key waits beside the key file), saved, shown.
    ImGui::BeginDisabled(working || fileChooser().busy());
    if (ImGui::Button(trId("recovery.make_request"))) {
        m_signError.clear();
        m_recoveryNote.clear();
        try {
            m_recoveryRequest = storeRecoveryRequest(dir);
            m_recoveryShown = widgets::breakToken(m_recoveryRequest, w);
            fileChooser().open(recoveryFileRequest(FileRequest::Mode::Save, "recovery.choose_request_title", "recovery.request_file_name"),
                               [this](std::vector<std::string> paths) {
                                   if (paths.empty()) return;
                                   try {
                                       writeRecoveryFile(paths.front(), m_recoveryRequest, RecoveryText::Request);
                                       m_recoveryNote = trf("recovery.request_saved", {paths.front(), recoveryFingerprint(m_recoveryRequest)});
                                       noteText(m_recoveryNote);
                                   } catch (const std::exception& e) {
                                       m_signError = e.what();
                                       noteText(m_signError);
                                   }
                               });
        } catch (const std::exception& e) {
            m_signError = e.what();
            noteText(m_signError);
        }
    }
    mark("recovery.make_request");
    ImGui::EndDisabled();
    if (!m_recoveryRequest.empty()) {
        widgets::fieldLabel(tr("recovery.request_label"));
        ImGui::InputTextMultiline("##recovery.request", &m_recoveryShown, ImVec2(w, ImGui::GetTextLineHeight() * 4.5f),
                                  ImGuiInputTextFlags_ReadOnly);
        mark("recovery.request");
    }
    if (!m_recoveryNote.empty()) {
        widgets::textWrapped(m_recoveryNote, w, theme::kGreen);
        mark("recovery.note");
    }
    ImGui::Spacing();

    // 2. HQ's answer, from its file or pasted; 3. the new passphrase, twice.
    ImGui::BeginDisabled(working || fileChooser().busy());
    if (ImGui::Button(trId("recovery.open_answer"))) {
        m_signError.clear();
        fileChooser().open(recoveryFileRequest(FileRequest::Mode::Open, "recovery.choose_answer_title", nullptr),
                           [this](std::vector<std::string> paths) {
                               if (paths.empty()) return;
                               try {
                                   m_recoveryAnswer = widgets::breakToken(readRecoveryFile(paths.front(), RecoveryText::Answer),
                                                                          ImGui::GetFontSize() * 24);
                               } catch (const std::exception& e) {
                                   m_signError = e.what();
                                   noteText(m_signError);
                               }
                           });
    }
    mark("recovery.open_answer");
    ImGui::EndDisabled();
    widgets::fieldLabel(tr("recovery.answer_label"), true);
    ImGui::InputTextMultiline("##recovery.answer", &m_recoveryAnswer, ImVec2(w, ImGui::GetTextLineHeight() * 4.5f));
    mark("recovery.answer");
    ImGui::PushItemWidth(w);
    widgets::fieldLabel(tr("newstore.passphrase"), true);
    ImGui::InputText("##recovery.passphrase", &m_signPass, ImGuiInputTextFlags_Password);
    mark("recovery.passphrase");
    widgets::fieldLabel(tr("newstore.repeat"), true);
    ImGui::InputText("##recovery.repeat", &m_signPass2, ImGuiInputTextFlags_Password);
    mark("recovery.repeat");
    ImGui::PopItemWidth();
    ImGui::Spacing();

    bool ready = !working && !m_recoveryAnswer.empty() && !m_signPass.empty();
    ImGui::BeginDisabled(!ready);
    bool reset = ImGui::Button(trId("recovery.reset"));
    mark("recovery.reset");
    ImGui::EndDisabled();
    ImGui::SameLine();
    ImGui::BeginDisabled(working);
    if (ImGui::Button(trId("recovery.back"))) {
        m_recovering = false;
        m_signError.clear();
        m_signPass.clear();
        m_signPass2.clear();
        refreshSignInWait();
    }
    mark("recovery.back");
    ImGui::EndDisabled();
    if (working) {
        ImGui::SameLine();
        ImGui::TextColored(theme::kMuted, "%s", tr("signin.working"));
        mark("signin.working");
    }
    if (!m_signError.empty()) {
        widgets::textWrapped(m_signError, w, theme::kRed);
        mark("signin.error");
    }
    if (!reset || !ready) return;
    m_signError.clear();
    if (m_signPass2 != m_signPass) {
        m_signError = tr("newstore.mismatch");
        return;
    }
    std::string answer = m_recoveryAnswer, pass = m_signPass;
    // The reset is audited as the user the session will run as (pollSignIn(): --as, else the
    // sign-in screen's user; "" = the store's own).
    std::string user = m_opt.asUser.empty() ? m_signUser : m_opt.asUser;
    m_recoveryRunning = true;
    // argon2id for the new wrap runs off the frame, as at sign-in.
    m_signTask = std::async(std::launch::async, [dir, answer, pass, user] {
        try {
            completeStoreRecovery(dir, answer, pass, user);
            return std::make_pair(1, std::string());
        } catch (const std::exception& e) {
            return std::make_pair(-1, std::string(e.what()));
        }
    });
}

}  // namespace jc::ui
