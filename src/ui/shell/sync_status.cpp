#include "ui/shell/sync_status.h"

#include <cmath>
#include <string_view>
#include <utility>

#include "core/dates.h"
#include "ui/shell/i18n.h"
#include "ui/widgets/widgets.h"

namespace jc::ui {

namespace {
const char* phaseKey(const std::string& phase) {
    if (phase == "push") return "sync.phase_push";
    if (phase == "pull") return "sync.phase_pull";
    if (phase == "blobs") return "sync.phase_blobs";
    return "sync.syncing";
}

bool startsWith(const std::string& s, std::string_view prefix) {
    return s.compare(0, prefix.size(), prefix) == 0;
}
}  // namespace

std::string formatSyncTime(int64_t unixMs, int64_t nowMs) {
    // The client's local time is China Standard Time everywhere (widgets.h localTime), whatever
    // the laptop's time zone says, so this agrees with the times in the lists.
    std::string t = localTime(isoTimestamp(unixMs)), n = localTime(isoTimestamp(nowMs));  // "YYYY-MM-DD HH:MM"
    if (t.size() != 16 || n.size() != 16) return t;
    if (t.compare(0, 10, n, 0, 10) == 0) return t.substr(11);
    if (t.compare(0, 4, n, 0, 4) == 0) return t.substr(5);
    return t;
}

std::string syncErrorKindText(sync::SyncErrorKind kind) {
    return tr("syncerr." + std::string(sync::errorKindCode(kind)));
}

std::string syncErrorInWords(sync::SyncErrorKind kind, const std::string& error) {
    // The kind comes from sync/client (sync_errors.h); the engine's English words stay as the
    // detail: libcurl's own words say what exactly failed (refused, timed out, TLS, name lookup).
    if (kind == sync::SyncErrorKind::None || kind == sync::SyncErrorKind::Local) return error;
    if (error.empty()) return syncErrorKindText(kind);
    std::string detail = error;
    static const std::string_view unreachable = "server unreachable: ";
    if (kind == sync::SyncErrorKind::Unreachable && startsWith(detail, unreachable)) detail = detail.substr(unreachable.size());
    return trf("sync.error_with_detail", {syncErrorKindText(kind), detail});
}

SyncStatusText describeSync(const SyncStatus& st, int64_t nowMs) {
    SyncStatusText t;
    if (st.syncing) {
        t.state = st.phase.empty() || st.total <= 0
                      ? std::string(tr(st.phase.empty() ? "sync.syncing" : phaseKey(st.phase)))
                      : trf("sync.syncing_progress",
                            {tr(phaseKey(st.phase)), std::to_string(st.done), std::to_string(st.total)});
    } else {
        switch (st.state) {
            case SyncState::Starting:
                t.state = tr("sync.starting");
                break;
            case SyncState::NotEnrolled:
                t.state = tr("sync.not_enrolled");
                break;
            case SyncState::Online:
                t.state = tr("sync.online");
                break;
            case SyncState::Offline:
                t.state = tr("sync.offline");
                break;
        }
    }
    if (st.unindexed > 0) t.state += "  " + trf("sync.indexing", {std::to_string(st.unindexed)});
    if (st.lastSuccessMs)
        t.lastSuccess = trf("sync.last_success", {formatSyncTime(*st.lastSuccessMs, nowMs)});
    else if (st.state == SyncState::Online || st.state == SyncState::Offline)
        t.lastSuccess = tr("sync.never");

    if (!st.lastError.empty()) {
        t.errorFull = syncErrorInWords(st.lastErrorKind, st.lastError);
        t.error = t.errorFull.substr(0, t.errorFull.find('\n'));
    } else if (st.last.blobsFailed > 0) {
        t.error = t.errorFull = trf("sync.blobs_failed", {std::to_string(st.last.blobsFailed)});
    }
    if (st.state == SyncState::Offline && !st.syncing && st.nextAttemptIn >= 0)
        t.retry = trf("sync.retry_in", {std::to_string(static_cast<int>(std::ceil(st.nextAttemptIn)))});

    if (st.state == SyncState::NotEnrolled) {
        t.details = tr("sync.how_to_enrol");
    } else if (!st.server.empty()) {
        t.details = trf("sync.server", {st.server});
        if (st.rounds > 0 && st.state == SyncState::Online) {  // a failed round's counts say nothing
            t.details += '\n';
            t.details += trf("sync.last_round", {std::to_string(st.last.pushed), std::to_string(st.last.pulled),
                                                 std::to_string(st.last.conflicts), std::to_string(st.last.rejected)});
        }
    }
    return t;
}

}  // namespace jc::ui
