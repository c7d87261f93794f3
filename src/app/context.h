#pragma once
// What every application command needs: the store, the acting user and the working-day
// calendar. Commands are plain functions taking an AppContext; each one is one user intent
// and runs in exactly one transaction (DESIGN.md §3, §7). The UI and the CLI call the same ones.
#include <memory>
#include <optional>
#include <string>

#include "core/calendar.h"
#include "core/dates.h"
#include "core/domain.h"
#include "core/entities.h"
#include "store/store.h"

namespace jc {

struct Actor {
    std::string id;    // user record id (may be empty before sync assigns one)
    std::string name;  // unique user name
    Role role = Role::Inspector;
    std::string teamId;
    Json regionScope = Json::array();  // GB/T 2260 codes where this user may record (empty = anywhere)
};

struct AppContext {
    Store& store;
    Actor actor;
    std::shared_ptr<const WorkCalendar> calendar;
    std::optional<Date> todayOverride;  // tests and demo data pin "today"

    Date today() const { return todayOverride ? *todayOverride : Date::today(); }
    void requireRole(unsigned roleMask, const std::string& what) const;  // throws ForbiddenError
    // Throws ForbiddenError when `regionCode` lies outside the user's region scope (core/region_scope.h).
    void requireRegion(const std::string& regionCode) const;
};

// The working-day calendar of this store: bundled data, years HQ published, then by rule
// (app/calendar_commands.h).
std::shared_ptr<const WorkCalendar> calendarFromStore(Store& store);

// The user named `name` (or the store's initialised user when empty); throws NotFoundError.
Actor loadActor(Store& store, const std::string& name);

}  // namespace jc
