#include "ui/widgets/enrol_form.h"

#include <imgui.h>

#include "ui/shell/automation.h"
#include "ui/shell/i18n.h"
#include "ui/shell/shell.h"
#include "ui/shell/sync_status.h"
#include "ui/shell/theme.h"
#include "ui/widgets/widgets.h"

namespace jc::ui {

void drawEnrolForm(Shell& shell, EnrolFormState& st, float width) {
    float em = ImGui::GetFontSize();
    ImGui::PushItemWidth(width);
    widgets::fieldLabel(tr("enrol.server"), true);
    widgets::inputText("##enrol.server", st.server, tr("enrol.server_hint"));
    mark("enrol.server");
    widgets::fieldLabel(tr("enrol.code"), true);
    widgets::inputText("##enrol.code", st.code, tr("enrol.code_hint"));
    mark("enrol.code");
    widgets::fieldLabel(tr("enrol.ca_file"));
    ImGui::SetNextItemWidth(width - em * 6);
    widgets::inputText("##enrol.ca_file", st.caFile, tr("enrol.ca_file_hint"));
    mark("enrol.ca_file");
    ImGui::SameLine();
    if (ImGui::Button(trId("enrol.choose_ca"), ImVec2(em * 6 - ImGui::GetStyle().ItemSpacing.x, 0))) {
        FileRequest req;
        req.title = tr("enrol.choose_ca_title");
        req.filterName = tr("enrol.ca_filter");
        req.patterns = {"*.pem", "*.crt", "*.cer"};
        shell.fileChooser().open(req, [&st, &shell](std::vector<std::string> paths) {
            if (paths.empty()) return;
            st.caFile = paths.front();
            shell.noteText(st.caFile);
        });
    }
    mark("enrol.choose_ca");
    widgets::fieldLabel(tr("enrol.device_name"));
    widgets::inputText("##enrol.device_name", st.deviceName, tr("enrol.device_name_hint"));
    mark("enrol.device_name");
    ImGui::PopItemWidth();
    ImGui::Spacing();
    ImGui::BeginDisabled(st.busy || st.server.empty() || st.code.empty());
    if (ImGui::Button(trId("enrol.submit"))) {
        st.busy = true;
        st.error.clear();
        st.errorDetail.clear();
        shell.notify(tr("enrol.working"));
        sync::EnrolRequest req{st.server, st.code, st.deviceName, st.caFile};
        shell.enrolDevice(req, [&st, &shell](const sync::EnrollOutcome& out) {
            st.busy = false;
            if (out.ok) {
                st.code.clear();
                return;
            }
            st.error = syncErrorKindText(out.kind);
            st.errorDetail = out.error;
            shell.noteText(st.error);
            shell.noteText(st.errorDetail);
            shell.notifyError(st.error);
        });
    }
    mark("enrol.submit");
    ImGui::EndDisabled();
    if (st.busy) {
        ImGui::SameLine();
        ImGui::TextColored(theme::kMuted, "%s", tr("enrol.working"));
    }
    if (!st.error.empty()) {
        ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + width);
        ImGui::TextColored(theme::kRed, "%s", st.error.c_str());
        mark("enrol.error");
        ImGui::PopTextWrapPos();
        if (ImGui::IsItemHovered() && !st.errorDetail.empty()) ImGui::SetTooltip("%s", st.errorDetail.c_str());
    }
}

}  // namespace jc::ui
