#pragma once
// A screen of the client (ImHex style): one class per screen, one file each under
// src/ui/views/view_<name>.cpp, registered with the shell in views/views.cpp. A view draws
// from immutable snapshots it requested through the shell's job runner, and emits commands
// (Shell::runCommand); it never touches the store while drawing.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace jc {
struct SessionData;  // app/read_models.h
}

namespace jc::ui {

class Shell;

// Keyboard shortcuts the shell routes to the current view.
enum class ShellCommand { Save, Search, Previous, Next };

class View {
public:
    virtual ~View() = default;
    virtual const char* id() const = 0;        // "home", "findings", "editor" …
    virtual const char* titleKey() const = 0;  // i18n key of its navigation label
    // Whether it appears in the navigation for this user (the review queue is for leads).
    virtual bool inNavigation(const SessionData&) const { return true; }
    // A count shown after its navigation label (open conflicts …); 0 shows none.
    virtual int64_t badge(const Shell&) const { return 0; }
    virtual void draw(Shell& shell) = 0;
    virtual void onShow(Shell&) {}
    virtual bool onCommand(Shell&, ShellCommand) { return false; }
    // Opens a record (editor: a finding; complaints: a complaint …).
    virtual void open(Shell&, const std::string& /*id*/) {}
    // The id `delta` rows away from `id` in this view's current order (previous / next case).
    virtual std::optional<std::string> neighbor(Shell&, const std::string& /*id*/, int /*delta*/) { return std::nullopt; }
    // Unsaved input: save it now (Ctrl+S, leaving the view, quitting).
    virtual void flush(Shell&) {}
    virtual bool hasUnsavedWork() const { return false; }
    // Files dropped on the window (the editor attaches them as evidence).
    virtual void onFilesDropped(Shell&, const std::vector<std::string>& /*paths*/) {}
    // Nothing requested is still loading (the screenshot runner waits for this).
    virtual bool settled() const { return true; }
};

}  // namespace jc::ui
