// Finding editor, right-hand panel: workflow actions (submit; accept / return / dismiss with the
// required comment for leads; order rectification; verify; close), what still blocks
// submission, the evidence strip, rectifications of the finding and the case history.
#include <imgui.h>
#include <imgui_stdlib.h>

#include "app/evidence_commands.h"
#include "app/finding_commands.h"
#include "app/rectification_commands.h"
#include "core/error.h"
#include "core/workflow.h"
#include "ui/shell/clock_warning.h"
#include "ui/shell/automation.h"
#include "ui/shell/i18n.h"
#include "ui/shell/shell.h"
#include "ui/shell/theme.h"
#include "ui/views/view_editor.h"
#include "ui/widgets/pickers.h"
#include "ui/widgets/widgets.h"

namespace jc::ui {

namespace {
std::string str(const FieldMap& f, const char* key) {
    auto it = f.find(key);
    return it != f.end() && it->is_string() ? it->get<std::string>() : std::string();
}

const char* actionLabel(std::string_view action) { return codeLabel(actions(Machine::Finding), action); }
}  // namespace

void EditorView::drawPanel(Shell& shell, bool editable) {
    drawActions(shell);
    ImGui::Spacing();
    widgets::heading(trf("editor.evidence_count", {std::to_string(m_evidence.size())}).c_str());
    EvidenceStripActions acts;
    acts.add = [this, &shell](const std::string& path, const std::string& caption) { addEvidence(shell, path, caption); };
    auto holder = m_idHolder;
    acts.setCaption = [this, &shell, holder](const std::string& id, const std::string& caption) {
        shell.runCommand([id, caption](WorkerContext& w) { setEvidenceCaption(w.app, id, caption); },
                         [this, &shell, holder]() {
                             if (holder == m_idHolder) load(shell, m_id, false);
                         });
    };
    acts.remove = [this, &shell, holder](const std::string& id) {
        shell.runCommand([id](WorkerContext& w) { removeEvidence(w.app, id); },
                         [this, &shell, holder]() {
                             if (holder == m_idHolder) load(shell, m_id, false);
                         });
    };
    drawEvidenceStrip(shell, m_evidence, m_evidenceState, editable, acts);

    if (!m_rectifications.empty()) {
        ImGui::Spacing();
        widgets::heading(tr("editor.rectifications"));
        for (const auto& r : m_rectifications) {
            ImGui::PushID(r.id.c_str());
            widgets::statusBadge(Machine::Rectification, r.status);
            ImGui::SameLine();
            widgets::textWrapped(r.requiredAction);
            if (!r.light.empty())
                ImGui::TextColored(theme::lightColor(r.light), "%s · %s %s", workdaysText(r.workdaysLeft).c_str(),
                                   tr("home.deadline"), r.deadline.c_str());
            ImGui::PopID();
        }
    }
    ImGui::Spacing();
    drawHistory(shell);
}

void EditorView::drawActions(Shell& shell) {
    const SessionData& s = shell.session();
    std::string status = str(m_record, "status");
    if (m_isNew && m_id.empty()) {
        ImGui::TextColored(theme::kMuted, "%s", tr("editor.new_hint"));
        return;
    }
    if ((status == "draft" || status == "returned") && !m_problems.empty()) {
        ImGui::TextColored(theme::kMuted, "%s", tr("editor.problems"));
        for (const auto& p : m_problems) {
            // "region_code: 请选择行政区划" — the field key is for the CLI; the window shows the message.
            size_t colon = p.find(": ");
            bool keyed = colon != std::string::npos && p.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") == colon;
            ImGui::TextColored(theme::kRed, "· %s", keyed ? p.c_str() + colon + 2 : p.c_str());
        }
        mark("editor.problems");
    }
    if (status == "returned") {
        // The reviewer's comment is what the inspector has to act on.
        for (auto it = m_history.rbegin(); it != m_history.rend(); ++it)
            if (it->value("action", std::string()) == "return") {
                ImGui::TextColored(theme::statusColor("returned"), "%s", trf("editor.returned_by", {it->value("actor", std::string())}).c_str());
                widgets::textWrapped(it->value("comment", std::string()));
                break;
            }
    }
    auto avail = availableActions(Machine::Finding, status, s.actor.role);
    bool needsComment = false;
    for (const Transition* t : avail) needsComment = needsComment || t->needsComment;
    bool reviewer = s.actor.role != Role::Inspector;
    if (!avail.empty() && (needsComment || (reviewer && status == "submitted"))) {
        widgets::fieldLabel(tr("editor.comment"));
        if (widgets::inputMultiline("##editor.comment", m_comment, 2, 5)) shell.noteText(m_comment);
    }
    ImGui::BeginDisabled(m_actionBusy);
    int n = 0;
    for (const Transition* t : avail) {
        if (std::string_view(t->action) == "order_rectification") {
            if (n++) ImGui::SameLine();
            if (ImGui::Button(trId("editor.order_rectification"))) {
                m_showRectForm = !m_showRectForm;
                if (m_rectUnit.empty()) m_rectUnit = str(m_record, "subject_unit_id");
            }
            mark("editor.action.order_rectification");
            continue;
        }
        if (n++) ImGui::SameLine();
        bool blocked = t->needsComment && m_comment.empty();
        ImGui::BeginDisabled(blocked);
        std::string label = std::string(actionLabel(t->action)) + "###editor.action." + t->action;
        if (ImGui::Button(label.c_str())) transition(shell, t->action);
        ImGui::EndDisabled();
        mark(std::string("editor.action.") + t->action);
        if (blocked && ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) ImGui::SetTooltip("%s", tr("editor.comment_required"));
    }
    ImGui::EndDisabled();
    if (reviewer && (status == "accepted" || status == "rectification_ordered" || status == "rectified" || status == "verified")) {
        if (n++) ImGui::SameLine();
        if (ImGui::Button(trId("editor.issue_warning"))) {
            shell.show("warnings");
            if (View* w = shell.view("warnings")) w->open(shell, "finding:" + m_id);
        }
        mark("editor.issue_warning");
    }
    if (!m_actionError.empty()) {
        ImGui::PushTextWrapPos(0);
        ImGui::TextColored(theme::kRed, "%s", m_actionError.c_str());
        ImGui::PopTextWrapPos();
        mark("editor.action_error");
    }
    if (m_showRectForm) drawRectificationOrder(shell);
}

void EditorView::drawRectificationOrder(Shell& shell) {
    ImGui::Spacing();
    widgets::heading(tr("editor.order_rectification"));
    widgets::fieldLabel(tr("rect.required_action"), true);
    widgets::inputMultiline("##rect.required_action", m_rectAction, 2, 6);
    widgets::fieldLabel(tr("rect.responsible_unit"));
    unitPicker(shell, "rect.unit", m_rectUnit, str(m_record, "region_code"), ImGui::GetContentRegionAvail().x);
    widgets::fieldLabel(tr("rect.deadline_days"));
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 6);
    ImGui::InputInt("##rect.days", &m_rectDays);
    mark("rect.days");
    m_rectDays = std::clamp(m_rectDays, 1, 365);
    ImGui::BeginDisabled(m_rectAction.empty() || m_actionBusy);
    if (ImGui::Button(trId("rect.order"))) {
        m_actionBusy = true;
        std::string id = m_id, action = m_rectAction, unit = m_rectUnit;
        int days = m_rectDays;
        auto holder = m_idHolder;
        shell.runCommand([id, action, unit, days](WorkerContext& w) { orderRectification(w.app, id, action, unit, "", days); },
                         [this, &shell, holder]() {
                             if (holder != m_idHolder) return;
                             m_actionBusy = false;
                             m_showRectForm = false;
                             m_rectAction.clear();
                             shell.notify(tr("rect.ordered"));
                             load(shell, m_id, false);
                         },
                         [this](const JobError& e) {
                             m_actionBusy = false;
                             m_actionError = e.message;
                         });
    }
    mark("rect.order");
    ImGui::EndDisabled();
}

void EditorView::drawHistory(Shell& shell) {
    // Two tabs: the workflow steps (办理记录) and every field change (变更记录).
    if (!ImGui::BeginTabBar("##history.tabs")) return;
    bool workflow = ImGui::BeginTabItem(trId("editor.history"));
    mark("history.tab_workflow");
    if (workflow) {
        drawWorkflowSteps();
        ImGui::EndTabItem();
    }
    bool changes = ImGui::BeginTabItem(trId("changelog.tab"));
    mark("history.tab_changes");
    if (changes) {
        m_changeLog.draw(shell, "finding", m_id);
        ImGui::EndTabItem();
    }
    ImGui::EndTabBar();
}

void EditorView::drawWorkflowSteps() {
    if (m_history.empty()) {
        ImGui::TextColored(theme::kMuted, "%s", tr("editor.no_history"));
        return;
    }
    for (const auto& e : m_history) {
        std::string action = e.value("action", std::string());
        std::string from = e.value("from", std::string()), to = e.value("to", std::string());
        const char* label = actionLabel(action);
        ImGui::TextColored(theme::kMuted, "%s", localTime(e.value("at", std::string())).c_str());
        ImGui::SameLine();
        drawDeviceTimeNote(e);
        ImGui::Text("%s %s", e.value("actor", std::string()).c_str(), label);
        if (!to.empty() && to != from) {
            ImGui::SameLine();
            widgets::statusBadge(Machine::Finding, to);
        }
        std::string comment = e.value("comment", std::string());
        if (!comment.empty()) {
            ImGui::Indent();
            widgets::textWrapped(comment);
            ImGui::Unindent();
        }
    }
}

void EditorView::transition(Shell& shell, const std::string& action) {
    flush(shell);  // the edits go first on the ordered write lane
    m_actionBusy = true;
    m_actionError.clear();
    std::string comment = m_comment;
    auto holder = m_idHolder;
    shell.runCommand([holder, action, comment](WorkerContext& w) { transitionFinding(w.app, *holder, action, comment); },
                     [this, &shell, holder, action]() {
                         if (holder != m_idHolder) return;
                         m_actionBusy = false;
                         m_comment.clear();
                         shell.notify(trf("editor.action_done", {actionLabel(action)}));
                         load(shell, m_id, false);
                     },
                     [this, holder](const JobError& e) {
                         if (holder != m_idHolder) return;
                         m_actionBusy = false;
                         m_actionError = e.message;
                     });
}

void EditorView::addEvidence(Shell& shell, const std::string& path, const std::string& caption) {
    if (m_id.empty() && !m_createQueued) {
        m_saved = FieldMap::object();  // force the create, so the evidence has an owner
        touch(shell);
        save(shell);
    } else {
        flush(shell);
    }
    auto holder = m_idHolder;
    ++m_savesInFlight;
    shell.jobs().request<std::string>(
        Lane::Write,
        [holder, path, caption](WorkerContext& w) {
            if (holder->empty()) throw ValidationError("save the finding first");
            return jc::addEvidence(w.app, "finding", *holder, path, caption);
        },
        [this, &shell, holder](std::string) {
            shell.dataChanged();
            if (holder != m_idHolder) return;
            --m_savesInFlight;
            shell.notify(tr("evidence.added"));
            load(shell, m_id, false);
        },
        [this, &shell, holder](const JobError& e) {
            if (holder == m_idHolder) --m_savesInFlight;
            shell.notifyError(e);
        });
}

}  // namespace jc::ui
