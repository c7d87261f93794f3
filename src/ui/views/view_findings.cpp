// Findings list: a virtualised table (ImGuiListClipper) that stays smooth at 100,000 rows.
//
// Why pages: the frame only ever draws the ~30 visible rows; rows come from the read worker in
// pages of kPageSize, requested for what the clipper shows (and one page either side). A new
// filter or sort starts a new generation: older pages and counts are dropped when they arrive,
// and queued page jobs of a stale generation return at once without querying. Full-text search
// goes through the store's CJK index (searchIds, inside listFindings); the worker cuts an excerpt
// around the match from each row of a page, and matches are highlighted in title and excerpt.
#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <map>
#include <set>

#include "app/statistics.h"
#include "core/workflow.h"
#include "ui/shell/automation.h"
#include "ui/shell/i18n.h"
#include "ui/shell/shell.h"
#include "ui/shell/theme.h"
#include "ui/views/views.h"
#include "ui/widgets/export_button.h"
#include "ui/widgets/region_filter.h"
#include "ui/widgets/widgets.h"

namespace jc::ui {

namespace {

constexpr int kPageSize = 200;

struct Column {
    const char* key;     // i18n key of the header
    const char* sortBy;  // FindingFilter::sortBy
    float widthEm;       // 0 = stretch
};
const Column kColumns[] = {
    {"findings.col_number", "local_number", 6.5f}, {"findings.col_title", "title", 0},
    {"findings.col_category", "category", 7},      {"findings.col_region", "region", 6.5f},
    {"findings.col_status", "status", 5},          {"findings.col_severity", "severity", 4},
    {"findings.col_assignee", "assignee", 4.5f},   {"findings.col_created", "created_at", 8},
};
constexpr int kColumnCount = static_cast<int>(sizeof kColumns / sizeof kColumns[0]);

struct Page {
    std::vector<FindingRow> rows;
    std::vector<std::string> excerpts;  // under a search: where the terms occur in each row's text
};

class FindingsView : public View {
public:
    FindingsView() : m_liveGen(std::make_shared<std::atomic<uint64_t>>(0)) {}
    const char* id() const override { return "findings"; }
    const char* titleKey() const override { return "nav.findings"; }

    bool settled() const override {
        return m_total >= 0 && m_inFlight == 0 && !m_countLoading && m_searchDebounce < 0 && m_counties.loaded();
    }

    void onShow(Shell& shell) override {
        m_counties.load(shell);
    }

    // Opened from a statistics cell: exactly that cell's filter, with a way back.
    void drill(Shell& shell, const DrillDown& d) override {
        m_filter = d.findings;
        m_filter.sortBy = m_sortBy;
        m_filter.descending = m_desc;
        m_filter.limit = 50;
        m_filter.offset = 0;
        m_searchText = m_filter.search;
        m_terms = widgets::searchTerms(m_searchText);
        m_county = m_filter.regionPrefix.substr(0, std::min<size_t>(6, m_filter.regionPrefix.size()));
        m_township = m_filter.regionPrefix.size() > 6 ? m_filter.regionPrefix : "";
        if (!m_county.empty()) loadTownships(shell, m_county);
        m_drill = d;
        m_drillText = d.label;
        shell.noteText(m_drillText);
        m_initialised = true;
        restart(shell);
        shell.jobs().request<std::string>(
            Lane::Read, [f = m_filter](WorkerContext& w) { return describeFilter(w.store.db(), f); },
            [this, &shell](std::string text) {
                shell.noteText(text);
                m_drillFilterText = std::move(text);
            });
    }

    bool onCommand(Shell& shell, ShellCommand c) override {
        switch (c) {
            case ShellCommand::Search: m_focusSearch = true; return true;
            case ShellCommand::Previous: moveSelection(shell, -1); return true;
            case ShellCommand::Next: moveSelection(shell, +1); return true;
            case ShellCommand::Save: return false;
        }
        return false;
    }

    std::optional<std::string> neighbor(Shell&, const std::string& id, int delta) override {
        for (const auto& [pageNo, page] : m_pages)
            for (size_t i = 0; i < page->rows.size(); ++i)
                if (page->rows[i].id == id) {
                    int64_t target = static_cast<int64_t>(pageNo) * kPageSize + static_cast<int64_t>(i) + delta;
                    if (const FindingRow* r = rowAt(target)) {
                        m_selected = target;
                        m_scrollToSelected = true;
                        return r->id;
                    }
                    return std::nullopt;
                }
        return std::nullopt;
    }

    void draw(Shell& shell) override {
        if (!m_initialised) {
            // All campaigns by default: a field device works on one campaign at a time, and the
            // unfiltered newest-first order comes straight off the created_at index.
            if (!shell.startSearch().empty()) {
                m_searchText = m_filter.search = shell.startSearch();
                m_terms = widgets::searchTerms(m_searchText);
                shell.noteText(m_searchText);
            }
            m_initialised = true;
            restart(shell);
        }
        if (m_version != shell.dataVersion()) restart(shell);
        if (m_searchDebounce >= 0 && shell.now() - m_searchDebounce > 0.25) {
            m_searchDebounce = -1;
            m_filter.search = m_searchText;
            m_terms = widgets::searchTerms(m_searchText);
            restart(shell);
        }
        if (m_drill) drawDrillBanner(shell);
        drawFilters(shell);
        drawTable(shell);
    }

private:
    // [SECTION] Loading

    void restart(Shell& shell) {
        ++m_gen;
        m_liveGen->store(m_gen);
        m_version = shell.dataVersion();
        m_pages.clear();
        m_requested.clear();
        m_inFlight = 0;  // answers of the old generation are ignored when they arrive
        m_total = -1;
        m_countLoading = true;
        requestPage(shell, 0);  // what the user sees first, before the (slower) count
        FindingFilter f = m_filter;
        uint64_t gen = m_gen;
        auto live = m_liveGen;
        shell.jobs().request<int64_t>(
            Lane::Read,
            [f, live, gen](WorkerContext& w) -> int64_t {
                if (live->load() != gen) return -1;
                return countFindings(w.store.db(), f, w.app.today().str());
            },
            [this, gen](int64_t n) {
                if (gen != m_gen) return;
                m_total = n;
                m_countLoading = false;
                if (m_selected >= m_total) m_selected = -1;
            },
            [this, &shell, gen](const JobError& e) {
                if (gen != m_gen) return;
                m_countLoading = false;
                m_total = 0;
                shell.notifyError(e);
            },
            "findings.count");
    }

    void requestPage(Shell& shell, int page) {
        if (m_requested.count(page) || m_pages.count(page)) return;
        if (m_inFlight >= 3) return;  // the rest is asked for on a later frame, if still visible
        m_requested.insert(page);
        ++m_inFlight;
        FindingFilter f = m_filter;
        f.limit = kPageSize;
        f.offset = page * kPageSize;
        uint64_t gen = m_gen;
        auto live = m_liveGen;
        shell.jobs().request<std::shared_ptr<Page>>(
            Lane::Read,
            [f, live, gen](WorkerContext& w) {
                auto p = std::make_shared<Page>();
                if (live->load() != gen) return p;  // superseded while queued
                p->rows = listFindings(w.store.db(), f, w.app.today().str());
                if (!f.search.empty()) {
                    std::vector<std::string> ids;
                    for (const auto& r : p->rows) ids.push_back(r.id);
                    p->excerpts = findingExcerpts(w, ids, widgets::searchTerms(f.search));
                }
                return p;
            },
            [this, &shell, gen, page](std::shared_ptr<Page> p) {
                if (gen != m_gen) return;
                --m_inFlight;
                m_requested.erase(page);
                for (const auto& e : p->excerpts) shell.noteText(e);
                for (const auto& r : p->rows) {
                    shell.noteText(r.title);
                    shell.noteText(r.regionName);
                    shell.noteText(r.assignee);
                }
                m_pages[page] = std::move(p);
                // Keep memory flat while scrolling through 100,000 rows: drop far pages.
                while (m_pages.size() > 24) {
                    auto far = m_pages.begin();
                    for (auto it = m_pages.begin(); it != m_pages.end(); ++it)
                        if (std::abs(it->first - m_visiblePage) > std::abs(far->first - m_visiblePage)) far = it;
                    m_pages.erase(far);
                }
            },
            [this, &shell, gen, page](const JobError& e) {
                if (gen != m_gen) return;
                --m_inFlight;
                m_requested.erase(page);
                shell.notifyError(e);
            });
    }

    void loadTownships(Shell& shell, const std::string& county) {
        m_townships.clear();
        shell.jobs().request<std::vector<Region>>(
            Lane::Read, [county](WorkerContext& w) { return loadRegionChildren(w, county); },
            [this, &shell, county](std::vector<Region> r) {
                if (county != m_county) return;
                for (const auto& x : r) shell.noteText(x.name);
                m_townships = std::move(r);
            });
    }

    const FindingRow* rowAt(int64_t index) const {
        if (index < 0) return nullptr;
        auto it = m_pages.find(static_cast<int>(index / kPageSize));
        if (it == m_pages.end()) return nullptr;
        size_t i = static_cast<size_t>(index % kPageSize);
        return i < it->second->rows.size() ? &it->second->rows[i] : nullptr;
    }

    const std::string* excerptAt(int64_t index) const {
        auto it = m_pages.find(static_cast<int>(index / kPageSize));
        if (it == m_pages.end()) return nullptr;
        size_t i = static_cast<size_t>(index % kPageSize);
        return i < it->second->excerpts.size() ? &it->second->excerpts[i] : nullptr;
    }

    void moveSelection(Shell&, int delta) {
        if (m_total <= 0) return;
        m_selected = std::clamp<int64_t>(m_selected < 0 ? 0 : m_selected + delta, 0, m_total - 1);
        m_scrollToSelected = true;
    }

    // [SECTION] Drawing

    void drawDrillBanner(Shell& shell) {
        ImGui::PushStyleColor(ImGuiCol_Text, theme::kAccent);
        ImGui::TextUnformatted(trf("findings.drill", {m_drillText}).c_str());
        ImGui::PopStyleColor();
        mark("findings.drill");
        ImGui::SameLine();
        if (ImGui::SmallButton(trId("findings.drill_back"))) {
            std::string back = m_drill->backView;
            shell.show(back.empty() ? "stats" : back);
        }
        mark("findings.drill_back");
        ImGui::SameLine();
        if (ImGui::SmallButton(trId("findings.drill_clear"))) {
            clearFilters();
            restart(shell);
        }
        mark("findings.drill_clear");
        if (!m_drillFilterText.empty()) ImGui::TextColored(theme::kMuted, "%s", m_drillFilterText.c_str());
    }

    // Back to every finding: no drill-down, filter or search; the sort order stays.
    void clearFilters() {
        m_drill.reset();
        m_filter = FindingFilter{};
        m_filter.sortBy = m_sortBy;
        m_filter.descending = m_desc;
        m_searchText.clear();
        m_terms.clear();
        m_county.clear();
        m_township.clear();
    }

    void drawFilters(Shell& shell) {
        const SessionData& s = shell.session();
        bool changed = false;
        float em = ImGui::GetFontSize();

        ImGui::SetNextItemWidth(em * 16);
        if (m_focusSearch) {
            ImGui::SetKeyboardFocusHere();
            m_focusSearch = false;
        }
        if (ImGui::InputTextWithHint("##findings.search", tr("findings.search_hint"), &m_searchText)) {
            m_searchDebounce = shell.now();
            shell.noteText(m_searchText);
        }
        mark("findings.search");
        ImGui::SameLine();
        const CampaignInfo* camp = s.campaign(m_filter.campaignId);
        {
            widgets::FilterCombo c("##findings.campaign", m_filter.campaignId, tr("findings.all_campaigns"),
                                   camp ? camp->title.c_str() : nullptr, em * 12);
            for (const auto& x : s.campaigns) c.item(x.id, x.title.c_str());
            changed |= c.end();
        }
        mark("findings.campaign");
        ImGui::SameLine();
        changed |= widgets::codeCombo("##findings.status", statuses(Machine::Finding), m_filter.status, "findings.any_status", em * 7);
        ImGui::SameLine();
        changed |= widgets::codeCombo("##findings.category", categories(), m_filter.category, "findings.any_category", em * 9);
        ImGui::SameLine();
        changed |= widgets::codeCombo("##findings.area", areas(), m_filter.area, "findings.any_area", em * 8);

        // Second row: region cascade, assignee, overdue
        if (widgets::regionFilterCombo("##findings.county", m_county, tr("findings.any_county"), m_counties.list(), em * 8)) {
            m_township.clear();
            m_townships.clear();
            if (!m_county.empty()) loadTownships(shell, m_county);
            changed = true;
        }
        mark("findings.county");
        ImGui::SameLine();
        ImGui::BeginDisabled(m_county.empty());
        changed |= widgets::regionFilterCombo("##findings.township", m_township, tr("findings.any_township"), m_townships, em * 9);
        mark("findings.township");
        ImGui::EndDisabled();
        ImGui::SameLine();
        {
            widgets::FilterCombo c("##findings.assignee", m_filter.assignee, tr("findings.any_assignee"),
                                   m_filter.assignee.empty() ? nullptr : m_filter.assignee.c_str(), em * 7);
            c.item(s.actor.name, tr("findings.me"));
            for (const auto& u : s.users) c.item(u.name, u.name.c_str());
            changed |= c.end();
        }
        mark("findings.assignee");
        ImGui::SameLine();
        changed |= ImGui::Checkbox(trId("findings.overdue"), &m_filter.overdueOnly);
        mark("findings.overdue");
        ImGui::SameLine();
        if (ImGui::Button(trId("findings.reset"))) {
            clearFilters();
            changed = true;
        }
        mark("findings.reset");
        ImGui::SameLine();
        {
            report::ExportRequest req;
            req.entity = "findings";
            req.filter = m_filter;
            m_export.draw(shell, "findings.export", tr("findings.export_name"), listExport(req));
        }
        ImGui::SameLine();
        if (m_total >= 0) {
            ImGui::TextColored(theme::kMuted, "%s", trf("findings.count", {withSeparators(m_total)}).c_str());
            if (automation::enabled()) mark("findings.count." + std::to_string(m_total));  // tests read the count
        } else {
            ImGui::TextColored(theme::kMuted, "%s", tr("common.loading"));
        }

        std::string region = m_township.empty() ? m_county : m_township;
        if (region != m_filter.regionPrefix) {
            m_filter.regionPrefix = region;
            changed = true;
        }
        if (changed) restart(shell);
    }

    void drawTable(Shell& shell) {
        bool searching = !m_filter.search.empty();
        int columns = kColumnCount + (searching ? 1 : 0);
        ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersOuter | ImGuiTableFlags_BordersV |
                                ImGuiTableFlags_ScrollY | ImGuiTableFlags_Sortable | ImGuiTableFlags_Resizable |
                                ImGuiTableFlags_SizingFixedFit;
        if (!ImGui::BeginTable(searching ? "##findings.table.search" : "##findings.table", columns, flags,
                               ImGui::GetContentRegionAvail()))
            return;
        float em = ImGui::GetFontSize();
        ImGui::TableSetupScrollFreeze(0, 1);
        for (int c = 0; c < kColumnCount; ++c) {
            ImGuiTableColumnFlags cf = kColumns[c].widthEm == 0 ? ImGuiTableColumnFlags_WidthStretch : ImGuiTableColumnFlags_WidthFixed;
            if (std::string_view(kColumns[c].sortBy) == "created_at")
                cf |= ImGuiTableColumnFlags_DefaultSort | ImGuiTableColumnFlags_PreferSortDescending;
            float w = kColumns[c].widthEm == 0 ? 1.4f : kColumns[c].widthEm * em;  // stretch weight for the title
            ImGui::TableSetupColumn(tr(kColumns[c].key), cf, w, static_cast<ImGuiID>(c));
            if (c == 1 && searching)
                ImGui::TableSetupColumn(tr("findings.col_match"), ImGuiTableColumnFlags_WidthStretch | ImGuiTableColumnFlags_NoSort,
                                        1.0f, static_cast<ImGuiID>(100));
        }
        ImGui::TableHeadersRow();
        if (ImGuiTableSortSpecs* specs = ImGui::TableGetSortSpecs(); specs && specs->SpecsDirty) {
            if (specs->SpecsCount > 0 && specs->Specs[0].ColumnUserID < static_cast<ImGuiID>(kColumnCount)) {
                m_sortBy = kColumns[specs->Specs[0].ColumnUserID].sortBy;
                m_desc = specs->Specs[0].SortDirection == ImGuiSortDirection_Descending;
                if (m_filter.sortBy != m_sortBy || m_filter.descending != m_desc) {
                    m_filter.sortBy = m_sortBy;
                    m_filter.descending = m_desc;
                    restart(shell);
                }
            }
            specs->SpecsDirty = false;
        }

        float rowH = ImGui::GetTextLineHeight() + ImGui::GetStyle().CellPadding.y * 2;
        int64_t total = std::max<int64_t>(m_total, 0);
        if (m_total < 0)  // counting still: show the first page already
            if (auto p0 = m_pages.find(0); p0 != m_pages.end()) total = static_cast<int64_t>(p0->second->rows.size());
        if (m_scrollToSelected && m_selected >= 0) {
            float y = static_cast<float>(m_selected) * rowH;
            float top = ImGui::GetScrollY(), visible = ImGui::GetWindowHeight() - rowH * 2;
            if (y < top) ImGui::SetScrollY(y);
            else if (y > top + visible) ImGui::SetScrollY(y - visible);
            m_scrollToSelected = false;
        }
        ImGuiListClipper clipper;
        clipper.Begin(static_cast<int>(total), rowH);
        int first = -1, last = -1;
        std::string openId;
        while (clipper.Step()) {
            if (first < 0 || clipper.DisplayStart < first) first = clipper.DisplayStart;
            last = std::max(last, clipper.DisplayEnd);
            for (int row = clipper.DisplayStart; row < clipper.DisplayEnd; ++row) {
                ImGui::TableNextRow(ImGuiTableRowFlags_None, rowH);
                const FindingRow* r = rowAt(row);
                ImGui::TableNextColumn();
                if (!r) {
                    ImGui::TextColored(theme::kMuted, "…");
                    continue;
                }
                ImGui::PushID(row);
                bool selected = row == m_selected;
                if (ImGui::Selectable(r->localNumber.c_str(), selected,
                                      ImGuiSelectableFlags_SpanAllColumns | ImGuiSelectableFlags_AllowItemOverlap)) {
                    m_selected = row;
                    openId = r->id;
                }
                if (row == first) mark("findings.first_row");
                if (automation::enabled()) mark("findings.row." + r->localNumber);
                ImGui::TableNextColumn();
                widgets::highlighted(r->title, m_terms);
                if (searching) {
                    ImGui::TableNextColumn();
                    if (const std::string* e = excerptAt(row)) widgets::snippet(*e);
                }
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(codeLabel(categories(), r->category));
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(r->regionName.c_str());
                ImGui::TableNextColumn();
                widgets::statusBadge(Machine::Finding, r->status);
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(codeLabel(severities(), r->severity));
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(r->assignee.c_str());
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(localTime(r->createdAt).c_str());
                ImGui::PopID();
            }
        }
        ImGui::EndTable();

        if (ImGui::IsWindowFocused(ImGuiFocusedFlags_RootAndChildWindows) && !ImGui::GetIO().WantTextInput &&
            ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Enter)) && m_selected >= 0)
            if (const FindingRow* r = rowAt(m_selected)) openId = r->id;

        if (first >= 0 && total > 0) {
            int firstPage = first / kPageSize, lastPage = std::max(first, last - 1) / kPageSize;
            m_visiblePage = firstPage;
            for (int p = firstPage; p <= lastPage; ++p) requestPage(shell, p);
            // One page ahead in each direction so normal scrolling never shows placeholders.
            if (static_cast<int64_t>(lastPage + 1) * kPageSize < total) requestPage(shell, lastPage + 1);
            if (firstPage > 0) requestPage(shell, firstPage - 1);
        }
        if (!openId.empty()) shell.openFinding(openId, "findings");
    }

    static std::string withSeparators(int64_t n) {
        std::string digits = std::to_string(n), out;
        for (size_t i = 0; i < digits.size(); ++i) {
            if (i > 0 && (digits.size() - i) % 3 == 0 && digits[i - 1] != '-') out += ',';
            out += digits[i];
        }
        return out;
    }

    FindingFilter m_filter;
    std::optional<DrillDown> m_drill;
    std::string m_drillText, m_drillFilterText;
    ExportButton m_export;
    std::string m_sortBy = "created_at";
    bool m_desc = true;
    std::string m_searchText;
    std::vector<std::string> m_terms;
    double m_searchDebounce = -1;
    bool m_focusSearch = false;
    bool m_initialised = false;
    std::string m_county, m_township;
    widgets::FindingCounties m_counties;
    std::vector<Region> m_townships;

    uint64_t m_gen = 0, m_version = 0;
    std::shared_ptr<std::atomic<uint64_t>> m_liveGen;
    int64_t m_total = -1;
    bool m_countLoading = false;
    std::map<int, std::shared_ptr<Page>> m_pages;
    std::set<int> m_requested;
    int m_inFlight = 0;
    int m_visiblePage = 0;
    int64_t m_selected = -1;
    bool m_scrollToSelected = false;
};

}  // namespace

std::unique_ptr<View> makeFindingsView() { return std::make_unique<FindingsView>(); }

}  // namespace jc::ui
