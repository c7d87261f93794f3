// The calendar and electronic supervision across devices, through the real server on loopback:
// HQ imports approval records, which reach the lead of the team whose region they belong to and
// no other team; HQ publishes 2027's holiday arrangement, which reaches every device, turns 2027
// from "by rule" to official there, and moves the deadline of an open complaint, whose history
// says so.
#include <catch2/catch.hpp>

#include "support/hq_seed.h"
#include "support/server_process.h"
#include "support/sync_devices.h"
#include "sync/protocol/protocol.h"

using namespace jc;

TEST_CASE(
    "an arrangement HQ publishes reaches a lead's device and moves a deadline, and approvals go to their region's team",
    "[sync][calendar][esup]") {
    test::TempDir serverDir;
    std::string db = (serverDir.path / "server.db").string();
    auto seed = test::seedHqDatabase(db, {{"王局", Role::HqAdmin, ""}, {"李娜", Role::Lead, "第一检查组"}});
    std::string ganzhouCode;
    {
        auto storage = server::openSqliteStorage(db);
        server::Admin admin(*storage);
        admin.addTeam("甘州区检查组", Json::array({"620702"}));
        admin.addUser("赵强", Role::Lead, "甘州区检查组", Json::array());
        // Codes that last until the pretended date below (issued on the real clock).
        ganzhouCode = admin.enrollCode("赵强", server::kMaxEnrollTtlHours);
        for (const char* u : {"王局", "李娜"}) seed.codes[u] = admin.enrollCode(u, server::kMaxEnrollTtlHours);
    }
    // Everyone lives on 2026-12-21 (the receipt time below must not lie ahead of HQ's clock, or
    // the server would replace it with its own receipt time).
    const std::string clock = "faketime -f '@2026-12-21 10:00:00'";
    test::ServerProcess server(db, (serverDir.path / "blobs").string(), {}, "@2026-12-21 10:00:00");
    test::Device hq{{}, "王局", "2026-12-21"}, zhao{{}, "赵强", "2026-12-21"}, li{{}, "李娜", "2026-12-21"};
    for (auto* d : {&hq, &zhao, &li}) d->clock = clock;
    hq.ok({"enroll", "--server", server.url(), "--code", seed.codes["王局"]});
    zhao.ok({"enroll", "--server", server.url(), "--code", ganzhouCode});
    li.ok({"enroll", "--server", server.url(), "--code", seed.codes["李娜"]});
    for (auto* d : {&hq, &zhao, &li}) REQUIRE(d->sync()["ok"] == true);

    // Before: 2027 is counted by rule, and the answer says so.
    Json due = zhao.json({"calendar", "due", "2026-12-20", "15"});
    CHECK(due["due"] == "2027-01-11");
    CHECK(due["by_rule"] == "2027 by rule");
    std::string complaint = zhao.ok({"complaint", "add", "--title", "窗口办事拖延", "--channel", "hotline", "--content",
                                     "营业执照变更一个月未办", "--anonymous", "--region", "620702001", "--received-at",
                                     "2026-12-20T02:00:00.000Z"});
    complaint = complaint.substr(0, complaint.find_first_of("\n "));
    auto listed = [&](const std::string& field) {
        Json all = zhao.json({"complaint", "list"})["complaints"];
        for (const auto& c : all)
            if (c["id"] == complaint) return c[field];
        FAIL_CHECK("complaint " << complaint << " not in " << all.dump());
        return Json();
    };
    CHECK(listed("deadline") == "2027-01-11");
    CHECK(listed("by_rule") == "2027 按规则推算");  // the deadline says it counts 2027 by rule
    REQUIRE(zhao.sync()["ok"] == true);

    // HQ imports approval records of 甘州区 (one of them crossing into 2027).
    std::string csv =
        "事项名称,办件编号,办理单位,申请人,受理时间,承诺时限（工作日）,办结时间,状态\n"
        "食品经营许可证核发,SP2026-0901,甘州区市场监督管理局,张三,2026-12-20 10:00,15,,在办\n"
        "个体工商户登记,GS2026-0902,甘州区市场监督管理局,王五,2026-12-01 09:00,3,2026-12-03 17:00,办结\n";
    auto file = hq.dir.write("approvals.csv", csv);
    Json imp = hq.json({"esupervision", "import", file.string(), "--region", "620702001"});
    CHECK(imp["committed"] == true);
    CHECK(imp["result"]["created"] == 2);
    REQUIRE(hq.sync()["ok"] == true);  // pushes the approvals, pulls the complaint

    Json arrangement = {{"year", 2027},
                        {"holidays", {{"2027-01-01", "元旦"}, {"2027-01-02", "元旦"}, {"2027-01-03", "元旦"}}},
                        {"makeup_workdays", {{"2027-01-09", "元旦"}}},
                        {"note", "国务院办公厅关于2027年部分节假日安排的通知"}};
    auto arr = hq.dir.write("2027.json", arrangement.dump());
    Json pub = hq.json({"calendar", "publish", arr.string()});
    CHECK(pub["cases_moved"] == 1);
    CHECK(pub["approvals_moved"] == 1);
    REQUIRE(hq.sync()["ok"] == true);

    Json r = zhao.sync();
    REQUIRE(r["ok"] == true);
    CHECK(r["rejected"] == 0);
    due = zhao.json({"calendar", "due", "2026-12-20", "15"});
    CHECK(due["due"] == "2027-01-09");
    CHECK(due["by_rule"] == "");
    Json years = zhao.json({"calendar", "years", "2026", "2028"})["years"];
    CHECK(years[1]["year"] == 2027);
    CHECK(years[1]["source"] == "official");
    CHECK(years[1]["published"] == true);
    CHECK(years[2]["source"] == "by_rule");
    bool found = false;
    Json complaints = zhao.json({"complaint", "list"})["complaints"];
    INFO("complaint " << complaint << " in " << complaints.dump());
    for (const auto& c : complaints)
        if (c["id"] == complaint) {
            found = true;
            CHECK(c["deadline"] == "2027-01-09");
            CHECK(c["by_rule"] == "");
        }
    CHECK(found);
    {
        Store store(zhao.storePath().string());
        auto s = store.db().prepare(
            "SELECT detail FROM case_event WHERE entity = 'complaint' AND entity_id = ? AND action = "
            "'deadline_recomputed'");
        s.bind(1, complaint);
        REQUIRE(s.step());
        Json detail = Json::parse(s.getText(0));
        CHECK(detail["from"] == "2027-01-11");
        CHECK(detail["to"] == "2027-01-09");
    }
    // The approvals reached the team of their region, with the moved deadline, and no other team.
    Json mine = zhao.json({"esupervision", "list"})["approvals"];
    REQUIRE(mine.size() == 2);
    CHECK(mine[0]["case_number"] == "SP2026-0901");
    CHECK(mine[0]["deadline"] == "2027-01-09");
    CHECK(mine[1]["light"] == "done");
    REQUIRE(li.sync()["ok"] == true);
    CHECK(li.json({"esupervision", "list"})["approvals"].empty());
    CHECK(li.json({"calendar", "due", "2026-12-20", "15"})["due"] == "2027-01-09");  // the calendar is everyone's

    // Only HQ may publish a year or import approval records.
    CHECK(zhao.run({"calendar", "publish", arr.string()}).code == 3);
    CHECK(zhao.run({"esupervision", "import", file.string()}).code == 3);

    // A store whose cursor an older build (schema 1) moved past records the server withheld from
    // it: pulling on goes on from the cursor, but this build, seeing the store last pulled with
    // an older schema, pulls once more from the start and gets them.
    auto withheld = [&](const char* schema) {
        Store store(zhao.storePath().string());
        store.db().exec("DELETE FROM approval; DELETE FROM field_meta WHERE entity = 'approval'");
        store.setMeta("sync_pull_schema", schema);
    };
    withheld(std::to_string(proto::kSchemaVersion).c_str());
    REQUIRE(zhao.sync()["ok"] == true);
    CHECK(zhao.json({"esupervision", "list"})["approvals"].empty());
    withheld("1");
    REQUIRE(zhao.sync()["ok"] == true);
    CHECK(zhao.json({"esupervision", "list"})["approvals"].size() == 2);
    REQUIRE(zhao.sync()["ok"] == true);
    CHECK(zhao.json({"esupervision", "list"})["approvals"].size() == 2);
}
