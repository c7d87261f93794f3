#include "app/calendar_commands.h"

#include <mutex>

#include "app/case_history.h"
#include "core/i18n.h"
#include "core/assets.h"
#include "core/error.h"
#include "core/workflow.h"
#include "store/reference_data.h"
#include "store/writer.h"

namespace jc {

namespace {
const LunarFestivals& lunarFestivals() {
    static std::once_flag once;
    static LunarFestivals data;
    std::call_once(once, [] {
        data = LunarFestivals::load((assetsDir() / "calendar" / "lunar" / "lunar-festivals-2004-2100.json").string());
    });
    return data;
}

std::map<std::string, std::string> readDays(const Json& v, const std::string& what, int year) {
    std::map<std::string, std::string> out;
    if (v.is_null()) return out;
    if (v.is_array()) {
        for (const auto& d : v) {
            if (!d.is_string()) throw ValidationError(trf("calendar.err_dates_list", {what}));
            out[d.get<std::string>()] = "";
        }
    } else if (v.is_object()) {
        for (auto it = v.begin(); it != v.end(); ++it) {
            if (!it->is_string()) throw ValidationError(trf("calendar.err_day_name", {what, it.key()}));
            out[it.key()] = it->get<std::string>();
        }
    } else {
        throw ValidationError(trf("calendar.err_days_shape", {what}));
    }
    for (const auto& [day, name] : out) {
        if (!Date::tryParse(day)) throw ValidationError(trf("calendar.err_not_date", {what, day}));
        if (Date::parse(day).year != year)
            throw ValidationError(trf("calendar.err_other_year", {what, day, std::to_string(year)}));
    }
    return out;
}

struct Published {
    int year;
    std::map<std::string, std::string> holidays, makeup;
    std::string id, by, at;
};

std::map<int, Published> publishedYears(Database& db) {
    std::map<int, Published> out;
    auto s = db.prepare(
        "SELECT id, year, coalesce(holidays, '{}'), coalesce(makeup_workdays, '{}'), coalesce(published_by, "
        "created_by), "
        "updated_at FROM calendar_year WHERE deleted = 0 ORDER BY year, updated_at, id");
    while (s.step()) {
        int year = static_cast<int>(s.getInt(1));
        try {
            Published p{year,
                        readDays(Json::parse(s.getText(2)), "holidays", year),
                        readDays(Json::parse(s.getText(3)), "makeup_workdays", year),
                        s.getText(0),
                        s.getText(4),
                        s.getText(5)};
            out[year] = std::move(p);  // the latest publication of a year wins
        } catch (const std::exception&) {
            // A damaged record cannot come from our writers (they validate); skip it rather than
            // lose the whole calendar.
        }
    }
    return out;
}

std::string chinaDateOfTimestamp(const std::string& iso) {
    auto d = chinaDateOf(iso);
    return d ? d->str() : std::string();
}

// Moves the deadlines of open cases from `before` to `after`, keeping their working days.
void recompute(AppContext& ctx, ChangeWriter& w, const WorkCalendar& before, const WorkCalendar& after, int year,
               PublishResult& res) {
    struct Item {
        std::string entity, id, start, deadline;
        int workdays = -1;  // known (approvals); else derived from `before`
    };
    std::vector<Item> items;
    auto collect = [&](const std::string& entity, const std::string& sql) {
        auto s = ctx.store.db().prepare(sql);
        while (s.step()) {
            Item it{entity, s.getText(0), s.getText(1), s.getText(2)};
            if (!s.isNull(3)) it.workdays = static_cast<int>(s.getInt(3));
            items.push_back(std::move(it));
        }
    };
    collect("complaint",
            "SELECT id, received_at, deadline, NULL FROM complaint WHERE deleted = 0 AND status != 'closed' AND "
            "deadline IS NOT NULL");
    collect("rectification",
            "SELECT id, created_at, deadline, NULL FROM rectification WHERE deleted = 0 "
            "AND status IN ('ordered', 'overdue', 'reported_done') AND deadline IS NOT NULL");
    collect("approval",
            "SELECT id, received_at, deadline, promised_workdays FROM approval WHERE deleted = 0 "
            "AND finished_at IS NULL AND deadline IS NOT NULL");
    for (const auto& it : items) {
        std::string startDay = chinaDateOfTimestamp(it.start);
        auto oldDeadline = Date::tryParse(it.deadline);
        if (startDay.empty() || !oldDeadline) continue;
        Date start = Date::parse(startDay);
        // Only deadlines whose counting touches the published year can move.
        if (std::max(start.year, oldDeadline->year) < year) continue;
        int n = it.workdays >= 0 ? it.workdays : before.workdaysBetween(start, *oldDeadline);
        if (n < 0) continue;
        Date moved = after.addWorkdays(start, n);
        if (moved == *oldDeadline) continue;
        w.update(it.entity, it.id, {{"deadline", moved.str()}});
        if (it.entity == "approval") {
            ++res.approvalsMoved;
            continue;
        }
        ++res.casesMoved;
        recordCaseEvent(
            w, it.entity, it.id, "deadline_recomputed", "", "",
            "期限因" + std::to_string(year) + "年放假安排发布而调整：" + oldDeadline->str() + " → " + moved.str(),
            {{"from", oldDeadline->str()}, {"to", moved.str()}, {"year", year}, {"workdays", n}});
    }
}
}  // namespace

WorkCalendar buildCalendar(Store& store) {
    WorkCalendar cal = WorkCalendar::fromJson(calendarJson(store.db()));
    for (const auto& [year, p] : publishedYears(store.db())) cal.setPublishedYear(year, p.holidays, p.makeup);
    cal.addRuleYears(lunarFestivals());
    return cal;
}

std::string calendarSignature(Store& store) {
    auto& s = store.db().cached("SELECT count(*), coalesce(max(updated_at), '') FROM calendar_year");
    std::string sig = s.step() ? std::to_string(s.getInt(0)) + "|" + s.getText(1) : std::string("0|");
    s.reset();
    return sig;
}

std::vector<CalendarYearInfo> calendarYears(Store& store, const WorkCalendar& cal, int fromYear, int toYear) {
    auto published = publishedYears(store.db());
    std::vector<CalendarYearInfo> out;
    for (int y = fromYear; y <= toYear; ++y) {
        CalendarYearInfo info;
        info.year = y;
        info.source = std::string(yearSourceCode(cal.yearSource(y)));
        if (auto it = published.find(y); it != published.end()) {
            info.published = true;
            info.publishedBy = it->second.by;
            info.publishedAt = it->second.at;
        }
        std::string prefix = std::to_string(y) + "-";
        for (auto it = cal.holidays().lower_bound(prefix);
             it != cal.holidays().end() && it->first.rfind(prefix, 0) == 0; ++it)
            ++info.holidays;
        for (auto it = cal.makeupDays().lower_bound(prefix);
             it != cal.makeupDays().end() && it->first.rfind(prefix, 0) == 0; ++it)
            ++info.makeupWorkdays;
        out.push_back(std::move(info));
    }
    return out;
}

std::string byRuleNote(const WorkCalendar& cal, const Date& from, const Date& to, bool english) {
    auto years = cal.ruleYearsBetween(from, to);
    if (years.empty()) return {};
    std::string s;
    for (int y : years) s += (s.empty() ? "" : ", ") + std::to_string(y);
    return s + (english ? " by rule" : " 按规则推算");
}

PublishResult publishCalendarYear(AppContext& ctx, const Json& a) {
    ctx.requireRole(kHq, tr("context.do.publish_calendar"));
    if (!a.is_object()) throw ValidationError(tr("calendar.err_object"));
    if (!a.contains("year") || !a["year"].is_number_integer())
        throw ValidationError(tr("calendar.err_year"));
    const int year = a["year"].get<int>();
    if (year < 2004 || year > 2100) throw ValidationError(trf("calendar.err_year_range", {std::to_string(year)}));
    if (!a.contains("holidays")) throw ValidationError(tr("calendar.err_no_holidays_key"));
    auto holidays = readDays(a["holidays"], "holidays", year);
    auto makeup = readDays(a.value("makeup_workdays", Json()), "makeup_workdays", year);
    if (holidays.empty()) throw ValidationError(trf("calendar.err_no_holiday", {std::to_string(year)}));
    for (const auto& [day, name] : makeup) {
        if (holidays.count(day)) throw ValidationError(trf("calendar.err_both", {day}));
        if (Date::parse(day).weekday() <= 5)
            throw ValidationError(trf("calendar.err_makeup_weekday", {day}));
    }
    std::string note = a.value("note", std::string());

    const WorkCalendar before = *ctx.calendar;
    WorkCalendar after = before;
    after.setPublishedYear(year, holidays, makeup);

    Json hj = Json::object(), mj = Json::object();
    for (const auto& [d, n] : holidays) hj[d] = n;
    for (const auto& [d, n] : makeup) mj[d] = n;
    FieldMap f = {{"year", year}, {"holidays", hj}, {"makeup_workdays", mj}, {"published_by", ctx.actor.name}};
    if (!note.empty()) f["note"] = note;

    PublishResult res;
    res.year = year;
    Transaction tx(ctx.store.db());
    ChangeWriter w(ctx.store, tx, ctx.actor.name);
    auto existing = publishedYears(ctx.store.db());
    if (auto it = existing.find(year); it != existing.end()) {
        res.id = it->second.id;
        w.update("calendar_year", res.id, f);
    } else {
        res.id = w.insert("calendar_year", f);
    }
    recompute(ctx, w, before, after, year, res);
    tx.commit();
    ctx.calendar = std::make_shared<const WorkCalendar>(std::move(after));
    return res;
}

}  // namespace jc
