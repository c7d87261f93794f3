// `jiancha stats`: the statistics of the 统计分析 view on the command line (app/statistics.h).
#include <cmath>
#include <iostream>
#include <sstream>

#include "app/statistics.h"
#include "cli/env.h"
#include "cli/filter_args.h"
#include "core/error.h"

namespace jc::cli {

namespace {
const char* measureLabel(const MeasureInfo& m) { return i18n().english() ? m.en : m.zh; }

// A row's label for people: the app's Chinese label, or in English the code's English label
// (categories, areas, misconduct types), the month or week as a date; names stay as they are.
std::string cellLabel(const std::string& dim, const std::string& key, const std::string& zhLabel) {
    if (key.empty()) return tr("cli.stats.unset");
    if (dim == "category") return codeLabel(categories(), key);
    if (dim == "area") return codeLabel(areas(), key);
    if (dim == "misconduct") return codeLabel(misconductTypes(), key);
    if (!i18n().english()) return zhLabel;
    if (dim == "month") return key;
    if (dim == "week") return trf("cli.stats.week", {key});
    return zhLabel;
}

Json resultJson(const StatsResult& r) {
    Json measures = Json::array(), rows = Json::array(), totals = Json::object();
    for (const auto& m : r.measures)
        measures.push_back({{"code", m.code}, {"label", m.zh}, {"unit", m.kind == MeasureKind::Money ? "fen"
                                                                         : m.kind == MeasureKind::Rate ? "percent"
                                                                         : m.kind == MeasureKind::Days ? "workdays" : "count"}});
    auto values = [&](const std::vector<double>& v) {
        Json o = Json::object();
        for (size_t i = 0; i < r.measures.size(); ++i) {
            if (r.measures[i].kind == MeasureKind::Count || r.measures[i].kind == MeasureKind::Money)
                o[r.measures[i].code] = static_cast<int64_t>(std::llround(v[i]));
            else
                o[r.measures[i].code] = std::round(v[i] * 100) / 100;
        }
        return o;
    };
    for (const auto& row : r.rows) {
        Json keys = Json::array(), labels = Json::array();
        for (size_t i = 0; i < row.keys.size(); ++i) keys.push_back(row.keys[i]), labels.push_back(row.labels[i]);
        rows.push_back({{"keys", keys}, {"labels", labels}, {"values", values(row.values)}});
    }
    return {{"dimensions", r.dimensions}, {"measures", measures}, {"rows", rows}, {"totals", values(r.totals)},
            {"date_basis", r.dateBasis}, {"notes", r.notes}};
}
}  // namespace

int runStats(Env& env, const std::vector<std::string>& args) {
    if (wantsHelp(args)) {
        std::cout << tr("cli.help.stats");
        for (const auto& m : statsMeasures()) std::cout << "  " << padRight(m.code, 22) << measureLabel(m) << "\n";
        std::cout << tr("cli.help.stats_tail") << filterHelp();
        return 0;
    }
    Args a(args, withFilterOptions({"by", "measure"}), filterFlags());
    a.maxPositional(0);
    AppContext& ctx = env.ctx();
    StatsQuery q;
    q.dimensions = splitList(a.optOr("by", ""));
    q.measures = splitList(a.optOr("measure", "findings"));
    q.filter = filterFromArgs(a, ctx.store);
    StatsResult r = computeStatistics(ctx.store.db(), *ctx.calendar, ctx.today(), q);
    if (env.json) {
        Json j = resultJson(r);
        j["filter"] = describeFilter(ctx.store.db(), q.filter);
        printJson(j);
        return 0;
    }
    std::vector<std::string> headers;
    for (const auto& d : r.dimensions) headers.push_back(i18n().label(findDimension(d)));
    for (const auto& m : r.measures) headers.push_back(measureLabel(m));
    std::vector<std::vector<std::string>> table;
    for (const auto& row : r.rows) {
        std::vector<std::string> line;
        for (size_t i = 0; i < row.keys.size(); ++i) line.push_back(cellLabel(r.dimensions[i], row.keys[i], row.labels[i]));
        for (size_t i = 0; i < r.measures.size(); ++i) line.push_back(formatMeasure(r.measures[i], row.values[i]));
        table.push_back(std::move(line));
    }
    std::vector<std::string> total(r.dimensions.size(), "");
    if (!total.empty()) total[0] = tr("stats.total");
    for (size_t i = 0; i < r.measures.size(); ++i) total.push_back(formatMeasure(r.measures[i], r.totals[i]));
    table.push_back(std::move(total));
    std::cout << describeFilter(ctx.store.db(), q.filter) << "\n";
    printTable(headers, table);
    for (const auto& n : r.notes) std::cout << trf("cli.stats.note", {n}) << "\n";
    return 0;
}

}  // namespace jc::cli
