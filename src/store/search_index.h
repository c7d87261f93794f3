#pragma once
// Chinese full-text search over findings and complaints (title, narrative / content, subject
// unit name, text fields of the category template). A local change rebuilds the record's index
// row in its own transaction (ChangeWriter); a pull only marks the records it wrote as pending
// (markSearchPending, cheap) and catchUpSearchIndex() indexes them in batches afterwards. While
// records are pending, search answers for them by scanning their text, and leaves out their
// stale index rows, so its answer is at every moment exactly the records holding each term;
// searchPendingCount() > 0 tells the user that catch-up is running (索引更新中).
// Deleted records are dropped from the index.
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

// The record (or, for a unit, every finding and complaint naming it) awaits indexing; search
// scans it meanwhile. In the caller's transaction.
void markSearchPending(Database& db, std::string_view entity, const std::string& id);
// Records awaiting indexing.
int64_t searchPendingCount(Database& db);
// Indexes up to maxRecords pending records (oldest marks first) in one transaction (the
// caller's when one is open); returns how many are still pending.
int64_t catchUpSearchIndex(Database& db, int maxRecords);

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
