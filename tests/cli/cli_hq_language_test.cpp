// Headquarters' commands in the user's language: stats, export, report, esupervision, evaluation
// and monitor run on one store by the real `jiancha` binary, once with LANG=zh_CN.UTF-8 and
// once with LANG=C.UTF-8 --lang en. Tables show labels (已提交-style texts, never the codes),
// help and messages come from the string tables, errors keep their exit codes, and --json keeps
// the codes whatever the language.
#include <catch2/catch.hpp>

#include <filesystem>

#include "support/jiancha_cli.h"

using namespace jc;
using namespace jc::test;

namespace {

const char* kScheme = R"({
  "title": "2026年上半年行政效能评估",
  "indicators": [
    {"source": "manual", "code": "public_review", "label": "群众评议", "weight": 60,
     "rule": {"kind": "linear", "floor": 50, "target": 100}},
    {"source": "manual", "code": "inspection", "label": "明察暗访", "weight": 40, "rule": {"kind": "rank"}}
  ],
  "grades": {"excellent": 80, "good": 60, "fair": 40},
  "units": ["甘州区政务服务管理局", "党寨镇便民服务中心"]
})";

// One open record received the way a clerk writes it (Chinese date), overdue by 2026-06-30; one
// finished on time.
const char* kApprovals =
    "事项名称,办件编号,办理单位,申请人,受理时间,承诺时限（工作日）,办结时间,状态\n"
    "食品经营许可证核发,SP2026-0001,甘州区市场监督管理局,张三,2026年6月1日 9:30,5,,在办\n"
    "个体工商户登记,GS2026-0002,甘州区市场监督管理局,王五,2026-06-02 08:30,3,2026-06-03 17:00,办结\n";

// The same header with a day that does not exist.
const char* kBadApprovals =
    "事项名称,办件编号,办理单位,申请人,受理时间,承诺时限（工作日）,办结时间,状态\n"
    "取水许可,QS2026-0009,甘州区水务局,赵六,2026-02-30 09:00,5,,在办\n";

struct Fx {
    JianchaCli cli;
    std::string evaluation;
    Fx() {
        cli.name = "hq";
        cli.today = "2026-06-30";
        cli.ok({"init", "--user", "王局", "--role", "hq_admin"});
        cli.ok({"demo", "--findings", "60", "--complaints", "30"});
        std::string campaign = cli.json({"campaign", "list"})["campaigns"][0]["id"];
        for (const char* unit : {"甘州区政务服务管理局", "党寨镇便民服务中心"})
            cli.ok({"unit", "add", "--name", unit, "--kind", "department"});
        evaluation = cli.ok({"evaluation", "scheme", "add", "--campaign", campaign, "--period", "2026-H1", "--file",
                             cli.dir.write("scheme.json", kScheme).string()});
        const std::vector<std::tuple<std::string, std::string, std::string>> scores = {
            {"甘州区政务服务管理局", "95", "88"}, {"党寨镇便民服务中心", "62", "70"}};
        for (const auto& [unit, review, visit] : scores) {
            cli.ok({"evaluation", "score", evaluation, "--indicator", "public_review", "--unit", unit, "--score", review});
            cli.ok({"evaluation", "score", evaluation, "--indicator", "inspection", "--unit", unit, "--score", visit});
        }
        cli.ok({"evaluation", "run", evaluation});
        cli.ok({"monitor", "rule", "set", "unit_complaints", "min_complaints=1", "days=3650"});
        cli.ok({"esupervision", "import", cli.dir.write("approvals.csv", kApprovals).string()});
    }
};

Fx& fx() {
    static Fx f;
    return f;
}

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

struct Expect {
    const char* statsCategory;   // the dimension's heading
    const char* land;            // a category label in a cell
    const char* total;
    const char* note;            // a statistics note
    const char* exportRows;
    const char* badExport;
    const char* badDimension;
    const char* pages;
    const char* esupHeading;
    const char* red;
    const char* dryRun;
    const char* noSuchDay;       // the time parser's message in a bad row
    const char* notImported;
    const char* evalHelp;
    const char* rank;
    const char* excellent;
    const char* evalNotFound;
    const char* ruleLabel;
    const char* ruleHeading;
    const char* monitorHelp;
    const char* calendarSource;
};

const Expect kZh = {"专项类别", "征收征用土地", "合计", "注：一件检查发现有多种行为类型的", " 行", "不能导出“bogus”",
                    "不认识的统计维度“nonsense”", "共 ", "办件编号", "红牌", "试运行：没有导入任何数据", "没有这一天",
                    "没有导入任何数据", "计算草稿的原始值、得分、名次和等次", "名次", "优秀", "没有编号为 nope 的效能评估",
                    "投诉集中", "规则", "今天触发的监控提示", "按规则推算"};
const Expect kEn = {"Category", "Land acquisition", "Total", "Note: A finding with several misconduct types", " rows",
                    "cannot export 'bogus'", "unknown dimension 'nonsense'", " pages", "Case no.", "Red",
                    "dry run: nothing was imported", "there is no such day", "nothing was imported",
                    "compute raw values, scores, ranks and grades", "Rank", "Excellent", "no evaluation nope",
                    "Many complaints", "Rule", "the flags the rules raise today", "by rule"};

void hqCommands(bool english) {
    const Expect& x = english ? kEn : kZh;
    JianchaCli& cli = fx().cli;
    cli.english = english;
    INFO((english ? "English" : "Chinese"));

    // stats: headings, labels (never the codes) and notes; --json keeps codes.
    std::string table = cli.ok({"stats", "--by", "category"});
    CHECK(has(table, x.statsCategory));
    CHECK(has(table, x.land));
    CHECK(has(table, x.total));
    CHECK_FALSE(has(table, "land_acquisition"));
    CHECK(has(cli.ok({"stats", "--by", "misconduct"}), x.note));
    Json s = cli.json({"stats", "--by", "category"});
    bool codeKept = false;
    for (const auto& r : s["rows"]) codeKept = codeKept || r["keys"][0] == "land_acquisition";
    CHECK(codeKept);
    CHECK(has(cli.ok({"stats", "--help"}), english ? "Dimensions:" : "维度："));
    ProcessResult r = cli.run({"stats", "--by", "nonsense"});
    CHECK(r.code == 3);
    CHECK(has(r.err, x.badDimension));

    // export and report: their one-line summaries and errors.
    TempDir out("hqlang");
    CHECK(has(cli.ok({"export", "findings", "--format", "csv", "--out", (out.path / "f.csv").string()}), x.exportRows));
    r = cli.run({"export", "bogus", "--format", "csv"});
    CHECK(r.code == 2);
    CHECK(has(r.err, x.badExport));
    CHECK(has(cli.ok({"export", "--help"}), english ? "Filters (the same as the lists)" : "筛选条件（与各列表相同）"));
    CHECK(has(cli.ok({"report", "circular", "--from", "2026-01-01", "--to", "2026-06-30", "--out",
                      (out.path / "c.pdf").string()}),
              x.pages));
    r = cli.run({"report", "circular", "--from", "2026-13-01", "--to", "2026-06-30", "--out", (out.path / "d.pdf").string()});
    CHECK(r.code == 3);
    CHECK(has(r.err, english ? "--from must be a date" : "--from 应为日期"));

    // esupervision: the table's headings and card labels; the time parser's message on a bad row.
    std::string list = cli.ok({"esupervision", "list"});
    CHECK(has(list, x.esupHeading));
    CHECK(has(list, x.red));
    CHECK_FALSE(has(list, " red "));
    Json approvals = cli.json({"esupervision", "list", "--red"})["approvals"];
    REQUIRE(approvals.size() == 1);
    CHECK(approvals[0]["light"] == "red");
    CHECK(approvals[0]["received_at"] == "2026-06-01T01:30:00.000Z");  // 9:30 China time
    CHECK(has(cli.ok({"esupervision", "import", cli.dir.write("again.csv", kApprovals).string(), "--dry-run"}), x.dryRun));
    r = cli.run({"esupervision", "import", cli.dir.write("bad.csv", kBadApprovals).string()});
    CHECK(r.code == 3);
    CHECK(has(r.out + r.err, x.noSuchDay));
    CHECK(has(r.err, x.notImported));
    CHECK(cli.json({"esupervision", "list"})["approvals"].size() == 2);  // nothing was imported
    CHECK(has(cli.ok({"calendar", "years", "2027", "2027"}), x.calendarSource));

    // evaluation: help translated, ranking headings and grade labels; --json keeps the grade code.
    CHECK(has(cli.ok({"evaluation", "--help"}), x.evalHelp));
    std::string shown = cli.ok({"evaluation", "show", fx().evaluation});
    CHECK(has(shown, x.rank));
    CHECK(has(shown, x.excellent));
    Json ev = cli.json({"evaluation", "show", fx().evaluation});
    REQUIRE(ev["results"].size() == 2);
    CHECK(ev["results"][0]["grade"] == "excellent");
    r = cli.run({"evaluation", "show", "nope"});
    CHECK(r.code == 4);
    CHECK(has(r.err, x.evalNotFound));

    // monitor: rule labels, not kinds, in the table; kinds in --json.
    CHECK(has(cli.ok({"monitor", "--help"}), x.monitorHelp));
    std::string flags = cli.ok({"monitor"});
    CHECK(has(flags, x.ruleHeading));
    CHECK(has(flags, x.ruleLabel));
    CHECK_FALSE(has(flags, "unit_complaints"));
    Json mj = cli.json({"monitor"});
    bool kindKept = false;
    for (const auto& f : mj["flags"]) kindKept = kindKept || f["rule"] == "unit_complaints";
    CHECK(kindKept);
    cli.english = false;
}

}  // namespace

TEST_CASE("headquarters' commands in Chinese (LANG=zh_CN.UTF-8)", "[cli][i18n][hq]") { hqCommands(false); }

TEST_CASE("headquarters' commands in English (LANG=C.UTF-8 --lang en)", "[cli][i18n][hq]") { hqCommands(true); }
