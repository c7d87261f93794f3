// Statistics, exports and the circular through the real `jiancha` binary, read back by real
// readers: XLSX by openpyxl (Debian's python3-openpyxl), CSV by Python's csv module, PDF by
// poppler (pdffonts, pdftotext, pdfinfo). The numbers of `jiancha stats`, the exports' row
// counts and the circular's figures agree, and a complainant's identity — even after HQ revealed
// it — is in none of the files.
#include <catch2/catch.hpp>

#include <filesystem>
#include <sstream>

#include "support/jiancha_cli.h"

using namespace jc;
using namespace jc::test;

namespace {

// One HQ store with generated data for every case of this file.
struct Fx {
    JianchaCli cli;
    std::string revealedName, revealedPhone;
    Fx() {
        cli.name = "hq";
        cli.today = "2026-06-30";
        cli.ok({"init", "--user", "王局", "--role", "hq_admin"});
        cli.ok({"demo", "--findings", "80", "--complaints", "30"});
        // HQ reveals a named complainant: the reveal stays on screen and in the audit log only.
        Json list = cli.json({"complaint", "list", "--limit", "1000"});
        for (const auto& c : list["complaints"]) {
            if (c.value("anonymous", true)) continue;
            Json who = cli.json({"complaint", "reveal", c["id"].get<std::string>()});
            revealedName = who.value("name", "");
            revealedPhone = who.value("phone", "");
            break;
        }
    }
};

Fx& fx() {
    static Fx f;
    return f;
}

// Runs Debian's python3 (with openpyxl) on a script; returns its stdout.
std::string python(const std::string& script, const std::vector<std::string>& args) {
    TempDir d("py");
    auto file = d.write("t.py", script);
    std::vector<std::string> full = {file.string()};
    full.insert(full.end(), args.begin(), args.end());
    ProcessResult r = runProcess("/usr/bin/python3", full);
    INFO(r.err);
    REQUIRE(r.code == 0);
    return r.out;
}

std::string tool(const std::string& program, const std::vector<std::string>& args) {
    ProcessResult r = runProcess(program, args);
    INFO(program << ": " << r.err);
    REQUIRE(r.code == 0);
    return r.out;
}

// Every byte of an XLSX's XML (to search for text that must not be there).
std::string xlsxXml(const std::filesystem::path& p) {
    return python("import sys, zipfile\nz = zipfile.ZipFile(sys.argv[1])\nprint(''.join(z.read(n).decode('utf-8') for n in z.namelist()))\n",
                  {p.string()});
}

}  // namespace

TEST_CASE("jiancha stats: tables and JSON with totals that equal the list counts", "[cli][stats]") {
    Fx& f = fx();
    Json s = f.cli.json({"stats", "--by", "county", "--measure", "findings,amount_owed,complaints,on_time_rate"});
    REQUIRE(s["rows"].size() >= 3);
    int64_t sum = 0;
    for (const auto& r : s["rows"]) sum += r["values"]["findings"].get<int64_t>();
    CHECK(sum == s["totals"]["findings"].get<int64_t>());
    Json listed = f.cli.json({"finding", "list", "--limit", "1"});
    CHECK(listed["total"] == s["totals"]["findings"]);
    // One county, one category: the list under the same filter counts the same.
    std::string county = s["rows"][0]["keys"][0];
    Json cell = f.cli.json({"stats", "--region", county, "--category", "wage_arrears"});
    Json list = f.cli.json({"finding", "list", "--region", county, "--category", "wage_arrears", "--limit", "1"});
    CHECK(cell["totals"]["findings"] == list["total"]);
    // Two dimensions, a table for people.
    std::string table = f.cli.ok({"stats", "--by", "county,category", "--measure", "findings,amount_owed"});
    CHECK(table.find("甘州区") != std::string::npos);
    CHECK(table.find("拖欠农民工工资") != std::string::npos);
    CHECK(table.find("合计") != std::string::npos);
    // Bad input: a clear message and exit code 3.
    ProcessResult bad = f.cli.run({"stats", "--by", "planet"});
    CHECK(bad.code == 3);
    CHECK(bad.err.find("planet") != std::string::npos);
    CHECK(f.cli.run({"stats", "--from", "2026-13-01"}).code == 3);
}

TEST_CASE("findings export: XLSX read back by openpyxl, CSV by the csv module", "[cli][export]") {
    Fx& f = fx();
    TempDir out("export");
    auto xlsx = out.path / "检查发现.xlsx";
    Json e = f.cli.json({"export", "findings", "--format", "xlsx", "--out", xlsx.string(), "--from", "2026-01-01", "--to", "2026-06-30"});
    Json st = f.cli.json({"stats", "--from", "2026-01-01", "--to", "2026-06-30", "--by", "category", "--measure", "findings,amount_owed"});
    CHECK(e["rows"] == st["totals"]["findings"]);
    // Read back: the first sheet states the filters; one sheet per category with its facts; money
    // in yuan with the ¥ format; dates as dates; frozen header and an autofilter.
    std::string report = python(R"PY(
import sys, json, openpyxl, datetime
wb = openpyxl.load_workbook(sys.argv[1])
info = wb.worksheets[0]
out = {"sheets": wb.sheetnames, "info": [[c.value for c in row] for row in info.iter_rows()]}
ws = wb["拖欠农民工工资"]
headers = [c.value for c in ws[1]]
out["headers"] = headers
out["rows"] = {name: wb[name].max_row - 1 for name in wb.sheetnames[1:]}
owed = headers.index("拖欠工资（元）")
out["owed"] = sum(r[owed] or 0 for r in ws.iter_rows(min_row=2, values_only=True))
out["owed_format"] = ws.cell(row=2, column=owed + 1).number_format
rec = headers.index("录入时间")
out["recorded_is_date"] = isinstance(ws.cell(row=2, column=rec + 1).value, datetime.datetime)
out["freeze"] = ws.freeze_panes
out["filter"] = ws.auto_filter.ref
out["title"] = ws.cell(row=2, column=3).value
out["width_title"] = ws.column_dimensions["C"].width
print(json.dumps(out, ensure_ascii=False))
)PY",
                                {xlsx.string()});
    Json r = Json::parse(report);
    CHECK(r["sheets"][0] == "导出说明");
    std::string info = r["info"].dump();
    CHECK(info.find("2026年1月1日至2026年6月30日") != std::string::npos);
    CHECK(info.find("王局") != std::string::npos);
    CHECK(info.find("导出时间") != std::string::npos);
    int64_t rows = 0;
    for (const auto& [name, n] : r["rows"].items()) rows += n.get<int64_t>();
    CHECK(rows == e["rows"].get<int64_t>());
    for (const char* h : {"本地编号", "标题", "县区", "被监察单位", "欠薪单位（用工单位）", "涉及农民工（人）", "拖欠工资（元）", "已清偿（元）"}) {
        bool found = false;
        for (const auto& x : r["headers"]) found = found || x == h;
        CHECK(found);
    }
    // Wage arrears owed, as XLSX yuan, equals the statistics' fen / 100 for that category.
    double owedFen = 0;
    for (const auto& row : st["rows"])
        if (row["keys"][0] == "wage_arrears") owedFen = row["values"]["amount_owed"].get<double>();
    CHECK(r["owed"].get<double>() == Approx(owedFen / 100.0));
    CHECK(r["owed_format"].get<std::string>().find("¥") != std::string::npos);
    CHECK(r["recorded_is_date"] == true);
    CHECK(r["freeze"] == "A2");
    CHECK(r["filter"].get<std::string>().rfind("A1:", 0) == 0);
    CHECK(r["width_title"].get<double>() > 20);  // fits Chinese titles

    auto csv = out.path / "检查发现.csv";
    Json c = f.cli.json({"export", "findings", "--out", csv.string(), "--from", "2026-01-01", "--to", "2026-06-30"});
    CHECK(c["rows"] == e["rows"]);
    std::string bytes = slurp(csv);
    REQUIRE(bytes.rfind("\xEF\xBB\xBF", 0) == 0);
    std::string parsed = python(R"PY(
import sys, csv, json
with open(sys.argv[1], newline='', encoding='utf-8-sig') as f:
    rows = list(csv.reader(f))
print(json.dumps({"title": rows[0], "header": rows[1], "n": len(rows) - 2,
                  "multiline": any('\n' in cell for r in rows for cell in r),
                  "widths": sorted(set(len(r) for r in rows[1:]))}, ensure_ascii=False))
)PY",
                                {csv.string()});
    Json p = Json::parse(parsed);
    CHECK(p["title"][0].get<std::string>().find("筛选条件") != std::string::npos);
    CHECK(p["header"][0] == "本地编号");
    CHECK(p["n"] == e["rows"]);
    CHECK(p["widths"].size() == 1);  // every row has every column (RFC 4180 quoting kept commas and newlines inside)
}

TEST_CASE("complaint exports never contain a complainant's identity, even after HQ revealed it", "[cli][export]") {
    Fx& f = fx();
    REQUIRE_FALSE(f.revealedName.empty());
    TempDir out("complaints");
    auto xlsx = out.path / "c.xlsx";
    auto csv = out.path / "c.csv";
    Json x = f.cli.json({"export", "complaints", "--out", xlsx.string()});
    Json c = f.cli.json({"export", "complaints", "--out", csv.string()});
    Json st = f.cli.json({"stats", "--measure", "complaints"});
    CHECK(x["rows"] == st["totals"]["complaints"]);
    CHECK(c["rows"] == x["rows"]);
    std::string all = xlsxXml(xlsx) + slurp(csv);
    CHECK(all.find(f.revealedName) == std::string::npos);
    CHECK(all.find(f.revealedPhone) == std::string::npos);
    CHECK(all.find("实名（身份保密，不导出）") != std::string::npos);
    // Rectifications and warnings too, with the statistics' counts.
    Json rs = f.cli.json({"stats", "--measure", "rect_ordered,warnings"});
    CHECK(f.cli.json({"export", "rectifications", "--out", (out.path / "r.xlsx").string()})["rows"] == rs["totals"]["rect_ordered"]);
    CHECK(f.cli.json({"export", "warnings", "--out", (out.path / "w.csv").string()})["rows"] == rs["totals"]["warnings"]);
    // Bad input changes nothing and says why.
    ProcessResult bad = f.cli.run({"export", "findings", "--format", "pdf", "--out", (out.path / "x.pdf").string()});
    CHECK(bad.code == 3);
    CHECK_FALSE(std::filesystem::exists(out.path / "x.pdf"));
    CHECK(f.cli.run({"export", "planets", "--format", "csv"}).code == 2);
}

TEST_CASE("the circular PDF: embedded CJK fonts, title, counties and totals, plausible pages", "[cli][report]") {
    Fx& f = fx();
    TempDir out("circular");
    auto pdf = out.path / "通报.pdf";
    auto notes = out.write("notes.txt", "（一）部分县区整改进度滞后。\n个别单位对逾期整改重视不够，要限期办结。\n");
    Json r = f.cli.json({"report", "circular", "--from", "2026-01-01", "--to", "2026-06-30", "--number", "张监通〔2026〕12号",
                         "--notes", notes.string(), "--out", pdf.string(), "--register", (out.path / "台账.xlsx").string()});
    int pages = r["pages"].get<int>();
    CHECK(pages >= 2);
    CHECK(pages <= 12);
    std::string fonts = tool("pdffonts", {pdf.string()});
    INFO(fonts);
    CHECK(fonts.find("NotoSerifCJK") != std::string::npos);
    CHECK(fonts.find("NotoSansCJK") != std::string::npos);
    CHECK(fonts.find("UKai") != std::string::npos);
    // Every font embedded (pdffonts' "emb" column) as a subset (the "+" prefix of the name).
    std::istringstream lines(fonts);
    std::string line;
    int fontLines = 0;
    while (std::getline(lines, line)) {
        if (line.find("CJK") == std::string::npos && line.find("UKai") == std::string::npos) continue;
        ++fontLines;
        CHECK(line.find(" yes yes ") != std::string::npos);
        CHECK(line.find('+') == 6);
    }
    CHECK(fontLines >= 3);
    std::string info = tool("pdfinfo", {pdf.string()});
    CHECK(info.find("Pages:           " + std::to_string(pages)) != std::string::npos);
    CHECK(info.find("pts (A4)") != std::string::npos);

    // Lines of a paragraph break anywhere in Chinese, and justification spaces letters out:
    // compare without white space.
    std::string raw = tool("pdftotext", {pdf.string(), "-"}), text;
    for (char ch : raw)
        if (ch != ' ' && ch != '\n' && ch != '\r' && ch != '\f') text += ch;
    auto has = [&](std::string s) {
        std::string flat;
        for (char ch : s)
            if (ch != ' ') flat += ch;
        INFO("looking for " << flat);
        CHECK(text.find(flat) != std::string::npos);
    };
    has("张掖市监察局文件");
    has("张监通〔2026〕12号");
    has("关于2026年张掖市行政效能专项监察工作情况的通报");
    has("一、总体情况");
    has("六、存在问题和下一步工作");
    has("部分县区整改进度滞后");
    has("— 1 —");
    has("2026年6月30日");
    has("抄送");
    // The figures are the statistics' figures.
    Json st = f.cli.json({"stats", "--from", "2026-01-01", "--to", "2026-06-30", "--by", "county", "--measure", "findings,complaints"});
    has("检查发现" + std::to_string(st["totals"]["findings"].get<int64_t>()) + "件");
    has("受理群众投诉" + std::to_string(st["totals"]["complaints"].get<int64_t>()) + "件");
    for (const auto& row : st["rows"]) has(row["labels"][0].get<std::string>());
    // The register holds the same tables.
    std::string reg = python(R"PY(
import sys, json, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb["各县区情况"]
print(json.dumps({"sheets": wb.sheetnames, "total": [c.value for c in ws[ws.max_row]]}, ensure_ascii=False))
)PY",
                             {(out.path / "台账.xlsx").string()});
    Json g = Json::parse(reg);
    CHECK(g["total"][0] == "合计");
    CHECK(g["total"][1].get<int64_t>() == Json::parse(f.cli.ok({"--json", "report", "circular", "--from", "2026-01-01", "--to",
                                                                "2026-06-30", "--out", (out.path / "b.pdf").string()}))["findings"]
                                               .get<int64_t>());
    // A bad period is refused.
    CHECK(f.cli.run({"report", "circular", "--from", "2026-06-30", "--to", "2026-01-01", "--out", (out.path / "c.pdf").string()}).code == 3);
}
