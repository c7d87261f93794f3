#pragma once
// The two passphrase screens of a signed-in client, beside the sign-in screen's 忘记口令:
//   PassphrasePanel (设置 → 安全): changes the store's passphrase — the current one, the new one
//     twice, the same length rule as the CLI — through app/protection.h changeStorePassphrase()
//     on the write worker as the session's user, which only rewraps the data key and audits it
//     as "passphrase_change";
//   RecoveryAnswerPanel (系统管理 → 口令恢复, HQ): opens a device's recovery request file,
//     answers it with HQ's key (answerRecoveryRequest(): audited as "recovery_answer", as the
//     CLI's `recovery answer`) and saves the answer to a file for the device's user.
// Files come from the one file chooser (widgets/file_chooser.h).
#include <string>

namespace jc::ui {

class Shell;

class PassphrasePanel {
public:
    void draw(Shell& shell, float labelWidth);
    bool settled() const { return !m_busy; }

private:
    std::string m_current, m_new, m_repeat, m_error, m_suite;
    bool m_busy = false, m_suiteLoaded = false, m_changed = false;
};

class RecoveryAnswerPanel {
public:
    void draw(Shell& shell);
    bool settled() const { return !m_busy; }

private:
    void saveAnswer(Shell& shell);
    std::string m_request, m_requestFile, m_answer, m_answerShown, m_error, m_note;
    bool m_busy = false;
};

}  // namespace jc::ui
