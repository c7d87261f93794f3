// Efficiency evaluation (效能评估): HQ's scheme editor (indicators, weights that must sum to 100,
// the scoring rule next to each, grade thresholds), the ranking table (score, rank, grade) and a
// unit's breakdown — each indicator's raw value → score × weight, with the cases behind it one
// click away and, on a draft, the manual scores. Leads see the published versions, read-only.
#include <imgui.h>
#include <imgui_stdlib.h>

#include <cstdio>

#include "app/evaluation.h"
#include "core/error.h"
#include "report/evaluation_report.h"
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

std::string num(double v, int decimals = 2) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

ImVec4 gradeColor(const std::string& g) {
    if (g == "excellent") return theme::kGreen;
    if (g == "good") return ImVec4(0.16f, 0.38f, 0.70f, 1.0f);  // blue: between green and yellow
    if (g == "fair") return theme::kYellow;
    return theme::kRed;
}

const char* sourceLabel(const IndicatorSource& s) { return i18n().english() ? s.en : s.zh; }

}  // namespace

const char* caseEntityLabel(const std::string& entity) {
    if (entity == "finding") return tr("evaluation.entity_finding");
    if (entity == "complaint") return tr("evaluation.entity_complaint");
    if (entity == "rectification") return tr("evaluation.entity_rectification");
    if (entity == "approval") return tr("evaluation.entity_approval");
    return tr("evaluation.entity_warning");
}

namespace {

class EvaluationView : public View {
public:
    const char* id() const override { return "evaluation"; }
    const char* titleKey() const override { return "nav.evaluation"; }
    bool inNavigation(const SessionData& s) const override { return s.actor.role != Role::Inspector; }
    bool settled() const override { return m_listLoaded && !m_loading && !m_busy && !m_detailLoading && !m_exporting; }

    void draw(Shell& shell) override {
        if (m_version != shell.dataVersion() && !m_loading) load(shell);
        const SessionData& s = shell.session();
        m_hq = s.actor.role == Role::HqAdmin;
        drawTopBar(shell);
        ImGui::Separator();
        if (m_creating) {
            drawNewForm(shell);
            return;
        }
        if (!m_detail) {
            ImGui::TextColored(theme::kMuted, "%s", tr(m_listLoaded ? "evaluation.none" : "common.loading"));
            return;
        }
        listAndSide(
            "##evaluation.left", 0.5f,
            [&] {
                drawScheme(shell);
                ImGui::Spacing();
                drawRanking();
            },
            "##evaluation.right", [&] { drawBreakdown(shell); });
    }

private:
    // [SECTION] Loading

    void load(Shell& shell) {
        m_loading = true;
        m_version = shell.dataVersion();
        bool hq = shell.session().actor.role == Role::HqAdmin;
        shell.jobs().request<std::vector<EvaluationSummary>>(
            Lane::Read, [hq](WorkerContext& w) { return listEvaluations(w.store.db(), hq); },
            [this, &shell](std::vector<EvaluationSummary> rows) {
                for (const auto& r : rows) shell.noteText(r.title), shell.noteText(r.campaignTitle);
                m_list = std::move(rows);
                m_listLoaded = true;
                m_loading = false;
                bool found = false;
                for (const auto& r : m_list) found = found || r.id == m_selected;
                if (!found) m_selected = m_list.empty() ? std::string() : m_list.front().id;
                loadDetail(shell);
            },
            shell.failClears(m_loading),
            "evaluation.list");
    }

    void loadDetail(Shell& shell) {
        if (m_selected.empty()) {
            m_detail.reset();
            return;
        }
        m_detailLoading = true;
        std::string id = m_selected;
        shell.jobs().request<EvaluationDetail>(
            Lane::Read, [id](WorkerContext& w) { return loadEvaluation(w.store.db(), id); },
            [this, &shell](EvaluationDetail d) {
                for (const auto& i : d.scheme.indicators) shell.noteText(i.label);
                for (const auto& r : d.results) {
                    shell.noteText(r.unitName);
                    for (const auto& it : r.items) shell.noteText(it.detail);
                }
                for (const auto& u : shell.session().units) shell.noteText(u.name);
                bool sameRecord = m_detail && m_detail->summary.id == d.summary.id;
                m_detail = std::move(d);
                if (!sameRecord || !m_dirty) {
                    m_edit = m_detail->scheme;
                    m_dirty = false;
                }
                bool unitFound = false;
                for (const auto& r : m_detail->results) unitFound = unitFound || r.unitId == m_unit;
                if (!unitFound) m_unit = m_detail->results.empty() ? std::string() : m_detail->results.front().unitId;
                m_detailLoading = false;
            },
            shell.failClears(m_detailLoading),
            "evaluation.detail");
    }

    void command(Shell& shell, std::function<void(WorkerContext&)> work, std::function<void()> done = {}) {
        m_busy = true;
        shell.runCommand(std::move(work),
                         [this, done]() {
                             m_busy = false;
                             if (done) done();
                         },
                         [this](const JobError&) { m_busy = false; });
    }

    // [SECTION] Top bar

    std::string summaryLabel(const EvaluationSummary& e) const {
        std::string status = e.status == "draft" ? tr("evaluation.status_draft")
                             : e.status == "published" ? trf("evaluation.status_published", {std::to_string(e.version)})
                                                       : trf("evaluation.status_superseded", {std::to_string(e.version)});
        return e.period + " · " + e.title + " · " + status;
    }

    void drawTopBar(Shell& shell) {
        std::string current;
        for (const auto& e : m_list)
            if (e.id == m_selected) current = summaryLabel(e);
        ImGui::SetNextItemWidth(ImGui::GetFontSize() * 32);
        if (ImGui::BeginCombo("##evaluation.pick", current.c_str())) {
            for (const auto& e : m_list)
                if (ImGui::Selectable(summaryLabel(e).c_str(), e.id == m_selected)) {
                    m_selected = e.id;
                    m_dirty = false;
                    m_creating = false;
                    loadDetail(shell);
                }
            ImGui::EndCombo();
        }
        mark("evaluation.pick");
        drawExports(shell);
        if (!m_hq) {
            ImGui::SameLine();
            ImGui::TextColored(theme::kMuted, "%s", tr("evaluation.read_only"));
            return;
        }
        ImGui::SameLine();
        if (ImGui::Button(trId("evaluation.new"))) {
            m_creating = true;
            if (m_newCampaign.empty()) m_newCampaign = shell.currentCampaignId();
        }
        mark("evaluation.new");
        if (!m_detail || m_detail->summary.status != "draft") return;
        ImGui::SameLine();
        ImGui::BeginDisabled(m_busy || m_dirty);
        if (ImGui::Button(trId("evaluation.run"))) {
            std::string id = m_selected;
            command(shell, [id](WorkerContext& w) { runEvaluation(w.app, id); }, [&shell]() { shell.notify(tr("evaluation.ran")); });
        }
        mark("evaluation.run");
        ImGui::SameLine();
        ImGui::BeginDisabled(m_detail->results.empty());
        if (ImGui::Button(trId("evaluation.publish"))) {
            std::string id = m_selected;
            command(shell, [id](WorkerContext& w) { publishEvaluation(w.app, id); },
                    [&shell]() { shell.notify(tr("evaluation.published")); });
        }
        mark("evaluation.publish");
        ImGui::EndDisabled();
        ImGui::EndDisabled();
    }

    // XLSX and PDF of what is on screen, to a file chosen in the file chooser (save mode),
    // written on the background lane (report/evaluation_report.h); the message line says where.
    void drawExports(Shell& shell) {
        if (!m_detail || m_detail->results.empty()) return;
        for (int pdf = 0; pdf < 2; ++pdf) {
            ImGui::SameLine();
            ImGui::BeginDisabled(m_exporting);
            if (ImGui::Button(trId(pdf ? "evaluation.export_pdf" : "evaluation.export_xlsx"))) {
                EvaluationDetail d = *m_detail;
                shell.fileChooser().open(
                    exportFileRequest(tr("evaluation.choose_title"), d.summary.title, pdf ? "pdf" : "xlsx"),
                    [this, &shell, d, pdf](std::vector<std::string> paths) {
                        if (paths.empty()) return;  // cancelled: nothing written
                        std::string path = paths.front();
                        m_exporting = true;
                        shell.jobs().request<std::string>(
                            Lane::Background,
                            [d, path, pdf](WorkerContext& w) {
                                if (pdf) report::writeEvaluationPdf(d, path, w.app.today());
                                else report::writeEvaluationXlsx(d, path, w.app.actor.name);
                                return path;
                            },
                            [this, &shell](std::string written) {
                                m_exporting = false;
                                shell.notify(trf("evaluation.exported", {written}));
                            },
                            shell.failClears(m_exporting),
                            "evaluation.export");
                    });
            }
            mark(pdf ? "evaluation.export_pdf" : "evaluation.export_xlsx");
            ImGui::EndDisabled();
        }
    }

    void drawNewForm(Shell& shell) {
        widgets::heading(tr("evaluation.new_title"));
        widgets::fieldLabel(tr("evaluation.campaign"), true);
        const CampaignInfo* c = shell.session().campaign(m_newCampaign);
        ImGui::SetNextItemWidth(ImGui::GetFontSize() * 24);
        if (ImGui::BeginCombo("##evaluation.campaign", c ? c->title.c_str() : "")) {
            for (const auto& cc : shell.session().campaigns)
                if (ImGui::Selectable(cc.title.c_str(), cc.id == m_newCampaign)) m_newCampaign = cc.id;
            ImGui::EndCombo();
        }
        widgets::fieldLabel(tr("evaluation.period"), true);
        ImGui::SetNextItemWidth(ImGui::GetFontSize() * 10);
        widgets::inputText("##evaluation.period", m_newPeriod, "2026-Q4");
        ImGui::TextColored(theme::kMuted, "%s", tr("evaluation.period_hint"));
        ImGui::BeginDisabled(m_busy || m_newCampaign.empty() || m_newPeriod.empty());
        if (ImGui::Button(trId("evaluation.create"))) {
            std::string campaign = m_newCampaign, period = m_newPeriod;
            command(shell, [campaign, period](WorkerContext& w) { addEvaluation(w.app, campaign, period, "", defaultSchemeJson()); },
                    [this]() {
                        m_creating = false;
                        m_selected.clear();  // the newest draft comes first in the list
                    });
        }
        mark("evaluation.create");
        ImGui::EndDisabled();
        ImGui::SameLine();
        if (ImGui::Button(trId("common.cancel"))) m_creating = false;
    }

    // [SECTION] Scheme

    void drawScheme(Shell& shell) {
        const auto& m = m_detail->summary;
        bool editable = m_hq && m.status == "draft";
        ImGui::SetNextItemOpen(editable || m_detail->results.empty(), ImGuiCond_Appearing);
        std::string header = std::string(tr("evaluation.scheme")) + " · " + m.campaignTitle + " · " + m.period + "###scheme";
        if (!ImGui::CollapsingHeader(header.c_str())) return;
        ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_SizingFixedFit;
        float em = ImGui::GetFontSize();
        int removeAt = -1;
        if (ImGui::BeginTable("##evaluation.indicators", editable ? 5 : 3, flags)) {
            ImGui::TableSetupColumn(tr("evaluation.col_indicator"), ImGuiTableColumnFlags_WidthStretch);
            ImGui::TableSetupColumn(tr("evaluation.col_weight"), ImGuiTableColumnFlags_WidthFixed, em * 4);
            ImGui::TableSetupColumn(tr("evaluation.col_rule"), ImGuiTableColumnFlags_WidthFixed, editable ? em * 11 : em * 9);
            if (editable) {
                ImGui::TableSetupColumn("##rule_params", ImGuiTableColumnFlags_WidthFixed, em * 7);
                ImGui::TableSetupColumn("##remove", ImGuiTableColumnFlags_WidthFixed, em * 1.5f);
            }
            ImGui::TableHeadersRow();
            auto& list = editable ? m_edit.indicators : m_detail->scheme.indicators;
            for (size_t i = 0; i < list.size(); ++i) {
                Indicator& ind = list[i];
                const IndicatorSource* src = findIndicatorSource(ind.source);
                ImGui::PushID(static_cast<int>(i));
                ImGui::TableNextRow();
                ImGui::TableNextColumn();
                if (editable && ind.source == "manual") {
                    ImGui::SetNextItemWidth(-1);
                    if (ImGui::InputText("##label", &ind.label)) m_dirty = true, shell.noteText(ind.label);
                } else {
                    ImGui::TextUnformatted(ind.label.c_str());
                }
                if (src && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", src->definition);
                ImGui::TableNextColumn();
                if (editable) {
                    ImGui::SetNextItemWidth(-1);
                    if (ImGui::InputDouble("##weight", &ind.weight, 0, 0, "%.0f")) m_dirty = true;
                    mark("evaluation.weight." + std::to_string(i));
                } else {
                    ImGui::TextUnformatted(num(ind.weight, 0).c_str());
                }
                ImGui::TableNextColumn();
                if (editable) {
                    int kind = ind.rule.kind == ScoringKind::Linear ? 0 : 1;
                    const char* kinds[] = {tr("evaluation.rule_linear"), tr("evaluation.rule_rank")};
                    ImGui::SetNextItemWidth(em * 5);
                    if (ImGui::Combo("##kind", &kind, kinds, 2)) {
                        ind.rule.kind = kind == 0 ? ScoringKind::Linear : ScoringKind::Rank;
                        m_dirty = true;
                    }
                    ImGui::SameLine();
                    ImGui::TextColored(theme::kMuted, "%s", describeRule(ind.rule, !i18n().english()).c_str());
                    ImGui::TableNextColumn();
                    ImGui::SetNextItemWidth(em * 3.2f);
                    if (ind.rule.kind == ScoringKind::Linear) {
                        if (ImGui::InputDouble("##floor", &ind.rule.floor, 0, 0, "%g")) m_dirty = true;
                        ImGui::SameLine(0, 2);
                        ImGui::SetNextItemWidth(em * 3.2f);
                        if (ImGui::InputDouble("##target", &ind.rule.target, 0, 0, "%g")) m_dirty = true;
                    } else if (ImGui::Checkbox(tr("evaluation.higher_better"), &ind.rule.higherBetter)) {
                        m_dirty = true;
                    }
                    ImGui::TableNextColumn();
                    if (ImGui::SmallButton("×")) removeAt = static_cast<int>(i);
                } else {
                    ImGui::TextUnformatted(describeRule(ind.rule, !i18n().english()).c_str());
                }
                ImGui::PopID();
            }
            ImGui::EndTable();
        }
        const EvaluationScheme& sch = editable ? m_edit : m_detail->scheme;
        ImGui::TextColored(theme::kMuted, "%s", trf("evaluation.grades", {num(sch.grades.excellent, 0), num(sch.grades.good, 0),
                                                                          num(sch.grades.fair, 0)}).c_str());
        if (!editable) return;
        if (removeAt >= 0) {
            m_edit.indicators.erase(m_edit.indicators.begin() + removeAt);
            m_dirty = true;
        }
        drawAddIndicator();
        ImGui::SameLine();
        float em2 = em * 3.2f;
        ImGui::SetNextItemWidth(em2);
        m_dirty |= ImGui::InputDouble("##g1", &m_edit.grades.excellent, 0, 0, "%g");
        ImGui::SameLine(0, 2);
        ImGui::SetNextItemWidth(em2);
        m_dirty |= ImGui::InputDouble("##g2", &m_edit.grades.good, 0, 0, "%g");
        ImGui::SameLine(0, 2);
        ImGui::SetNextItemWidth(em2);
        m_dirty |= ImGui::InputDouble("##g3", &m_edit.grades.fair, 0, 0, "%g");
        // The same check the command makes, live: the weights' sum and any other mistake.
        std::string problem;
        try {
            parseScheme(schemeToJson(m_edit));
        } catch (const Error& e) {
            problem = e.what();
        }
        double sum = 0;
        for (const auto& i : m_edit.indicators) sum += i.weight;
        ImGui::TextColored(problem.empty() ? theme::kGreen : theme::kRed, "%s", trf("evaluation.weight_sum", {num(sum, 0)}).c_str());
        mark("evaluation.weight_sum");
        if (!problem.empty()) {
            ImGui::PushStyleColor(ImGuiCol_Text, theme::kRed);
            widgets::textWrapped(problem);
            ImGui::PopStyleColor();
        }
        ImGui::BeginDisabled(!m_dirty || m_busy);
        if (ImGui::Button(trId("evaluation.save_scheme"))) {
            std::string id = m_selected;
            Json scheme = schemeToJson(m_edit);
            command(shell, [id, scheme](WorkerContext& w) { updateEvaluationScheme(w.app, id, scheme); }, [this]() { m_dirty = false; });
        }
        mark("evaluation.save_scheme");
        ImGui::EndDisabled();
        if (m_dirty) {
            ImGui::SameLine();
            if (ImGui::Button(trId("evaluation.discard"))) {
                m_edit = m_detail->scheme;
                m_dirty = false;
            }
        }
    }

    void drawAddIndicator() {
        if (ImGui::Button(trId("evaluation.add_indicator"))) ImGui::OpenPopup("##evaluation.add");
        if (!ImGui::BeginPopup("##evaluation.add")) return;
        for (const auto& src : indicatorSources()) {
            bool used = false;
            for (const auto& i : m_edit.indicators) used = used || (i.source == src.code && i.source != "manual");
            if (used) continue;
            if (ImGui::Selectable(sourceLabel(src))) {
                EvaluationScheme one = parseScheme(
                    {{"indicators",
                      {{{"source", src.code}, {"weight", 100}, {"code", std::string(src.code) + "_" + std::to_string(m_edit.indicators.size() + 1)},
                        {"label", src.zh}}}}});
                Indicator ind = one.indicators[0];
                ind.weight = 0;
                if (ind.source != "manual") ind.code = ind.source;
                m_edit.indicators.push_back(ind);
                m_dirty = true;
            }
        }
        ImGui::EndPopup();
    }

    // [SECTION] Ranking

    void drawRanking() {
        widgets::heading(tr("evaluation.ranking"));
        const auto& results = m_detail->results;
        if (results.empty()) {
            ImGui::TextColored(theme::kMuted, "%s", tr(m_hq ? "evaluation.not_run" : "evaluation.no_results"));
            return;
        }
        if (!m_detail->summary.runAt.empty())
            ImGui::TextColored(theme::kMuted, "%s", trf("evaluation.run_at", {localTime(m_detail->summary.runAt)}).c_str());
        ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersOuter | ImGuiTableFlags_ScrollY | ImGuiTableFlags_SizingFixedFit;
        float em = ImGui::GetFontSize();
        if (!ImGui::BeginTable("##evaluation.ranking", 4, flags, ImVec2(0, ImGui::GetContentRegionAvail().y))) return;
        ImGui::TableSetupScrollFreeze(0, 1);
        ImGui::TableSetupColumn(tr("evaluation.col_rank"), ImGuiTableColumnFlags_WidthFixed, em * 3);
        ImGui::TableSetupColumn(tr("evaluation.col_unit"), ImGuiTableColumnFlags_WidthStretch);
        ImGui::TableSetupColumn(tr("evaluation.col_total"), ImGuiTableColumnFlags_WidthFixed, em * 8);
        ImGui::TableSetupColumn(tr("evaluation.col_grade"), ImGuiTableColumnFlags_WidthFixed, em * 4);
        ImGui::TableHeadersRow();
        for (size_t i = 0; i < results.size(); ++i) {
            const UnitResult& r = results[i];
            ImGui::PushID(r.unitId.c_str());
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            std::string label = std::to_string(r.rank) + "###row";
            if (ImGui::Selectable(label.c_str(), r.unitId == m_unit, ImGuiSelectableFlags_SpanAllColumns)) {
                m_unit = r.unitId;
                m_openCases = -1;
            }
            mark("evaluation.rank." + r.unitName);
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(r.unitName.c_str());
            ImGui::TableNextColumn();
            ImVec2 p = ImGui::GetCursorScreenPos();
            float w = ImGui::GetContentRegionAvail().x * static_cast<float>(r.total / 100.0);
            ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(p.x, p.y + 3), ImVec2(p.x + w, p.y + ImGui::GetTextLineHeight() - 1),
                                                      ImGui::GetColorU32(ImVec4(0.25f, 0.5f, 0.85f, 0.18f)), 2);
            ImGui::TextUnformatted(num(r.total).c_str());
            ImGui::TableNextColumn();
            ImGui::TextColored(gradeColor(r.grade), "%s", gradeLabel(r.grade, !i18n().english()));
            ImGui::PopID();
        }
        ImGui::EndTable();
    }

    // [SECTION] Breakdown

    void drawBreakdown(Shell& shell) {
        const UnitResult* r = nullptr;
        for (const auto& x : m_detail->results)
            if (x.unitId == m_unit) r = &x;
        if (!r) {
            ImGui::TextColored(theme::kMuted, "%s", tr("evaluation.pick_unit"));
            return;
        }
        widgets::heading(r->unitName.c_str());
        ImGui::TextColored(gradeColor(r->grade), "%s", trf("evaluation.unit_total", {num(r->total), std::to_string(r->rank),
                                                                                    gradeLabel(r->grade, !i18n().english())}).c_str());
        const auto& inds = m_detail->scheme.indicators;
        bool draft = m_hq && m_detail->summary.status == "draft";
        float em = ImGui::GetFontSize();
        ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_SizingFixedFit;
        if (ImGui::BeginTable("##evaluation.breakdown", 4, flags)) {
            ImGui::TableSetupColumn(tr("evaluation.col_indicator"), ImGuiTableColumnFlags_WidthStretch);
            ImGui::TableSetupColumn(tr("evaluation.col_raw"), ImGuiTableColumnFlags_WidthFixed, em * 8);
            ImGui::TableSetupColumn(tr("evaluation.col_formula"), ImGuiTableColumnFlags_WidthFixed, em * 9);
            ImGui::TableSetupColumn(tr("evaluation.col_cases"), ImGuiTableColumnFlags_WidthFixed, em * 4);
            ImGui::TableHeadersRow();
            for (size_t i = 0; i < r->items.size() && i < inds.size(); ++i) {
                const IndicatorScore& it = r->items[i];
                const IndicatorSource* src = findIndicatorSource(inds[i].source);
                std::string unit = src ? src->unit : "";
                ImGui::PushID(static_cast<int>(i));
                ImGui::TableNextRow();
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(inds[i].label.c_str());
                ImGui::TextColored(theme::kMuted, "%s", it.detail.c_str());
                ImGui::TableNextColumn();
                std::string raw = it.raw ? num(*it.raw, unit == "%" ? 1 : 0) + (unit == "%" ? "%" : "") : std::string(tr("evaluation.no_data"));
                ImGui::TextUnformatted(raw.c_str());
                ImGui::TextColored(theme::kMuted, "%s", describeRule(inds[i].rule, !i18n().english()).c_str());
                ImGui::TableNextColumn();
                ImGui::TextUnformatted((num(it.score, 1) + " × " + num(inds[i].weight, 0) + "%").c_str());
                ImGui::Text("= %s", num(it.weighted).c_str());
                ImGui::TableNextColumn();
                if (!it.cases.empty()) {
                    std::string b = std::to_string(it.cases.size()) + "###cases";
                    if (ImGui::SmallButton(b.c_str())) openCases(shell, static_cast<int>(i), it.cases);
                    mark("evaluation.cases." + std::to_string(i));
                }
                ImGui::PopID();
            }
            ImGui::EndTable();
        }
        if (m_openCases >= 0 && m_openCases < static_cast<int>(r->items.size())) drawCases(shell, r->items[m_openCases].cases);
        if (draft) drawManual(shell, *r);
    }

    void openCases(Shell& shell, int indicator, std::vector<CaseLink> cases) {
        m_openCases = indicator;
        m_caseTitles.clear();
        shell.jobs().request<std::vector<std::string>>(
            Lane::Read, [cases](WorkerContext& w) { return caseTitles(w.store.db(), cases); },
            [this, &shell](std::vector<std::string> t) {
                for (const auto& x : t) shell.noteText(x);
                m_caseTitles = std::move(t);
            },
            [](const JobError&) {}, "evaluation.cases");
    }

    void drawCases(Shell& shell, const std::vector<CaseLink>& cases) {
        ImGui::Spacing();
        widgets::heading(tr("evaluation.cases_behind"));
        for (size_t i = 0; i < cases.size(); ++i) {
            const CaseLink& c = cases[i];
            std::string title = i < m_caseTitles.size() && !m_caseTitles[i].empty() ? m_caseTitles[i] : c.id.substr(24);
            std::string label = std::string(caseEntityLabel(c.entity)) + " · " + title + "###" + c.id;
            if (ImGui::Selectable(label.c_str())) {
                if (c.entity == "finding") shell.openFinding(c.id, "evaluation");
                else if (c.entity == "complaint") shell.openComplaint(c.id);
                else shell.show(c.entity == "warning" ? "warnings" : c.entity == "approval" ? "esup" : "rectifications");
            }
            mark("evaluation.case." + std::to_string(i));
        }
    }

    void drawManual(Shell& shell, const UnitResult& r) {
        bool any = false;
        for (const auto& i : m_detail->scheme.indicators) any = any || i.source == "manual";
        if (!any) return;
        ImGui::Spacing();
        widgets::heading(tr("evaluation.manual"));
        for (const auto& ind : m_detail->scheme.indicators) {
            if (ind.source != "manual") continue;
            ImGui::PushID(ind.code.c_str());
            auto& e = m_manualInput[ind.code + "/" + r.unitId];
            if (!e.loaded) {
                const Json& m = m_detail->manual;
                if (m.contains(ind.code) && m[ind.code].contains(r.unitId)) {
                    e.score = m[ind.code][r.unitId].value("score", 0.0);
                    e.note = m[ind.code][r.unitId].value("note", std::string());
                }
                e.loaded = true;
            }
            ImGui::AlignTextToFramePadding();
            ImGui::TextUnformatted(ind.label.c_str());
            ImGui::SameLine(ImGui::GetFontSize() * 7);
            ImGui::SetNextItemWidth(ImGui::GetFontSize() * 4);
            ImGui::InputDouble("##score", &e.score, 0, 0, "%g");
            ImGui::SameLine();
            ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x - ImGui::GetFontSize() * 4);
            widgets::inputText("##note", e.note, tr("evaluation.manual_note"));
            ImGui::SameLine();
            ImGui::BeginDisabled(m_busy);
            if (ImGui::Button(trId("evaluation.save"))) {
                std::string id = m_selected, code = ind.code, unit = r.unitId, note = e.note;
                double score = e.score;
                command(shell, [=](WorkerContext& w) { setManualScore(w.app, id, code, unit, score, note); });
            }
            ImGui::EndDisabled();
            ImGui::PopID();
        }
        ImGui::TextColored(theme::kMuted, "%s", tr("evaluation.manual_hint"));
    }

    struct ManualInput {
        double score = 0;
        std::string note;
        bool loaded = false;
    };

    std::vector<EvaluationSummary> m_list;
    std::optional<EvaluationDetail> m_detail;
    EvaluationScheme m_edit;
    std::string m_selected, m_unit, m_newCampaign, m_newPeriod = "2026-Q4";
    std::vector<std::string> m_caseTitles;
    std::map<std::string, ManualInput> m_manualInput;
    int m_openCases = -1;
    bool m_listLoaded = false, m_loading = false, m_detailLoading = false, m_busy = false, m_dirty = false;
    bool m_hq = false, m_creating = false, m_exporting = false;
    uint64_t m_version = 0;
};

}  // namespace

std::unique_ptr<View> makeEvaluationView() { return std::make_unique<EvaluationView>(); }

}  // namespace jc::ui
