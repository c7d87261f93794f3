#pragma once
// Entry point of the desktop client, called by `jiancha` with no command or `jiancha gui`.
//
//   jiancha gui [--view home|findings|review|complaints|rectifications|warnings|settings]
//               [--open ID] [--search TEXT] [--today YYYY-MM-DD] [--lang zh_CN|en] [--font-size PX]
//               [--size WxH] [--screenshot FILE.png] [--timing] [--exit-after-first-frame] [--no-sync]
//
// --screenshot waits until every snapshot is loaded and the glyph atlas is complete, writes the
// window to FILE.png and exits (README screenshots, tests). --timing prints a JSON line with the
// time from launch to the first frame on stderr (and, at exit, the main thread's CPU per frame).
// An enrolled device syncs in the background while the window is open (sync/client/sync_worker.h);
// --no-sync turns that off.
//
// Diagnostics: JIANCHA_TRACE_STARTUP=1 prints the start-up steps, JIANCHA_TRACE_KEYS=1 the key
// events and each frame (whether a text field has the keyboard); JIANCHA_NO_OPEN=1 stops "open the original" from launching xdg-open (tests).
#include <string>
#include <vector>

namespace jc {

// Returns the process exit code: 0 ok, 1 the window or fonts could not be set up, 2 usage.
int runGui(const std::string& dataDir, const std::string& asUser, const std::vector<std::string>& args);

}  // namespace jc
