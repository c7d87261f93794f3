#pragma once
// The server never trusts a device's clock further ahead of its own than kClockFutureLimitMs
// (core/hq_clock.h; the same limit clamps HLC stamps): a laptop a year ahead would otherwise
// date findings and complaints — and count deadlines — from next year. Every timestamp of a
// pushed change (created_at and the entity's timestamp fields) later than that is replaced by
// the server's receipt time; the device's value is kept in the change log and on the record
// (device_time) and the record is flagged time_suspect (时间存疑) where the entity has those
// fields. A complaint's deadline in the same change, counted on the device from the day of its
// receipt time, is counted again from the server's receipt day with the working-day calendar
// (server_calendar.h), keeping its number of working days. Storage-independent: it rewrites
// the change before any backend sees it.
#include <cstdint>
#include <functional>
#include <string>

#include "core/calendar.h"
#include "core/entities.h"

namespace jc::server {

// Rewrites `fields` (and `createdAt` when given) in place; returns the device's values of the
// replaced fields, an empty object when every time was plausible.
// `calendar` is asked only when a deadline must be counted again.
Json guardFutureTimes(const EntityDef& def, Json& fields, std::string* createdAt, int64_t serverNowMs,
                      const std::function<WorkCalendar()>& calendar = {});

}  // namespace jc::server
