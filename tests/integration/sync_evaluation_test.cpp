// Headquarters' evaluation and focus records through a real jiancha-server on loopback, driven by
// the real `jiancha` binary on two devices: HQ defines, scores, runs and publishes an evaluation;
// after a sync the team lead's device shows the same ranking, never HQ's draft, and cannot change
// it; a second publication arrives as version 2 beside version 1. A unit HQ puts under focus
// reaches the lead, and so does its lifting with the note.
#include <catch2/catch.hpp>

#include "support/hq_seed.h"
#include "support/server_process.h"
#include "support/sync_devices.h"

using namespace jc;

namespace {

const char* kScheme = R"({
  "title": "2026年第四季度行政效能评估",
  "indicators": [
    {"source": "manual", "code": "public_review", "label": "群众评议", "weight": 60,
     "rule": {"kind": "linear", "floor": 40, "target": 100}},
    {"source": "manual", "code": "inspection", "label": "明察暗访", "weight": 40, "rule": {"kind": "rank"}}
  ],
  "grades": {"excellent": 85, "good": 70, "fair": 50},
  "units": ["甘州区市场监督管理局", "党寨镇人民政府", "甘州区住房和城乡建设局"]
})";

// Rank, unit and total of each result, in order: what "the same ranking" means.
std::vector<std::string> ranking(const Json& evaluation) {
    std::vector<std::string> out;
    for (const auto& r : evaluation["results"])
        out.push_back(std::to_string(r["rank"].get<int>()) + " " + r["unit_name"].get<std::string>() + " " +
                      r["total"].dump() + " " + r["grade_label"].get<std::string>());
    return out;
}

}  // namespace

TEST_CASE("a published evaluation and a focus reach the team lead read-only", "[sync][evaluation]") {
    test::TempDir serverDir{"evalsync"};
    std::string db = (serverDir.path / "server.db").string();
    auto seed = test::seedHqDatabase(db, {{"王局", Role::HqAdmin, ""}, {"李娜", Role::Lead}});
    test::ServerProcess server(db, (serverDir.path / "blobs").string());
    test::Device hq{{}, "王局"}, lead{{}, "李娜"};
    hq.ok({"enroll", "--server", server.url(), "--code", seed.codes["王局"]});
    lead.ok({"enroll", "--server", server.url(), "--code", seed.codes["李娜"]});
    REQUIRE(hq.sync()["ok"] == true);

    for (auto [name, kind] : {std::pair{"甘州区市场监督管理局", "department"}, {"党寨镇人民政府", "township_gov"},
                              {"甘州区住房和城乡建设局", "department"}})
        hq.ok({"unit", "add", "--name", name, "--kind", kind, "--region", "620702"});
    std::string schemeFile = hq.dir.write("scheme.json", kScheme).string();
    // Weights that do not sum to 100 are refused on the command line with the weights listed.
    Json bad = Json::parse(kScheme);
    bad["indicators"][1]["weight"] = 30;
    auto refused = hq.run({"evaluation", "scheme", "add", "--campaign", seed.campaign, "--period", "2026-Q4", "--file",
                           hq.dir.write("bad.json", bad.dump()).string()});
    CHECK(refused.code == 3);
    CHECK(refused.err.find("各指标权重之和应为 100，现在是 90（群众评议 60 + 明察暗访 30）") != std::string::npos);
    CHECK(hq.json({"evaluation", "list"})["evaluations"].empty());
    std::string draft = hq.ok({"evaluation", "scheme", "add", "--campaign", seed.campaign, "--period", "2026-Q4", "--file", schemeFile});
    // 群众评议 linear 40→100, 明察暗访 by rank (3 units: 100 / 50 / 0):
    //   市场监管局 85 → 75 · 0.6 = 45, 明察暗访 90 (best) → 40: 85.00 优秀
    //   住建局     70 → 50 · 0.6 = 30, 明察暗访 80 (middle) → 20: 50.00 一般
    //   党寨镇     94 → 90 · 0.6 = 54, 明察暗访 60 (worst) → 0:  54.00 一般
    for (auto [unit, review, visit] : {std::tuple{"甘州区市场监督管理局", "85", "90"}, {"甘州区住房和城乡建设局", "70", "80"},
                                       {"党寨镇人民政府", "94", "60"}}) {
        hq.ok({"evaluation", "score", draft, "--indicator", "public_review", "--unit", unit, "--score", review, "--note", "群众评议会"});
        hq.ok({"evaluation", "score", draft, "--indicator", "inspection", "--unit", unit, "--score", visit});
    }
    Json run = hq.json({"evaluation", "run", draft});
    CHECK(ranking(run) == std::vector<std::string>{"1 甘州区市场监督管理局 85.0 优秀", "2 党寨镇人民政府 54.0 一般",
                                                   "3 甘州区住房和城乡建设局 50.0 一般"});
    Json published = hq.json({"evaluation", "publish", draft});
    std::string v1 = published["id"].get<std::string>();
    CHECK(published["version"] == 1);
    std::string focus = hq.ok({"monitor", "focus", "add", "--unit", "党寨镇人民政府", "--reason", "群众评议偏低，列为重点监控"});
    Json pushed = hq.sync();
    REQUIRE(pushed["ok"] == true);
    CHECK(pushed["rejected"] == 0);

    // The lead sees the published version with the same ranking, and not HQ's draft.
    REQUIRE(lead.sync()["ok"] == true);
    Json list = lead.json({"evaluation", "list"});
    REQUIRE(list["evaluations"].size() == 1);
    CHECK(list["evaluations"][0]["id"] == v1);
    CHECK(list["evaluations"][0]["status"] == "published");
    CHECK(lead.run({"evaluation", "show", draft}).code == 4);
    Json seen = lead.json({"evaluation", "show", v1});
    CHECK(ranking(seen) == ranking(run));
    CHECK(seen["results"][0]["items"][0]["detail"] == "群众评议会");
    CHECK(seen["indicators"][1]["rule_text"] == "排名（高者优）");

    // Read-only on the lead's device: every write is refused before anything is queued.
    int64_t pendingBefore = lead.json({"status"})["outbox_pending"].get<int64_t>();
    auto runByLead = lead.run({"evaluation", "run", v1});
    CHECK(runByLead.code == 3);
    CHECK(lead.run({"evaluation", "publish", v1}).code == 3);
    CHECK(lead.run({"monitor", "focus", "lift", focus, "--note", "不同意"}).code == 3);
    CHECK(lead.run({"monitor", "rule", "set", "unit_complaints", "min_complaints=1"}).code == 3);
    CHECK(lead.json({"status"})["outbox_pending"].get<int64_t>() == pendingBefore);

    // `jiancha monitor` lists today's flags and what is under focus.
    Json monitor = lead.json({"monitor"});
    CHECK(monitor["flags"].is_array());
    REQUIRE(monitor["focus"].size() == 1);
    CHECK(monitor["focus"][0]["subject"] == "党寨镇人民政府");

    // The focus shows on the lead's device.
    Json focusList = lead.json({"monitor", "focus", "list"});
    REQUIRE(focusList["focus"].size() == 1);
    CHECK(focusList["focus"][0]["subject"] == "党寨镇人民政府");
    CHECK(focusList["focus"][0]["reason"] == "群众评议偏低，列为重点监控");

    // HQ corrects a score and publishes again: version 2 arrives beside version 1; HQ lifts the focus.
    hq.ok({"evaluation", "score", draft, "--indicator", "public_review", "--unit", "甘州区住房和城乡建设局", "--score", "100"});
    hq.ok({"evaluation", "run", draft});
    std::string v2 = hq.json({"evaluation", "publish", draft})["id"].get<std::string>();
    hq.ok({"monitor", "focus", "lift", focus, "--note", "复查后群众评议回升"});
    REQUIRE(hq.sync()["rejected"] == 0);
    REQUIRE(lead.sync()["ok"] == true);
    Json versions = lead.json({"evaluation", "list"});
    REQUIRE(versions["evaluations"].size() == 2);
    CHECK(lead.json({"evaluation", "show", v1})["status"] == "superseded");
    Json second = lead.json({"evaluation", "show", v2});
    CHECK(second["version"] == 2);
    CHECK(ranking(second) == ranking(hq.json({"evaluation", "show", v2})));
    CHECK(second["results"][1]["unit_name"] == "甘州区住房和城乡建设局");  // 100 → 60 + 20 = 80.00, second
    CHECK(second["results"][1]["grade_label"] == "良好");
    CHECK(lead.json({"monitor", "focus", "list"})["focus"].empty());
    Json all = lead.json({"monitor", "focus", "list", "--all"});
    REQUIRE(all["focus"].size() == 1);
    CHECK(all["focus"][0]["lift_note"] == "复查后群众评议回升");
}
