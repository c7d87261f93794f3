#pragma once
// The working-day calendar on the server, the same one the devices count with
// (app/calendar_commands.h): the bundled official years (assets/calendar/*.json), the years HQ
// published (calendar_year records), and statutory holidays by rule after that. The server
// counts with it when it replaces a receipt time from a wrong clock (clock_guard.h), so the
// complaint's deadline is counted from the real day. Built on first use; the bundled part once
// per process.
#include "core/calendar.h"
#include "sync/server/storage.h"

namespace jc::server {

// Throws StorageError when the calendar assets are missing or damaged.
WorkCalendar serverCalendar(StorageTx& tx);

}  // namespace jc::server
