#include "store/search_index.h"

#include <algorithm>
#include <memory>

#include "core/entities.h"
#include "core/error.h"
#include "core/i18n.h"
#include "core/utf8.h"
#include "store/fts_tokenizer.h"

// One FTS5 row per live finding / complaint: title in its own column (weighted higher by bm25),
// everything else searchable in body, separated by newlines so no bigram spans two fields.
// search_rowid keeps one rowid per record for good, so an update replaces its row in place and
// an undeleted record gets its old rowid back; new rowids come from max(rid) + 1, never from the
// FTS table, so a rowid held by a deleted record is never handed to another one.
//
// Unit names are part of finding and complaint bodies, so a change to a unit reindexes the
// records that name it: isSearchIndexed("unit") is true for that reason.

namespace jc {

namespace {

void collectStrings(const Json& v, std::string& out) {
    if (v.is_string()) {
        if (!out.empty()) out += '\n';
        out += v.get_ref<const std::string&>();
    } else if (v.is_array() || v.is_object()) {
        for (const auto& e : v) collectStrings(e, out);
    }
}

void appendPart(std::string& body, const Statement& s, int col) {
    if (s.isNull(col)) return;
    std::string t = s.getText(col);
    if (t.empty()) return;
    if (!body.empty()) body += '\n';
    body += t;
}

struct IndexRow {
    bool live = false;
    std::string title;
    std::string body;
};

IndexRow loadFinding(Database& db, const std::string& id) {
    auto& s = db.cached(
        "SELECT f.deleted, f.title, f.narrative, u.name, f.address, f.loophole, f.recommendation, f.field_values "
        "FROM finding f LEFT JOIN unit u ON u.id = f.subject_unit_id WHERE f.id = ?");
    s.bind(1, id);
    IndexRow r;
    if (!s.step()) return r;
    r.live = s.getInt(0) == 0;
    r.title = s.getText(1);
    for (int c = 2; c <= 6; ++c) appendPart(r.body, s, c);
    if (!s.isNull(7)) {
        Json fv = Json::parse(s.getText(7), nullptr, false);
        if (!fv.is_discarded()) collectStrings(fv, r.body);
    }
    s.reset();
    return r;
}

IndexRow loadComplaint(Database& db, const std::string& id) {
    auto& s = db.cached(
        "SELECT c.deleted, c.title, c.content, c.reply, c.outcome, u.name "
        "FROM complaint c LEFT JOIN unit u ON u.id = c.respondent_unit_id WHERE c.id = ?");
    s.bind(1, id);
    IndexRow r;
    if (!s.step()) return r;
    r.live = s.getInt(0) == 0;
    r.title = s.getText(1);
    for (int c = 2; c <= 5; ++c) appendPart(r.body, s, c);
    s.reset();
    return r;
}

int64_t rowidFor(Database& db, const std::string& id, bool allocate) {
    auto& q = db.cached("SELECT rid FROM search_rowid WHERE entity_id = ?");
    q.bind(1, id);
    if (q.step()) {
        int64_t rid = q.getInt(0);
        q.reset();
        return rid;
    }
    q.reset();
    if (!allocate) return 0;
    auto& mx = db.cached("SELECT coalesce(max(rid), 0) + 1 FROM search_rowid");
    mx.step();
    int64_t rid = mx.getInt(0);
    mx.reset();
    auto& ins = db.cached("INSERT INTO search_rowid(entity_id, rid) VALUES(?, ?)");
    ins.bind(1, id).bind(2, rid);
    ins.run();
    return rid;
}

void writeRow(Database& db, std::string_view entity, const std::string& id, const IndexRow& row) {
    int64_t rid = rowidFor(db, id, row.live);
    if (rid) {
        auto& del = db.cached("DELETE FROM search_index WHERE rowid = ?");
        del.bind(1, rid);
        del.run();
        auto& done = db.cached("DELETE FROM search_pending WHERE rid = ?");
        done.bind(1, rid);
        done.run();
    }
    if (!row.live) return;
    auto& ins = db.cached("INSERT INTO search_index(rowid, entity, entity_id, title, body) VALUES(?, ?, ?, ?, ?)");
    ins.bind(1, rid).bind(2, entity).bind(3, id).bind(4, row.title).bind(5, row.body);
    ins.run();
}

std::vector<std::pair<std::string, std::string>> unitDependents(Database& db, const std::string& unitId) {
    std::vector<std::pair<std::string, std::string>> ids;
    auto& s = db.cached(
        "SELECT 'finding', id FROM finding WHERE subject_unit_id = ?1 "
        "UNION ALL SELECT 'complaint', id FROM complaint WHERE respondent_unit_id = ?1");
    s.bind(1, unitId);
    while (s.step()) ids.emplace_back(s.getText(0), s.getText(1));
    s.reset();
    return ids;
}

void reindexUnitDependents(Database& db, const std::string& unitId) {
    for (const auto& [entity, id] : unitDependents(db, unitId)) reindexRecord(db, entity, id);
}

void markPending(Database& db, std::string_view entity, const std::string& id) {
    int64_t rid = rowidFor(db, id, true);
    auto& ins = db.cached("INSERT OR IGNORE INTO search_pending(rid, entity, entity_id) VALUES(?, ?, ?)");
    ins.bind(1, rid).bind(2, entity).bind(3, id);
    ins.run();
}

bool isWhitespaceAt(const std::string& s, size_t i, size_t& len) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
        len = 1;
        return true;
    }
    // U+3000 IDEOGRAPHIC SPACE, typed by Chinese IMEs in full-width mode.
    size_t next = i;
    if (decodeUtf8(s, next) == 0x3000) {
        len = next - i;
        return true;
    }
    return false;
}

std::vector<std::string> splitTerms(const std::string& q) {
    std::vector<std::string> terms;
    std::string cur;
    for (size_t i = 0; i < q.size();) {
        size_t len = 0;
        if (isWhitespaceAt(q, i, len)) {
            if (!cur.empty()) terms.push_back(std::move(cur));
            cur.clear();
            i += len;
        } else {
            cur += q[i++];
        }
    }
    if (!cur.empty()) terms.push_back(std::move(cur));
    return terms;
}

// Builds the FTS5 MATCH expression: every term a quoted phrase, ANDed. Returns "" when no term
// contains anything searchable (only punctuation, for example). Throws for an empty or long query.
std::string matchExpression(const std::string& query) {
    if (query.size() > kMaxSearchQueryBytes)
        throw ValidationError(trf("store.err_search_long",
                                  {std::to_string(kMaxSearchQueryBytes), std::to_string(kMaxSearchQueryBytes / 3)}));
    std::vector<std::string> terms = splitTerms(query);
    if (terms.empty()) throw ValidationError(tr("store.err_search_empty"));
    std::string expr;
    for (const auto& t : terms) {
        if (cjkQueryTokens(t).empty()) continue;  // an empty phrase would match nothing useful
        std::string quoted = "\"";
        for (char c : t) {
            if (c == '"') quoted += '"';
            quoted += c;
        }
        quoted += '"';
        if (cjkQueryNeedsPrefix(t)) quoted += " *";  // one character: every pair it starts (fts_tokenizer.h)
        if (!expr.empty()) expr += " AND ";
        expr += quoted;
    }
    return expr;
}

void checkEntityFilter(std::string_view entity) {
    if (!entity.empty() && entity != "finding" && entity != "complaint")
        throw ValidationError(trf("store.err_search_kind", {entity}));
}

// --- records the index has not caught up with (search_pending) ------------------------------

bool anyPending(Database& db) { return db.queryInt("SELECT EXISTS(SELECT 1 FROM search_pending)") != 0; }

// The terms as the scan compares them (the same terms matchExpression() keeps).
std::vector<std::string> scanTerms(const std::string& query) {
    std::vector<std::string> out;
    for (const auto& t : splitTerms(query)) {
        std::string n = cjkSearchableText(t);
        if (!n.empty()) out.push_back(std::move(n));
    }
    return out;
}

struct PendingHit {
    int64_t rid = 0;
    std::string entity, id;
    IndexRow row;
};

// Every pending live record whose title or body holds each term, as the index would answer once
// it has caught up: a term matches within one column (fts_tokenizer.h cjkSearchableText).
std::vector<PendingHit> scanPending(Database& db, const std::vector<std::string>& terms, std::string_view entityFilter) {
    std::vector<PendingHit> rows;
    {
        auto& s = db.cached("SELECT rid, entity, entity_id FROM search_pending ORDER BY rid");
        while (s.step()) {
            PendingHit h;
            h.rid = s.getInt(0);
            h.entity = s.getText(1);
            h.id = s.getText(2);
            if (entityFilter.empty() || h.entity == entityFilter) rows.push_back(std::move(h));
        }
        s.reset();
    }
    std::vector<PendingHit> hits;
    for (auto& h : rows) {
        h.row = h.entity == "finding" ? loadFinding(db, h.id) : loadComplaint(db, h.id);
        if (!h.row.live) continue;
        std::string title = cjkSearchableText(h.row.title), body = cjkSearchableText(h.row.body);
        bool all = !terms.empty();
        for (const auto& t : terms)
            if (title.find(t) == std::string::npos && body.find(t) == std::string::npos) {
                all = false;
                break;
            }
        if (all) hits.push_back(std::move(h));
    }
    return hits;
}

// The snippet of a hit: about 32 characters of the column where a term occurs first (the body
// before the title), every occurrence of a term wrapped in [ and ], "…" where text was cut.
// Made here rather than by FTS5's snippet(): one-character terms match pairs and overlapping
// matches ("哈哈" in "哈哈哈") would be bracketed wrongly there; the same code serves the
// records found by the scan.
std::string makeSnippet(const std::string& title, const std::string& body, const std::string& query) {
    std::vector<std::string> terms = splitTerms(query);
    const std::string* text = &title;
    std::vector<std::pair<size_t, size_t>> ranges;
    for (const std::string* col : {&body, &title}) {
        for (const auto& t : terms)
            for (auto r : cjkFindTerm(*col, t)) ranges.push_back(r);
        if (!ranges.empty()) {
            text = col;
            break;
        }
    }
    std::sort(ranges.begin(), ranges.end());
    size_t first = ranges.empty() ? 0 : ranges.front().first;
    size_t start = first;
    for (int back = 0; start > 0 && back < 8;) {  // up to 8 characters before the first match
        --start;
        if (!isUtf8Continuation((*text)[start])) ++back;
    }
    size_t end = start;
    for (int chars = 0; end < text->size() && chars < 32; ++chars) {
        ++end;
        while (end < text->size() && isUtf8Continuation((*text)[end])) ++end;
    }
    if (!ranges.empty()) end = std::max(end, ranges.front().second);
    std::string out = start > 0 ? "…" : "";
    size_t at = start;
    for (size_t k = 0; k < ranges.size(); ++k) {
        auto [a, b] = ranges[k];
        while (k + 1 < ranges.size() && ranges[k + 1].first < b) b = std::max(b, ranges[++k].second);  // overlapping
        if (a < at) continue;
        if (a >= end) break;
        out.append(*text, at, a - at);
        out += '[';
        out.append(*text, a, b - a);
        out += ']';
        at = b;
    }
    if (at < end) out.append(*text, at, end - at);
    if (std::max(end, at) < text->size()) out += "…";
    return out;
}

}  // namespace

bool isSearchIndexed(std::string_view entity) {
    return entity == "finding" || entity == "complaint" || entity == "unit";
}

void reindexRecord(Database& db, std::string_view entity, const std::string& id) {
    if (entity == "finding") {
        writeRow(db, entity, id, loadFinding(db, id));
    } else if (entity == "complaint") {
        writeRow(db, entity, id, loadComplaint(db, id));
    } else if (entity == "unit") {
        reindexUnitDependents(db, id);
    }
}

void markSearchPending(Database& db, std::string_view entity, const std::string& id) {
    if (entity == "finding" || entity == "complaint") {
        markPending(db, entity, id);
    } else if (entity == "unit") {
        for (const auto& [e, i] : unitDependents(db, id)) markPending(db, e, i);
    }
}

int64_t searchPendingCount(Database& db) { return db.queryInt("SELECT count(*) FROM search_pending"); }

int64_t catchUpSearchIndex(Database& db, int maxRecords) {
    std::vector<std::pair<std::string, std::string>> batch;
    {
        auto tx = beginIfNeeded(db);
        {
            auto& s = db.cached("SELECT entity, entity_id FROM search_pending ORDER BY rid LIMIT ?");
            s.bind(1, std::max(1, maxRecords));
            while (s.step()) batch.emplace_back(s.getText(0), s.getText(1));
            s.reset();
        }
        for (const auto& [entity, id] : batch) reindexRecord(db, entity, id);  // clears each mark
        if (tx) tx->commit();
    }
    return searchPendingCount(db);
}

void rebuildSearchIndex(Database& db) {
    // Runs in the caller's transaction when there is one, else in its own.
    auto tx = beginIfNeeded(db);
    db.exec("DELETE FROM search_index");
    for (const char* entity : {"finding", "complaint"}) {
        std::vector<std::string> ids;
        auto s = db.prepare(std::string("SELECT id FROM ") + entity + " WHERE deleted = 0 ORDER BY id");
        while (s.step()) ids.push_back(s.getText(0));
        for (const auto& id : ids) reindexRecord(db, entity, id);
    }
    db.exec("DELETE FROM search_pending");  // deleted records left marked: nothing to index
    if (tx) tx->commit();
    db.exec("INSERT INTO search_index(search_index) VALUES('optimize')");
}

std::vector<SearchHit> searchRecords(Database& db, const std::string& query, int limit, std::string_view entityFilter) {
    checkEntityFilter(entityFilter);
    std::string expr = matchExpression(query);
    std::vector<SearchHit> hits;
    if (expr.empty()) return hits;
    limit = std::clamp(limit, 1, kMaxSearchResults);

    // Records the index has not caught up with come first (the newest from HQ), found by the
    // scan; the index answers for the rest, their stale rows (if any) left out.
    const bool pending = anyPending(db);
    const std::string notPending = pending ? " AND rowid NOT IN (SELECT rid FROM search_pending)" : "";
    if (pending) {
        for (auto& p : scanPending(db, scanTerms(query), entityFilter)) {
            if (static_cast<int>(hits.size()) >= limit) break;
            SearchHit h;
            h.entity = p.entity;
            h.id = p.id;
            h.title = p.row.title;
            h.snippet = makeSnippet(p.row.title, p.row.body, query);
            hits.push_back(std::move(h));
        }
        if (static_cast<int>(hits.size()) >= limit) return hits;
    }
    const int ranked = limit - static_cast<int>(hits.size());

    // bm25 costs ~2 µs a row (column sizes, phrase positions) and snippet() far more, and SQLite
    // computes every selected column of every match before sorting. So: bound the candidates to
    // the newest kMaxRankedCandidates matches (FTS5 walks rowids backwards cheaply), rank them
    // selecting only rowid and score, then fetch title and text for the rows returned.
    int64_t floor = 0;
    {
        auto& k = db.cached("SELECT rowid FROM search_index WHERE search_index MATCH ?1" + notPending +
                            " ORDER BY rowid DESC LIMIT 1 OFFSET ?2");
        k.bind(1, expr).bind(2, kMaxRankedCandidates - 1);
        if (k.step()) floor = k.getInt(0);
        k.reset();
    }
    // bm25 weights: entity and entity_id are unindexed; a hit in the title counts ten times.
    std::string sql =
        "SELECT rowid, bm25(search_index, 0.0, 0.0, 10.0, 1.0) AS r FROM search_index "
        "WHERE search_index MATCH ?1 AND rowid >= ?3" + notPending;
    if (!entityFilter.empty()) sql += " AND entity = ?4";
    sql += " ORDER BY r, rowid LIMIT ?2";
    std::vector<std::pair<int64_t, double>> top;
    {
        auto& s = db.cached(sql);
        s.bind(1, expr).bind(2, ranked).bind(3, floor);
        if (!entityFilter.empty()) s.bind(4, entityFilter);
        while (s.step()) top.emplace_back(s.getInt(0), s.getDouble(1));
        s.reset();
    }
    auto& d = db.cached("SELECT entity, entity_id, title, body FROM search_index WHERE rowid = ?1");
    for (const auto& [rid, rank] : top) {
        d.bind(1, rid);
        if (d.step()) {
            SearchHit h;
            h.entity = d.getText(0);
            h.id = d.getText(1);
            h.title = d.getText(2);
            h.snippet = makeSnippet(h.title, d.getText(3), query);
            h.rank = rank;
            hits.push_back(std::move(h));
        }
        d.reset();
    }
    return hits;
}

std::vector<std::string> searchIds(Database& db, const std::string& query, std::string_view entity) {
    checkEntityFilter(entity);
    std::string expr = matchExpression(query);
    std::vector<std::string> ids;
    if (expr.empty()) return ids;
    const bool pending = anyPending(db);
    std::string sql = "SELECT entity_id FROM search_index WHERE search_index MATCH ?1";
    if (pending) sql += " AND rowid NOT IN (SELECT rid FROM search_pending)";
    if (!entity.empty()) sql += " AND entity = ?2";
    auto& s = db.cached(sql);
    s.bind(1, expr);
    if (!entity.empty()) s.bind(2, entity);
    while (s.step()) ids.push_back(s.getText(0));
    s.reset();
    if (pending)
        for (auto& p : scanPending(db, scanTerms(query), entity)) ids.push_back(std::move(p.id));
    return ids;
}

std::vector<int64_t> searchRowids(Database& db, const std::string& query) {
    std::string expr = matchExpression(query);
    std::vector<int64_t> rids;
    if (expr.empty()) return rids;
    const bool pending = anyPending(db);
    std::string sql = "SELECT rowid FROM search_index WHERE search_index MATCH ?1";
    if (pending) sql += " AND rowid NOT IN (SELECT rid FROM search_pending)";
    auto& s = db.cached(sql + " ORDER BY rowid");
    s.bind(1, expr);
    while (s.step()) rids.push_back(s.getInt(0));
    s.reset();
    if (pending) {
        for (const auto& p : scanPending(db, scanTerms(query), {})) rids.push_back(p.rid);
        std::sort(rids.begin(), rids.end());
    }
    return rids;
}

}  // namespace jc
