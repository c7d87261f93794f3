#pragma once
// The working-day calendar as the application sees it (DESIGN.md §7 "keep the calendar"):
// the bundled official years, the years HQ published (calendar_year records, synced to every
// device), and after them the statutory holidays by rule (core/holiday_rules.h). Publishing a
// year recomputes the deadlines of open complaints, rectifications and approval records in the
// same transaction, keeping each one's number of working days; a case whose deadline moved
// records a "deadline_recomputed" event in its history.
#include <string>
#include <vector>

#include "app/context.h"
#include "core/calendar.h"

namespace jc {

// Bundled data + published years + rule years. Throws StorageError / ValidationError when the
// calendar assets are missing or damaged.
WorkCalendar buildCalendar(Store& store);

// Changes whenever a calendar_year record is written or pulled (long-lived contexts compare it
// and rebuild their calendar).
std::string calendarSignature(Store& store);

struct CalendarYearInfo {
    int year = 0;
    std::string source;      // "official" | "by_rule" | "weekdays"
    bool published = false;  // official because HQ published it (else bundled or by rule)
    std::string publishedBy, publishedAt;
    int holidays = 0, makeupWorkdays = 0;
};
std::vector<CalendarYearInfo> calendarYears(Store& store, const WorkCalendar& cal, int fromYear, int toYear);

// "" when counting between the two dates uses no year computed by rule; else e.g.
// "2027 by rule" / "2027 按规则推算" for display next to a deadline.
std::string byRuleNote(const WorkCalendar& cal, const Date& from, const Date& to, bool english);

struct PublishResult {
    std::string id;  // the calendar_year record
    int year = 0;
    int casesMoved = 0;  // complaints and rectifications whose deadline changed
    int approvalsMoved = 0;
};
// HQ publishes a year's arrangement: {"year": 2027, "holidays": {"2027-01-01": "元旦", …} or
// ["2027-01-01", …], "makeup_workdays": {…} or […], "note": "…"}. Replaces an earlier publication
// of the same year. Updates ctx.calendar. Throws ForbiddenError for other roles, ValidationError
// for a bad arrangement (nothing is written then).
PublishResult publishCalendarYear(AppContext& ctx, const Json& arrangement);

}  // namespace jc
