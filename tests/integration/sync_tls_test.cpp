// HQ over TLS: jiancha-server serves https with a certificate and key given on the command line;
// a laptop trusts HQ's self-signed certificate only when told to (--ca-file), and then enrols and
// syncs as over plain HTTP. The certificate is made for the test with the openssl tool.
#include <catch2/catch.hpp>

#include "support/hq_seed.h"
#include "support/server_process.h"
#include "support/sync_devices.h"

using namespace jc;

TEST_CASE("a laptop syncs with HQ over TLS and refuses a certificate it was not told to trust", "[sync][tls]") {
    test::TempDir hqDir;
    std::string cert = (hqDir.path / "hq.pem").string(), key = (hqDir.path / "hq.key").string();
    auto made = test::runProcess("openssl", {"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out",
                                             cert, "-days", "2", "-subj", "/CN=127.0.0.1", "-addext",
                                             "subjectAltName=IP:127.0.0.1"});
    INFO(made.err);
    REQUIRE(made.code == 0);

    std::string db = (hqDir.path / "server.db").string();
    auto seed = test::seedHqDatabase(db, {{"张伟", Role::Inspector}});
    test::ServerProcess server(db, (hqDir.path / "blobs").string(), {"--tls-cert", cert, "--tls-key", key});
    REQUIRE(server.tls);
    REQUIRE(server.url().rfind("https://", 0) == 0);

    test::Device d{{}, "张伟"};
    // Not told to trust HQ's certificate: refused, nothing recorded, the code still unused.
    auto untrusted = d.run({"enroll", "--server", server.url(), "--code", seed.codes["张伟"]});
    CHECK(untrusted.code != 0);
    CHECK(untrusted.err.find("certificate") != std::string::npos);
    // Plain HTTP to the TLS port does not get through either.
    std::string plain = "http://127.0.0.1:" + std::to_string(server.port);
    CHECK(d.run({"enroll", "--server", plain, "--code", seed.codes["张伟"]}).code != 0);
    CHECK(d.run({"sync"}).code != 0);  // not enrolled

    d.ok({"enroll", "--server", server.url(), "--code", seed.codes["张伟"], "--ca-file", cert});
    REQUIRE(d.sync()["ok"] == true);
    d.ok({"finding", "add", "--campaign", seed.campaign, "--category", "wage_arrears", "--title", "工地拖欠工资",
          "--region", "620702101", "--area", "hotspot_issues"});
    Json r = d.sync();
    CHECK(r["ok"] == true);
    CHECK(r["pushed"].get<int>() >= 1);
    CHECK(d.json({"status"})["outbox_pending"] == 0);
}
