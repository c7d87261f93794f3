#pragma once
// The words of the sync part of the status bar (DESIGN.md §6: online, pending changes, last sync
// and errors always visible), in the current language, from the background worker's state.
// Kept apart from drawing so the wording can be checked without a frame.
#include <cstdint>
#include <string>

#include "sync/client/sync_worker.h"

namespace jc::ui {

// The background sync runs in sync/client; the shell and its status bar name its types here.
using sync::SyncState;
using sync::SyncStatus;
using sync::SyncWorker;
using sync::SyncWorkerOptions;

struct SyncStatusText {
    std::string state;        // 在线 / 离线 / 未注册设备 / 同步中：上传 3/10
    std::string lastSuccess;  // 上次成功 14:32 ("" before the first success ever)
    std::string error;        // the last error in one line ("" when none)
    std::string errorFull;    // the error in full, for the tooltip
    std::string retry;        // 12 秒后重试 ("" when not backing off)
    std::string details;      // tooltip of the state: server, last round's counts
};

SyncStatusText describeSync(const SyncStatus& st, int64_t nowMs);

// A moment for the status bar in the client's local time (China Standard Time, like every time
// it shows): "HH:MM" today, "MM-DD HH:MM" this year, else "YYYY-MM-DD HH:MM".
std::string formatSyncTime(int64_t unixMs, int64_t nowMs);

// The engine's error (English, from sync/client) with a translated summary in front when it is
// one of the kinds a user can act on (server unreachable, device revoked, versions, …).
std::string syncErrorInWords(const std::string& error);

}  // namespace jc::ui
