// First run: the store has no user yet. Two ways: 注册到总部 — enrol with HQ's server and the
// one-time code HQ read out (the usual way: the store becomes the enrolled user's and syncs) —
// or 仅本机使用 — create the local user (name, role, optional team) with the same set-up as
// `jiancha init` (regions, calendar, form templates).
#include <imgui.h>
#include <imgui_stdlib.h>

#include "ui/shell/automation.h"
#include "ui/shell/i18n.h"
#include "ui/shell/shell.h"
#include "ui/shell/theme.h"
#include "ui/views/views.h"
#include "ui/widgets/enrol_form.h"
#include "ui/widgets/widgets.h"

namespace jc::ui {

namespace {

class FirstRunView : public View {
public:
    const char* id() const override { return "first_run"; }
    const char* titleKey() const override { return "firstrun.title"; }
    bool inNavigation(const SessionData&) const override { return false; }

    void draw(Shell& shell) override {
        float w = std::min(ImGui::GetContentRegionAvail().x, ImGui::GetFontSize() * 30);
        ImGui::SetCursorPosX((ImGui::GetContentRegionAvail().x - w) * 0.5f);
        ImGui::BeginGroup();
        ImGui::Dummy(ImVec2(0, ImGui::GetFontSize() * 2));
        ImGui::TextColored(theme::kAccent, "%s", tr("firstrun.title"));
        ImVec2 p = ImGui::GetCursorScreenPos();
        ImGui::GetWindowDrawList()->AddLine(p, ImVec2(p.x + w, p.y), ImGui::GetColorU32(ImGuiCol_Separator));
        ImGui::Dummy(ImVec2(w, 2));
        ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + w);
        ImGui::TextUnformatted(tr("firstrun.intro"));
        ImGui::PopTextWrapPos();
        ImGui::Spacing();
        if (ImGui::RadioButton(trId("firstrun.mode_enrol"), m_enrol)) m_enrol = true;
        mark("firstrun.mode_enrol");
        ImGui::SameLine(0, ImGui::GetFontSize() * 2);
        if (ImGui::RadioButton(trId("firstrun.mode_local"), !m_enrol)) m_enrol = false;
        mark("firstrun.mode_local");
        ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + w);
        ImGui::TextColored(theme::kMuted, "%s", tr(m_enrol ? "firstrun.enrol_intro" : "firstrun.local_intro"));
        ImGui::PopTextWrapPos();
        ImGui::Spacing();
        if (m_enrol) {
            drawEnrolForm(shell, m_form, w);
            ImGui::EndGroup();
            return;
        }
        ImGui::PushItemWidth(w);
        widgets::fieldLabel(tr("firstrun.name"), true);
        widgets::inputText("##firstrun.name", m_name);
        widgets::fieldLabel(tr("firstrun.role"));
        const char* roles[] = {"inspector", "lead", "hq_admin"};
        if (ImGui::BeginCombo("##firstrun.role", roleLabel(roles[m_role]))) {
            for (int i = 0; i < 3; ++i)
                if (ImGui::Selectable(roleLabel(roles[i]), m_role == i)) m_role = i;
            ImGui::EndCombo();
        }
        mark("firstrun.role");
        widgets::fieldLabel(tr("firstrun.team"));
        widgets::inputText("##firstrun.team", m_team, tr("firstrun.team_hint"));
        ImGui::PopItemWidth();
        ImGui::Spacing();
        ImGui::BeginDisabled(m_name.empty() || m_busy);
        if (ImGui::Button(trId("firstrun.create"))) {
            m_busy = true;
            shell.notify(tr("firstrun.working"));
            shell.initialiseStore(m_name, roles[m_role], m_team);
        }
        mark("firstrun.create");
        ImGui::EndDisabled();
        ImGui::EndGroup();
    }

private:
    std::string m_name, m_team;
    int m_role = 0;
    bool m_busy = false;
    bool m_enrol = true;
    EnrolFormState m_form;
};

}  // namespace

std::unique_ptr<View> makeFirstRunView() { return std::make_unique<FirstRunView>(); }

}  // namespace jc::ui
