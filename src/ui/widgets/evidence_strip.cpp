#include "ui/widgets/evidence_strip.h"

#include <imgui.h>
#include <imgui_stdlib.h>

#include <cstdlib>
#include <filesystem>

#include "app/outside_viewer.h"
#include "app/paths.h"
#include "app/protection.h"
#include "ui/shell/automation.h"
#include "ui/shell/i18n.h"
#include "ui/shell/shell.h"
#include "ui/shell/theme.h"
#include "ui/widgets/file_chooser.h"
#include "ui/widgets/photo_viewer.h"
#include "ui/widgets/thumbnails.h"
#include "ui/widgets/widgets.h"

namespace jc::ui {

namespace fs = std::filesystem;

namespace {
const char* kindKey(const std::string& kind) {
    if (kind == "photo") return "evidence.kind_photo";
    if (kind == "document") return "evidence.kind_document";
    if (kind == "audio") return "evidence.kind_audio";
    if (kind == "video") return "evidence.kind_video";
    return "evidence.kind_file";
}
}  // namespace

bool openOriginal(Shell& shell, const EvidenceRow& e) {
    fs::path blob = blobDir(shell.dataDir()) / e.sha256;
    std::error_code ec;
    if (!fs::exists(blob, ec)) {
        shell.notifyError(tr("evidence.not_on_device"));
        return false;
    }
    if (std::getenv("JIANCHA_NO_OPEN")) return true;
    std::string name = fs::path(e.fileName).filename().string();
    if (name.empty()) name = e.sha256;
    // Encrypted at rest: the outside program gets a temporary plaintext copy (0600, in the
    // user's RAM-backed runtime folder), deleted once it is done, at lock and at exit
    // (app/outside_viewer.h). A plain store's file is handed over as a link.
    bool encrypted = shell.storeProtected();
    try {
        shell.outsideViewer().open(blob, name, encrypted);
    } catch (const std::exception& ex) {
        shell.notifyError(ex.what());
        return false;
    }
    if (encrypted) shell.notify(trf("evidence.copy_notice", {name}));
    return true;
}

void drawEvidenceStrip(Shell& shell, const std::vector<EvidenceRow>& evidence, EvidenceStripState& st, bool editable,
                       const EvidenceStripActions& actions) {
    float em = ImGui::GetFontSize();
    float thumb = em * 6.5f;
    float cardW = thumb + ImGui::GetStyle().ItemSpacing.x;
    float avail = ImGui::GetContentRegionAvail().x;
    int perRow = std::max(1, static_cast<int>(avail / cardW));
    int i = 0;
    for (const auto& e : evidence) {
        ImGui::PushID(e.id.c_str());
        if (i % perRow) ImGui::SameLine();
        ImGui::BeginGroup();
        ImVec2 p = ImGui::GetCursorScreenPos();
        bool shown = false;
        if (e.kind == "photo") {
            const Thumbnail& t = shell.thumbnails().get((blobDir(shell.dataDir()) / e.sha256).string());
            if (t.ready && !t.failed && t.texture) {
                float s = std::min(thumb / static_cast<float>(t.width), thumb / static_cast<float>(t.height));
                ImVec2 size(static_cast<float>(t.width) * s, static_cast<float>(t.height) * s);
                ImGui::SetCursorScreenPos(ImVec2(p.x + (thumb - size.x) * 0.5f, p.y + (thumb - size.y) * 0.5f));
                ImGui::Image(t.texture, size);
                ImGui::SetCursorScreenPos(p);
                ImGui::InvisibleButton("##thumb", ImVec2(thumb, thumb));
                shown = true;
            }
        }
        if (!shown) {
            ImGui::GetWindowDrawList()->AddRectFilled(p, ImVec2(p.x + thumb, p.y + thumb), ImGui::GetColorU32(ImVec4(0.9f, 0.9f, 0.92f, 1)), 4);
            const char* label = tr(kindKey(e.kind));
            ImVec2 ts = ImGui::CalcTextSize(label);
            ImGui::GetWindowDrawList()->AddText(ImVec2(p.x + (thumb - ts.x) * 0.5f, p.y + thumb * 0.5f - ts.y), ImGui::GetColorU32(theme::kMuted), label);
            std::string ext = fs::path(e.fileName).extension().string();
            ImVec2 es = ImGui::CalcTextSize(ext.c_str());
            ImGui::GetWindowDrawList()->AddText(ImVec2(p.x + (thumb - es.x) * 0.5f, p.y + thumb * 0.5f + 2), ImGui::GetColorU32(theme::kMuted), ext.c_str());
            ImGui::InvisibleButton("##thumb", ImVec2(thumb, thumb));
        }
        mark("evidence.thumb." + e.fileName);
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip("%s\n%s · %s\n%s", e.fileName.c_str(), sizeText(e.size).c_str(), localTime(e.capturedAt).c_str(),
                              tr("evidence.double_click"));
        bool view = ImGui::IsItemHovered() && ImGui::IsMouseDoubleClicked(0);
        auto it = st.captions.find(e.id);
        if (it == st.captions.end()) it = st.captions.emplace(e.id, e.caption).first;
        ImGui::SetNextItemWidth(thumb);
        ImGui::BeginDisabled(!editable);
        ImGui::InputTextWithHint("##caption", tr("evidence.caption_hint"), &it->second);
        mark("evidence.caption." + e.fileName);
        if (ImGui::IsItemDeactivatedAfterEdit() && it->second != e.caption && actions.setCaption) {
            shell.noteText(it->second);
            actions.setCaption(e.id, it->second);
        }
        ImGui::EndDisabled();
        view = ImGui::SmallButton(trId("evidence.open")) || view;
        mark("evidence.open." + e.fileName);
        bool photo = e.kind == "photo" && shown;  // decodable: shown inside the window, no copy made
        if (ImGui::IsItemHovered() && shell.storeProtected() && !photo) ImGui::SetTooltip("%s", tr("evidence.open_copy_hint"));
        if (view && photo) {
            if (!st.photo) st.photo = std::make_shared<PhotoViewer>(shell.renderer());
            st.photo->open((blobDir(shell.dataDir()) / e.sha256).string(), e);
        } else if (view) {
            openOriginal(shell, e);
        }
        if (editable) {
            ImGui::SameLine();
            if (ImGui::SmallButton(trId("evidence.remove")) && actions.remove) actions.remove(e.id);
            mark("evidence.remove." + e.fileName);
        }
        ImGui::EndGroup();
        ImGui::PopID();
        ++i;
    }
    if (evidence.empty()) ImGui::TextColored(theme::kMuted, "%s", tr("evidence.none"));
    if (st.photo) st.photo->draw(shell);
    if (!editable) return;
    ImGui::Spacing();
    // The caption for what is added next, then the desktop's file dialog (or the built-in
    // browser), several files at once; or files dropped on the window.
    ImGui::SetNextItemWidth(avail * 0.35f);
    ImGui::InputTextWithHint("##evidence.new_caption", tr("evidence.caption_hint"), &st.caption);
    mark("evidence.new_caption");
    ImGui::SameLine();
    ImGui::BeginDisabled(!actions.add || shell.fileChooser().busy());
    if (ImGui::Button(trId("evidence.choose")) && actions.add) {
        FileRequest req;
        req.mode = FileRequest::Mode::OpenMany;
        req.title = tr("evidence.choose_title");
        auto add = actions.add;
        std::string caption = st.caption;
        shell.fileChooser().open(req, [add, caption, &shell](std::vector<std::string> paths) {
            shell.noteText(caption);
            for (const auto& p : paths) add(p, caption);
        });
        st.caption.clear();
    }
    mark("evidence.choose");
    ImGui::EndDisabled();
    ImGui::TextColored(theme::kMuted, "%s", tr("evidence.drop_hint"));
}

}  // namespace jc::ui
