#pragma once
// Measures the device's clock against HQ's with the requests a sync or an enrolment already
// makes: every answer carries the server's time (proto::kHeaderServerTime), compared with the
// midpoint of its request (network delay counts half each way); HttpClient keeps the exchange
// with the shortest round trip. The offset goes to the store (store/clock_fix.h), which keeps
// it, corrects or flags what was written before the first measurement, and makes this process
// stamp HQ time.
//
// Only a store that has never been measured (enrolled by an older client, or whose enrolment
// answer carried no time) asks for the time on its own (GET /v1/version) before its first push,
// since that push may carry records the measurement corrects.
#include <optional>
#include <string>

#include "store/clock_fix.h"
#include "store/store.h"

namespace jc::sync {

class HttpClient;

// Records the offset the client's answers so far measured; nullopt when none carried a time.
std::optional<ClockFixReport> recordMeasuredClock(const HttpClient& http, Store& store);
// True when the store has no measured offset yet.
bool clockNeverMeasured(Store& store);
// One request of its own (GET /v1/version) and its offset recorded; nullopt when the server
// gave no usable time (the sync itself reports why it failed). `versionBody`, when given,
// receives the /v1/version answer.
std::optional<ClockFixReport> measureClock(HttpClient& http, Store& store, std::string* versionBody = nullptr);

}  // namespace jc::sync
