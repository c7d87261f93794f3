#include "ui/widgets/security_panels.h"

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
FileRequest textFileRequest(FileRequest::Mode mode, const char* titleKey, const std::string& suggested) {
    FileRequest r;
    r.mode = mode;
    r.title = tr(titleKey);
    r.filterName = tr("recovery.file_filter");
    r.patterns = {"*.txt"};
    if (!suggested.empty()) r.suggestedName = suggested + ".txt";
    return r;
}

void errorText(const std::string& error, const char* name) {
    if (error.empty()) return;
    ImGui::PushTextWrapPos(ImGui::GetFontSize() * 40);
    ImGui::TextColored(theme::kRed, "%s", error.c_str());
    ImGui::PopTextWrapPos();
    mark(name);
}
}  // namespace

void PassphrasePanel::draw(Shell& shell, float labelW) {
    auto row = [&](const char* key) {
        ImGui::AlignTextToFramePadding();
        ImGui::TextUnformatted(tr(key));
        ImGui::SameLine(labelW);
    };
    if (!m_suiteLoaded) {  // the key file's suite, read once
        m_suiteLoaded = true;
        try {
            m_suite = protectionSuite(shell.dataDir());
        } catch (const std::exception&) {
            m_suite.clear();
        }
    }
    row("settings.protection");
    if (!shell.storeProtected()) {
        ImGui::PushTextWrapPos(ImGui::GetFontSize() * 40);
        ImGui::TextColored(theme::kRed, "%s", tr("signin.unprotected_hint"));
        ImGui::PopTextWrapPos();
        mark("settings.protection.plain");
        return;
    }
    // protectionSuite() answers with the suite's full name ("sm4ctr-hmacsm3", "xchacha20poly1305").
    const bool gm = m_suite == "sm4ctr-hmacsm3";
    ImGui::TextColored(theme::kGreen, "%s",
                       trf("settings.protected_with", {tr(gm ? "newstore.suite_gm" : "newstore.suite_default")}).c_str());
    mark("settings.protection.on");
    mark(gm ? "settings.protection.suite_gm" : "settings.protection.suite_default");

    float fieldW = ImGui::GetFontSize() * 16;
    row("passphrase.current");
    ImGui::SetNextItemWidth(fieldW);
    ImGui::InputText("##passphrase.current", &m_current, ImGuiInputTextFlags_Password);
    mark("passphrase.current");
    row("passphrase.new");
    ImGui::SetNextItemWidth(fieldW);
    ImGui::InputText("##passphrase.new", &m_new, ImGuiInputTextFlags_Password);
    mark("passphrase.new");
    ImGui::SameLine();
    ImGui::TextColored(theme::kMuted, "%s", trf("passphrase.rule", {std::to_string(kMinPassphraseChars)}).c_str());
    row("passphrase.repeat");
    ImGui::SetNextItemWidth(fieldW);
    ImGui::InputText("##passphrase.repeat", &m_repeat, ImGuiInputTextFlags_Password);
    mark("passphrase.repeat");

    ImGui::Dummy(ImVec2(labelW - ImGui::GetStyle().ItemSpacing.x, 0));
    ImGui::SameLine(labelW);
    ImGui::BeginDisabled(m_busy);
    bool change = ImGui::Button(trId("passphrase.change"));
    mark("passphrase.change");
    ImGui::EndDisabled();
    if (m_busy) {
        ImGui::SameLine();
        ImGui::TextColored(theme::kMuted, "%s", tr("passphrase.working"));
    }
    errorText(m_error, "passphrase.error");
    if (m_changed && (!m_current.empty() || !m_new.empty())) m_changed = false;  // typing again: the note goes
    if (m_changed) {
        widgets::textWrapped(tr("passphrase.changed"), ImGui::GetFontSize() * 40, theme::kGreen);
        mark("passphrase.changed");
    }
    if (!change) return;
    // Checked here first (nothing is sent for a form that cannot succeed), and again by the app.
    m_error.clear();
    if (m_current.empty()) m_error = tr("passphrase.need_current");
    else if (m_new != m_repeat) m_error = tr("newstore.mismatch");
    else if (m_new == m_current) m_error = tr("passphrase.same");
    else {
        try {
            checkNewPassphrase(m_new);
        } catch (const std::exception& e) {
            m_error = e.what();
        }
    }
    if (!m_error.empty()) return;
    std::string current = m_current, replacement = m_new;
    // On the write worker, as the session's user: the change is audited on its connection.
    shell.runGuarded(
        m_busy, m_error, [current, replacement](WorkerContext& w) { changeStorePassphrase(w.app, current, replacement); },
        [this, &shell] {
            m_current.clear();
            m_new.clear();
            m_repeat.clear();
            m_changed = true;
            shell.notify(tr("passphrase.changed"));
        });
}

void RecoveryAnswerPanel::draw(Shell& shell) {
    float width = ImGui::GetFontSize() * 40;
    widgets::textWrapped(tr("admin.recovery_intro"), width, theme::kMuted);
    ImGui::Spacing();
    ImGui::BeginDisabled(m_busy || shell.fileChooser().busy());
    if (ImGui::Button(trId("admin.recovery_open"))) {
        shell.fileChooser().open(textFileRequest(FileRequest::Mode::Open, "admin.recovery_choose_request", ""),
                                 [this, &shell](std::vector<std::string> paths) {
                                     if (paths.empty()) return;
                                     m_error.clear();
                                     m_note.clear();
                                     m_answer.clear();
                                     m_answerShown.clear();
                                     try {
                                         m_request = readRecoveryFile(paths.front(), RecoveryText::Request);
                                         m_requestFile = paths.front();
                                         shell.noteText(m_requestFile);
                                     } catch (const std::exception& e) {
                                         m_request.clear();
                                         m_error = e.what();
                                         shell.noteText(m_error);
                                     }
                                 });
    }
    mark("admin.recovery_open");
    ImGui::EndDisabled();
    if (!m_request.empty()) {
        ImGui::TextUnformatted(
            trf("admin.recovery_request", {m_requestFile, recoveryFingerprint(m_request)}).c_str());
        mark("admin.recovery_request");
        ImGui::BeginDisabled(m_busy || shell.fileChooser().busy());
        if (ImGui::Button(trId("admin.recovery_answer"))) {
            std::string request = m_request;
            auto answer = std::make_shared<std::string>();
            shell.runGuarded(
                m_busy, m_error, [request, answer](WorkerContext& w) { *answer = answerRecoveryRequest(w.app, request); },
                [this, &shell, answer, width] {
                    m_answer = *answer;
                    m_answerShown = widgets::breakToken(m_answer, width);
                    saveAnswer(shell);
                });
        }
        mark("admin.recovery_answer");
        ImGui::EndDisabled();
    }
    if (!m_answer.empty()) {
        widgets::fieldLabel(tr("admin.recovery_answer_text"));
        ImGui::InputTextMultiline("##admin.recovery_answer_text", &m_answerShown, ImVec2(width, ImGui::GetTextLineHeight() * 4.5f),
                                  ImGuiInputTextFlags_ReadOnly);
        mark("admin.recovery_answer_text");
        ImGui::BeginDisabled(shell.fileChooser().busy());
        if (ImGui::Button(trId("admin.recovery_save_again"))) saveAnswer(shell);
        mark("admin.recovery_save_again");
        ImGui::EndDisabled();
    }
    if (!m_note.empty()) {
        widgets::textWrapped(m_note, width, theme::kGreen);
        mark("admin.recovery_note");
    }
    errorText(m_error, "admin.recovery_error");
}

void RecoveryAnswerPanel::saveAnswer(Shell& shell) {
    shell.fileChooser().open(textFileRequest(FileRequest::Mode::Save, "admin.recovery_choose_answer", tr("recovery.answer_file_name")),
                             [this, &shell](std::vector<std::string> paths) {
                                 if (paths.empty()) return;
                                 try {
                                     writeRecoveryFile(paths.front(), m_answer, RecoveryText::Answer);
                                     m_note = trf("admin.recovery_saved", {paths.front()});
                                 } catch (const std::exception& e) {
                                     m_error = e.what();
                                 }
                                 shell.noteText(m_note + m_error);
                             });
}

}  // namespace jc::ui
