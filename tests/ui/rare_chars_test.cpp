// Characters outside the Basic Multilingual Plane (CJK Extensions B–G) in names of people and
// places: typed into the editor they reach the store unchanged, and each is drawn with a glyph
// of its own — from Noto Sans CJK, or from a fallback font (HanaMinB, BabelStone Han) for the
// ones Noto lacks — never as the replacement glyph. A character no installed font has is
// counted as drawn with the replacement glyph, so the count can fail.
#include "ui/shell/fonts.h"
#include "ui_harness.h"

using namespace jc;
using namespace jc::test;

namespace {

const ImFontGlyph* glyph(uint32_t cp) {
    return ImGui::GetIO().Fonts->Fonts[0]->FindGlyphNoFallback(static_cast<ImWchar>(cp));
}

// Quads of the last frame drawn with the glyph of `cp` (top-left texture coordinate).
int drawnCount(uint32_t cp) {
    const ImFontGlyph* g = glyph(cp);
    const ImDrawData* dd = ImGui::GetDrawData();
    if (!g || !dd) return 0;
    int n = 0;
    for (int l = 0; l < dd->CmdListsCount; ++l)
        for (const ImDrawVert& v : dd->CmdLists[l]->VtxBuffer) n += v.uv.x == g->U0 && v.uv.y == g->V0 ? 1 : 0;
    return n;
}

std::string storedTitle(const fs::path& dir) {
    Store store((dir / "jiancha.db").string());
    auto q = store.db().prepare("SELECT title FROM finding WHERE deleted = 0");
    return q.step() ? q.getText(0) : std::string();
}

}  // namespace

TEST_CASE("rare characters outside the BMP are typed, stored and drawn with their own glyphs", "[ui][fonts]") {
    TempDir dir("rare");
    seedStore(dir.path);
    UiHarness h(dir.path, "张伟");
    h.settle();
    h.click("nav.new_finding");
    h.settle();
    h.click("editor.title");
    // 𠀾 U+2003E, 𫖯 U+2B5AF (Ext B/D, in Noto Sans CJK), 𬌗 U+2C317 (Ext E), 𪜀 U+2A700 (Ext C,
    // not in Noto Sans CJK: HanaMinB or BabelStone Han).
    const std::string title = "征地补偿被截留：𠀾村村民𬌗某、𫖯某反映（𪜀）";
    h.type(title);
    h.key('S', true);
    h.settle();
    CHECK(storedTitle(dir.path) == title);

    // The atlas has a glyph of its own for each, and nothing asked for is missing from the fonts.
    for (uint32_t cp : {0x2003Eu, 0x2C317u, 0x2B5AFu, 0x2A700u}) {
        INFO("U+" << std::hex << cp);
        CHECK(glyph(cp) != nullptr);
    }
    CHECK(h.shell().fonts().unavailable() == 0);
    // A missing glyph would be drawn as U+FFFD (DejaVu's), not as '?', so it can be counted.
    CHECK(ImGui::GetIO().Fonts->Fonts[0]->FallbackChar == 0xFFFD);

    // The frame shows the title (each rare glyph drawn) and no replacement glyph at all.
    h.frame();
    for (uint32_t cp : {0x2003Eu, 0x2C317u, 0x2B5AFu, 0x2A700u}) {
        INFO("U+" << std::hex << cp);
        CHECK(drawnCount(cp) >= 1);
    }
    CHECK(ui::replacementGlyphsDrawn(ImGui::GetDrawData(), ImGui::GetIO().Fonts) == 0);
    // A character in no installed font (U+2EBF0, CJK Extension I) is drawn as the replacement glyph.
    h.click("editor.title");
    h.key(kKeyEnd);
    h.type("\xF0\xAE\xAF\xB0");
    h.key('S', true);
    h.settle();
    REQUIRE(storedTitle(dir.path) == title + "\xF0\xAE\xAF\xB0");
    h.frame();
    CHECK(h.shell().fonts().unavailable() == 1);
    CHECK(ui::replacementGlyphsDrawn(ImGui::GetDrawData(), ImGui::GetIO().Fonts) >= 1);
}
