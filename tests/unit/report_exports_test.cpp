// The statistics table as exported from the 统计分析 view (report::exportStatistics): the same
// rows, values (money in yuan) and totals as the result on screen, read back by openpyxl and by
// Python's csv module; CSV quoting follows RFC 4180.
#include <catch2/catch.hpp>

#include "app/context.h"
#include "demo/demo_data.h"
#include "app/setup.h"
#include "core/error.h"
#include "report/csv_sink.h"
#include "report/exports.h"
#include "support/run_process.h"

using namespace jc;
using namespace jc::test;

TEST_CASE("a statistics table exports as shown, to XLSX and CSV", "[report]") {
    TempDir dir("report_exports");
    Store store((dir.path / "jiancha.db").string());
    InitOptions init;
    init.userName = "hq";
    init.role = Role::HqAdmin;
    initStore(store, init);
    Date today{2026, 6, 30};
    AppContext ctx{store, loadActor(store, "hq"), calendarFromStore(store), today};
    DemoOptions opt;
    opt.findings = 40;
    opt.complaints = 15;
    opt.today = today;
    generateDemoData(ctx, opt);

    StatsResult r = computeStatistics(store.db(), *ctx.calendar, today, {{"county"}, {"findings", "amount_owed", "completion_rate"}, {}});
    REQUIRE_FALSE(r.rows.empty());
    auto xlsx = dir.path / "统计.xlsx";
    auto csv = dir.path / "统计.csv";
    CHECK(report::exportStatistics(ctx, r, {}, report::ExportFormat::Xlsx, xlsx, "hq").rows == static_cast<int64_t>(r.rows.size()));
    report::exportStatistics(ctx, r, {}, report::ExportFormat::Csv, csv, "hq");

    auto script = dir.write("read.py", R"PY(
import sys, json, csv, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb["统计表"]
rows = [[c.value for c in row] for row in ws.iter_rows()]
with open(sys.argv[2], newline='', encoding='utf-8-sig') as f:
    c = list(csv.reader(f))
print(json.dumps({"sheets": wb.sheetnames, "rows": rows, "csv": c}, ensure_ascii=False))
)PY");
    ProcessResult p = runProcess("/usr/bin/python3", {script.string(), xlsx.string(), csv.string()});
    INFO(p.err);
    REQUIRE(p.code == 0);
    Json j = Json::parse(p.out);
    CHECK(j["sheets"][0] == "导出说明");
    const Json& rows = j["rows"];
    REQUIRE(rows.size() == r.rows.size() + 2);  // header, rows, 合计
    CHECK(rows[0][0] == "县区");
    CHECK(rows[0][2] == "拖欠工资（元）");
    for (size_t i = 0; i < r.rows.size(); ++i) {
        CHECK(rows[i + 1][0] == r.rows[i].labels[0]);
        CHECK(rows[i + 1][1].get<double>() == r.rows[i].values[0]);
        CHECK(rows[i + 1][2].get<double>() == Approx(r.rows[i].values[1] / 100.0));
        CHECK(rows[i + 1][3].get<double>() == Approx(r.rows[i].values[2] / 100.0));  // a percentage cell holds the fraction
    }
    CHECK(rows.back()[0] == "合计");
    CHECK(rows.back()[1].get<double>() == r.totals[0]);
    const Json& c = j["csv"];
    CHECK(c[1][0] == "县区");
    CHECK(c.size() == r.rows.size() + 3);  // title line, header, rows, 合计
    CHECK(c.back()[0] == "合计");

    CHECK(report::CsvSink::quote("甘州区") == "甘州区");
    CHECK(report::CsvSink::quote("a,b") == "\"a,b\"");
    CHECK(report::CsvSink::quote("他说\"好\"") == "\"他说\"\"好\"\"\"");
    CHECK(report::CsvSink::quote("两\n行") == "\"两\n行\"");
    // A destination that cannot be written: a clear error and no file.
    CHECK_THROWS_AS(report::exportStatistics(ctx, r, {}, report::ExportFormat::Csv, dir.path / "no" / "such" / "dir.csv", "hq"), StorageError);
}
