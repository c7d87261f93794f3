#pragma once
// Chinese working-day calendar (限时办结制): weekends are rest days except make-up working
// days (调休), statutory holidays are rest days. Built from assets/calendar/*.json (the
// chinese-days data set); years outside the data fall back to plain Monday–Friday.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/dates.h"
#include "core/entities.h"

namespace jc {

enum class DeadlineLight { Green, Yellow, Red };
std::string_view lightCode(DeadlineLight l);  // "green" | "yellow" | "red"

// Calendar names are stored as "中文名|English"; this returns one side (the Chinese side when
// there is no '|').
std::string calendarLabel(std::string_view stored, bool english);

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

    int firstYear() const { return m_firstYear; }
    int lastYear() const { return m_lastYear; }
    const std::map<std::string, std::string>& holidays() const { return m_holidays; }
    const std::map<std::string, std::string>& makeupDays() const { return m_makeup; }

private:
    std::map<std::string, std::string> m_holidays;  // date -> name
    std::map<std::string, std::string> m_makeup;
    int m_firstYear = 0, m_lastYear = 0;

    // Why: counting must not format dates or search maps per day. Every day of the data's years
    // is indexed once; m_prefix[i] = working days in [m_baseDay, m_baseDay + i).
    void buildIndex();
    bool isWorkdayN(int64_t day) const;
    int64_t countWorkdays(int64_t from, int64_t to) const;  // in [from, to), from <= to
    int64_t m_baseDay = 0;
    std::vector<uint8_t> m_workday;
    std::vector<int32_t> m_prefix;
};

}  // namespace jc
