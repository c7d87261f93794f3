#include "ui/widgets/file_browser.h"

#include <imgui.h>
#include <imgui_stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <vector>

#include "ui/shell/automation.h"
#include "ui/shell/i18n.h"
#include "ui/shell/shell.h"
#include "ui/shell/theme.h"
#include "ui/widgets/thumbnails.h"
#include "ui/widgets/widgets.h"

namespace jc::ui {

namespace fs = std::filesystem;

namespace {
bool isImageName(const std::string& name) {
    static const std::vector<std::string> kImages = {"*.jpg", "*.jpeg", "*.png", "*.bmp", "*.gif"};
    return matchesPatterns(name, kImages);
}

std::string homeDir() {
    const char* h = std::getenv("HOME");
    return h && *h ? h : "/";
}

void addMedia(std::vector<BrowserPlace>& out, const fs::path& root) {
    std::error_code ec;
    if (!fs::is_directory(root, ec)) return;
    for (fs::directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec)) {
        if (!it->is_directory(ec)) continue;
        std::string p = it->path().string();
        if (std::any_of(out.begin(), out.end(), [&](const BrowserPlace& b) { return b.path == p; })) continue;
        out.push_back({it->path().filename().string(), p, true});
    }
}
}  // namespace

std::vector<BrowserEntry> listFolder(const std::string& dir, const std::vector<std::string>& patterns, bool allFiles,
                                     size_t limit, bool* truncated, std::string* error) {
    std::vector<BrowserEntry> out;
    if (truncated) *truncated = false;
    std::error_code ec;
    fs::directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec);
    if (ec) {
        if (error) *error = ec.message();
        return out;
    }
    for (fs::directory_iterator end; it != end; it.increment(ec)) {
        if (ec) break;
        std::string name = it->path().filename().string();
        if (name.empty() || name[0] == '.') continue;
        std::error_code e2;
        bool isDir = it->is_directory(e2);
        if (!isDir && !allFiles && !matchesPatterns(name, patterns)) continue;
        if (out.size() >= limit) {
            if (truncated) *truncated = true;
            break;
        }
        BrowserEntry b;
        b.name = name;
        b.dir = isDir;
        b.image = !isDir && isImageName(name);
        b.size = isDir ? 0 : static_cast<int64_t>(it->file_size(e2));
        out.push_back(std::move(b));
    }
    std::sort(out.begin(), out.end(), [](const BrowserEntry& a, const BrowserEntry& b) {
        if (a.dir != b.dir) return a.dir;
        return a.name < b.name;
    });
    return out;
}

std::vector<BrowserPlace> browserPlaces() {
    std::vector<BrowserPlace> out;
    std::string home = homeDir();
    out.push_back({tr("files.home"), home, false});
    std::error_code ec;
    for (auto [key, sub] : {std::pair{"files.desktop", "Desktop"}, std::pair{"files.pictures", "Pictures"},
                            std::pair{"files.desktop", "桌面"}, std::pair{"files.pictures", "图片"}})
        if (fs::is_directory(fs::path(home) / sub, ec)) out.push_back({tr(key), (fs::path(home) / sub).string(), false});
    const char* user = std::getenv("USER");
    if (user && *user) {
        addMedia(out, fs::path("/media") / user);
        addMedia(out, fs::path("/run/media") / user);
    }
    // /media itself holds the mounts on systems without per-user folders (and those folders).
    std::vector<BrowserPlace> direct;
    addMedia(direct, "/media");
    for (auto& d : direct)
        if (!user || d.label != user) out.push_back(std::move(d));
    return out;
}

FileBrowser::FileBrowser(FileRequest request) : m_req(std::move(request)) {
    m_name = m_req.suggestedName;
    m_places = browserPlaces();
}

void FileBrowser::go(Shell& shell, const std::string& dir) {
    std::error_code ec;
    fs::path p = fs::weakly_canonical(fs::path(dir), ec);
    if (ec || !fs::is_directory(p, ec)) {
        m_error = trf("files.not_a_folder", {dir});
        shell.noteText(m_error);
        return;
    }
    m_dir = p.string();
    m_pathInput = m_dir;
    m_selected.clear();
    m_error.clear();
    m_entries = listFolder(m_dir, m_req.patterns, m_allFiles, kMaxEntries, &m_truncated, &m_error);
    shell.noteText(m_dir);
    for (const auto& e : m_entries) shell.noteText(e.name);
    m_listed = true;
}

std::optional<std::vector<std::string>> FileBrowser::draw(Shell& shell) {
    if (!m_listed) go(shell, m_req.startDir.empty() ? homeDir() : m_req.startDir);
    if (!m_listed) go(shell, homeDir());
    const char* popup = "###filebrowser";
    std::string title = (m_req.title.empty() ? std::string(tr("files.title")) : m_req.title) + popup;
    if (!m_opened) {
        ImGui::OpenPopup(title.c_str());
        m_opened = true;
    }
    ImVec2 display = ImGui::GetIO().DisplaySize;
    ImGui::SetNextWindowSize(ImVec2(display.x * 0.8f, display.y * 0.8f), ImGuiCond_Appearing);
    ImGui::SetNextWindowPos(ImVec2(display.x * 0.5f, display.y * 0.5f), ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
    std::optional<std::vector<std::string>> result;
    if (!ImGui::BeginPopupModal(title.c_str(), nullptr, ImGuiWindowFlags_NoSavedSettings)) return std::vector<std::string>{};
    float em = ImGui::GetFontSize();
    bool many = m_req.mode == FileRequest::Mode::OpenMany;
    bool save = m_req.mode == FileRequest::Mode::Save;

    // Path bar: up, the folder (editable), show all files.
    if (ImGui::Button(trId("files.up"))) go(shell, fs::path(m_dir).parent_path().string());
    mark("files.up");
    ImGui::SameLine();
    bool filtered = !m_req.patterns.empty();
    ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x - (filtered ? em * 9 : 0.0f));
    if (ImGui::InputText("##files.path", &m_pathInput, ImGuiInputTextFlags_EnterReturnsTrue)) go(shell, m_pathInput);
    mark("files.path");
    if (filtered) {
        ImGui::SameLine();
        if (ImGui::Checkbox(trId("files.all_files"), &m_allFiles)) go(shell, m_dir);
        mark("files.all_files");
    }

    float footer = ImGui::GetFrameHeightWithSpacing() * (save ? 2.2f : 1.2f) + (m_error.empty() ? 0.0f : ImGui::GetTextLineHeightWithSpacing());
    float listH = ImGui::GetContentRegionAvail().y - footer;
    ImGui::BeginChild("##files.places", ImVec2(em * 10, listH), true);
    for (size_t i = 0; i < m_places.size(); ++i) {
        const auto& p = m_places[i];
        std::string label = (p.removable ? "⏏ " : "") + p.label + "##place" + std::to_string(i);
        if (ImGui::Selectable(label.c_str(), m_dir == p.path)) go(shell, p.path);
        mark("files.place." + p.label);
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", p.path.c_str());
    }
    ImGui::EndChild();
    ImGui::SameLine();
    ImGui::BeginChild("##files.list", ImVec2(0, listH), true);
    float rowH = em * 2.6f;
    std::string enter;
    std::optional<std::string> chosenNow;
    for (const auto& e : m_entries) {
        bool selected = m_selected.count(e.name) > 0;
        ImGui::PushID(e.name.c_str());
        ImVec2 start = ImGui::GetCursorScreenPos();
        if (ImGui::Selectable("##entry", selected, ImGuiSelectableFlags_AllowDoubleClick, ImVec2(0, rowH))) {
            if (e.dir) {
                if (ImGui::IsMouseDoubleClicked(0)) enter = e.name;
                else if (!save) m_selected.clear();
                if (!ImGui::IsMouseDoubleClicked(0)) enter = e.name;  // one click opens a folder
            } else if (many) {
                if (selected) m_selected.erase(e.name);
                else m_selected.insert(e.name);
            } else {
                m_selected = {e.name};
                if (save) m_name = e.name;
                if (ImGui::IsMouseDoubleClicked(0)) chosenNow = e.name;
            }
        }
        mark("files.entry." + e.name);
        ImVec2 end = ImGui::GetItemRectMax();
        ImDrawList* dl = ImGui::GetWindowDrawList();
        float thumb = rowH - 4;
        ImVec2 tp(start.x + 2, start.y + 2);
        bool drawn = false;
        if (e.image) {
            const Thumbnail& t = shell.thumbnails().get((fs::path(m_dir) / e.name).string());
            if (t.ready && !t.failed && t.texture) {
                float s = std::min(thumb / static_cast<float>(t.width), thumb / static_cast<float>(t.height));
                ImVec2 size(static_cast<float>(t.width) * s, static_cast<float>(t.height) * s);
                ImVec2 o(tp.x + (thumb - size.x) * 0.5f, tp.y + (thumb - size.y) * 0.5f);
                dl->AddImage(t.texture, o, ImVec2(o.x + size.x, o.y + size.y));
                drawn = true;
            }
        }
        if (!drawn) {
            ImU32 fill = ImGui::GetColorU32(e.dir ? ImVec4(0.98f, 0.85f, 0.45f, 1) : ImVec4(0.88f, 0.89f, 0.92f, 1));
            dl->AddRectFilled(tp, ImVec2(tp.x + thumb, tp.y + thumb), fill, 4);
        }
        if (many && !e.dir) {  // a check box, drawn (the box characters are not in every font)
            ImVec2 b0(tp.x + thumb + em * 0.4f, start.y + (rowH - em) * 0.5f);
            ImVec2 b1(b0.x + em, b0.y + em);
            ImU32 accent = ImGui::GetColorU32(theme::kAccent);
            dl->AddRect(b0, b1, accent, 2, 0, 1.5f);
            if (selected) {
                dl->AddRectFilled(ImVec2(b0.x + 2, b0.y + 2), ImVec2(b1.x - 2, b1.y - 2), accent, 2);
                dl->AddPolyline(std::vector<ImVec2>{ImVec2(b0.x + em * 0.22f, b0.y + em * 0.5f), ImVec2(b0.x + em * 0.42f, b0.y + em * 0.72f),
                                                    ImVec2(b0.x + em * 0.8f, b0.y + em * 0.26f)}.data(),
                                3, IM_COL32_WHITE, 0, 2.0f);
            }
        }
        float textX = tp.x + thumb + em * (many ? 1.8f : 0.6f);
        dl->AddText(ImVec2(textX, start.y + (rowH - em) * 0.5f), ImGui::GetColorU32(ImGuiCol_Text), e.name.c_str());
        std::string info = e.dir ? std::string(tr("files.folder")) : sizeText(e.size);
        ImVec2 is = ImGui::CalcTextSize(info.c_str());
        dl->AddText(ImVec2(end.x - is.x - em * 0.5f, start.y + (rowH - em) * 0.5f), ImGui::GetColorU32(theme::kMuted), info.c_str());
        ImGui::PopID();
    }
    if (m_entries.empty()) ImGui::TextColored(theme::kMuted, "%s", tr("files.empty"));
    if (m_truncated) ImGui::TextColored(theme::kMuted, "%s", trf("files.truncated", {std::to_string(kMaxEntries)}).c_str());
    ImGui::EndChild();
    if (!enter.empty()) go(shell, (fs::path(m_dir) / enter).string());

    if (!m_error.empty()) ImGui::TextColored(theme::kRed, "%s", m_error.c_str());
    if (save) {
        widgets::fieldLabel(tr("files.name"));
        ImGui::SameLine();
        ImGui::SetNextItemWidth(em * 24);
        widgets::inputText("##files.name", m_name);
        mark("files.name");
    }
    std::string summary = many ? trf("files.selected", {std::to_string(m_selected.size())}) : std::string();
    ImGui::TextColored(theme::kMuted, "%s", summary.c_str());
    ImGui::SameLine();
    float buttons = em * 12;
    ImGui::SetCursorPosX(std::max(ImGui::GetCursorPosX(), ImGui::GetWindowWidth() - buttons));
    bool ready = save ? !m_name.empty() : !m_selected.empty();
    ImGui::BeginDisabled(!ready);
    bool ok = ImGui::Button(trId(save ? "files.save" : "files.open"));
    mark("files.ok");
    ImGui::EndDisabled();
    ImGui::SameLine();
    if (ImGui::Button(trId("common.cancel")) || ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape))) result.emplace();
    mark("files.cancel");
    if ((ok && ready) || chosenNow) {
        std::vector<std::string> paths;
        if (save) paths.push_back((fs::path(m_dir) / m_name).string());
        else if (chosenNow) paths.push_back((fs::path(m_dir) / *chosenNow).string());
        else
            for (const auto& n : m_selected) paths.push_back((fs::path(m_dir) / n).string());
        result = std::move(paths);
    }
    if (result) ImGui::CloseCurrentPopup();
    ImGui::EndPopup();
    return result;
}

}  // namespace jc::ui
