#pragma once
// Fonts and glyph coverage (DESIGN.md §6: any character in the data renders, never as '?').
//
// Dear ImGui 1.86's font atlas is static: it holds exactly the glyphs it was built with. So the
// FontManager keeps the set of wanted code points — ASCII, punctuation, the common simplified
// Chinese set, every UI string, every character found in the store and everything the user
// types or a snapshot brings — and when a wanted code point is missing it builds a new atlas
// on a background thread; the shell swaps it in at a frame boundary (no frame waits for it).
//
// Fonts are found with fontconfig: the first installed of Noto Sans CJK SC, Source Han Sans SC,
// WenQuanYi Micro/Zen Hei, Microsoft YaHei, SimHei, Droid Sans Fallback …, else any font with
// Chinese coverage. Code points the main font lacks (rare name characters of CJK Extensions A–H,
// symbols) are looked up with fontconfig per character and merged from the font that has them
// (Noto Sans CJK covers much of Extension B; HanaMinB and BabelStone Han cover the later
// extensions); a code point no installed font has is remembered so it does not trigger rebuilds.
//
// The whole Unicode range is covered, supplementary planes included: ImGui is built with 32-bit
// ImWchar (third_party/imgui), so 𠀾 𬌗 𫖯 are typed, stored and drawn like any other character.
// replacementGlyphsDrawn() counts what was drawn as U+FFFD anyway, so tests can assert zero.
#include <cstdint>
#include <future>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

struct ImDrawData;
struct ImFont;
struct ImFontAtlas;

namespace jc::ui {

// One font face in a file (a .ttc holds several; `index` selects one).
struct FontFace {
    std::string path;
    int index = 0;
    std::string family;
};

// Fonts with Chinese coverage, best first (fontconfig). Empty when none is installed.
std::vector<FontFace> findChineseFonts();

// A set of Unicode code points (a 1,114,112-bit set: all 17 planes, 136 KiB).
class CodepointSet {
public:
    static constexpr uint32_t kLimit = 0x110000;
    CodepointSet() : m_bits(kLimit / 64, 0) {}
    bool has(uint32_t cp) const { return cp < kLimit && (m_bits[cp >> 6] >> (cp & 63)) & 1; }
    // Returns true when the code point was new.
    bool add(uint32_t cp) {
        if (cp >= kLimit) return false;
        uint64_t bit = uint64_t(1) << (cp & 63);
        if (m_bits[cp >> 6] & bit) return false;
        m_bits[cp >> 6] |= bit;
        return true;
    }
    // Adds the code points of UTF-8 text; returns how many were new.
    int addUtf8(std::string_view s);
    void remove(uint32_t cp) {
        if (cp < kLimit) m_bits[cp >> 6] &= ~(uint64_t(1) << (cp & 63));
    }
    int merge(const CodepointSet& o);  // returns how many were new
    int count() const;
    template <class F> void forEach(F f) const {
        for (uint32_t w = 0; w < m_bits.size(); ++w)
            for (uint64_t b = m_bits[w]; b; b &= b - 1) f(w * 64 + static_cast<uint32_t>(__builtin_ctzll(b)));
    }

private:
    std::vector<uint64_t> m_bits;
};

// A font file read into memory, shared (read-only) by the FreeType face and every atlas built
// from it: ImGui and FreeType only point into these bytes, so they live as long as any user.
struct FontBytes {
    std::vector<char> bytes;
    static std::shared_ptr<const FontBytes> read(const std::string& path);  // nullptr when unreadable or empty
};

// An atlas built off the frame, with the glyph ranges it was built from (kept alive with it).
struct BuiltAtlas {
    std::unique_ptr<ImFontAtlas> atlas;
    std::vector<std::vector<uint32_t>> ranges;  // ImWchar is 32-bit (IMGUI_USE_WCHAR32)
    std::vector<std::shared_ptr<const FontBytes>> fontData;
    CodepointSet covered;  // code points that were asked for (present in some font)
    int glyphs = 0;
    double buildMs = 0;
    float pixelSize = 0;
    ~BuiltAtlas();
};

class FontManager {
public:
    FontManager();
    ~FontManager();  // waits for a background build to finish
    FontManager(const FontManager&) = delete;
    FontManager& operator=(const FontManager&) = delete;

    // Finds and loads the fonts. False with a message naming what to install when there is no
    // Chinese font at all.
    bool init(std::string* error);
    const std::string& description() const { return m_description; }

    void setPixelSize(float px);  // 12–40; a change rebuilds
    float pixelSize() const { return m_pixelSize; }

    // Declares text that is or will be on screen; missing code points are queued for the next build.
    void want(std::string_view utf8);
    void wantCodepoint(uint32_t cp);
    void wantSet(const CodepointSet& set);

    // Start-up in two halves: start the first build on a thread (no ImGui context needed), let
    // the window and GL context come up meanwhile, then take the result.
    void startBuild();
    std::unique_ptr<BuiltAtlas> finishBuild();
    // At a frame boundary: returns a finished background build to swap in, or nullptr; starts a
    // new background build when wanted glyphs are missing and none is running.
    std::unique_ptr<BuiltAtlas> poll();
    // True while glyphs are wanted that the current atlas lacks (built or being built).
    bool pending() const { return m_dirty || m_future.valid(); }

    // Characters that were asked for by data, UI strings or typing and are in no installed font
    // (the speculative symbol ranges of the base set do not count).
    int unavailable() const;
    int glyphCount() const { return m_lastGlyphs; }
    double lastBuildMs() const { return m_lastBuildMs; }

private:
    struct Face;
    struct BuildInput;
    BuildInput makeInput();
    int faceFor(uint32_t cp);  // index into m_faces, -1 when no font has it

    std::vector<std::unique_ptr<Face>> m_faces;  // [0] = main font, then fallbacks found on demand
    std::string m_description;
    float m_pixelSize = 18.0f;
    CodepointSet m_wanted, m_unavailable;
    CodepointSet m_baseOnly;  // symbol ranges added speculatively: looked up in the main font only
    CodepointSet m_fromData;  // asked for by text that is (or will be) drawn
    std::vector<uint32_t> m_recheck;  // base symbols data uses after all: look them up again
    std::vector<int8_t> m_faceOf;  // per code point: face index, -1 none, -2 not looked up
    bool m_dirty = true;
    int m_lastGlyphs = 0;
    double m_lastBuildMs = 0;
    std::future<std::unique_ptr<BuiltAtlas>> m_future;
    void* m_ftLibrary = nullptr;
};

// How many glyphs of `drawData` were drawn with a font's fallback glyph (U+FFFD, or '?' when a
// font lacks U+FFFD): characters that reached the screen without a glyph of their own. Counts
// the quads whose top-left texture coordinate is the fallback glyph's, over every font of
// `atlas`; 0 means every character drawn had its own glyph.
int replacementGlyphsDrawn(const ImDrawData* drawData, const ImFontAtlas* atlas);

}  // namespace jc::ui
