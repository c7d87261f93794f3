#pragma once
// The real window: GLFW + OpenGL 3 (GLSL 130, which Mesa's llvmpipe offers under Xvfb), the
// frame loop that sleeps when nothing happens and wakes when a job posts a result, and the
// in-process screenshot (glReadPixels → PNG) used for the README images.
#include <string>

#include "ui/shell/shell.h"

namespace jc::ui {

struct WindowOptions {
    int width = 1366, height = 768;  // the inspectors' laptop screen
    std::string screenshotPath;      // non-empty: wait until settled, write the PNG, quit
    double screenshotTimeout = 120;  // seconds; then the screenshot is taken anyway (with a warning)
    bool timing = false;             // print {"first_frame_ms": …} on stderr
    bool exitAfterFirstFrame = false;
};

int runWindow(const ShellOptions& shellOptions, const WindowOptions& windowOptions);

}  // namespace jc::ui
