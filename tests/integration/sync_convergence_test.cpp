// Two inspectors and a lead on three data dirs against one real server on loopback, through
// the real `jiancha` binary: offline edits everywhere, syncs in varied orders, and every replica
// ends identical, with a conflict recorded where two people edited one field. Also: a push whose
// response was lost is replayed without doubling anything, and a kill -9 of the client during a
// push loses nothing.
#include <fcntl.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <set>

#include "app/paths.h"
#include "core/form_template.h"
#include "store/store.h"
#include "support/run_process.h"
#include "support/hq_seed.h"
#include "support/server_process.h"
#include "support/sync_devices.h"
#include "sync/server/admin.h"
#include "sync/server/sqlite_storage.h"

using namespace jc;
namespace fs = std::filesystem;

namespace {

using test::Device;
using test::snapshot;

struct Team {
    test::TempDir serverDir;
    std::string db = (serverDir.path / "server.db").string();
    std::unique_ptr<test::ServerProcess> server;
    Device a{{}, "张伟"}, b{{}, "王磊"}, lead{{}, "李娜"};
    std::string campaign;

    Team() {
        auto seed = test::seedHqDatabase(db, {{"张伟", Role::Inspector}, {"王磊", Role::Inspector}, {"李娜", Role::Lead}});
        campaign = seed.campaign;
        codes = {seed.codes["张伟"], seed.codes["王磊"], seed.codes["李娜"]};
        server = std::make_unique<test::ServerProcess>(db, (serverDir.path / "blobs").string());
        a.ok({"enroll", "--server", server->url(), "--code", codes[0]});
        b.ok({"enroll", "--server", server->url(), "--code", codes[1]});
        lead.ok({"enroll", "--server", server->url(), "--code", codes[2]});
        for (Device* d : {&a, &b, &lead}) REQUIRE(d->sync()["ok"] == true);
    }
    std::vector<std::string> codes;

    std::string finding(Device& d, const std::string& category, const std::string& title) {
        return d.ok({"finding", "add", "--campaign", campaign, "--category", category, "--title", title, "--region",
                     "620702101", "--area", "hotspot_issues"});
    }
};

}  // namespace

TEST_CASE("three devices editing offline converge to identical replicas with conflicts recorded", "[sync][integration]") {
    Team t;
    std::string f1 = t.finding(t.a, "demolition", "城区拆迁补偿不到位");
    REQUIRE(t.a.sync()["pushed"].get<int>() >= 1);
    REQUIRE(t.lead.sync()["ok"] == true);
    REQUIRE(t.b.sync()["ok"] == true);

    // Offline: A and the lead both change the title of the same draft; B records its own work.
    t.a.ok({"finding", "edit", f1, "--title", "城区拆迁补偿款拖欠（张伟更正）"});
    t.lead.ok({"finding", "edit", f1, "--title", "城区拆迁补偿不到位（组长修改）", "--severity", "high"});
    std::string f2 = t.finding(t.b, "wage_arrears", "梁家墩镇安置房项目拖欠农民工工资");
    std::string c1 = t.b.ok({"complaint", "add", "--title", "窗口办事拖延", "--channel", "walk_in", "--content",
                             "办证拖延两个月", "--anonymous"});
    std::string f3 = t.finding(t.a, "pollution", "某化工厂夜间偷排废水");

    // Sync in an order that makes the lead's edit arrive second.
    Json ra = t.a.sync();
    Json rl = t.lead.sync();
    Json rb = t.b.sync();
    CHECK(ra["ok"] == true);
    CHECK(rl["ok"] == true);
    CHECK(rb["ok"] == true);
    CHECK(rl["conflicts"].get<int>() >= 1);
    // Two more rounds so everyone has everything.
    for (int round = 0; round < 2; ++round)
        for (Device* d : {&t.b, &t.a, &t.lead}) REQUIRE(d->sync()["ok"] == true);

    auto sa = snapshot(t.a.dir.path), sb = snapshot(t.b.dir.path), sl = snapshot(t.lead.dir.path);
    CHECK(sa.count("finding/" + f2) == 1);
    CHECK(sb.count("finding/" + f3) == 1);
    CHECK(sl.count("complaint/" + c1) == 1);
    CHECK(sa.size() == sl.size());
    CHECK(sb.size() == sl.size());
    for (const auto& [key, row] : sl) {
        INFO(key);
        CHECK(sa[key] == row);
        CHECK(sb[key] == row);
    }
    // The conflict keeps both titles, and the non-conflicting severity edit went through.
    int conflicts = 0;
    for (const auto& [key, row] : sl)
        if (key.rfind("conflict/", 0) == 0 && row["entity_id"] == f1 && row["field"] == "title") {
            ++conflicts;
            // Values travel wrapped as {"value": …} because a conflict can be about a field of any kind.
            std::set<std::string> values = {row["winner_value"]["value"].dump(), row["loser_value"]["value"].dump()};
            CHECK(values.count(Json("城区拆迁补偿款拖欠（张伟更正）").dump()) == 1);
            CHECK(values.count(Json("城区拆迁补偿不到位（组长修改）").dump()) == 1);
        }
    CHECK(conflicts == 1);
    CHECK(sl["finding/" + f1]["severity"] == "high");
}

TEST_CASE("a push whose response was lost is replayed without doubling anything", "[sync][integration]") {
    Team t;
    for (int i = 0; i < 5; ++i) t.finding(t.a, "food_drug", "学校食堂食品安全隐患 " + std::to_string(i));
    // Keep a copy of the device as it was before the push: restoring it is exactly a device that
    // sent the push but never heard the answer.
    test::TempDir copy;
    fs::copy(t.a.dir.path, copy.path, fs::copy_options::recursive | fs::copy_options::overwrite_existing);
    REQUIRE(t.a.sync()["pushed"] == 5);
    fs::remove_all(t.a.dir.path);
    fs::copy(copy.path, t.a.dir.path, fs::copy_options::recursive);
    Json again = t.a.sync();
    CHECK(again["ok"] == true);
    CHECK(again["pending"] == 0);

    REQUIRE(t.lead.sync()["ok"] == true);
    Json list = t.lead.json({"finding", "list", "--limit", "100"});
    CHECK(list["total"] == 5);
}

TEST_CASE("the client is killed during a push and the next sync loses and doubles nothing", "[sync][integration]") {
    Team t;
    t.a.ok({"demo", "--findings", "120", "--complaints", "40"});
    int64_t before = t.a.json({"status"})["outbox_pending"];
    REQUIRE(before > 600);  // more than one push batch (500)

    // Start a sync and kill -9 it while the push is under way.
    pid_t pid = test::spawnQuiet(JIANCHA_BIN, {"--data-dir", t.a.dir.path.string(), "sync"});
    REQUIRE(pid >= 0);
    for (int i = 0; i < 400; ++i) {
        ::usleep(5000);
        Store probe((t.a.dir.path / "jiancha.db").string());
        if (probe.db().queryInt("SELECT count(*) FROM outbox") < before) break;  // a batch was acknowledged
    }
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
    int64_t mid = t.a.json({"status"})["outbox_pending"];
    INFO("outbox before " << before << ", after the kill " << mid);
    CHECK(mid < before);

    Json r = t.a.sync();
    CHECK(r["ok"] == true);
    CHECK(r["pending"] == 0);
    REQUIRE(t.lead.sync()["ok"] == true);

    // Everything the server accepted from A is on the lead's replica exactly once, and nothing else.
    Store a((t.a.dir.path / "jiancha.db").string()), lead((t.lead.dir.path / "jiancha.db").string());
    std::set<std::string> rejected;
    {
        auto s = a.db().prepare("SELECT entity_id FROM sync_rejection");
        while (s.step()) rejected.insert(s.getText(0));
    }
    for (const char* entity : {"finding", "complaint", "unit", "person", "case_event"}) {
        std::set<std::string> mine, theirs;
        auto s1 = a.db().prepare(std::string("SELECT id FROM ") + entity + " WHERE created_by = '张伟'");
        while (s1.step())
            if (!rejected.count(s1.getText(0))) mine.insert(s1.getText(0));
        auto s2 = lead.db().prepare(std::string("SELECT id FROM ") + entity + " WHERE created_by = '张伟'");
        while (s2.step()) theirs.insert(s2.getText(0));
        INFO(entity);
        CHECK(mine.size() > 0);
        CHECK(theirs == mine);
    }
}

TEST_CASE("a complainant's identity sealed on a laptop is readable only at HQ, after sync", "[sync][integration]") {
    test::TempDir serverDir;
    std::string db = (serverDir.path / "server.db").string();
    Device hq{{}, "王局"}, a{{}, "张伟"};
    // HQ's own store holds the key pair; the server hands the public half to enrolling devices.
    std::string key = hq.json({"init", "--user", "王局", "--role", "hq_admin"})["hq_public_key"];
    server::initSqliteStorage(db);
    std::string codeHq, codeA;
    {
        auto storage = server::openSqliteStorage(db);
        server::Admin admin(*storage);
        admin.addTeam("第一检查组");
        admin.addUser("王局", Role::HqAdmin, "");
        admin.addUser("张伟", Role::Inspector, "第一检查组");
        {
            auto tx = storage->write();  // holds the single writer until it goes out of scope
            tx->setSetting("hq_public_key", key);
            tx->commit();
        }
        codeHq = admin.enrollCode("王局");
        codeA = admin.enrollCode("张伟");
    }
    test::ServerProcess srv(db);
    hq.ok({"enroll", "--server", srv.url(), "--code", codeHq});
    a.ok({"enroll", "--server", srv.url(), "--code", codeA});
    std::string id = a.ok({"complaint", "add", "--title", "征地补偿被截留", "--channel", "walk_in", "--content",
                           "村民反映征地补偿款被村干部截留。", "--name", "赵堃", "--phone", "13800000000"});
    REQUIRE(a.sync()["ok"] == true);
    // The laptop itself cannot open what it sealed.
    CHECK(a.run({"complaint", "reveal", id}).code == 3);
    Json r = hq.sync();
    REQUIRE(r["ok"] == true);
    CHECK(r["rejected"] == 0);
    Json who = hq.json({"complaint", "reveal", id});
    CHECK(who["name"] == "赵堃");
    CHECK(who["phone"] == "13800000000");
}
