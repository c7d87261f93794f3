// Complaints (投诉): intake with first-contact responsibility (首问负责制: the handler is the
// user who records it, automatically), the open complaints with their working-day countdown and
// yellow / red cards (限时办结制), and the workflow: assign, hand over (recorded), investigate,
// reply, close with outcome and satisfaction (事事有回音、件件有着落).
#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <functional>

#include "app/complaint_commands.h"
#include "core/workflow.h"
#include "ui/shell/clock_warning.h"
#include "ui/shell/automation.h"
#include "ui/shell/i18n.h"
#include "ui/shell/shell.h"
#include "ui/shell/theme.h"
#include "ui/views/list_view.h"
#include "ui/views/views.h"
#include "ui/widgets/change_log_panel.h"
#include "ui/widgets/export_button.h"
#include "ui/widgets/pickers.h"
#include "ui/widgets/widgets.h"

namespace jc::ui {

namespace {

std::string str(const FieldMap& f, const char* key) {
    auto it = f.find(key);
    return it != f.end() && it->is_string() ? it->get<std::string>() : std::string();
}

const CodeLabel kSatisfaction[] = {{"satisfied", "满意", "Satisfied"},
                                   {"basically_satisfied", "基本满意", "Basically satisfied"},
                                   {"dissatisfied", "不满意", "Dissatisfied"},
                                   {"unknown", "未表态", "Unknown"}};

class ComplaintsView : public View {
public:
    const char* id() const override { return "complaints"; }
    const char* titleKey() const override { return "nav.complaints"; }
    bool settled() const override { return m_loaded && !m_loading && !m_detailLoading && !m_busy; }

    void open(Shell& shell, const std::string& id) override {
        m_intake = false;
        select(shell, id);
    }

    // Opened from a statistics cell: the complaints behind the number, with a way back.
    void drill(Shell& shell, const DrillDown& d) override {
        m_drill = d;
        m_openOnly = false;
        m_mineOnly = false;
        m_selected.clear();
        shell.noteText(d.label);
        load(shell);
    }

    void draw(Shell& shell) override {
        if (m_version != shell.dataVersion() && !m_loading) load(shell);
        float em = ImGui::GetFontSize();
        if (m_drill) {
            ImGui::PushStyleColor(ImGuiCol_Text, theme::kAccent);
            ImGui::TextUnformatted(trf("complaints.drill", {m_drill->label, std::to_string(m_rows.size())}).c_str());
            ImGui::PopStyleColor();
            mark("complaints.drill");
            if (m_loaded) mark("complaints.count." + std::to_string(m_rows.size()));
            ImGui::SameLine();
            if (ImGui::SmallButton(trId("findings.drill_back"))) shell.show(m_drill->backView.empty() ? "stats" : m_drill->backView);
            mark("complaints.drill_back");
            ImGui::SameLine();
            if (ImGui::SmallButton(trId("findings.drill_clear"))) {
                m_drill.reset();
                load(shell);
            }
            mark("complaints.drill_clear");
        }
        if (ImGui::Button(trId("complaints.new"))) {
            m_intake = true;
            m_in = ComplaintIntake{};
            m_in.channel = "walk_in";
            m_selected.clear();
        }
        mark("complaints.new");
        ImGui::SameLine();
        if (ImGui::Checkbox(trId("complaints.open_only"), &m_openOnly)) load(shell);
        mark("complaints.open_only");
        ImGui::SameLine();
        if (ImGui::Checkbox(trId("complaints.mine_only"), &m_mineOnly)) load(shell);
        mark("complaints.mine_only");
        ImGui::SameLine();
        {
            ComplaintFilter f = currentFilter(shell);
            report::ExportRequest req;
            req.entity = "complaints";
            req.filter.campaignId = f.campaignId;
            req.filter.regionPrefix = f.regionPrefix;
            req.filter.category = f.category;
            req.filter.subjectUnitId = f.respondentUnitId;
            req.filter.assignee = f.assignee;
            req.filter.teamId = f.teamId;
            req.filter.dateFrom = f.dateFrom;
            req.filter.dateTo = f.dateTo;
            req.status = f.status;
            req.openComplaintsOnly = f.openOnly;
            m_export.draw(shell, "complaints.export", tr("complaints.export_name"), listExport(req));
        }
        ImGui::SameLine();
        int yellow = 0, red = 0;
        for (const auto& c : m_rows) yellow += c.light == "yellow", red += c.light == "red";
        ImGui::TextColored(theme::kYellow, "● %s", trf("complaints.yellow", {std::to_string(yellow)}).c_str());
        ImGui::SameLine();
        ImGui::TextColored(theme::kRed, "● %s", trf("complaints.red", {std::to_string(red)}).c_str());

        // Cards of what is due: the two most overdue (red) and the two closest to their deadline
        // (yellow); more of one kind when the other has fewer.
        float cardW = (ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ItemSpacing.x * 3) / 4;
        int shown = 0;
        int quota[2] = {std::max(2, 4 - std::min(2, yellow)), std::max(2, 4 - std::min(2, red))};
        for (int k = 0; k < 2; ++k)
            for (const auto& c : m_rows) {
                const char* light = k == 0 ? "red" : "yellow";
                if (c.light != light || shown >= 4 || quota[k] == 0) continue;
                --quota[k];
                if (shown) ImGui::SameLine();
                std::string l2 = workdaysText(c.workdaysLeft) + " · " + tr("home.deadline") + " " + c.deadline;
                std::string l3 = std::string(codeLabel(complaintChannels(), c.channel)) + " · " + c.assignee;
                if (widgets::deadlineCard(("complaints.card." + std::to_string(shown)).c_str(), c.light, c.title, l2, l3, cardW))
                    open(shell, c.id);
                ++shown;
            }
        ImGui::Spacing();

        listAndSide(
            "##complaints.list", 0.5f, [&] { drawList(shell); }, "##complaints.detail",
            [&] {
                if (m_intake) drawIntake(shell, em);
                else drawDetail(shell, em);
            });
    }

private:
    ComplaintFilter currentFilter(Shell& shell) const {
        ComplaintFilter f = m_drill ? m_drill->complaints : ComplaintFilter{};
        if (m_openOnly) f.openOnly = true;
        if (m_mineOnly) f.assignee = shell.session().actor.name;
        return f;
    }

    void load(Shell& shell) {
        m_loading = true;
        m_version = shell.dataVersion();
        ComplaintFilter f = currentFilter(shell);
        f.limit = 2000;
        shell.jobs().request<std::vector<ComplaintRow>>(
            Lane::Read, [f](WorkerContext& w) { return listComplaints(w.store.db(), f, *w.app.calendar, w.app.today()); },
            [this, &shell](std::vector<ComplaintRow> rows) {
                for (const auto& r : rows) shell.noteText(r.title), shell.noteText(r.assignee), shell.noteText(r.firstContactHandler);
                m_rows = std::move(rows);
                m_loaded = true;
                m_loading = false;
                // Open the most urgent complaint when none is chosen, so the panel is never empty.
                if (m_selected.empty() && !m_intake && !m_rows.empty()) select(shell, m_rows.front().id);
                else if (!m_selected.empty()) select(shell, m_selected);
            },
            shell.failClears(m_loading),
            "complaints.list");
    }

    void select(Shell& shell, const std::string& id) {
        if (id != m_selected) {
            m_text.clear();
            m_note.clear();
            m_error.clear();
        }
        m_selected = id;
        m_detailLoading = true;
        shell.jobs().request<ComplaintDetail>(
            Lane::Read, [id](WorkerContext& w) { return loadComplaintDetail(w, id); },
            [this, &shell, id](ComplaintDetail d) {
                if (id != m_selected) return;
                shell.noteText(d.complaint.dump());
                for (const auto& e : d.history) shell.noteText(e.dump());
                m_detail = std::move(d);
                m_detailLoading = false;
            },
            shell.failClears(m_detailLoading),
            "complaints.detail");
    }

    void drawList(Shell& shell) {
        if (!m_loaded) {
            ImGui::TextUnformatted(tr("common.loading"));
            return;
        }
        ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersOuter | ImGuiTableFlags_ScrollY |
                                ImGuiTableFlags_SizingFixedFit;
        if (!ImGui::BeginTable("##complaints.table", 5, flags, ImGui::GetContentRegionAvail())) return;
        float em = ImGui::GetFontSize();
        ImGui::TableSetupScrollFreeze(0, 1);
        ImGui::TableSetupColumn(tr("complaints.col_deadline"), ImGuiTableColumnFlags_WidthFixed, em * 7.5f);
        ImGui::TableSetupColumn(tr("complaints.col_title"), ImGuiTableColumnFlags_WidthStretch);
        ImGui::TableSetupColumn(tr("complaints.col_channel"), ImGuiTableColumnFlags_WidthFixed, em * 4);
        ImGui::TableSetupColumn(tr("complaints.col_status"), ImGuiTableColumnFlags_WidthFixed, em * 4);
        ImGui::TableSetupColumn(tr("complaints.col_assignee"), ImGuiTableColumnFlags_WidthFixed, em * 4);
        ImGui::TableHeadersRow();
        ImGuiListClipper clip;
        clip.Begin(static_cast<int>(m_rows.size()));
        while (clip.Step())
            for (int i = clip.DisplayStart; i < clip.DisplayEnd; ++i) {
                const ComplaintRow& c = m_rows[static_cast<size_t>(i)];
                ImGui::TableNextRow();
                ImGui::TableNextColumn();
                ImGui::PushID(c.id.c_str());
                std::string due = c.light.empty() ? std::string(tr("complaints.closed")) : workdaysText(c.workdaysLeft);
                if (!c.byRule.empty()) due += " *";  // the deadline counts a year whose holidays are computed by rule
                ImGui::PushStyleColor(ImGuiCol_Text, theme::lightColor(c.light));
                if (ImGui::Selectable(("● " + due).c_str(), c.id == m_selected && !m_intake, ImGuiSelectableFlags_SpanAllColumns))
                    open(shell, c.id);
                ImGui::PopStyleColor();
                if (!c.byRule.empty() && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", trf("esup.by_rule", {c.byRule}).c_str());
                mark("complaints.row." + std::to_string(i));
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(c.title.c_str());
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(codeLabel(complaintChannels(), c.channel));
                ImGui::TableNextColumn();
                widgets::statusBadge(Machine::Complaint, c.status);
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(c.assignee.c_str());
                ImGui::PopID();
            }
        ImGui::EndTable();
    }

    void drawIntake(Shell& shell, float em) {
        const SessionData& s = shell.session();
        widgets::heading(tr("complaints.intake"));
        ImGui::TextColored(theme::kMuted, "%s", trf("complaints.first_contact", {s.actor.name}).c_str());
        ImGui::PushItemWidth(-1);
        widgets::fieldLabel(tr("complaints.channel"), true);
        widgets::codeCombo("##complaints.channel", complaintChannels(), m_in.channel, nullptr, -1);
        widgets::fieldLabel(tr("complaints.title"), true);
        if (widgets::inputText("##complaints.title", m_in.title, tr("complaints.title_hint"))) shell.noteText(m_in.title);
        widgets::fieldLabel(tr("complaints.content"), true);
        if (widgets::inputMultiline("##complaints.content", m_in.content, 4, 8)) shell.noteText(m_in.content);
        ImGui::Checkbox(trId("complaints.anonymous"), &m_in.anonymous);
        mark("complaints.anonymous");
        if (!m_in.anonymous) {
            if (!s.canSeal) ImGui::TextColored(theme::kRed, "%s", tr("complaints.no_hq_key"));
            ImGui::TextColored(theme::kMuted, "%s", tr("complaints.sealed_note"));
            float w3 = (ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ItemSpacing.x * 2) / 3;
            ImGui::SetNextItemWidth(w3);
            if (widgets::inputText("##complaints.name", m_in.complainantName, tr("complaints.name"))) shell.noteText(m_in.complainantName);
            ImGui::SameLine();
            ImGui::SetNextItemWidth(w3);
            widgets::inputText("##complaints.phone", m_in.complainantPhone, tr("complaints.phone"));
            ImGui::SameLine();
            ImGui::SetNextItemWidth(w3);
            widgets::inputText("##complaints.id_number", m_in.complainantIdNumber, tr("complaints.id_number"));
        }
        widgets::fieldLabel(tr("complaints.respondent_unit"));
        unitPicker(shell, "complaints.unit", m_in.respondentUnitId, {}, ImGui::GetContentRegionAvail().x);
        widgets::fieldLabel(tr("complaints.respondent_person"));
        personPicker(shell, "complaints.person", m_in.respondentPersonId, m_in.respondentUnitId, ImGui::GetContentRegionAvail().x);
        widgets::fieldLabel(tr("complaints.category"));
        widgets::codeCombo("##complaints.category", categories(), m_in.category, "common.none", -1);
        ImGui::PopItemWidth();
        ImGui::Spacing();
        bool identityOk = m_in.anonymous || s.canSeal;
        ImGui::BeginDisabled(m_in.title.empty() || m_in.content.empty() || !identityOk || m_busy);
        if (ImGui::Button(trId("complaints.receive"))) {
            m_busy = true;
            ComplaintIntake in = m_in;
            in.campaignId = shell.currentCampaignId();
            shell.jobs().request<std::string>(
                Lane::Write, [in](WorkerContext& w) { return receiveComplaint(w.app, in); },
                [this, &shell](std::string id) {
                    m_busy = false;
                    m_intake = false;
                    shell.dataChanged();
                    shell.notify(tr("complaints.received"));
                    open(shell, id);
                },
                shell.failClears(m_busy));
        }
        mark("complaints.receive");
        ImGui::EndDisabled();
        ImGui::SameLine();
        if (ImGui::Button(trId("common.cancel"))) m_intake = false;
        (void)em;
    }

    void command(Shell& shell, std::function<void(WorkerContext&)> work) {
        shell.runGuarded(m_busy, m_error, std::move(work), [this, &shell]() {
            m_text.clear();
            m_note.clear();
            shell.notify(tr("common.done"));
        });
    }

    void drawDetail(Shell& shell, float em) {
        if (m_selected.empty()) {
            ImGui::TextColored(theme::kMuted, "%s", tr("complaints.choose"));
            return;
        }
        if (m_detail.complaint.empty()) {
            ImGui::TextUnformatted(tr("common.loading"));
            return;
        }
        const SessionData& s = shell.session();
        const FieldMap& c = m_detail.complaint;
        std::string id = m_selected;
        std::string status = str(c, "status");
        ImGui::PushStyleColor(ImGuiCol_Text, theme::kAccent);
        widgets::textWrapped(str(c, "title"));
        ImGui::PopStyleColor();
        widgets::statusBadge(Machine::Complaint, status);
        if (!m_detail.light.empty()) {
            ImGui::SameLine();
            ImGui::TextColored(theme::lightColor(m_detail.light), "● %s", workdaysText(m_detail.workdaysLeft).c_str());
            mark("complaints.countdown");
        }
        float labelW = em * 6;
        auto row = [&](const char* key, const std::string& v) {
            if (v.empty()) return;
            ImGui::TextColored(theme::kMuted, "%s", tr(key));
            ImGui::SameLine(labelW);
            widgets::textWrapped(v);
        };
        row("complaints.channel", codeLabel(complaintChannels(), str(c, "channel")));
        row("complaints.received_at", localTime(str(c, "received_at")));
        row("complaints.deadline", str(c, "deadline"));
        row("complaints.handler", str(c, "first_contact_handler"));
        row("complaints.assignee", str(c, "assignee"));
        row("complaints.complainant", c.value("anonymous", false) ? tr("complaints.anonymous_short") : tr("complaints.sealed"));
        row("complaints.respondent_unit", s.unitName(str(c, "respondent_unit_id")));
        row("complaints.respondent_person", s.personName(str(c, "respondent_person_id")));
        row("complaints.content", str(c, "content"));
        row("complaints.reply", str(c, "reply"));
        row("complaints.outcome", str(c, "outcome"));
        if (!str(c, "satisfaction").empty()) row("complaints.satisfaction", codeLabel(kSatisfaction, str(c, "satisfaction")));
        ImGui::Separator();

        ImGui::BeginDisabled(m_busy);
        std::vector<std::string> avail;
        for (const Transition* t : availableActions(Machine::Complaint, status, s.actor.role)) avail.push_back(t->action);
        auto has = [&](const char* a) { return std::find(avail.begin(), avail.end(), a) != avail.end(); };
        if (has("assign")) {
            userCombo(shell, "##complaints.assign_to", m_user);
            ImGui::SameLine();
            ImGui::BeginDisabled(m_user.empty());
            if (ImGui::Button(trId("complaints.assign"))) {
                std::string u = m_user;
                command(shell, [id, u](WorkerContext& w) { assignComplaint(w.app, id, u); });
            }
            mark("complaints.assign");
            ImGui::EndDisabled();
        }
        if (has("investigate")) {
            if (ImGui::Button(trId("complaints.investigate")))
                command(shell, [id](WorkerContext& w) { startInvestigation(w.app, id); });
            mark("complaints.investigate");
        }
        if (has("reply")) {
            widgets::fieldLabel(tr("complaints.reply"), true);
            if (widgets::inputMultiline("##complaints.reply_text", m_text, 3, 6)) shell.noteText(m_text);
            ImGui::BeginDisabled(m_text.empty());
            if (ImGui::Button(trId("complaints.send_reply"))) {
                std::string t = m_text;
                command(shell, [id, t](WorkerContext& w) { replyComplaint(w.app, id, t); });
            }
            mark("complaints.send_reply");
            ImGui::EndDisabled();
        }
        if (has("close")) {
            widgets::fieldLabel(tr("complaints.outcome"), true);
            if (widgets::inputMultiline("##complaints.outcome_text", m_text, 3, 6)) shell.noteText(m_text);
            widgets::fieldLabel(tr("complaints.satisfaction"));
            widgets::codeCombo("##complaints.satisfaction", kSatisfaction, m_satisfaction, "common.none", em * 10);
            ImGui::BeginDisabled(m_text.empty());
            if (ImGui::Button(trId("complaints.close"))) {
                std::string t = m_text, sat = m_satisfaction;
                command(shell, [id, t, sat](WorkerContext& w) { closeComplaint(w.app, id, t, sat); });
            }
            mark("complaints.close");
            ImGui::EndDisabled();
        }
        if (status != "closed") {
            ImGui::Spacing();
            ImGui::TextColored(theme::kMuted, "%s", tr("complaints.handover"));
            userCombo(shell, "##complaints.handover_to", m_handoverTo);
            ImGui::SameLine();
            ImGui::SetNextItemWidth(em * 10);
            widgets::inputText("##complaints.handover_note", m_note, tr("complaints.handover_note"));
            ImGui::SameLine();
            ImGui::BeginDisabled(m_handoverTo.empty());
            if (ImGui::Button(trId("complaints.handover_button"))) {
                std::string to = m_handoverTo, note = m_note;
                command(shell, [id, to, note](WorkerContext& w) { handOverComplaint(w.app, id, to, note); });
            }
            mark("complaints.handover_button");
            ImGui::EndDisabled();
        }
        ImGui::EndDisabled();
        if (!m_error.empty()) {
            ImGui::PushTextWrapPos(0);
            ImGui::TextColored(theme::kRed, "%s", m_error.c_str());
            ImGui::PopTextWrapPos();
        }
        ImGui::Spacing();
        if (!ImGui::BeginTabBar("##history.tabs")) return;
        bool changes = false;
        if (ImGui::BeginTabItem(trId("editor.history"))) {
            drawWorkflowSteps();
            ImGui::EndTabItem();
        }
        mark("history.tab_workflow");
        if (ImGui::BeginTabItem(trId("changelog.tab"))) {
            changes = true;
            m_changeLog.draw(shell, "complaint", m_detail.complaint.value("id", std::string()));
            ImGui::EndTabItem();
        }
        mark("history.tab_changes");
        ImGui::EndTabBar();
        (void)changes;
    }


    void drawWorkflowSteps() {
        for (const auto& e : m_detail.history) {
            std::string action = e.value("action", std::string());
            const char* label = codeLabel(actions(Machine::Complaint), action);
            if (action == "receive") label = tr("complaints.event_receive");
            if (action == "handover") label = tr("complaints.event_handover");
            ImGui::TextColored(theme::kMuted, "%s", localTime(e.value("at", std::string())).c_str());
            ImGui::SameLine();
            drawDeviceTimeNote(e);
            std::string extra;
            if (e.contains("detail") && e["detail"].is_object()) {
                const Json& d = e["detail"];
                if (d.contains("to") && d["to"].is_string()) extra = " → " + d["to"].get<std::string>();
                else if (d.contains("assignee") && d["assignee"].is_string()) extra = " → " + d["assignee"].get<std::string>();
            }
            ImGui::Text("%s %s%s", e.value("actor", std::string()).c_str(), label, extra.c_str());
            std::string comment = e.value("comment", std::string());
            if (!comment.empty()) {
                ImGui::Indent();
                widgets::textWrapped(comment);
                ImGui::Unindent();
            }
        }
    }

    void userCombo(Shell& shell, const char* id, std::string& value) {
        ImGui::SetNextItemWidth(ImGui::GetFontSize() * 8);
        if (ImGui::BeginCombo(id, value.empty() ? tr("complaints.choose_user") : value.c_str())) {
            for (const auto& u : shell.session().users) {
                if (ImGui::Selectable((u.name + " · " + roleLabel(u.role)).c_str(), u.name == value)) value = u.name;
                mark(std::string(id + 2) + "." + u.name);
            }
            ImGui::EndCombo();
        }
        mark(id + 2);
    }

    std::vector<ComplaintRow> m_rows;
    bool m_loaded = false, m_loading = false, m_openOnly = true, m_mineOnly = false;
    uint64_t m_version = 0;
    std::string m_selected;
    ComplaintDetail m_detail;
    ChangeLogPanel m_changeLog;  // 变更记录 tab beside the workflow steps
    bool m_detailLoading = false;
    bool m_intake = false, m_busy = false;
    ComplaintIntake m_in;
    std::string m_text, m_note, m_user, m_handoverTo, m_satisfaction, m_error;
    std::optional<DrillDown> m_drill;
    ExportButton m_export;
};

}  // namespace

std::unique_ptr<View> makeComplaintsView() { return std::make_unique<ComplaintsView>(); }

}  // namespace jc::ui
