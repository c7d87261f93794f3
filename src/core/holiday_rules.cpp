#include "core/holiday_rules.h"

#include <fstream>
#include <set>
#include <vector>

#include "core/dates.h"
#include "core/error.h"
#include "core/i18n.h"

namespace jc {

namespace {
std::string dateField(const Json& y, const char* key, const std::string& year) {
    auto it = y.find(key);
    if (it == y.end() || !it->is_string() || !Date::tryParse(it->get<std::string>()))
        throw ValidationError(trf("calendar.lunar_field", {year, key}));
    return it->get<std::string>();
}

struct Festival {
    const char* name;  // "中文名|English"
    std::vector<Date> days;
};

bool isWeekend(const Date& d) {
    return d.weekday() >= 6;
}
}  // namespace

LunarFestivals LunarFestivals::fromJson(const Json& j) {
    if (!j.is_object() || !j.contains("years") || !j["years"].is_object())
        throw ValidationError(tr("calendar.lunar_shape"));
    LunarFestivals out;
    for (auto it = j["years"].begin(); it != j["years"].end(); ++it) {
        const std::string& key = it.key();
        int year = 0;
        try {
            size_t used = 0;
            year = std::stoi(key, &used);
            if (used != key.size() || key.size() != 4) throw std::invalid_argument(key);
        } catch (const std::exception&) {
            throw ValidationError(trf("calendar.lunar_not_year", {key}));
        }
        if (!it->is_object()) throw ValidationError(trf("calendar.lunar_year_object", {key}));
        out.years[year] = Year{dateField(*it, "spring_festival_eve", key), dateField(*it, "spring_festival", key),
                               dateField(*it, "qingming", key), dateField(*it, "dragon_boat", key),
                               dateField(*it, "mid_autumn", key)};
    }
    return out;
}

LunarFestivals LunarFestivals::load(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw StorageError(trf("calendar.lunar_unreadable", {path}));
    Json j = Json::parse(in, nullptr, false);
    if (j.is_discarded()) throw ValidationError(trf("calendar.lunar_bad_json", {path}));
    return fromJson(j);
}

std::map<std::string, std::string> statutoryHolidays(int year, const LunarFestivals& lunar) {
    if (year < kHolidayRuleFirstYear)
        throw ValidationError(
            trf("calendar.rule_too_early", {std::to_string(kHolidayRuleFirstYear), std::to_string(year)}));
    auto ly = lunar.years.find(year);
    if (ly == lunar.years.end())
        throw ValidationError(
            lunar.years.empty()
                ? trf("calendar.lunar_no_data", {std::to_string(year)})
                : trf("calendar.lunar_no_year", {std::to_string(year), std::to_string(lunar.years.begin()->first),
                                                 std::to_string(lunar.years.rbegin()->first)}));
    const auto& l = ly->second;
    Date eve = Date::parse(l.springFestivalEve), first = Date::parse(l.springFestival);
    std::vector<Festival> festivals = {
        {"元旦|New Year's Day", {Date{year, 1, 1}}},
        {"春节|Spring Festival", {eve, first, first.plusDays(1), first.plusDays(2)}},
        {"清明|Tomb-sweeping Day", {Date::parse(l.qingming)}},
        {"劳动节|Labour Day", {Date{year, 5, 1}, Date{year, 5, 2}}},
        {"端午|Dragon Boat Festival", {Date::parse(l.dragonBoat)}},
        {"国庆节|National Day", {Date{year, 10, 1}, Date{year, 10, 2}, Date{year, 10, 3}}},
        {"中秋|Mid-autumn Festival", {Date::parse(l.midAutumn)}},
    };
    std::map<std::string, std::string> out;
    std::set<int64_t> taken;
    // First every statutory day, so a later festival's 补假 never lands on an earlier one's day.
    std::vector<int> owed(festivals.size(), 0);
    for (size_t i = 0; i < festivals.size(); ++i)
        for (const Date& d : festivals[i].days) {
            if (isWeekend(d) || taken.count(d.days())) ++owed[i];
            if (taken.insert(d.days()).second) out[d.str()] = festivals[i].name;
        }
    for (size_t i = 0; i < festivals.size(); ++i) {
        Date d = festivals[i].days.back();
        for (int n = owed[i]; n > 0;) {
            d = d.plusDays(1);
            if (isWeekend(d) || taken.count(d.days())) continue;
            taken.insert(d.days());
            std::string name = festivals[i].name;
            auto bar = name.find('|');
            out[d.str()] = name.substr(0, bar) + "（补假）|" + name.substr(bar + 1) + " (day in lieu)";
            --n;
        }
    }
    return out;
}

}  // namespace jc
