// 统计分析 (leads and HQ): headline tiles with the change against the previous period of the
// same length, four charts (ranking by county or unit, category × county stacked, findings and
// complaints per month, the three complaint rates per county against a target), and a pivot
// table (dimension × measures, sortable, with totals) that exports as shown.
//
// Every number comes from app/statistics.h, computed on the background lane: a filter change
// starts a new generation and the view keeps drawing the last snapshot until the new one arrives
// (queued computations of an older filter are replaced, not run). A click on a bar, point or
// cell opens the findings or complaints list with exactly that cell's filter (drillFindings /
// drillComplaints), with a button back here.
#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "app/statistics.h"
#include "app/statistics_facts.h"
#include "core/workflow.h"
#include "report/exports.h"
#include "ui/shell/automation.h"
#include "ui/shell/i18n.h"
#include "ui/shell/shell.h"
#include "ui/shell/theme.h"
#include "ui/views/views.h"
#include "ui/widgets/charts.h"
#include "ui/widgets/export_button.h"
#include "ui/widgets/region_filter.h"
#include "ui/widgets/widgets.h"

namespace jc::ui {

namespace {

enum Period { Last30, Last90, ThisYear, All, Custom };

// The figures, and whether they were counted by SQL because the fact cache was not loaded for
// the store as it is (then the cache is loaded next, off the frame, for the following changes).
struct Snapshot : StatsDashboard {
    bool cold = false;
};

const char* label(const CodeLabel& c) { return codeLabel(c); }
const char* measureLabel(const MeasureInfo& m) { return i18n().english() ? m.en : m.zh; }

std::string fmtShort(const MeasureInfo& m, double v) { return formatMeasure(m, v); }

class StatsView : public View {
public:
    const char* id() const override { return "stats"; }
    const char* titleKey() const override { return "nav.stats"; }
    bool inNavigation(const SessionData& s) const override { return s.actor.role != Role::Inspector; }
    bool settled() const override { return m_snap != nullptr && !m_loading && m_counties.loaded(); }

    void onShow(Shell& shell) override {
        m_counties.load(shell);
    }

    void draw(Shell& shell) override {
        if (!m_started || m_version != shell.dataVersion()) recompute(shell);
        drawFilters(shell);
        if (!m_snap) {
            ImGui::TextColored(theme::kMuted, "%s", tr("common.loading"));
            return;
        }
        if (ImGui::BeginTabBar("##stats.tabs")) {
            if (ImGui::BeginTabItem(trId("stats.tab_charts"))) {
                drawTiles(shell);
                drawCharts(shell);
                ImGui::EndTabItem();
            }
            mark("stats.tab_charts");
            if (ImGui::BeginTabItem(trId("stats.tab_pivot"))) {
                drawPivot(shell);
                ImGui::EndTabItem();
            }
            mark("stats.tab_pivot");
            ImGui::EndTabBar();
        }
    }

    // Last computation time (ms) and whether a newer one is under way (tests, benchmark).
    double lastMs() const { return m_snap ? m_snap->ms : -1; }

private:
    // [SECTION] Computing

    StatsQuery pivotQuery() const {
        StatsQuery q;
        q.dimensions.push_back(statsDimensions()[static_cast<size_t>(m_rowDim)].code);
        if (m_colDim > 0 && m_colDim - 1 != m_rowDim) q.dimensions.push_back(statsDimensions()[static_cast<size_t>(m_colDim - 1)].code);
        for (size_t i = 0; i < statsMeasures().size(); ++i)
            if (m_measureOn[i]) q.measures.push_back(statsMeasures()[i].code);
        if (q.measures.empty()) q.measures.push_back("findings");
        return q;
    }

    void recompute(Shell& shell) {
        m_started = true;
        m_version = shell.dataVersion();
        m_loading = true;
        uint64_t gen = ++m_gen;
        FindingFilter base = m_filter;
        int period = m_period;
        std::string from = m_from, to = m_to;
        bool unitRanking = m_rankByUnit;
        StatsQuery pivot = pivotQuery();
        std::shared_ptr<StatsFactCache> facts = m_facts;
        shell.jobs().request<std::shared_ptr<Snapshot>>(
            Lane::Background,
            [=](WorkerContext& w) {
                Date today = w.app.today();
                FindingFilter f = base;
                if (period == Last30 || period == Last90) {
                    f.dateFrom = today.plusDays(period == Last30 ? -29 : -89).str();
                    f.dateTo = today.str();
                } else if (period == ThisYear) {
                    f.dateFrom = Date{today.year, 1, 1}.str();
                    f.dateTo = today.str();
                } else if (period == Custom) {
                    f.dateFrom = Date::tryParse(from) ? from : "";
                    f.dateTo = Date::tryParse(to) ? to : "";
                }
                // A cold cache would make this recompute wait for the load: count by SQL now and
                // load the facts afterwards (warmFacts), so no recompute is slower than SQL alone.
                bool warm = facts->isCurrent(w.store.db());
                auto snap = std::make_shared<Snapshot>();
                static_cast<StatsDashboard&>(*snap) =
                    computeDashboard(w.store.db(), *w.app.calendar, today, f, unitRanking, pivot, warm ? facts.get() : nullptr);
                snap->cold = !warm;
                return snap;
            },
            [this, &shell, gen](std::shared_ptr<Snapshot> s) {
                if (s->cold) warmFacts(shell);
                if (gen != m_gen) return;
                for (const StatsResult* r : {&s->ranking, &s->stacked, &s->monthly, &s->rates, &s->pivot})
                    for (const auto& row : r->rows)
                        for (const auto& l : row.labels) shell.noteText(l);
                for (const auto& n : s->pivot.notes) shell.noteText(n);
                m_snap = std::move(s);
                m_loading = false;
                sortPivot();
            },
            [this, &shell, gen](const JobError& e) {
                if (gen != m_gen) return;
                m_loading = false;
                shell.notifyError(e);
            },
            "stats.compute");
    }

    void warmFacts(Shell& shell) {
        std::shared_ptr<StatsFactCache> facts = m_facts;
        shell.jobs().request<int>(
            Lane::Background, [facts](WorkerContext& w) { return static_cast<int>(facts->facts(w.store.db()) != nullptr); },
            [](int) {}, [](const JobError&) {}, "stats.facts");
    }

    // [SECTION] Drill-down

    void drill(Shell& shell, const StatsQuery& q, const std::vector<std::string>& keys, const std::vector<std::string>& labels,
               bool complaints) {
        DrillDown d;
        d.backView = "stats";
        for (const auto& l : labels) d.label += (d.label.empty() ? "" : " · ") + l;
        try {
            if (complaints) {
                d.complaints = drillComplaints(q, keys);
                shell.drillDown("complaints", d);
            } else {
                d.findings = drillFindings(q, keys);
                shell.drillDown("findings", d);
            }
        } catch (const Error& e) {
            shell.notifyError(e.what());
        }
    }

    // [SECTION] Filters

    void drawFilters(Shell& shell) {
        const SessionData& s = shell.session();
        float em = ImGui::GetFontSize();
        bool changed = false;
        const CampaignInfo* camp = s.campaign(m_filter.campaignId);
        ImGui::SetNextItemWidth(em * 13);
        if (ImGui::BeginCombo("##stats.campaign", camp ? camp->title.c_str() : tr("findings.all_campaigns"))) {
            if (ImGui::Selectable(tr("findings.all_campaigns"), m_filter.campaignId.empty())) m_filter.campaignId.clear(), changed = true;
            for (const auto& c : s.campaigns)
                if (ImGui::Selectable(c.title.c_str(), c.id == m_filter.campaignId)) m_filter.campaignId = c.id, changed = true;
            ImGui::EndCombo();
        }
        mark("stats.campaign");
        ImGui::SameLine();
        static const char* const kPeriodKeys[] = {"stats.period_30", "stats.period_90", "stats.period_year", "stats.period_all",
                                                  "stats.period_custom"};
        ImGui::SetNextItemWidth(em * 6.5f);
        if (ImGui::BeginCombo("##stats.period", tr(kPeriodKeys[m_period]))) {
            for (int i = 0; i < 5; ++i) {
                if (ImGui::Selectable(tr(kPeriodKeys[i]), i == m_period)) m_period = i, changed = true;
                mark("stats.period." + std::to_string(i));
            }
            ImGui::EndCombo();
        }
        mark("stats.period");
        if (m_period == Custom) {
            ImGui::SameLine();
            ImGui::SetNextItemWidth(em * 6);
            changed |= ImGui::InputTextWithHint("##stats.from", "YYYY-MM-DD", &m_from) && (m_from.empty() || Date::tryParse(m_from));
            mark("stats.from");
            ImGui::SameLine();
            ImGui::SetNextItemWidth(em * 6);
            changed |= ImGui::InputTextWithHint("##stats.to", "YYYY-MM-DD", &m_to) && (m_to.empty() || Date::tryParse(m_to));
            mark("stats.to");
        }
        ImGui::SameLine();
        ImGui::SetNextItemWidth(em * 6.5f);
        bool accepted = m_filter.dateBasis == "accepted";
        if (ImGui::BeginCombo("##stats.basis", tr(accepted ? "stats.basis_accepted" : "stats.basis_recorded"))) {
            if (ImGui::Selectable(tr("stats.basis_recorded"), !accepted)) m_filter.dateBasis = "recorded", changed = true;
            if (ImGui::Selectable(tr("stats.basis_accepted"), accepted)) m_filter.dateBasis = "accepted", changed = true;
            ImGui::EndCombo();
        }
        mark("stats.basis");
        ImGui::SameLine();
        ImGui::SetNextItemWidth(em * 6);
        const char* countyName = tr("findings.any_county");
        for (const auto& c : m_counties.list())
            if (c.code == m_filter.regionPrefix) countyName = c.name.c_str();
        if (ImGui::BeginCombo("##stats.county", countyName)) {
            if (ImGui::Selectable(tr("findings.any_county"), m_filter.regionPrefix.empty())) m_filter.regionPrefix.clear(), changed = true;
            for (const auto& c : m_counties.list())
                if (ImGui::Selectable(c.name.c_str(), c.code == m_filter.regionPrefix)) m_filter.regionPrefix = c.code, changed = true;
            ImGui::EndCombo();
        }
        mark("stats.county");
        ImGui::SameLine();
        changed |= widgets::codeCombo("##stats.category", categories(), m_filter.category, "findings.any_category", em * 8);
        ImGui::SameLine();
        changed |= widgets::codeCombo("##stats.status", statuses(Machine::Finding), m_filter.status, "findings.any_status", em * 6);
        ImGui::SameLine();
        if (ImGui::Button(trId("stats.circular"))) {
            DrillDown d;
            d.findings = m_snap ? m_snap->filter : m_filter;
            d.backView = "stats";
            shell.drillDown("circular", d);
        }
        mark("stats.circular");
        if (changed) recompute(shell);
        if (m_snap) {
            ImGui::TextColored(theme::kMuted, "%s", trf("stats.computed", {std::to_string(static_cast<int>(std::lround(m_snap->ms)))}).c_str());
            if (m_loading) {
                ImGui::SameLine();
                ImGui::TextColored(theme::kMuted, "%s", tr("common.loading"));
            }
        }
    }

    // [SECTION] Tiles

    void drawTiles(Shell&) {
        const Snapshot& s = *m_snap;
        float em = ImGui::GetFontSize();
        float w = (ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ItemSpacing.x * 7) / 8;
        for (size_t i = 0; i < dashboardTileMeasures().size(); ++i) {
            if (i) ImGui::SameLine();
            const MeasureInfo& m = s.tiles.measures[i];
            ImGui::BeginChild(("##stats.tile." + std::to_string(i)).c_str(), ImVec2(w, em * 4.7f), true, ImGuiWindowFlags_NoScrollbar);
            ImGui::TextColored(theme::kMuted, "%s", measureLabel(m));
            double v = s.tiles.totals[i];
            ImGui::SetWindowFontScale(1.3f);
            ImGui::TextUnformatted(fmtShort(m, v).c_str());
            ImGui::SetWindowFontScale(1.0f);
            if (s.hasPrev) {
                double p = s.prev.totals[i];
                double d = v - p;
                std::string text = (d >= 0 ? "+" : "-") + fmtShort(m, std::fabs(d));
                if (m.kind != MeasureKind::Rate && p > 0) {
                    char pct[32];
                    std::snprintf(pct, sizeof pct, " (%+.0f%%)", 100.0 * d / p);
                    text += pct;
                }
                // More findings or overdue cases is not "good"; rates going up are.
                bool good = m.kind == MeasureKind::Rate ? d >= 0 : d <= 0;
                ImGui::TextColored(d == 0 ? theme::kMuted : good ? theme::kGreen : theme::kRed, "%s %s", tr("stats.vs_prev"), text.c_str());
                if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", trf("stats.prev_period", {s.prevFrom, s.prevTo, fmtShort(m, p)}).c_str());
            }
            ImGui::EndChild();
            mark("stats.tile." + std::string(m.code));
        }
    }

    // [SECTION] Charts

    void drawCharts(Shell& shell) {
        const Snapshot& s = *m_snap;
        float em = ImGui::GetFontSize();
        float colW = (ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ItemSpacing.x) / 2;
        float chartH = std::max(em * 9, (ImGui::GetContentRegionAvail().y - em * 4.5f) / 2);
        const MeasureInfo& findings = findMeasure("findings");
        auto count = [&](double v) { return formatMeasure(findings, v); };

        ImGui::BeginChild("##stats.c1", ImVec2(colW, chartH + em * 1.8f), false, ImGuiWindowFlags_NoScrollbar);
        ImGui::TextUnformatted(tr(m_rankByUnit ? "stats.chart_rank_unit" : "stats.chart_rank_county"));
        ImGui::SameLine();
        if (ImGui::SmallButton(trId(m_rankByUnit ? "stats.by_county" : "stats.by_unit"))) {
            m_rankByUnit = !m_rankByUnit;
            recompute(shell);
        }
        mark("stats.rank_toggle");
        {
            std::vector<std::string> labels;
            std::vector<double> values;
            for (const auto& r : s.ranking.rows) labels.push_back(r.labels[0]), values.push_back(r.values[0]);
            auto hit = charts::horizontalBars("stats.rank", labels, values, count, chartH, charts::paletteColor(0));
            if (hit.clicked()) {
                const auto& r = s.ranking.rows[static_cast<size_t>(hit.index)];
                drill(shell, s.rankingQ, r.keys, r.labels, false);
            }
        }
        ImGui::EndChild();
        ImGui::SameLine();
        ImGui::BeginChild("##stats.c2", ImVec2(colW, chartH + em * 1.8f), false, ImGuiWindowFlags_NoScrollbar);
        ImGui::TextUnformatted(tr("stats.chart_stacked"));
        {
            // Columns: counties; stacks: categories.
            std::vector<std::string> counties, countyLabels;
            for (const auto& r : s.stacked.rows)
                if (std::find(counties.begin(), counties.end(), r.keys[0]) == counties.end())
                    counties.push_back(r.keys[0]), countyLabels.push_back(r.labels[0]);
            std::vector<charts::Series> series;
            std::vector<std::string> catKeys;
            int ci = 0;
            for (const auto& c : categories()) {
                charts::Series sr{label(c), charts::paletteColor(ci++), std::vector<double>(counties.size(), 0.0)};
                bool any = false;
                for (const auto& r : s.stacked.rows)
                    if (r.keys[1] == c.code) {
                        auto pos = std::find(counties.begin(), counties.end(), r.keys[0]) - counties.begin();
                        sr.values[static_cast<size_t>(pos)] = r.values[0];
                        any = true;
                    }
                if (any) series.push_back(std::move(sr)), catKeys.push_back(c.code);
            }
            auto hit = charts::stackedBars("stats.stacked", countyLabels, series, count, chartH);
            if (hit.clicked())
                drill(shell, s.stackedQ, {counties[static_cast<size_t>(hit.index)], catKeys[static_cast<size_t>(hit.series)]},
                      {countyLabels[static_cast<size_t>(hit.index)], series[static_cast<size_t>(hit.series)].name}, false);
        }
        ImGui::EndChild();

        ImGui::BeginChild("##stats.c3", ImVec2(colW, chartH + em * 1.8f), false, ImGuiWindowFlags_NoScrollbar);
        ImGui::TextUnformatted(tr("stats.chart_monthly"));
        {
            std::vector<std::string> labels;
            charts::Series f{measureLabel(findMeasure("findings")), charts::paletteColor(0), {}};
            charts::Series c{measureLabel(findMeasure("complaints")), charts::paletteColor(1), {}};
            for (const auto& r : s.monthly.rows) {
                if (r.keys[0].empty()) continue;
                labels.push_back(r.labels[0]);
                f.values.push_back(r.values[0]);
                c.values.push_back(r.values[1]);
            }
            auto hit = charts::lines("stats.monthly", labels, {f, c}, count, chartH);
            if (hit.clicked()) {
                size_t i = 0;
                for (const auto& r : s.monthly.rows)
                    if (!r.keys[0].empty() && i++ == static_cast<size_t>(hit.index))
                        drill(shell, s.monthlyQ, r.keys, r.labels, hit.series == 1);
            }
        }
        ImGui::EndChild();
        ImGui::SameLine();
        ImGui::BeginChild("##stats.c4", ImVec2(colW, chartH + em * 1.8f), false, ImGuiWindowFlags_NoScrollbar);
        ImGui::TextUnformatted(tr("stats.chart_rates"));
        ImGui::SameLine();
        ImGui::SetNextItemWidth(em * 4);
        ImGui::SliderInt("##stats.target", &m_target, 50, 100, "%d%%");
        mark("stats.target");
        {
            std::vector<std::string> labels;
            std::vector<charts::Series> series;
            for (size_t k = 0; k < dashboardRateMeasures().size(); ++k) series.push_back({measureLabel(findMeasure(dashboardRateMeasures()[k])), charts::paletteColor(static_cast<int>(k) + 1), {}});
            for (const auto& r : s.rates.rows) {
                labels.push_back(r.labels[0]);
                for (size_t k = 0; k < dashboardRateMeasures().size(); ++k) series[k].values.push_back(r.values[k]);
            }
            const MeasureInfo& rate = findMeasure("on_time_rate");
            auto hit = charts::groupedBars("stats.rates", labels, series, [&](double v) { return formatMeasure(rate, v); }, chartH, 100,
                                           m_target, trf("stats.target", {std::to_string(m_target)}));
            if (hit.clicked()) {
                const auto& r = s.rates.rows[static_cast<size_t>(hit.index)];
                drill(shell, s.ratesQ, r.keys, r.labels, true);
            }
        }
        ImGui::EndChild();
    }

    // [SECTION] Pivot

    void sortPivot() {
        if (!m_snap) return;
        auto& rows = m_snap->pivot.rows;
        int col = m_sortColumn;
        bool desc = m_sortDesc;
        size_t dims = m_snap->pivot.dimensions.size();
        std::stable_sort(rows.begin(), rows.end(), [&](const StatsRow& a, const StatsRow& b) {
            if (col < 0) return false;
            size_t c = static_cast<size_t>(col);
            bool less = c < dims ? a.keys[c] < b.keys[c] : a.values[c - dims] < b.values[c - dims];
            bool more = c < dims ? b.keys[c] < a.keys[c] : b.values[c - dims] < a.values[c - dims];
            return desc ? more : less;
        });
    }

    void drawPivot(Shell& shell) {
        float em = ImGui::GetFontSize();
        bool changed = false;
        ImGui::TextUnformatted(tr("stats.rows"));
        ImGui::SameLine();
        ImGui::SetNextItemWidth(em * 7);
        if (ImGui::BeginCombo("##stats.pivot_rows", label(statsDimensions()[static_cast<size_t>(m_rowDim)]))) {
            for (int i = 0; i < static_cast<int>(statsDimensions().size()); ++i)
                if (ImGui::Selectable(label(statsDimensions()[static_cast<size_t>(i)]), i == m_rowDim)) m_rowDim = i, changed = true;
            ImGui::EndCombo();
        }
        mark("stats.pivot_rows");
        ImGui::SameLine();
        ImGui::TextUnformatted(tr("stats.then_by"));
        ImGui::SameLine();
        ImGui::SetNextItemWidth(em * 7);
        if (ImGui::BeginCombo("##stats.pivot_cols", m_colDim == 0 ? tr("common.none") : label(statsDimensions()[static_cast<size_t>(m_colDim - 1)]))) {
            if (ImGui::Selectable(tr("common.none"), m_colDim == 0)) m_colDim = 0, changed = true;
            for (int i = 0; i < static_cast<int>(statsDimensions().size()); ++i)
                if (i != m_rowDim && ImGui::Selectable(label(statsDimensions()[static_cast<size_t>(i)]), i + 1 == m_colDim))
                    m_colDim = i + 1, changed = true;
            ImGui::EndCombo();
        }
        mark("stats.pivot_cols");
        ImGui::SameLine();
        if (ImGui::Button(trId("stats.measures"))) ImGui::OpenPopup("##stats.measures_popup");
        mark("stats.measures");
        if (ImGui::BeginPopup("##stats.measures_popup")) {
            for (size_t i = 0; i < statsMeasures().size(); ++i) {
                bool on = m_measureOn[i];
                if (ImGui::Checkbox(measureLabel(statsMeasures()[i]), &on)) m_measureOn[i] = on, changed = true;
            }
            ImGui::EndPopup();
        }
        ImGui::SameLine();
        const Snapshot& s = *m_snap;
        auto snap = m_snap;
        m_export.draw(shell, "stats.export", tr("stats.export_name"), [snap](WorkerContext& w, const std::string& path, report::ExportFormat f, const report::ExportProgress&) {
            return report::exportStatistics(w.app, snap->pivot, snap->filter, f, path, w.app.actor.name).rows;
        });
        if (changed) recompute(shell);
        for (const auto& n : s.pivot.notes) ImGui::TextColored(theme::kMuted, "%s %s", tr("stats.note"), n.c_str());

        const StatsResult& r = s.pivot;
        int cols = static_cast<int>(r.dimensions.size() + r.measures.size());
        ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_Borders | ImGuiTableFlags_ScrollY | ImGuiTableFlags_ScrollX |
                                ImGuiTableFlags_Sortable | ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_Resizable;
        if (cols == 0 || !ImGui::BeginTable("##stats.pivot", cols, flags, ImGui::GetContentRegionAvail())) return;
        ImGui::TableSetupScrollFreeze(static_cast<int>(r.dimensions.size()), 1);
        for (const auto& d : r.dimensions) ImGui::TableSetupColumn(label(findDimension(d)), ImGuiTableColumnFlags_WidthFixed, em * 9);
        for (const auto& m : r.measures) ImGui::TableSetupColumn(measureLabel(m), ImGuiTableColumnFlags_WidthFixed, em * 6.5f);
        ImGui::TableHeadersRow();
        if (ImGuiTableSortSpecs* specs = ImGui::TableGetSortSpecs(); specs && specs->SpecsDirty) {
            if (specs->SpecsCount > 0) {
                m_sortColumn = specs->Specs[0].ColumnIndex;
                m_sortDesc = specs->Specs[0].SortDirection == ImGuiSortDirection_Descending;
                sortPivot();
            }
            specs->SpecsDirty = false;
        }
        auto cellsRow = [&](const std::vector<std::string>& labels, const std::vector<double>& values, const std::vector<std::string>* keys,
                            int rowNo) {
            ImGui::TableNextRow();
            for (const auto& l : labels) {
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(l.c_str());
            }
            for (size_t i = 0; i < values.size(); ++i) {
                ImGui::TableNextColumn();
                std::string t = formatMeasure(r.measures[i], values[i]);
                float w = ImGui::GetContentRegionAvail().x, tw = ImGui::CalcTextSize(t.c_str()).x;
                if (keys) {
                    // The whole cell is the click target; the number is right-aligned on it.
                    ImVec2 at = ImGui::GetCursorScreenPos();
                    ImGui::PushID(rowNo * 64 + static_cast<int>(i));
                    if (ImGui::Selectable("##cell", false, 0, ImVec2(w, 0)))
                        drill(shell, s.pivotQ, *keys, labels, r.measures[i].source == MeasureSource::Complaints);
                    ImGui::PopID();
                    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr("stats.open_list"));
                    ImGui::GetWindowDrawList()->AddText(ImVec2(at.x + w - tw, at.y), ImGui::GetColorU32(ImGuiCol_Text), t.c_str());
                    if (rowNo == 0) mark("stats.pivot.cell.0." + std::to_string(i));
                } else {
                    ImGui::SetCursorPosX(ImGui::GetCursorPosX() + w - tw);
                    ImGui::TextUnformatted(t.c_str());
                    mark("stats.pivot.total." + std::to_string(i));
                }
            }
        };
        ImGuiListClipper clipper;
        clipper.Begin(static_cast<int>(r.rows.size()));
        while (clipper.Step())
            for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i)
                cellsRow(r.rows[static_cast<size_t>(i)].labels, r.rows[static_cast<size_t>(i)].values, &r.rows[static_cast<size_t>(i)].keys, i);
        std::vector<std::string> totalLabels(r.dimensions.size(), "");
        if (!totalLabels.empty()) totalLabels[0] = tr("stats.total");
        cellsRow(totalLabels, r.totals, nullptr, -1);
        ImGui::EndTable();
    }

    FindingFilter m_filter;
    int m_period = Last90;
    std::string m_from, m_to;
    bool m_rankByUnit = false;
    int m_target = 90;
    int m_rowDim = 0, m_colDim = 0;
    std::vector<bool> m_measureOn = [] {
        std::vector<bool> on(statsMeasures().size(), false);
        for (size_t i = 0; i < statsMeasures().size(); ++i)
            for (const char* c : {"findings", "severity_high", "amount_owed", "complaints", "completion_rate", "rect_overdue"})
                if (std::string(statsMeasures()[i].code) == c) on[i] = true;
        return on;
    }();
    int m_sortColumn = -1;
    bool m_sortDesc = false;
    std::shared_ptr<Snapshot> m_snap;
    bool m_started = false, m_loading = false;
    uint64_t m_gen = 0, m_version = 0;
    // The figures are counted over this in-memory copy of the store's facts (loaded on the
    // background worker, again after the store changed), so a change of filter costs milliseconds.
    std::shared_ptr<StatsFactCache> m_facts = std::make_shared<StatsFactCache>();
    widgets::FindingCounties m_counties;
    ExportButton m_export;
};

}  // namespace

std::unique_ptr<View> makeStatsView() { return std::make_unique<StatsView>(); }

}  // namespace jc::ui
