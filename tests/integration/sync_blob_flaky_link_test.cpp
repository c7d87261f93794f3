// Photos over a flaky link (a township office's 4G that resets connections): through a proxy
// that resets every connection after 1 MiB, a 5 MiB photo goes up and comes down intact in one
// sync round each — the server keeps the received part of a cut chunk and the client resumes
// there; the download goes on with Range requests — and the server never stores a blob whose
// bytes do not match its name, nor serves one it does not hold completely.
#include <httplib.h>

#include <catch2/catch.hpp>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <thread>

#include "app/context.h"
#include "app/evidence_commands.h"
#include "app/finding_commands.h"
#include "app/paths.h"
#include "base/sha256.h"
#include "support/app_setup.h"
#include "support/hq_server.h"
#include "support/random_bytes.h"
#include "support/resetting_proxy.h"
#include "support/temp_dir.h"

using namespace jc;
namespace fs = std::filesystem;

namespace {

using test::randomBytes;

std::string readFile(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Every stored object is named by the SHA-256 of its bytes.
void checkObjectsIntact(const fs::path& blobDir) {
    std::error_code ec;
    for (const auto& e : fs::recursive_directory_iterator(blobDir / "objects", ec)) {
        if (!e.is_regular_file()) continue;
        INFO(e.path());
        CHECK(sha256Hex(readFile(e.path())) == e.path().filename().string());
    }
}

// Sync rounds until one succeeds (what the GUI's worker does after a failure); the round count.
int roundsUntilThrough(test::Laptop& laptop, int most = 10) {
    for (int round = 1; round <= most; ++round) {
        sync::SyncEngine engine(*laptop.store, blobDir(laptop.dir.path));
        sync::SyncReport r = engine.run();
        if (r.ok && r.blobsFailed == 0) return round;
        INFO("round " << round << ": " << r.error);
    }
    return most + 1;
}

}  // namespace

TEST_CASE("a 5 MiB photo crosses a link that resets every MiB, intact, in one round each way", "[sync][blob]") {
    test::HqServer hq;
    test::Laptop a(hq, "张伟"), lead(hq, "李娜");
    test::TempDir files{"flakyfiles"};
    const std::string photo = randomBytes(5 * 1024 * 1024, 11);
    const std::string sha = sha256Hex(photo);
    {
        AppContext c = a.ctx();
        std::string f = createFinding(c, test::findingFields(hq.campaign(), "pollution", "排污口夜间偷排"));
        addEvidence(c, "finding", f, files.write("排污口.jpg", photo).string(), "现场照片");
    }
    a.sync(false);  // the records first, on a good line

    // From now on both laptops reach HQ only through the flaky link.
    test::ResettingProxy link(hq.port(), 1024 * 1024);
    a.store->setMeta("sync_server", link.url());
    lead.store->setMeta("sync_server", link.url());

    // One round, although no connection can carry the 5 MiB chunk: sent again from its start
    // after each cut, it would never arrive. (How much of each MiB the server gets before the
    // reset depends on how fast it reads; bytes in flight at a reset are lost, as on a real link.)
    CHECK(roundsUntilThrough(a) == 1);
    CHECK(link.resets() >= 4);  // 5 MiB cannot cross in fewer cuts
    const fs::path stored = hq.blobDir() / "objects" / sha.substr(0, 2) / sha;
    REQUIRE(fs::exists(stored));
    CHECK(sha256Hex(readFile(stored)) == sha);
    checkObjectsIntact(hq.blobDir());

    const int64_t resetsBefore = link.resets();
    CHECK(roundsUntilThrough(lead) == 1);
    CHECK(link.resets() - resetsBefore >= 4);
    const std::string got = readFile(blobDir(lead.dir.path) / sha);
    CHECK(got.size() == photo.size());
    CHECK(sha256Hex(got) == sha);
    CHECK_FALSE(fs::exists(blobDir(lead.dir.path) / (sha + ".part")));
}

TEST_CASE("a cut chunk is kept only as far as it arrived, and wrong bytes are never stored", "[sync][blob]") {
    test::HqServer hq;
    test::Laptop a(hq, "张伟");
    const std::string photo = randomBytes(3 * 1024 * 1024, 12);
    const std::string sha = sha256Hex(photo);
    httplib::Headers h = {{"X-Jiancha-Protocol", "1"},
                          {"X-Jiancha-Schema", "1"},
                          {"Authorization", "Bearer " + a.store->meta("sync_token").value_or("")}};
    auto put = [&](int64_t offset, const std::string& bytes) {
        httplib::Client cli("127.0.0.1", hq.port());
        return cli.Put(("/v1/blobs/" + sha + "?offset=" + std::to_string(offset) + "&total=" + std::to_string(photo.size())).c_str(),
                       h, bytes, "application/octet-stream");
    };
    auto held = [&] {
        httplib::Client cli("127.0.0.1", hq.port());
        auto r = cli.Head(("/v1/blobs/" + sha).c_str(), h);
        REQUIRE(r);
        return std::stoll(r->get_header_value("X-Jiancha-Blob-Offset"));
    };

    // A 2 MiB chunk cut after 1 MiB by a link that resets (the answer never arrives).
    test::ResettingProxy link(hq.port(), 1024 * 1024);
    {
        httplib::Client viaLink(link.url());
        auto r = viaLink.Put(("/v1/blobs/" + sha + "?offset=0&total=" + std::to_string(photo.size())).c_str(), h,
                             photo.substr(0, 2 * 1024 * 1024), "application/octet-stream");
        CHECK_FALSE(r);  // reset on the way
    }
    // The server kept a prefix of what was sent (the request head took some of the MiB), no more;
    // read once the server has finished with the cut request (the size stays put).
    int64_t kept = -1;
    for (int i = 0; i < 50; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        int64_t now = held();
        if (now > 0 && now == kept) break;
        kept = now;
    }
    CHECK(kept > 0);
    CHECK(kept < 1024 * 1024);
    // Where the server is not, nothing is written; the answer says where to go on.
    auto wrongPlace = put(0, photo.substr(0, 1000));
    REQUIRE(wrongPlace);
    CHECK(wrongPlace->status == 409);
    // Wrong bytes after the kept part: refused when the blob is complete, and the partial
    // upload is discarded; nothing is stored or served under the name.
    auto bad = put(kept, std::string(photo.size() - static_cast<size_t>(kept), 'x'));
    REQUIRE(bad);
    CHECK(bad->status == 422);
    CHECK(held() == 0);
    CHECK_FALSE(fs::exists(hq.blobDir() / "objects" / sha.substr(0, 2) / sha));
    checkObjectsIntact(hq.blobDir());
    {
        httplib::Client cli("127.0.0.1", hq.port());
        auto r = cli.Get(("/v1/blobs/" + sha).c_str(), h);
        REQUIRE(r);
        CHECK(r->status != 200);
    }
}
