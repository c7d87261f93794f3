#pragma once
// The "jc_cjk" FTS5 tokenizer: text is cut into runs at whitespace; each run is indexed as its
// overlapping character pairs (bigrams) plus its last character alone, one token a character.
// A query term of two or more characters is the phrase of its bigrams; one character is a prefix
// query (cjkQueryNeedsPrefix). So every query term matches exactly the records that contain it as
// a substring (ASCII letters and full-width letters and digits folded), Chinese, Latin, digits
// and punctuation alike, without a dictionary.
#include <sqlite3.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace jc {

// Registers the tokenizer on this connection; must run before any FTS table using it is touched.
void registerCjkTokenizer(sqlite3* db);

// The tokens the index stores for `text` (for tests and benchmarks).
std::vector<std::string> cjkIndexTokens(std::string_view text);
// The tokens of a query term, as FTS5 sees them inside a phrase.
std::vector<std::string> cjkQueryTokens(std::string_view term);
// True when the term's last run is a single character: its phrase needs a trailing `*`.
bool cjkQueryNeedsPrefix(std::string_view term);

// The text as the index sees it: runs folded, separators as one '\n'. A query term matches a
// column exactly when cjkSearchableText(term) occurs in cjkSearchableText(column) — the scan
// that answers for records the index has not caught up with yet.
std::string cjkSearchableText(std::string_view text);
// Where `term` occurs in `text` by that rule: byte ranges [first, second) of `text`, in order,
// not overlapping (for bracketing matches in snippets).
std::vector<std::pair<size_t, size_t>> cjkFindTerm(std::string_view text, std::string_view term);

}  // namespace jc
