// A laptop over HQ's daily evidence limit (`serve --blob-mib-per-day 1`, the real server binary):
// the photo that does not fit stays queued, the records sync all the same, and the user is told
// in Chinese what happened and when the rest goes — the engine reports it as its own kind of
// failure (what the window's status bar words), and `jiancha sync` says it on the terminal.
#include <catch2/catch.hpp>
#include <fstream>

#include "app/evidence_commands.h"
#include "app/finding_commands.h"
#include "support/hq_server.h"
#include "support/run_process.h"

using namespace jc;
namespace fs = std::filesystem;

TEST_CASE("a laptop over the daily evidence limit keeps the photo queued and is told so in Chinese",
          "[sync][blob][limits]") {
    test::HqServer hq({"--blob-mib-per-day", "1"});
    test::Laptop laptop(hq, "张伟");
    test::TempDir files{"quota_files"};
    std::string finding;
    {
        AppContext c = laptop.ctx();
        finding = createFinding(c, {{"campaign_id", hq.campaign()},
                                    {"category", "pollution"},
                                    {"title", "河道排污口现场照片"},
                                    {"region_code", "620702101"},
                                    {"area", "hotspot_issues"}});
        for (char fill : {'x', 'y'}) {
            fs::path p = files.path / (std::string(1, fill) + ".jpg");
            std::ofstream(p, std::ios::binary) << std::string(700 * 1024, fill);
            addEvidence(c, "finding", finding, p.string(), "排污口");
        }
    }
    sync::SyncEngine engine(*laptop.store, blobDir(laptop.dir.path));
    sync::SyncReport r = engine.run();
    CHECK_FALSE(r.ok);
    CHECK(r.errorKind == sync::SyncErrorKind::BlobQuota);
    CHECK(r.pushed >= 3);  // the finding and both evidence records went through
    CHECK(r.pendingAfter == 0);
    CHECK(r.blobsUp == 1);
    CHECK(r.error.find("1.0 MiB a day") != std::string::npos);
    CHECK(laptop.store->db().queryInt("SELECT count(*) FROM blob_upload WHERE uploaded = 0") == 1);

    // The terminal says it in the user's language.
    test::ProcessResult cli = test::runProcess(JIANCHA_BIN, {"--data-dir", laptop.dir.path.string(), "sync"},
                                               "LC_ALL= LC_MESSAGES= LANG=zh_CN.UTF-8");
    INFO(cli.err);
    CHECK(cli.code == 1);
    CHECK(cli.err.find("本设备今天上传的证据已达总部规定的每日上限") != std::string::npos);
    CHECK(cli.err.find("记录已照常同步") != std::string::npos);
}
