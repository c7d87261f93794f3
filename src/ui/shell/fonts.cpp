#include "ui/shell/fonts.h"

#include <fontconfig/fontconfig.h>
#include <ft2build.h>
#include FT_FREETYPE_H
#include <imgui.h>
#include <imgui_freetype.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <optional>

#include "core/utf8.h"

static_assert(sizeof(ImWchar) == sizeof(uint32_t), "ImGui must be built with IMGUI_USE_WCHAR32 (third_party/imgui)");

namespace jc::ui {

// [SECTION] Code points

int CodepointSet::addUtf8(std::string_view s) {
    int added = 0;
    for (size_t i = 0; i < s.size();)
        if (add(decodeUtf8(s, i))) ++added;
    return added;
}

int CodepointSet::merge(const CodepointSet& o) {
    int added = 0;
    for (size_t w = 0; w < m_bits.size(); ++w) {
        uint64_t n = o.m_bits[w] & ~m_bits[w];
        added += __builtin_popcountll(n);
        m_bits[w] |= n;
    }
    return added;
}

int CodepointSet::count() const {
    int n = 0;
    for (uint64_t w : m_bits) n += __builtin_popcountll(w);
    return n;
}

// [SECTION] fontconfig

namespace {

struct FcGuard {
    FcGuard() { FcInit(); }
};

std::string fcString(FcPattern* p, const char* object, int n = 0) {
    FcChar8* v = nullptr;
    if (FcPatternGetString(p, object, n, &v) != FcResultMatch || !v) return {};
    return reinterpret_cast<const char*>(v);
}

// The best match for `pattern`; nullopt when it does not contain `mustHave` (or, with a family
// asked for, fontconfig substituted another family).
std::optional<FontFace> matchFont(FcPattern* pattern, uint32_t mustHave, const char* family) {
    FcConfigSubstitute(nullptr, pattern, FcMatchPattern);
    FcDefaultSubstitute(pattern);
    FcResult r;
    FcPattern* m = FcFontMatch(nullptr, pattern, &r);
    if (!m) return std::nullopt;
    std::optional<FontFace> out;
    FcCharSet* cs = nullptr;
    bool covers = FcPatternGetCharSet(m, FC_CHARSET, 0, &cs) == FcResultMatch && cs && FcCharSetHasChar(cs, mustHave);
    bool familyOk = !family;
    for (int n = 0; family && !familyOk; ++n) {
        std::string f = fcString(m, FC_FAMILY, n);
        if (f.empty()) break;
        familyOk = strcasecmp(f.c_str(), family) == 0;
    }
    std::string file = fcString(m, FC_FILE);
    if (covers && familyOk && !file.empty()) {
        int index = 0;
        FcPatternGetInteger(m, FC_INDEX, 0, &index);
        out = FontFace{file, index, fcString(m, FC_FAMILY)};
    }
    FcPatternDestroy(m);
    return out;
}

std::optional<FontFace> fontForCodepoint(uint32_t cp) {
    static FcGuard guard;
    FcPattern* p = FcPatternCreate();
    FcCharSet* cs = FcCharSetCreate();
    FcCharSetAddChar(cs, cp);
    FcPatternAddCharSet(p, FC_CHARSET, cs);
    FcPatternAddBool(p, FC_SCALABLE, FcTrue);
    FcPatternAddString(p, FC_LANG, reinterpret_cast<const FcChar8*>("zh-cn"));
    auto out = matchFont(p, cp, nullptr);
    FcCharSetDestroy(cs);
    FcPatternDestroy(p);
    return out;
}

}  // namespace

std::vector<FontFace> findChineseFonts() {
    static FcGuard guard;
    static const char* preferred[] = {"Noto Sans CJK SC",   "Source Han Sans SC", "Source Han Sans CN",
                                      "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "Microsoft YaHei",
                                      "SimHei",             "Noto Sans SC",       "Droid Sans Fallback",
                                      "AR PL UMing CN",     "Noto Serif CJK SC"};
    std::vector<FontFace> out;
    for (const char* fam : preferred) {
        FcPattern* p = FcPatternCreate();
        FcPatternAddString(p, FC_FAMILY, reinterpret_cast<const FcChar8*>(fam));
        FcPatternAddBool(p, FC_SCALABLE, FcTrue);
        if (auto f = matchFont(p, 0x4E2D /* 中 */, fam)) out.push_back(*f);
        FcPatternDestroy(p);
    }
    if (out.empty())
        if (auto f = fontForCodepoint(0x4E2D)) out.push_back(*f);
    return out;
}

// [SECTION] FontManager

std::shared_ptr<const FontBytes> FontBytes::read(const std::string& path) {
    // A CJK font is 15–25 MB; read once per face at start-up (about 10 ms from the page cache).
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    if (!in) return nullptr;
    const std::streamoff size = in.tellg();
    if (size <= 0) return nullptr;
    auto out = std::make_shared<FontBytes>();
    out->bytes.resize(static_cast<size_t>(size));
    in.seekg(0);
    if (!in.read(out->bytes.data(), size)) return nullptr;
    return out;
}

struct FontManager::Face {
    FontFace face;
    std::shared_ptr<const FontBytes> data;
    FT_Face ft = nullptr;
    ~Face() {
        if (ft) FT_Done_Face(ft);
    }
};

struct FontManager::BuildInput {
    struct Source {
        std::shared_ptr<const FontBytes> data;
        int index = 0;
        std::vector<ImWchar> ranges;
    };
    std::vector<Source> sources;
    CodepointSet covered;
    float pixelSize = 18;
};

BuiltAtlas::~BuiltAtlas() = default;

namespace {

// The small ranges every screen needs besides Chinese: Latin, punctuation, arrows, shapes.
const ImWchar kBaseRanges[] = {0x0020, 0x007E, 0x00A0, 0x00FF, 0x2000, 0x206F, 0x2190, 0x21FF, 0x2460, 0x24FF,
                               0x2500, 0x25FF, 0x2600, 0x26FF, 0x3000, 0x303F, 0xFF00, 0xFFEF, 0xFFFD, 0xFFFD, 0};

}  // namespace

FontManager::FontManager() : m_faceOf(CodepointSet::kLimit, -2) {
    FT_Library lib = nullptr;
    if (FT_Init_FreeType(&lib) == 0) m_ftLibrary = lib;
}

FontManager::~FontManager() {
    if (m_future.valid()) m_future.wait();
    m_faces.clear();
    if (m_ftLibrary) FT_Done_FreeType(static_cast<FT_Library>(m_ftLibrary));
}

bool FontManager::init(std::string* error) {
    auto fonts = findChineseFonts();
    for (const auto& f : fonts) {
        auto face = std::make_unique<Face>();
        face->face = f;
        face->data = FontBytes::read(f.path);
        if (!face->data || !m_ftLibrary) continue;
        if (FT_New_Memory_Face(static_cast<FT_Library>(m_ftLibrary), reinterpret_cast<const FT_Byte*>(face->data->bytes.data()),
                               static_cast<FT_Long>(face->data->bytes.size()), f.index, &face->ft) != 0) {
            face->ft = nullptr;
            continue;
        }
        m_description = f.family + " (" + f.path + ")";
        m_faces.push_back(std::move(face));
        break;
    }
    if (m_faces.empty()) {
        if (error)
            *error = "no Chinese font found (fontconfig). Install one, e.g. `apt install fonts-noto-cjk` "
                     "(or fonts-wqy-microhei), then start Jiancha again.";
        return false;
    }
    // Base coverage: Latin and symbols, plus the common simplified Chinese set of ImGui.
    for (const ImWchar* r = kBaseRanges; r[0]; r += 2)
        for (uint32_t c = r[0]; c <= r[1]; ++c) {
            m_wanted.add(c);
            // Symbols: main font only, no per-glyph search. U+FFFD is looked for in every font (CJK
            // fonts lack it; DejaVu has it): ImGui draws it for a missing glyph, and a replacement
            // glyph distinct from '?' is what replacementGlyphsDrawn() counts.
            if ((c < 0x3000 || c >= 0xFF00) && c != 0xFFFD) m_baseOnly.add(c);
        }
    ImFontAtlas tmp;
    for (const ImWchar* r = tmp.GetGlyphRangesChineseSimplifiedCommon(); r[0]; r += 2)
        for (uint32_t c = r[0]; c <= r[1]; ++c) m_wanted.add(c);
    m_dirty = true;
    return true;
}

void FontManager::setPixelSize(float px) {
    px = px < 12 ? 12 : px > 40 ? 40 : px;
    if (px != m_pixelSize) {
        m_pixelSize = px;
        m_dirty = true;
    }
}

void FontManager::want(std::string_view utf8) {
    for (size_t i = 0; i < utf8.size();) {
        unsigned char c = static_cast<unsigned char>(utf8[i]);
        if (c < 0x80) {  // ASCII is always in the atlas
            ++i;
            continue;
        }
        wantCodepoint(decodeUtf8(utf8, i));
    }
}

void FontManager::wantCodepoint(uint32_t cp) {
    if (cp >= CodepointSet::kLimit) return;
    if (m_wanted.add(cp)) m_dirty = true;
    if (m_fromData.add(cp) && m_baseOnly.has(cp) && m_unavailable.has(cp)) {
        // A symbol of the base set that data really uses: search the other fonts for it too.
        m_faceOf[cp] = -2;
        m_dirty = true;
        m_recheck.push_back(cp);
    }
}

void FontManager::wantSet(const CodepointSet& set) {
    if (m_wanted.merge(set) > 0) m_dirty = true;
    set.forEach([&](uint32_t cp) {
        if (m_fromData.add(cp) && m_baseOnly.has(cp) && m_unavailable.has(cp)) {
            m_faceOf[cp] = -2;
            m_recheck.push_back(cp);
            m_dirty = true;
        }
    });
}

int FontManager::unavailable() const {
    int n = 0;
    m_unavailable.forEach([&](uint32_t cp) { n += m_fromData.has(cp) ? 1 : 0; });
    return n;
}

int FontManager::faceFor(uint32_t cp) {
    int8_t& cached = m_faceOf[cp];
    if (cached != -2) return cached;
    for (size_t i = 0; i < m_faces.size(); ++i)
        if (FT_Get_Char_Index(m_faces[i]->ft, cp) != 0) return cached = static_cast<int8_t>(i);
    cached = -1;
    // Symbols of the base ranges are not searched for; Chinese and other data characters are.
    if ((m_baseOnly.has(cp) && !m_fromData.has(cp)) || m_faces.size() >= 12) return -1;
    auto f = fontForCodepoint(cp);
    if (!f) return -1;
    for (size_t i = 0; i < m_faces.size(); ++i)
        if (m_faces[i]->face.path == f->path && m_faces[i]->face.index == f->index) return -1;  // matched but lacks it
    auto face = std::make_unique<Face>();
    face->face = *f;
    face->data = FontBytes::read(f->path);
    if (!face->data ||
        FT_New_Memory_Face(static_cast<FT_Library>(m_ftLibrary), reinterpret_cast<const FT_Byte*>(face->data->bytes.data()),
                           static_cast<FT_Long>(face->data->bytes.size()), f->index, &face->ft) != 0) {
        face->ft = nullptr;
        return -1;
    }
    if (FT_Get_Char_Index(face->ft, cp) == 0) return -1;
    m_faces.push_back(std::move(face));
    // Code points already found missing may be in the new face: look again next time.
    for (auto& v : m_faceOf)
        if (v == -1) v = -2;
    return cached = static_cast<int8_t>(m_faces.size() - 1);
}

FontManager::BuildInput FontManager::makeInput() {
    BuildInput in;
    in.pixelSize = m_pixelSize;
    std::vector<std::vector<uint32_t>> perFace;
    for (uint32_t cp : m_recheck) m_unavailable.remove(cp);
    m_recheck.clear();
    m_wanted.forEach([&](uint32_t cp) {
        if (m_unavailable.has(cp)) return;
        int f = faceFor(cp);
        if (f < 0) {
            m_unavailable.add(cp);
            return;
        }
        if (perFace.size() <= static_cast<size_t>(f)) perFace.resize(static_cast<size_t>(f) + 1);
        perFace[static_cast<size_t>(f)].push_back(cp);
        in.covered.add(cp);
    });
    for (size_t f = 0; f < perFace.size(); ++f) {
        if (perFace[f].empty()) continue;
        BuildInput::Source src;
        src.data = m_faces[f]->data;
        src.index = m_faces[f]->face.index;
        const auto& cps = perFace[f];
        for (size_t i = 0; i < cps.size();) {
            size_t j = i;
            while (j + 1 < cps.size() && cps[j + 1] == cps[j] + 1) ++j;
            src.ranges.push_back(static_cast<ImWchar>(cps[i]));
            src.ranges.push_back(static_cast<ImWchar>(cps[j]));
            i = j + 1;
        }
        src.ranges.push_back(0);
        in.sources.push_back(std::move(src));
    }
    return in;
}

namespace {
std::unique_ptr<BuiltAtlas> build(std::vector<std::shared_ptr<const FontBytes>> datas,
                                  std::vector<int> indices, std::vector<std::vector<uint32_t>> ranges, CodepointSet covered,
                                  float px) {
    auto t0 = std::chrono::steady_clock::now();
    auto out = std::make_unique<BuiltAtlas>();
    out->atlas = std::make_unique<ImFontAtlas>();
    out->ranges = std::move(ranges);
    out->covered = std::move(covered);
    out->pixelSize = px;
    out->fontData = datas;  // ImGui keeps pointers to the bytes in ConfigData: they live as long as the atlas
    ImFontAtlas& a = *out->atlas;
    a.FontBuilderIO = ImGuiFreeType::GetBuilderForFreeType();
    a.FontBuilderFlags = ImGuiFreeTypeBuilderFlags_LightHinting;
    a.Flags |= ImFontAtlasFlags_NoPowerOfTwoHeight;
    for (size_t i = 0; i < datas.size(); ++i) {
        ImFontConfig cfg;
        cfg.FontDataOwnedByAtlas = false;  // the manager keeps the file bytes for every rebuild
        cfg.FontNo = indices[i];
        cfg.MergeMode = i > 0;
        cfg.PixelSnapH = true;
        std::snprintf(cfg.Name, sizeof cfg.Name, "jiancha-%zu", i);
        a.AddFontFromMemoryTTF(const_cast<char*>(datas[i]->bytes.data()), static_cast<int>(datas[i]->bytes.size()), px, &cfg,
                               out->ranges[i].data());
        for (size_t k = 0; out->ranges[i][k]; k += 2) out->glyphs += out->ranges[i][k + 1] - out->ranges[i][k] + 1;
    }
    a.Build();
    out->buildMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    return out;
}
}  // namespace

void FontManager::startBuild() {
    if (m_future.valid()) m_future.wait();
    BuildInput in = makeInput();
    m_dirty = false;
    std::vector<std::shared_ptr<const FontBytes>> datas;
    std::vector<int> indices;
    std::vector<std::vector<uint32_t>> ranges;
    for (auto& s : in.sources) {
        datas.push_back(s.data);
        indices.push_back(s.index);
        ranges.push_back(std::move(s.ranges));
    }
    // Why a thread: rasterising a few thousand CJK glyphs takes 50–200 ms; no frame may wait.
    m_future = std::async(std::launch::async, build, std::move(datas), std::move(indices), std::move(ranges),
                          std::move(in.covered), in.pixelSize);
}

std::unique_ptr<BuiltAtlas> FontManager::finishBuild() {
    if (!m_future.valid()) return nullptr;
    auto out = m_future.get();
    m_lastGlyphs = out->glyphs;
    m_lastBuildMs = out->buildMs;
    return out;
}

std::unique_ptr<BuiltAtlas> FontManager::poll() {
    std::unique_ptr<BuiltAtlas> ready;
    if (m_future.valid() && m_future.wait_for(std::chrono::seconds(0)) == std::future_status::ready) {
        ready = m_future.get();
        m_lastGlyphs = ready->glyphs;
        m_lastBuildMs = ready->buildMs;
    }
    if (m_dirty && !m_future.valid()) startBuild();
    return ready;
}

int replacementGlyphsDrawn(const ImDrawData* drawData, const ImFontAtlas* atlas) {
    if (!drawData || !atlas) return 0;
    std::vector<ImVec2> fallbacks;
    for (const ImFont* f : atlas->Fonts)
        if (f && f->FallbackGlyph) fallbacks.emplace_back(f->FallbackGlyph->U0, f->FallbackGlyph->V0);
    int n = 0;
    for (int l = 0; l < drawData->CmdListsCount; ++l)
        for (const ImDrawVert& v : drawData->CmdLists[l]->VtxBuffer)
            for (const ImVec2& uv : fallbacks) n += v.uv.x == uv.x && v.uv.y == uv.y ? 1 : 0;
    return n;
}

}  // namespace jc::ui
