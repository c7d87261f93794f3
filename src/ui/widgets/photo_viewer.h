#pragma once
// A photo of the evidence shown inside the window: decrypted and decoded in memory on a thread
// of its own (never written to disk), fitted to the window, with its file name, caption and
// size. "Open in an outside program" is still offered, and says that the program gets a
// temporary plaintext copy (app/outside_viewer.h). Escape or 关闭 closes it; the texture goes
// with it.
#include <future>
#include <string>
#include <vector>

#include <imgui.h>

#include "app/evidence_commands.h"

namespace jc::ui {

class Renderer;
class Shell;

class PhotoViewer {
public:
    explicit PhotoViewer(Renderer& renderer) : m_renderer(renderer) {}
    ~PhotoViewer();
    PhotoViewer(const PhotoViewer&) = delete;
    PhotoViewer& operator=(const PhotoViewer&) = delete;

    void open(const std::string& blobPath, const EvidenceRow& row);
    // The modal window while a photo is open (call where the strip is drawn).
    void draw(Shell& shell);
    bool isOpen() const { return m_open; }
    bool pending() const { return m_task.valid(); }

    static constexpr int kMaxSide = 2048;  // larger photos are scaled down to this for the screen

private:
    struct Decoded {
        std::vector<unsigned char> rgba;
        int width = 0, height = 0;
        std::string error;
    };
    void release();
    Renderer& m_renderer;
    EvidenceRow m_row;
    std::future<Decoded> m_task;
    ImTextureID m_texture = nullptr;
    int m_width = 0, m_height = 0;
    std::string m_error;
    bool m_open = false, m_openPopup = false;
};

}  // namespace jc::ui
