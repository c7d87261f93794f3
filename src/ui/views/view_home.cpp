// Home: the current campaign, my open work (drafts, returned findings, complaints due), the
// yellow and red deadline cards of complaints and rectifications, and counts by status.
#include <imgui.h>

#include "app/monitoring.h"
#include "app/esup_queries.h"
#include "core/workflow.h"
#include "ui/shell/automation.h"
#include "ui/shell/i18n.h"
#include "ui/shell/shell.h"
#include "ui/shell/theme.h"
#include "ui/views/views.h"
#include "ui/widgets/widgets.h"

namespace jc::ui {

namespace {

class HomeView : public View {
public:
    const char* id() const override { return "home"; }
    const char* titleKey() const override { return "nav.home"; }
    bool settled() const override { return m_loaded && !m_loading && !m_countsLoading && !m_focusLoading && !m_esupLoading; }

    void draw(Shell& shell) override {
        if (m_version != shell.dataVersion() && !m_loading) load(shell);
        const SessionData& s = shell.session();
        const CampaignInfo* c = s.campaign(shell.currentCampaignId());

        ImGui::PushStyleColor(ImGuiCol_Text, theme::kAccent);
        ImGui::TextUnformatted(c ? c->title.c_str() : tr("home.no_campaign"));
        ImGui::PopStyleColor();
        ImGui::SameLine();
        ImGui::TextColored(theme::kMuted, "%s", trf("home.greeting", {s.actor.name, roleLabel(roleCode(s.actor.role))}).c_str());
        ImGui::Separator();
        if (!m_loaded) {
            ImGui::TextUnformatted(tr("common.loading"));
            return;
        }
        const HomeData& h = m_data;

        // Key figures
        int yellow = 0, red = 0;
        for (const auto& cr : h.complaints) yellow += cr.light == "yellow", red += cr.light == "red";
        for (const auto& r : h.rectifications) yellow += r.light == "yellow", red += r.light == "red";
        float avail = ImGui::GetContentRegionAvail().x;
        float boxW = (avail - ImGui::GetStyle().ItemSpacing.x * 4) / 5;
        stat("home.stat_drafts", h.myDrafts, boxW, theme::kMuted);
        ImGui::SameLine();
        stat("home.stat_returned", h.myReturned, boxW, theme::statusColor("returned"));
        ImGui::SameLine();
        stat("home.stat_yellow", yellow, boxW, theme::kYellow);
        ImGui::SameLine();
        stat("home.stat_red", red, boxW, theme::kRed);
        ImGui::SameLine();
        stat("home.stat_pending", shell.statusBar().pendingChanges, boxW, theme::kMuted);

        ImGui::Spacing();
        float colW = (avail - ImGui::GetStyle().ItemSpacing.x) * 0.5f;
        float height = ImGui::GetContentRegionAvail().y;

        // Left: my findings and the counts
        ImGui::BeginChild("##home.left", ImVec2(colW, height));
        widgets::heading(tr("home.my_work"));
        findingList(shell, "home.drafts", tr("home.drafts"), h.drafts, h.myDrafts);
        findingList(shell, "home.returned", tr("home.returned"), h.returned, h.myReturned);
        if (s.actor.role != Role::Inspector) {
            findingList(shell, "home.to_review", tr("home.to_review"), h.toReview, h.toReviewCount);
            if (!h.toReview.empty() && ImGui::SmallButton(trId("home.open_review"))) shell.show("review");
            mark("home.open_review");
        }
        ImGui::Spacing();
        widgets::heading(tr("home.counts"));
        counts(Machine::Finding, "finding", tr("home.findings"));
        counts(Machine::Complaint, "complaint", tr("home.complaints"));
        counts(Machine::Rectification, "rectification", tr("home.rectifications"));
        ImGui::EndChild();

        ImGui::SameLine();
        // Right: deadline cards
        ImGui::BeginChild("##home.right", ImVec2(0, height));
        if (!m_focus.empty()) {
            // Units and categories HQ put under focus (重点监控), for every team.
            widgets::heading(tr("home.focus"));
            for (const auto& f : m_focus) {
                ImGui::PushID(f.id.c_str());
                std::string label = std::string(tr(f.subjectKind == "unit" ? "monitor.kind_unit" : "monitor.kind_category")) + " · " +
                                    f.subjectName + " — " + f.reason;
                ImGui::PushStyleColor(ImGuiCol_Text, theme::kRed);
                if (ImGui::Selectable(label.c_str())) shell.show("monitoring");
                ImGui::PopStyleColor();
                mark("home.focus." + f.subjectName);
                ImGui::PopID();
            }
            ImGui::Spacing();
        }
        float cardW = (ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ItemSpacing.x) * 0.5f;
        if (s.actor.role == Role::HqAdmin && m_esup.total > 0) esupCards(shell, cardW);
        widgets::heading(tr("home.cards"));
        int shown = 0;
        // Red first (past the deadline), then yellow (due soon); each section shows the most urgent.
        for (const char* light : {"red", "yellow"}) {
            int n = 0, total = std::string_view(light) == "red" ? red : yellow;  // counted above for the key figures
            if (total == 0) continue;
            ImGui::TextColored(theme::lightColor(light), "● %s", trf(std::string_view(light) == "red" ? "home.red_cards" : "home.yellow_cards",
                                                                      {std::to_string(total)}).c_str());
            for (const auto& cr : h.complaints) {
                if (cr.light != light || n >= 4) continue;
                if (n % 2) ImGui::SameLine();
                std::string line3 = std::string(tr("home.complaint")) + " · " + codeLabel(complaintChannels(), cr.channel) +
                                    " · " + cr.assignee;
                if (widgets::deadlineCard(("home.card." + cr.id).c_str(), cr.light, cr.title,
                                          workdaysText(cr.workdaysLeft) + " · " + tr("home.deadline") + " " + cr.deadline, line3, cardW))
                    shell.openComplaint(cr.id);
                ++n;
            }
            for (const auto& r : h.rectifications) {
                if (r.light != light || n >= 6) continue;
                if (n % 2) ImGui::SameLine();
                std::string line3 = std::string(tr("home.rectification")) + " · " + r.responsibleUnit;
                if (widgets::deadlineCard(("home.card." + r.id).c_str(), r.light, r.findingTitle,
                                          workdaysText(r.workdaysLeft) + " · " + tr("home.deadline") + " " + r.deadline, line3, cardW))
                    shell.show("rectifications");
                ++n;
            }
            shown += n;
        }
        if (shown == 0) ImGui::TextColored(theme::kGreen, "%s", tr("home.no_cards"));

        if (!h.warnings.empty()) {
            ImGui::Spacing();
            widgets::heading(tr("home.warnings"));
            for (const auto& w : h.warnings) {
                ImGui::PushID(w.id.c_str());
                if (ImGui::Selectable((w.target + " — " + w.reason).c_str())) shell.show("warnings");
                ImGui::PopID();
            }
        }
        ImGui::EndChild();
    }

private:
    void load(Shell& shell) {
        m_loading = true;
        m_version = shell.dataVersion();
        // Counts by status read every case table: on the background lane, so the lists come first.
        m_countsLoading = true;
        shell.jobs().request<StoreStatus>(
            Lane::Background, [](WorkerContext& w) { return storeStatus(w.store.db()); },
            [this](StoreStatus st) {
                m_status = std::move(st);
                m_countsLoading = false;
            },
            [this](const JobError&) { m_countsLoading = false; }, "home.counts");
        m_focusLoading = true;
        shell.jobs().request<std::vector<FocusRow>>(
            Lane::Read, [](WorkerContext& w) { return listFocus(w.store.db(), true); },
            [this, &shell](std::vector<FocusRow> rows) {
                for (const auto& f : rows) shell.noteText(f.subjectName), shell.noteText(f.reason);
                m_focus = std::move(rows);
                m_focusLoading = false;
            },
            [this](const JobError&) { m_focusLoading = false; }, "home.focus");
        if (shell.session().actor.role == Role::HqAdmin) {
            m_esupLoading = true;
            shell.jobs().request<ApprovalCounts>(
                Lane::Background, [](WorkerContext& w) { return approvalCounts(w.app); },
                [this](ApprovalCounts c) {
                    m_esup = c;
                    m_esupLoading = false;
                },
                [this](const JobError&) { m_esupLoading = false; }, "home.esup");
        }
        shell.jobs().request<HomeData>(
            Lane::Read, [](WorkerContext& w) { return loadHome(w); },
            [this, &shell](HomeData d) {
                for (const auto* list : {&d.drafts, &d.returned, &d.toReview})
                    for (const auto& f : *list) shell.noteText(f.title);
                for (const auto& c : d.complaints) shell.noteText(c.title), shell.noteText(c.assignee);
                for (const auto& r : d.rectifications) shell.noteText(r.findingTitle), shell.noteText(r.responsibleUnit);
                for (const auto& w : d.warnings) shell.noteText(w.target), shell.noteText(w.reason);
                m_data = std::move(d);
                m_loaded = true;
                m_loading = false;
            },
            shell.failClears(m_loading),
            "home");
    }

    // 电子监察 at HQ: the approval records' red and yellow cards and the warnings they propose.
    void esupCards(Shell& shell, float cardW) {
        widgets::heading(tr("home.esup"));
        const ApprovalCounts& e = m_esup;
        if (widgets::deadlineCard("home.esup.red", e.red ? "red" : "green", trf("home.esup_red", {std::to_string(e.red)}),
                                  trf("home.esup_unwarned", {std::to_string(e.redUnwarned)}), tr("home.esup_open"), cardW))
            shell.show("esup");
        ImGui::SameLine();
        if (widgets::deadlineCard("home.esup.yellow", e.yellow ? "yellow" : "green", trf("home.esup_yellow", {std::to_string(e.yellow)}),
                                  trf("home.esup_late", {std::to_string(e.late)}), tr("home.esup_open"), cardW))
            shell.show("esup");
        ImGui::Spacing();
    }

    void stat(const char* key, int64_t value, float width, ImVec4 color) {
        ImGui::BeginGroup();
        ImVec2 p = ImGui::GetCursorScreenPos();
        float h = ImGui::GetTextLineHeightWithSpacing() * 2 + 8;
        ImGui::GetWindowDrawList()->AddRectFilled(p, ImVec2(p.x + width, p.y + h), ImGui::GetColorU32(ImVec4(1, 1, 1, 1)), 6);
        ImGui::GetWindowDrawList()->AddRect(p, ImVec2(p.x + width, p.y + h), ImGui::GetColorU32(ImGuiCol_Border), 6);
        ImGui::SetCursorScreenPos(ImVec2(p.x + 10, p.y + 4));
        ImGui::TextColored(color, "%lld", static_cast<long long>(value));
        ImGui::SetCursorScreenPos(ImVec2(p.x + 10, p.y + 4 + ImGui::GetTextLineHeightWithSpacing()));
        ImGui::TextColored(theme::kMuted, "%s", tr(key));
        ImGui::SetCursorScreenPos(p);
        ImGui::Dummy(ImVec2(width, h));
        ImGui::EndGroup();
        mark(key);
    }

    void findingList(Shell& shell, const char* id, const char* title, const std::vector<FindingRow>& rows, int64_t total) {
        ImGui::Text("%s (%lld)", title, static_cast<long long>(total));
        if (rows.empty()) return;
        ImGui::Indent();
        for (const auto& f : rows) {
            ImGui::PushID(f.id.c_str());
            std::string label = f.title + "###row";
            if (ImGui::Selectable(label.c_str())) shell.openFinding(f.id, "home");
            mark(std::string(id) + "." + f.localNumber);
            ImGui::SameLine(ImGui::GetContentRegionAvail().x - ImGui::GetFontSize() * 6);
            ImGui::TextColored(theme::kMuted, "%s", localTime(f.updatedAt).c_str());
            ImGui::PopID();
        }
        ImGui::Unindent();
    }

    void counts(Machine m, const char* entity, const char* title) {
        if (m_countsLoading && m_status.byStatus.empty()) {
            ImGui::TextColored(theme::kMuted, "%s · %s", title, tr("common.loading"));
            return;
        }
        auto it = m_status.byStatus.find(entity);
        int64_t total = 0;
        if (it != m_status.byStatus.end())
            for (const auto& [k, v] : it->second) total += v;
        ImGui::Text("%s · %s", title, trf("home.total", {std::to_string(total)}).c_str());
        if (total == 0) return;
        if (ImGui::BeginTable(entity, 3, ImGuiTableFlags_SizingStretchProp)) {
            ImGui::TableSetupColumn("s", ImGuiTableColumnFlags_WidthFixed, ImGui::GetFontSize() * 7);
            ImGui::TableSetupColumn("n", ImGuiTableColumnFlags_WidthFixed, ImGui::GetFontSize() * 4);
            ImGui::TableSetupColumn("bar", ImGuiTableColumnFlags_WidthStretch);
            for (const auto& st : statuses(m)) {
                int64_t n = it->second.count(st.code) ? it->second.at(st.code) : 0;
                if (n == 0) continue;
                ImGui::TableNextRow();
                ImGui::TableNextColumn();
                widgets::statusBadge(m, st.code);
                ImGui::TableNextColumn();
                ImGui::Text("%lld", static_cast<long long>(n));
                ImGui::TableNextColumn();
                ImVec2 p = ImGui::GetCursorScreenPos();
                float w = ImGui::GetContentRegionAvail().x * static_cast<float>(n) / static_cast<float>(total);
                ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(p.x, p.y + 4), ImVec2(p.x + std::max(2.0f, w), p.y + ImGui::GetTextLineHeight() - 2),
                                                          ImGui::GetColorU32(theme::statusColor(st.code)), 2);
                ImGui::Dummy(ImVec2(1, ImGui::GetTextLineHeight()));
            }
            ImGui::EndTable();
        }
    }

    HomeData m_data;
    std::vector<FocusRow> m_focus;
    StoreStatus m_status;
    ApprovalCounts m_esup;
    bool m_countsLoading = false, m_focusLoading = false, m_esupLoading = false;
    bool m_loaded = false, m_loading = false;
    uint64_t m_version = 0;
};

}  // namespace

std::unique_ptr<View> makeHomeView() { return std::make_unique<HomeView>(); }

}  // namespace jc::ui
