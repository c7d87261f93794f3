// `jiancha conflict list / show / resolve` on one store. Conflict records are made by the server
// only, so the test hands the store one exactly as a pull would (applyRemoteChanges), about a
// finding an inspector recorded: the title was changed on another device and won.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "core/dates.h"
#include "core/uuid.h"
#include "store/store.h"
#include "store/sync_state.h"
#include "support/jiancha_cli.h"

using jc::test::ProcessResult;
using Json = nlohmann::json;

namespace {

using Cli = jc::test::JianchaCli;

struct Setup {
    Cli cli;
    std::string finding, conflict;

    Setup() {
        cli.ok({"init", "--user", "王局", "--role", "hq_admin"});
        std::string campaign = cli.ok({"campaign", "add", "--title", "2026年张掖市行政效能专项监察", "--prefix", "张监"});
        cli.ok({"user", "add", "--name", "张伟", "--role", "inspector"});
        cli.ok({"user", "add", "--name", "李娜", "--role", "lead"});
        finding = cli.ok({"finding", "add", "--campaign", campaign, "--category", "demolition", "--title",
                          "城区拆迁补偿不到位（王磊核实）", "--region", "620702101", "--area", "hotspot_issues"},
                         "张伟");
        conflict = pullConflict("title", "城区拆迁补偿不到位（王磊核实）", "城区拆迁补偿款拖欠（张伟更正）");
    }

    // A conflict record as the server sends it: 王磊's value won over 张伟's.
    std::string pullConflict(const std::string& field, const Json& winner, const Json& loser) {
        jc::Store store(cli.storePath());
        std::string id = jc::newUuidV7();
        jc::RemoteChange rc;
        rc.serverSeq = jc::pullCursor(store) + 1;
        rc.entity = "conflict";
        rc.entityId = id;
        rc.fields = {{"entity", "finding"},          {"entity_id", finding},
                     {"field", field},               {"winner_value", {{"value", winner}}},
                     {"loser_value", {{"value", loser}}}, {"winner_author", "王磊"},
                     {"loser_author", "张伟"},        {"winner_at", "2026-09-28T02:10:00Z"},
                     {"loser_at", "2026-09-28T02:05:00Z"}, {"created_at", jc::nowIso()},
                     {"created_by", "server"}};
        rc.versions = Json::object();
        rc.author = "server";
        jc::applyRemoteChanges(store, {rc}, rc.serverSeq);
        return id;
    }

    std::string title() { return cli.json({"finding", "show", finding})["finding"]["title"]; }
    int64_t pending() { return cli.json({"status"})["outbox_pending"]; }
};

}  // namespace

TEST_CASE("conflict list shows both versions with authors, the record and the field in Chinese", "[cli][conflict]") {
    Setup s;
    Json list = s.cli.json({"conflict", "list"});
    REQUIRE(list["conflicts"].size() == 1);
    const Json& c = list["conflicts"][0];
    CHECK(c["id"] == s.conflict);
    CHECK(c["field_label"] == "标题");
    CHECK(c["record"].get<std::string>().find("城区拆迁补偿不到位（王磊核实）") != std::string::npos);
    CHECK(c["winner"]["author"] == "王磊");
    CHECK(c["loser"]["author"] == "张伟");
    CHECK(c["loser"]["value"] == "城区拆迁补偿款拖欠（张伟更正）");
    CHECK(c["current"] == "winner");
    CHECK(c["open"] == true);

    std::string table = s.cli.ok({"conflict", "list"});
    CHECK(table.find("标题") != std::string::npos);
    CHECK(table.find("王磊") != std::string::npos);
    CHECK(table.find("张伟") != std::string::npos);
    CHECK(table.find(s.conflict.substr(24)) != std::string::npos);  // the short id the table offers works below
}

TEST_CASE("conflict resolve refuses bad input, inspectors and a second resolution, changing nothing", "[cli][conflict]") {
    Setup s;
    int64_t before = s.pending();
    std::string shortId = s.conflict.substr(24);

    // Unknown id: not found (4); a too-short id, a bad or missing --keep: usage (2).
    ProcessResult r = s.cli.run({"conflict", "resolve", "0123456789ab", "--keep", "winner"}, "李娜");
    CHECK(r.code == 4);
    CHECK(r.err.find("找不到：没有冲突") != std::string::npos);
    CHECK(s.cli.run({"conflict", "resolve", "0123", "--keep", "winner"}, "李娜").code == 2);
    r = s.cli.run({"conflict", "resolve", shortId, "--keep", "both"}, "李娜");
    CHECK(r.code == 2);
    CHECK(r.err.find("--keep 只能是 winner（胜出版本）或 loser（被覆盖版本）") != std::string::npos);
    CHECK(s.cli.run({"conflict", "resolve", shortId}, "李娜").code == 2);
    CHECK(s.cli.run({"conflict", "resolve", shortId, "--keep", "loser", "--value", "x"}, "李娜").code == 2);
    // A value of one's own only for text fields, and not empty.
    CHECK(s.cli.run({"conflict", "resolve", shortId, "--value", ""}, "李娜").code == 3);

    // An inspector may not decide.
    r = s.cli.run({"conflict", "resolve", shortId, "--keep", "loser"}, "张伟");
    CHECK(r.code == 3);
    CHECK(r.err.find("只有组长或总部") != std::string::npos);

    CHECK(s.pending() == before);
    CHECK(s.title() == "城区拆迁补偿不到位（王磊核实）");
    CHECK(s.cli.json({"conflict", "list"})["conflicts"].size() == 1);

    // The lead keeps 张伟's version: the title is rewritten; both writes are queued for sync.
    Json res = s.cli.json({"conflict", "resolve", shortId, "--keep", "loser"}, "李娜");
    CHECK(res["resolution"] == "kept_loser");
    CHECK(res["record_changed"] == true);
    CHECK(s.title() == "城区拆迁补偿款拖欠（张伟更正）");
    CHECK(s.pending() == before + 2);
    {
        jc::Store store(s.cli.storePath());
        auto c = store.require("conflict", s.conflict);
        CHECK(c["resolved_by"] == "李娜");
        CHECK(c["resolved_value"]["value"] == "城区拆迁补偿款拖欠（张伟更正）");
        CHECK(jc::isIsoTimestamp(c["resolved_at"].get<std::string>()));
        CHECK(store.db().queryInt("SELECT count(*) FROM outbox WHERE entity = 'finding' AND entity_id = '" + s.finding +
                                  "' AND fields LIKE '%张伟更正%'") == 1);
    }

    // Already resolved: refused, nothing more written.
    r = s.cli.run({"conflict", "resolve", shortId, "--keep", "winner"}, "李娜");
    CHECK(r.code == 3);
    CHECK(r.err.find("已由 李娜 于") != std::string::npos);
    CHECK(s.pending() == before + 2);
    CHECK(s.title() == "城区拆迁补偿款拖欠（张伟更正）");

    CHECK(s.cli.json({"conflict", "list"})["conflicts"].empty());
    Json all = s.cli.json({"conflict", "list", "--all"});
    REQUIRE(all["conflicts"].size() == 1);
    CHECK(all["conflicts"][0]["resolution"]["resolution"] == "kept_loser");
    CHECK(all["conflicts"][0]["current"] == "loser");
}

TEST_CASE("keeping the version the record already holds writes only the resolution, and codes keep a version",
          "[cli][conflict]") {
    Setup s;
    std::string sev = s.pullConflict("severity", "high", "medium");
    // The record still says medium (the default); "high" won on the server but is not here yet,
    // so keeping the loser changes nothing in the record.
    int64_t before = s.pending();
    Json shown = s.cli.json({"conflict", "show", sev.substr(24)});
    CHECK(shown["conflict"]["winner"]["text"] == "严重");
    CHECK(shown["conflict"]["loser"]["text"] == "一般");
    // A text of one's own is refused for a code field.
    ProcessResult r = s.cli.run({"conflict", "resolve", sev, "--value", "特别严重"}, "李娜");
    CHECK(r.code == 3);
    CHECK(r.err.find("或保留两个版本之一") != std::string::npos);
    Json res = s.cli.json({"conflict", "resolve", sev, "--keep", "loser"}, "李娜");
    CHECK(res["record_changed"] == false);
    CHECK(s.pending() == before + 1);

    // HQ may merge both titles into a text of its own.
    res = s.cli.json({"conflict", "resolve", s.conflict, "--value", "城区拆迁补偿款拖欠、补偿不到位"}, "王局");
    CHECK(res["resolution"] == "custom");
    CHECK(s.title() == "城区拆迁补偿款拖欠、补偿不到位");
}
