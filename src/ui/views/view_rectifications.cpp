// Rectifications (整改): ordered from an accepted finding (in the editor); here the list with
// deadline lights, and the steps of the state machine — report done (with a progress note),
// verify on site, reject (with a comment) — plus the sweep that marks overdue ones.
#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>

#include "app/rectification_commands.h"
#include "core/workflow.h"
#include "ui/shell/automation.h"
#include "ui/shell/i18n.h"
#include "ui/shell/shell.h"
#include "ui/shell/theme.h"
#include "ui/views/list_view.h"
#include "ui/views/views.h"
#include "ui/widgets/export_button.h"
#include "ui/widgets/widgets.h"

namespace jc::ui {

namespace {

class RectificationsView : public View {
public:
    const char* id() const override { return "rectifications"; }
    const char* titleKey() const override { return "nav.rectifications"; }
    bool settled() const override { return m_list.loaded() && !m_list.loading() && !m_busy; }

    void draw(Shell& shell) override {
        if (m_list.stale(shell)) load(shell);
        const char* filters[] = {"open", "ordered", "reported_done", "overdue", "verified", ""};
        for (int i = 0; i < 6; ++i) {
            const char* f = filters[i];
            const char* label = std::string_view(f) == "open" ? tr("rect.open")
                                : *f                         ? codeLabel(statuses(Machine::Rectification), f)
                                                             : tr("common.all");
            if (i) ImGui::SameLine();
            if (ImGui::RadioButton((std::string(label) + "###rect.filter." + f).c_str(), m_status == f)) {
                m_status = f;
                load(shell);
            }
        }
        ImGui::SameLine(0, 30);
        {
            report::ExportRequest req;
            req.entity = "rectifications";
            req.status = m_status;
            m_export.draw(shell, "rect.export", tr("rect.export_name"), listExport(req));
        }
        ImGui::SameLine();
        ImGui::BeginDisabled(m_busy);
        if (ImGui::Button(trId("rect.sweep"))) {
            m_busy = true;
            shell.jobs().request<int>(
                Lane::Write, [](WorkerContext& w) { return markOverdueRectifications(w.app); },
                [this, &shell](int n) {
                    m_busy = false;
                    shell.dataChanged();
                    shell.notify(trf("rect.swept", {std::to_string(n)}));
                },
                shell.failClears(m_busy));
        }
        mark("rect.sweep");
        ImGui::EndDisabled();

        listAndSide(
            "##rect.list", 0.58f, [&] { drawList(shell); }, "##rect.detail", [&] { drawDetail(shell); });
    }

private:
    // The rows of the chosen status filter ("open": all but the verified ones).
    ListRows<RectificationRow>::Fetch fetch() const {
        return [status = m_status](WorkerContext& w) {
            if (status != "open") return listRectifications(w.store.db(), *w.app.calendar, w.app.today(), status);
            std::vector<RectificationRow> open;
            for (auto& r : listRectifications(w.store.db(), *w.app.calendar, w.app.today()))
                if (r.status != "verified") open.push_back(std::move(r));
            return open;
        };
    }
    ListRows<RectificationRow>::Arrived arrived(Shell& shell) {
        return [this, &shell](const std::vector<RectificationRow>& rows) {
            for (const auto& r : rows) shell.noteText(r.findingTitle), shell.noteText(r.requiredAction), shell.noteText(r.responsibleUnit);
            if (!selected() && !rows.empty()) m_selected = rows.front().id;
        };
    }
    void load(Shell& shell) { m_list.load(shell, "rect.list", fetch(), arrived(shell)); }

    const RectificationRow* selected() const {
        for (const auto& r : m_list.rows())
            if (r.id == m_selected) return &r;
        return nullptr;
    }

    void drawList(Shell&) {
        if (!m_list.drawState("rect.none")) return;
        const auto& rows = m_list.rows();
        ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersOuter | ImGuiTableFlags_ScrollY | ImGuiTableFlags_SizingFixedFit;
        if (!ImGui::BeginTable("##rect.table", 4, flags, ImGui::GetContentRegionAvail())) return;
        float em = ImGui::GetFontSize();
        ImGui::TableSetupScrollFreeze(0, 1);
        ImGui::TableSetupColumn(tr("rect.col_deadline"), ImGuiTableColumnFlags_WidthFixed, em * 8);
        ImGui::TableSetupColumn(tr("rect.col_finding"), ImGuiTableColumnFlags_WidthStretch);
        ImGui::TableSetupColumn(tr("rect.col_unit"), ImGuiTableColumnFlags_WidthFixed, em * 7);
        ImGui::TableSetupColumn(tr("rect.col_status"), ImGuiTableColumnFlags_WidthFixed, em * 5);
        ImGui::TableHeadersRow();
        ImGuiListClipper clip;
        clip.Begin(static_cast<int>(rows.size()));
        while (clip.Step())
            for (int i = clip.DisplayStart; i < clip.DisplayEnd; ++i) {
                const RectificationRow& r = rows[static_cast<size_t>(i)];
                ImGui::TableNextRow();
                ImGui::TableNextColumn();
                ImGui::PushID(r.id.c_str());
                std::string due = r.light.empty() ? r.deadline : "● " + workdaysText(r.workdaysLeft);
                if (!r.byRule.empty()) due += " *";  // the deadline counts a year whose holidays are computed by rule
                ImGui::PushStyleColor(ImGuiCol_Text, theme::lightColor(r.light));
                if (ImGui::Selectable(due.c_str(), r.id == m_selected, ImGuiSelectableFlags_SpanAllColumns)) {
                    m_selected = r.id;
                    m_note.clear();
                    m_error.clear();
                }
                ImGui::PopStyleColor();
                if (!r.byRule.empty() && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", trf("esup.by_rule", {r.byRule}).c_str());
                mark("rect.row." + std::to_string(i));
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(r.findingTitle.c_str());
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(r.responsibleUnit.c_str());
                ImGui::TableNextColumn();
                widgets::statusBadge(Machine::Rectification, r.status);
                ImGui::PopID();
            }
        ImGui::EndTable();
    }

    void drawDetail(Shell& shell) {
        const RectificationRow* r = selected();
        if (!r) {
            ImGui::TextColored(theme::kMuted, "%s", tr("rect.choose"));
            return;
        }
        ImGui::PushStyleColor(ImGuiCol_Text, theme::kAccent);
        widgets::textWrapped(r->findingTitle);
        ImGui::PopStyleColor();
        widgets::statusBadge(Machine::Rectification, r->status);
        if (!r->light.empty()) {
            ImGui::SameLine();
            ImGui::TextColored(theme::lightColor(r->light), "● %s · %s %s", workdaysText(r->workdaysLeft).c_str(), tr("home.deadline"),
                               r->deadline.c_str());
        }
        ImGui::TextColored(theme::kMuted, "%s", tr("rect.required_action"));
        widgets::textWrapped(r->requiredAction);
        if (!r->responsibleUnit.empty()) {
            ImGui::TextColored(theme::kMuted, "%s", tr("rect.responsible_unit"));
            ImGui::SameLine();
            ImGui::TextUnformatted(r->responsibleUnit.c_str());
        }
        if (ImGui::SmallButton(trId("rect.open_finding"))) shell.openFinding(r->findingId, "rectifications");
        mark("rect.open_finding");
        ImGui::Separator();

        std::string id = r->id;
        const SessionData& s = shell.session();
        auto avail = availableActions(Machine::Rectification, r->status, s.actor.role);
        bool any = false;
        for (const Transition* t : avail) any = any || std::string_view(t->action) != "mark_overdue";
        if (!any) return;
        widgets::fieldLabel(tr("rect.note"));
        if (widgets::inputMultiline("##rect.note", m_note, 3, 6)) shell.noteText(m_note);
        ImGui::BeginDisabled(m_busy);
        int n = 0;
        for (const Transition* t : avail) {
            std::string action = t->action;
            if (action == "mark_overdue") continue;
            if (n++) ImGui::SameLine();
            ImGui::BeginDisabled(t->needsComment && m_note.empty());
            std::string label = std::string(codeLabel(actions(Machine::Rectification), action)) + "###rect.action." + action;
            if (ImGui::Button(label.c_str())) {
                std::string note = m_note;
                m_busy = true;
                m_error.clear();
                shell.runCommand(
                    [id, action, note](WorkerContext& w) {
                        if (action == "report") reportRectification(w.app, id, note);
                        else if (action == "verify") verifyRectification(w.app, id, note);
                        else if (action == "reject") rejectRectification(w.app, id, note);
                    },
                    [this, &shell]() {
                        m_busy = false;
                        m_note.clear();
                        shell.notify(tr("common.done"));
                    },
                    [this](const JobError& e) {
                        m_busy = false;
                        m_error = e.message;
                    });
            }
            mark("rect.action." + action);
            ImGui::EndDisabled();
        }
        ImGui::EndDisabled();
        if (!m_error.empty()) ImGui::TextColored(theme::kRed, "%s", m_error.c_str());
    }

    std::string m_status = "open", m_selected, m_note, m_error;
    ExportButton m_export;
    ListRows<RectificationRow> m_list;
    bool m_busy = false;
};

}  // namespace

std::unique_ptr<View> makeRectificationsView() { return std::make_unique<RectificationsView>(); }

}  // namespace jc::ui
