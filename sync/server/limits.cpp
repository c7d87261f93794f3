#include "sync/server/limits.h"

#include <algorithm>
#include <cstdio>

#include "core/china_time.h"
#include "core/dates.h"
#include "core/error.h"
#include "sync/protocol/protocol.h"
#include "sync/server/api_error.h"

namespace jc::server {

namespace {

std::string mib(int64_t bytes) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f MiB", static_cast<double>(bytes) / (1 << 20));
    return buf;
}
}  // namespace

void ServerLimits::validate() const {
    if (enrolFailuresPerAddress < 1) throw UsageError("the enrolment failures allowed per address must be at least 1");
    if (enrolFailuresGlobal < 1) throw UsageError("the enrolment failures allowed in all must be at least 1");
    if (enrolWindowSeconds < 1) throw UsageError("the enrolment throttle window must be at least 1 second");
    if (blobBytesPerDeviceDay < 1) throw UsageError("the evidence bytes a device may upload a day must be at least 1");
}

EnrolThrottle enrolThrottle(StorageTx& tx, const ServerLimits& limits, const std::string& address, int64_t nowMs) {
    const int64_t windowMs = static_cast<int64_t>(limits.enrolWindowSeconds) * 1000;
    const int64_t since = nowMs - windowMs;
    EnrolThrottle t;
    auto verdict = [&](const EnrollFailures& f, const char* scope) {
        t.refused = true;
        t.scope = scope;
        int64_t waitMs = std::max<int64_t>(f.oldestMs + windowMs - nowMs, 1000);
        t.retryAfterSeconds = static_cast<int>((waitMs + 999) / 1000);
    };
    if (auto mine = tx.enrollFailuresSince(address, since); mine.count >= limits.enrolFailuresPerAddress)
        verdict(mine, "address");
    else if (auto all = tx.enrollFailuresSince("", since); all.count >= limits.enrolFailuresGlobal)
        verdict(all, "global");
    return t;
}

void recordEnrolFailure(ServerStorage& storage, const ServerLimits& limits, const std::string& address, int64_t nowMs) {
    auto tx = storage.write();
    tx->pruneEnrollFailures(nowMs - static_cast<int64_t>(limits.enrolWindowSeconds) * 1000);
    tx->addEnrollFailure(address, nowMs);
    tx->commit();
}

std::string chinaDayOf(int64_t ms) {
    return Date::chinaDate(ms).str();
}

int secondsToChinaMidnight(int64_t ms) {
    const int64_t untilMidnight = chinaDayStartMs(Date::chinaDate(ms).plusDays(1)) - ms;
    return static_cast<int>((untilMidnight + 999) / 1000);
}

void checkBlobQuota(StorageTx& tx, const ServerLimits& limits, const std::string& deviceId, int64_t chunkBytes,
                    int64_t nowMs) {
    const int64_t used = tx.blobBytesOn(deviceId, chinaDayOf(nowMs));
    if (used + chunkBytes <= limits.blobBytesPerDeviceDay) return;
    const int retry = secondsToChinaMidnight(nowMs);
    throw ApiError(429, proto::err::kBlobQuota,
                   "this device has uploaded " + mib(used) + " of evidence today; the limit is " +
                       mib(limits.blobBytesPerDeviceDay) + " a day. The rest uploads after midnight (China time)",
                   {{"limit_bytes", limits.blobBytesPerDeviceDay}, {"used_bytes", used}, {"retry_after", retry}});
}

}  // namespace jc::server
