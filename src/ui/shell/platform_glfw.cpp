#include "ui/shell/platform_glfw.h"

#include "ui/shell/automation.h"

#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>
#include <GL/gl.h>
#include <imgui.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <stb_image_write.h>

#include <algorithm>
#include <cfloat>
#include <chrono>
#include <cstdlib>
#include <cstdio>
#include <ctime>
#include <iostream>
#include <vector>

#include "ui/shell/i18n.h"
#include "ui/shell/renderer.h"

namespace jc::ui {

namespace {

// Static initialisation runs before main(): close enough to "launch" for the timing figure.
const auto kLaunch = std::chrono::steady_clock::now();

class GlRenderer : public Renderer {
public:
    ImTextureID createTexture(const unsigned char* rgba, int w, int h) override {
        GLuint tex = 0;
        glGenTextures(1, &tex);
        glBindTexture(GL_TEXTURE_2D, tex);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
        glPixelStorei(GL_UNPACK_ROW_LENGTH, 0);
        glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
        glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA, w, h, 0, GL_RGBA, GL_UNSIGNED_BYTE, rgba);
        return reinterpret_cast<ImTextureID>(static_cast<intptr_t>(tex));
    }
    void destroyTexture(ImTextureID id) override {
        GLuint tex = static_cast<GLuint>(reinterpret_cast<intptr_t>(id));
        glDeleteTextures(1, &tex);
    }
    void replaceFontTexture(ImFontAtlas*) override {
        // The backend remembers its font texture: this deletes it and uploads io.Fonts (the new atlas).
        ImGui_ImplOpenGL3_DestroyFontsTexture();
        ImGui_ImplOpenGL3_CreateFontsTexture();
    }
};

// Dear ImGui 1.86 samples io.KeysDown once per frame, so a key pressed and released between two
// frames (xdotool, fast typists, Ctrl+S tapped while a frame renders) would never be seen. While a
// key pressed since the last frame has not been seen by a frame, releases are held back and
// delivered, in order, after the next frame.
struct KeyTaps {
    std::vector<int> pressedSinceFrame;
    struct Release {
        int key, scancode, mods;
    };
    std::vector<Release> deferred;
} g_taps;

bool traceKeys() {
    static const bool trace = std::getenv("JIANCHA_TRACE_KEYS") != nullptr;
    return trace;
}

void keyCallback(GLFWwindow* w, int key, int scancode, int action, int mods) {
    if (traceKeys()) std::fprintf(stderr, "key %d scancode %d action %d mods %d\n", key, scancode, action, mods);
    if (action == GLFW_PRESS) {
        g_taps.pressedSinceFrame.push_back(key);
    } else if (action == GLFW_RELEASE) {
        // Any release while a key pressed since the last frame is still unseen is held back:
        // xdotool sends Ctrl↓ Q↓ Ctrl↑ Q↑, and letting Ctrl↑ through would turn Ctrl+Q into Q.
        if (!g_taps.pressedSinceFrame.empty() || !g_taps.deferred.empty()) {
            g_taps.deferred.push_back({key, scancode, mods});
            return;
        }
    }
    ImGui_ImplGlfw_KeyCallback(w, key, scancode, action, mods);
}

void afterFrame(GLFWwindow* w) {
    g_taps.pressedSinceFrame.clear();
    auto releases = std::move(g_taps.deferred);
    g_taps.deferred.clear();
    for (const auto& r : releases) ImGui_ImplGlfw_KeyCallback(w, r.key, r.scancode, GLFW_RELEASE, r.mods);
}

double threadCpuMs() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1000.0 + static_cast<double>(ts.tv_nsec) / 1e6;
}

bool writeScreenshot(const std::string& path, int w, int h) {
    std::vector<unsigned char> px(static_cast<size_t>(w) * static_cast<size_t>(h) * 3);
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadBuffer(GL_BACK);
    glReadPixels(0, 0, w, h, GL_RGB, GL_UNSIGNED_BYTE, px.data());
    std::vector<unsigned char> flipped(px.size());
    size_t row = static_cast<size_t>(w) * 3;
    for (int y = 0; y < h; ++y)
        std::copy_n(px.data() + static_cast<size_t>(h - 1 - y) * row, row, flipped.data() + static_cast<size_t>(y) * row);
    return stbi_write_png(path.c_str(), w, h, 3, flipped.data(), static_cast<int>(row)) != 0;
}

}  // namespace

int runWindow(const ShellOptions& shellOptions, const WindowOptions& wo) {
    // Fonts and the store get going on their threads while GLFW and the GL context come up.
    GlRenderer renderer;
    // End-to-end tests under X: the named widgets' rectangles to a file after every frame.
    const char* automationFile = std::getenv("JIANCHA_AUTOMATION_FILE");
    ShellOptions opts = shellOptions;
    if (automationFile && *automationFile) opts.automation = true;
    auto shell_ = std::make_unique<Shell>(opts, renderer);
    {
        std::string error;
        if (!shell_->prepare(&error)) {
            std::cerr << "jiancha: " << error << "\n";
            return 1;
        }
    }
    auto trace = [](const char* what) {
        if (std::getenv("JIANCHA_TRACE_STARTUP"))
            std::fprintf(stderr, "%s at %.1f ms\n", what,
                         std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - kLaunch).count());
    };
    trace("prepared");
    glfwSetErrorCallback([](int code, const char* msg) { std::cerr << "jiancha: GLFW error " << code << ": " << msg << "\n"; });
    if (!glfwInit()) {
        std::cerr << "jiancha: cannot open a window (is there a display? DISPLAY is "
                  << (std::getenv("DISPLAY") ? std::getenv("DISPLAY") : "not set")
                  << "). The subcommands work without one: jiancha --help\n";
        return 1;
    }
    trace("glfwInit");
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
    std::string title = "监察 Jiancha — " + shellOptions.dataDir.string();
    GLFWwindow* window = glfwCreateWindow(wo.width, wo.height, title.c_str(), nullptr, nullptr);
    if (!window) {
        std::cerr << "jiancha: cannot create an OpenGL 3.0 window\n";
        glfwTerminate();
        return 1;
    }
    glfwMakeContextCurrent(window);
    glfwSwapInterval(1);
    trace("window");

    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;  // layout is fixed; nothing to remember between runs
    io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
    ImGui_ImplGlfw_InitForOpenGL(window, true);
    glfwSetKeyCallback(window, keyCallback);  // wraps the backend's (see KeyTaps)
    ImGui_ImplOpenGL3_Init("#version 130");
    ImGui_ImplOpenGL3_CreateDeviceObjects();

    trace("GL device objects");
    bool announcedSettled = false;
    int code = 0;
    {
        Shell& shell = *shell_;
        std::string error;
        if (!shell.init(&error)) {
            std::cerr << "jiancha: " << error << "\n";
            code = 1;
        } else {
            shell.mainQueue().setWakeup([] { glfwPostEmptyEvent(); });
            float xs = 1, ys = 1;
            glfwGetWindowContentScale(window, &xs, &ys);
            shell.setDisplayScale(xs);  // HiDPI: larger glyphs and widgets
            glfwSetWindowUserPointer(window, &shell);
            glfwSetDropCallback(window, [](GLFWwindow* w, int count, const char** paths) {
                std::vector<std::string> files(paths, paths + count);
                static_cast<Shell*>(glfwGetWindowUserPointer(w))->filesDropped(files);
            });
            bool first = true;
            int settledFrames = 0;
            auto shotStart = std::chrono::steady_clock::now();
            double uiCpu = 0, renderCpu = 0;
            int frames = 0;
            while (!shell.quitRequested()) {
                if (glfwWindowShouldClose(window)) shell.requestQuit();
                double c0 = threadCpuMs();
                shell.beginFrame();
                ImGui_ImplOpenGL3_NewFrame();
                ImGui_ImplGlfw_NewFrame();
                if (!wo.screenshotPath.empty()) io.MousePos = ImVec2(-FLT_MAX, -FLT_MAX);  // no hover highlight in pictures
                ImGui::NewFrame();
                shell.draw();
                ImGui::Render();
                double c1 = threadCpuMs();
                int w = 0, h = 0;
                glfwGetFramebufferSize(window, &w, &h);
                glViewport(0, 0, w, h);
                glClearColor(0.97f, 0.97f, 0.96f, 1.0f);
                glClear(GL_COLOR_BUFFER_BIT);
                ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
                if (!announcedSettled && shell.settled()) {  // the first frame with everything loaded
                    announcedSettled = true;
                    trace("settled");
                }
                if (!wo.screenshotPath.empty()) {
                    settledFrames = shell.settled() ? settledFrames + 1 : 0;
                    double waited = std::chrono::duration<double>(std::chrono::steady_clock::now() - shotStart).count();
                    if (settledFrames >= 8 || waited > wo.screenshotTimeout) {
                        if (settledFrames < 8) std::cerr << "jiancha: screenshot taken before everything loaded\n";
                        if (!writeScreenshot(wo.screenshotPath, w, h)) {
                            std::cerr << "jiancha: cannot write " << wo.screenshotPath << "\n";
                            code = 1;
                        }
                        // What could not be drawn: the tests require zeros.
                        std::fprintf(stderr,
                                     "{\"screenshot\": \"%s\", \"glyphs\": %d, \"unavailable_glyphs\": %d, "
                                     "\"replacement_glyphs\": %d, \"missing_strings\": %d}\n",
                                     wo.screenshotPath.c_str(), shell.fonts().glyphCount(), shell.fonts().unavailable(),
                                     replacementGlyphsDrawn(ImGui::GetDrawData(), io.Fonts), i18n().missingLookups());
                        shell.requestQuit();
                    }
                }
                glfwSwapBuffers(window);
                if (automationFile && *automationFile) automation::writeTo(automationFile, shell.settled());
                afterFrame(window);
                // With the key trace, each frame too: a test driving the window waits for the
                // frame that has read its keys, and for a text field to take the keyboard.
                if (traceKeys()) std::fprintf(stderr, "frame %d text_input %d\n", frames + 1, io.WantTextInput ? 1 : 0);
                uiCpu += c1 - c0;
                renderCpu += threadCpuMs() - c1;
                ++frames;
                if (first) {
                    first = false;
                    double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - kLaunch).count();
                    if (wo.timing) std::fprintf(stderr, "{\"first_frame_ms\": %.1f}\n", ms);
                    if (wo.exitAfterFirstFrame) shell.requestQuit();
                }
                // Sleep while nothing happens; input and posted job results wake the loop.
                if (!wo.screenshotPath.empty() || shell.busy()) glfwWaitEventsTimeout(0.015);
                else glfwWaitEventsTimeout(0.5);
            }
            shell.shutdown();
            if (wo.timing && frames > 0)
                std::fprintf(stderr, "{\"frames\": %d, \"ui_cpu_ms_per_frame\": %.3f, \"render_cpu_ms_per_frame\": %.3f}\n", frames,
                             uiCpu / frames, renderCpu / frames);
        }
        ImGui_ImplOpenGL3_Shutdown();
        ImGui_ImplGlfw_Shutdown();
        shell_.reset();
    }
    ImGui::DestroyContext();
    glfwDestroyWindow(window);
    glfwTerminate();
    return code;
}

}  // namespace jc::ui
