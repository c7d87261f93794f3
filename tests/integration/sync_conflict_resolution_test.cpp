// A conflict from recording to resolution, across real devices and a real server on loopback:
// two inspectors change one finding's title offline, sync gives every replica the same winner
// and the same conflict record; an inspector cannot resolve it (refused on the laptop, and a
// forged push is rejected by the server), nor can a lead of another team; the team's lead keeps
// the overwritten version, and after everyone syncs every replica has the resolved conflict and
// the kept title.
#include <algorithm>
#include <catch2/catch.hpp>

#include "app/paths.h"
#include "core/dates.h"
#include "core/form_template.h"
#include "store/store.h"
#include "store/sync_state.h"
#include "store/writer.h"
#include "support/hq_seed.h"
#include "support/server_process.h"
#include "support/sync_devices.h"
#include "sync/server/admin.h"
#include "sync/server/sqlite_storage.h"

using namespace jc;
using test::Device;

namespace {

struct TwoTeams {
    test::TempDir serverDir;
    std::string db = (serverDir.path / "server.db").string();
    std::unique_ptr<test::ServerProcess> server;
    Device a{{}, "张伟"}, b{{}, "王磊"}, lead{{}, "李娜"}, otherLead{{}, "赵敏"};
    std::string campaign;

    TwoTeams() {
        auto seed = test::seedHqDatabase(db, {{"张伟", Role::Inspector},
                                              {"王磊", Role::Inspector},
                                              {"李娜", Role::Lead},
                                              {"赵敏", Role::Lead, "第二检查组"}});
        campaign = seed.campaign;
        server = std::make_unique<test::ServerProcess>(db, (serverDir.path / "blobs").string());
        for (Device* d : all()) {
            d->ok({"enroll", "--server", server->url(), "--code", seed.codes[d->name]});
            REQUIRE(d->sync()["ok"] == true);
        }
    }
    std::vector<Device*> all() { return {&a, &b, &lead, &otherLead}; }
};

Json openConflicts(Device& d) { return d.json({"conflict", "list"})["conflicts"]; }

// The server's verdicts on rejected changes this device pushed to this record ("forbidden", maybe
// followed by the server's message).
std::vector<std::string> rejectionReasons(Device& d, const std::string& entityId) {
    Store store(d.storePath().string());
    std::vector<std::string> out;
    for (const auto& r : listRejections(store.db()))
        if (r.entityId == entityId) out.push_back(r.reason);
    return out;
}

}  // namespace

TEST_CASE("a lead resolves a sync conflict by keeping the overwritten version, and every replica follows",
          "[sync][integration][conflict]") {
    TwoTeams t;
    std::string f = t.a.ok({"finding", "add", "--campaign", t.campaign, "--category", "demolition", "--title",
                            "城区拆迁补偿不到位", "--region", "620702101", "--area", "hotspot_issues",
                            "--assignee", "王磊"});  // recorded by 张伟, handled by 王磊: both may edit it
    REQUIRE(t.a.sync()["pushed"].get<int>() >= 1);
    REQUIRE(t.b.sync()["ok"] == true);

    // Offline, both inspectors correct the title; 王磊's edit is the later one.
    t.a.ok({"finding", "edit", f, "--title", "城区拆迁补偿款拖欠（张伟更正）"});
    t.b.ok({"finding", "edit", f, "--title", "城区拆迁补偿不到位（王磊核实）"});
    REQUIRE(t.a.sync()["ok"] == true);
    Json rb = t.b.sync();
    REQUIRE(rb["ok"] == true);
    CHECK(rb["conflicts"].get<int>() == 1);
    for (int round = 0; round < 2; ++round)
        for (Device* d : {&t.a, &t.b, &t.lead}) REQUIRE(d->sync()["ok"] == true);

    // Every replica of the team holds the same open conflict, with both versions and authors.
    std::string id;
    for (Device* d : {&t.a, &t.b, &t.lead}) {
        INFO(d->name);
        Json open = openConflicts(*d);
        REQUIRE(open.size() == 1);
        const Json& c = open[0];
        CHECK(c["entity"] == "finding");
        CHECK(c["entity_id"] == f);
        CHECK(c["field"] == "title");
        CHECK(c["field_label"] == "标题");
        CHECK(c["winner"]["value"] == "城区拆迁补偿不到位（王磊核实）");
        CHECK(c["winner"]["author"] == "王磊");
        CHECK(c["loser"]["value"] == "城区拆迁补偿款拖欠（张伟更正）");
        CHECK(c["loser"]["author"] == "张伟");
        CHECK(isIsoTimestamp(c["loser"]["at"].get<std::string>()));
        CHECK(c["current"] == "winner");
        CHECK(c["record"].get<std::string>().find("城区拆迁补偿不到位（王磊核实）") != std::string::npos);
        if (id.empty()) id = c["id"];
        CHECK(c["id"] == id);
        CHECK(d->json({"finding", "show", f})["finding"]["title"] == "城区拆迁补偿不到位（王磊核实）");
    }
    // The other team sees neither the finding nor its conflict.
    REQUIRE(t.otherLead.sync()["ok"] == true);
    CHECK(openConflicts(t.otherLead).empty());

    // An inspector is refused on the laptop, and nothing is written or queued.
    int64_t pendingBefore = t.a.json({"status"})["outbox_pending"];
    test::ProcessResult r = t.a.run({"conflict", "resolve", id, "--keep", "loser"});
    CHECK(r.code == 3);
    CHECK(r.err.find("只有组长或总部") != std::string::npos);
    CHECK(t.a.json({"status"})["outbox_pending"] == pendingBefore);
    CHECK(openConflicts(t.a).size() == 1);

    // A forged resolution (written past the command, as a modified client would) is rejected by the server.
    {
        Store store(t.a.storePath().string());
        Transaction tx(store.db());
        ChangeWriter w(store, tx, "张伟");
        w.update("conflict", id,
                 {{"resolution", "kept_loser"}, {"resolved_value", {{"value", "城区拆迁补偿款拖欠（张伟更正）"}}},
                  {"resolved_by", "张伟"}, {"resolved_at", nowIso()}});
        tx.commit();
    }
    Json ra = t.a.sync();
    CHECK(ra["rejected"].get<int>() >= 1);
    auto reasons = rejectionReasons(t.a, id);
    REQUIRE(reasons.size() == 1);
    CHECK(reasons[0].rfind("forbidden", 0) == 0);

    // A lead of another team who got hold of the conflict record cannot resolve it either.
    {
        Store store(t.otherLead.storePath().string());
        Store lead(t.lead.storePath().string());
        FieldMap c = lead.require("conflict", id);
        c.erase("id");
        c.erase("updated_at");
        c.erase("deleted");
        RemoteChange rc;
        rc.serverSeq = pullCursor(store);
        rc.entity = "conflict";
        rc.entityId = id;
        rc.fields = c;
        rc.versions = Json::object();
        rc.author = "server";
        applyRemoteChanges(store, {rc}, pullCursor(store));
        Transaction tx(store.db());
        ChangeWriter w(store, tx, "赵敏");
        w.update("conflict", id,
                 {{"resolution", "kept_winner"}, {"resolved_value", {{"value", "城区拆迁补偿不到位（王磊核实）"}}},
                  {"resolved_by", "赵敏"}, {"resolved_at", nowIso()}});
        tx.commit();
    }
    Json ro = t.otherLead.sync();
    CHECK(ro["rejected"].get<int>() >= 1);
    reasons = rejectionReasons(t.otherLead, id);
    REQUIRE(reasons.size() == 1);
    CHECK(reasons[0].rfind("forbidden", 0) == 0);
    if (reasons[0].size() > 9) CHECK(reasons[0].find("another team") != std::string::npos);
    REQUIRE(t.lead.sync()["ok"] == true);
    CHECK(openConflicts(t.lead).size() == 1);  // neither forged resolution reached the team

    // Even the team's lead cannot record the decision under someone else's name, or an unknown resolution.
    for (auto [resolution, by] : {std::pair<std::string, std::string>{"kept_winner", "王局"}, {"kept_both", "李娜"}}) {
        INFO(resolution << " by " << by);
        {
            Store store(t.lead.storePath().string());
            Transaction tx(store.db());
            ChangeWriter w(store, tx, "李娜");
            w.update("conflict", id, {{"resolution", resolution}, {"resolved_by", by}, {"resolved_at", nowIso()}});
            tx.commit();
        }
        CHECK(t.lead.sync()["rejected"].get<int>() == 1);
        // The refused values stay listed in sync_rejection, and the lead's copy is the server's again.
        CHECK(openConflicts(t.lead).size() == 1);
    }
    {
        Store store(t.lead.storePath().string());
        std::vector<std::string> leadReasons;
        for (const auto& rj : listRejections(store.db()))
            if (rj.entityId == id) leadReasons.push_back(rj.reason);
        REQUIRE(leadReasons.size() == 2);
        CHECK(std::count_if(leadReasons.begin(), leadReasons.end(),
                            [](const std::string& r) { return r.rfind("forbidden", 0) == 0; }) == 1);
        CHECK(std::count_if(leadReasons.begin(), leadReasons.end(),
                            [](const std::string& r) { return r.rfind("invalid", 0) == 0; }) == 1);
    }

    // The team's lead keeps the overwritten version: the conflict is resolved and the title rewritten.
    Json res = t.lead.json({"conflict", "resolve", id, "--keep", "loser"});
    CHECK(res["resolution"] == "kept_loser");
    CHECK(res["record_changed"] == true);
    CHECK(openConflicts(t.lead).empty());
    r = t.lead.run({"conflict", "resolve", id, "--keep", "winner"});
    CHECK(r.code == 3);
    CHECK((r.err.find("冲突") != std::string::npos && r.err.find("已由") != std::string::npos));

    Json rl = t.lead.sync();
    CHECK(rl["rejected"] == 0);
    CHECK(rl["conflicts"] == 0);  // the kept value is written from the version the lead had seen
    for (int round = 0; round < 2; ++round)
        for (Device* d : {&t.a, &t.b, &t.lead}) REQUIRE(d->sync()["ok"] == true);

    auto sa = test::snapshot(t.a.dir.path), sb = test::snapshot(t.b.dir.path), sl = test::snapshot(t.lead.dir.path);
    for (auto* s : {&sa, &sb, &sl}) {
        const Json& c = (*s)["conflict/" + id];
        CHECK(c["resolution"] == "kept_loser");
        CHECK(c["resolved_by"] == "李娜");
        CHECK(c["resolved_value"]["value"] == "城区拆迁补偿款拖欠（张伟更正）");
        CHECK((*s)["finding/" + f]["title"] == "城区拆迁补偿款拖欠（张伟更正）");
    }
    CHECK(sa["conflict/" + id] == sl["conflict/" + id]);
    CHECK(sb["conflict/" + id] == sl["conflict/" + id]);
    CHECK(sa["finding/" + f] == sl["finding/" + f]);
    CHECK(sb["finding/" + f] == sl["finding/" + f]);
    for (Device* d : {&t.a, &t.b, &t.lead}) {
        INFO(d->name);
        CHECK(openConflicts(*d).empty());
        Json everything = d->json({"conflict", "list", "--all"})["conflicts"];
        REQUIRE(everything.size() == 1);
        CHECK(everything[0]["resolution"]["by"] == "李娜");
        CHECK(everything[0]["current"] == "loser");
    }
}
