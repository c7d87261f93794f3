// 时间存疑: records kept with the time a wrong laptop clock gave them (app/time_correction.h),
// for team leads and HQ. The list shows each flagged complaint or warning with its recorded
// time, the device's own time and its deadline; 更正 opens the form beside it, where the lead
// types the right date and time in any accepted form (core/time_input.h), sees it read back in
// China time before saving, and saves one ordinary change: it syncs, goes into the case's
// history, clears the flag and counts the complaint's deadline again from the corrected day.
#include <imgui.h>
#include <imgui_stdlib.h>

#include "app/read_models.h"
#include "app/time_correction.h"
#include "core/hq_clock.h"
#include "core/time_input.h"
#include "ui/shell/automation.h"
#include "ui/shell/i18n.h"
#include "ui/shell/shell.h"
#include "ui/shell/theme.h"
#include "ui/views/list_view.h"
#include "ui/views/views.h"
#include "ui/widgets/widgets.h"

namespace jc::ui {

namespace {

class TimeSuspectView : public View {
public:
    const char* id() const override { return "time_suspect"; }
    const char* titleKey() const override { return "nav.time_suspect"; }
    bool inNavigation(const SessionData& s) const override { return s.actor.role != Role::Inspector; }
    int64_t badge(const Shell&) const override { return static_cast<int64_t>(m_list.rows().size()); }
    bool settled() const override { return m_list.loaded() && !m_list.loading() && !m_busy; }
    // Opens the correction form of one flagged record (`gui --view time_suspect --open ID`).
    void open(Shell&, const std::string& id) override {
        m_selected = id;
        m_input.clear();
        m_error.clear();
        m_done.clear();
    }

    void draw(Shell& shell) override {
        m_list.refresh(
            shell, "time_suspect.list", [](WorkerContext& w) { return listTimeSuspect(w.store); },
            [this, &shell](const std::vector<TimeSuspectRow>& rows) {
                for (const auto& r : rows) shell.noteText(r.title);
                if (!m_selected.empty() && !selectedRow()) m_selected.clear();
            });
        ImGui::TextColored(theme::kMuted, "%s", tr("time_suspect.intro"));
        if (!m_done.empty()) ImGui::TextColored(theme::kGreen, "%s", m_done.c_str());
        listAndSide(
            "##time_suspect.list", 0.58f, [&] { drawList(); }, "##time_suspect.form",
            m_selected.empty() ? std::function<void()>() : [&] { drawForm(shell); });
    }

private:
    const TimeSuspectRow* selectedRow() const {
        for (const auto& r : m_list.rows())
            if (r.id == m_selected) return &r;
        return nullptr;
    }

    void drawList() {
        if (!m_list.drawState("time_suspect.none")) return;
        ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersOuter | ImGuiTableFlags_ScrollY |
                                ImGuiTableFlags_SizingFixedFit;
        if (!ImGui::BeginTable("##time_suspect.table", 5, flags, ImGui::GetContentRegionAvail())) return;
        float em = ImGui::GetFontSize();
        ImGui::TableSetupScrollFreeze(0, 1);
        ImGui::TableSetupColumn(tr("time_suspect.col_kind"), ImGuiTableColumnFlags_WidthFixed, em * 4);
        ImGui::TableSetupColumn(tr("time_suspect.col_title"), ImGuiTableColumnFlags_WidthStretch);
        ImGui::TableSetupColumn(tr("time_suspect.col_recorded"), ImGuiTableColumnFlags_WidthFixed, em * 8);
        ImGui::TableSetupColumn(tr("time_suspect.col_deadline"), ImGuiTableColumnFlags_WidthFixed, em * 6);
        ImGui::TableSetupColumn("", ImGuiTableColumnFlags_WidthFixed, em * 3.5f);
        ImGui::TableHeadersRow();
        for (const auto& r : m_list.rows()) {
            ImGui::PushID(r.id.c_str());
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(tr(r.entity == "complaint" ? "home.complaint" : "time_suspect.warning"));
            ImGui::TableNextColumn();
            ImGui::TextWrapped("%s", r.title.c_str());
            ImGui::TableNextColumn();
            ImGui::TextColored(theme::kRed, "%s", localTime(r.recordedAt).c_str());
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(r.deadline.c_str());
            ImGui::TableNextColumn();
            if (ImGui::SmallButton(trId("time_suspect.correct"))) {
                m_selected = r.id;
                m_input.clear();
                m_error.clear();
                m_done.clear();
            }
            mark("time_suspect.correct." + r.id);
            ImGui::PopID();
        }
        ImGui::EndTable();
    }

    void drawForm(Shell& shell) {
        const TimeSuspectRow* r = selectedRow();
        if (!r) return;
        widgets::heading(tr("time_suspect.form_title"));
        ImGui::TextWrapped("%s", r->title.c_str());
        ImGui::TextUnformatted(trf("time_suspect.recorded", {localTime(r->recordedAt)}).c_str());
        if (!r->deviceTime.empty() && r->deviceTime != r->recordedAt)
            ImGui::TextColored(theme::kMuted, "%s", trf("time_suspect.device", {localTime(r->deviceTime)}).c_str());
        if (!r->deadline.empty()) ImGui::TextUnformatted(trf("time_suspect.deadline", {r->deadline}).c_str());
        ImGui::Spacing();
        widgets::fieldLabel(tr("time_suspect.input"), true);
        ImGui::SetNextItemWidth(-1);
        ImGui::InputTextWithHint("##time_suspect.input", "2026-09-28 09:30", &m_input);
        mark("time_suspect.input");
        // Read back before saving: the time as it will be stored, in China time.
        TimeInputResult parsed = tryParseTimeInput(m_input);
        // The same rule the command keeps: no time ahead of HQ's clock.
        const bool future = parsed.unixMs && *parsed.unixMs > hqNowMillis() + kClockFutureLimitMs;
        if (future)
            ImGui::TextColored(theme::kYellow, "%s",
                               trf("time_suspect.future", {formatLocalTime(*parsed.unixMs)}).c_str());
        else if (parsed.unixMs)
            ImGui::TextColored(theme::kGreen, "%s",
                               trf("time_suspect.preview", {formatLocalTime(*parsed.unixMs)}).c_str());
        else if (!m_input.empty())
            ImGui::TextColored(theme::kYellow, "%s", tr("time_suspect.unreadable"));
        ImGui::BeginDisabled(m_busy || !parsed.unixMs || future);
        if (ImGui::Button(trId("time_suspect.save"))) {
            std::string entity = r->entity, id = r->id, typed = m_input;
            auto result = std::make_shared<TimeCorrection>();
            shell.runGuarded(
                m_busy, m_error,
                [entity, id, typed, result](WorkerContext& w) {
                    *result = correctRecordTime(w.app, entity, id, typed);
                },
                [this, result]() {
                    m_done = trf("time_suspect.done", {localTime(result->to)});
                    if (!result->deadlineTo.empty() && result->deadlineTo != result->deadlineFrom)
                        m_done += " " + trf("time_suspect.done_deadline", {result->deadlineFrom, result->deadlineTo});
                    m_selected.clear();
                });
        }
        mark("time_suspect.save");
        ImGui::EndDisabled();
        ImGui::SameLine();
        if (ImGui::Button(trId("common.cancel"))) m_selected.clear();
        if (!m_error.empty()) ImGui::TextColored(theme::kRed, "%s", m_error.c_str());
    }

    ListRows<TimeSuspectRow> m_list;
    std::string m_selected, m_input, m_error, m_done;
    bool m_busy = false;
};

}  // namespace

std::unique_ptr<View> makeTimeSuspectView() {
    return std::make_unique<TimeSuspectView>();
}

}  // namespace jc::ui
