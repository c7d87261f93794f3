// Enrolment as the window runs it (sync/client/enrolment.h) against a real jiancha-server on
// loopback: every way it can fail comes back as a kind the window translates (wrong, used and
// expired codes, server unreachable, certificate not trusted) and leaves the store as it was;
// a code typed with spaces, lower case and full-width characters works.
#include <catch2/catch.hpp>

#include <thread>

#include "app/paths.h"
#include "app/setup.h"
#include "core/assets.h"
#include "store/store.h"
#include "support/hq_seed.h"
#include "support/run_process.h"
#include "support/server_process.h"
#include "support/temp_dir.h"
#include "sync/client/enrolment.h"

using namespace jc;
using sync::SyncErrorKind;

namespace {
// How a person might type "ABCD-EFGH-JKMN" read out over the phone: lower case, spaces instead
// of dashes, and the last group in full-width characters from a Chinese IME.
std::string typedLoosely(const std::string& code) {
    std::string out;
    int group = 0;
    for (char c : code) {
        if (c == '-') {
            out += ' ';
            ++group;
            continue;
        }
        if (group < 2) {
            out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        } else {
            unsigned cp = static_cast<unsigned char>(c) + 0xFEE0;  // full-width form
            out += static_cast<char>(0xE0 | (cp >> 12));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        }
    }
    return "  " + out + "\u3000";  // and an ideographic space at the end
}

bool untouched(Store& s) {
    return !s.meta("sync_server") && !s.meta("sync_token") && !s.meta("current_user");
}
}  // namespace

TEST_CASE("enrolment failures come back as kinds and change nothing", "[sync][enrol]") {
    test::TempDir hqDir;
    std::string db = (hqDir.path / "server.db").string();
    auto seed = test::seedHqDatabase(db, {{"张伟", Role::Inspector}, {"李娜", Role::Lead}});
    test::ServerProcess server(db, (hqDir.path / "blobs").string());
    test::TempDir dev;
    Store store(storePath(dev.path).string());

    sync::EnrolRequest req{server.url(), "ZZZZ-ZZZZ-ZZZZ", "巡查笔记本", ""};
    auto wrong = sync::enrolStore(store, assetsDir(), req);
    CHECK_FALSE(wrong.ok);
    CHECK(wrong.kind == SyncErrorKind::CodeInvalid);
    CHECK(untouched(store));

    req.code = "";
    CHECK(sync::enrolStore(store, assetsDir(), req).kind == SyncErrorKind::CodeMissing);
    req.code = seed.codes["张伟"];
    req.server = "ftp://127.0.0.1";
    CHECK(sync::enrolStore(store, assetsDir(), req).kind == SyncErrorKind::BadServerAddress);
    req.server = "http://127.0.0.1:9";  // nothing listens on the discard port
    CHECK(sync::enrolStore(store, assetsDir(), req).kind == SyncErrorKind::Unreachable);
    CHECK(untouched(store));

    // Typed loosely, with the address lacking its scheme's slash at the end: it works.
    req.server = server.url() + "/";
    req.code = typedLoosely(seed.codes["张伟"]);
    INFO("typed: " << req.code);
    auto ok = sync::enrolStore(store, assetsDir(), req);
    INFO(ok.error);
    REQUIRE(ok.ok);
    CHECK(ok.userName == "张伟");
    auto info = sync::enrolmentInfo(store);
    CHECK(info.enrolled);
    CHECK(info.server == server.url());
    CHECK(info.deviceName == "巡查笔记本");
    CHECK(info.role == "inspector");
    CHECK(store.db().queryInt("SELECT count(*) FROM region") > 40000);

    // The same code again, on another store: used.
    test::TempDir dev2;
    Store store2(storePath(dev2.path).string());
    req.code = seed.codes["张伟"];
    CHECK(sync::enrolStore(store2, assetsDir(), req).kind == SyncErrorKind::CodeInvalid);
    CHECK(untouched(store2));

    // An expired code (made to live one second).
    std::string shortCode;
    {
        auto storage = server::openSqliteStorage(db);
        server::Admin admin(*storage);
        shortCode = admin.enrollCode("李娜", 1.0 / 3600);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1300));
    req.code = shortCode;
    auto expired = sync::enrolStore(store2, assetsDir(), req);
    CHECK(expired.kind == SyncErrorKind::CodeExpired);
    CHECK(untouched(store2));

    // Leaving: the server and token are forgotten, the records stay.
    CHECK(sync::leaveServer(store) >= 0);
    CHECK_FALSE(sync::enrolmentInfo(store).enrolled);
    CHECK(store.meta("current_user") == std::optional<std::string>("张伟"));
}

TEST_CASE("a local store enrols later as its own user, and is told why not for another", "[sync][enrol]") {
    test::TempDir hqDir;
    std::string db = (hqDir.path / "server.db").string();
    auto seed = test::seedHqDatabase(db, {{"张伟", Role::Inspector}, {"李娜", Role::Lead}});
    test::ServerProcess server(db, (hqDir.path / "blobs").string());

    // 李娜's local-only store cannot become 张伟's.
    test::TempDir other;
    Store mine(storePath(other.path).string());
    initStore(mine, InitOptions{"李娜", Role::Lead, "", ""});
    auto refused = sync::enrolStore(mine, assetsDir(), {server.url(), seed.codes["张伟"], "", ""});
    CHECK(refused.kind == SyncErrorKind::OtherUser);
    CHECK_FALSE(sync::enrolmentInfo(mine).enrolled);

    // (The exchange spent that code: HQ cannot tell whose store it is before. A new one.)
    std::string code;
    {
        auto storage = server::openSqliteStorage(db);
        server::Admin admin(*storage);
        code = admin.enrollCode("张伟");
    }
    // 张伟's local-only store becomes the enrolled 张伟's: his user record takes HQ's id and
    // the first sync brings HQ's campaign.
    test::TempDir local;
    Store store(storePath(local.path).string());
    initStore(store, InitOptions{"张伟", Role::Inspector, "", ""});
    auto ok = sync::enrolStore(store, assetsDir(), {server.url(), code, "", ""});
    INFO(ok.error);
    REQUIRE(ok.ok);
    sync::SyncEngine engine(store, blobDir(local.path));
    auto r = engine.run();
    INFO(r.error);
    CHECK(r.ok);
    CHECK(r.rejected == 0);
    CHECK(store.db().queryInt("SELECT count(*) FROM campaign") == 1);
}

TEST_CASE("a server whose certificate is not trusted is named as such", "[sync][enrol][tls]") {
    test::TempDir hqDir;
    std::string cert = (hqDir.path / "hq.pem").string(), key = (hqDir.path / "hq.key").string();
    auto made = test::runProcess("openssl", {"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out",
                                             cert, "-days", "2", "-subj", "/CN=127.0.0.1", "-addext",
                                             "subjectAltName=IP:127.0.0.1"});
    REQUIRE(made.code == 0);
    std::string db = (hqDir.path / "server.db").string();
    auto seed = test::seedHqDatabase(db, {{"张伟", Role::Inspector}});
    test::ServerProcess server(db, (hqDir.path / "blobs").string(), {"--tls-cert", cert, "--tls-key", key});
    REQUIRE(server.tls);
    test::TempDir dev;
    Store store(storePath(dev.path).string());
    sync::EnrolRequest req{server.url(), seed.codes["张伟"], "", ""};
    auto r = sync::enrolStore(store, assetsDir(), req);
    CHECK(r.kind == SyncErrorKind::CertificateUntrusted);
    CHECK(untouched(store));
    req.caFile = (hqDir.path / "missing.pem").string();
    CHECK(sync::enrolStore(store, assetsDir(), req).kind == SyncErrorKind::CertificateUntrusted);
    req.caFile = cert;
    auto ok = sync::enrolStore(store, assetsDir(), req);
    INFO(ok.error);
    CHECK(ok.ok);
}
