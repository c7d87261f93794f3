// Region scope on the device and on the server: an inspector limited to 甘州区 cannot record a
// finding or complaint in 民乐县 — the client refuses before writing anything (nothing queued),
// and a record inside the scope syncs as usual. The server's own check is in
// server_push_pull_test ("region scope limits where …").
#include <catch2/catch.hpp>

#include "support/hq_seed.h"
#include "support/server_process.h"
#include "support/sync_devices.h"

using namespace jc;

TEST_CASE("an inspector records findings and complaints only inside their region scope", "[sync][scope]") {
    test::TempDir serverDir;
    std::string db = (serverDir.path / "server.db").string();
    auto seed = test::seedHqDatabase(db, {{"张伟", Role::Inspector, "第一检查组", Json::array({"620702"})}});  // 甘州区
    std::string campaign = seed.campaign, code = seed.codes["张伟"];
    test::ServerProcess server(db, (serverDir.path / "blobs").string());
    test::Device d{{}, "张伟"};
    d.ok({"enroll", "--server", server.url(), "--code", code});
    REQUIRE(d.sync()["ok"] == true);
    auto pending = [&] { return d.json({"status"})["outbox_pending"].get<int64_t>(); };
    auto findingIn = [&](const std::string& region, const std::string& title) {
        return d.run({"finding", "add", "--campaign", campaign, "--category", "wage_arrears", "--title", title,
                      "--region", region, "--area", "hotspot_issues"});
    };

    int64_t before = pending();
    auto out = findingIn("620722101", "洪水镇工地拖欠工资");  // 民乐县洪水镇
    CHECK(out.code == 3);
    CHECK(out.err.find("620722101") != std::string::npos);
    CHECK(out.err.find("的辖区") != std::string::npos);
    CHECK(pending() == before);

    auto c = d.run({"complaint", "add", "--title", "欠薪投诉", "--channel", "walk_in", "--content", "工地拖欠工资",
                    "--anonymous", "--region", "620722101"});
    CHECK(c.code == 3);
    CHECK(pending() == before);

    auto in = findingIn("620702001", "东街街道工地拖欠工资");
    REQUIRE(in.code == 0);
    std::string id = in.out.substr(0, in.out.find_first_of("\n "));
    // Moving it out of the scope is refused too, and it keeps its township.
    CHECK(d.run({"finding", "edit", id, "--region", "620722101"}).code == 3);
    Json r = d.sync();
    CHECK(r["ok"] == true);
    CHECK(r["rejected"] == 0);
    CHECK(r["pushed"].get<int>() >= 1);
    CHECK(d.json({"finding", "show", id})["finding"]["region_code"] == "620702001");
}
