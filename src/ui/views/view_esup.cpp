// 电子监察 (electronic supervision): HQ imports the approval system's export (CSV or XLSX) with a
// preview — encoding, the column mapping (chosen once, saved by name), new / update / unchanged
// counts and the bad rows with their line numbers — and commits it or not; the list of approval
// records with their red / yellow cards; a red record proposes a 效能告诫, pre-filled, which one
// confirmation issues. Leads see their region's records read-only.
#include <imgui.h>
#include <imgui_stdlib.h>

#include <filesystem>

#include "app/esup_import.h"
#include "app/esup_queries.h"
#include "ui/shell/automation.h"
#include "ui/shell/i18n.h"
#include "ui/shell/shell.h"
#include "ui/shell/theme.h"
#include "ui/views/list_view.h"
#include "ui/views/views.h"
#include "ui/widgets/file_chooser.h"
#include "ui/widgets/widgets.h"

namespace jc::ui {

namespace {

struct EsupData {
    std::vector<ApprovalRow> rows;
    ApprovalCounts counts;
    std::vector<std::string> mappings;
};

const char* lightKey(const std::string& l) {
    if (l == "red") return "esup.light_red";
    if (l == "yellow") return "esup.light_yellow";
    if (l == "green") return "esup.light_green";
    if (l == "late") return "esup.light_late";
    return "esup.light_done";
}

ImVec4 lightCol(const std::string& l) {
    if (l == "late") return theme::kRed;
    if (l == "done") return theme::kGreen;
    return theme::lightColor(l);
}

class EsupView : public View {
public:
    const char* id() const override { return "esup"; }
    const char* titleKey() const override { return "nav.esup"; }
    bool inNavigation(const SessionData& s) const override { return s.actor.role != Role::Inspector; }
    int64_t badge(const Shell&) const override { return m_data.counts.redUnwarned; }
    bool settled() const override { return m_loaded && !m_loading && !m_busy && !m_previewing; }

    // A file path: start an import preview of it (the shell's --open, and files dropped here).
    void open(Shell& shell, const std::string& path) override {
        m_path = path;
        shell.noteText(path);
        preview(shell);
    }
    void onFilesDropped(Shell& shell, const std::vector<std::string>& paths) override {
        if (!paths.empty()) open(shell, paths.front());
    }

    void draw(Shell& shell) override {
        if (m_version != shell.dataVersion() && !m_loading) load(shell);
        const bool hq = shell.session().actor.role == Role::HqAdmin;
        drawCards();
        if (hq) drawImportBar(shell);
        ImGui::Separator();
        if (m_preview) {
            drawPreview(shell);
            return;
        }
        listAndSide(
            "##esup.list", 0.62f, [&] { drawList(shell, hq); }, "##esup.proposal",
            m_proposal ? [&] { drawProposal(shell); } : std::function<void()>());
    }

private:
    void load(Shell& shell) {
        m_loading = true;
        m_version = shell.dataVersion();
        shell.jobs().request<EsupData>(
            Lane::Read,
            [](WorkerContext& w) {
                EsupData d;
                d.rows = listApprovals(w.app);
                d.counts = approvalCounts(w.app);
                d.mappings = importMappingNames(w.store);
                return d;
            },
            [this, &shell](EsupData d) {
                for (const auto& r : d.rows)
                    shell.noteText(r.itemName), shell.noteText(r.unitName), shell.noteText(r.status);
                for (const auto& m : d.mappings) shell.noteText(m);
                m_data = std::move(d);
                m_loaded = true;
                m_loading = false;
            },
            shell.failLoaded(m_loading, m_loaded),
            "esup.list");
    }

    void preview(Shell& shell) {
        if (m_path.empty()) return;
        m_previewing = true;
        m_previewError.clear();
        ApprovalImportOptions opt;
        opt.encoding = m_encoding == 1   ? TextEncoding::Utf8
                       : m_encoding == 2 ? TextEncoding::Gb18030
                                         : TextEncoding::Auto;
        opt.mappingName = m_mappingName;
        opt.mapping = m_mappingEdits;
        opt.regionCode = m_region;
        std::string path = m_path;
        shell.jobs().request<ApprovalImportPreview>(
            Lane::Read, [path, opt](WorkerContext& w) { return previewApprovalImport(w.app, path, opt); },
            [this, &shell](ApprovalImportPreview p) {
                for (const auto& h : p.headers) shell.noteText(h);
                for (const auto& e : p.errors) shell.noteText(e.reason);
                for (const auto& r : p.rows)
                    if (&r - p.rows.data() < 50) shell.noteText(r.fields.dump());
                m_preview = std::make_unique<ApprovalImportPreview>(std::move(p));
                m_previewing = false;
            },
            [this, &shell](const JobError& e) {
                m_previewing = false;
                m_preview.reset();
                m_previewError = e.message;
                shell.noteText(e.message);
            },
            "esup.preview");
    }

    void drawCards() {
        const ApprovalCounts& c = m_data.counts;
        float avail = ImGui::GetContentRegionAvail().x;
        float w = (avail - ImGui::GetStyle().ItemSpacing.x * 4) / 5;
        card("esup.card_red", c.red, theme::kRed, theme::kRedCard, w, "red");
        ImGui::SameLine();
        card("esup.card_yellow", c.yellow, theme::kYellow, theme::kYellowCard, w, "yellow");
        ImGui::SameLine();
        card("esup.card_late", c.late, theme::kRed, ImVec4(1, 1, 1, 1), w, "late");
        ImGui::SameLine();
        card("esup.card_unwarned", c.redUnwarned, theme::kAccent, ImVec4(1, 1, 1, 1), w, "unwarned");
        ImGui::SameLine();
        card("esup.card_total", c.total, theme::kMuted, ImVec4(1, 1, 1, 1), w, "");
    }

    void card(const char* key, int value, ImVec4 color, ImVec4 fill, float width, const char* filter) {
        ImGui::PushID(key);
        ImGui::BeginGroup();
        ImVec2 p = ImGui::GetCursorScreenPos();
        float h = ImGui::GetTextLineHeightWithSpacing() * 2 + 8;
        const bool selected = m_filter == filter;
        auto* dl = ImGui::GetWindowDrawList();
        dl->AddRectFilled(p, ImVec2(p.x + width, p.y + h), ImGui::GetColorU32(fill), 6);
        dl->AddRect(p, ImVec2(p.x + width, p.y + h),
                    ImGui::GetColorU32(selected ? color : ImGui::GetStyleColorVec4(ImGuiCol_Border)), 6, 0,
                    selected ? 2.0f : 1.0f);
        ImGui::SetCursorScreenPos(ImVec2(p.x + 10, p.y + 4));
        ImGui::TextColored(color, "%d", value);
        ImGui::SetCursorScreenPos(ImVec2(p.x + 10, p.y + 4 + ImGui::GetTextLineHeightWithSpacing()));
        ImGui::TextColored(theme::kMuted, "%s", tr(key));
        ImGui::SetCursorScreenPos(p);
        // Clicking a card filters the list to it (again: the whole list).
        if (ImGui::InvisibleButton("##card", ImVec2(width, h))) m_filter = selected ? "" : filter;
        ImGui::EndGroup();
        mark(key);
        ImGui::PopID();
    }

    void drawImportBar(Shell& shell) {
        float em = ImGui::GetFontSize();
        ImGui::AlignTextToFramePadding();
        ImGui::TextUnformatted(tr("esup.file"));
        ImGui::SameLine();
        // The file from the chooser (or dropped on the window): choosing it previews it at once.
        ImGui::BeginDisabled(m_previewing || shell.fileChooser().busy());
        if (ImGui::Button(trId("esup.choose"))) {
            FileRequest req;
            req.title = tr("esup.choose_title");
            req.filterName = tr("esup.filter");
            req.patterns = {"*.csv", "*.xlsx"};
            shell.fileChooser().open(req, [this, &shell](std::vector<std::string> paths) {
                if (paths.empty()) return;
                m_mappingEdits = Json::object();
                open(shell, paths.front());
            });
        }
        mark("esup.choose");
        ImGui::EndDisabled();
        ImGui::SameLine();
        std::string shown = m_path.empty() ? std::string(tr("esup.no_file")) : std::filesystem::path(m_path).filename().string();
        ImGui::TextColored(m_path.empty() ? theme::kMuted : ImGui::GetStyleColorVec4(ImGuiCol_Text), "%s", shown.c_str());
        if (!m_path.empty() && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", m_path.c_str());
        mark("esup.file_name");
        ImGui::SameLine();
        const char* encodings[] = {tr("esup.encoding_auto"), "UTF-8", "GB18030"};
        ImGui::SetNextItemWidth(em * 7);
        ImGui::Combo("##esup.encoding", &m_encoding, encodings, 3);
        mark("##esup.encoding");
        ImGui::SameLine();
        ImGui::SetNextItemWidth(em * 9);
        if (ImGui::BeginCombo("##esup.mapping",
                              m_mappingName.empty() ? tr("esup.mapping_auto") : m_mappingName.c_str())) {
            if (ImGui::Selectable(tr("esup.mapping_auto"), m_mappingName.empty())) m_mappingName.clear();
            for (const auto& n : m_data.mappings) {
                if (ImGui::Selectable(n.c_str(), n == m_mappingName)) m_mappingName = n;
                mark("esup.mapping." + n);
            }
            ImGui::EndCombo();
        }
        mark("##esup.mapping");
        ImGui::SameLine();
        // Region of units the file names that this store does not know yet (their records sync to
        // the team of that region).
        ImGui::SetNextItemWidth(em * 8);
        ImGui::InputTextWithHint("##esup.region", tr("esup.region_hint"), &m_region, ImGuiInputTextFlags_CharsDecimal);
        mark("##esup.region");
        ImGui::SameLine();
        ImGui::BeginDisabled(m_path.empty() || m_previewing);
        if (ImGui::Button(trId("esup.preview"))) {
            m_mappingEdits = Json::object();
            preview(shell);
        }
        mark("esup.preview");
        ImGui::EndDisabled();
        if (!m_previewError.empty()) {
            ImGui::TextColored(theme::kRed, "%s", m_previewError.c_str());
            mark("esup.preview_error");
        }
    }

    void drawPreview(Shell& shell) {
        ApprovalImportPreview& p = *m_preview;
        widgets::heading(trf("esup.preview_title", {p.path, p.format == "xlsx" ? "XLSX" : p.encoding}).c_str());
        ImGui::TextColored(theme::kGreen, "%s",
                           trf("esup.preview_counts", {std::to_string(p.newCount), std::to_string(p.updateCount),
                                                       std::to_string(p.unchangedCount)})
                               .c_str());
        if (!p.errors.empty()) {
            ImGui::SameLine();
            ImGui::TextColored(theme::kRed, "%s", trf("esup.preview_bad", {std::to_string(p.errors.size())}).c_str());
        }
        // The mapping: one combo per field over the file's headers; a change previews again.
        float em = ImGui::GetFontSize();
        if (ImGui::BeginTable("##esup.map", 4, ImGuiTableFlags_SizingFixedFit)) {
            int i = 0;
            for (const auto& c : approvalColumns()) {
                if (i++ % 4 == 0) ImGui::TableNextRow();
                ImGui::TableNextColumn();
                ImGui::TextColored(c.required ? theme::kAccent : theme::kMuted, "%s", c.label);
                std::string cur = p.mapping.contains(c.field) ? p.mapping[c.field].get<std::string>() : std::string();
                ImGui::SetNextItemWidth(em * 8);
                std::string id = std::string("##esup.map.") + c.field;
                if (ImGui::BeginCombo(id.c_str(), cur.empty() ? tr("common.none") : cur.c_str())) {
                    if (!c.required && ImGui::Selectable(tr("common.none"), cur.empty())) {
                        m_mappingEdits[c.field] = "";
                        preview(shell);
                    }
                    for (const auto& h : p.headers) {
                        if (ImGui::Selectable(h.c_str(), h == cur)) {
                            m_mappingEdits[c.field] = h;
                            preview(shell);
                        }
                        mark(id + "." + h);
                    }
                    ImGui::EndCombo();
                }
                mark(id);
            }
            ImGui::EndTable();
        }
        float h = ImGui::GetContentRegionAvail().y - ImGui::GetFrameHeightWithSpacing() * 2.2f;
        ImGui::BeginChild("##esup.preview_rows", ImVec2(0, h), true);
        for (const auto& e : p.errors)
            ImGui::TextColored(theme::kRed, "%s", trf("esup.bad_row", {std::to_string(e.line), e.reason}).c_str());
        if (ImGui::BeginTable("##esup.preview_table", 6, ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingFixedFit)) {
            ImGui::TableSetupColumn(tr("esup.col_line"));
            ImGui::TableSetupColumn(tr("esup.col_action"));
            ImGui::TableSetupColumn(tr("esup.col_number"));
            ImGui::TableSetupColumn(tr("esup.col_item"), ImGuiTableColumnFlags_WidthStretch);
            ImGui::TableSetupColumn(tr("esup.col_unit"));
            ImGui::TableSetupColumn(tr("esup.col_deadline"));
            ImGui::TableHeadersRow();
            for (size_t i = 0; i < p.rows.size() && i < 200; ++i) {
                const auto& r = p.rows[i];
                ImGui::TableNextRow();
                ImGui::TableNextColumn();
                ImGui::Text("%d", r.line);
                ImGui::TableNextColumn();
                ImGui::TextColored(r.action == "new"      ? theme::kGreen
                                   : r.action == "update" ? theme::kYellow
                                                          : theme::kMuted,
                                   "%s",
                                   tr(r.action == "new"      ? "esup.action_new"
                                      : r.action == "update" ? "esup.action_update"
                                                             : "esup.action_unchanged"));
                for (const char* f : {"case_number", "item_name", "unit_name", "deadline"}) {
                    ImGui::TableNextColumn();
                    ImGui::TextUnformatted(r.fields.value(f, std::string()).c_str());
                }
            }
            ImGui::EndTable();
        }
        ImGui::EndChild();
        ImGui::SetNextItemWidth(em * 10);
        ImGui::InputTextWithHint("##esup.save_mapping", tr("esup.save_mapping_hint"), &m_saveAs);
        mark("##esup.save_mapping");
        ImGui::SameLine();
        if (!p.errors.empty()) {
            ImGui::Checkbox(trId("esup.skip_bad"), &m_skipBad);
            mark("esup.skip_bad");
            ImGui::SameLine();
        }
        ImGui::BeginDisabled(m_busy || (!p.errors.empty() && !m_skipBad) || m_previewing);
        if (ImGui::Button(trId("esup.commit"))) {
            m_busy = true;
            auto snapshot = std::make_shared<ApprovalImportPreview>(p);
            bool skip = m_skipBad;
            std::string saveAs = m_saveAs;
            auto result = std::make_shared<ApprovalImportResult>();
            shell.runCommand(
                [snapshot, skip, saveAs, result](WorkerContext& w) {
                    *result = commitApprovalImport(w.app, *snapshot, skip, saveAs);
                },
                [this, &shell, result]() {
                    m_busy = false;
                    m_preview.reset();
                    if (!m_saveAs.empty()) m_mappingName = m_saveAs;
                    shell.notify(trf("esup.imported", {std::to_string(result->created), std::to_string(result->updated),
                                                       std::to_string(result->unchanged)}));
                },
                [this](const JobError&) { m_busy = false; });
        }
        mark("esup.commit");
        ImGui::EndDisabled();
        ImGui::SameLine();
        if (ImGui::Button(trId("common.cancel"))) m_preview.reset();
        mark("esup.cancel");
    }

    void drawList(Shell& shell, bool hq) {
        if (!m_loaded) {
            ImGui::TextUnformatted(tr("common.loading"));
            return;
        }
        if (m_data.rows.empty()) {
            ImGui::TextColored(theme::kMuted, "%s", tr(hq ? "esup.none_hq" : "esup.none"));
            return;
        }
        ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersOuter | ImGuiTableFlags_ScrollY |
                                ImGuiTableFlags_SizingFixedFit;
        if (!ImGui::BeginTable("##esup.table", 7, flags, ImGui::GetContentRegionAvail())) return;
        float em = ImGui::GetFontSize();
        ImGui::TableSetupScrollFreeze(0, 1);
        ImGui::TableSetupColumn(tr("esup.col_light"), ImGuiTableColumnFlags_WidthFixed, em * 5);
        ImGui::TableSetupColumn(tr("esup.col_number"), ImGuiTableColumnFlags_WidthFixed, em * 7);
        ImGui::TableSetupColumn(tr("esup.col_item"), ImGuiTableColumnFlags_WidthStretch);
        ImGui::TableSetupColumn(tr("esup.col_unit"), ImGuiTableColumnFlags_WidthFixed, em * 9);
        ImGui::TableSetupColumn(tr("esup.col_received"), ImGuiTableColumnFlags_WidthFixed, em * 5.5f);
        ImGui::TableSetupColumn(tr("esup.col_deadline"), ImGuiTableColumnFlags_WidthFixed, em * 8);
        ImGui::TableSetupColumn("", ImGuiTableColumnFlags_WidthFixed, em * 4.5f);
        ImGui::TableHeadersRow();
        int shown = 0;
        for (size_t i = 0; i < m_data.rows.size(); ++i) {
            const ApprovalRow& r = m_data.rows[i];
            if (m_filter == "unwarned" ? (r.light != "red" || !r.warningId.empty())
                                       : (!m_filter.empty() && r.light != m_filter))
                continue;
            if (++shown > 2000) break;
            ImGui::PushID(r.id.c_str());
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::TextColored(lightCol(r.light), "● %s", tr(lightKey(r.light)));
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(r.caseNumber.c_str());
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(r.itemName.c_str());
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(r.unitName.c_str());
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(localTime(r.receivedAt).substr(5, 11).c_str());
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(r.deadline.c_str());
            if (!r.byRule.empty()) {
                ImGui::SameLine(0, 2);
                ImGui::TextColored(theme::kYellow, "*");
                if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", trf("esup.by_rule", {r.byRule}).c_str());
            }
            if (r.finishedAt.empty())
                ImGui::TextColored(lightCol(r.light), "%s", workdaysText(r.workdaysLeft).c_str());
            else
                ImGui::TextColored(theme::kMuted, "%s",
                                   trf("esup.finished", {localTime(r.finishedAt).substr(0, 10)}).c_str());
            ImGui::TableNextColumn();
            if (!r.warningId.empty()) {
                ImGui::TextColored(theme::kAccent, "%s", tr("esup.warned"));
            } else if (r.light == "red") {
                if (ImGui::SmallButton(trId("esup.propose"))) propose(shell, r.id);
                mark("esup.propose." + r.caseNumber);
            }
            ImGui::PopID();
        }
        ImGui::EndTable();
    }

    void propose(Shell& shell, const std::string& approvalId) {
        m_busy = true;
        shell.jobs().request<WarningInput>(
            Lane::Read, [approvalId](WorkerContext& w) { return proposeApprovalWarning(w.app, approvalId); },
            [this, &shell](WarningInput in) {
                shell.noteText(in.reason);
                m_in = std::move(in);
                m_proposal = true;
                m_busy = false;
            },
            shell.failClears(m_busy),
            "esup.propose");
    }

    void drawProposal(Shell& shell) {
        widgets::heading(tr("esup.proposal"));
        ImGui::TextColored(theme::kMuted, "%s", tr("esup.proposal_note"));
        widgets::fieldLabel(tr("warnings.level"), true);
        widgets::codeCombo("##esup.level", warningLevels(), m_in.level, nullptr, -1);
        widgets::fieldLabel(tr("warnings.reason"), true);
        if (widgets::inputMultiline("##esup.reason", m_in.reason, 5, 10)) shell.noteText(m_in.reason);
        ImGui::BeginDisabled(m_busy || m_in.reason.empty());
        if (ImGui::Button(trId("esup.issue"))) {
            m_busy = true;
            WarningInput in = m_in;
            shell.runCommand([in](WorkerContext& w) { issueWarning(w.app, in); },
                             [this, &shell]() {
                                 m_busy = false;
                                 m_proposal = false;
                                 shell.notify(tr("warnings.issued"));
                             },
                             [this](const JobError&) { m_busy = false; });
        }
        mark("esup.issue");
        ImGui::EndDisabled();
        ImGui::SameLine();
        if (ImGui::Button(trId("common.cancel"))) m_proposal = false;
    }

    EsupData m_data;
    std::unique_ptr<ApprovalImportPreview> m_preview;
    std::string m_path, m_mappingName, m_saveAs, m_region, m_previewError, m_filter;
    Json m_mappingEdits = Json::object();
    int m_encoding = 0;
    bool m_skipBad = false;
    bool m_loaded = false, m_loading = false, m_busy = false, m_previewing = false, m_proposal = false;
    uint64_t m_version = 0;
    WarningInput m_in;
};

}  // namespace

std::unique_ptr<View> makeEsupView() {
    return std::make_unique<EsupView>();
}

}  // namespace jc::ui
