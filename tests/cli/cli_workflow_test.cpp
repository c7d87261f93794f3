// The jiancha CLI end to end on one machine: HQ sets up, an inspector records and submits a
// finding, a lead reviews it, orders a rectification, an inspector verifies it on site; a
// complaint is taken, handed over, answered and closed. Runs the real binary on a temp dir.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "support/jiancha_cli.h"

using jc::test::ProcessResult;
using Json = nlohmann::json;

namespace {

using Cli = jc::test::JianchaCli;

// HQ store with a campaign, an inspector and a lead.
struct Setup {
    Cli cli;
    std::string campaign;
    Setup() {
        cli.today = "2026-09-28";
        cli.ok({"init", "--user", "王局", "--role", "hq_admin"});
        campaign = cli.ok({"campaign", "add", "--title", "2026年张掖市行政效能专项监察", "--prefix", "张监"});
        cli.ok({"user", "add", "--name", "张伟", "--role", "inspector"});
        cli.ok({"user", "add", "--name", "李娜", "--role", "lead"});
    }
    std::string addWageFinding(const std::string& title) {
        return cli.ok({"finding", "add", "--campaign", campaign, "--category", "wage_arrears", "--title", title,
                       "--narrative", "甘州区梁家墩镇某安置房项目拖欠四十二名农民工工资，讨薪未果。", "--region",
                       "620702101", "--area", "hotspot_issues", "--misconduct", "inaction", "--field",
                       "employer=张掖市某建筑工程有限公司", "--field", "project=梁家墩镇安置房二期", "--field",
                       "workers_affected=42", "--field", "amount_owed=386500.50", "--field", "months_overdue=5"},
                      "张伟");
    }
};

}  // namespace

TEST_CASE("a finding goes from draft to closed through inspector, lead and verification", "[cli]") {
    Setup s;
    std::string id = s.addWageFinding("梁家墩镇安置房项目拖欠农民工工资");

    Json shown = s.cli.json({"finding", "show", id});
    CHECK(shown["finding"]["status"] == "draft");
    CHECK(shown["finding"]["field_values"]["amount_owed"] == 38650050);  // yuan typed, fen stored
    CHECK(shown["finding"]["created_by"] == "张伟");

    // An inspector cannot accept; the finding must be submitted first anyway.
    ProcessResult r = s.cli.run({"finding", "accept", id}, "张伟");
    CHECK(r.code == 3);
    CHECK(r.err.find("draft") != std::string::npos);

    s.cli.ok({"finding", "submit", id}, "张伟");
    r = s.cli.run({"finding", "accept", id}, "张伟");
    CHECK(r.code == 3);
    CHECK(r.err.find("inspector") != std::string::npos);

    // Returning needs a comment; with one it goes back to the inspector, who edits and resubmits.
    r = s.cli.run({"finding", "return", id}, "李娜");
    CHECK(r.code == 3);
    CHECK(r.err.find("comment") != std::string::npos);
    s.cli.ok({"finding", "return", id, "--comment", "请补充用工合同和工资台账"}, "李娜");
    s.cli.ok({"finding", "edit", id, "--narrative", "已补充用工合同和工资台账复印件。"}, "张伟");
    s.cli.ok({"finding", "submit", id}, "张伟");
    s.cli.ok({"finding", "accept", id}, "李娜");

    Json rect = s.cli.json({"rectification", "order", id, "--action", "限期足额支付拖欠工资", "--workdays", "15"}, "李娜");
    CHECK(rect["deadline"] == "2026-10-23");  // 15 working days after 2026-09-28, National Day skipped
    std::string rid = rect["id"];
    s.cli.ok({"rectification", "report", rid, "--note", "已支付全部拖欠工资"}, "张伟");
    s.cli.ok({"rectification", "verify", rid, "--note", "现场核实工资发放表"}, "张伟");
    CHECK(s.cli.json({"finding", "show", id})["finding"]["status"] == "rectified");
    s.cli.ok({"finding", "verify", id}, "张伟");
    s.cli.ok({"finding", "close", id}, "李娜");

    shown = s.cli.json({"finding", "show", id});
    CHECK(shown["finding"]["status"] == "closed");
    std::vector<std::string> actions;
    for (const auto& h : shown["history"]) actions.push_back(h["action"]);
    CHECK(actions == std::vector<std::string>{"submit", "return", "submit", "accept", "order_rectification",
                                              "mark_rectified", "verify", "close"});
    CHECK(s.cli.json({"audit", "verify"})["ok"] == true);
}

TEST_CASE("bad input gets a clear message, the documented exit code and changes nothing", "[cli]") {
    Setup s;
    Json before = s.cli.json({"status"});

    ProcessResult r = s.cli.run({"finding", "add", "--campaign", s.campaign, "--category", "wage_arrears", "--title", "x",
                                 "--field", "amount_owed=abc"},
                                "张伟");
    CHECK(r.code == 3);
    CHECK(r.err.find("amount") != std::string::npos);

    r = s.cli.run({"finding", "add", "--campaign", s.campaign, "--category", "no_such_category", "--title", "x"}, "张伟");
    CHECK(r.code == 3);
    CHECK(r.err.find("category") != std::string::npos);

    r = s.cli.run({"finding", "add", "--campaign", s.campaign, "--category", "pollution", "--title", "x", "--field",
                   "no_such_field=1"},
                  "张伟");
    CHECK(r.code == 3);
    CHECK(r.err.find("no_such_field") != std::string::npos);

    r = s.cli.run({"finding", "add", "--category", "pollution", "--title", "x"}, "张伟");
    CHECK(r.code == 2);
    CHECK(r.err.find("--campaign") != std::string::npos);

    r = s.cli.run({"finding", "show", "01a2a1b0-0000-7000-8000-000000000000"});
    CHECK(r.code == 4);

    r = s.cli.run({"finding", "list", "--frobnicate"});
    CHECK(r.code == 2);

    r = s.cli.run({"campaign", "add", "--title", "不该成功"}, "张伟");
    CHECK(r.code == 3);
    CHECK(r.err.find("检查员无权设立专项") != std::string::npos);

    // Submitting without the required template facts is refused and the finding stays a draft.
    std::string id = s.cli.ok({"finding", "add", "--campaign", s.campaign, "--category", "pollution", "--title",
                               "某化工厂夜间偷排", "--region", "620702101", "--area", "hotspot_issues"},
                              "张伟");
    r = s.cli.run({"finding", "submit", id}, "张伟");
    CHECK(r.code == 3);
    CHECK(r.err.find("enterprise") != std::string::npos);
    CHECK(s.cli.json({"finding", "show", id})["finding"]["status"] == "draft");

    Json after = s.cli.json({"status"});
    CHECK(after["totals"]["finding"] == before["totals"]["finding"].get<int>() + 1);
    CHECK(after["outbox_pending"] == before["outbox_pending"].get<int>() + 1);
}

TEST_CASE("a complaint is received, handed over, answered and closed with its deadline in working days", "[cli]") {
    Setup s;
    s.cli.today = "2026-09-28";
    Json c = s.cli.json({"complaint", "add", "--title", "拆迁补偿款迟迟未发放", "--channel", "hotline", "--content",
                         "临泽县沙河镇村民反映拆迁补偿款拖欠半年。", "--name", "赵堃", "--phone", "13800000000",
                         "--received-at", "2026-09-28T02:00:00Z"},
                        "张伟");
    CHECK(c["deadline"] == "2026-10-23");
    std::string id = c["id"];

    // The receiver owns it (首问负责) until it is handed over; the hand-over is recorded.
    Json shown = s.cli.json({"complaint", "show", id});
    CHECK(shown["complaint"]["first_contact_handler"] == "张伟");
    CHECK_FALSE(shown["complaint"].contains("complainant_sealed"));
    s.cli.ok({"complaint", "handover", id, "--to", "李娜", "--note", "涉及拆迁，转组长"}, "张伟");
    ProcessResult r = s.cli.run({"complaint", "investigate", id}, "张伟");
    CHECK(r.code == 3);  // no longer the owner

    s.cli.ok({"complaint", "assign", id, "--to", "张伟"}, "李娜");
    s.cli.ok({"complaint", "investigate", id}, "张伟");
    r = s.cli.run({"complaint", "reply", id, "--text", ""}, "张伟");
    CHECK(r.code == 3);
    s.cli.ok({"complaint", "reply", id, "--text", "已督促镇政府十日内发放补偿款"}, "张伟");
    s.cli.ok({"complaint", "close", id, "--outcome", "补偿款已全额发放", "--satisfaction", "satisfied"}, "张伟");

    shown = s.cli.json({"complaint", "show", id});
    CHECK(shown["complaint"]["status"] == "closed");
    bool handover = false;
    for (const auto& h : shown["history"])
        if (h["action"] == "handover") handover = h["detail"]["from"] == "张伟" && h["detail"]["to"] == "李娜";
    CHECK(handover);

    // Only HQ opens the sealed identity, and the opening is audited.
    r = s.cli.run({"complaint", "reveal", id}, "李娜");
    CHECK(r.code == 3);
    Json who = s.cli.json({"complaint", "reveal", id});
    CHECK(who["name"] == "赵堃");

    Json kpi = s.cli.json({"kpi"});
    CHECK(kpi["complaints"]["total"] == 1);
    CHECK(kpi["complaints"]["completion_rate"] == 1.0);
    // Received 2026-09-28 and closed now (real time, after the 2026-10-23 deadline): late.
    CHECK(kpi["complaints"]["on_time_rate"] == 0.0);
    CHECK(kpi["complaints"]["response_rate"] == 1.0);
}

TEST_CASE("complaint deadlines show yellow and red cards by working days", "[cli]") {
    Setup s;
    s.cli.today = "2026-10-20";  // deadline 2026-10-23 is 3 working days away: yellow
    s.cli.ok({"complaint", "add", "--title", "窗口办事拖延", "--channel", "walk_in", "--content", "办证拖延两个月",
              "--anonymous", "--received-at", "2026-09-28T02:00:00Z"},
             "张伟");
    Json list = s.cli.json({"complaint", "list"});
    REQUIRE(list["complaints"].size() == 1);
    CHECK(list["complaints"][0]["light"] == "yellow");
    CHECK(list["complaints"][0]["workdays_left"] == 3);
    s.cli.today = "2026-10-26";
    list = s.cli.json({"complaint", "list"});
    CHECK(list["complaints"][0]["light"] == "red");
}

TEST_CASE("calendar due counts Chinese working days with holidays and make-up days", "[cli]") {
    Setup s;
    CHECK(s.cli.ok({"calendar", "due", "2026-09-28", "15"}) == "2026-10-23");
    CHECK(s.cli.run({"calendar", "due", "2026-02-30", "3"}).code == 3);
    CHECK(s.cli.run({"calendar", "due", "2026-09-28", "many"}).code == 2);
}

TEST_CASE("search finds exactly the findings containing a two-character Chinese word", "[cli]") {
    Setup s;
    std::string a = s.addWageFinding("梁家墩镇欠薪问题");
    std::string b = s.cli.ok({"finding", "add", "--campaign", s.campaign, "--category", "demolition", "--title",
                              "城区拆迁补偿不到位", "--narrative", "补偿标准低于文件规定"},
                             "张伟");
    s.cli.ok({"finding", "add", "--campaign", s.campaign, "--category", "pollution", "--title", "拆除迁移旧厂房粉尘扰民"},
             "张伟");
    Json hits = s.cli.json({"search", "拆迁"});
    REQUIRE(hits["count"] == 1);
    CHECK(hits["hits"][0]["id"] == b);
    hits = s.cli.json({"search", "欠薪"});
    REQUIRE(hits["count"] == 1);
    CHECK(hits["hits"][0]["id"] == a);
    Json listed = s.cli.json({"finding", "list", "--search", "拆迁"});
    CHECK(listed["total"] == 1);
}
