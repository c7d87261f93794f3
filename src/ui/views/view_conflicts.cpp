// Conflicts (冲突) for team leads and HQ: when two people changed the same field offline, sync
// applied the later change everywhere and kept the other in a conflict record (DESIGN.md §4).
// Each open conflict is a card: the record and field, the two versions side by side with their
// authors and times, which one the record holds now, and 保留此版本 under each. Keeping a version
// asks for confirmation first (it rewrites the record on every device), then runs
// resolveConflict() on a worker. "Show resolved" lists decided conflicts with who kept what.
#include <imgui.h>

#include "app/conflict_commands.h"
#include "app/read_models.h"
#include "ui/shell/automation.h"
#include "ui/shell/i18n.h"
#include "ui/shell/shell.h"
#include "ui/shell/theme.h"
#include "ui/views/views.h"
#include "ui/widgets/widgets.h"

namespace jc::ui {

namespace {

class ConflictsView : public View {
public:
    const char* id() const override { return "conflicts"; }
    const char* titleKey() const override { return "conflicts.nav"; }
    bool inNavigation(const SessionData& s) const override { return s.actor.role != Role::Inspector; }
    int64_t badge(const Shell& shell) const override { return shell.statusBar().openConflicts; }
    bool settled() const override { return m_loaded && !m_loading && !m_busy; }

    void draw(Shell& shell) override {
        bool english = i18n().english();
        if ((m_stale || m_version != shell.dataVersion() || m_english != english) && !m_loading) load(shell);
        drawHeader(shell);
        ImGui::Separator();
        ImGui::BeginChild("##conflicts.list", ImVec2(0, 0), false);
        drawList(shell);
        ImGui::EndChild();
    }

private:
    void load(Shell& shell) {
        m_loading = true;
        m_stale = false;
        m_version = shell.dataVersion();
        m_english = i18n().english();
        bool all = m_showResolved, english = m_english;
        shell.jobs().request<std::vector<ConflictItem>>(
            Lane::Read, [all, english](WorkerContext& w) { return loadConflicts(w, all, english); },
            [this, &shell, all](std::vector<ConflictItem> items) {
                for (const auto& c : items) {
                    shell.noteText(c.row.recordLabel);
                    shell.noteText(c.winnerText + c.loserText + c.currentText + c.resolvedText);
                    shell.noteText(c.row.winnerAuthor + c.row.loserAuthor + c.row.resolvedBy);
                }
                m_items = std::move(items);
                m_loaded = true;
                m_loading = false;
                // The toggle changed while this was loading: load again with the new setting.
                if (all != m_showResolved) m_stale = true;
                // A confirmation for a conflict that is gone (resolved elsewhere) is dropped.
                if (!m_confirmId.empty() && !find(m_confirmId)) m_confirmId.clear();
            },
            [this, &shell](const JobError& e) {
                m_loading = false;
                shell.notify(e.message, true);
            },
            "conflicts.list");
    }

    const ConflictItem* find(const std::string& id) const {
        for (const auto& c : m_items)
            if (c.row.id == id && c.row.open()) return &c;
        return nullptr;
    }

    void drawHeader(Shell& shell) {
        int open = 0;
        for (const auto& c : m_items) open += c.row.open() ? 1 : 0;
        ImGui::PushStyleColor(ImGuiCol_Text, theme::kAccent);
        ImGui::TextUnformatted(tr("conflicts.heading"));
        ImGui::PopStyleColor();
        ImGui::SameLine();
        if (m_loaded) ImGui::TextColored(open ? theme::kRed : theme::kGreen, "%s", trf("conflicts.count_open", {std::to_string(open)}).c_str());
        ImGui::SameLine(ImGui::GetContentRegionAvail().x + ImGui::GetCursorPosX() - ImGui::GetFontSize() * 8);
        if (ImGui::Checkbox(trId("conflicts.show_resolved"), &m_showResolved)) m_stale = true;
        mark("conflicts.show_resolved");
        ImGui::TextColored(theme::kMuted, "%s", tr("conflicts.intro"));
        (void)shell;
    }

    void drawList(Shell& shell) {
        if (!m_loaded) {
            ImGui::TextUnformatted(tr("common.loading"));
            return;
        }
        if (m_items.empty()) {
            ImGui::Spacing();
            ImGui::TextColored(theme::kGreen, "%s", tr(m_showResolved ? "conflicts.none" : "conflicts.none_open"));
            return;
        }
        for (size_t i = 0; i < m_items.size(); ++i) {
            ImGui::PushID(m_items[i].row.id.c_str());
            drawCard(shell, m_items[i], static_cast<int>(i));
            ImGui::PopID();
            ImGui::Spacing();
        }
    }

    void drawCard(Shell& shell, const ConflictItem& c, int index) {
        const ConflictRow& r = c.row;
        bool english = i18n().english();
        // Title line: what kind of record, which one, which field.
        std::string record = r.recordLabel.empty() ? r.entityId.substr(0, 8) : r.recordLabel;
        ImGui::TextColored(r.open() ? theme::kAccent : theme::kMuted, "%s", (english ? r.entityEn : r.entityZh).c_str());
        ImGui::SameLine();
        ImGui::TextUnformatted(record.c_str());
        mark("conflicts.record." + std::to_string(index));
        ImGui::SameLine();
        ImGui::TextColored(theme::kMuted, "·");
        ImGui::SameLine();
        ImGui::TextUnformatted(trf("conflicts.field", {english ? r.fieldEn : r.fieldZh}).c_str());
        if (!r.recordExists) {
            ImGui::SameLine();
            ImGui::TextColored(theme::kMuted, "%s", tr(r.recordLabel.empty() ? "conflicts.not_here" : "conflicts.deleted"));
        } else if (r.entity == "finding" || r.entity == "complaint") {
            ImGui::SameLine();
            if (ImGui::SmallButton(trId("conflicts.open_record"))) {
                if (r.entity == "finding") shell.openFinding(r.entityId, "conflicts");
                else shell.openComplaint(r.entityId);
            }
        }

        // The two versions side by side.
        ImGuiTableFlags flags = ImGuiTableFlags_BordersOuter | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_SizingStretchSame;
        if (ImGui::BeginTable("##versions", 2, flags)) {
            ImGui::TableNextRow();
            drawSide(shell, c, index, true);
            drawSide(shell, c, index, false);
            ImGui::EndTable();
        }
        if (r.open() && r.recordExists && r.current == "other") {
            ImGui::TextColored(theme::kYellow, "%s", tr("conflicts.current_other"));
            ImGui::SameLine();
            widgets::textWrapped(c.currentText);
        }
        if (!r.open()) {
            const char* kept = r.resolution == "kept_winner" ? r.winnerAuthor.c_str()
                               : r.resolution == "kept_loser" ? r.loserAuthor.c_str()
                                                              : r.resolvedBy.c_str();
            ImGui::TextColored(theme::kGreen, "%s",
                               trf(r.resolution == "custom" ? "conflicts.resolved_custom" : "conflicts.resolved_line",
                                   {r.resolvedBy, localTime(r.resolvedAt), kept})
                                   .c_str());
            if (r.resolution == "custom") {
                ImGui::SameLine();
                widgets::textWrapped(c.resolvedText);
            }
        }
        if (m_confirmId == r.id) drawConfirm(shell, c);
        ImGui::Separator();
    }

    void drawSide(Shell& shell, const ConflictItem& c, int index, bool winner) {
        const ConflictRow& r = c.row;
        ImGui::TableNextColumn();
        ImGui::PushID(winner ? "winner" : "loser");  // both sides have a 保留此版本 button
        const std::string& author = winner ? r.winnerAuthor : r.loserAuthor;
        const std::string& at = winner ? r.winnerAt : r.loserAt;
        bool isCurrent = r.current == (winner ? "winner" : "loser");
        ImGui::TextColored(theme::kMuted, "%s", tr(winner ? "conflicts.winner" : "conflicts.loser"));
        if (isCurrent && r.open()) {
            ImGui::SameLine();
            ImGui::TextColored(theme::kGreen, "%s", tr("conflicts.current"));
        }
        bool kept = !r.open() && r.resolution == (winner ? "kept_winner" : "kept_loser");
        if (kept) {
            ImGui::SameLine();
            ImGui::TextColored(theme::kGreen, "%s", tr("conflicts.kept"));
        }
        ImGui::TextUnformatted(trf("conflicts.author", {author.empty() ? "?" : author, localTime(at)}).c_str());
        mark(std::string("conflicts.") + (winner ? "winner_author." : "loser_author.") + std::to_string(index));
        // Names carrying the content let the headless tests check what a lead actually sees.
        mark(std::string("conflicts.") + (winner ? "winner_by." : "loser_by.") + author);
        ImGui::Spacing();
        widgets::textWrapped(winner ? c.winnerText : c.loserText);
        mark(std::string("conflicts.") + (winner ? "winner_value." : "loser_value.") + std::to_string(index));
        mark(std::string("conflicts.") + (winner ? "winner_text." : "loser_text.") + (winner ? c.winnerText : c.loserText));
        ImGui::Spacing();
        if (r.open()) {
            bool pending = m_confirmId == r.id && m_confirmWinner == winner;
            ImGui::BeginDisabled(m_busy || !r.recordExists || pending);
            if (ImGui::Button(trId("conflicts.keep"))) {
                m_confirmId = r.id;
                m_confirmWinner = winner;
            }
            mark(std::string("conflicts.") + (winner ? "keep_winner." : "keep_loser.") + std::to_string(index));
            ImGui::EndDisabled();
        }
        // Ends the cell on a plain line: a table row carries the last line's text baseline into the
        // next column, and a button's (frame padding) would push the other version 4 px down.
        ImGui::Dummy(ImVec2(0, ImGui::GetStyle().ItemSpacing.y));
        ImGui::PopID();
        (void)shell;
    }

    void drawConfirm(Shell& shell, const ConflictItem& c) {
        const ConflictRow& r = c.row;
        bool english = i18n().english();
        const std::string& author = m_confirmWinner ? r.winnerAuthor : r.loserAuthor;
        ImGui::PushStyleColor(ImGuiCol_ChildBg, theme::kYellowCard);
        float h = ImGui::GetFrameHeightWithSpacing() + ImGui::GetTextLineHeightWithSpacing() + ImGui::GetStyle().WindowPadding.y * 2;
        ImGui::BeginChild("##confirm", ImVec2(0, h), true);
        ImGui::TextUnformatted(trf("conflicts.confirm_question", {author, english ? r.fieldEn : r.fieldZh}).c_str());
        ImGui::BeginDisabled(m_busy);
        if (ImGui::Button(trId("conflicts.confirm"))) resolve(shell, r.id, m_confirmWinner, author);
        mark("conflicts.confirm");
        ImGui::SameLine();
        if (ImGui::Button(trId("common.cancel"))) m_confirmId.clear();
        mark("conflicts.cancel");
        ImGui::EndDisabled();
        if (!m_error.empty()) {
            ImGui::SameLine();
            ImGui::TextColored(theme::kRed, "%s", m_error.c_str());
        }
        ImGui::EndChild();
        ImGui::PopStyleColor();
    }

    void resolve(Shell& shell, const std::string& id, bool winner, const std::string& author) {
        m_busy = true;
        m_error.clear();
        std::string choice = winner ? "winner" : "loser";
        shell.runCommand([id, choice](WorkerContext& w) { resolveConflict(w.app, id, choice); },
                         [this, &shell, author]() {
                             m_busy = false;
                             m_confirmId.clear();
                             shell.notify(trf("conflicts.done", {author}));
                         },
                         [this](const JobError& e) {
                             m_busy = false;
                             m_error = e.message;
                         });
    }

    std::vector<ConflictItem> m_items;
    bool m_loaded = false, m_loading = false, m_busy = false, m_english = false;
    bool m_showResolved = false, m_stale = true;
    uint64_t m_version = 0;
    std::string m_confirmId, m_error;
    bool m_confirmWinner = false;
};

}  // namespace

std::unique_ptr<View> makeConflictsView() { return std::make_unique<ConflictsView>(); }

}  // namespace jc::ui
