#pragma once
// The "jc_cjk" FTS5 tokenizer: runs of CJK characters are indexed as every single character
// plus every overlapping pair (bigram); Latin letters and digits form lower-cased words.
// So one- and two-character Chinese queries (排污, 欠薪, 堃) match exactly the records that
// contain them, without a dictionary.
#include <sqlite3.h>

#include <string>
#include <string_view>
#include <vector>

namespace jc {

// Registers the tokenizer on this connection; must run before any FTS table using it is touched.
void registerCjkTokenizer(sqlite3* db);

// The tokens the index stores for `text` (for tests and for highlighting matches).
std::vector<std::string> cjkIndexTokens(std::string_view text);

}  // namespace jc
