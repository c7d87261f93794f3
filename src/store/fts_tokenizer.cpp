#include "store/fts_tokenizer.h"

#include <cstdint>
#include <cstring>
#include <new>
#include <string>
#include <vector>

#include "base/db.h"
#include "core/error.h"
#include "core/i18n.h"
#include "core/utf8.h"

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
    size_t n = nText > 0 ? static_cast<size_t>(nText) : 0;
    std::string_view utf8(text, n);
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
        int at = static_cast<int>(i);
        if (utf8Length(utf8, i) == 0) {  // a bad byte (core/utf8.h): a separator
            flushWord();
            flushRun();
            ++i;
            continue;
        }
        char32_t cp = decodeUtf8(utf8, i);
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
    if (!api || api->iVersion < 2) throw StorageError(tr("store.err_no_fts5"));
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
