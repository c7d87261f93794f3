#pragma once
// What the shell needs from the graphics back end: textures for thumbnails and the font atlas.
// The GLFW/OpenGL 3 window implements it; headless tests and the benchmark use HeadlessRenderer,
// which only keeps track of ids (ImGui draws into command lists nobody renders).
#include <imgui.h>

#include <cstdint>

namespace jc::ui {

class Renderer {
public:
    virtual ~Renderer() = default;
    virtual ImTextureID createTexture(const unsigned char* rgba, int width, int height) = 0;
    virtual void destroyTexture(ImTextureID id) = 0;
    // Between frames, after io.Fonts was replaced: drop the texture of `oldAtlas` (may be null)
    // and upload the new io.Fonts texture.
    virtual void replaceFontTexture(ImFontAtlas* oldAtlas) = 0;
};

class HeadlessRenderer : public Renderer {
public:
    ImTextureID createTexture(const unsigned char*, int, int) override {
        return reinterpret_cast<ImTextureID>(static_cast<intptr_t>(++m_next));
    }
    void destroyTexture(ImTextureID) override {}
    void replaceFontTexture(ImFontAtlas*) override {
        unsigned char* px = nullptr;
        int w = 0, h = 0;
        ImGui::GetIO().Fonts->GetTexDataAsAlpha8(&px, &w, &h);
        ImGui::GetIO().Fonts->SetTexID(reinterpret_cast<ImTextureID>(static_cast<intptr_t>(1)));
    }

private:
    intptr_t m_next = 100;
};

}  // namespace jc::ui
