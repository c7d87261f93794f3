#pragma once
// Chinese full-text search over findings and complaints (title, narrative / content, subject
// unit name, text fields of the category template). The index row of a record is rebuilt in
// the same transaction as every change to it (ChangeWriter), so search never lags the data;
// deleted records are dropped from the index.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/db.h"

namespace jc {

struct SearchHit {
    std::string entity;   // "finding" or "complaint"
    std::string id;
    std::string title;
    std::string snippet;  // matched text with the hits wrapped in [ and ]
    double rank = 0;      // bm25: lower is better
};

// Limits on what a user may type into search.
inline constexpr size_t kMaxSearchQueryBytes = 400;
inline constexpr int kMaxSearchResults = 1000;
inline constexpr int kMaxRankedCandidates = 2000;

bool isSearchIndexed(std::string_view entity);
void reindexRecord(Database& db, std::string_view entity, const std::string& id);
void rebuildSearchIndex(Database& db);

// Plain user text in, ranked hits out. Every whitespace-separated term must match (AND);
// FTS5 query syntax in the input is treated as literal text. Throws ValidationError for an
// empty or oversized query. Ranked by bm25 (title hits weigh more) among the newest
// kMaxRankedCandidates matches: exact when fewer match; a common word in a large store ranks
// its recent records only, which keeps a search within a few milliseconds.
std::vector<SearchHit> searchRecords(Database& db, const std::string& query, int limit = 50,
                                     std::string_view entityFilter = {});

// Ids of indexed records matching `query` (for filtering list views), unordered.
std::vector<std::string> searchIds(Database& db, const std::string& query, std::string_view entity);

// Index rowids (search_rowid.rid) of every record matching `query`, ascending. Reads only the
// index, never the stored text, so it stays cheap for a common word in 100,000 records (list
// views join these to their table through search_rowid). Same query rules and errors as above.
std::vector<int64_t> searchRowids(Database& db, const std::string& query);

}  // namespace jc
