// The protocol edges of jiancha-server over real HTTP: version negotiation, authentication,
// enrolment codes, malformed and oversized input (4xx with a JSON error, nothing changed) and
// path tricks on blob names.
#include <httplib.h>

#include <catch2/catch.hpp>
#include <thread>

#include "base/deflate.h"
#include "core/dates.h"
#include "core/uuid.h"
#include "sync/protocol/body_coding.h"
#include "sync/protocol/protocol.h"
#include "sync/server/local_server.h"

using jc::Json;
using jc::server::LocalServer;

namespace {

httplib::Headers versioned(const std::string& token = {}, std::string protocol = "1", std::string schema = "1") {
    httplib::Headers h{{"X-Jiancha-Protocol", protocol}, {"X-Jiancha-Schema", schema}};
    if (!token.empty()) h.emplace("Authorization", "Bearer " + token);
    return h;
}

Json jsonOf(const httplib::Result& r) {
    REQUIRE(r);
    INFO(r->body);
    Json j = Json::parse(r->body, nullptr, false);
    REQUIRE(j.is_object());
    return j;
}

void requireJsonError(const httplib::Result& r, int status, const std::string& code) {
    REQUIRE(r);
    INFO(r->body);
    CHECK(r->status == status);
    Json j = jsonOf(r);
    CHECK(j["error"] == code);
    CHECK(j["message"].is_string());
    CHECK(!j["message"].get<std::string>().empty());
}

struct Setup {
    LocalServer server;
    std::string team;
    Setup() {
        team = server.admin().addTeam("第一检查组");
        server.admin().addUser("alice", jc::Role::Inspector, "第一检查组");
    }
    httplib::Client client() {
        httplib::Client c(server.host(), server.port());
        c.set_read_timeout(60, 0);
        return c;
    }
};

}  // namespace

TEST_CASE("version mismatch gets 426 with clear words and the supported range", "[server][protocol]") {
    Setup s;
    auto c = s.client();
    auto none = c.Get("/v1/whoami");
    requireJsonError(none, 426, "client_too_old");
    Json j = jsonOf(none);
    CHECK(j["message"].get<std::string>().find("update") != std::string::npos);
    CHECK(j["supported"]["protocol"]["min"] == jc::proto::kMinProtocol);
    CHECK(j["supported"]["schema"]["max"] == jc::proto::kMaxSchema);

    auto old = c.Get("/v1/pull", versioned("", "0", "1"));
    requireJsonError(old, 426, "client_too_old");
    auto newer =
        c.Post("/v1/push", versioned("", std::to_string(jc::proto::kMaxProtocol + 1), "1"), "{}", "application/json");
    requireJsonError(newer, 426, "client_too_new");
    CHECK(jsonOf(newer)["message"].get<std::string>().find("upgrade the server") != std::string::npos);
    requireJsonError(c.Get("/v1/whoami", versioned("", "1", "99")), 426, "client_too_new");
    requireJsonError(c.Get("/v1/whoami", versioned("", "abc", "1")), 426, "client_too_old");

    auto info = c.Get("/v1/version");  // needs no headers: how a client finds out
    REQUIRE(info);
    CHECK(info->status == 200);
    CHECK(jsonOf(info)["protocol"] == jc::proto::kProtocolVersion);
    CHECK(info->get_header_value("X-Jiancha-Protocol") == "1");
}

TEST_CASE("401 for a missing, wrong or revoked token", "[server][auth]") {
    Setup s;
    auto dev = s.server.enroll("alice");
    auto c = s.client();
    requireJsonError(c.Get("/v1/whoami", versioned()), 401, "unauthorized");
    requireJsonError(c.Get("/v1/whoami", versioned(std::string(64, 'a'))), 401, "unauthorized");
    auto h = versioned();
    h.emplace("Authorization", "Basic YWxpY2U6cHc=");
    requireJsonError(c.Get("/v1/pull", h), 401, "unauthorized");

    auto ok = c.Get("/v1/whoami", versioned(dev.token));
    Json who = jsonOf(ok);
    CHECK(ok->status == 200);
    CHECK(who["user"]["name"] == "alice");
    CHECK(who["user"]["role"] == "inspector");
    CHECK(who["user"]["team_id"] == s.team);
    CHECK(who["device"]["id"] == dev.deviceId);

    s.server.admin().revokeDevice(dev.deviceId);
    requireJsonError(c.Get("/v1/whoami", versioned(dev.token)), 401, "device_revoked");
    Json push = {{"device_id", dev.deviceId}, {"db_incarnation", "x"}, {"changes", Json::array()}};
    requireJsonError(c.Post("/v1/push", versioned(dev.token), push.dump(), "application/json"), 401, "device_revoked");
    bool listed = false;
    for (const auto& d : s.server.admin().devices())
        if (d.id == dev.deviceId) listed = !d.revokedAt.empty();
    CHECK(listed);
}

TEST_CASE("an enrolment code works once and expires", "[server][auth]") {
    Setup s;
    auto c = s.client();
    std::string code = s.server.admin().enrollCode("alice");
    std::string proposed = jc::newUuidV7();
    Json req = {{"code", code}, {"device_name", "乡镇笔记本"}, {"device_id", proposed}};
    auto r = c.Post("/v1/enroll", versioned(), req.dump(), "application/json");
    Json out = jsonOf(r);
    CHECK(r->status == 200);
    CHECK(out["device_id"] == proposed);  // the store's own id is kept when free
    CHECK(out["token"].get<std::string>().size() == 64);
    CHECK(out["user"]["name"] == "alice");
    CHECK(jsonOf(c.Get("/v1/whoami", versioned(out["token"])))["device"]["name"] == "乡镇笔记本");

    auto again = c.Post("/v1/enroll", versioned(), req.dump(), "application/json");
    requireJsonError(again, 401, "invalid_code");
    CHECK(jsonOf(again)["message"].get<std::string>().find("already used") != std::string::npos);

    requireJsonError(c.Post("/v1/enroll", versioned(), Json{{"code", "AAAA-BBBB-CCCC"}, {"device_name", "x"}}.dump(),
                            "application/json"),
                     401, "invalid_code");

    std::string shortLived = s.server.admin().enrollCode("alice", 0.000001);  // 3.6 ms
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    auto expired =
        c.Post("/v1/enroll", versioned(), Json{{"code", shortLived}, {"device_name", "x"}}.dump(), "application/json");
    requireJsonError(expired, 401, "invalid_code");
    CHECK(jsonOf(expired)["message"].get<std::string>().find("expired") != std::string::npos);

    // A second device with a taken id gets a fresh one.
    std::string code2 = s.server.admin().enrollCode("alice");
    Json r2 =
        jsonOf(c.Post("/v1/enroll", versioned(),
                      Json{{"code", code2}, {"device_name", "y"}, {"device_id", proposed}}.dump(), "application/json"));
    CHECK(r2["device_id"] != proposed);
    CHECK(s.server.admin().devices().size() == 2);
}

TEST_CASE("malformed, mistyped and oversized bodies get 4xx JSON errors and change nothing", "[server][input]") {
    Setup s;
    auto dev = s.server.enroll("alice");
    auto c = s.client();
    auto h = versioned(dev.token);
    auto post = [&](const std::string& body) { return c.Post("/v1/push", h, body, "application/json"); };
    auto lastSeq = [&] {
        Json b = {{"device_id", dev.deviceId}, {"db_incarnation", "inc1"}, {"changes", Json::array()}};
        return jsonOf(post(b.dump()))["last_seq"].get<int64_t>();
    };
    auto logSize = [&] {
        auto tx = s.server.server().storage().read();
        return tx->lastServerSeq();
    };
    const int64_t before = logSize();

    Json good = {{"change_id", jc::newUuidV7()},
                 {"seq", 1},
                 {"entity", "unit"},
                 {"entity_id", jc::newUuidV7()},
                 {"fields", {{"name", "某县国土资源局"}, {"kind", "department"}, {"created_at", jc::nowIso()}}},
                 {"base_versions", Json::object()},
                 {"hlc", "1767225600000-00000-node"},
                 {"user_id", "alice"}};
    auto envelope = [&](Json changes) {
        return Json{{"device_id", dev.deviceId}, {"db_incarnation", "inc1"}, {"changes", changes}};
    };

    requireJsonError(post("{\"device_id\": "), 400, "bad_request");
    requireJsonError(post(""), 400, "bad_request");
    requireJsonError(post("[1,2,3]"), 400, "bad_request");
    requireJsonError(post("\xff\xfe{}"), 400, "bad_request");
    requireJsonError(post(Json{{"device_id", dev.deviceId}, {"db_incarnation", "inc1"}}.dump()), 400, "bad_request");
    requireJsonError(post(envelope("not a list").dump()), 400, "bad_request");
    Json wrong = good;
    wrong["seq"] = "1";
    auto r = post(envelope(Json::array({wrong})).dump());
    requireJsonError(r, 400, "bad_request");
    CHECK(jsonOf(r)["message"].get<std::string>().find("seq") != std::string::npos);
    wrong = good;
    wrong["fields"] = Json::array();
    requireJsonError(post(envelope(Json::array({wrong})).dump()), 400, "bad_request");
    wrong = good;
    wrong["base_versions"] = {{"name", -1}};
    requireJsonError(post(envelope(Json::array({wrong})).dump()), 400, "bad_request");
    Json badInc = envelope(Json::array({good}));
    badInc["db_incarnation"] = "../../etc";
    requireJsonError(post(badInc.dump()), 400, "bad_request");
    Json otherDevice = envelope(Json::array({good}));
    otherDevice["device_id"] = jc::newUuidV7();
    requireJsonError(post(otherDevice.dump()), 403, "forbidden");

    // A second change with the wrong types in a batch refuses the whole batch.
    Json second = good;
    second["seq"] = 2;
    second["entity_id"] = 7;
    requireJsonError(post(envelope(Json::array({good, second})).dump()), 400, "bad_request");

    // Oversized: more than the body limit, and more than the batch limit.
    std::string huge = std::string("{\"pad\":\"") + std::string(jc::proto::kMaxBodyBytes + 10, 'x') + "\"}";
    requireJsonError(post(huge), 413, "payload_too_large");
    Json many = Json::array();
    for (size_t i = 0; i <= jc::proto::kMaxChangesPerPush; ++i) {
        Json ch = good;
        ch["seq"] = static_cast<int64_t>(i + 1);
        many.push_back(ch);
    }
    requireJsonError(post(envelope(many).dump()), 413, "batch_too_large");

    CHECK(logSize() == before);
    CHECK(lastSeq() == 0);

    // The same change, well formed, is applied.
    Json ok = jsonOf(post(envelope(Json::array({good})).dump()));
    CHECK(ok["results"][0]["status"] == "applied");
    CHECK(lastSeq() == 1);

    // Enrol: wrong types are 400.
    requireJsonError(
        c.Post("/v1/enroll", versioned(), Json{{"code", 5}, {"device_name", "x"}}.dump(), "application/json"), 400,
        "bad_request");
    // Unknown endpoints are JSON 404s.
    requireJsonError(c.Get("/v1/nothing", h), 404, "not_found");
}

TEST_CASE("blob names must be exactly 64 lower-case hex digits", "[server][input]") {
    Setup s;
    auto dev = s.server.enroll("alice");
    auto c = s.client();
    auto h = versioned(dev.token);
    std::string upper(64, 'A');
    requireJsonError(c.Get(("/v1/blobs/" + upper).c_str(), h), 400, "bad_request");
    requireJsonError(c.Get("/v1/blobs/abc", h), 400, "bad_request");
    requireJsonError(
        c.Put(("/v1/blobs/" + std::string(63, 'a') + "g?offset=0&total=1").c_str(), h, "x", "application/octet-stream"),
        400, "bad_request");
    auto trick = c.Get("/v1/blobs/..%2F..%2Fserver.db", h);
    REQUIRE(trick);
    CHECK(trick->status >= 400);
    CHECK(trick->status < 500);
    CHECK(jsonOf(trick)["error"].is_string());
    auto dots = c.Put("/v1/blobs/..%2Fescape?offset=0&total=1", h, "x", "application/octet-stream");
    REQUIRE(dots);
    CHECK((dots->status == 400 || dots->status == 404));  // decoded to several segments: no such route
    CHECK(jsonOf(dots)["error"].is_string());
    CHECK(!std::filesystem::exists(s.server.dir() / "escape"));
    CHECK(!std::filesystem::exists(s.server.dir() / "blobs" / "escape"));
}

TEST_CASE("push bodies may come gzip-coded, pull pages go gzip-coded when asked, and a gzip bomb is refused",
          "[server][input][gzip]") {
    Setup s;
    auto dev = s.server.enroll("alice");
    auto c = s.client();
    auto h = versioned(dev.token);
    Json changes = Json::array();
    for (int i = 1; i <= 40; ++i)
        changes.push_back({{"change_id", jc::newUuidV7()},
                           {"seq", i},
                           {"entity", "unit"},
                           {"entity_id", jc::newUuidV7()},
                           {"fields", {{"name", "某县国土资源局第" + std::to_string(i) + "科"}, {"kind", "department"},
                                       {"created_at", jc::nowIso()}}},
                           {"base_versions", Json::object()},
                           {"hlc", "1767225600000-00000-node"},
                           {"user_id", "alice"}});
    Json push = {{"device_id", dev.deviceId}, {"db_incarnation", "inc1"}, {"changes", changes}};
    std::string plain = push.dump();
    std::string coded = jc::deflateEncode(plain, jc::DeflateFormat::Gzip, jc::proto::kGzipLevel);
    REQUIRE(coded.size() < plain.size() / 2);

    // Responses say that request bodies may be gzip-coded (RFC 7694).
    auto version = c.Get("/v1/version", versioned());
    REQUIRE(version);
    CHECK(version->get_header_value("Accept-Encoding") == "gzip");

    // A coded push is decoded and applied exactly as the plain one would be.
    httplib::Headers hz = h;
    hz.emplace("Content-Encoding", "gzip");
    Json ok = jsonOf(c.Post("/v1/push", hz, coded, "application/json"));
    REQUIRE(ok["results"].size() == 40);
    CHECK(ok["results"][39]["status"] == "applied");
    // Sent again (uncoded this time): every change is a duplicate, nothing applied twice.
    Json again = jsonOf(c.Post("/v1/push", h, plain, "application/json"));
    CHECK(again["results"][0]["status"] == "duplicate");

    // A small body that would decode to more than the body limit: 413, nothing applied.
    auto before = s.server.server().storage().read()->lastServerSeq();
    std::string bomb = jc::deflateEncode(std::string("{\"pad\":\"") + std::string(jc::proto::kMaxBodyBytes + 10, 'x') + "\"}",
                                         jc::DeflateFormat::Gzip, jc::proto::kGzipLevel);
    REQUIRE(bomb.size() < 64 * 1024);
    requireJsonError(c.Post("/v1/push", hz, bomb, "application/json"), 413, "payload_too_large");
    // Corrupt gzip: a 4xx answer, nothing applied.
    auto corrupt = c.Post("/v1/push", hz, std::string("\x1f\x8b\x08\x00garbage-not-deflate", 24), "application/json");
    REQUIRE(corrupt);
    CHECK(corrupt->status >= 400);
    CHECK(corrupt->status < 500);
    CHECK(s.server.server().storage().read()->lastServerSeq() == before);

    // Pull: coded only when the client accepts gzip; the decoded page is the same page.
    httplib::Client raw(s.server.host(), s.server.port());
    raw.set_decompress(false);
    auto pullPlain = raw.Get("/v1/pull?cursor=0&limit=100", h);
    REQUIRE(pullPlain);
    CHECK(pullPlain->get_header_value("Content-Encoding").empty());
    httplib::Headers hg = h;
    hg.emplace("Accept-Encoding", "gzip");
    auto pullCoded = raw.Get("/v1/pull?cursor=0&limit=100", hg);
    REQUIRE(pullCoded);
    CHECK(pullCoded->get_header_value("Content-Encoding") == "gzip");
    CHECK(pullCoded->body.size() < pullPlain->body.size() / 2);
    jc::Inflated decoded = jc::deflateDecode(pullCoded->body, jc::DeflateFormat::Gzip, 1 << 26);
    INFO(decoded.error);
    REQUIRE(decoded.ok());
    CHECK(decoded.data == pullPlain->body);
    CHECK(Json::parse(decoded.data)["changes"].size() >= 40);
}
