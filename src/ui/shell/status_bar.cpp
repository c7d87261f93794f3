// The status bar at the bottom of the window: background sync (state, pending changes, last
// success, error, "sync now"), the changes HQ refused for good with their list, background work,
// and who is working. Part of Shell; kept apart from the shell's frame and view handling.
#include <imgui.h>

#include <algorithm>

#include "core/dates.h"
#include "core/workflow.h"
#include "ui/shell/automation.h"
#include "ui/shell/clock_warning.h"
#include "ui/shell/i18n.h"
#include "ui/shell/shell.h"
#include "ui/shell/sync_status.h"
#include "ui/shell/theme.h"
#include "ui/widgets/widgets.h"

namespace jc::ui {

namespace {
// `text` cut to `width` pixels with "…" (whole UTF-8 characters), found in one measuring pass.
std::string fitText(const std::string& text, float width) {
    if (ImGui::CalcTextSize(text.c_str()).x <= width) return text;
    const char* end = text.data();
    ImGui::GetFont()->CalcTextSizeA(ImGui::GetFontSize(), std::max(0.0f, width - ImGui::CalcTextSize("…").x), 0.0f,
                                    text.data(), text.data() + text.size(), &end);
    return std::string(text.data(), end) + "…";
}
}  // namespace

void Shell::drawStatusBar(float height) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    ImVec2 p = ImGui::GetCursorScreenPos();
    dl->AddRectFilled(p, ImVec2(p.x + ImGui::GetWindowWidth(), p.y + height), ImGui::GetColorU32(ImVec4(0.85f, 0.86f, 0.88f, 1)));
    ImGui::SetCursorPos(ImVec2(ImGui::GetStyle().WindowPadding.x + 8, ImGui::GetCursorPosY() + 2));
    ImGui::AlignTextToFramePadding();
    const SessionData& s = *m_session;
    std::string who = s.hasUser ? s.actor.name + " · " + roleLabel(roleCode(s.actor.role)) : std::string();
    float whoX = ImGui::GetWindowWidth() - ImGui::CalcTextSize(who.c_str()).x - 16;
    // An unprotected store (--no-passphrase, or not yet `jiancha protect`ed) says so in red.
    if (!m_storeProtected) {
        ImGui::TextColored(theme::kRed, "%s", tr("signin.unprotected"));
        mark("signin.unprotected");
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr("signin.unprotected_hint"));
        ImGui::SameLine(0, 16);
    }
    // The sync part (state, pending, last success, error, "sync now") ends before the user's name.
    drawSyncStatus(who.empty() ? whoX : whoX - 24);
    if (!who.empty()) {
        ImGui::SameLine(whoX);
        ImGui::TextUnformatted(who.c_str());
    }
}

void Shell::drawSyncStatus(float right) {
    SyncStatusText text;
    if (m_sync) text = describeSync(m_syncStatus, nowMillis());
    const ImVec4* dot = &theme::kMuted;
    if (m_sync && m_syncStatus.syncing) dot = &theme::kAccent;
    else if (m_sync && m_syncStatus.state == SyncState::Online) dot = &theme::kGreen;
    else if (m_sync && m_syncStatus.state == SyncState::Offline) dot = &theme::kRed;
    ImGui::TextColored(*dot, "●");
    ImGui::SameLine();
    ImGui::TextUnformatted(!m_opt.syncEnabled ? tr("sync.off") : m_sync ? text.state.c_str() : tr("sync.starting"));
    mark("sync.state");
    if (ImGui::IsItemHovered()) {
        std::string tip = text.details;
        if (!text.errorFull.empty()) tip += (tip.empty() ? "" : "\n") + text.errorFull;
        if (!tip.empty()) ImGui::SetTooltip("%s", tip.c_str());
    }
    if (!text.retry.empty()) {
        ImGui::SameLine();
        ImGui::TextColored(theme::kMuted, "· %s", text.retry.c_str());
        mark("sync.retry");
    }
    ImGui::SameLine(0, 24);
    // Not "0" before the count has been read: that would claim everything was sent.
    std::string pending =
        trf("status.pending_changes", {m_statusBar.loaded ? std::to_string(m_statusBar.pendingChanges) : std::string("…")});
    ImGui::TextUnformatted(pending.c_str());
    mark("status.pending");
    if (clockWarningShown()) {
        ImGui::SameLine(0, 24);
        drawClockWarning();
    }
    if (!text.lastSuccess.empty()) {
        ImGui::SameLine(0, 24);
        ImGui::TextUnformatted(text.lastSuccess.c_str());
        mark("sync.last_success");
    }
    if (m_statusBar.rejectedChanges > 0) {
        ImGui::SameLine(0, 24);
        drawRejections();
    }
    int jobs = m_jobs ? m_jobs->pendingJobs() : 0;
    if (jobs > 0 || m_fonts.pending()) {
        ImGui::SameLine(0, 24);
        ImGui::TextColored(theme::kMuted, "%s", jobs > 0 ? trf("status.working", {std::to_string(jobs)}).c_str()
                                                         : tr("status.fonts_building"));
    }
    if (!m_sync) return;
    const char* now = trId("sync.now");
    float buttonW = ImGui::CalcTextSize(tr("sync.now")).x + ImGui::GetStyle().FramePadding.x * 2;
    if (!text.error.empty()) {
        ImGui::SameLine(0, 24);
        // The error in one line, cut to the room left; in full (with the server's words) on hover.
        float room = right - buttonW - 16 - ImGui::GetCursorPosX();
        if (room > ImGui::GetFontSize() * 3) {
            std::string shown = fitText(text.error, room);
            ImGui::TextColored(theme::kRed, "%s", shown.c_str());
            mark("sync.error");
            if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", text.errorFull.c_str());
        }
    }
    float after = ImGui::GetItemRectMax().x - ImGui::GetWindowPos().x + 16;
    ImGui::SameLine(std::max(right - buttonW, after));
    if (ImGui::SmallButton(now)) syncNow();
    mark("sync.now");
}

// Changes HQ refused for good: a red count in the status bar that opens their screen, where each
// is fixed and resent or discarded (views/view_rejections.cpp). Nothing of them is lost: the
// refused values stay on this device (sync_rejection, `jiancha sync rejections`).
void Shell::drawRejections() {
    ImGui::PushStyleColor(ImGuiCol_Text, theme::kRed);
    bool open = ImGui::SmallButton(
        (trf("sync.rejected_count", {std::to_string(m_statusBar.rejectedChanges)}) + "###sync.rejections").c_str());
    ImGui::PopStyleColor();
    mark("sync.rejections");
    if (open) show("rejections");
}

}  // namespace jc::ui
