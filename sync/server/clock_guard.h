#pragma once
// The server never trusts a device's clock further ahead of its own than kClockFutureLimitMs
// (core/hq_clock.h; the same limit clamps HLC stamps): a laptop a year ahead would otherwise
// date findings and complaints — and count deadlines — from next year. Every timestamp of a
// pushed change (created_at and the entity's timestamp fields) later than that is replaced by
// the server's receipt time; the device's value is kept in the change log and on the record
// (device_time) and the record is flagged time_suspect (时间存疑) where the entity has those
// fields. Storage-independent: it rewrites the change before any backend sees it.
#include <cstdint>
#include <string>

#include "core/entities.h"

namespace jc::server {

// Rewrites `fields` (and `createdAt` when given) in place; returns the device's values of the
// replaced fields, an empty object when every time was plausible.
Json guardFutureTimes(const EntityDef& def, Json& fields, std::string* createdAt, int64_t serverNowMs);

}  // namespace jc::server
