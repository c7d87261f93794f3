// The findings list over generated data: the virtualised table shows rows from the workers,
// full-text search filters them, and every character in the store — rare name characters
// (堃 喆 䶮) and traditional forms (監察) — is in the glyph atlas once the store scan is done;
// a character typed for the first time gets into the atlas at a later frame boundary.
#include "demo/demo_data.h"
#include "app/org_commands.h"
#include "store/search_index.h"
#include "ui_harness.h"

using namespace jc;
using namespace jc::test;

namespace {
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

    h.click("findings.search");
    h.type("欠薪");
    h.runFor(0.4);  // search is debounced while typing
    h.settle();
    REQUIRE(h.find("findings.first_row").has_value());

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
    h.runFor(0.4);
    h.settle();
    CHECK(hasGlyph(0x9F98));
    CHECK(ui::i18n().missingLookups() == 0);
}
