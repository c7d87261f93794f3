// The command line in the user's language and with times as people type them: one workflow run
// twice — LANG=zh_CN.UTF-8, and LANG=C.UTF-8 with --lang en — checking the key lines of both
// (help, table headings, status labels, errors with what to do next, a damaged store), and that
// --json keeps codes and UTC times. Also: every string key the command line, the server's admin
// commands and the shared parsers use exists in both string tables.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "core/assets.h"
#include "core/i18n.h"
#include "support/jiancha_cli.h"

using jc::test::JianchaCli;
using jc::test::ProcessResult;
using Json = nlohmann::json;
namespace fs = std::filesystem;

namespace {

struct Expect {
    const char* helpHeading;   // jiancha --help
    const char* submitted;     // finding status label
    const char* category;      // 征收征用土地
    const char* numberHeading; // finding list
    const char* received;      // complaint status label
    const char* receivedLabel; // complaint show
    const char* noSuchDay;     // bad --received-at
    const char* example;
    const char* unknownOption;
    const char* forbidden;
    const char* notFound;
    const char* corrupt;
    const char* dueRed;        // calendar light
    const char* shownOf;
    const char* noSuchFinding;  // finding show <unknown id>
    const char* noSuchUnit;     // a store lookup of an unknown id (complaint add --unit)
    const char* searchTooLong;
    const char* searchEmpty;
};

const Expect kZh = {"命令：",
                    "已提交",
                    "征收征用土地",
                    "编号",
                    "已受理",
                    "受理时间",
                    "没有这一天",
                    "2026-09-28 09:00",
                    "不认识的选项 --bogus",
                    "无权操作：",
                    "找不到：",
                    "数据库文件已损坏",
                    "红牌",
                    "（显示 1 条，共 1 条）",
                    "没有这条检查发现：“01900000-0000-7000-8000-00000000dead”",
                    "没有单位 01900000-0000-7000-8000-00000000beef。",
                    "搜索内容太长：最多 400 字节（约 133 个汉字）",
                    "搜索内容是空的：请输入要查找的字词。"};
const Expect kEn = {"Commands:",
                    "Submitted",
                    "Land acquisition",
                    "Number",
                    "Received",
                    "Received",
                    "there is no such day",
                    "e.g. 2026-09-28 09:00",
                    "unknown option --bogus",
                    "not allowed: ",
                    "not found: ",
                    "the database file is damaged",
                    "red card",
                    "(1 of 1)",
                    "finding '01900000-0000-7000-8000-00000000dead' not found",
                    "unit 01900000-0000-7000-8000-00000000beef not found.",
                    "search text is longer than 400 bytes (about 133 Chinese characters)",
                    "search text is empty: type the words to look for"};

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

void workflow(bool english) {
    const Expect& x = english ? kEn : kZh;
    JianchaCli cli;
    cli.english = english;
    cli.today = "2026-10-20";
    INFO((english ? "English" : "Chinese"));

    CHECK(has(cli.ok({"--help"}), x.helpHeading));
    cli.ok({"init", "--user", "王局", "--role", "hq_admin"});
    std::string campaign = cli.ok({"campaign", "add", "--title", "2026年张掖市行政效能专项监察", "--start", "2026年9月1日"});
    cli.ok({"user", "add", "--name", "张伟", "--role", "inspector"});

    // A finding submitted: the status shows as its label; --json keeps the code.
    std::string id = cli.ok({"finding", "add", "--campaign", campaign, "--category", "land_acquisition", "--title",
                             "沙井镇征地补偿款未足额发放", "--region", "620702101", "--area", "hotspot_issues", "--field",
                             "parcel=沙井镇三号地块", "--field", "land_type=farmland", "--field", "area_mu=120", "--field",
                             "households_affected=35", "--field", "compensation_due=1280000"},
                            "张伟");
    std::string moved = cli.ok({"finding", "submit", id}, "张伟");
    CHECK(has(moved, std::string("→ ") + x.submitted));
    std::string table = cli.ok({"finding", "list"});
    CHECK(has(table, x.numberHeading));
    CHECK(has(table, x.submitted));
    CHECK(has(table, x.category));
    CHECK(has(table, x.shownOf));
    CHECK_FALSE(has(table, "submitted "));
    CHECK(cli.json({"finding", "list"})["findings"][0]["status"] == "submitted");
    CHECK(cli.json({"finding", "list"})["findings"][0]["category"] == "land_acquisition");

    // A complaint received at 17:30 China time (09:30 UTC, same day) and one at 07:30 China time
    // (23:30 UTC the day before): both are counted from 2026-09-28, 15 working days → 2026-10-23.
    for (const char* at : {"2026-09-28 17:30", "２０２６年９月２８日 ７：３０"}) {
        INFO("received " << at);
        Json added = cli.json({"complaint", "add", "--title", "征地补偿", "--channel", "hotline", "--content", "补偿款未发放",
                               "--name", "赵堃", "--received-at", at});
        CHECK(added["deadline"] == "2026-10-23");
        CHECK(added["status"] == "received");
    }
    Json listed = cli.json({"complaint", "list"});
    std::set<std::string> stored;
    for (const auto& c : listed["complaints"]) stored.insert(c["received_at"].get<std::string>());
    CHECK(stored == std::set<std::string>{"2026-09-28T09:30:00.000Z", "2026-09-27T23:30:00.000Z"});
    std::string complaintId = listed["complaints"][0]["id"];
    std::string shown = cli.ok({"complaint", "show", complaintId});
    CHECK(has(shown, x.receivedLabel));
    CHECK((has(shown, "2026-09-28 17:30") || has(shown, "2026-09-28 07:30")));
    CHECK_FALSE(has(shown, "T09:30:00"));
    std::string complaints = cli.ok({"complaint", "list"});
    CHECK(has(complaints, x.received));
    CHECK(has(cli.ok({"calendar", "light", "2026-10-01", "2026年10月20日"}), x.dueRed));

    // Errors keep their exit codes and say what happened in the user's language.
    ProcessResult r = cli.run({"complaint", "add", "--title", "t", "--channel", "hotline", "--content", "c", "--anonymous",
                               "--received-at", "2026-02-30 10:00"});
    CHECK(r.code == 3);
    CHECK(has(r.err, x.noSuchDay));
    CHECK(has(r.err, x.example));
    CHECK(cli.json({"complaint", "list"})["complaints"].size() == 2);  // nothing was stored
    r = cli.run({"finding", "list", "--bogus"});
    CHECK(r.code == 2);
    CHECK(has(r.err, x.unknownOption));
    r = cli.run({"finding", "accept", id}, "张伟");
    CHECK(r.code == 3);
    CHECK(has(r.err, x.forbidden));
    r = cli.run({"finding", "show", "no-such-finding"});
    CHECK(r.code == 4);
    CHECK(has(r.err, x.notFound));
    r = cli.run({"finding", "show", "01900000-0000-7000-8000-00000000dead"});
    CHECK(r.code == 4);
    CHECK(has(r.err, x.notFound));
    CHECK(has(r.err, x.noSuchFinding));
    // A record named by id that the store does not hold: the store's own message, translated.
    r = cli.run({"complaint", "add", "--title", "t", "--channel", "hotline", "--content", "c", "--anonymous", "--unit",
                 "01900000-0000-7000-8000-00000000beef"});
    CHECK(r.code == 4);
    CHECK(has(r.err, x.notFound));
    CHECK(has(r.err, x.noSuchUnit));
    CHECK_FALSE(has(r.err, english ? "没有" : " not found"));
    CHECK(cli.json({"complaint", "list"})["complaints"].size() == 2);
    // Search text over the limit, and one with nothing to search for: bad input, exit 3.
    std::string longText;
    for (int i = 0; i < 140; ++i) longText += "征地";  // 280 characters, 840 bytes
    r = cli.run({"search", longText});
    CHECK(r.code == 3);
    CHECK(has(r.err, x.searchTooLong));
    CHECK_FALSE(has(r.err, english ? "搜索内容" : "search text"));
    r = cli.run({"search", "   "});
    CHECK(r.code == 3);
    CHECK(has(r.err, x.searchEmpty));

    // A damaged store: a sentence a person understands, the technical detail after it, exit 1.
    {
        std::fstream f(cli.storePath(), std::ios::in | std::ios::out | std::ios::binary);
        f.seekp(0);
        f << "this is not a database file, it was overwritten by accident";
    }
    r = cli.run({"finding", "list"});
    CHECK(r.code == 1);
    CHECK(has(r.err, x.corrupt));
    CHECK(has(r.err, "not a database"));
}

std::string readAll(const fs::path& p) {
    std::ifstream in(p);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

}  // namespace

TEST_CASE("the command line in Chinese (LANG=zh_CN.UTF-8)", "[cli][i18n]") { workflow(false); }

TEST_CASE("the command line in English (LANG=C.UTF-8 --lang en)", "[cli][i18n]") { workflow(true); }

TEST_CASE("help texts follow LANG and LC_MESSAGES, --lang wins", "[cli][i18n]") {
    auto help = [](const std::string& env, std::vector<std::string> args) {
        return jc::test::runProcess(JIANCHA_BIN, args, "LC_ALL= LC_MESSAGES= " + env).out;
    };
    CHECK(has(help("LANG=en_US.UTF-8", {"complaint", "--help"}), "TIME may be 2026-09-28 09:00"));
    CHECK(has(help("LANG=C.UTF-8", {"complaint", "--help"}), "受理时间可写 2026-09-28 09:00"));
    CHECK(has(help("LANG=zh_CN.UTF-8 LC_MESSAGES=en_GB.UTF-8", {"finding", "--help"}), "record and move findings"));
    CHECK(has(help("LANG=en_US.UTF-8", {"--lang", "zh", "finding", "--help"}), "检查发现：登记与流转"));
}

TEST_CASE("jiancha-server's admin commands speak the user's language, its request log stays English", "[cli][i18n]") {
    jc::test::TempDir dir;
    std::string db = (dir.path / "hq.db").string();
    auto server = [&](const std::string& env, std::vector<std::string> args) {
        args.insert(args.end(), {"--db", db});
        return jc::test::runProcess(JIANCHA_SERVER_BIN, args, "LC_ALL= LC_MESSAGES= " + env);
    };
    ProcessResult r = server("LANG=zh_CN.UTF-8", {"init"});
    REQUIRE(r.code == 0);
    CHECK(has(r.out, "服务器数据库已就绪"));
    r = server("LANG=C.UTF-8", {"--lang", "en", "team", "add", "第一检查组"});
    CHECK(r.code == 0);
    r = server("LANG=C.UTF-8", {"--lang", "en", "team", "add", "x", "--bogus", "1"});
    CHECK(r.code == 2);
    CHECK(has(r.err, "unknown option --bogus"));
    r = server("LANG=zh_CN.UTF-8", {"user", "add", "张伟", "--role", "inspector"});
    CHECK(r.code == 2);
    r = server("LANG=zh_CN.UTF-8", {"campaign", "add", "--title", "专项", "--start", "2026-02-30"});
    CHECK(r.code == 2);
    CHECK(has(r.err, "没有这一天"));
    CHECK(has(server("LANG=zh_CN.UTF-8", {"--help"}).out, "总部同步服务器"));
    CHECK(has(server("LANG=en_US.UTF-8", {"--help"}).out, "headquarters sync server"));
}

TEST_CASE("every string key the command line uses exists in both languages", "[cli][i18n]") {
    jc::I18n t;
    t.load(jc::assetsDir() / "i18n");
    fs::path root = fs::path(JIANCHA_TEST_FIXTURES).parent_path().parent_path();
    // The command line, the server's admin commands, and everything below them whose messages a
    // user of the command line reads: app (errors, statistics notes), core (parsers, labels),
    // report (exports and documents).
    std::vector<fs::path> sources;
    for (const char* dir :
         {"src/cli", "src/app", "src/core", "src/report", "src/store", "src/store/crypto", "sync/server"})
        for (const auto& e : fs::directory_iterator(root / dir))
            if (e.path().extension() == ".cpp") sources.push_back(e.path());
    // Any literal of a key group the command line draws from.
    const std::regex key(
        R"re("((cli|server|time|args|error|workflow|context|complaints|complaint|findings|finding|common|esup|evaluation|eval|monitoring|monitor|stats|domain|entity|app|org|rect|warning|setup|query|template|paths|evidence|rejection|sealing|calendar|entities|report|store|files)\.[a-z0-9_.]*[a-z0-9_])")re");
    std::set<std::pair<std::string, std::string>> used;
    for (const auto& p : sources) {
        std::string s = readAll(p);
        for (auto it = std::sregex_iterator(s.begin(), s.end(), key); it != std::sregex_iterator(); ++it)
            used.insert({(*it)[1].str(), p.filename().string()});
    }
    REQUIRE(used.size() > 400);
    // The commands of headquarters are among them.
    for (const char* k :
         {"cli.help.stats", "cli.help.export", "cli.help.report", "cli.help.esupervision", "cli.help.evaluation",
          "cli.help.monitor", "cli.eval.unit_line", "cli.esup.preview", "cli.monitor.col_rule", "esup.err_bad_rows",
          "eval.err_not_run", "stats.note_dates", "store.err_search_long", "store.err_no_actor", "store.err_ref_json",
          "calendar.file_bad_json", "calendar.lunar_no_year", "template.err_file_json"}) {
        bool found = false;
        for (const auto& [u, file] : used) found = found || u == k;
        INFO("key " << k);
        CHECK(found);
    }
    for (const auto& [k, file] : used) {
        INFO("key " << k << " used in " << file);
        CHECK(t.has(jc::Language::Zh, k));
        CHECK(t.has(jc::Language::En, k));
    }
    // And every key of the groups only the command line and core use is used somewhere (no stale texts).
    std::set<std::string> usedKeys;
    for (const auto& [k, file] : used) usedKeys.insert(k);
    for (const auto& k : t.keys(jc::Language::Zh)) {
        bool own = false;
        for (const char* group : {"cli.", "server.", "time.", "args.", "error.", "workflow.", "context.", "store."})
            own = own || k.rfind(group, 0) == 0;
        if (!own) continue;
        INFO("unused key " << k);
        CHECK(usedKeys.count(k) == 1);
    }
}
