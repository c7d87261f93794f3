#pragma once
// The server's explicit limits on what one caller may cost it, set by `serve` options:
//  - enrolment codes are guessed: every refused code (unknown, used, expired) is recorded with
//    the caller's address in the database, so several servers behind a load balancer share the
//    count. After enrolFailuresPerAddress refusals from one address within enrolWindowSeconds,
//    that address gets 429 (too_many_attempts) with Retry-After until its oldest counted refusal
//    leaves the window; after enrolFailuresGlobal refusals from all addresses together, every
//    enrolment does (a guesser with many addresses). Throttled attempts are not counted again,
//    so the wait ends; each is logged.
//  - evidence bytes per device and day (China time, UTC+8): a blob chunk that would take a
//    device past blobBytesPerDeviceDay gets 429 (blob_quota_exceeded) with the limit, what is
//    used, and Retry-After until midnight China time; nothing of the chunk is stored.
// The caller's address is the TCP peer's: behind a proxy, that is the proxy.
#include <cstdint>
#include <string>

#include "sync/server/storage.h"

namespace jc::server {

struct ServerLimits {
    int enrolFailuresPerAddress = 5;
    int enrolFailuresGlobal = 100;
    int enrolWindowSeconds = 15 * 60;
    int64_t blobBytesPerDeviceDay = 2LL << 30;  // 2 GiB of photos a day is far beyond a day's inspections

    // Throws UsageError naming the limit when one is not positive.
    void validate() const;
};

struct EnrolThrottle {
    bool refused = false;
    int retryAfterSeconds = 0;
    std::string scope;  // "address" or "global" when refused
};

// Whether an enrolment from `address` is refused now (read-only).
EnrolThrottle enrolThrottle(StorageTx& tx, const ServerLimits& limits, const std::string& address, int64_t nowMs);
// Records one refused code from `address` (its own write transaction) and prunes old rows.
void recordEnrolFailure(ServerStorage& storage, const ServerLimits& limits, const std::string& address, int64_t nowMs);

// The China civil day (UTC+8) of a time, "YYYY-MM-DD", and the seconds until it ends.
std::string chinaDayOf(int64_t ms);
int secondsToChinaMidnight(int64_t ms);

// A 429 for a chunk of `chunkBytes` that would pass the device's daily limit; nothing when it fits.
void checkBlobQuota(StorageTx& tx, const ServerLimits& limits, const std::string& deviceId, int64_t chunkBytes,
                    int64_t nowMs);

}  // namespace jc::server
