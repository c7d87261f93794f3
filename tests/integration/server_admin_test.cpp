// The admin API (/v1/admin/…) and the server's audit log: only hq_admin devices get in (401 without
// a token, 403 for inspectors and leads, on every endpoint); each action lands in the audit log
// with the acting user and device; `jiancha-server audit verify` finds an altered, a removed and a
// cut-off entry. The same Admin logic and audit chain on PostgreSQL when a cluster is available.
#include <httplib.h>

#include "base/db.h"
#include "support/hq_server.h"
#include "support/pg_env.h"
#include "support/run_process.h"
#include "sync/client/admin_client.h"
#include "sync/client/sync_engine.h"
#include "sync/protocol/protocol.h"
#include "sync/server/admin.h"
#include "sync/server/open_storage.h"
#include "sync/server/server_audit.h"

using namespace jc;
using test::Laptop;

namespace {

struct Endpoint {
    const char* method;
    std::string path;
};

std::vector<Endpoint> endpoints(const std::string& userId, const std::string& deviceId) {
    return {{"GET", "/v1/admin/teams"},
            {"POST", "/v1/admin/teams"},
            {"GET", "/v1/admin/users"},
            {"POST", "/v1/admin/users"},
            {"POST", "/v1/admin/users/" + userId},
            {"GET", "/v1/admin/campaigns"},
            {"POST", "/v1/admin/campaigns"},
            {"GET", "/v1/admin/enroll-codes"},
            {"POST", "/v1/admin/enroll-codes"},
            {"POST", "/v1/admin/enroll-codes/0123456789abcdef/expire"},
            {"GET", "/v1/admin/devices"},
            {"POST", "/v1/admin/devices/" + deviceId + "/revoke"},
            {"GET", "/v1/admin/audit"}};
}

int call(int port, const Endpoint& e, const std::string& token, const std::string& body = "{}") {
    httplib::Client c("127.0.0.1", port);
    httplib::Headers h = {{proto::kHeaderProtocol, std::to_string(proto::kProtocolVersion)},
                          {proto::kHeaderSchema, std::to_string(proto::kSchemaVersion)}};
    if (!token.empty()) h.insert({"Authorization", "Bearer " + token});
    auto res = std::string(e.method) == "GET" ? c.Get(e.path, h) : c.Post(e.path, h, body, "application/json");
    REQUIRE(res);
    return res->status;
}

std::string tokenOf(Laptop& l) {
    return sync::loadSyncSettings(*l.store)->token;
}
std::string deviceOf(Laptop& l) {
    return sync::loadSyncSettings(*l.store)->deviceId;
}

void addHqAdmin(test::HqServer& hq, const std::string& name) {
    auto storage = server::openStorage(hq.db());
    server::Admin(*storage).addUser(name, Role::HqAdmin, "");
}

std::vector<std::string> actions(const std::string& db) {
    auto storage = server::openStorage(db);
    std::vector<std::string> out;
    for (const auto& e : server::Admin(*storage).audit(0, 10000)) out.push_back(e.action);
    return out;
}

}  // namespace

TEST_CASE("every admin endpoint refuses unauthenticated calls, inspectors and leads", "[server][admin]") {
    test::HqServer hq;
    addHqAdmin(hq, "王主任");
    Laptop inspector(hq, "张伟"), lead(hq, "李娜"), admin(hq, "王主任");
    auto before = actions(hq.db());
    for (const auto& e : endpoints(sync::loadSyncSettings(*inspector.store)->userName, deviceOf(inspector))) {
        INFO(e.method << " " << e.path);
        CHECK(call(hq.port(), e, "") == 401);
        CHECK(call(hq.port(), e, "not-a-token") == 401);
        CHECK(call(hq.port(), e, tokenOf(inspector)) == 403);
        CHECK(call(hq.port(), e, tokenOf(lead)) == 403);
        if (std::string(e.method) == "GET") CHECK(call(hq.port(), e, tokenOf(admin)) == 200);
    }
    // Refused calls changed nothing: the inspector's device still syncs, no action was audited.
    CHECK(actions(hq.db()) == before);
    inspector.sync(false);
    // Bad input from an administrator: 400 with the reason, nothing written.
    sync::AdminClient client(*admin.store);
    auto bad = client.addUser({{"name", "赵敏"}, {"role", "inspector"}});
    CHECK(bad.status == 400);
    CHECK(bad.message.find("team") != std::string::npos);
    CHECK(client.addUser({{"name", "  "}, {"role", "lead"}, {"team", "第一检查组"}}).status == 400);
    CHECK(client.addUser({{"name", "赵敏"}, {"role", "boss"}, {"team", "第一检查组"}}).status == 400);
    CHECK(client.addTeam({{"name", "第二组"}, {"region_scope", {"62x"}}}).status == 400);
    CHECK(client.issueEnrollCode("nobody", 24).status == 404);
    CHECK(client.issueEnrollCode("张伟", 0).status == 400);
    CHECK(client.revokeDevice("no-such-device").status == 404);
    CHECK(actions(hq.db()) == before);
}

TEST_CASE("admin actions through the API are audited with the acting user and device, and verify",
          "[server][admin][audit]") {
    test::HqServer hq;
    addHqAdmin(hq, "王主任");
    Laptop admin(hq, "王主任"), inspector(hq, "张伟");
    sync::AdminClient c(*admin.store);

    auto team = c.addTeam({{"name", "第二检查组"}, {"region_scope", {"620702"}}});
    REQUIRE(team.ok);
    auto user =
        c.addUser({{"name", "赵敏"}, {"role", "inspector"}, {"team", "第二检查组"}, {"display_name", "赵敏（临泽）"}});
    REQUIRE(user.ok);
    std::string userId = user.body["id"];
    REQUIRE(c.updateUser(userId, {{"role", "lead"}, {"region_scope", {"620723"}}}).ok);
    auto camp = c.addCampaign({{"title", "2026年欠薪专项"},
                               {"teams", {"第二检查组"}},
                               {"period_start", "2026-09-01"},
                               {"period_end", "2026-08-01"}});
    CHECK(camp.status == 400);  // ends before it starts
    REQUIRE(c.addCampaign({{"title", "2026年欠薪专项"}, {"teams", {"第二检查组"}}}).ok);
    auto code = c.issueEnrollCode("赵敏", 24);
    REQUIRE(code.ok);
    CHECK(std::string(code.body["code"]).size() == 14);
    auto codes = c.enrollCodes();
    REQUIRE(codes.ok);
    bool listed = false;
    for (const auto& x : codes.body["codes"])
        listed = listed || (x["id"] == code.body["id"] && x["state"] == "active" && x["user_name"] == "赵敏");
    CHECK(listed);
    REQUIRE(c.expireEnrollCode(code.body["id"]).ok);
    // The expired code no longer enrols.
    {
        test::TempDir d("expired");
        Store s((d.path / "jiancha.db").string());
        CHECK_FALSE(sync::enrollDevice(s, hq.url(), code.body["code"], "笔记本").ok);
    }
    REQUIRE(c.revokeDevice(deviceOf(inspector)).ok);
    REQUIRE(c.updateUser(userId, {{"disabled", true}}).ok);
    auto users = c.users();
    REQUIRE(users.ok);
    for (const auto& u : users.body["users"])
        if (u["name"] == "赵敏") {
            CHECK(u["disabled"] == true);
            CHECK(u["role"] == "lead");
            CHECK(u["team_name"] == "第二检查组");
        }
    // The revoked inspector's next sync is refused.
    sync::SyncEngine engine(*inspector.store, blobDir(inspector.dir.path));
    auto r = engine.runRecords();
    CHECK_FALSE(r.ok);
    CHECK(r.errorKind == sync::SyncErrorKind::DeviceRevoked);
    auto devices = c.devices();
    REQUIRE(devices.ok);
    for (const auto& d : devices.body["devices"])
        if (d["id"] == deviceOf(inspector))
            CHECK_FALSE(std::string(d["revoked_at"]).empty());
        else if (d["id"] == deviceOf(admin))
            CHECK_FALSE(std::string(d["last_seen_at"]).empty());

    // The audit log, read through the API: each action with who and from which device.
    auto audit = c.audit(0, 1000);
    REQUIRE(audit.ok);
    std::vector<std::string> mine;
    for (const auto& e : audit.body["entries"])
        if (e["actor"] == "王主任" && e["device_id"] == deviceOf(admin)) mine.push_back(e["action"]);
    CHECK(mine == std::vector<std::string>{"device_enroll", "team_add", "user_add", "user_update", "campaign_add",
                                           "enroll_code_issue", "enroll_code_expire", "device_revoke", "user_disable"});
    bool enrolAudited = false;
    for (const auto& e : audit.body["entries"])
        enrolAudited = enrolAudited || (e["action"] == "device_enroll" && e["actor"] == "张伟" &&
                                        e["device_id"] == deviceOf(inspector));
    CHECK(enrolAudited);

    auto ok = test::runProcess(JIANCHA_SERVER_BIN, {"audit", "verify", "--db", hq.db(), "--lang", "en"});
    INFO(ok.out << ok.err);
    CHECK(ok.code == 0);
    CHECK(ok.out.find("intact") != std::string::npos);
}

TEST_CASE("audit verify finds an altered, a removed and a cut-off entry", "[server][audit]") {
    test::TempDir dir("audit");
    test::TempDir copies("audit_copies");
    std::string db = (dir.path / "hq.db").string();
    test::seedHqDatabase(db, {{"张伟", Role::Inspector}, {"李娜", Role::Lead}});
    {
        auto storage = server::openStorage(db);
        server::Admin a(*storage, server::AuditActor{"王主任", "device-1"});
        a.addTeam("第二检查组");
        a.addUser("赵敏", Role::Inspector, "第二检查组");
        a.enrollCode("赵敏", 24);
    }
    auto verify = [&](const std::string& file) {
        return test::runProcess(JIANCHA_SERVER_BIN, {"audit", "verify", "--db", file, "--lang", "en"});
    };
    REQUIRE(verify(db).code == 0);
    auto tampered = [&](const std::string& name, const std::string& sql) {
        std::string copy = (copies.path / name).string();
        std::filesystem::copy_file(db, copy);
        Database raw(copy);
        // The table refuses UPDATE and DELETE: a tamperer has to drop the triggers first.
        CHECK_THROWS(raw.exec("UPDATE server_audit SET actor = 'x' WHERE seq = 2"));
        raw.exec("DROP TRIGGER server_audit_no_update; DROP TRIGGER server_audit_no_delete;");
        raw.exec(sql);
        return verify(copy);
    };
    auto altered = tampered("altered.db",
                            "UPDATE server_audit SET detail = replace(detail, '赵敏', '钱七') WHERE action = "
                            "'user_add' AND detail LIKE '%赵敏%'");
    CHECK(altered.code == 3);
    CHECK(altered.out.find("altered") != std::string::npos);
    auto removed = tampered("removed.db", "DELETE FROM server_audit WHERE seq = 3");
    CHECK(removed.code == 3);
    CHECK(removed.out.find("removed") != std::string::npos);
    auto cut = tampered("cut.db", "DELETE FROM server_audit WHERE seq = (SELECT max(seq) FROM server_audit)");
    CHECK(cut.code == 3);
    CHECK(cut.out.find("removed") != std::string::npos);
}

TEST_CASE("PostgreSQL: admin actions are audited and verify detects tampering", "[server][audit][pg]") {
    std::string url = test::freshPgDatabase();
    if (url.empty()) return;
    test::seedHqDatabase(url, {{"张伟", Role::Inspector}});
    {
        auto storage = server::openStorage(url);
        server::Admin a(*storage, server::AuditActor{"王主任", "device-1"});
        a.addTeam("第二检查组");
        std::string id = a.addUser("赵敏", Role::Inspector, "第二检查组");
        server::UserUpdate u;
        u.disabled = true;
        a.updateUser(id, u);
        auto codes = a.enrollCodes();
        REQUIRE_FALSE(codes.empty());
        a.expireEnrollCode(codes.front().id);
        std::vector<std::string> got;
        for (const auto& e : a.audit(0, 1000))
            if (e.actor == "王主任") got.push_back(e.action);
        CHECK(got == std::vector<std::string>{"team_add", "user_add", "user_disable", "enroll_code_expire"});
        CHECK(server::verifyServerAudit(*storage).ok);
    }
    auto verify = [&] {
        return test::runProcess(JIANCHA_SERVER_BIN, {"audit", "verify", "--db", url, "--lang", "en"});
    };
    CHECK(verify().code == 0);
    CHECK_THROWS(test::pgExec(url, "UPDATE server_audit SET actor = 'x' WHERE seq = 2"));
    test::pgExec(url, "ALTER TABLE server_audit DISABLE TRIGGER server_audit_no_change");
    test::pgExec(url, "UPDATE server_audit SET actor = 'x' WHERE seq = 2");
    auto bad = verify();
    CHECK(bad.code == 3);
    CHECK(bad.out.find("entry 2 was altered") != std::string::npos);
}
