#include "ui/widgets/change_log_panel.h"

#include <imgui.h>

#include "ui/shell/automation.h"
#include "ui/shell/i18n.h"
#include "ui/shell/shell.h"
#include "ui/shell/theme.h"
#include "ui/widgets/widgets.h"

namespace jc::ui {

void ChangeLogPanel::draw(Shell& shell, const std::string& entity, const std::string& id) {
    if (id.empty()) {
        ImGui::TextColored(theme::kMuted, "%s", tr("changelog.unsaved"));
        return;
    }
    if ((entity != m_entity || id != m_id || m_version != shell.dataVersion()) && !m_loading) {
        if (entity != m_entity || id != m_id) {
            m_loaded = false;
            m_entries.clear();
        }
        m_entity = entity;
        m_id = id;
        m_version = shell.dataVersion();
        m_loading = true;
        shell.jobs().request<std::vector<ChangeLogEntry>>(
            Lane::Read, [entity, id](WorkerContext& w) { return changeLog(w.app, entity, id); },
            [this, &shell, entity, id](std::vector<ChangeLogEntry> entries) {
                m_loading = false;
                if (entity != m_entity || id != m_id) return;
                for (const auto& e : entries) shell.noteText(e.author + e.labelZh + e.oldText + e.newText + e.otherAuthor + e.otherText);
                m_entries = std::move(entries);
                m_loaded = true;
            },
            [this](const JobError&) { m_loading = false; }, "changelog");
    }
    if (!m_loaded) {
        ImGui::TextUnformatted(tr("common.loading"));
        return;
    }
    bool english = i18n().english();
    auto who = [](const std::string& a) { return a.empty() ? std::string(tr("changelog.hq")) : a; };
    // One entry per change: when, who and which field on a muted line, then before → after
    // wrapped to the panel's width (the panel is narrow beside the editor: no table columns).
    int row = 0;
    for (const auto& e : m_entries) {
        ImGui::PushID(row);
        if (e.kind == "history_gap") {
            ImGui::PushTextWrapPos(0);
            ImGui::TextColored(theme::kYellow, "%s", trf("changelog.history_gap", {localTime(e.at).substr(0, 10)}).c_str());
            ImGui::PopTextWrapPos();
            mark("changelog.history_gap");
            ImGui::Spacing();
            ImGui::PopID();
            ++row;
            continue;
        }
        ImGui::TextColored(theme::kMuted, "%s  %s", localTime(e.at).c_str(), who(e.author).c_str());
        if (e.fromHq) {
            ImGui::SameLine();
            ImGui::TextColored(theme::kMuted, "%s", tr("changelog.synced"));
        }
        if (!e.labelZh.empty()) {
            ImGui::SameLine();
            ImGui::TextColored(theme::kAccent, "%s", (english ? e.labelEn : e.labelZh).c_str());
        }
        if (e.conflicted && e.kind == "change") {
            ImGui::SameLine();
            ImGui::TextColored(theme::kRed, "%s", tr("changelog.conflict_mark"));
        }
        const std::string& oldT = english ? e.oldTextEn : e.oldText;
        const std::string& newT = english ? e.newTextEn : e.newText;
        const std::string& otherT = english ? e.otherTextEn : e.otherText;
        std::string text;
        if (e.kind == "created") text = tr("changelog.created");
        else if (e.kind == "change") text = oldT + "  →  " + newT;
        else if (e.kind == "conflict") text = trf("changelog.conflict", {who(e.author), newT, who(e.otherAuthor), otherT});
        else if (e.kind == "resolved") text = trf("changelog.resolved", {newT});
        bool colored = e.kind == "conflict" || e.kind == "resolved";
        if (colored) ImGui::PushStyleColor(ImGuiCol_Text, e.kind == "conflict" ? theme::kRed : theme::kGreen);
        ImGui::Indent();
        // Plain wrapped text (not widgets::textWrapped): ImGui's log, and so the UI tests, see it.
        ImGui::PushTextWrapPos(0);
        ImGui::TextUnformatted(text.c_str());
        ImGui::PopTextWrapPos();
        ImGui::Unindent();
        if (colored) ImGui::PopStyleColor();
        mark("changelog.row." + std::to_string(row));
        ImGui::Spacing();
        ImGui::PopID();
        ++row;
    }
}

}  // namespace jc::ui
