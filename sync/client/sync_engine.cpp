// The sync round: one connection, records (push, pull, sync status) then evidence files.
#include "sync/client/sync_engine.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <memory>
#include <optional>
#include <vector>

#include "core/dates.h"
#include "core/error.h"
#include "store/sync_state.h"
#include "sync/client/clock_sync.h"
#include "store/server_epoch.h"
#include "sync/client/http_client.h"
#include "sync/protocol/protocol.h"

namespace jc::sync {

namespace fs = std::filesystem;

std::string describeHttpFailure(long status, const std::string& body, const std::string& transportError) {
    if (status == 0 && transportError == "cancelled") return "sync cancelled (the client is closing)";
    if (status == 0) return "server unreachable: " + transportError;
    Json j = Json::parse(body, nullptr, false);
    std::string code = j.is_object() ? j.value("error", std::string()) : std::string();
    std::string message = j.is_object() ? j.value("message", std::string()) : std::string();
    if (code == proto::err::kDeviceRevoked) return "this device was revoked by HQ: ask HQ for a new enrolment code";
    if (code == proto::err::kUnauthorized) return "the server does not accept this device's token: enrol again";
    if (code == proto::err::kClientTooOld) return "this Jiancha is too old for the server: update it (" + message + ")";
    if (code == proto::err::kClientTooNew) return "the server is older than this Jiancha: ask HQ to update it (" + message + ")";
    if (!message.empty()) return "server answered " + std::to_string(status) + ": " + message;
    return "server answered HTTP " + std::to_string(status);
}

SyncEngine::SyncEngine(Store& store, fs::path blobDir) : m_store(store), m_blobDir(std::move(blobDir)) {}

SyncReport SyncEngine::run(const ProgressFn& progress) { return round(true, true, progress); }
SyncReport SyncEngine::runRecords(const ProgressFn& progress) { return round(true, false, progress); }
SyncReport SyncEngine::runBlobs(const ProgressFn& progress) { return round(false, true, progress); }

void SyncEngine::writeSyncStatus(const Transaction& tx, bool ok, const std::string& error) {
    (void)tx;  // the caller's transaction commits the status together with its other writes
    std::string now = nowIso();
    m_store.setMeta("sync_last_attempt", now);
    if (ok) {
        m_store.setMeta("sync_last_success", now);
        m_store.setMeta("sync_last_error", "");
    } else {
        m_store.setMeta("sync_last_error", error);
    }
}

// The server's epoch from its /v1/version answer: after a restore, queue again what it lost
// (store/server_epoch.h) before pushing. An answer without an epoch (an older server) changes nothing.
void SyncEngine::followServerEpoch(const std::string& versionBody, SyncReport& r) {
    auto body = Json::parse(versionBody, nullptr, false);
    if (!body.is_object() || !body.contains("server_epoch") || !body["server_epoch"].is_string()) return;
    int64_t seq = body.contains("epoch_seq") && body["epoch_seq"].is_number_integer() ? body["epoch_seq"].get<int64_t>() : 0;
    EpochOutcome e = adoptServerEpoch(m_store, body["server_epoch"].get<std::string>(), seq);
    r.serverRestored = e.restored;
    r.requeued = e.requeued;
}

bool SyncEngine::followEpochHeader(const HttpClient& http, SyncReport& r) {
    std::string header = http.serverEpoch();
    auto space = header.find(' ');
    if (space == std::string::npos) return false;
    int64_t seq = 0;
    try {
        seq = std::stoll(header.substr(space + 1));
    } catch (const std::exception&) {
        return false;
    }
    EpochOutcome e = adoptServerEpoch(m_store, header.substr(0, space), seq);
    if (!e.restored) return false;
    r.serverRestored = true;
    r.requeued += e.requeued;
    return true;
}

// One round on one connection: records (push, then pull, then the sync status), then evidence
// files, which only run when the records went through.
SyncReport SyncEngine::round(bool records, bool files, const ProgressFn& progress) {
    auto t0 = std::chrono::steady_clock::now();
    SyncReport r;
    auto settings = loadSyncSettings(m_store);
    if (!settings) {
        r.error = "this device is not enrolled: run `jiancha enroll --server URL --code CODE`";
        r.errorKind = SyncErrorKind::NotEnrolled;
        return r;
    }
    HttpClient http(settings->server, optionsFor(settings->caFile, m_cancel));
    http.setToken(settings->token);
    if (records) {
        bool statusWritten = false;  // the last pull page committed the success status with it
        try {
            // A store never measured asks first: the measurement may correct what the push sends,
            // and the answer tells the server's epoch. Otherwise the push and pull answers
            // themselves measure the clock and carry the epoch (below).
            if (clockNeverMeasured(m_store)) {
                std::string version;
                measureClock(http, m_store, &version);
                followServerEpoch(version, r);
            }
            r.ok = push(http, r, progress) && pull(http, r, progress, statusWritten);
            // A server restored since the last sync (its answers carry a new epoch): the push may
            // have been refused (seq_gap) or the pull gone past what it holds. Recover what the
            // server lost and go again, once.
            if (followEpochHeader(http, r)) {
                r.ok = false;
                r.error.clear();
                r.errorKind = SyncErrorKind::None;
                statusWritten = false;
                r.ok = push(http, r, progress) && pull(http, r, progress, statusWritten);
            }
        } catch (const std::exception& e) {
            r.ok = false;
            r.error = e.what();
            if (r.errorKind == SyncErrorKind::None) r.errorKind = SyncErrorKind::Local;
        }
        try {
            // Also after a failure: any answer measures. A round that went through recorded it
            // with the last pull page.
            if (!statusWritten) recordMeasuredClock(http, m_store);
        } catch (const std::exception& e) {
            if (r.ok) {
                r.ok = false;
                r.error = e.what();
                r.errorKind = SyncErrorKind::Local;
            }
        }
        r.pendingAfter = pendingCount(m_store.db());
        if (!statusWritten) {
            // One transaction (one commit) for the sync status instead of one per key.
            Transaction tx(m_store.db());
            writeSyncStatus(tx, r.ok, r.error);
            tx.commit();
        }
    }
    if (files && (!records || r.ok)) {
        try {
            blobs(http, r, progress);
            r.ok = r.errorKind != SyncErrorKind::BlobQuota;  // the one blob failure the user must hear of
        } catch (const std::exception& e) {
            r.ok = false;
            r.error = e.what();
            if (r.errorKind == SyncErrorKind::None) r.errorKind = SyncErrorKind::Local;
        }
    }
    r.wireBytesSent = http.bytesSent();
    r.wireBytesReceived = http.bytesReceived();
    if (!r.ok && r.errorKind == SyncErrorKind::None) r.errorKind = SyncErrorKind::Local;
    if (r.ok) r.errorKind = SyncErrorKind::None;
    r.ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    return r;
}

}  // namespace jc::sync
