// Enrolment and upload limits of jiancha-server over real HTTP (on SQLite here; again on
// PostgreSQL by pg_enrol_limits_test.cpp):
//  - an enrolment answer lost on the way back (a proxy drops it) does not burn the one-time
//    code: the device asks again with the same code and gets the same device back with a new
//    token — the lost one no longer works, no other device can use the code, and once the new
//    token has been used the code gives nothing more;
//  - wrong codes from one address get 429 with Retry-After after the configured number, also
//    for a right code until the window passes; a limit over all addresses too; each refusal is
//    in the request log;
//  - a device's evidence bytes per day are limited: the chunk over it gets 429 with the limit in
//    words, another device still uploads.
#include <httplib.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "app/paths.h"
#include "base/sha256.h"
#include "core/assets.h"
#include "core/dates.h"
#include "store/reference_data.h"
#include "store/store.h"
#include "support/wait_for.h"
#include "support/dropping_proxy.h"
#include "support/temp_dir.h"
#include "sync/client/sync_engine.h"
#include "sync/protocol/protocol.h"
#include "sync/server/auth.h"
#include "sync/server/limits.h"
#include "sync/server/local_server.h"

#ifndef JC_TEST_SERVER_DB
#define JC_TEST_SERVER_DB std::string()
#endif

using namespace jc;
using jc::server::LocalServer;
using jc::server::ServerLimits;

namespace {

httplib::Headers versioned(const std::string& token = {}) {
    httplib::Headers h{{proto::kHeaderProtocol, std::to_string(proto::kProtocolVersion)},
                       {proto::kHeaderSchema, std::to_string(proto::kSchemaVersion)}};
    if (!token.empty()) h.emplace("Authorization", "Bearer " + token);
    return h;
}

int countLines(const LocalServer& s, const std::string& part) {
    int n = 0;
    for (const auto& l : s.logLines()) n += l.find(part) != std::string::npos;
    return n;
}

httplib::Result enrol(httplib::Client& c, const std::string& code, const std::string& deviceId = "") {
    Json body = {{"code", code}, {"device_name", "乡镇笔记本"}};
    if (!deviceId.empty()) body["device_id"] = deviceId;
    return c.Post("/v1/enroll", versioned(), body.dump(), "application/json");
}

}  // namespace

TEST_CASE("a lost enrolment answer does not burn the code: the retry gets the same device and a new token",
          "[server][enrol]") {
    LocalServer server{{}, true, JC_TEST_SERVER_DB};
    server.admin().addTeam("第一检查组");
    server.admin().addUser("alice", Role::Inspector, "第一检查组");
    const std::string code = server.admin().enrollCode("alice");
    test::DroppingProxy proxy(server.port());
    proxy.dropAnswers("/v1/enroll", 1);

    test::TempDir dir("enrol_retry");
    Store store(storePath(dir.path).string());
    loadReferenceData(store.db(), assetsDir());
    sync::EnrollOutcome lost = sync::enrollDevice(store, proxy.url(), code, "乡镇笔记本-03");
    REQUIRE_FALSE(lost.ok);
    CHECK(lost.kind == sync::SyncErrorKind::Unreachable);
    CHECK_FALSE(store.meta("sync_token").has_value());  // nothing recorded on the device
    auto dropped = proxy.droppedAnswers();
    REQUIRE(dropped.size() == 1);
    Json first = Json::parse(dropped[0]);
    REQUIRE(first.contains("token"));
    CHECK(first["device_id"] == store.deviceId());  // the server took the proposed id

    // The retry: same code, same device → that device, with a new token.
    sync::EnrollOutcome again = sync::enrollDevice(store, proxy.url(), code, "乡镇笔记本-03");
    INFO(again.error);
    REQUIRE(again.ok);
    CHECK(again.deviceId == first["device_id"]);
    CHECK(again.userName == "alice");
    {
        auto tx = server.server().storage().read();
        CHECK(tx->devices().size() == 1);
    }
    CHECK(*store.meta("sync_token") != first["token"].get<std::string>());
    sync::SyncEngine engine(store, blobDir(dir.path));
    sync::SyncReport r = engine.runRecords();
    INFO(r.error);
    CHECK(r.ok);

    httplib::Client c(server.host(), server.port());
    // The lost token never works.
    auto who = c.Get("/v1/whoami", versioned(first["token"].get<std::string>()));
    REQUIRE(who);
    CHECK(who->status == 401);
    // Another device with the same code: the code is used.
    auto other = enrol(c, code, "0190f0c2-0000-7000-8000-000000000001");
    REQUIRE(other);
    CHECK(other->status == 401);
    CHECK(Json::parse(other->body)["reason"] == "used");
    // Once the device has used its token, the same code and device id get nothing more.
    auto late = enrol(c, code, store.deviceId());
    REQUIRE(late);
    CHECK(late->status == 401);
    // Without a proposed id nobody can claim the device either.
    auto anonymous = enrol(c, code);
    REQUIRE(anonymous);
    CHECK(anonymous->status == 401);
}

TEST_CASE("wrong enrolment codes are throttled per address and in all, with Retry-After, and logged",
          "[server][enrol]") {
    ServerLimits limits;
    limits.enrolFailuresPerAddress = 3;
    limits.enrolFailuresGlobal = 5;
    limits.enrolWindowSeconds = 60;
    LocalServer server{{}, true, JC_TEST_SERVER_DB, limits};
    server.admin().addTeam("第一检查组");
    server.admin().addUser("alice", Role::Inspector, "第一检查组");
    const std::string code = server.admin().enrollCode("alice");
    httplib::Client c(server.host(), server.port());

    for (const char* guess : {"AAAA-BBBB-CCCC", "AAAA-BBBB-CCCD", "AAAA-BBBB-CCCE"}) {
        auto r = enrol(c, guess);
        REQUIRE(r);
        CHECK(r->status == 401);
    }
    auto refused = enrol(c, "AAAA-BBBB-CCCF");
    REQUIRE(refused);
    CHECK(refused->status == 429);
    Json body = Json::parse(refused->body);
    CHECK(body["error"] == proto::err::kTooManyAttempts);
    CHECK(body["scope"] == "address");
    REQUIRE(refused->has_header("Retry-After"));
    int retry = std::stoi(refused->get_header_value("Retry-After"));
    CHECK(retry >= 1);
    CHECK(retry <= 60);
    // Even the right code waits: a guesser cannot tell a hit while throttled.
    auto right = enrol(c, code);
    REQUIRE(right);
    CHECK(right->status == 429);
    // The request log line is written once the answer has gone out: wait for it.
    CHECK(test::waitFor([&] { return countLines(server, "\"event\":\"enrol_throttled\"") == 2; }, 5));
    CHECK(test::waitFor([&] { return countLines(server, "\"status\":429") == 2; }, 5));

    // The limit over all addresses: two more refusals from elsewhere make five in the window,
    // and then a fresh address is refused too; once the window has passed, nobody is.
    const int64_t now = nowMillis();
    server::recordEnrolFailure(server.server().storage(), limits, "10.0.0.7", now);
    {
        auto tx = server.server().storage().read();
        CHECK_FALSE(server::enrolThrottle(*tx, limits, "10.0.0.8", now).refused);
    }
    server::recordEnrolFailure(server.server().storage(), limits, "10.0.0.9", now);
    auto tx = server.server().storage().read();
    auto fresh = server::enrolThrottle(*tx, limits, "10.0.0.8", now);
    CHECK(fresh.refused);
    CHECK(fresh.scope == "global");
    CHECK(fresh.retryAfterSeconds >= 1);
    CHECK(fresh.retryAfterSeconds <= 60);
    CHECK_FALSE(server::enrolThrottle(*tx, limits, "127.0.0.1", now + 61'000).refused);
    CHECK_FALSE(server::enrolThrottle(*tx, limits, "10.0.0.8", now + 61'000).refused);
}

TEST_CASE("a device's evidence bytes per day are limited with a clear 429, per device", "[server][blob]") {
    ServerLimits limits;
    limits.blobBytesPerDeviceDay = 1 << 20;  // 1 MiB
    LocalServer server{{}, true, JC_TEST_SERVER_DB, limits};
    server.admin().addTeam("第一检查组");
    server.admin().addUser("alice", Role::Inspector, "第一检查组");
    const std::string token = server.enroll("alice").token;
    httplib::Client c(server.host(), server.port());
    auto put = [&](const std::string& tok, const std::string& data) {
        return c.Put(("/v1/blobs/" + sha256Hex(data) + "?offset=0&total=" + std::to_string(data.size())).c_str(),
                     versioned(tok), data, "application/octet-stream");
    };
    const std::string a(600 * 1024, 'a'), b(600 * 1024, 'b');
    auto first = put(token, a);
    REQUIRE(first);
    CHECK(first->status == 200);
    auto over = put(token, b);
    REQUIRE(over);
    CHECK(over->status == 429);
    Json body = Json::parse(over->body);
    CHECK(body["error"] == proto::err::kBlobQuota);
    CHECK(body["limit_bytes"] == 1 << 20);
    CHECK(body["used_bytes"] == 600 * 1024);
    CHECK(body["message"].get<std::string>().find("1.0 MiB a day") != std::string::npos);
    REQUIRE(over->has_header("Retry-After"));
    int retry = std::stoi(over->get_header_value("Retry-After"));
    CHECK(retry >= 1);
    CHECK(retry <= 86'400);
    CHECK_FALSE(server.server().blobs().status(sha256Hex(b)).offset > 0);  // nothing of it stored
    CHECK(countLines(server, "\"event\":\"blob_quota_exceeded\"") == 1);
    // Another device has its own allowance.
    const std::string other = server.enroll("alice", "second laptop").token;
    auto theirs = put(other, b);
    REQUIRE(theirs);
    CHECK(theirs->status == 200);
}
