#pragma once
// The device clock against HQ's, on the store side (core/hq_clock.h). Sync measures the offset
// and hands it here; the store keeps it (meta clock_offset_ms and when it was measured), makes it
// this process's offset, and first fixes the changes still in the outbox that were written
// while no offset was known (a new laptop that never synced):
//  - when their clock anchor shows the wall clock was not set since they were written, every
//    timestamp in them (created_at, received_at, reported_at, a case event's at …) moves by the
//    offset, in the outbox and in the record, a complaint's deadline is counted again from the
//    corrected day, and a created record keeps the device's original time in device_time;
//  - otherwise they are kept as written and their record is flagged time_suspect (时间存疑)
//    for a lead to correct.
// Offsets within kClockWarnMs change nothing. One transaction.
#include <cstdint>
#include <optional>
#include <string>

#include "store/store.h"

namespace jc {

struct ClockFixReport {
    int corrected = 0;  // outbox changes whose times moved by the offset
    int flagged = 0;    // outbox changes whose records were flagged 时间存疑
};

ClockFixReport recordClockOffset(Store& store, int64_t offsetMs);
// Makes the stored offset (and the clock anchor of its measurement) this process's; Store's
// constructor calls it.
void loadClockOffset(Store& store);

struct ClockOffsetInfo {
    std::optional<int64_t> offsetMs;  // HQ minus the device clock now; nullopt before the first sync
    std::string measuredAt;           // HQ time of the last measurement ("" when none)
    bool warn() const;                // off by more than kClockWarnMs
};
ClockOffsetInfo clockOffsetInfo(Store& store);

}  // namespace jc
