// Reference data: the GB/T 2260 region tree and the working-day calendar loaded from assets/
// into a store, the region queries, idempotent reloads and clear errors for bad files.
#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>

#include "core/error.h"
#include "core/uuid.h"
#include "store/reference_data.h"
#include "store/store.h"
#include "support/temp_dir.h"

using namespace jc;
namespace fs = std::filesystem;

namespace {

const fs::path kAssets = JIANCHA_SOURCE_ASSETS;
const fs::path kRegions = kAssets / "regions" / "pcas-code.json";

using test::TempDir;

std::vector<std::string> names(const std::vector<Region>& regions) {
    std::vector<std::string> out;
    for (const auto& r : regions) out.push_back(r.name);
    return out;
}

bool mentions(const Error& e, const fs::path& p) { return std::string(e.what()).find(p.string()) != std::string::npos; }

}  // namespace

TEST_CASE("regions: the whole tree loads quickly and answers queries", "[reference]") {
    TempDir dir;
    Store store((dir.path / "s.db").string());
    Database& db = store.db();

    auto t0 = std::chrono::steady_clock::now();
    LoadStats first = loadRegions(db, kRegions);
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    UNSCOPED_INFO("loaded " << first.rows << " regions in " << seconds * 1000 << " ms");
    CHECK(first.rows == 44703);
    CHECK_FALSE(first.skipped);
    CHECK(regionCount(db) == 44703);
    CHECK(seconds < 5.0);  // ~0.2 s in a Release build; generous for a loaded machine
    CHECK(db.queryInt("SELECT count(*) FROM region WHERE level = 4") == 41352);

    SECTION("Zhangye") {
        auto city = regionByCode(db, "6207");
        REQUIRE(city);
        CHECK(city->name == "张掖市");
        CHECK(city->parentCode == "62");
        CHECK(city->level == 2);

        auto counties = regionChildren(db, "6207");
        REQUIRE(counties.size() == 6);
        CHECK(counties[0].code == "620702");
        CHECK(names(counties) ==
              std::vector<std::string>{"甘州区", "肃南裕固族自治县", "民乐县", "临泽县", "高台县", "山丹县"});

        auto towns = regionChildren(db, "620702");
        CHECK(towns.size() == 24);
        CHECK(towns.front().code == "620702001");
        CHECK(towns.front().name == "东街街道");
        CHECK(towns.front().level == 4);
        CHECK(std::is_sorted(towns.begin(), towns.end(),
                             [](const Region& a, const Region& b) { return a.code < b.code; }));
        CHECK(regionChildren(db, "620702001").empty());
        CHECK(regionChildren(db, "999999").empty());
    }
    SECTION("paths, chains and counties") {
        CHECK(regionPath(db, "620702001") == "甘肃省 张掖市 甘州区 东街街道");
        CHECK(regionPath(db, "620702") == "甘肃省 张掖市 甘州区");
        CHECK(regionPath(db, "62") == "甘肃省");
        CHECK(regionPath(db, "110101001") == "北京市 东城区 东华门街道");  // "市辖区" left out
        CHECK(regionPath(db, "000000").empty());
        auto chain = regionChain(db, "620702001");
        REQUIRE(chain.size() == 4);
        CHECK(chain[0].code == "62");
        CHECK(chain[3].code == "620702001");

        CHECK(countyCodeOf(db, "620702001") == "620702");
        CHECK(countyCodeOf(db, "620702") == "620702");
        CHECK(countyCodeOf(db, "620702001001") == "620702");  // a village code
        CHECK_FALSE(countyCodeOf(db, "6207").has_value());
        CHECK_FALSE(countyCodeOf(db, "62").has_value());
        CHECK_FALSE(countyCodeOf(db, "999999999").has_value());
        CHECK_FALSE(countyCodeOf(db, "abc").has_value());
    }
    SECTION("provinces and name search") {
        CHECK(regionChildren(db, "").size() == 31);
        auto hits = searchRegions(db, "甘州");
        REQUIRE(hits.size() == 1);
        CHECK(hits[0].code == "620702");
        auto many = searchRegions(db, "街道", 10);
        CHECK(many.size() == 10);
        CHECK(searchRegions(db, "张掖", 50).front().code == "6207");  // cities before townships
        CHECK(searchRegions(db, "%").empty());
        CHECK(searchRegions(db, "_").empty());
        CHECK(searchRegions(db, "").empty());
    }
    SECTION("reloading the same file is skipped; a damaged table is reloaded") {
        LoadStats again = loadRegions(db, kRegions);
        CHECK(again.skipped);
        CHECK(again.rows == 44703);
        db.exec("DELETE FROM region WHERE code LIKE '6207%'");
        LoadStats repaired = loadRegions(db, kRegions);
        CHECK_FALSE(repaired.skipped);
        CHECK(regionCount(db) == 44703);
        CHECK(regionChildren(db, "620702").size() == 24);
    }
}

TEST_CASE("regions: bad files give clear errors and change nothing", "[reference]") {
    TempDir dir;
    Store store((dir.path / "s.db").string());
    Database& db = store.db();
    fs::path small = dir.write("small.json",
                               R"([{"code":"62","name":"甘肃省","children":[{"code":"6207","name":"张掖市",)"
                               R"("children":[{"code":"620702","name":"甘州区"}]}]}])");
    CHECK(loadRegions(db, small).rows == 3);
    CHECK(regionPath(db, "620702") == "甘肃省 张掖市 甘州区");

    auto expectError = [&](const fs::path& p, ErrorCode code) {
        try {
            loadRegions(db, p);
            FAIL("no error for " << p);
        } catch (const Error& e) {
            CHECK(e.code() == code);
            CHECK(mentions(e, p));
        }
        CHECK(regionCount(db) == 3);
    };
    expectError(dir.path / "missing.json", ErrorCode::Storage);
    expectError(dir.write("broken.json", R"([{"code":"62","name":)"), ErrorCode::Invalid);
    expectError(dir.write("object.json", R"({"code":"62"})"), ErrorCode::Invalid);
    expectError(dir.write("badcode.json", R"([{"code":"6X","name":"甘肃省"}])"), ErrorCode::Invalid);
    expectError(dir.write("noname.json", R"([{"code":"62"}])"), ErrorCode::Invalid);
    expectError(dir.write("wrongparent.json", R"([{"code":"62","name":"甘肃省","children":[{"code":"6307","name":"x"}]}])"),
                ErrorCode::Invalid);
    expectError(dir.write("dup.json", R"([{"code":"62","name":"a"},{"code":"62","name":"b"}])"), ErrorCode::Invalid);
    expectError(dir.write("empty.json", "[]"), ErrorCode::Invalid);
}

TEST_CASE("calendar: holidays and make-up working days", "[reference]") {
    TempDir dir;
    Store store((dir.path / "s.db").string());
    Database& db = store.db();

    LoadStats stats = loadCalendar(db, kAssets / "calendar");
    CHECK(stats.rows == 769);
    CHECK(db.queryInt("SELECT count(*) FROM calendar_day") == 769);
    CHECK(db.queryInt("SELECT count(*) FROM calendar_day WHERE kind = 'workday'") == 150);

    Json cal = calendarJson(db);
    CHECK(cal["holidays"].size() == 619);
    CHECK(cal["makeup_workdays"].size() == 150);
    CHECK(cal["holidays"]["2026-01-01"] == "元旦|New Year's Day");
    CHECK(cal["makeup_workdays"]["2026-01-04"] == "元旦|New Year's Day");
    CHECK(cal["holidays"]["2026-02-17"] == "春节|Spring Festival");

    SECTION("a file replaces only the years it covers; reloads are idempotent") {
        fs::path y2027 = dir.write("2027.json", R"({"holidays": {"2027-01-01": "元旦|New Year's Day"}})");
        CHECK(loadCalendar(db, y2027).rows == 1);
        CHECK(loadCalendar(db, kAssets / "calendar").rows == 769);
        CHECK(db.queryInt("SELECT count(*) FROM calendar_day") == 770);

        fs::path fix2026 = dir.write("fix.json", R"({"holidays": {"2026-01-01": "元旦"}, "makeup_workdays": {}})");
        loadCalendar(db, fix2026);
        CHECK(db.queryInt("SELECT count(*) FROM calendar_day WHERE day LIKE '2026-%'") == 1);
        CHECK(db.queryInt("SELECT count(*) FROM calendar_day WHERE day LIKE '2025-%'") > 0);
    }
    SECTION("bad calendar files") {
        auto expectError = [&](const fs::path& p, ErrorCode code) {
            try {
                loadCalendar(db, p);
                FAIL("no error for " << p);
            } catch (const Error& e) {
                CHECK(e.code() == code);
                CHECK(mentions(e, p));
            }
            CHECK(db.queryInt("SELECT count(*) FROM calendar_day") == 769);
        };
        expectError(dir.path / "none.json", ErrorCode::Storage);
        fs::create_directories(dir.path / "emptydir");
        expectError(dir.path / "emptydir", ErrorCode::Storage);
        expectError(dir.write("bad.json", "{"), ErrorCode::Invalid);
        expectError(dir.write("list.json", "[]"), ErrorCode::Invalid);
        expectError(dir.write("nokeys.json", R"({"x": 1})"), ErrorCode::Invalid);
        expectError(dir.write("baddate.json", R"({"holidays": {"2026-13-01": "x"}})"), ErrorCode::Invalid);
        expectError(dir.write("both.json", R"({"holidays": {"2026-10-01": "x"}, "makeup_workdays": {"2026-10-01": "x"}})"),
                    ErrorCode::Invalid);
        expectError(dir.write("badname.json", R"({"holidays": {"2026-10-01": 5}})"), ErrorCode::Invalid);
    }
}

TEST_CASE("reference data: everything from the assets directory in one call", "[reference]") {
    TempDir dir;
    Store store((dir.path / "s.db").string());
    loadReferenceData(store.db(), kAssets);
    CHECK(regionCount(store.db()) == 44703);
    CHECK(store.db().queryInt("SELECT count(*) FROM calendar_day") == 769);
    loadReferenceData(store.db(), kAssets);  // again: no change
    CHECK(regionCount(store.db()) == 44703);
    CHECK(store.db().queryInt("SELECT count(*) FROM calendar_day") == 769);
}
