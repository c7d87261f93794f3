// Review queue for team leads: submitted findings, oldest first. The case is shown read-only
// (facts, template values, evidence, history); A accepts, R returns and D dismisses — return and
// dismiss need a comment, so R / D put the cursor in the comment box and Ctrl+Enter confirms.
// After a decision the next case opens by itself.
#include <imgui.h>
#include <imgui_stdlib.h>

#include "app/finding_commands.h"
#include "core/workflow.h"
#include "ui/shell/automation.h"
#include "ui/shell/i18n.h"
#include "ui/shell/shell.h"
#include "ui/shell/theme.h"
#include "ui/views/views.h"
#include "ui/widgets/evidence_strip.h"
#include "ui/widgets/form_renderer.h"
#include "ui/widgets/widgets.h"

namespace jc::ui {

namespace {

std::string str(const FieldMap& f, const char* key) {
    auto it = f.find(key);
    return it != f.end() && it->is_string() ? it->get<std::string>() : std::string();
}

struct Queue {
    std::vector<FindingRow> rows;
    int64_t total = 0;
};

class ReviewView : public View {
public:
    const char* id() const override { return "review"; }
    const char* titleKey() const override { return "nav.review"; }
    bool inNavigation(const SessionData& s) const override { return s.actor.role != Role::Inspector; }
    bool settled() const override { return m_listLoaded && !m_listLoading && !m_detailLoading && !m_busy; }

    bool onCommand(Shell& shell, ShellCommand c) override {
        if (c == ShellCommand::Previous || c == ShellCommand::Next) {
            int i = indexOf(m_selected) + (c == ShellCommand::Next ? 1 : -1);
            if (i >= 0 && i < static_cast<int>(m_queue.size())) select(shell, m_queue[static_cast<size_t>(i)].id);
            return true;
        }
        return false;
    }

    std::optional<std::string> neighbor(Shell&, const std::string& id, int delta) override {
        int i = indexOf(id);
        if (i < 0) return std::nullopt;
        i += delta;
        if (i < 0 || i >= static_cast<int>(m_queue.size())) return std::nullopt;
        return m_queue[static_cast<size_t>(i)].id;
    }

    void draw(Shell& shell) override {
        if (m_version != shell.dataVersion() && !m_listLoading) loadQueue(shell);
        float avail = ImGui::GetContentRegionAvail().x;
        ImGui::BeginChild("##review.queue", ImVec2(avail * 0.28f, 0), true);
        drawQueue(shell);
        ImGui::EndChild();
        ImGui::SameLine();
        ImGui::BeginChild("##review.case", ImVec2(0, 0), false);
        drawCase(shell);
        ImGui::EndChild();
    }

private:
    int indexOf(const std::string& id) const {
        for (size_t i = 0; i < m_queue.size(); ++i)
            if (m_queue[i].id == id) return static_cast<int>(i);
        return -1;
    }

    void loadQueue(Shell& shell) {
        m_listLoading = true;
        m_version = shell.dataVersion();
        shell.jobs().request<Queue>(
            Lane::Read,
            [](WorkerContext& w) {
                FindingFilter f;
                f.status = "submitted";
                f.sortBy = "updated_at";  // submission time: submitted findings cannot be edited
                f.descending = false;
                f.limit = 1000;
                Queue q;
                q.rows = listFindings(w.store.db(), f, w.app.today().str());
                q.total = countFindings(w.store.db(), f, w.app.today().str());
                return q;
            },
            [this, &shell](Queue q) {
                for (const auto& r : q.rows) shell.noteText(r.title), shell.noteText(r.regionName);
                m_queue = std::move(q.rows);
                m_total = q.total;
                m_listLoaded = true;
                m_listLoading = false;
                // Keep the current case while it is still waiting; else open the first one.
                if (indexOf(m_selected) < 0) {
                    if (!m_queue.empty()) select(shell, m_queue.front().id);
                    else m_selected.clear(), m_detail = {};
                }
            },
            shell.failClears(m_listLoading),
            "review.queue");
    }

    void select(Shell& shell, const std::string& id) {
        m_selected = id;
        m_comment.clear();
        m_pending.clear();
        m_error.clear();
        m_formBuf.reset();
        m_detailLoading = true;
        shell.jobs().request<FindingDetail>(
            Lane::Read, [id](WorkerContext& w) { return loadFindingDetail(w, id); },
            [this, &shell, id](FindingDetail d) {
                if (id != m_selected) return;
                shell.noteText(d.finding.dump());
                for (const auto& e : d.history) shell.noteText(e.dump());
                m_detail = std::move(d);
                m_detailLoading = false;
            },
            shell.failClears(m_detailLoading),
            "review.detail");
    }

    void decide(Shell& shell, const std::string& action) {
        if (m_selected.empty() || m_busy) return;
        bool needsComment = action != "accept";
        if (needsComment && m_comment.empty()) {
            m_pending = action;
            m_focusComment = true;
            return;
        }
        std::string id = m_selected, comment = m_comment;
        int next = indexOf(id) + 1;
        std::string nextId = next < static_cast<int>(m_queue.size()) ? m_queue[static_cast<size_t>(next)].id : std::string();
        shell.runGuarded(
            m_busy, m_error, [id, action, comment](WorkerContext& w) { transitionFinding(w.app, id, action, comment); },
            [this, &shell, action, nextId]() {
                m_comment.clear();
                m_pending.clear();
                shell.notify(trf("editor.action_done", {codeLabel(actions(Machine::Finding), action)}));
                // The next case opens at once; the queue reloads behind it.
                if (!nextId.empty()) select(shell, nextId);
                else m_selected.clear(), m_detail = {};
            });
    }

    void drawQueue(Shell& shell) {
        if (m_total > static_cast<int64_t>(m_queue.size()))
            widgets::textWrapped(trf("review.waiting_more", {std::to_string(m_total), std::to_string(m_queue.size())}));
        else
            ImGui::Text("%s", trf("review.waiting", {std::to_string(m_queue.size())}).c_str());
        ImGui::Separator();
        if (!m_listLoaded) {
            ImGui::TextUnformatted(tr("common.loading"));
            return;
        }
        if (m_queue.empty()) {
            ImGui::TextColored(theme::kGreen, "%s", tr("review.empty"));
            return;
        }
        ImGuiListClipper clip;
        clip.Begin(static_cast<int>(m_queue.size()), ImGui::GetTextLineHeightWithSpacing() * 2);
        while (clip.Step())
            for (int i = clip.DisplayStart; i < clip.DisplayEnd; ++i) {
                const FindingRow& r = m_queue[static_cast<size_t>(i)];
                ImGui::PushID(r.id.c_str());
                std::string label = r.title + "\n" + r.assignee + " · " + localTime(r.updatedAt) + "###q";
                if (ImGui::Selectable(label.c_str(), r.id == m_selected, 0, ImVec2(0, ImGui::GetTextLineHeight() * 2)))
                    select(shell, r.id);
                mark("review.item." + std::to_string(i));
                ImGui::PopID();
            }
    }

    void drawCase(Shell& shell) {
        if (m_selected.empty()) {
            ImGui::TextColored(theme::kMuted, "%s", tr("review.nothing_selected"));
            return;
        }
        if (m_detailLoading && m_detail.finding.empty()) {
            ImGui::TextUnformatted(tr("common.loading"));
            return;
        }
        const FieldMap& f = m_detail.finding;
        const SessionData& s = shell.session();

        // Decision bar first: it must stay in view on a 768-pixel screen.
        ImGui::PushStyleColor(ImGuiCol_Text, theme::kAccent);
        ImGui::TextUnformatted((str(f, "local_number") + "  " + str(f, "title")).c_str());
        ImGui::PopStyleColor();
        mark("review.title");
        if (m_focusComment) {
            ImGui::SetKeyboardFocusHere();
            m_focusComment = false;
        }
        ImGui::SetNextItemWidth(-1);
        const char* hint = m_pending.empty() ? tr("review.comment_hint") : tr("review.comment_needed");
        bool typed = ImGui::InputTextWithHint("##review.comment", hint, &m_comment);
        mark("review.comment");
        bool commentActive = ImGui::IsItemActive() || ImGui::IsItemDeactivated();  // Enter ends the edit this frame
        if (typed) shell.noteText(m_comment);  // glyphs for what was typed, once per change
        ImGui::BeginDisabled(m_busy);
        if (ImGui::Button(trId("review.accept"))) decide(shell, "accept");
        mark("review.accept");
        ImGui::SameLine();
        if (ImGui::Button(trId("review.return"))) decide(shell, "return");
        mark("review.return");
        ImGui::SameLine();
        if (ImGui::Button(trId("review.dismiss"))) decide(shell, "dismiss");
        mark("review.dismiss");
        ImGui::SameLine();
        if (ImGui::Button(trId("review.open_editor"))) shell.openFinding(m_selected, "review");
        mark("review.open_editor");
        ImGui::EndDisabled();
        ImGui::SameLine();
        ImGui::TextColored(theme::kMuted, "%s", tr("review.keys"));
        if (!m_error.empty()) ImGui::TextColored(theme::kRed, "%s", m_error.c_str());

        // One keystroke: A / R / D outside text fields; Ctrl+Enter in the comment box confirms.
        ImGuiIO& io = ImGui::GetIO();
        if (!io.WantTextInput && !io.KeyCtrl && !io.KeyAlt) {
            if (ImGui::IsKeyPressed('A', false)) decide(shell, "accept");
            else if (ImGui::IsKeyPressed('R', false)) decide(shell, "return");
            else if (ImGui::IsKeyPressed('D', false)) decide(shell, "dismiss");
        }
        if (commentActive && io.KeyCtrl && ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Enter), false))
            decide(shell, m_pending.empty() ? "return" : m_pending);
        ImGui::Separator();

        ImGui::BeginChild("##review.facts", ImVec2(0, 0), false);
        float labelW = ImGui::GetFontSize() * 6;
        auto row = [&](const char* key, const std::string& value) {
            if (value.empty()) return;
            ImGui::TextColored(theme::kMuted, "%s", tr(key));
            ImGui::SameLine(labelW);
            widgets::textWrapped(value);
        };
        row("editor.category", codeLabel(categories(), str(f, "category")));
        row("editor.area", str(f, "area").empty() ? "" : codeLabel(areas(), str(f, "area")));
        row("editor.severity", codeLabel(severities(), str(f, "severity")));
        std::string misconduct;
        if (f.contains("misconduct_types") && f["misconduct_types"].is_array())
            for (const auto& m : f["misconduct_types"])
                misconduct += (misconduct.empty() ? "" : "、") + std::string(codeLabel(misconductTypes(), m.get<std::string>()));
        row("editor.misconduct", misconduct);
        std::string region;
        for (const auto& r : m_detail.regionChain) region += (region.empty() ? "" : " ") + r.name;
        row("editor.region", region + (str(f, "address").empty() ? "" : " · " + str(f, "address")));
        row("editor.subject_unit", s.unitName(str(f, "subject_unit_id")));
        std::string persons;
        if (f.contains("responsible_persons") && f["responsible_persons"].is_array())
            for (const auto& p : f["responsible_persons"])
                persons += (persons.empty() ? "" : "、") + s.personName(p.value("person_id", std::string()));
        row("editor.persons", persons);
        row("review.submitted_by", str(f, "assignee"));
        row("editor.narrative", str(f, "narrative"));
        if (m_detail.hasForm) {
            widgets::heading(m_detail.form.title.c_str());
            Json values = f.contains("field_values") && f["field_values"].is_object() ? f["field_values"] : Json::object();
            FormContext fc{shell, true, {}};
            drawForm(fc, m_detail.form, values, m_formBuf);
        }
        row("editor.loophole", str(f, "loophole"));
        row("editor.recommendation", str(f, "recommendation"));
        widgets::heading(trf("editor.evidence_count", {std::to_string(m_detail.evidence.size())}).c_str());
        drawEvidenceStrip(shell, m_detail.evidence, m_evidenceState, false, {});
        ImGui::EndChild();
    }

    std::vector<FindingRow> m_queue;
    int64_t m_total = 0;
    bool m_listLoaded = false, m_listLoading = false;
    uint64_t m_version = 0;
    std::string m_selected;
    FindingDetail m_detail;
    bool m_detailLoading = false;
    FormBuffers m_formBuf;
    EvidenceStripState m_evidenceState;
    std::string m_comment, m_pending, m_error;
    bool m_focusComment = false, m_busy = false;
};

}  // namespace

std::unique_ptr<View> makeReviewView() { return std::make_unique<ReviewView>(); }

}  // namespace jc::ui
