// Evidence commands: content-addressed blob store (same content stored once, hash = file name),
// size limit with a clear error, record + outbox in one transaction, captions, permissions.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "app/context.h"
#include "app/evidence_commands.h"
#include "app/finding_commands.h"
#include "app/org_commands.h"
#include "app/setup.h"
#include "core/error.h"
#include "core/uuid.h"
#include "base/sha256.h"
#include "store/store.h"

using namespace jc;
namespace fs = std::filesystem;

namespace {

struct Fixture {
    fs::path dir;
    std::unique_ptr<Store> store;
    std::unique_ptr<AppContext> hq, inspector, other;
    std::string campaignId, findingId;

    Fixture() {
        dir = fs::temp_directory_path() / ("jc_evidence_" + newUuidV7());
        fs::create_directories(dir);
        store = std::make_unique<Store>((dir / "jiancha.db").string());
        initStore(*store, InitOptions{"总部管理员", Role::HqAdmin, {}, {}});
        auto cal = calendarFromStore(*store);
        hq = std::make_unique<AppContext>(AppContext{*store, loadActor(*store, ""), cal, std::nullopt});
        createUser(*hq, "张伟", Role::Inspector, "");
        createUser(*hq, "李娜", Role::Inspector, "");
        inspector = std::make_unique<AppContext>(AppContext{*store, loadActor(*store, "张伟"), cal, std::nullopt});
        other = std::make_unique<AppContext>(AppContext{*store, loadActor(*store, "李娜"), cal, std::nullopt});
        CampaignInput c;
        c.title = "测试专项";
        campaignId = createCampaign(*hq, c);
        findingId = createFinding(*inspector, {{"campaign_id", campaignId}, {"category", "wage_arrears"}, {"title", "拖欠工资"}});
    }
    ~Fixture() {
        inspector.reset();
        other.reset();
        hq.reset();
        store.reset();
        std::error_code ec;
        fs::remove_all(dir, ec);
    }
    fs::path writeFile(const std::string& name, const std::string& content) {
        fs::path p = dir / name;
        std::ofstream(p, std::ios::binary) << content;
        return p;
    }
};

}  // namespace

TEST_CASE("addEvidence stores the file under its SHA-256 and records it", "[evidence]") {
    Fixture fx;
    std::string content = "\x89PNG fake photo bytes 现场照片";
    fs::path photo = fx.writeFile("现场.jpg", content);
    std::string id = addEvidence(*fx.inspector, "finding", fx.findingId, photo.string(), "欠薪公告");
    std::string sha = sha256Hex(content);

    fs::path blob = evidenceBlobPath(*fx.inspector, sha);
    REQUIRE(fs::exists(blob));
    std::ifstream in(blob, std::ios::binary);
    std::string stored((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    CHECK(stored == content);

    auto rows = listEvidence(*fx.store, "finding", fx.findingId);
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].id == id);
    CHECK(rows[0].sha256 == sha);
    CHECK(rows[0].kind == "photo");
    CHECK(rows[0].mime == "image/jpeg");
    CHECK(rows[0].size == static_cast<int64_t>(content.size()));
    CHECK(rows[0].caption == "欠薪公告");
    CHECK(rows[0].fileName == "现场.jpg");
    CHECK(rows[0].createdBy == "张伟");
    CHECK_FALSE(rows[0].capturedAt.empty());
    CHECK(fx.store->db().queryInt("SELECT count(*) FROM outbox WHERE entity = 'evidence'") == 1);
    // no temporary files are left behind
    int files = 0;
    for (const auto& e : fs::directory_iterator(evidenceBlobDir(*fx.inspector))) (void)e, ++files;
    CHECK(files == 1);
}

TEST_CASE("the same content is stored once however often it is attached", "[evidence]") {
    Fixture fx;
    fs::path a = fx.writeFile("a.png", "same bytes");
    fs::path b = fx.writeFile("b.pdf", "same bytes");
    addEvidence(*fx.inspector, "finding", fx.findingId, a.string());
    addEvidence(*fx.inspector, "finding", fx.findingId, b.string());
    int files = 0;
    for (const auto& e : fs::directory_iterator(evidenceBlobDir(*fx.inspector))) (void)e, ++files;
    CHECK(files == 1);
    auto rows = listEvidence(*fx.store, "finding", fx.findingId);
    REQUIRE(rows.size() == 2);
    CHECK(rows[0].sha256 == rows[1].sha256);
    CHECK(rows[1].kind == "document");
}

TEST_CASE("bad files are refused with a clear error and change nothing", "[evidence]") {
    Fixture fx;
    CHECK_THROWS_WITH(addEvidence(*fx.inspector, "finding", fx.findingId, (fx.dir / "missing.jpg").string()),
                      Catch::Contains("missing.jpg"));
    fs::path empty = fx.writeFile("empty.jpg", "");
    CHECK_THROWS_AS(addEvidence(*fx.inspector, "finding", fx.findingId, empty.string()), ValidationError);
    CHECK_THROWS_AS(addEvidence(*fx.inspector, "finding", fx.findingId, fx.dir.string()), ValidationError);

    fs::path big = fx.dir / "big.mp4";
    {
        std::ofstream out(big, std::ios::binary);
        out.seekp(kMaxEvidenceBytes);  // sparse file one byte over the limit
        out.put('x');
    }
    CHECK_THROWS_WITH(addEvidence(*fx.inspector, "finding", fx.findingId, big.string()), Catch::Contains("50 MiB"));

    fs::path ok = fx.writeFile("ok.jpg", "x");
    CHECK_THROWS_AS(addEvidence(*fx.inspector, "user", fx.findingId, ok.string()), ValidationError);
    CHECK_THROWS_AS(addEvidence(*fx.inspector, "finding", newUuidV7(), ok.string()), NotFoundError);
    CHECK_THROWS_AS(addEvidence(*fx.inspector, "finding", fx.findingId, ok.string(), std::string(1001, 'a')),
                    ValidationError);
    CHECK(listEvidence(*fx.store, "finding", fx.findingId).empty());
}

TEST_CASE("captions are editable and evidence follows the finding's permissions", "[evidence]") {
    Fixture fx;
    fs::path photo = fx.writeFile("p.jpg", "photo");
    std::string id = addEvidence(*fx.inspector, "finding", fx.findingId, photo.string());
    CHECK(setEvidenceCaption(*fx.inspector, id, "工地公示牌"));
    CHECK_FALSE(setEvidenceCaption(*fx.inspector, id, "工地公示牌"));
    CHECK(listEvidence(*fx.store, "finding", fx.findingId)[0].caption == "工地公示牌");

    // another inspector may not touch it
    CHECK_THROWS_AS(setEvidenceCaption(*fx.other, id, "x"), ForbiddenError);
    CHECK_THROWS_AS(addEvidence(*fx.other, "finding", fx.findingId, photo.string()), ForbiddenError);

    removeEvidence(*fx.inspector, id);
    CHECK(listEvidence(*fx.store, "finding", fx.findingId).empty());
    CHECK(fs::exists(evidenceBlobPath(*fx.inspector, sha256Hex("photo"))));  // blobs stay (shared, synced)
}

TEST_CASE("evidence kinds and MIME types come from the file name", "[evidence]") {
    CHECK(evidenceKindFor("IMG_0001.JPG") == "photo");
    CHECK(evidenceKindFor("通知.docx") == "document");
    CHECK(evidenceKindFor("录音.m4a") == "audio");
    CHECK(evidenceKindFor("clip.mp4") == "video");
    CHECK(evidenceKindFor("data.bin") == "file");
    CHECK(evidenceMimeFor("a.png") == "image/png");
    CHECK(evidenceMimeFor("a.unknown") == "application/octet-stream");
}
