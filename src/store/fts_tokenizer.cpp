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
//   Text is cut into runs at separators: ASCII whitespace, U+3000 (the characters search splits
//   a query at), control characters and invalid UTF-8. Every other character belongs to a run,
//   Chinese, Latin, digits and punctuation alike (ASCII letters lower-cased; full-width ＡＢＣ１２３
//   folded to ASCII as IMEs produce them), so a query term, which never holds whitespace, is one
//   run.
//   Document: position i of a run of k characters holds the pair c[i]c[i+1] (a bigram); the last
//   position holds c[k-1] alone. One token a character: half of indexing every character as well
//   as every pair, with the same answers.
//   Query: a run of two or more characters is its bigrams at consecutive positions. A bigram of a
//   document is never followed by a bigram of another run (a run ends with a single character),
//   so the phrase matches exactly where the term occurs. A run of one character c is the prefix
//   query c* (every pair starting with c, or c ending a run): searchMatchExpression() adds the
//   star. A run followed by another run inside the same term (only across a control character)
//   also takes the single last character, where the document's run ends too.
//   Offsets: a bigram spans both its characters, so highlight() brackets a matched term exactly
//   (a one-character term is bracketed with the character after it when that pair matched).

namespace jc {

namespace {

// One character of the text: a separator, or a run character with its folded bytes.
struct Char {
    bool separator = true;
    bool folded = false;  // its bytes differ from the text's (lower-cased, full-width folded)
    char bytes[4] = {};   // the folded character
    int len = 0;          // of bytes
    int start = 0, end = 0;  // byte offsets in the text
};

// Returns the folded ASCII character of a full-width Latin letter or digit, or 0.
char foldedFullWidth(char32_t cp) {
    if (cp >= 0xFF10 && cp <= 0xFF19) return static_cast<char>(cp - 0xFF10 + '0');  // full-width digits
    if (cp >= 0xFF21 && cp <= 0xFF3A) return static_cast<char>(cp - 0xFF21 + 'a');  // full-width A–Z
    if (cp >= 0xFF41 && cp <= 0xFF5A) return static_cast<char>(cp - 0xFF41 + 'a');  // full-width a–z
    return 0;
}

// Reads the character at text[i] (i < n) and advances i past it. Separators: ASCII whitespace
// and control characters, C1 controls, U+3000, invalid UTF-8 (one byte at a time, core/utf8.h).
void nextChar(const char* text, size_t n, size_t& i, Char& c) {
    c.start = static_cast<int>(i);
    unsigned char b = static_cast<unsigned char>(text[i]);
    if (b < 0x80) {  // ASCII
        ++i;
        c.end = static_cast<int>(i);
        c.separator = b <= 0x20 || b == 0x7F;
        c.folded = b >= 'A' && b <= 'Z';
        c.bytes[0] = static_cast<char>(c.folded ? b - 'A' + 'a' : b);
        c.len = 1;
        return;
    }
    std::string_view utf8(text, n);
    if (utf8Length(utf8, i) == 0) {
        ++i;
        c.end = static_cast<int>(i);
        c.separator = true;
        return;
    }
    char32_t cp = decodeUtf8(utf8, i);
    c.end = static_cast<int>(i);
    c.separator = cp < 0xA0 || cp == 0x3000;
    if (char w = foldedFullWidth(cp)) {
        c.folded = true;
        c.bytes[0] = w;
        c.len = 1;
    } else {
        c.folded = false;
        c.len = c.end - c.start;
        std::memcpy(c.bytes, text + c.start, static_cast<size_t>(c.len));
    }
}

// True when a run character follows position i (for a query: is this run the last one).
bool moreRuns(const char* text, size_t n, size_t i) {
    Char c;
    while (i < n) {
        nextChar(text, n, i, c);
        if (!c.separator) return true;
    }
    return false;
}

// Calls emit(token, len, start, end) for every token of `text` (layout above).
template <class Emit>
int tokenize(const char* text, int nText, bool query, Emit&& emit) {
    const size_t n = nText > 0 ? static_cast<size_t>(nText) : 0;
    Char prev, cur;
    bool have = false;  // prev holds the previous character of the current run
    int runLength = 0;
    int rc = SQLITE_OK;
    char pair[8];
    auto single = [&](const Char& c) { rc = emit(c.folded ? c.bytes : text + c.start, c.len, c.start, c.end); };
    auto endRun = [&](size_t next) {
        if (!have) return;
        if (!query || runLength == 1 || moreRuns(text, n, next)) single(prev);
        have = false;
        runLength = 0;
    };
    size_t i = 0;
    while (i < n && rc == SQLITE_OK) {
        nextChar(text, n, i, cur);
        if (cur.separator) {
            endRun(i);
            continue;
        }
        if (have) {
            if (!prev.folded && !cur.folded) {  // adjacent in the text: no copy
                rc = emit(text + prev.start, cur.end - prev.start, prev.start, cur.end);
            } else {
                std::memcpy(pair, prev.bytes, static_cast<size_t>(prev.len));
                std::memcpy(pair + prev.len, cur.bytes, static_cast<size_t>(cur.len));
                rc = emit(pair, prev.len + cur.len, prev.start, cur.end);
            }
        }
        prev = cur;
        have = true;
        ++runLength;
    }
    if (rc == SQLITE_OK) endRun(n);
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
        return tokenize(text, nText, query, [&](const char* tok, int len, int start, int end) {
            return xToken(ctx, 0, tok, len, start, end);
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
    tokenize(text.data(), static_cast<int>(text.size()), false, [&](const char* tok, int len, int, int) {
        out.emplace_back(tok, static_cast<size_t>(len));
        return SQLITE_OK;
    });
    return out;
}

std::vector<std::string> cjkQueryTokens(std::string_view term) {
    std::vector<std::string> out;
    tokenize(term.data(), static_cast<int>(term.size()), true, [&](const char* tok, int len, int, int) {
        out.emplace_back(tok, static_cast<size_t>(len));
        return SQLITE_OK;
    });
    return out;
}

bool cjkQueryNeedsPrefix(std::string_view term) {
    Char c;
    int lastRun = 0, run = 0;
    for (size_t i = 0; i < term.size();) {
        nextChar(term.data(), term.size(), i, c);
        if (c.separator) {
            if (run) lastRun = run;
            run = 0;
        } else {
            ++run;
        }
    }
    if (run) lastRun = run;
    return lastRun == 1;
}

std::string cjkSearchableText(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    Char c;
    bool gap = false;
    for (size_t i = 0; i < text.size();) {
        nextChar(text.data(), text.size(), i, c);
        if (c.separator) {
            gap = !out.empty();
            continue;
        }
        if (gap) out += '\n';
        gap = false;
        out.append(c.bytes, static_cast<size_t>(c.len));
    }
    return out;
}

std::vector<std::pair<size_t, size_t>> cjkFindTerm(std::string_view text, std::string_view term) {
    std::vector<std::pair<size_t, size_t>> found;
    std::string want = cjkSearchableText(term);
    if (want.empty()) return found;
    // The searchable text with, for each of its bytes, the text's bytes of that character.
    std::string folded;
    std::vector<std::pair<uint32_t, uint32_t>> from;
    folded.reserve(text.size());
    from.reserve(text.size());
    Char c;
    bool gap = false;
    size_t gapAt = 0;
    for (size_t i = 0; i < text.size();) {
        nextChar(text.data(), text.size(), i, c);
        if (c.separator) {
            if (!gap && !folded.empty()) gapAt = static_cast<size_t>(c.start);
            gap = !folded.empty();
            continue;
        }
        if (gap) {
            folded += '\n';
            from.emplace_back(static_cast<uint32_t>(gapAt), static_cast<uint32_t>(c.start));
        }
        gap = false;
        for (int b = 0; b < c.len; ++b) {
            folded += c.bytes[b];
            from.emplace_back(static_cast<uint32_t>(c.start), static_cast<uint32_t>(c.end));
        }
    }
    for (size_t at = folded.find(want); at != std::string::npos; at = folded.find(want, at + want.size()))
        found.emplace_back(from[at].first, from[at + want.size() - 1].second);
    return found;
}

}  // namespace jc
