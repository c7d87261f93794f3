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
        cli.dir.write("again.csv", kApprovals);
        cli.dir.write("bad.csv", kBadApprovals);
    }
};

Fx& fx() {
    static Fx f;
    return f;
}

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// A text a command's answer holds, in each language: on stdout when the command succeeds, on
// stderr when it fails (or on either, `anyStream`: a row report names the bad cell on stdout).
struct Said {
    const char* zh;
    const char* en;
    bool anyStream = false;
};

// One command run in both languages: its exit code, what it says, and a code its table must
// not show (the label stands there). In the words, {dir} is the store's folder (the approval
// files are there), {out} a folder for files, {evaluation} the scheme's id.
struct Case {
    std::vector<std::string> args;
    int code;
    std::vector<Said> said;
    const char* notShown = nullptr;
};

const std::vector<Case> kCases = {
    // stats: headings, labels (never the codes) and notes.
    {{"stats", "--by", "category"}, 0, {{"专项类别", "Category"}, {"征收征用土地", "Land acquisition"}, {"合计", "Total"}}, "land_acquisition"},
    {{"stats", "--by", "misconduct"}, 0, {{"注：一件检查发现有多种行为类型的", "Note: A finding with several misconduct types"}}},
    {{"stats", "--help"}, 0, {{"维度：", "Dimensions:"}}},
    {{"stats", "--by", "nonsense"}, 3, {{"不认识的统计维度“nonsense”", "unknown dimension 'nonsense'"}}},
    // export and report: their one-line summaries and errors.
    {{"export", "findings", "--format", "csv", "--out", "{out}/f.csv"}, 0, {{" 行", " rows"}}},
    {{"export", "bogus", "--format", "csv"}, 2, {{"不能导出“bogus”", "cannot export 'bogus'"}}},
    {{"export", "--help"}, 0, {{"筛选条件（与各列表相同）", "Filters (the same as the lists)"}}},
    {{"report", "circular", "--from", "2026-01-01", "--to", "2026-06-30", "--out", "{out}/c.pdf"}, 0, {{"共 ", " pages"}}},
    {{"report", "circular", "--from", "2026-13-01", "--to", "2026-06-30", "--out", "{out}/d.pdf"}, 3,
     {{"--from 应为日期", "--from must be a date"}}},
    // esupervision: the table's headings and card labels; the time parser's message on a bad row.
    {{"esupervision", "list"}, 0, {{"办件编号", "Case no."}, {"红牌", "Red"}}, " red "},
    {{"esupervision", "import", "{dir}/again.csv", "--dry-run"}, 0, {{"试运行：没有导入任何数据", "dry run: nothing was imported"}}},
    {{"esupervision", "import", "{dir}/bad.csv"}, 3,
     {{"没有这一天", "there is no such day", true}, {"没有导入任何数据", "nothing was imported"}}},
    {{"calendar", "years", "2027", "2027"}, 0, {{"按规则推算", "by rule"}}},
    // evaluation: help translated, ranking headings and grade labels.
    {{"evaluation", "--help"}, 0, {{"计算草稿的原始值、得分、名次和等次", "compute raw values, scores, ranks and grades"}}},
    {{"evaluation", "show", "{evaluation}"}, 0, {{"名次", "Rank"}, {"优秀", "Excellent"}}},
    {{"evaluation", "show", "nope"}, 4, {{"没有编号为 nope 的效能评估", "no evaluation nope"}}},
    // monitor: rule labels, not kinds, in the table.
    {{"monitor", "--help"}, 0, {{"今天触发的监控提示", "the flags the rules raise today"}}},
    {{"monitor"}, 0, {{"规则", "Rule"}, {"投诉集中", "Many complaints"}}, "unit_complaints"},
};

std::string fillIn(std::string word, const std::string& out) {
    for (const auto& [key, value] : {std::pair<std::string, std::string>{"{dir}", fx().cli.dir.path.string()},
                                     {"{out}", out}, {"{evaluation}", fx().evaluation}})
        if (auto at = word.find(key); at != std::string::npos) word.replace(at, key.size(), value);
    return word;
}

void hqCommands(bool english) {
    JianchaCli& cli = fx().cli;
    cli.english = english;
    INFO((english ? "English" : "Chinese"));
    TempDir out("hqlang");
    for (const Case& c : kCases) {
        std::vector<std::string> args;
        for (const auto& a : c.args) args.push_back(fillIn(a, out.path.string()));
        ProcessResult r = cli.run(args);
        INFO("jiancha " << args[0] << " " << (args.size() > 1 ? args[1] : "") << "\nout: " << r.out << "\nerr: " << r.err);
        CHECK(r.code == c.code);
        for (const Said& s : c.said) {
            const std::string& where = s.anyStream ? r.out + r.err : c.code == 0 ? r.out : r.err;
            CHECK(has(where, english ? s.en : s.zh));
        }
        if (c.notShown) CHECK_FALSE(has(r.out, c.notShown));
    }

    // --json keeps the codes whatever the language.
    bool codeKept = false;
    Json stats = cli.json({"stats", "--by", "category"});
    for (const auto& row : stats["rows"]) codeKept = codeKept || row["keys"][0] == "land_acquisition";
    CHECK(codeKept);
    Json approvals = cli.json({"esupervision", "list", "--red"})["approvals"];
    REQUIRE(approvals.size() == 1);
    CHECK(approvals[0]["light"] == "red");
    CHECK(approvals[0]["received_at"] == "2026-06-01T01:30:00.000Z");  // 9:30 China time
    CHECK(cli.json({"esupervision", "list"})["approvals"].size() == 2);  // the bad file imported nothing
    Json ev = cli.json({"evaluation", "show", fx().evaluation});
    REQUIRE(ev["results"].size() == 2);
    CHECK(ev["results"][0]["grade"] == "excellent");
    bool kindKept = false;
    Json monitor = cli.json({"monitor"});
    for (const auto& f : monitor["flags"]) kindKept = kindKept || f["rule"] == "unit_complaints";
    CHECK(kindKept);
    cli.english = false;
}

}  // namespace

TEST_CASE("headquarters' commands in Chinese (LANG=zh_CN.UTF-8)", "[cli][i18n][hq]") { hqCommands(false); }

TEST_CASE("headquarters' commands in English (LANG=C.UTF-8 --lang en)", "[cli][i18n][hq]") { hqCommands(true); }
