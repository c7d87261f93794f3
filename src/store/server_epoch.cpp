#include "store/server_epoch.h"

#include <algorithm>

#include "base/deflate.h"
#include "core/dates.h"
#include "core/error.h"
#include "store/audit.h"
#include "store/field_versions.h"
#include "store/sync_state.h"

namespace jc {

namespace {
constexpr const char* kEpochMeta = "sync_server_epoch";
// A batch body: one format byte, the inflated size (4 bytes, little-endian), zlib data of a JSON
// array of changes, each [seq, change_id, entity, entity_id, fields, base_versions, hlc, user_id,
// created_at, server_seq]. A push batch stays far below the limit; a larger one is split.
constexpr char kBodyFormat = 1;
constexpr size_t kMaxInflated = 64u << 20;
constexpr size_t kChangesPerRow = 1000;

std::string packBody(const std::vector<const SentChange*>& changes) {
    Json arr = Json::array();
    for (const SentChange* c : changes)
        arr.push_back({c->seq, c->changeId, c->entity, c->entityId, c->fields, c->baseVersions, c->hlc, c->userId,
                       c->createdAt, c->serverSeq});
    std::string json = arr.dump();
    if (json.size() > kMaxInflated) throw StorageError("sent_batch: batch of " + std::to_string(json.size()) + " bytes");
    std::string out(5, '\0');
    out[0] = kBodyFormat;
    for (int i = 0; i < 4; ++i) out[1 + i] = static_cast<char>((json.size() >> (8 * i)) & 0xff);
    out += deflateEncode(json, DeflateFormat::Zlib, 6);
    return out;
}

std::vector<SentChange> unpackBody(const std::string& body) {
    auto bad = [](const std::string& why) { return StorageError("sent_batch: unreadable batch (" + why + ")"); };
    if (body.size() < 5 || body[0] != kBodyFormat) throw bad("format");
    size_t size = 0;
    for (int i = 0; i < 4; ++i) size |= static_cast<size_t>(static_cast<unsigned char>(body[1 + i])) << (8 * i);
    if (size > kMaxInflated) throw bad("size");
    // Exactly the size the header states: no more (the limit) and no less.
    Inflated json = deflateDecode(std::string_view(body).substr(5), DeflateFormat::Zlib, size);
    if (!json.ok()) throw bad(json.error);
    if (json.data.size() != size) throw bad("size");
    Json arr = Json::parse(json.data, nullptr, false);
    if (!arr.is_array()) throw bad("json");
    std::vector<SentChange> out;
    out.reserve(arr.size());
    for (const auto& e : arr) {
        if (!e.is_array() || e.size() != 10) throw bad("entry");
        out.push_back({e[0].get<int64_t>(), e[9].get<int64_t>(), e[1].get<std::string>(), e[2].get<std::string>(),
                       e[3].get<std::string>(), e[4].get<std::string>(), e[5].get<std::string>(), e[6].get<std::string>(),
                       e[7].get<std::string>(), e[8].get<std::string>()});
    }
    return out;
}

void insertBatch(Database& db, const std::vector<const SentChange*>& changes, int64_t ackedMs) {
    if (changes.empty()) return;
    int64_t maxServerSeq = 0;
    for (const SentChange* c : changes) maxServerSeq = std::max(maxServerSeq, c->serverSeq);
    auto& ins = db.cached("INSERT INTO sent_batch(acked_at, max_server_seq, changes, body) VALUES(?,?,?,?)");
    ins.bind(1, ackedMs).bind(2, maxServerSeq).bind(3, static_cast<int64_t>(changes.size())).bindBlob(4, packBody(changes));
    ins.run();
}

void keepAt(Database& db, const std::vector<SentChange>& changes, int64_t ackedMs) {
    std::vector<const SentChange*> part;
    for (const auto& c : changes) {
        part.push_back(&c);
        if (part.size() == kChangesPerRow) insertBatch(db, part, ackedMs), part.clear();
    }
    insertBatch(db, part, ackedMs);
}
}  // namespace

void keepSentChanges(Database& db, const std::vector<SentChange>& changes) { keepAt(db, changes, nowMillis()); }

std::vector<SentChange> sentChanges(Database& db) {
    std::vector<SentChange> out;
    auto s = db.prepare("SELECT body FROM sent_batch ORDER BY id");
    while (s.step())
        for (auto& c : unpackBody(s.getBlob(0))) out.push_back(std::move(c));
    std::stable_sort(out.begin(), out.end(), [](const SentChange& a, const SentChange& b) { return a.seq < b.seq; });
    return out;
}

void pruneSentChanges(Database& db) {
    auto& del = db.cached("DELETE FROM sent_batch WHERE acked_at < ?");
    del.bind(1, nowMillis() - static_cast<int64_t>(kSentChangeKeepDays) * 86'400'000);
    del.run();
}

void archiveLegacySentChanges(Database& db) {
    std::vector<SentChange> changes;
    int64_t ackedMs = 0;
    auto s = db.prepare(
        "SELECT seq, server_seq, change_id, entity, entity_id, fields, base_versions, hlc, user_id, created_at, acked_at "
        "FROM sent_change ORDER BY seq");
    while (s.step()) {
        changes.push_back({s.getInt(0), s.getInt(1), s.getText(2), s.getText(3), s.getText(4), s.getText(5),
                           s.getText(6), s.getText(7), s.getText(8), s.getText(9)});
        ackedMs = std::max(ackedMs, parseIsoTimestamp(s.getText(10)).value_or(nowMillis()));
    }
    s.reset();
    keepAt(db, changes, ackedMs);
    db.exec("DROP TABLE sent_change");
}

EpochOutcome adoptServerEpoch(Store& store, const std::string& epoch, int64_t epochSeq) {
    EpochOutcome out;
    if (epoch.empty()) return out;
    auto known = store.meta(kEpochMeta);
    if (known && *known == epoch) return out;
    Database& db = store.db();
    Transaction tx(db);
    if (known && !known->empty()) {
        out.restored = true;
        // The batches holding changes the server numbered after epochSeq: those changes go back
        // to the outbox (original order, ids, fields and base versions); the rest stay kept.
        std::vector<SentChange> requeue;
        std::vector<std::pair<int64_t, std::vector<SentChange>>> rewrite;
        std::vector<int64_t> rows;
        {
            auto s = db.prepare("SELECT id, acked_at, body FROM sent_batch WHERE max_server_seq > ?");
            s.bind(1, epochSeq);
            while (s.step()) {
                std::vector<SentChange> keep;
                for (auto& c : unpackBody(s.getBlob(2)))
                    (c.serverSeq > epochSeq ? requeue : keep).push_back(std::move(c));
                rows.push_back(s.getInt(0));
                rewrite.emplace_back(s.getInt(1), std::move(keep));
            }
        }
        for (int64_t row : rows) {
            auto& del = db.cached("DELETE FROM sent_batch WHERE id = ?");
            del.bind(1, row);
            del.run();
        }
        for (const auto& [ackedMs, keep] : rewrite) keepAt(db, keep, ackedMs);
        std::stable_sort(requeue.begin(), requeue.end(), [](const SentChange& a, const SentChange& b) { return a.seq < b.seq; });
        auto& ins = db.cached(
            "INSERT OR IGNORE INTO outbox(seq, change_id, entity, entity_id, fields, base_versions, hlc, user_id, "
            "created_at) VALUES(?,?,?,?,?,?,?,?,?)");
        for (const auto& c : requeue) {
            ins.bind(1, c.seq).bind(2, c.changeId).bind(3, c.entity).bind(4, c.entityId).bind(5, c.fields);
            ins.bind(6, c.baseVersions).bind(7, c.hlc).bind(8, c.userId).bind(9, c.createdAt);
            ins.run();
            out.requeued += static_cast<int>(db.changes());
            ins.reset();
        }
        lowerFieldVersionsAbove(db, epochSeq);
        out.pullCursorBefore = pullCursor(store);
        out.pullCursorAfter = std::min(out.pullCursorBefore, epochSeq);
        store.setMeta("pull_cursor", std::to_string(out.pullCursorAfter));
        store.renewIncarnation();
        appendAudit(db, "sync", "server_restored", "", "",
                    {{"epoch", epoch},
                     {"epoch_seq", epochSeq},
                     {"requeued", out.requeued},
                     {"pull_cursor_before", out.pullCursorBefore},
                     {"pull_cursor_after", out.pullCursorAfter}});
    }
    store.setMeta(kEpochMeta, epoch);
    tx.commit();
    return out;
}

}  // namespace jc
