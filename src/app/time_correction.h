#pragma once
// Correcting a date recorded on a laptop with a wrong clock (core/hq_clock.h). A record kept
// as written and flagged time_suspect (时间存疑) — made before the device's first sync with the
// clock set in between, or far ahead of HQ's clock on arrival — waits for a team lead or HQ:
// they list the flagged records, open one and set the right date and time. The correction is
// one ordinary change (it syncs like any edit): the record's date field takes the new time,
// the flag clears, the device's own time stays beside it (device_time), a complaint's 限时办结
// deadline is counted again from the corrected day (the same number of working days), and the
// case's history gets a time_corrected event naming both times.
#include <string>
#include <vector>

#include "app/context.h"

namespace jc {

// One flagged record. `field` is the date people read and count from: a complaint's
// received_at, a warning's issued_at, otherwise created_at.
struct TimeSuspectRow {
    std::string entity;  // complaint | finding | rectification | warning
    std::string id;
    std::string title;  // the complaint's or finding's title, the action, the reason
    std::string field;
    std::string recordedAt;  // the field's value (ISO, UTC)
    std::string deviceTime;  // the device's own time when it was kept ("" when not)
    std::string deadline;    // complaints and rectifications ("" otherwise)
};

// Every record flagged 时间存疑 on this store, newest first.
std::vector<TimeSuspectRow> listTimeSuspect(Store& store);

struct TimeCorrection {
    std::string field, from, to;           // ISO times
    std::string deadlineFrom, deadlineTo;  // a complaint's deadline before and after ("" when none)
};

// Sets the record's date to `typed` (any form of core/time_input.h, China time unless it names a
// zone) and clears the flag, in one transaction. Leads and HQ only (ForbiddenError); a time
// more than kClockFutureLimitMs ahead of HQ time, or an unreadable one, is a ValidationError and
// changes nothing.
TimeCorrection correctRecordTime(AppContext& ctx, const std::string& entity, const std::string& id,
                                 const std::string& typed);

}  // namespace jc
