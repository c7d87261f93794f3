// An efficiency evaluation exported by the real `jiancha` binary and read back by real readers:
// the XLSX by openpyxl (Debian's python3-openpyxl), the PDF by poppler (pdftotext, pdfinfo).
// Both hold exactly the ranking `jiancha evaluation show --json` gives; an evaluation that was
// never run is refused and leaves no file.
#include <catch2/catch.hpp>

#include <filesystem>

#include "support/jiancha_cli.h"

using namespace jc;
using namespace jc::test;

namespace {

const char* kScheme = R"({
  "title": "2026年第四季度行政效能评估",
  "indicators": [
    {"source": "manual", "code": "public_review", "label": "群众评议", "weight": 70,
     "rule": {"kind": "linear", "floor": 50, "target": 100}},
    {"source": "manual", "code": "inspection", "label": "明察暗访", "weight": 30, "rule": {"kind": "rank"}}
  ],
  "grades": {"excellent": 80, "good": 60, "fair": 40},
  "units": ["甘州区市场监督管理局", "党寨镇人民政府", "甘州区住房和城乡建设局", "民乐县洪水镇人民政府"]
})";

std::string run(const std::string& program, const std::vector<std::string>& args) {
    ProcessResult r = runProcess(program, args);
    INFO(program << ": " << r.err);
    REQUIRE(r.code == 0);
    return r.out;
}

}  // namespace

TEST_CASE("evaluation export: XLSX and PDF hold the ranking the CLI shows", "[cli][evaluation][export]") {
    JianchaCli cli;
    cli.today = "2026-12-02";
    cli.ok({"init", "--user", "王局", "--role", "hq_admin"});
    std::string campaign = cli.ok({"campaign", "add", "--title", "2026年张掖市行政效能专项监察", "--prefix", "张监"});
    const std::vector<std::tuple<std::string, std::string, std::string>> units = {
        {"甘州区市场监督管理局", "92", "85"}, {"党寨镇人民政府", "74", "90"},
        {"甘州区住房和城乡建设局", "55", "60"}, {"民乐县洪水镇人民政府", "81", "70"}};
    for (const auto& [name, review, visit] : units)
        cli.ok({"unit", "add", "--name", name, "--kind", name.find("政府") != std::string::npos ? "township_gov" : "department"});
    std::string id = cli.ok({"evaluation", "scheme", "add", "--campaign", campaign, "--period", "2026-Q4", "--file",
                             cli.dir.write("scheme.json", kScheme).string()});
    TempDir out("evalexport");
    auto xlsx = out.path / "效能评估.xlsx";
    auto pdf = out.path / "效能评估.pdf";
    auto early = cli.run({"evaluation", "export", id, "--xlsx", xlsx.string()});
    CHECK(early.code == 3);
    CHECK(early.err.find("请先计算再导出") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(xlsx));

    for (const auto& [name, review, visit] : units) {
        cli.ok({"evaluation", "score", id, "--indicator", "public_review", "--unit", name, "--score", review, "--note", "群众评议会"});
        cli.ok({"evaluation", "score", id, "--indicator", "inspection", "--unit", name, "--score", visit});
    }
    cli.ok({"evaluation", "run", id});
    std::string pub = cli.json({"evaluation", "publish", id})["id"].get<std::string>();
    Json shown = cli.json({"evaluation", "show", pub});
    REQUIRE(shown["results"].size() == 4);
    cli.ok({"evaluation", "export", pub, "--xlsx", xlsx.string(), "--pdf", pdf.string()});

    // XLSX: the ranking sheet row by row, the breakdown with one row per unit and indicator.
    TempDir py("py");
    auto script = py.write("read.py", R"(import sys, json, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
out = {"sheets": wb.sheetnames}
rank = wb["排名"]
out["ranking"] = [[c.value for c in row] for row in rank.iter_rows(min_row=2) if row[0].value is not None]
parts = wb["得分构成"]
out["parts"] = [[c.value for c in row] for row in parts.iter_rows(min_row=2) if row[0].value is not None]
info = wb["说明"]
out["info"] = {str(r[0].value): str(r[1].value) for r in info.iter_rows() if r[0].value is not None}
print(json.dumps(out, ensure_ascii=False))
)");
    Json book = Json::parse(run("/usr/bin/python3", {script.string(), xlsx.string()}));
    CHECK(book["sheets"] == Json::array({"说明", "排名", "得分构成", "评估方案"}));
    REQUIRE(book["ranking"].size() == 4);
    for (size_t i = 0; i < 4; ++i) {
        const Json& row = book["ranking"][i];
        const Json& r = shown["results"][i];
        CHECK(row[0].get<double>() == r["rank"].get<int>());
        CHECK(row[1] == r["unit_name"]);
        CHECK(row[2].get<double>() == Approx(r["total"].get<double>()));
        CHECK(row[3] == r["grade_label"]);
    }
    CHECK(book["parts"].size() == 8);  // 4 units × 2 indicators
    CHECK(book["info"]["状态"] == "已发布 第1版");
    CHECK(book["info"]["导出人"] == "王局");

    // PDF: A4 pages whose text has the title, every unit with its score, and the grades.
    std::string info = run("pdfinfo", {pdf.string()});
    CHECK(info.find("pts (A4)") != std::string::npos);
    std::string raw = run("pdftotext", {pdf.string(), "-"}), text;
    for (char ch : raw)
        if (ch != ' ' && ch != '\n' && ch != '\r' && ch != '\f') text += ch;
    CHECK(text.find("关于2026年张掖市行政效能专项监察2026-Q4行政效能评估结果的通报") != std::string::npos);
    for (const auto& r : shown["results"]) {
        char total[32];
        std::snprintf(total, sizeof total, "%.2f", r["total"].get<double>());
        INFO(r["unit_name"].get<std::string>() << " " << total);
        CHECK(text.find(r["unit_name"].get<std::string>()) != std::string::npos);
        CHECK(text.find(total) != std::string::npos);
    }
    CHECK(text.find("群众评议") != std::string::npos);
    CHECK(text.find("排名（高者优）") != std::string::npos);
}
