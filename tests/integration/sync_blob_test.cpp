// The client's blob queue through the real engine and server (DESIGN.md §4 "Blobs"): a 20 MB
// photo whose upload was cut half-way resumes from the offset the server stored; the same photo
// attached twice is stored, uploaded and downloaded once; and a photo that cannot be sent never
// holds back the records, which reach the other devices all the same.
#include <httplib.h>

#include <catch2/catch.hpp>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>

#include "app/context.h"
#include "app/evidence_commands.h"
#include "app/finding_commands.h"
#include "app/paths.h"
#include "base/sha256.h"
#include "support/app_setup.h"
#include "support/hq_server.h"
#include "support/random_bytes.h"
#include "support/temp_dir.h"

using namespace jc;
namespace fs = std::filesystem;

namespace {

using test::randomBytes;

struct Laptop : test::Laptop {
    using test::Laptop::Laptop;
    std::string finding(const std::string& campaign, const std::string& title) {
        AppContext c = ctx();
        return createFinding(c, test::findingFields(campaign, "pollution", title));
    }
    std::string attach(const std::string& findingId, const fs::path& file) {
        AppContext c = ctx();
        return addEvidence(c, "finding", findingId, file.string(), "现场照片");
    }
    int64_t count(const std::string& sql) { return store->db().queryInt(sql); }
};

}  // namespace

TEST_CASE("a 20 MB photo cut half-way resumes, is stored once, and a failed photo never blocks records",
          "[sync][blob]") {
    test::HqServer hq;
    Laptop a(hq, "张伟"), lead(hq, "李娜");
    test::TempDir files{"blobfiles"};
    const std::string photo = randomBytes(20 * 1024 * 1024, 7);  // a 20 MB photo
    const std::string sha = sha256Hex(photo);
    fs::path photoFile = files.write("排污口.jpg", photo);

    // The same photo on two findings: one blob on the laptop.
    std::string f1 = a.finding(hq.campaign(), "某化工厂夜间偷排废水");
    std::string f2 = a.finding(hq.campaign(), "同一排污口的第二次检查");
    a.attach(f1, photoFile);
    a.attach(f2, photoFile);
    CHECK(a.count("SELECT count(*) FROM evidence WHERE deleted = 0") == 2);
    CHECK(std::distance(fs::directory_iterator(blobDir(a.dir.path)), fs::directory_iterator()) == 1);

    // The records go first; then an upload that was cut after 10 MB (the first chunks reached HQ).
    sync::SyncReport records = a.sync(false);
    CHECK(records.pushed >= 4);
    const int64_t half = 10 * 1024 * 1024;
    {
        httplib::Client cli("127.0.0.1", hq.port());
        httplib::Headers h = {{"X-Jiancha-Protocol", "1"},
                              {"X-Jiancha-Schema", "1"},
                              {"Authorization", "Bearer " + a.store->meta("sync_token").value_or("")}};
        const int64_t chunk = 5 * 1024 * 1024;  // under the protocol's 8 MiB per chunk
        for (int64_t off = 0; off < half; off += chunk) {
            auto r = cli.Put(("/v1/blobs/" + sha + "?offset=" + std::to_string(off) +
                              "&total=" + std::to_string(photo.size())).c_str(),
                             h, photo.substr(static_cast<size_t>(off), static_cast<size_t>(chunk)),
                             "application/octet-stream");
            REQUIRE(r);
            INFO(r->body);
            REQUIRE(r->status == 200);
        }
    }
    sync::SyncReport up = a.sync();
    CHECK(up.blobsUp == 1);  // one upload for both findings
    CHECK(up.blobsFailed == 0);
    CHECK(up.bytesUp == static_cast<int64_t>(photo.size()) - half);  // only the missing half was sent
    CHECK(a.sync().blobsUp == 0);                                    // nothing left to send

    // The lead gets both findings and the photo once, intact.
    sync::SyncReport down = lead.sync();
    CHECK(down.blobsDown == 1);
    CHECK(down.bytesDown == static_cast<int64_t>(photo.size()));
    CHECK(lead.count("SELECT count(*) FROM evidence WHERE deleted = 0") == 2);
    {
        std::ifstream in(blobDir(lead.dir.path) / sha, std::ios::binary);
        std::string got((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        CHECK(got.size() == photo.size());
        CHECK(sha256Hex(got) == sha);
    }

    // A photo that cannot be sent (its file was lost on the laptop) fails on its own: the finding
    // and its evidence record still reach HQ and the lead.
    std::string f3 = a.finding(hq.campaign(), "河道垃圾倾倒");
    const std::string lostPhoto = randomBytes(256 * 1024, 8);
    a.attach(f3, files.write("河道.jpg", lostPhoto));
    REQUIRE(fs::remove(blobDir(a.dir.path) / sha256Hex(lostPhoto)));
    sync::SyncReport partial = a.sync();
    CHECK(partial.blobsFailed == 1);
    CHECK(partial.pendingAfter == 0);
    sync::SyncReport leadAgain = lead.sync();
    CHECK(leadAgain.blobsFailed == 1);  // HQ never got the file, so the lead cannot fetch it either
    CHECK(lead.count("SELECT count(*) FROM finding WHERE title = '河道垃圾倾倒'") == 1);
    CHECK(lead.count("SELECT count(*) FROM evidence WHERE deleted = 0") == 3);
}
