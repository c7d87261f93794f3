#pragma once
// Named widgets for scripted tests. Dear ImGui 1.86 has no test engine, so views call
// mark("editor.title") right after a widget; when automation is on, the widget's rectangle is
// remembered under that name, and the headless UI tests (tests/ui) move the mouse to it and
// click. When automation is off, mark() is a single branch.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace jc::ui::automation {

struct ItemRect {
    float x0 = 0, y0 = 0, x1 = 0, y1 = 0;
    float cx() const { return (x0 + x1) * 0.5f; }
    float cy() const { return (y0 + y1) * 0.5f; }
};

void setEnabled(bool on);
bool enabled();
// Called by the shell at the start of each frame: the items of the frame just finished become
// the ones find() answers from.
void newFrame();
// Remembers the last ImGui item under `name` (visible items only).
void mark(std::string_view name);
// Remembers a rectangle drawn without an item of its own (a highlighted span of text).
void markRect(std::string_view name, const ItemRect& r);
std::optional<ItemRect> find(std::string_view name);
std::vector<std::string> names();  // of the last finished frame (for test failure messages)
// Writes the last finished frame's named rectangles to `path` ("name<TAB>x0 y0 x1 y1" a line,
// window pixels), replacing the file at once: the end-to-end tests under X read it to click
// real widgets with xdotool (the window does this when JIANCHA_AUTOMATION_FILE is set).
bool writeTo(const std::string& path, bool settled);

}  // namespace jc::ui::automation

namespace jc::ui {
inline void mark(std::string_view name) {
    if (automation::enabled()) automation::mark(name);
}
}  // namespace jc::ui
