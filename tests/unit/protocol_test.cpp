// The sync protocol's JSON mapping (sync/protocol/protocol.h) on its own: every message survives
// a round trip, the push body the client streams is read back by the server's parser, and bad
// input is refused with a ProtocolError naming the member.
#include <catch2/catch.hpp>

#include <string>

#include "sync/protocol/protocol.h"

using namespace jc;
using namespace jc::proto;

namespace {
Change sampleChange(int64_t seq) {
    Change c;
    c.changeId = "0190a000-0000-7000-8000-00000000000" + std::to_string(seq);
    c.seq = seq;
    c.entity = "finding";
    c.entityId = "0190a000-0000-7000-8000-0000000000f1";
    c.fields = {{"title", "拖欠工资 \"三个月\"\n第二行\t𠀾"}, {"amount_fen", 38650050}, {"tags", {"a", "b"}}};
    c.baseVersions = {{"title", 7}};
    c.hlc = "0000018c2f3a1b2c-0001-dev";
    c.userId = "张伟";
    return c;
}
}  // namespace

TEST_CASE("protocol: a streamed push body is read back exactly by the server's parser", "[protocol]") {
    PushBodyWriter w("dev-1", "inc.1");
    Change a = sampleChange(1), b = sampleChange(2), dropped = sampleChange(3);
    w.add(a);
    w.add(b.changeId, b.seq, b.entity, b.entityId, b.fields.dump(), b.baseVersions.dump(), b.hlc, b.userId);
    w.add(dropped);
    w.dropLast();
    CHECK(w.count() == 2);
    std::string body = w.finish();
    PushRequest r = pushRequestFromJson(parseBody(body));
    CHECK(r.deviceId == "dev-1");
    CHECK(r.dbIncarnation == "inc.1");
    REQUIRE(r.changes.size() == 2);
    CHECK(toJson(r.changes[0]) == toJson(a));
    CHECK(toJson(r.changes[1]) == toJson(b));
    // toJson(PushRequest) is the same shape.
    CHECK(Json::parse(body) == toJson(r));
    // An empty batch is valid.
    CHECK(pushRequestFromJson(parseBody(PushBodyWriter("d", "i").finish())).changes.empty());
}

TEST_CASE("protocol: results, responses and enrolment survive a round trip", "[protocol]") {
    ChangeResult cr;
    cr.seq = 4;
    cr.changeId = "c4";
    cr.status = ChangeStatus::AppliedWithConflict;
    cr.serverSeq = 99;
    cr.versions = {{"title", 99}};
    cr.conflicts = {{"title", false, "k1"}};
    cr.serverValues = {{"title", "服务器的值"}};
    PushResponse pr{12, {cr}};
    PushResponse back = pushResponseFromJson(toJson(pr));
    CHECK(back.lastSeq == 12);
    REQUIRE(back.results.size() == 1);
    CHECK(toJson(back.results[0]) == toJson(cr));
    CHECK(back.results[0].conflicts[0].conflictId == "k1");
    CHECK_FALSE(back.results[0].conflicts[0].won);

    ChangeResult dup;
    dup.seq = 5;
    dup.status = ChangeStatus::Duplicate;
    dup.originalStatus = ChangeStatus::Rejected;
    CHECK(changeResultFromJson(toJson(dup)).originalStatus == ChangeStatus::Rejected);

    EnrollResponse er{"dev-9", "tok", {"u1", "李娜", "lead", "t1", Json::array({"6207"})}, "pk"};
    EnrollResponse er2 = enrollResponseFromJson(toJson(er));
    CHECK(toJson(er2) == toJson(er));
    EnrollRequest q{"ABCD-EFGH", "笔记本", "dev-9"};
    CHECK(toJson(enrollRequestFromJson(toJson(q))) == toJson(q));
}

TEST_CASE("protocol: pull pages are read with their changes", "[protocol]") {
    Json page = {{"changes",
                  {{{"server_seq", 3},
                    {"entity", "finding"},
                    {"entity_id", "e1"},
                    {"fields", {{"title", "x"}}},
                    {"versions", {{"title", 3}}},
                    {"author", "a"},
                    {"device_id", "d"},
                    {"hlc", "h"}}}},
                 {"next_cursor", 3},
                 {"has_more", false},
                 {"scope_epoch", 2}};
    PullResponse p = pullResponseFromJson(page);
    REQUIRE(p.changes.size() == 1);
    CHECK(p.changes[0].fields["title"] == "x");
    CHECK(p.nextCursor == 3);
    CHECK(p.scopeEpoch == 2);
    CHECK_FALSE(p.hasMore);
}

TEST_CASE("protocol: bad input is refused with the member named", "[protocol]") {
    CHECK_THROWS_AS(parseBody("{not json"), ProtocolError);
    CHECK_THROWS_WITH(pushRequestFromJson(Json{{"db_incarnation", "i"}, {"changes", Json::array()}}),
                      Catch::Contains("device_id"));
    CHECK_THROWS_WITH(pushRequestFromJson(Json{{"device_id", "d"}, {"db_incarnation", "../x"}, {"changes", Json::array()}}),
                      Catch::Contains("db_incarnation"));
    Json c = toJson(sampleChange(1));
    c["base_versions"] = {{"title", -1}};
    CHECK_THROWS_WITH(pushRequestFromJson(Json{{"device_id", "d"}, {"db_incarnation", "i"}, {"changes", {c}}}),
                      Catch::Contains("base_versions.title"));
    c = toJson(sampleChange(1));
    c["fields"] = "not an object";
    CHECK_THROWS_AS(pushRequestFromJson(Json{{"device_id", "d"}, {"db_incarnation", "i"}, {"changes", {c}}}), ProtocolError);
    c = toJson(sampleChange(1));
    c.erase("hlc");
    CHECK_THROWS_WITH(pushRequestFromJson(Json{{"device_id", "d"}, {"db_incarnation", "i"}, {"changes", {c}}}),
                      Catch::Contains("hlc"));
    CHECK_THROWS_AS(changeResultFromJson(Json{{"seq", 1}, {"status", "maybe"}}), ProtocolError);
    CHECK_THROWS_AS(pushResponseFromJson(Json{{"results", Json::array()}}), ProtocolError);
    CHECK(isSha256Hex(std::string(64, 'a')));
    CHECK_FALSE(isSha256Hex(std::string(64, 'A')));
    CHECK_FALSE(isSafeId("a/b"));
}
