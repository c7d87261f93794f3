#include "store/fts_tokenizer.h"

#include <cstdint>
#include <cstring>
#include <new>
#include <string>
#include <vector>

#include "core/error.h"
#include "base/db.h"

// Token layout (why it looks like this):
//   Document: every CJK character c[i] of a run takes its own position; the bigram c[i]c[i+1] is
//   colocated at the same position (FTS5_TOKEN_COLOCATED). The unigram comes first because
//   highlight() and snippet() use only the offsets of the first token at each position.
//   Query: a run of one character is that character; a longer run is its bigrams followed by
//   the unigram of its last character. The trailing unigram is implied by the last bigram, so
//   it never changes which rows match, but it makes the phrase span exactly as many positions
//   as the run has characters: highlight() then brackets the whole run (not one character
//   short), and a phrase like "拆迁a" lines the following word up with the right position.
//   Latin letters and digits form words (ASCII lower-cased; full-width ＡＢＣ１２３ folded to
//   ASCII as IMEs produce them); everything else, including invalid UTF-8, separates.

namespace jc {

namespace {

constexpr size_t kMaxWordBytes = 100;  // longer words are cut (the same way at index and query time)

// Decodes one UTF-8 character at s[i]. Returns its length (1..4) and sets cp, or 0 when the bytes
// are not a valid, shortest-form character (the caller then skips one byte as a separator).
int decodeUtf8(const unsigned char* s, size_t n, size_t i, uint32_t& cp) {
    unsigned char c = s[i];
    if (c < 0x80) {
        cp = c;
        return 1;
    }
    int len;
    uint32_t min;
    if ((c & 0xE0) == 0xC0) {
        len = 2, cp = c & 0x1F, min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
        len = 3, cp = c & 0x0F, min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
        len = 4, cp = c & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    if (i + static_cast<size_t>(len) > n) return 0;
    for (int k = 1; k < len; ++k) {
        unsigned char cc = s[i + static_cast<size_t>(k)];
        if ((cc & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (cc & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    return len;
}

bool isCjk(uint32_t cp) {
    return (cp >= 0x4E00 && cp <= 0x9FFF)      // CJK Unified Ideographs
           || (cp >= 0x3400 && cp <= 0x4DBF)   // Extension A (䶮 U+4DAE)
           || (cp >= 0x20000 && cp <= 0x3FFFF)  // Extensions B–H, compatibility supplement
           || (cp >= 0xF900 && cp <= 0xFAFF)   // compatibility ideographs
           || (cp >= 0x2E80 && cp <= 0x2FDF)   // radicals (text copied from PDFs uses them)
           || cp == 0x3005 || cp == 0x3007     // 々 and 〇 (〇 occurs in place names)
           || (cp >= 0x3040 && cp <= 0x30FF)   // hiragana, katakana
           || (cp >= 0x31F0 && cp <= 0x31FF)   // katakana extensions
           || (cp >= 0xAC00 && cp <= 0xD7AF)   // hangul syllables
           || (cp >= 0x1100 && cp <= 0x11FF)   // hangul jamo
           || (cp >= 0x3130 && cp <= 0x318F);  // hangul compatibility jamo
}

// Returns the folded ASCII character of a word character, or 0 when cp does not belong in a word.
char wordChar(uint32_t cp) {
    if (cp >= 'A' && cp <= 'Z') return static_cast<char>(cp - 'A' + 'a');
    if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9')) return static_cast<char>(cp);
    if (cp >= 0xFF10 && cp <= 0xFF19) return static_cast<char>(cp - 0xFF10 + '0');  // full-width digits
    if (cp >= 0xFF21 && cp <= 0xFF3A) return static_cast<char>(cp - 0xFF21 + 'a');  // full-width A–Z
    if (cp >= 0xFF41 && cp <= 0xFF5A) return static_cast<char>(cp - 0xFF41 + 'a');  // full-width a–z
    return 0;
}

struct CharSpan {
    int start, end;
};

// Calls emit(text, len, start, end, colocated) for every token of `text`.
template <class Emit>
int tokenize(const char* text, int nText, bool query, Emit&& emit) {
    const auto* s = reinterpret_cast<const unsigned char*>(text);
    size_t n = nText > 0 ? static_cast<size_t>(nText) : 0;
    std::vector<CharSpan> run;
    std::string word;
    int wordStart = 0, wordEnd = 0;
    int rc = SQLITE_OK;

    auto flushWord = [&]() {
        if (!word.empty() && rc == SQLITE_OK) rc = emit(word.data(), static_cast<int>(word.size()), wordStart, wordEnd, false);
        word.clear();
    };
    auto flushRun = [&]() {
        size_t k = run.size();
        auto piece = [&](size_t a, size_t b, bool coloc) {
            if (rc == SQLITE_OK) rc = emit(text + run[a].start, run[b].end - run[a].start, run[a].start, run[b].end, coloc);
        };
        if (k == 0) return;
        if (!query) {
            for (size_t i = 0; i < k; ++i) {
                piece(i, i, false);
                if (i + 1 < k) piece(i, i + 1, true);
            }
        } else if (k == 1) {
            piece(0, 0, false);
        } else {
            for (size_t i = 0; i + 1 < k; ++i) piece(i, i + 1, false);
            piece(k - 1, k - 1, false);
        }
        run.clear();
    };

    size_t i = 0;
    while (i < n && rc == SQLITE_OK) {
        uint32_t cp = 0;
        int len = decodeUtf8(s, n, i, cp);
        int at = static_cast<int>(i);
        if (len == 0) {  // invalid byte: a separator
            flushWord();
            flushRun();
            ++i;
            continue;
        }
        i += static_cast<size_t>(len);
        if (isCjk(cp)) {
            flushWord();
            run.push_back({at, static_cast<int>(i)});
        } else if (char w = wordChar(cp)) {
            flushRun();
            if (word.empty()) wordStart = at;
            if (word.size() < kMaxWordBytes) word.push_back(w);
            wordEnd = static_cast<int>(i);
        } else {
            flushWord();
            flushRun();
        }
    }
    flushWord();
    flushRun();
    return rc;
}

// --- FTS5 glue -----------------------------------------------------------------------------

struct TokenizerInstance {
    int unused = 0;
};

int xCreate(void*, const char**, int, Fts5Tokenizer** out) {
    *out = reinterpret_cast<Fts5Tokenizer*>(new (std::nothrow) TokenizerInstance());
    return *out ? SQLITE_OK : SQLITE_NOMEM;
}

void xDelete(Fts5Tokenizer* t) { delete reinterpret_cast<TokenizerInstance*>(t); }

int xTokenize(Fts5Tokenizer*, void* ctx, int flags, const char* text, int nText,
              int (*xToken)(void*, int, const char*, int, int, int)) {
    bool query = (flags & FTS5_TOKENIZE_QUERY) != 0;
    try {
        return tokenize(text, nText, query, [&](const char* tok, int len, int start, int end, bool coloc) {
            return xToken(ctx, coloc ? FTS5_TOKEN_COLOCATED : 0, tok, len, start, end);
        });
    } catch (const std::bad_alloc&) {
        return SQLITE_NOMEM;
    } catch (...) {
        return SQLITE_ERROR;
    }
}

fts5_api* fts5Api(sqlite3* db) {
    fts5_api* api = nullptr;
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, nullptr) != SQLITE_OK) return nullptr;
    sqlite3_bind_pointer(st, 1, &api, "fts5_api_ptr", nullptr);
    sqlite3_step(st);
    sqlite3_finalize(st);
    return api;
}

}  // namespace

void registerCjkTokenizer(sqlite3* db) {
    fts5_api* api = fts5Api(db);
    if (!api || api->iVersion < 2) throw StorageError("SQLite was built without FTS5; full-text search is unavailable");
    static fts5_tokenizer tokenizer = {xCreate, xDelete, xTokenize};
    int rc = api->xCreateTokenizer(api, "jc_cjk", nullptr, &tokenizer, nullptr);
    if (rc != SQLITE_OK) throwSqlite(db, rc, "register FTS5 tokenizer jc_cjk");
}

std::vector<std::string> cjkIndexTokens(std::string_view text) {
    std::vector<std::string> out;
    tokenize(text.data(), static_cast<int>(text.size()), false, [&](const char* tok, int len, int, int, bool) {
        out.emplace_back(tok, static_cast<size_t>(len));
        return SQLITE_OK;
    });
    return out;
}

}  // namespace jc
