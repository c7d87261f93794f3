// A lost laptop reveals nothing: a protected device records a finding (title, narrative, a form
// template fact), a unit, a person, a complaint with a named complainant, gets a conflict and a
// lead's comment through a real server, attaches a photo, and syncs (photo uploaded, others'
// records and blobs downloaded). Then every file under its data directory is searched raw for
// each of those texts (UTF-8, UTF-16LE and UTF-16BE), the photo's byte pattern and the device's
// sync token: no hit. The same texts are read back through the signed-in store, so the search
// looks for what is really there.
#include <catch2/catch.hpp>

#include <sodium.h>

#include <fstream>
#include <sstream>

#include "app/context.h"
#include "app/evidence_commands.h"
#include "app/protection.h"
#include "store/crypto/key_file.h"
#include "store/store.h"
#include "support/hq_seed.h"
#include "support/server_process.h"
#include "support/sync_devices.h"

using namespace jc;
using test::Device;

namespace {

std::string slurpFile(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// UTF-8 to UTF-16 (little or big endian) bytes.
std::string utf16(const std::string& s, bool big) {
    std::string out;
    auto put = [&](uint16_t u) {
        out += static_cast<char>(big ? u >> 8 : u & 0xff);
        out += static_cast<char>(big ? u & 0xff : u >> 8);
    };
    for (size_t i = 0; i < s.size();) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        uint32_t cp;
        int n;
        if (c < 0x80) cp = c, n = 1;
        else if (c < 0xE0) cp = c & 0x1F, n = 2;
        else if (c < 0xF0) cp = c & 0x0F, n = 3;
        else cp = c & 0x07, n = 4;
        for (int k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
        i += static_cast<size_t>(n);
        if (cp >= 0x10000) {
            cp -= 0x10000;
            put(static_cast<uint16_t>(0xD800 + (cp >> 10)));
            put(static_cast<uint16_t>(0xDC00 + (cp & 0x3FF)));
        } else {
            put(static_cast<uint16_t>(cp));
        }
    }
    return out;
}

// Files under `dir` holding `needle` raw (relative names).
std::vector<std::string> filesHolding(const std::filesystem::path& dir, const std::string& needle) {
    std::vector<std::string> hits;
    for (const auto& e : std::filesystem::recursive_directory_iterator(dir))
        if (e.is_regular_file() && slurpFile(e.path()).find(needle) != std::string::npos)
            hits.push_back(std::filesystem::relative(e.path(), dir).string());
    return hits;
}

}  // namespace

TEST_CASE("a stolen protected laptop reveals none of its records, evidence or sync token", "[sync][integration][crypto]") {
    test::TempDir serverDir;
    std::string db = (serverDir.path / "server.db").string();
    auto seed = test::seedHqDatabase(db, {{"张伟", Role::Inspector}, {"王磊", Role::Inspector}, {"李娜", Role::Lead}});
    test::ServerProcess server(db, (serverDir.path / "blobs").string());
    Device a{{}, "张伟"}, b{{}, "王磊"}, lead{{}, "李娜"};
    a.passphrase = "张伟的笔记本口令 2026";
    b.passphrase = "another passphrase";
    for (Device* d : {&a, &b, &lead}) {
        d->ok({"enroll", "--server", server.url(), "--code", seed.codes[d->name]});
        REQUIRE(d->sync()["ok"] == true);
    }
    REQUIRE(std::filesystem::exists(a.dir.path / "jiancha.db.keys"));
    // HQ's public key for sealing the complainant (this seeded server hands out none).
    unsigned char pk[crypto_box_PUBLICKEYBYTES], sk[crypto_box_SECRETKEYBYTES];
    REQUIRE(sodium_init() >= 0);
    crypto_box_keypair(pk, sk);
    a.ok({"init", "--user", "张伟", "--role", "inspector", "--hq-public-key", crypto::toBase64(pk, sizeof pk)});
    CHECK(hqCanRecover(a.dir.path));

    const std::string kTitle = "渭水县城建局长挪用拆迁补偿款甲", kNarrative = "经查该局长指使会计虚列支出乙",
                      kFact = "渭水鸿运建筑工程有限公司丙", kUnit = "渭水县城乡建设局丁", kPerson = "欧阳锦绣戊",
                      kComplaint = "举报内容：局长收受开发商礼金己", kComplainant = "实名举报人诸葛明庚",
                      kTitleA = "张伟更正的标题辛", kTitleB = "王磊核实的标题壬", kComment = "请补充银行流水证据癸";
    std::string unit = a.json({"unit", "add", "--name", kUnit, "--kind", "department", "--region", "620702101"})["id"];
    std::string person = a.json({"person", "add", "--name", kPerson, "--unit", unit, "--post", "局长"})["id"];
    std::string f = a.ok({"finding", "add", "--campaign", seed.campaign, "--category", "wage_arrears", "--title", kTitle,
                          "--narrative", kNarrative, "--region", "620702101", "--area", "hotspot_issues", "--unit", unit,
                          "--person", person + ":direct", "--field", "employer=" + kFact, "--field", "project=某工程", "--field", "workers_affected=12",
                          "--field", "amount_owed=35000", "--field", "months_overdue=3",
                          "--assignee", "王磊"});
    a.ok({"complaint", "add", "--title", "举报", "--channel", "hotline", "--content", kComplaint, "--name", kComplainant,
          "--phone", "13900000000"});

    // A photo with a byte pattern, attached through the app as the window does.
    std::string pattern = "PHOTO-PATTERN-0123456789-";
    std::string photo = "\xFF\xD8\xFF\xE0";
    while (photo.size() < 300000) photo += pattern;
    std::filesystem::path photoFile = serverDir.path / "现场照片.jpg";
    std::ofstream(photoFile, std::ios::binary) << photo;
    {
        REQUIRE(signIn(a.dir.path, a.passphrase));
        Store store((a.dir.path / "jiancha.db").string());
        AppContext ctx{store, loadActor(store, "张伟"), calendarFromStore(store), std::nullopt};
        addEvidence(ctx, "finding", f, photoFile.string(), "现场照片");
        signOut(a.dir.path);
    }
    std::filesystem::remove(photoFile);

    // A conflict (both inspectors retitle the finding) and a lead's comment, through the server.
    REQUIRE(a.sync()["ok"] == true);
    REQUIRE(b.sync()["ok"] == true);
    a.ok({"finding", "edit", f, "--title", kTitleA});
    b.ok({"finding", "edit", f, "--title", kTitleB});
    REQUIRE(a.sync()["ok"] == true);
    REQUIRE(b.sync()["ok"] == true);
    REQUIRE(a.sync()["ok"] == true);
    a.ok({"finding", "submit", f});
    REQUIRE(a.sync()["ok"] == true);
    REQUIRE(lead.sync()["ok"] == true);
    lead.ok({"finding", "return", f, "--comment", kComment});
    REQUIRE(lead.sync()["ok"] == true);
    Json last = a.sync();
    REQUIRE(last["ok"] == true);

    // Positive control: the signed-in store holds every planted text.
    std::string shown = a.ok({"finding", "show", f}) + a.ok({"conflict", "list"}) + a.ok({"unit", "list"}) +
                        a.ok({"person", "list"});
    for (const auto& s : {kNarrative, kUnit, kPerson, kComment}) CHECK(shown.find(s) != std::string::npos);
    CHECK((shown.find(kTitleA) != std::string::npos || shown.find(kTitleB) != std::string::npos));
    REQUIRE(signIn(a.dir.path, a.passphrase));
    std::string token;
    {
        Store store((a.dir.path / "jiancha.db").string());
        token = store.meta("sync_token").value_or("");
        auto s = store.db().prepare("SELECT count(*) FROM complaint WHERE content = ?");
        s.bind(1, kComplaint);
        REQUIRE(s.step());
        CHECK(s.getInt(0) == 1);
        auto c = store.db().prepare(
            "SELECT count(*) FROM conflict WHERE instr(winner_value || loser_value, ?) > 0 AND instr(winner_value || loser_value, ?) > 0");
        c.bind(1, kTitleA).bind(2, kTitleB);
        REQUIRE(c.step());
        CHECK(c.getInt(0) == 1);  // both versions are in the conflict record
    }
    signOut(a.dir.path);
    REQUIRE(token.size() >= 16);

    // The stolen laptop: every file under the data directory, raw.
    std::vector<std::string> needles = {kTitle, kNarrative, kFact, kUnit, kPerson, kComplaint, kComplainant,
                                        kTitleA, kTitleB, kComment, "举报人"};
    for (const auto& s : needles) {
        for (const std::string& form : {s, utf16(s, false), utf16(s, true)}) {
            INFO("planted text " << s);
            CHECK(filesHolding(a.dir.path, form).empty());
        }
    }
    CHECK(filesHolding(a.dir.path, pattern).empty());
    CHECK(filesHolding(a.dir.path, token).empty());
    CHECK(filesHolding(a.dir.path, "SQLite format 3").empty());
    // The other protected device got the photo and the records by sync: nothing readable there either.
    CHECK(filesHolding(b.dir.path, pattern).empty());
    CHECK(filesHolding(b.dir.path, kNarrative).empty());
    // And the unprotected lead's store is plain: the search would have found them.
    CHECK_FALSE(filesHolding(lead.dir.path, kNarrative).empty());
}
