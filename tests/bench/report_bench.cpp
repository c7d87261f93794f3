// Report benchmark: statistics, the 统计分析 view's recompute, exports and the circular over the
// demo store of 100,000 findings (tests/ui/demo_store.h, shared with ui_bench).
//   report_bench [--dir DIR] [--runs N] [--skip-export]
// Prints one JSON object. For every statistics query: our median time beside a reference, the
// plain SQLite GROUP BY count of the same dimension (what the numbers cost at the least). Then
// the view's recompute (aim ≤ 300 ms), `jiancha export findings` to XLSX and CSV as a separate
// process (aim ≤ 10 s and ≤ 300 MB peak resident for XLSX) and `jiancha report circular` for
// one month (aim ≤ 2 s). Progress goes to stderr.
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fcntl.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "app/statistics.h"
#include "app/statistics_facts.h"
#include "core/args.h"
#include "core/error.h"
#include "report/circular.h"
#include "ui/demo_store.h"

using namespace jc;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

double msSince(Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); }

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

// Runs the jiancha binary and returns {wall ms, peak RSS MB} of that process. The peak is the
// program's own VmHWM (/proc/PID/status, sampled every 5 ms until it exits): the child's
// ru_maxrss would include this benchmark's own peak, which the kernel carries over at exec
// (fork and posix_spawn alike).
std::pair<double, double> runJiancha(const std::vector<std::string>& args) {
    auto t0 = Clock::now();
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(JIANCHA_BIN));
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    pid_t pid = 0;
    int rc = posix_spawn(&pid, JIANCHA_BIN, &fa, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0) {
        std::fprintf(stderr, "cannot run %s: %s\n", JIANCHA_BIN, std::strerror(rc));
        return {0, 0};
    }
    int status = 0;
    double peakKb = 0;
    std::string statusFile = "/proc/" + std::to_string(pid) + "/status";
    while (waitpid(pid, &status, WNOHANG) == 0) {
        if (FILE* f = std::fopen(statusFile.c_str(), "r")) {
            char line[256];
            while (std::fgets(line, sizeof line, f))
                if (std::strncmp(line, "VmHWM:", 6) == 0) peakKb = std::max(peakKb, std::atof(line + 6));
            std::fclose(f);
        }
        usleep(5000);
    }
    double ms = msSince(t0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) std::fprintf(stderr, "jiancha %s failed\n", args.empty() ? "" : args[2].c_str());
    return {ms, peakKb / 1024.0};
}

}  // namespace

int main(int argc, char** argv) {
    fs::path dir = fs::path(JIANCHA_BUILD_DIR) / "ui-demo-store";  // shared with ui_bench and the screenshots
    int runs = 5;
    bool exports = true;
    try {
        Args a(argc, argv, {"dir", "runs"}, {"skip-export"});
        a.maxPositional(0);
        dir = a.optOr("dir", dir.string());
        runs = a.intOpt("runs", runs, 1, 1000);
        exports = !a.flag("skip-export");
    } catch (const Error& e) {
        std::fprintf(stderr, "report_bench: %s\nusage: report_bench [--dir DIR] [--runs N] [--skip-export]\n", e.what());
        return 2;
    }
    test::ensureDemoStore(dir, 100'000);
    Date today = Date::parse(test::kDemoToday);
    Store store((dir / "jiancha.db").string());
    auto cal = calendarFromStore(store);
    Database& db = store.db();
    int64_t findings = db.queryInt("SELECT count(*) FROM finding WHERE deleted = 0");
    Json out = {{"findings", findings}, {"runs", runs}, {"today", today.str()}};

    // [SECTION] Every statistics query
    FindingFilter all;
    FindingFilter month;
    month.dateFrom = "2026-04-01";
    month.dateTo = "2026-04-30";
    struct Case {
        std::string name;
        StatsQuery q;
        std::string referenceSql;  // plain count of the same grouping ("" = none)
    };
    std::vector<Case> cases;
    static const std::map<std::string, std::string> kRef = {
        {"county", "substr(region_code, 1, 6)"}, {"township", "substr(region_code, 1, 9)"}, {"category", "category"},
        {"area", "area"}, {"unit", "subject_unit_id"}, {"inspector", "assignee"}, {"month", "substr(date(created_at, '+8 hours'), 1, 7)"},
        {"week", "date(created_at, '+8 hours', 'weekday 0', '-6 days')"}};
    for (const auto& d : statsDimensions()) {
        std::string code = d.code;
        std::string ref = kRef.count(code) ? "SELECT " + kRef.at(code) + ", count(*) FROM finding WHERE deleted = 0 GROUP BY 1" : "";
        if (code == "misconduct")
            ref = "SELECT m.value, count(*) FROM finding f, json_each(f.misconduct_types) m WHERE f.deleted = 0 GROUP BY 1";
        cases.push_back({"findings by " + code, {{code}, {"findings"}, all}, ref});
    }
    cases.push_back({"county x category", {{"county", "category"}, {"findings"}, all},
                     "SELECT substr(region_code, 1, 6), category, count(*) FROM finding WHERE deleted = 0 GROUP BY 1, 2"});
    cases.push_back({"amounts by county", {{"county"}, {"amount_owed", "amount_paid", "compensation_due", "compensation_paid", "households", "workers"}, all},
                     "SELECT substr(region_code, 1, 6), sum(json_extract(field_values, '$.amount_owed')) FROM finding WHERE deleted = 0 GROUP BY 1"});
    cases.push_back({"severity by category", {{"category"}, {"severity_low", "severity_medium", "severity_high", "severity_critical"}, all}, ""});
    cases.push_back({"complaint rates by county", {{"county"}, {"complaints", "complaints_replied", "complaints_closed", "response_rate", "completion_rate", "on_time_rate", "avg_days_reply", "avg_days_close"}, all}, ""});
    cases.push_back({"rectifications by county", {{"county"}, {"rect_ordered", "rect_reported", "rect_verified", "rect_overdue"}, all}, ""});
    cases.push_back({"warnings by unit", {{"unit"}, {"warnings", "warnings_acknowledged"}, all}, ""});
    cases.push_back({"one month by county", {{"county"}, {"findings", "amount_owed"}, month},
                     "SELECT substr(region_code, 1, 6), count(*) FROM finding WHERE deleted = 0 AND created_at >= '2026-03-31T16:00:00.000Z' AND created_at < '2026-04-30T16:00:00.000Z' GROUP BY 1"});
    // The 统计分析 view counts over the in-memory facts (app/statistics_facts.h): loaded once per
    // store generation, then every query runs in memory. Loaded here before the timings.
    StatsFactCache facts;
    facts.facts(db);
    std::fprintf(stderr, "fact cache loaded in %.0f ms\n", facts.lastLoadMs());
    out["fact_cache_load_ms"] = facts.lastLoadMs();
    Json q = Json::array();
    for (const auto& c : cases) {
        std::vector<double> ours, ref, cached;
        size_t rows = 0;
        for (int r = 0; r < runs; ++r) {
            auto t0 = Clock::now();
            StatsResult res = computeStatistics(db, *cal, today, c.q);
            ours.push_back(msSince(t0));
            rows = res.rows.size();
            auto tc = Clock::now();
            StatsResult viaFacts = computeStatistics(db, *cal, today, c.q, &facts);
            cached.push_back(msSince(tc));
            if (viaFacts.totals != res.totals || viaFacts.rows.size() != res.rows.size()) {
                std::fprintf(stderr, "%s: the fact cache and SQL disagree\n", c.name.c_str());
                return 1;
            }
            if (!c.referenceSql.empty()) {
                auto t1 = Clock::now();
                auto s = db.prepare(c.referenceSql);
                while (s.step()) {
                }
                ref.push_back(msSince(t1));
            }
        }
        Json j = {{"query", c.name}, {"rows", rows}, {"ours_median_ms", median(ours)}, {"ours_cached_median_ms", median(cached)}};
        if (!ref.empty()) j["reference_sql_median_ms"] = median(ref);
        std::fprintf(stderr, "%-28s %8.1f ms SQL, %6.1f ms cached  (plain SQL %s)\n", c.name.c_str(), median(ours), median(cached),
                     ref.empty() ? "-" : std::to_string(median(ref)).c_str());
        q.push_back(j);
    }
    out["statistics"] = q;

    // [SECTION] The view's recompute (last 90 days, ranking by county, the default pivot)
    {
        FindingFilter f;
        f.dateFrom = today.plusDays(-89).str();
        f.dateTo = today.str();
        StatsQuery pivot{{"county"}, {"findings", "severity_high", "amount_owed", "complaints", "completion_rate", "rect_overdue"}, {}};
        // What the view does (the fact cache), and the same figures by SQL alone.
        std::vector<double> times, allTime, sqlTimes, sqlAllTime;
        for (int r = 0; r < runs; ++r) times.push_back(computeDashboard(db, *cal, today, f, false, pivot, &facts).ms);
        for (int r = 0; r < runs; ++r) allTime.push_back(computeDashboard(db, *cal, today, FindingFilter{}, false, pivot, &facts).ms);
        for (int r = 0; r < runs; ++r) sqlTimes.push_back(computeDashboard(db, *cal, today, f, false, pivot).ms);
        for (int r = 0; r < runs; ++r) sqlAllTime.push_back(computeDashboard(db, *cal, today, FindingFilter{}, false, pivot).ms);
        double worst = std::max(median(times), median(allTime));
        out["view_recompute"] = {{"last_90_days_median_ms", median(times)}, {"all_time_median_ms", median(allTime)},
                                 {"sql_only_last_90_days_median_ms", median(sqlTimes)}, {"sql_only_all_time_median_ms", median(sqlAllTime)},
                                 {"fact_cache_load_ms", facts.lastLoadMs()}, {"aim_ms", 300}, {"met", worst <= 300}};
        std::fprintf(stderr, "view recompute: 90 days %.0f ms, all time %.0f ms (aim 300 ms: %s); SQL only %.0f / %.0f ms\n", median(times),
                     median(allTime), worst <= 300 ? "met" : "MISSED", median(sqlTimes), median(sqlAllTime));
    }

    // [SECTION] Circular in process (one month)
    {
        AppContext ctx{store, loadActor(store, "总部管理员"), cal, today};
        report::CircularOptions opt;
        opt.from = Date::parse("2026-04-01");
        opt.to = Date::parse("2026-04-30");
        opt.number = "张监通〔2026〕5号";
        std::vector<double> build, layout, pdf;
        int pages = 0;
        fs::path tmp = fs::temp_directory_path() / "report_bench_circular.pdf";
        for (int r = 0; r < runs; ++r) {
            auto t0 = Clock::now();
            report::Circular c = report::buildCircular(ctx, opt);
            build.push_back(msSince(t0));
            auto t1 = Clock::now();
            report::DocumentLayout l(c.document);
            layout.push_back(msSince(t1));
            auto t2 = Clock::now();
            l.writePdf(tmp);
            pdf.push_back(msSince(t2));
            pages = l.pageCount();
        }
        double total = median(build) + median(layout) + median(pdf);
        out["circular"] = {{"pages", pages}, {"statistics_ms", median(build)}, {"layout_ms", median(layout)}, {"pdf_ms", median(pdf)},
                           {"total_ms", total}, {"aim_ms", 2000}, {"met", total <= 2000}};
        std::fprintf(stderr, "circular: %d pages, %.0f ms\n", pages, total);
        fs::remove(tmp);
    }

    // [SECTION] Exports as a user runs them (separate processes: wall time and peak memory)
    if (exports) {
        fs::path tmp = fs::temp_directory_path() / "report_bench_export";
        fs::create_directories(tmp);
        auto [xMs, xMb] = runJiancha({"--data-dir", dir.string(), "export", "findings", "--format", "xlsx", "--out", (tmp / "f.xlsx").string()});
        auto [cMs, cMb] = runJiancha({"--data-dir", dir.string(), "export", "findings", "--format", "csv", "--out", (tmp / "f.csv").string()});
        auto [pMs, pMb] = runJiancha({"--data-dir", dir.string(), "report", "circular", "--from", "2026-04-01", "--to", "2026-04-30", "--out",
                                      (tmp / "c.pdf").string()});
        out["export_xlsx"] = {{"rows", findings}, {"seconds", xMs / 1000}, {"peak_rss_mb", xMb}, {"bytes", fs::file_size(tmp / "f.xlsx")},
                              {"aim_seconds", 10}, {"aim_peak_rss_mb", 300}, {"met", xMs <= 10'000 && xMb <= 300}};
        out["export_csv"] = {{"rows", findings}, {"seconds", cMs / 1000}, {"peak_rss_mb", cMb}, {"bytes", fs::file_size(tmp / "f.csv")}};
        out["circular_cli"] = {{"seconds", pMs / 1000}, {"peak_rss_mb", pMb}, {"aim_seconds", 2}, {"met", pMs <= 2000}};
        std::fprintf(stderr, "xlsx %.1f s %.0f MB (aim 10 s, 300 MB: %s); csv %.1f s %.0f MB; circular %.2f s (aim 2 s: %s)\n", xMs / 1000,
                     xMb, xMs <= 10'000 && xMb <= 300 ? "met" : "MISSED", cMs / 1000, cMb, pMs / 1000, pMs <= 2000 ? "met" : "MISSED");
        fs::remove_all(tmp);
    }
    std::printf("%s\n", out.dump(2).c_str());
    return 0;
}
