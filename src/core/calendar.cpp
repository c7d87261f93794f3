#include "core/calendar.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>

#include "core/error.h"
#include "core/i18n.h"

namespace jc {

namespace {
constexpr int kMaxWorkdayOffset = 10'000;

// 1 = Monday … 7 = Sunday for a day number (1970-01-01 was a Thursday).
int weekdayOf(int64_t day) {
    int64_t w = (day + 3) % 7;
    if (w < 0) w += 7;
    return static_cast<int>(w) + 1;
}

// Monday–Friday days in [origin, day) counted from the Monday 1970-01-05; works for any sign.
int64_t weekdaysBefore(int64_t day) {
    int64_t z = day - 4;
    int64_t weeks = z >= 0 ? z / 7 : -((-z + 6) / 7);
    int64_t rem = z - weeks * 7;
    return weeks * 5 + std::min<int64_t>(rem, 5);
}

void readDays(const Json& j, const char* key, std::map<std::string, std::string>& out, bool optional) {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) {
        if (optional) return;
        throw ValidationError(trf("calendar.file_missing", {key}));
    }
    if (!it->is_object()) throw ValidationError(trf("calendar.file_not_object", {key}));
    for (auto d = it->begin(); d != it->end(); ++d) {
        if (!Date::tryParse(d.key())) throw ValidationError(trf("calendar.file_not_date", {key, d.key()}));
        if (!d->is_string()) throw ValidationError(trf("calendar.file_name", {key, d.key()}));
        out[d.key()] = d->get<std::string>();
    }
}
}  // namespace

std::string_view lightCode(DeadlineLight l) {
    switch (l) {
        case DeadlineLight::Green:
            return "green";
        case DeadlineLight::Yellow:
            return "yellow";
        case DeadlineLight::Red:
            return "red";
    }
    return "green";
}

std::string_view yearSourceCode(YearSource s) {
    switch (s) {
        case YearSource::Official: return "official";
        case YearSource::ByRule: return "by_rule";
        case YearSource::Weekdays: return "weekdays";
    }
    return "weekdays";
}

std::string calendarLabel(std::string_view stored, bool english) {
    auto bar = stored.find('|');
    if (bar == std::string_view::npos) return std::string(stored);
    return std::string(english ? stored.substr(bar + 1) : stored.substr(0, bar));
}

WorkCalendar WorkCalendar::fromJson(const Json& j) {
    if (!j.is_object()) throw ValidationError(tr("calendar.file_shape"));
    WorkCalendar c;
    readDays(j, "holidays", c.m_holidays, false);
    readDays(j, "makeup_workdays", c.m_makeup, true);
    for (const auto& [day, name] : c.m_makeup)
        if (c.m_holidays.count(day)) throw ValidationError(trf("calendar.file_both", {day}));
    for (const auto* m : {&c.m_holidays, &c.m_makeup})
        for (const auto& [day, name] : *m) c.m_sources[std::atoi(day.substr(0, 4).c_str())] = YearSource::Official;
    c.buildIndex();
    return c;
}

void WorkCalendar::addRuleYears(const LunarFestivals& lunar) {
    if (lunar.years.empty()) return;
    int from = std::max(kHolidayRuleFirstYear, lastOfficialYear() + 1);
    for (int y = from; y <= lunar.years.rbegin()->first; ++y) {
        if (m_sources.count(y)) continue;
        for (const auto& [day, name] : statutoryHolidays(y, lunar)) m_holidays[day] = name;
        m_sources[y] = YearSource::ByRule;
    }
    buildIndex();
}

void WorkCalendar::setPublishedYear(int year, const std::map<std::string, std::string>& holidays,
                                    const std::map<std::string, std::string>& makeup) {
    const std::string prefix = std::to_string(year) + "-";
    for (const auto* m : {&holidays, &makeup})
        for (const auto& [day, name] : *m) {
            if (!Date::tryParse(day))
                throw ValidationError(trf("calendar.file_year_not_date", {std::to_string(year), day}));
            if (day.rfind(prefix, 0) != 0)
                throw ValidationError(trf("calendar.file_outside_year", {std::to_string(year), day}));
        }
    for (const auto& [day, name] : makeup)
        if (holidays.count(day)) throw ValidationError(trf("calendar.file_both", {day}));
    for (auto* m : {&m_holidays, &m_makeup})
        for (auto it = m->lower_bound(prefix); it != m->end() && it->first.rfind(prefix, 0) == 0;) it = m->erase(it);
    for (const auto& [day, name] : holidays) m_holidays[day] = name;
    for (const auto& [day, name] : makeup) m_makeup[day] = name;
    m_sources[year] = YearSource::Official;
    buildIndex();
}

YearSource WorkCalendar::yearSource(int year) const {
    auto it = m_sources.find(year);
    return it == m_sources.end() ? YearSource::Weekdays : it->second;
}

std::vector<int> WorkCalendar::ruleYearsBetween(const Date& from, const Date& to) const {
    std::vector<int> out;
    int a = std::min(from.year, to.year), b = std::max(from.year, to.year);
    for (auto it = m_sources.lower_bound(a); it != m_sources.end() && it->first <= b; ++it)
        if (it->second == YearSource::ByRule) out.push_back(it->first);
    return out;
}

int WorkCalendar::lastOfficialYear() const {
    for (auto it = m_sources.rbegin(); it != m_sources.rend(); ++it)
        if (it->second == YearSource::Official) return it->first;
    return 0;
}

WorkCalendar WorkCalendar::load(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw StorageError(trf("calendar.file_unreadable", {path}));
    Json j = Json::parse(in, nullptr, false);
    if (j.is_discarded()) throw ValidationError(trf("calendar.file_bad_json", {path}));
    try {
        return fromJson(j);
    } catch (const ValidationError& e) {
        throw ValidationError(trf("calendar.file_in", {e.what(), path}));
    }
}

Json WorkCalendar::toJson() const {
    return {{"holidays", Json(m_holidays)}, {"makeup_workdays", Json(m_makeup)}};
}

void WorkCalendar::buildIndex() {
    m_workday.clear();
    m_prefix.clear();
    m_firstYear = m_lastYear = 0;
    if (m_holidays.empty() && m_makeup.empty() && m_sources.empty()) return;
    // Maps are ordered by "YYYY-MM-DD", so the first and last keys bound the years.
    auto yearOf = [](const std::string& d) { return std::atoi(d.substr(0, 4).c_str()); };
    m_firstYear = 9999;
    for (const auto* m : {&m_holidays, &m_makeup}) {
        if (m->empty()) continue;
        m_firstYear = std::min(m_firstYear, yearOf(m->begin()->first));
        m_lastYear = std::max(m_lastYear, yearOf(m->rbegin()->first));
    }
    if (!m_sources.empty()) {
        m_firstYear = std::min(m_firstYear, m_sources.begin()->first);
        m_lastYear = std::max(m_lastYear, m_sources.rbegin()->first);
    }
    m_baseDay = Date{m_firstYear, 1, 1}.days();
    int64_t end = Date{m_lastYear + 1, 1, 1}.days();
    m_workday.resize(static_cast<size_t>(end - m_baseDay));
    for (int64_t d = m_baseDay; d < end; ++d) m_workday[static_cast<size_t>(d - m_baseDay)] = weekdayOf(d) <= 5;
    for (const auto& [day, name] : m_holidays) m_workday[static_cast<size_t>(Date::parse(day).days() - m_baseDay)] = 0;
    for (const auto& [day, name] : m_makeup) m_workday[static_cast<size_t>(Date::parse(day).days() - m_baseDay)] = 1;
    m_prefix.resize(m_workday.size() + 1);
    m_prefix[0] = 0;
    for (size_t i = 0; i < m_workday.size(); ++i) m_prefix[i + 1] = m_prefix[i] + m_workday[i];
}

bool WorkCalendar::isWorkdayN(int64_t day) const {
    int64_t i = day - m_baseDay;
    if (i >= 0 && i < static_cast<int64_t>(m_workday.size())) return m_workday[static_cast<size_t>(i)] != 0;
    return weekdayOf(day) <= 5;
}

int64_t WorkCalendar::countWorkdays(int64_t from, int64_t to) const {
    if (from >= to) return 0;
    if (m_workday.empty()) return weekdaysBefore(to) - weekdaysBefore(from);
    const int64_t lo = m_baseDay, hi = m_baseDay + static_cast<int64_t>(m_workday.size());
    int64_t n = 0;
    if (from < lo) n += weekdaysBefore(std::min(to, lo)) - weekdaysBefore(from);
    int64_t a = std::max(from, lo), b = std::min(to, hi);
    if (a < b) n += m_prefix[static_cast<size_t>(b - lo)] - m_prefix[static_cast<size_t>(a - lo)];
    if (to > hi) n += weekdaysBefore(to) - weekdaysBefore(std::max(from, hi));
    return n;
}

bool WorkCalendar::isWorkday(const Date& d) const {
    return isWorkdayN(d.days());
}

std::optional<std::string> WorkCalendar::holidayName(const Date& d) const {
    std::string key = d.str();
    if (auto it = m_holidays.find(key); it != m_holidays.end()) return it->second;
    if (auto it = m_makeup.find(key); it != m_makeup.end()) return it->second;
    return std::nullopt;
}

bool WorkCalendar::isMakeupWorkday(const Date& d) const {
    return m_makeup.count(d.str()) > 0;
}

Date WorkCalendar::addWorkdays(const Date& start, int n) const {
    if (n > kMaxWorkdayOffset || n < -kMaxWorkdayOffset)
        throw ValidationError(trf("calendar.err_offset", {std::to_string(n), std::to_string(kMaxWorkdayOffset)}));
    int64_t day = start.days();
    const int step = n >= 0 ? 1 : -1;
    for (int left = n >= 0 ? n : -n; left > 0;) {
        day += step;
        if (isWorkdayN(day)) --left;
    }
    return Date::fromDays(day);
}

int WorkCalendar::workdaysBetween(const Date& from, const Date& to) const {
    int64_t a = from.days(), b = to.days();
    if (b >= a) return static_cast<int>(countWorkdays(a + 1, b + 1));
    return -static_cast<int>(countWorkdays(b + 1, a + 1));
}

int WorkCalendar::workdaysRemaining(const Date& today, const Date& deadline) const {
    int n = workdaysBetween(today, deadline);
    // Past the deadline over a weekend still counts as overdue.
    if (today > deadline && n == 0) return -1;
    return n;
}

DeadlineLight WorkCalendar::light(const Date& today, const Date& deadline, LightRule rule) const {
    if (today > deadline) return DeadlineLight::Red;
    return workdaysRemaining(today, deadline) <= rule.yellowWithinWorkdays ? DeadlineLight::Yellow
                                                                           : DeadlineLight::Green;
}

std::optional<Date> recountDeadline(const WorkCalendar& cal, const std::string& oldStartIso,
                                    const std::string& newStartIso, const std::string& oldDeadline) {
    auto oldStart = chinaDateOf(oldStartIso), newStart = chinaDateOf(newStartIso);
    auto deadline = Date::tryParse(oldDeadline);
    if (!oldStart || !newStart || !deadline) return std::nullopt;
    return cal.addWorkdays(*newStart, cal.workdaysBetween(*oldStart, *deadline));
}

}  // namespace jc
