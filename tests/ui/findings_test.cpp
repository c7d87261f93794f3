// The findings list over generated data: the virtualised table shows rows from the workers,
// full-text search filters them, and every character in the store — rare name characters
// (堃 喆 䶮) and traditional forms (監察) — is in the glyph atlas once the store scan is done;
// a character typed for the first time gets into the atlas at a later frame boundary.
#include "app/org_commands.h"
#include "app/queries.h"
#include "demo/demo_data.h"
#include "store/search_index.h"
#include "ui_harness.h"

using namespace jc;
using namespace jc::test;

namespace {
// The first rows of the list as the app's query gives them (newest first, as the view sorts).
std::vector<FindingRow> expectedRows(const fs::path& dir, const std::string& search, int n) {
    Store store((dir / "jiancha.db").string());
    FindingFilter f;
    f.search = search;
    f.limit = n;
    return listFindings(store.db(), f, Date::today().str());
}
int64_t expectedCount(const fs::path& dir, const std::string& search) {
    Store store((dir / "jiancha.db").string());
    FindingFilter f;
    f.search = search;
    return countFindings(store.db(), f, Date::today().str());
}
bool hasGlyph(uint32_t cp) { return ImGui::GetIO().Fonts->Fonts[0]->FindGlyphNoFallback(static_cast<ImWchar>(cp)) != nullptr; }
}  // namespace

TEST_CASE("the findings list pages rows in, searches and highlights", "[ui][findings]") {
    TempDir dir("findings");
    Seed seed = seedStore(dir.path);
    {
        Store store((dir.path / "jiancha.db").string());
        BulkOptions b;
        b.count = 3000;
        b.campaignId = seed.campaignId;
        generateFindingsBulk(store, "张伟", b);
        AppContext ctx{store, loadActor(store, "张伟"), calendarFromStore(store), std::nullopt};
        createUnit(ctx, "䶮堃喆监察测试单位", "enterprise", "620702");
        createPerson(ctx, "王監察", "", "科長");
    }
    UiHarness h(dir.path, "张伟");
    h.settle();
    h.click("nav.findings");
    h.settle();
    REQUIRE(h.find("findings.first_row").has_value());
    // The count of all findings, and the newest rows at the top in the query's order.
    CHECK(h.find("findings.count." + std::to_string(expectedCount(dir.path, ""))).has_value());
    {
        auto rows = expectedRows(dir.path, "", 5);
        REQUIRE(rows.size() == 5);
        float y = -1;
        for (const auto& r : rows) {
            auto rect = h.find("findings.row." + r.localNumber);
            INFO(r.localNumber);
            REQUIRE(rect.has_value());
            CHECK(rect->cy() > y);  // in order, top to bottom
            y = rect->cy();
        }
    }

    // Scroll far down: rows there are paged in by the workers.
    ImGuiIO& io = ImGui::GetIO();
    auto first = h.find("findings.first_row");
    io.MousePos = ImVec2(first->cx(), first->cy());
    for (int i = 0; i < 30; ++i) {
        io.MouseWheel = -20;
        h.frame();
    }
    h.settle();
    REQUIRE(h.find("findings.first_row").has_value());

    // The match count, the matching rows, and the term highlighted inside the list.
    int64_t matches = expectedCount(dir.path, "欠薪");
    h.click("findings.search");
    h.type("欠薪");
    // Search is debounced while typing: frames until the list shows the search's match count.
    h.runUntil([&] { return h.find("findings.count." + std::to_string(matches)).has_value(); }, 10);
    h.settle();
    REQUIRE(h.find("findings.first_row").has_value());
    CHECK(matches > 0);
    CHECK(matches < 3000);
    CHECK(h.find("findings.count." + std::to_string(matches)).has_value());
    auto hits = expectedRows(dir.path, "欠薪", 3);
    REQUIRE_FALSE(hits.empty());
    for (const auto& r : hits) {
        INFO(r.localNumber);
        CHECK(h.find("findings.row." + r.localNumber).has_value());
    }
    auto span = h.find("highlight.欠薪");
    REQUIRE(span.has_value());
    auto firstRow = h.find("findings.first_row");
    CHECK(span->y0 >= firstRow->y0 - 1);  // drawn in the table's rows, not elsewhere
    CHECK(span->x1 > span->x0);

    // Glyphs of everything in the store.
    CHECK(hasGlyph(0x5803));  // 堃
    CHECK(hasGlyph(0x5586));  // 喆
    CHECK(hasGlyph(0x4DAE));  // 䶮 (CJK Extension A)
    CHECK(hasGlyph(0x76E3));  // 監
    CHECK(hasGlyph(0x9577));  // 長
    // A character typed for the first time is added at a frame boundary.
    CHECK_FALSE(hasGlyph(0x9F98));  // 龘
    h.click("findings.search");
    h.type("龘");
    h.runUntil([&] { return hasGlyph(0x9F98); }, 10);
    h.settle();
    CHECK(hasGlyph(0x9F98));
    CHECK(ui::i18n().missingLookups() == 0);
}
