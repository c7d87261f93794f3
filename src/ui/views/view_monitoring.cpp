// Focus monitoring (重点监控, 倾向性问题): the flags today's records raise under HQ's rules, each
// with why (the numbers) and the cases behind it; the rules with their thresholds (HQ edits
// them); the units and categories under focus, which HQ places from a flag and lifts with a note.
// Leads see the same, read-only.
#include <imgui.h>
#include <imgui_stdlib.h>

#include "app/evaluation.h"
#include "app/monitoring.h"
#include "ui/shell/automation.h"
#include "ui/shell/i18n.h"
#include "ui/shell/shell.h"
#include "ui/shell/theme.h"
#include "ui/views/list_view.h"
#include "ui/views/views.h"
#include "ui/widgets/widgets.h"

namespace jc::ui {

namespace {

const char* ruleLabel(const std::string& kind) {
    if (kind == "unit_complaints") return tr("monitoring.rule_unit_complaints");
    if (kind == "repeated_findings") return tr("monitoring.rule_repeated_findings");
    if (kind == "rising_category") return tr("monitoring.rule_rising_category");
    if (kind == "overdue_rectifications") return tr("monitoring.rule_overdue_rectifications");
    return tr("monitoring.rule_handler_response");
}

const char* paramLabel(const std::string& name) {
    if (name == "min_complaints") return tr("monitoring.param_min_complaints");
    if (name == "days") return tr("monitoring.param_days");
    if (name == "min_findings") return tr("monitoring.param_min_findings");
    if (name == "rise_pct") return tr("monitoring.param_rise_pct");
    if (name == "min_cases") return tr("monitoring.param_min_cases");
    if (name == "min_workdays") return tr("monitoring.param_min_workdays");
    return tr("monitoring.param_below_pct");
}

struct MonitoringSnapshot {
    std::vector<MonitorRule> rules;
    std::vector<MonitorFlag> flags;
    std::vector<FocusRow> focus;
    std::map<std::string, std::string> caseTitles;  // case id → title
};

class MonitoringView : public View {
public:
    const char* id() const override { return "monitoring"; }
    const char* titleKey() const override { return "nav.monitoring"; }
    bool inNavigation(const SessionData& s) const override { return s.actor.role != Role::Inspector; }
    int64_t badge(const Shell&) const override { return m_loaded ? static_cast<int64_t>(m_data.flags.size()) : 0; }
    bool settled() const override { return m_loaded && !m_loading && !m_busy; }

    void draw(Shell& shell) override {
        if (m_version != shell.dataVersion() && !m_loading) load(shell);
        m_hq = shell.session().actor.role == Role::HqAdmin;
        if (!m_loaded) {
            ImGui::TextUnformatted(tr("common.loading"));
            return;
        }
        listAndSide(
            "##monitoring.left", 0.58f, [&] { drawFlags(shell); }, "##monitoring.right",
            [&] {
                drawFocus(shell);
                ImGui::Spacing();
                drawRules(shell);
            });
    }

private:
    void load(Shell& shell) {
        m_loading = true;
        m_version = shell.dataVersion();
        shell.jobs().request<MonitoringSnapshot>(
            Lane::Read,
            [](WorkerContext& w) {
                MonitoringSnapshot s;
                s.rules = loadMonitorRules(w.store.db());
                s.flags = evaluateMonitoring(s.rules, gatherMonitorFacts(w.store.db()), *w.app.calendar, w.app.today());
                s.focus = listFocus(w.store.db(), false);
                std::vector<CaseLink> cases;
                for (const auto& f : s.flags)
                    for (size_t i = 0; i < f.cases.size() && i < 20; ++i) cases.push_back(f.cases[i]);
                auto titles = caseTitles(w.store.db(), cases);
                for (size_t i = 0; i < cases.size(); ++i) s.caseTitles[cases[i].id] = titles[i];
                return s;
            },
            [this, &shell](MonitoringSnapshot s) {
                for (const auto& f : s.flags) shell.noteText(f.subjectName), shell.noteText(describeFlag(f, !i18n().english()));
                for (const auto& f : s.focus) shell.noteText(f.subjectName), shell.noteText(f.reason), shell.noteText(f.liftNote);
                for (const auto& r : s.rules) shell.noteText(describeMonitorRule(r, !i18n().english()));
                for (const auto& [id, t] : s.caseTitles) shell.noteText(t);
                m_data = std::move(s);
                m_edit.clear();
                for (const auto& r : m_data.rules) m_edit[r.kind] = {r.params, r.enabled};
                m_loaded = true;
                m_loading = false;
            },
            shell.failClears(m_loading),
            "monitoring");
    }

    void command(Shell& shell, std::function<void(WorkerContext&)> work) {
        m_busy = true;
        shell.runCommand(std::move(work), [this]() { m_busy = false; }, [this](const JobError&) { m_busy = false; });
    }

    bool underFocus(const MonitorFlag& f) const {
        for (const auto& x : m_data.focus)
            if (x.status == "active" && ((f.subjectKind == "unit" && x.unitId == f.subject) ||
                                         (f.subjectKind == "category" && x.category == f.subject)))
                return true;
        return false;
    }

    void drawFlags(Shell& shell) {
        bool zh = !i18n().english();
        widgets::heading(trf("monitoring.flags", {std::to_string(m_data.flags.size())}).c_str());
        if (m_data.flags.empty()) ImGui::TextColored(theme::kGreen, "%s", tr("monitoring.no_flags"));
        for (size_t i = 0; i < m_data.flags.size(); ++i) {
            const MonitorFlag& f = m_data.flags[i];
            ImGui::PushID(static_cast<int>(i));
            ImVec4 col = f.rule == "rising_category" ? theme::kYellow : theme::kRed;
            ImGui::TextColored(col, "● %s", ruleLabel(f.rule));
            ImGui::SameLine();
            ImGui::TextUnformatted(f.subjectName.c_str());
            mark("monitoring.flag." + f.rule + "." + f.subjectName);
            ImGui::SameLine();
            ImGui::TextColored(theme::kMuted, "— %s", describeFlag(f, zh).c_str());
            ImGui::Indent();
            if (m_hq && (f.subjectKind == "unit" || f.subjectKind == "category") && !f.subject.empty()) {
                if (underFocus(f)) {
                    ImGui::TextColored(theme::kRed, "%s", tr("monitoring.already_focus"));
                } else {
                    ImGui::BeginDisabled(m_busy);
                    if (ImGui::SmallButton(trId("monitoring.place_focus"))) {
                        MonitorFlag copy = f;
                        command(shell, [copy](WorkerContext& w) {
                            placeUnderFocus(w.app, copy.subjectKind, copy.subject, describeFlag(copy, true), flagToJson(copy));
                        });
                    }
                    mark("monitoring.place_focus." + f.rule + "." + f.subjectName);
                    ImGui::EndDisabled();
                }
                ImGui::SameLine();
            }
            std::string label = trf("monitoring.cases", {std::to_string(f.cases.size())}) + "###cases";
            if (ImGui::TreeNode(label.c_str())) {
                for (size_t k = 0; k < f.cases.size() && k < 20; ++k) {
                    const CaseLink& c = f.cases[k];
                    auto t = m_data.caseTitles.find(c.id);
                    std::string title = t != m_data.caseTitles.end() && !t->second.empty() ? t->second : c.id.substr(24);
                    std::string row = std::string(caseEntityLabel(c.entity)) + " · " + title + "###" + c.id;
                    if (ImGui::Selectable(row.c_str())) {
                        if (c.entity == "finding") shell.openFinding(c.id, "monitoring");
                        else if (c.entity == "complaint") shell.openComplaint(c.id);
                        else shell.show("rectifications");
                    }
                }
                if (f.cases.size() > 20) ImGui::TextColored(theme::kMuted, "%s", trf("monitoring.more", {std::to_string(f.cases.size() - 20)}).c_str());
                ImGui::TreePop();
            }
            ImGui::Unindent();
            ImGui::PopID();
        }
    }

    void drawFocus(Shell& shell) {
        widgets::heading(tr("monitoring.focus"));
        int active = 0;
        for (const auto& f : m_data.focus) {
            if (f.status != "active") continue;
            ++active;
            ImGui::PushID(f.id.c_str());
            ImGui::TextColored(theme::kRed, "● %s · %s", tr(f.subjectKind == "unit" ? "monitor.kind_unit" : "monitor.kind_category"),
                               f.subjectName.c_str());
            ImGui::Indent();
            widgets::textWrapped(f.reason);
            ImGui::TextColored(theme::kMuted, "%s", trf("monitoring.placed", {f.placedBy, localTime(f.placedAt)}).c_str());
            if (m_hq) {
                std::string& note = m_liftNotes[f.id];
                ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x - ImGui::GetFontSize() * 5);
                widgets::inputText("##lift_note", note, tr("monitoring.lift_note"));
                ImGui::SameLine();
                ImGui::BeginDisabled(m_busy || isBlank(note));
                if (ImGui::Button(trId("monitoring.lift"))) {
                    std::string id = f.id, n = note;
                    command(shell, [id, n](WorkerContext& w) { liftFocus(w.app, id, n); });
                }
                ImGui::EndDisabled();
            }
            ImGui::Unindent();
            ImGui::PopID();
        }
        if (active == 0) ImGui::TextColored(theme::kMuted, "%s", tr("monitoring.no_focus"));
        int lifted = static_cast<int>(m_data.focus.size()) - active;
        if (lifted > 0 && ImGui::TreeNode(trf("monitoring.lifted", {std::to_string(lifted)}).c_str())) {
            for (const auto& f : m_data.focus)
                if (f.status != "active")
                    ImGui::TextColored(theme::kMuted, "%s — %s（%s %s）", f.subjectName.c_str(), f.liftNote.c_str(), f.liftedBy.c_str(),
                                       localTime(f.liftedAt).c_str());
            ImGui::TreePop();
        }
    }

    void drawRules(Shell& shell) {
        bool zh = !i18n().english();
        widgets::heading(tr("monitoring.rules"));
        for (const auto& r : m_data.rules) {
            ImGui::PushID(r.kind.c_str());
            auto& e = m_edit[r.kind];
            if (!m_hq) {
                ImGui::TextColored(r.enabled ? theme::kAccent : theme::kMuted, "%s %s", r.enabled ? "●" : "○",
                                   describeMonitorRule(r, zh).c_str());
                ImGui::PopID();
                continue;
            }
            bool changed = ImGui::Checkbox("##on", &e.enabled);
            ImGui::SameLine();
            ImGui::TextUnformatted(ruleLabel(r.kind));
            ImGui::Indent();
            bool firstParam = true;
            for (auto it = e.params.begin(); it != e.params.end(); ++it) {
                if (!firstParam) ImGui::SameLine();
                firstParam = false;
                int v = it->get<int>();
                ImGui::SetNextItemWidth(ImGui::GetFontSize() * 3);
                std::string label = std::string(paramLabel(it.key())) + "##" + it.key();
                if (ImGui::InputInt(label.c_str(), &v, 0)) {
                    *it = std::max(1, v);
                    changed = true;
                }
                mark("monitoring.param." + r.kind + "." + it.key());
            }
            e.dirty |= changed;
            if (e.dirty) {
                ImGui::BeginDisabled(m_busy);
                if (ImGui::SmallButton(trId("monitoring.save"))) {
                    std::string kind = r.kind;
                    Json params = e.params;
                    bool enabled = e.enabled;
                    command(shell, [kind, params, enabled](WorkerContext& w) { setMonitorRule(w.app, kind, params, enabled); });
                }
                mark("monitoring.save." + r.kind);
                ImGui::EndDisabled();
            } else {
                ImGui::TextColored(theme::kMuted, "%s", describeMonitorRule(r, zh).c_str());
            }
            ImGui::Unindent();
            ImGui::PopID();
        }
    }

    struct RuleEdit {
        Json params;
        bool enabled = true;
        bool dirty = false;
    };

    MonitoringSnapshot m_data;
    std::map<std::string, RuleEdit> m_edit;
    std::map<std::string, std::string> m_liftNotes;
    bool m_loaded = false, m_loading = false, m_busy = false, m_hq = false;
    uint64_t m_version = 0;
};

}  // namespace

std::unique_ptr<View> makeMonitoringView() { return std::make_unique<MonitoringView>(); }

}  // namespace jc::ui
