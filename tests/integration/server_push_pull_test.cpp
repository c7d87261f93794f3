// Push and pull against a real jiancha-server on loopback (sync/server/local_server.h) through a
// real HTTP client: idempotent replay, seq gaps, rejected changes, paging, team scope, workflow
// permissions, official numbers and causal conflicts (DESIGN.md §4).
#include <httplib.h>

#include <catch2/catch.hpp>
#include <memory>
#include <set>

#include "core/dates.h"
#include "core/hlc.h"
#include "core/uuid.h"
#include "sync/protocol/protocol.h"
#include "sync/server/local_server.h"

using jc::Json;
using jc::server::LocalServer;

namespace {

struct Device {
    Device(LocalServer& s, const std::string& userName) : user(userName), cli(s.host(), s.port()) {
        auto e = s.enroll(userName, userName + "-laptop");
        id = e.deviceId;
        token = e.token;
        clock = std::make_unique<jc::HybridClock>(id);
        cli.set_read_timeout(60, 0);
    }

    httplib::Headers headers() const {
        return {{"X-Jiancha-Protocol", "1"}, {"X-Jiancha-Schema", std::to_string(schema)}, {"Authorization", "Bearer " + token}};
    }

    Json change(const std::string& entity, const std::string& entityId, Json fields, Json base = Json::object(),
                std::string hlc = {}) {
        jc::proto::Change c{jc::newUuidV7(), ++seq, entity, entityId, std::move(fields), std::move(base),
                            hlc.empty() ? clock->now().encode() : hlc, user};
        return jc::proto::toJson(c);
    }
    Json create(const std::string& entity, const std::string& entityId, Json fields) {
        fields["created_at"] = jc::nowIso();
        fields["created_by"] = user;
        return change(entity, entityId, fields);
    }

    httplib::Result pushRaw(const Json& changes, const std::string& inc) {
        jc::proto::PushBodyWriter body(id, inc);
        for (const auto& c : changes)
            body.add(c.value("change_id", ""), c.value("seq", int64_t(0)), c.value("entity", ""), c.value("entity_id", ""),
                     c["fields"].dump(), c.value("base_versions", Json::object()).dump(), c.value("hlc", ""),
                     c.value("user_id", ""));
        return cli.Post("/v1/push", headers(), body.finish(), "application/json");
    }
    Json push(const Json& changes) {
        auto r = pushRaw(changes, incarnation);
        REQUIRE(r);
        INFO(r->body);
        REQUIRE(r->status == 200);
        return Json::parse(r->body);
    }
    Json pullPage(int64_t cursor, int limit, std::optional<int64_t> epoch = std::nullopt) {
        std::string path = "/v1/pull?cursor=" + std::to_string(cursor) + "&limit=" + std::to_string(limit);
        if (epoch) path += "&scope_epoch=" + std::to_string(*epoch);
        auto r = cli.Get(path.c_str(), headers());
        REQUIRE(r);
        INFO(r->body);
        REQUIRE(r->status == 200);
        return Json::parse(r->body);
    }
    // Every visible change from cursor 0.
    std::vector<Json> pullAll() {
        std::vector<Json> out;
        int64_t cursor = 0;
        for (;;) {
            Json page = pullPage(cursor, 2000);
            for (auto& c : page["changes"]) out.push_back(c);
            cursor = page["next_cursor"].get<int64_t>();
            if (!page["has_more"].get<bool>()) break;
        }
        return out;
    }

    std::string user, id, token, incarnation = jc::newUuidV7();
    int64_t seq = 0;
    int schema = jc::proto::kSchemaVersion;  // what this device announces (X-Jiancha-Schema)
    std::unique_ptr<jc::HybridClock> clock;
    httplib::Client cli;
};

Json findingFields(const std::string& campaignId, const std::string& title) {
    return {{"campaign_id", campaignId},
            {"category", "land_acquisition"},
            {"title", title},
            {"status", "draft"},
            {"narrative", "某镇征地补偿款未足额发放，涉及农户十二户。"}};
}

std::vector<Json> changesFor(const std::vector<Json>& all, const std::string& entity, const std::string& id = {}) {
    std::vector<Json> out;
    for (const auto& c : all)
        if (c["entity"] == entity && (id.empty() || c["entity_id"] == id)) out.push_back(c);
    return out;
}

// Current value of a field as pulled (the last change that carried it).
Json pulledValue(const std::vector<Json>& all, const std::string& entity, const std::string& id, const std::string& f) {
    Json v;
    for (const auto& c : changesFor(all, entity, id))
        if (c["fields"].contains(f)) v = c["fields"][f];
    return v;
}

// The database the tests run on: SQLite here; pg_push_pull_test.cpp runs them all on PostgreSQL.
#ifndef JC_TEST_SERVER_DB
#define JC_TEST_SERVER_DB std::string()
#endif

struct World {
    LocalServer server{{}, true, JC_TEST_SERVER_DB};
    std::string teamA, teamB, campaign;
    World() {
        auto& a = server.admin();
        teamA = a.addTeam("第一检查组");
        teamB = a.addTeam("第二检查组");
        a.addUser("a1", jc::Role::Inspector, "第一检查组");
        a.addUser("a2", jc::Role::Inspector, "第一检查组");
        a.addUser("lead_a", jc::Role::Lead, "第一检查组");
        a.addUser("b1", jc::Role::Inspector, "第二检查组");
        a.addUser("hq", jc::Role::HqAdmin, "");
        jc::server::CampaignSpec spec;
        spec.title = "2026年征地拆迁专项效能监察";
        spec.numberPrefix = "张监";
        spec.categories = {"land_acquisition", "城镇拆迁"};
        campaign = a.addCampaign(spec);
    }
};

}  // namespace

TEST_CASE("push is idempotent on replay and answers duplicates with the first result", "[server][push]") {
    World w;
    Device a1(w.server, "a1");
    std::string f1 = jc::newUuidV7(), f2 = jc::newUuidV7();
    Json batch = Json::array({a1.create("finding", f1, findingFields(w.campaign, "征地补偿未足额发放")),
                              a1.create("finding", f2, findingFields(w.campaign, "拆迁程序违法"))});
    Json first = a1.push(batch);
    CHECK(first["last_seq"] == 2);
    CHECK(first["results"][0]["status"] == "applied");
    CHECK(first["results"][1]["status"] == "applied");
    CHECK(first["results"][0]["versions"]["title"].get<int64_t>() > 0);

    Json again = a1.push(batch);  // the answer was "lost": the device sends the same batch again
    CHECK(again["last_seq"] == 2);
    REQUIRE(again["results"].size() == 2);
    for (int i = 0; i < 2; ++i) {
        CHECK(again["results"][i]["status"] == "duplicate");
        CHECK(again["results"][i]["original_status"] == "applied");
        CHECK(again["results"][i]["server_seq"] == first["results"][i]["server_seq"]);
    }
    auto all = a1.pullAll();
    CHECK(changesFor(all, "finding", f1).size() == 1);
    CHECK(changesFor(all, "finding", f2).size() == 1);

    // A batch overlapping the acknowledged part: old ones are duplicates, the new one applies.
    a1.seq = 1;
    Json overlap = Json::array({batch[1], a1.change("finding", f1, {{"title", "征地补偿未足额发放（补充）"}})});
    overlap[1]["seq"] = 3;
    a1.seq = 3;
    Json r = a1.push(overlap);
    CHECK(r["results"][0]["status"] == "duplicate");
    CHECK(r["results"][1]["status"] == "applied");
    CHECK(r["last_seq"] == 3);
}

TEST_CASE("a gap in seq is refused with the expected seq and changes nothing", "[server][push]") {
    World w;
    Device a1(w.server, "a1");
    a1.push(Json::array({a1.create("finding", jc::newUuidV7(), findingFields(w.campaign, "一"))}));
    std::string lost = jc::newUuidV7();
    a1.create("finding", lost, findingFields(w.campaign, "never sent"));  // seq 2 is skipped
    Json c3 = a1.create("finding", jc::newUuidV7(), findingFields(w.campaign, "三"));
    auto r = a1.pushRaw(Json::array({c3}), a1.incarnation);
    REQUIRE(r);
    CHECK(r->status == 409);
    Json err = Json::parse(r->body);
    CHECK(err["error"] == "seq_gap");
    CHECK(err["expected_seq"] == 2);
    CHECK(err["message"].get<std::string>().find("seq 2") != std::string::npos);
    CHECK(changesFor(a1.pullAll(), "finding").size() == 1);

    // Non-consecutive seq inside one batch is malformed.
    Json c4 = c3;
    c4["seq"] = 5;
    auto bad = a1.pushRaw(Json::array({c3, c4}), a1.incarnation);
    REQUIRE(bad);
    CHECK(bad->status == 400);

    // An empty push just reports last_seq.
    CHECK(a1.push(Json::array())["last_seq"] == 1);
    // A new incarnation (restored database) starts its own sequence.
    auto other = a1.pushRaw(Json::array({c3}), jc::newUuidV7());
    REQUIRE(other);
    CHECK(other->status == 200);
}

TEST_CASE("a permanently refused change is rejected with a reason and still advances last_seq", "[server][push]") {
    World w;
    Device a1(w.server, "a1");
    std::string f = jc::newUuidV7();
    Json bad = findingFields(w.campaign, "类型错误");
    bad["title"] = 42;  // wrong type
    Json r = a1.push(
        Json::array({a1.create("finding", f, bad), a1.change("finding", jc::newUuidV7(), {{"title", "no such record"}}),
                     a1.create("team", jc::newUuidV7(), {{"name", "私设检查组"}})}));
    CHECK(r["last_seq"] == 3);
    CHECK(r["results"][0]["status"] == "rejected");
    CHECK(r["results"][0]["reason"] == "invalid");
    CHECK(r["results"][0]["message"].get<std::string>().find("finding.title") != std::string::npos);
    CHECK(r["results"][1]["reason"] == "not_found");
    CHECK(r["results"][2]["reason"] == "forbidden");
    CHECK(changesFor(a1.pullAll(), "finding").empty());

    // The queue is not blocked: the next seq applies.
    Json ok = a1.push(Json::array({a1.create("finding", f, findingFields(w.campaign, "改正后"))}));
    CHECK(ok["results"][0]["status"] == "applied");
    // Replaying the rejected one says so.
    a1.seq = 0;
    Json replay = a1.push(Json::array({a1.create("finding", f, bad)}));
    CHECK(replay["results"][0]["status"] == "duplicate");
    CHECK(replay["results"][0]["original_status"] == "rejected");
}

TEST_CASE("pull pages through changes in commit order with a cursor", "[server][pull]") {
    World w;
    Device a1(w.server, "a1");
    Device lead(w.server, "lead_a");
    Json batch = Json::array();
    std::set<std::string> ids;
    for (int i = 0; i < 25; ++i) {
        std::string id = jc::newUuidV7();
        ids.insert(id);
        batch.push_back(a1.create("finding", id, findingFields(w.campaign, "发现 " + std::to_string(i))));
    }
    a1.push(batch);

    int64_t cursor = 0, prev = 0;
    int pages = 0;
    std::set<std::string> seen;
    for (;;) {
        Json page = lead.pullPage(cursor, 10);
        ++pages;
        for (const auto& c : page["changes"]) {
            CHECK(c["server_seq"].get<int64_t>() > prev);
            prev = c["server_seq"].get<int64_t>();
            if (c["entity"] == "finding") CHECK(seen.insert(c["entity_id"].get<std::string>()).second);
            CHECK(c["versions"].size() == c["fields"].size());
        }
        CHECK(page["next_cursor"].get<int64_t>() >= cursor);
        cursor = page["next_cursor"].get<int64_t>();
        if (!page["has_more"].get<bool>()) break;
        CHECK(page["changes"].size() == 10);
    }
    CHECK(seen == ids);
    CHECK(pages >= 3);
    CHECK(lead.pullPage(cursor, 10)["changes"].empty());  // caught up

    auto bad = lead.cli.Get("/v1/pull?cursor=abc", lead.headers());
    REQUIRE(bad);
    CHECK(bad->status == 400);
}

TEST_CASE("team scope: another team's findings are neither pulled nor writable", "[server][scope]") {
    World w;
    Device a1(w.server, "a1");
    Device b1(w.server, "b1");
    std::string f = jc::newUuidV7();
    a1.push(Json::array({a1.create("finding", f, findingFields(w.campaign, "第一组的发现"))}));

    auto seenByB = b1.pullAll();
    CHECK(changesFor(seenByB, "finding").empty());
    CHECK(changesFor(seenByB, "campaign").size() == 1);  // shared reference data
    for (const auto& c : changesFor(seenByB, "user")) CHECK(c["fields"]["name"] != "a1");

    Json r = b1.push(Json::array({b1.change("finding", f, {{"title", "越权修改"}}, {{"title", 1}})}));
    CHECK(r["results"][0]["status"] == "rejected");
    CHECK(r["results"][0]["reason"] == "forbidden");
    CHECK(!r["results"][0].contains("server_values"));  // nothing of another team is revealed
    CHECK(pulledValue(a1.pullAll(), "finding", f, "title") == "第一组的发现");
    // A comment attached to team A's finding is refused for team B as well.
    Json c = b1.push(Json::array({b1.create(
        "comment", jc::newUuidV7(), {{"entity", "finding"}, {"entity_id", f}, {"body", "看看"}, {"author", "b1"}})}));
    CHECK(c["results"][0]["reason"] == "forbidden");

    // When b1 moves to team A (an HQ change), b1's scope grows: the next pull with the old epoch
    // starts again from 0 and brings team A's older finding.
    Device hq(w.server, "hq");
    std::string b1Id;
    for (const auto& u : w.server.admin().users())
        if (u.name == "b1") b1Id = u.userId;
    Json page = b1.pullPage(0, 2000);
    int64_t epoch = page["scope_epoch"].get<int64_t>();
    int64_t cursor = page["next_cursor"].get<int64_t>();
    int64_t teamVersion = 0;
    for (const auto& ch : changesFor(hq.pullAll(), "user", b1Id))
        if (ch["fields"].contains("team_id")) teamVersion = ch["versions"]["team_id"].get<int64_t>();
    Json move = hq.push(Json::array({hq.change("user", b1Id, {{"team_id", w.teamA}}, {{"team_id", teamVersion}})}));
    REQUIRE(move["results"][0]["status"] == "applied");
    Json after = b1.pullPage(cursor, 2000, epoch);
    CHECK(after["reset"] == true);
    CHECK(after["scope_epoch"].get<int64_t>() != epoch);
    bool sawFinding = false;
    for (const auto& ch : after["changes"]) sawFinding = sawFinding || ch["entity_id"] == f;
    CHECK(sawFinding);
}

TEST_CASE("workflow: an inspector cannot accept, the lead's acceptance assigns the official number",
          "[server][workflow]") {
    World w;
    Device a1(w.server, "a1");
    Device lead(w.server, "lead_a");
    std::string f = jc::newUuidV7();
    Json created = a1.push(Json::array({a1.create("finding", f, findingFields(w.campaign, "拖欠农民工工资"))}));
    int64_t v = created["results"][0]["versions"]["status"].get<int64_t>();

    Json skip = a1.push(Json::array({a1.change("finding", f, {{"status", "closed"}}, {{"status", v}})}));
    CHECK(skip["results"][0]["reason"] == "illegal_transition");
    CHECK(skip["results"][0]["server_values"]["status"] == "draft");

    Json sub = a1.push(Json::array({a1.change("finding", f, {{"status", "submitted"}}, {{"status", v}})}));
    REQUIRE(sub["results"][0]["status"] == "applied");
    v = sub["results"][0]["versions"]["status"].get<int64_t>();

    Json acc = a1.push(Json::array({a1.change("finding", f, {{"status", "accepted"}}, {{"status", v}})}));
    CHECK(acc["results"][0]["status"] == "rejected");
    CHECK(acc["results"][0]["reason"] == "forbidden");
    CHECK(acc["results"][0]["message"].get<std::string>().find("accept") != std::string::npos);

    Json forged = a1.push(Json::array({a1.change("finding", f, {{"official_number", "张监〔2026〕9999号"}})}));
    CHECK(forged["results"][0]["reason"] == "forbidden");

    Json ok = lead.push(Json::array({lead.change("finding", f, {{"status", "accepted"}}, {{"status", v}})}));
    REQUIRE(ok["results"][0]["status"] == "applied");

    std::string expected = "张监〔" + std::to_string(jc::Date::today().year) + "〕0001号";
    CHECK(pulledValue(a1.pullAll(), "finding", f, "official_number") == expected);
    CHECK(pulledValue(lead.pullAll(), "finding", f, "official_number") == expected);

    // The next accepted finding gets the next number.
    std::string g = jc::newUuidV7();
    Json fields = findingFields(w.campaign, "第二件");
    a1.push(Json::array({a1.create("finding", g, fields), a1.change("finding", g, {{"status", "submitted"}})}));
    lead.push(Json::array({lead.change("finding", g, {{"status", "accepted"}})}));
    CHECK(pulledValue(lead.pullAll(), "finding", g, "official_number") ==
          "张监〔" + std::to_string(jc::Date::today().year) + "〕0002号");
}

TEST_CASE("two devices editing one field from the same base: a conflict with both values", "[server][conflict]") {
    World w;
    Device a1(w.server, "a1");
    Device a2(w.server, "a2");
    Device lead(w.server, "lead_a");
    std::string f = jc::newUuidV7();
    Json c = a1.push(Json::array({a1.create("finding", f, findingFields(w.campaign, "原标题"))}));
    int64_t base = c["results"][0]["versions"]["title"].get<int64_t>();

    // Both edit offline from the same base; a2's edit is later in HLC order.
    Json e1 = a1.change("finding", f, {{"title", "甲的标题"}}, {{"title", base}});
    Json e2 = a2.change("finding", f, {{"title", "乙的标题"}, {"severity", "high"}}, {{"title", base}});
    REQUIRE(e1["hlc"].get<std::string>() < e2["hlc"].get<std::string>());
    CHECK(a1.push(Json::array({e1}))["results"][0]["status"] == "applied");
    Json r2 = a2.push(Json::array({e2}));
    CHECK(r2["results"][0]["status"] == "applied_with_conflict");
    REQUIRE(r2["results"][0]["conflicts"].size() == 1);
    CHECK(r2["results"][0]["conflicts"][0]["field"] == "title");
    CHECK(r2["results"][0]["conflicts"][0]["outcome"] == "won");

    auto all = lead.pullAll();
    CHECK(pulledValue(all, "finding", f, "title") == "乙的标题");
    CHECK(pulledValue(all, "finding", f, "severity") == "high");
    auto conflicts = changesFor(all, "conflict");
    REQUIRE(conflicts.size() == 1);
    const Json& cf = conflicts[0]["fields"];
    CHECK(cf["entity"] == "finding");
    CHECK(cf["entity_id"] == f);
    CHECK(cf["field"] == "title");
    CHECK(cf["winner_value"]["value"] == "乙的标题");
    CHECK(cf["loser_value"]["value"] == "甲的标题");
    CHECK(cf["winner_author"] == "a2");
    CHECK(cf["loser_author"] == "a1");
    CHECK(jc::isIsoTimestamp(cf["winner_at"].get<std::string>()));
    CHECK(conflicts[0]["author"] == "server");

    // a1 edits again from its stale base with an older clock: it loses, is told the winner, and
    // the winner is re-asserted so a1 receives it on pull even if this answer were lost.
    jc::HlcStamp old{jc::nowMillis() - 60'000, 0, a1.id};
    Json e3 = a1.change("finding", f, {{"title", "甲又改了"}}, {{"title", base}}, old.encode());
    Json r3 = a1.push(Json::array({e3}));
    CHECK(r3["results"][0]["status"] == "applied_with_conflict");
    CHECK(r3["results"][0]["conflicts"][0]["outcome"] == "lost");
    CHECK(r3["results"][0]["server_values"]["title"] == "乙的标题");
    auto mine = a1.pullAll();
    CHECK(pulledValue(mine, "finding", f, "title") == "乙的标题");
    CHECK(changesFor(mine, "conflict").size() == 2);

    // The lead resolves a conflict record; an inspector may not.
    const std::string conflictId = conflicts[0]["entity_id"].get<std::string>();
    Json resolve = {{"resolution", "kept_winner"}, {"resolved_by", "lead_a"}, {"resolved_at", jc::nowIso()}};
    Json byInspector = a1.push(Json::array({a1.change("conflict", conflictId, resolve)}));
    CHECK(byInspector["results"][0]["reason"] == "forbidden");
    Json byLead = lead.push(Json::array({lead.change("conflict", conflictId, resolve)}));
    CHECK(byLead["results"][0]["status"] == "applied");
    Json rewrite = lead.push(Json::array({lead.change("conflict", conflictId, {{"loser_value", {{"value", "x"}}}})}));
    CHECK(rewrite["results"][0]["reason"] == "forbidden");

    // The same device editing its own latest value is never a conflict, whatever base it sends.
    Json own = a2.push(Json::array({a2.change("finding", f, {{"title", "乙再改"}}, {{"title", base}})}));
    CHECK(own["results"][0]["status"] == "applied");

    // A far-future HLC is clamped to the drift limit and cannot win by lying about time.
    jc::HlcStamp future{jc::nowMillis() + 24ll * 3600 * 1000, 0, a1.id};
    Json e4 = a1.change("finding", f, {{"narrative", "时钟超前"}}, {{"narrative", 0}}, future.encode());
    Json r4 = a1.push(Json::array({e4}));
    CHECK(r4["results"][0]["status"] == "applied");
    for (const auto& ch : changesFor(a1.pullAll(), "finding", f))
        if (ch["fields"].contains("narrative") && ch["fields"]["narrative"] == "时钟超前")
            CHECK(jc::HlcStamp::decode(ch["hlc"]).wallMs <= jc::nowMillis() + 5 * 60 * 1000);
}

TEST_CASE("region scope limits where a user may record findings and complaints", "[server][push][scope]") {
    World w;
    auto& a = w.server.admin();
    a.addUser("gz", jc::Role::Inspector, "第一检查组", Json::array({"620702"}));       // 甘州区 only
    a.addUser("city", jc::Role::Lead, "第一检查组", Json::array({"620700"}));         // all of 张掖市
    Device gz(w.server, "gz");
    Device city(w.server, "city");
    Device hq(w.server, "hq");

    Json inside = findingFields(w.campaign, "甘州区征地补偿");
    inside["region_code"] = "620702001";
    Json outside = findingFields(w.campaign, "民乐县征地补偿");
    outside["region_code"] = "620722100";
    std::string f1 = jc::newUuidV7(), f2 = jc::newUuidV7();
    Json r = gz.push(Json::array({gz.create("finding", f1, inside), gz.create("finding", f2, outside)}));
    CHECK(r["results"][0]["status"] == "applied");
    CHECK(r["results"][1]["status"] == "rejected");
    CHECK(r["results"][1]["reason"] == "forbidden");
    CHECK(r["results"][1]["message"].get<std::string>().find("620722100") != std::string::npos);

    // Moving an accepted record out of the scope is refused too, and the record keeps its region.
    Json move = gz.push(Json::array({gz.change("finding", f1, {{"region_code", "620722100"}})}));
    CHECK(move["results"][0]["status"] == "rejected");
    CHECK(pulledValue(gz.pullAll(), "finding", f1, "region_code") == "620702001");

    // Complaints follow the same rule.
    Json c = {{"campaign_id", w.campaign}, {"title", "欠薪投诉"}, {"channel", "walk_in"},
              {"received_at", jc::nowIso()}, {"first_contact_handler", "gz"}, {"content", "工地拖欠工资两个月"},
              {"region_code", "620702001"}, {"status", "received"}};
    Json cOut = c;
    cOut["region_code"] = "620722100";
    Json rc = gz.push(Json::array({gz.create("complaint", jc::newUuidV7(), c),
                                   gz.create("complaint", jc::newUuidV7(), cOut)}));
    CHECK(rc["results"][0]["status"] == "applied");
    CHECK(rc["results"][1]["status"] == "rejected");
    CHECK(rc["results"][1]["reason"] == "forbidden");

    // A city-wide scope written as 620700 covers 民乐县; HQ has no limit.
    CHECK(city.push(Json::array({city.create("finding", jc::newUuidV7(), outside)}))["results"][0]["status"] == "applied");
    CHECK(hq.push(Json::array({hq.create("finding", jc::newUuidV7(), outside)}))["results"][0]["status"] == "applied");
    // A user without a scope (a1) is limited by the team only.
    Device a1(w.server, "a1");
    CHECK(a1.push(Json::array({a1.create("finding", jc::newUuidV7(), outside)}))["results"][0]["status"] == "applied");
}

TEST_CASE("a return or dismissal needs the case event with its comment in the same push", "[server][workflow]") {
    World w;
    Device a1(w.server, "a1");
    Device lead(w.server, "lead_a");
    std::string f = jc::newUuidV7();
    a1.push(Json::array({a1.create("finding", f, findingFields(w.campaign, "拖欠农民工工资")),
                         a1.change("finding", f, {{"status", "submitted"}})}));
    auto event = [&](const std::string& comment) {
        return lead.create("case_event", jc::newUuidV7(),
                           {{"entity", "finding"}, {"entity_id", f}, {"action", "return"}, {"from_status", "submitted"},
                            {"to_status", "returned"}, {"comment", comment}, {"actor", "lead_a"}, {"at", jc::nowIso()}});
    };

    // No event, or one with a blank comment: refused, and the finding stays submitted.
    Json bare = lead.push(Json::array({lead.change("finding", f, {{"status", "returned"}})}));
    CHECK(bare["results"][0]["status"] == "rejected");
    CHECK(bare["results"][0]["reason"] == "invalid");
    CHECK(bare["results"][0]["message"].get<std::string>().find("needs a comment") != std::string::npos);
    Json blank = lead.push(Json::array({lead.change("finding", f, {{"status", "returned"}}), event("  ")}));
    CHECK(blank["results"][0]["status"] == "rejected");
    CHECK(pulledValue(lead.pullAll(), "finding", f, "status") == "submitted");

    // With the reason, as the app writes it: the status change and then its event.
    Json ok = lead.push(Json::array({lead.change("finding", f, {{"status", "returned"}}), event("证据不足，请补充工资台账")}));
    CHECK(ok["results"][0]["status"] != "rejected");  // (no base version given: recorded as a conflict too)
    CHECK(ok["results"][1]["status"] == "applied");
    CHECK(pulledValue(a1.pullAll(), "finding", f, "status") == "returned");

    // A step the server refuses (returned → dismissed is no transition) takes its event down with
    // it: the history never tells of a dismissal that did not happen.
    Json dismiss = lead.change("finding", f, {{"status", "dismissed"}});
    Json dismissed = lead.create("case_event", jc::newUuidV7(),
                                 {{"entity", "finding"}, {"entity_id", f}, {"action", "dismiss"},
                                  {"from_status", "returned"}, {"to_status", "dismissed"}, {"comment", "重复立案"},
                                  {"actor", "lead_a"}, {"at", jc::nowIso()}});
    Json refused = lead.push(Json::array({dismiss, dismissed}));
    CHECK(refused["results"][0]["reason"] == "illegal_transition");
    CHECK(refused["results"][1]["status"] == "rejected");
    CHECK(refused["results"][1]["message"].get<std::string>().find("refused") != std::string::npos);
    CHECK(changesFor(a1.pullAll(), "case_event").size() == 1);  // only the return
}

TEST_CASE("only hq_admin writes evaluations, monitoring rules and focus records, drafts stay at HQ",
          "[server][policy][evaluation]") {
    World w;
    Device lead(w.server, "lead_a");
    Device a1(w.server, "a1");
    Device hq(w.server, "hq");
    Json evaluation = {{"title", "2026年第四季度行政效能评估"}, {"period", "2026-Q4"}, {"campaign_id", w.campaign},
                       {"status", "published"}, {"version", 1}, {"indicators", Json::array()}, {"scores", Json::array()}};
    Json rule = {{"kind", "unit_complaints"}, {"params", {{"min_complaints", 1}}}, {"enabled", true}};
    Json focus = {{"subject_kind", "category"}, {"category", "food_drug"}, {"reason", "倾向性问题"}, {"status", "active"}};
    for (Device* d : {&lead, &a1}) {
        Json r = d->push(Json::array({d->create("evaluation", jc::newUuidV7(), evaluation),
                                      d->create("monitor_rule", jc::newUuidV7(), rule),
                                      d->create("focus", jc::newUuidV7(), focus)}));
        for (const auto& res : r["results"]) {
            CHECK(res["status"] == "rejected");
            CHECK(res["reason"] == "forbidden");
        }
    }
    std::string draftId = jc::newUuidV7(), pubId = jc::newUuidV7(), ruleId = jc::newUuidV7(), focusId = jc::newUuidV7();
    Json draft = evaluation;
    draft["status"] = "draft";
    Json r = hq.push(Json::array({hq.create("evaluation", draftId, draft), hq.create("evaluation", pubId, evaluation),
                                  hq.create("monitor_rule", ruleId, rule), hq.create("focus", focusId, focus)}));
    for (const auto& res : r["results"]) CHECK(res["status"] == "applied");

    // The lead sees the published evaluation, the rule and the focus, never HQ's draft ...
    auto seen = lead.pullAll();
    CHECK(changesFor(seen, "evaluation", pubId).size() == 1);
    CHECK(changesFor(seen, "evaluation", draftId).empty());
    CHECK(changesFor(seen, "monitor_rule", ruleId).size() == 1);
    CHECK(changesFor(seen, "focus", focusId).size() == 1);
    CHECK(changesFor(a1.pullAll(), "focus", focusId).size() == 1);  // the whole team sees the focus
    // ... and cannot change any of them.
    Json edit = lead.push(Json::array({lead.change("evaluation", pubId, {{"title", "改名"}}, {{"title", 1}}),
                                       lead.change("focus", focusId, {{"status", "lifted"}, {"lift_note", "自行解除"}})}));
    for (const auto& res : edit["results"]) CHECK(res["reason"] == "forbidden");
    CHECK(pulledValue(hq.pullAll(), "focus", focusId, "status") == "active");
}

TEST_CASE("a device on an older schema pulls only the record kinds and fields it knows, and its cursor still moves",
          "[server][pull][schema]") {
    World w;
    Device hq(w.server, "hq"), a1(w.server, "a1");
    std::string f1 = jc::newUuidV7(), ap = jc::newUuidV7(), rule = jc::newUuidV7(), f2 = jc::newUuidV7();
    Json finding1 = findingFields(w.campaign, "征地补偿未足额发放");
    finding1["device_time"] = "2026-09-28T01:00:00.000Z";  // a field schema 1 does not know
    a1.push(Json::array({a1.create("finding", f1, finding1)}));
    hq.push(Json::array({hq.create("approval", ap,
                                   {{"case_number", "BJ-2026-0001"},
                                    {"item_name", "建设工程规划许可"},
                                    {"unit_name", "甘州区自然资源局"},
                                    {"received_at", "2026-09-28T01:00:00.000Z"},
                                    {"promised_workdays", 5}}),
                         hq.create("monitor_rule", rule, {{"kind", "complaint_volume"}, {"params", {{"n", 5}}}, {"enabled", true}})}));
    // Only a schema-2 field changes: nothing in this change is readable at schema 1.
    a1.push(Json::array({a1.change("finding", f1, {{"time_suspect", true}})}));
    a1.push(Json::array({a1.create("finding", f2, findingFields(w.campaign, "拆迁程序违法"))}));

    Device current(w.server, "hq");
    Device old(w.server, "hq");
    old.schema = 1;
    auto now = current.pullAll();
    CHECK(changesFor(now, "approval", ap).size() == 1);
    CHECK(changesFor(now, "monitor_rule", rule).size() == 1);
    CHECK(pulledValue(now, "finding", f1, "device_time") == "2026-09-28T01:00:00.000Z");
    CHECK(pulledValue(now, "finding", f1, "time_suspect") == true);

    auto before = old.pullAll();
    CHECK(changesFor(before, "approval").empty());
    CHECK(changesFor(before, "monitor_rule").empty());
    REQUIRE(changesFor(before, "finding", f1).size() == 1);  // the time_suspect-only change is withheld
    CHECK(pulledValue(before, "finding", f1, "title") == "征地补偿未足额发放");
    CHECK(!changesFor(before, "finding", f1)[0]["fields"].contains("device_time"));
    CHECK(!changesFor(before, "finding", f1)[0]["versions"].contains("device_time"));
    CHECK(changesFor(before, "finding", f2).size() == 1);  // what follows the withheld changes still comes

    // Page by page (one change a page): pages of withheld changes come back empty but move the
    // cursor, so the old device reaches the end with the same cursor as a current one.
    int64_t cursorOld = 0, cursorNow = 0;
    int findingsOld = 0, pages = 0;
    for (;; ++pages) {
        REQUIRE(pages < 50);
        Json page = old.pullPage(cursorOld, 1);
        for (const auto& c : page["changes"]) findingsOld += c["entity"] == "finding";
        CHECK(page["next_cursor"].get<int64_t>() > cursorOld);
        cursorOld = page["next_cursor"].get<int64_t>();
        if (!page["has_more"].get<bool>()) break;
    }
    for (;;) {
        Json page = current.pullPage(cursorNow, 1);
        cursorNow = page["next_cursor"].get<int64_t>();
        if (!page["has_more"].get<bool>()) break;
    }
    CHECK(findingsOld == 2);
    CHECK(cursorOld == cursorNow);
}
