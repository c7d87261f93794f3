// Efficiency warnings (效能告诫): the list (level, target, reason, who issued it, whether it was
// acknowledged), acknowledgement, and — for leads — issuing one to a person or unit, linked to
// the finding or complaint behind it (the editor opens this view with the finding filled in).
#include <imgui.h>
#include <imgui_stdlib.h>

#include "app/rectification_commands.h"
#include "ui/shell/automation.h"
#include "ui/shell/i18n.h"
#include "ui/shell/shell.h"
#include "ui/shell/theme.h"
#include "ui/views/list_view.h"
#include "ui/views/views.h"
#include "ui/widgets/export_button.h"
#include "ui/widgets/pickers.h"
#include "ui/widgets/widgets.h"

namespace jc::ui {

namespace {

class WarningsView : public View {
public:
    const char* id() const override { return "warnings"; }
    const char* titleKey() const override { return "nav.warnings"; }
    bool settled() const override { return m_list.loaded() && !m_list.loading() && !m_busy; }

    // "finding:<id>" or "complaint:<id>": start a new warning linked to that case.
    void open(Shell&, const std::string& link) override {
        size_t colon = link.find(':');
        if (colon == std::string::npos) return;
        m_form = true;
        m_in = WarningInput{};
        m_in.linkedEntity = link.substr(0, colon);
        m_in.linkedId = link.substr(colon + 1);
    }

    void draw(Shell& shell) override {
        m_list.refresh(
            shell, "warnings.list", [](WorkerContext& w) { return listWarnings(w.store.db()); },
            [&shell](const std::vector<WarningRow>& rows) {
                for (const auto& r : rows) shell.noteText(r.reason), shell.noteText(r.target), shell.noteText(r.issuedBy);
            });
        const SessionData& s = shell.session();
        bool lead = s.actor.role != Role::Inspector;
        if (lead) {
            if (ImGui::Button(trId("warnings.new"))) {
                m_form = true;
                m_in = WarningInput{};
            }
            mark("warnings.new");
            ImGui::SameLine();
        }
        report::ExportRequest req;
        req.entity = "warnings";
        m_export.draw(shell, "warnings.export", tr("warnings.export_name"), listExport(req));
        listAndSide(
            "##warnings.list", 0.55f, [&] { drawList(shell); }, "##warnings.form",
            m_form ? [&] { drawForm(shell); } : std::function<void()>());
    }

private:
    void drawList(Shell& shell) {
        if (!m_list.drawState("warnings.none")) return;
        const auto& rows = m_list.rows();
        ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersOuter | ImGuiTableFlags_ScrollY | ImGuiTableFlags_SizingFixedFit;
        if (!ImGui::BeginTable("##warnings.table", 5, flags, ImGui::GetContentRegionAvail())) return;
        float em = ImGui::GetFontSize();
        ImGui::TableSetupScrollFreeze(0, 1);
        ImGui::TableSetupColumn(tr("warnings.col_level"), ImGuiTableColumnFlags_WidthFixed, em * 5);
        ImGui::TableSetupColumn(tr("warnings.col_target"), ImGuiTableColumnFlags_WidthFixed, em * 9);
        ImGui::TableSetupColumn(tr("warnings.col_reason"), ImGuiTableColumnFlags_WidthStretch);
        ImGui::TableSetupColumn(tr("warnings.col_issued"), ImGuiTableColumnFlags_WidthFixed, em * 9);
        ImGui::TableSetupColumn(tr("warnings.col_ack"), ImGuiTableColumnFlags_WidthFixed, em * 6);
        ImGui::TableHeadersRow();
        for (size_t i = 0; i < rows.size(); ++i) {
            const WarningRow& w = rows[i];
            ImGui::PushID(w.id.c_str());
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImVec4 col = w.level == "serious" ? theme::kRed : w.level == "warning" ? theme::kYellow : theme::kMuted;
            ImGui::TextColored(col, "● %s", codeLabel(warningLevels(), w.level));
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(w.target.c_str());
            ImGui::TableNextColumn();
            widgets::textWrapped(w.reason);
            if (!w.linkedId.empty() && w.linkedEntity == "finding") {
                if (ImGui::SmallButton(trId("warnings.open_case"))) shell.openFinding(w.linkedId, "warnings");
            } else if (!w.linkedId.empty() && w.linkedEntity == "complaint") {
                if (ImGui::SmallButton(trId("warnings.open_case"))) shell.openComplaint(w.linkedId);
            }
            ImGui::TableNextColumn();
            ImGui::TextUnformatted((w.issuedBy + " " + localTime(w.issuedAt).substr(0, 10)).c_str());
            ImGui::TableNextColumn();
            if (!w.acknowledgedAt.empty()) {
                ImGui::TextColored(theme::kGreen, "%s", localTime(w.acknowledgedAt).substr(0, 10).c_str());
            } else {
                ImGui::BeginDisabled(m_busy);
                if (ImGui::SmallButton(trId("warnings.acknowledge"))) {
                    std::string id = w.id;
                    m_busy = true;
                    shell.runCommand([id](WorkerContext& c) { acknowledgeWarning(c.app, id); }, [this]() { m_busy = false; },
                                     [this](const JobError&) { m_busy = false; });
                }
                mark("warnings.acknowledge." + std::to_string(i));
                ImGui::EndDisabled();
            }
            ImGui::PopID();
        }
        ImGui::EndTable();
    }

    void drawForm(Shell& shell) {
        widgets::heading(tr("warnings.issue"));
        if (!m_in.linkedId.empty())
            ImGui::TextColored(theme::kMuted, "%s", trf("warnings.linked", {tr(m_in.linkedEntity == "complaint" ? "home.complaint" : "editor.finding")}).c_str());
        widgets::fieldLabel(tr("warnings.target_unit"));
        unitPicker(shell, "warnings.unit", m_in.targetUnitId, {}, ImGui::GetContentRegionAvail().x);
        widgets::fieldLabel(tr("warnings.target_person"));
        personPicker(shell, "warnings.person", m_in.targetPersonId, m_in.targetUnitId, ImGui::GetContentRegionAvail().x);
        widgets::fieldLabel(tr("warnings.level"), true);
        widgets::codeCombo("##warnings.level", warningLevels(), m_in.level, nullptr, -1);
        widgets::fieldLabel(tr("warnings.reason"), true);
        if (widgets::inputMultiline("##warnings.reason", m_in.reason, 3, 8)) shell.noteText(m_in.reason);
        bool ok = !m_in.reason.empty() && (!m_in.targetUnitId.empty() || !m_in.targetPersonId.empty());
        ImGui::BeginDisabled(!ok || m_busy);
        if (ImGui::Button(trId("warnings.issue_button"))) {
            m_busy = true;
            WarningInput in = m_in;
            shell.runCommand([in](WorkerContext& w) { issueWarning(w.app, in); },
                             [this, &shell]() {
                                 m_busy = false;
                                 m_form = false;
                                 shell.notify(tr("warnings.issued"));
                             },
                             [this](const JobError&) { m_busy = false; });
        }
        mark("warnings.issue_button");
        ImGui::EndDisabled();
        ImGui::SameLine();
        if (ImGui::Button(trId("common.cancel"))) m_form = false;
    }

    ListRows<WarningRow> m_list;
    bool m_busy = false, m_form = false;
    WarningInput m_in;
    ExportButton m_export;
};

}  // namespace

std::unique_ptr<View> makeWarningsView() { return std::make_unique<WarningsView>(); }

}  // namespace jc::ui
