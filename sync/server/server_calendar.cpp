#include "sync/server/server_calendar.h"

#include <algorithm>
#include <filesystem>
#include <mutex>

#include "core/assets.h"
#include "core/error.h"
#include "core/holiday_rules.h"

namespace jc::server {

namespace {

namespace fs = std::filesystem;

struct Bundled {
    Json days;  // the official years of every assets/calendar/*.json, merged
    LunarFestivals lunar;
};

const Bundled& bundled() {
    static std::once_flag once;
    static Bundled b;
    std::call_once(once, [] {
        const fs::path dir = assetsDir() / "calendar";
        b.days = {{"holidays", Json::object()}, {"makeup_workdays", Json::object()}};
        std::error_code ec;
        for (const auto& e : fs::directory_iterator(dir, ec)) {
            if (e.path().extension() != ".json") continue;
            Json j = WorkCalendar::load(e.path().string()).toJson();
            for (const char* k : {"holidays", "makeup_workdays"})
                if (j.contains(k)) b.days[k].update(j[k]);
        }
        if (ec) throw StorageError("cannot read the calendar directory " + dir.string() + ": " + ec.message());
        b.lunar = LunarFestivals::load((dir / "lunar" / "lunar-festivals-2004-2100.json").string());
    });
    return b;
}

// A published list of days: ["YYYY-MM-DD", …] or {"YYYY-MM-DD": name}.
std::map<std::string, std::string> days(const Json& v, int year) {
    std::map<std::string, std::string> out;
    auto add = [&](const std::string& d, const std::string& name) {
        if (auto date = Date::tryParse(d); date && date->year == year) out[d] = name;
    };
    if (v.is_array()) {
        for (const auto& d : v)
            if (d.is_string()) add(d.get<std::string>(), "");
    } else if (v.is_object()) {
        for (auto it = v.begin(); it != v.end(); ++it)
            if (it->is_string()) add(it.key(), it->get<std::string>());
    }
    return out;
}

}  // namespace

WorkCalendar serverCalendar(StorageTx& tx) {
    const Bundled& b = bundled();
    WorkCalendar cal = WorkCalendar::fromJson(b.days);
    // Published years in the order they were written (the latest publication of a year wins).
    std::map<int, std::pair<int64_t, const Record*>> latest;
    auto published = tx.records("calendar_year");
    for (const auto& r : published) {
        if (r.value("deleted") == true || r.value("deleted") == 1 || !r.value("year").is_number_integer()) continue;
        int year = r.value("year").get<int>();
        int64_t version = 0;
        for (const auto& [name, f] : r.fields) version = std::max(version, f.version);
        auto& slot = latest[year];
        if (!slot.second || version > slot.first) slot = {version, &r};
    }
    for (const auto& [year, entry] : latest) {
        try {
            cal.setPublishedYear(year, days(entry.second->value("holidays"), year),
                                 days(entry.second->value("makeup_workdays"), year));
        } catch (const Error&) {
            // The applier validated the record's fields; a mix it let through is skipped, not fatal.
        }
    }
    cal.addRuleYears(b.lunar);
    return cal;
}

}  // namespace jc::server
