#pragma once
// Enrolment as the window does it (the CLI's `jiancha enroll` runs the same steps): load the
// reference data a store needs (regions, working-day calendar), exchange the one-time code for
// a device token (sync_engine.h enrollDevice) and remember the device's name; what the settings
// screen shows about the enrolment; and leaving the server again. Each runs on the thread that
// owns the Store it is given (a worker of the client), one transaction each.
#include <cstdint>
#include <filesystem>
#include <string>

#include "store/store.h"
#include "sync/client/sync_engine.h"

namespace jc::sync {

struct EnrolRequest {
    std::string server;      // https://hq.example.cn:8443 (a missing scheme is taken as https://)
    std::string code;        // as typed: spaces, lower case, full-width characters are fine
    std::string deviceName;  // "" = the host name
    std::string caFile;      // HQ's certificate (PEM) for a self-signed server; "" = system store
};

// Loads the reference data and enrols. The store stays unchanged when it fails (kind says why).
EnrollOutcome enrolStore(Store& store, const std::filesystem::path& assetsDir, EnrolRequest request);

// What the settings screen shows.
struct EnrolmentInfo {
    bool enrolled = false;
    std::string server, userName, role, deviceName, deviceId, caFile;
    std::string lastSuccess, lastAttempt, lastError;  // ISO timestamps; lastError in the engine's words
    int64_t pending = 0;                               // outbox changes not yet at HQ
    int64_t rejected = 0;                              // changes HQ refused, kept on this device
};
EnrolmentInfo enrolmentInfo(Store& store);

// Leaves the server: forgets the token and the server (the records stay, and the store works
// on as a local one). Returns how many local changes had not reached HQ; they stay in the
// outbox and go up if this device is enrolled again for the same user.
int64_t leaveServer(Store& store);

}  // namespace jc::sync
