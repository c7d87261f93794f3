#include "ui/widgets/photo_viewer.h"

#include <stb_image.h>
#include <stb_image_resize.h>

#include <algorithm>
#include <filesystem>

#include "app/paths.h"
#include "app/protection.h"
#include "ui/shell/automation.h"
#include "ui/shell/i18n.h"
#include "ui/shell/renderer.h"
#include "ui/shell/shell.h"
#include "ui/shell/theme.h"
#include "ui/widgets/evidence_strip.h"
#include "ui/widgets/widgets.h"

namespace jc::ui {

PhotoViewer::~PhotoViewer() {
    if (m_task.valid()) m_task.wait();
    release();
}

void PhotoViewer::release() {
    if (m_texture) m_renderer.destroyTexture(m_texture);
    m_texture = nullptr;
    m_width = m_height = 0;
}

void PhotoViewer::open(const std::string& blobPath, const EvidenceRow& row) {
    if (m_task.valid()) return;  // one at a time
    release();
    m_row = row;
    m_error.clear();
    m_open = true;
    m_openPopup = true;
    m_task = std::async(std::launch::async, [blobPath] {
        Decoded d;
        try {
            std::string bytes = readEvidenceFile(blobPath);  // decrypted in memory only
            int w = 0, h = 0, n = 0;
            unsigned char* px = stbi_load_from_memory(reinterpret_cast<const stbi_uc*>(bytes.data()),
                                                      static_cast<int>(bytes.size()), &w, &h, &n, 4);
            std::fill(bytes.begin(), bytes.end(), '\0');
            if (!px || w <= 0 || h <= 0) {
                if (px) stbi_image_free(px);
                d.error = tr("evidence.viewer_undecodable");
                return d;
            }
            float s = std::min(1.0f, static_cast<float>(kMaxSide) / static_cast<float>(std::max(w, h)));
            d.width = std::max(1, static_cast<int>(static_cast<float>(w) * s));
            d.height = std::max(1, static_cast<int>(static_cast<float>(h) * s));
            d.rgba.resize(static_cast<size_t>(d.width) * static_cast<size_t>(d.height) * 4);
            if (d.width == w && d.height == h)
                std::copy(px, px + d.rgba.size(), d.rgba.begin());
            else
                stbir_resize_uint8(px, w, h, 0, d.rgba.data(), d.width, d.height, 0, 4);
            stbi_image_free(px);
        } catch (const std::exception& e) {
            d.error = e.what();
        }
        return d;
    });
}

void PhotoViewer::draw(Shell& shell) {
    if (!m_open) return;
    if (m_task.valid() && m_task.wait_for(std::chrono::seconds(0)) == std::future_status::ready) {
        Decoded d = m_task.get();
        m_error = d.error;
        shell.noteText(m_error);
        if (d.error.empty()) {
            m_texture = m_renderer.createTexture(d.rgba.data(), d.width, d.height);
            m_width = d.width;
            m_height = d.height;
        }
        std::fill(d.rgba.begin(), d.rgba.end(), 0);
    }
    const char* id = "###evidence.viewer";
    if (m_openPopup) {
        ImGui::OpenPopup(id);
        m_openPopup = false;
    }
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(ImVec2(vp->WorkPos.x + vp->WorkSize.x * 0.5f, vp->WorkPos.y + vp->WorkSize.y * 0.5f), ImGuiCond_Always,
                            ImVec2(0.5f, 0.5f));
    ImGui::SetNextWindowSize(ImVec2(vp->WorkSize.x * 0.9f, vp->WorkSize.y * 0.9f), ImGuiCond_Always);
    std::string title = m_row.fileName + " — " + tr("evidence.viewer_title") + id;
    bool keep = true;
    if (!ImGui::BeginPopupModal(title.c_str(), &keep, ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoMove)) {
        if (!keep || !ImGui::IsPopupOpen(id)) {
            m_open = false;
            if (!m_task.valid()) release();
        }
        return;
    }
    mark("evidence.viewer");
    float em = ImGui::GetFontSize();
    float footer = ImGui::GetFrameHeightWithSpacing() * 2 + em * 0.5f;
    ImVec2 avail = ImGui::GetContentRegionAvail();
    avail.y -= footer;
    if (m_texture && avail.x > 0 && avail.y > 0) {
        float s = std::min({avail.x / static_cast<float>(m_width), avail.y / static_cast<float>(m_height), 1.0f});
        ImVec2 size(static_cast<float>(m_width) * s, static_cast<float>(m_height) * s);
        ImVec2 p = ImGui::GetCursorPos();
        ImGui::SetCursorPos(ImVec2(p.x + (avail.x - size.x) * 0.5f, p.y + (avail.y - size.y) * 0.5f));
        ImGui::Image(m_texture, size);
        mark("evidence.viewer.image");
        ImGui::SetCursorPos(ImVec2(p.x, p.y + avail.y));
    } else {
        ImGui::BeginChild("##evidence.viewer.wait", ImVec2(0, avail.y));
        if (!m_error.empty()) {
            ImGui::TextColored(theme::kRed, "%s", m_error.c_str());
            mark("evidence.viewer.error");
        } else {
            ImGui::TextColored(theme::kMuted, "%s", tr("common.loading"));
        }
        ImGui::EndChild();
    }
    ImGui::Separator();
    std::string line = m_row.fileName + " · " + sizeText(m_row.size) + (m_width ? " · " + std::to_string(m_width) + "×" + std::to_string(m_height) : "");
    if (!m_row.caption.empty()) line += " · " + m_row.caption;
    ImGui::TextUnformatted(line.c_str());
    if (ImGui::Button(trId("common.close")) || ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape))) {
        ImGui::CloseCurrentPopup();
        m_open = false;
    }
    mark("evidence.viewer.close");
    ImGui::SameLine();
    if (ImGui::Button(trId(shell.storeProtected() ? "evidence.viewer_outside_copy" : "evidence.viewer_outside"))) {
        openOriginal(shell, m_row);
    }
    mark("evidence.viewer.outside");
    ImGui::EndPopup();
    if (!m_open && !m_task.valid()) release();
}

}  // namespace jc::ui
