#pragma once
// Measures the device's clock against HQ's at each sync and enrolment: GET /v1/version, whose
// server_time is compared with the midpoint of the request (network delay counts half each
// way), and hands the offset to the store (store/clock_fix.h), which keeps it, corrects or
// flags what was written before the first measurement, and makes this process stamp HQ time.
#include <optional>
#include <string>

#include "store/clock_fix.h"
#include "store/store.h"

namespace jc::sync {

class HttpClient;

// nullopt when the server gave no usable time (the sync itself reports why it failed).
// `versionBody`, when given, receives the /v1/version answer (the sync also reads the server's
// epoch from it: store/server_epoch.h).
std::optional<ClockFixReport> measureClock(HttpClient& http, Store& store, std::string* versionBody = nullptr);

}  // namespace jc::sync
