#pragma once
// Chinese working-day calendar (限时办结制): weekends are rest days except make-up working
// days (调休), statutory holidays are rest days. Built from assets/calendar/*.json (the
// chinese-days data set, "official" years); after the last official year the statutory
// holidays are computed by rule (holiday_rules.h, "by rule" years: no 调休 known yet) once
// addRuleYears() is called; a year HQ publishes (setPublishedYear()) becomes official.
// Years outside all of these fall back to plain Monday–Friday.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/dates.h"
#include "core/entities.h"
#include "core/holiday_rules.h"

namespace jc {

enum class DeadlineLight { Green, Yellow, Red };
std::string_view lightCode(DeadlineLight l);  // "green" | "yellow" | "red"

// Calendar names are stored as "中文名|English"; this returns one side (the Chinese side when
// there is no '|').
std::string calendarLabel(std::string_view stored, bool english);

// Where a year's rest days come from.
enum class YearSource { Official, ByRule, Weekdays };
std::string_view yearSourceCode(YearSource s);  // "official" | "by_rule" | "weekdays"

struct LightRule {
    int yellowWithinWorkdays = 3;  // yellow when this many working days or fewer remain
};

class WorkCalendar {
public:
    WorkCalendar() = default;
    // {"holidays": {"YYYY-MM-DD": "名|Name", …}, "makeup_workdays": {"YYYY-MM-DD": "名|Name", …}}
    static WorkCalendar fromJson(const Json& j);        // throws ValidationError on a malformed file
    static WorkCalendar load(const std::string& path);  // throws StorageError / ValidationError
    Json toJson() const;                                // the same shape fromJson() reads

    bool isWorkday(const Date& d) const;
    // For holidays and make-up days: the stored name, "中文名|English" (see calendarLabel()).
    std::optional<std::string> holidayName(const Date& d) const;
    bool isMakeupWorkday(const Date& d) const;

    // The date `n` working days after `start` (start itself not counted). n = 0 returns start.
    // Negative n counts backwards. |n| is limited to 10,000.
    Date addWorkdays(const Date& start, int n) const;
    // Working days in (from, to]; negative when to < from.
    int workdaysBetween(const Date& from, const Date& to) const;
    // Working days left until the deadline from `today` (0 on the deadline day, negative when overdue;
    // at least -1 once today is past the deadline, even when only rest days have passed since).
    int workdaysRemaining(const Date& today, const Date& deadline) const;
    DeadlineLight light(const Date& today, const Date& deadline, LightRule rule = {}) const;

    // Adds the statutory holidays by rule for every year after the last year with data, up to the
    // last year of `lunar`. Official years are left as they are.
    void addRuleYears(const LunarFestivals& lunar);
    // Replaces `year` with its published arrangement (holidays and make-up working days, dates
    // "YYYY-MM-DD" → name) and marks it official. Throws ValidationError for a date outside the
    // year, a weekday-less mix (a date both a holiday and a make-up day) or a bad date.
    void setPublishedYear(int year, const std::map<std::string, std::string>& holidays,
                          const std::map<std::string, std::string>& makeup);
    YearSource yearSource(int year) const;
    // The years computed by rule that counting from `from` to `to` (either order) passes through.
    std::vector<int> ruleYearsBetween(const Date& from, const Date& to) const;
    int lastOfficialYear() const;  // 0 when none

    int firstYear() const { return m_firstYear; }
    int lastYear() const { return m_lastYear; }
    const std::map<std::string, std::string>& holidays() const { return m_holidays; }
    const std::map<std::string, std::string>& makeupDays() const { return m_makeup; }

private:
    std::map<std::string, std::string> m_holidays;  // date -> name
    std::map<std::string, std::string> m_makeup;
    int m_firstYear = 0, m_lastYear = 0;
    std::map<int, YearSource> m_sources;  // years with data; absent = Weekdays

    // Why: counting must not format dates or search maps per day. Every day of the data's years
    // is indexed once; m_prefix[i] = working days in [m_baseDay, m_baseDay + i).
    void buildIndex();
    bool isWorkdayN(int64_t day) const;
    int64_t countWorkdays(int64_t from, int64_t to) const;  // in [from, to), from <= to
    int64_t m_baseDay = 0;
    std::vector<uint8_t> m_workday;
    std::vector<int32_t> m_prefix;
};

// A deadline counted in working days from the day of `oldStartIso`, counted again from the day
// of `newStartIso` (China dates of ISO timestamps): the start was corrected — a receipt time
// from a wrong clock, replaced by the server or set by a lead. nullopt when a value is unreadable.
std::optional<Date> recountDeadline(const WorkCalendar& cal, const std::string& oldStartIso,
                                    const std::string& newStartIso, const std::string& oldDeadline);

}  // namespace jc
