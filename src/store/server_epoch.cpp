#include "store/server_epoch.h"

#include <algorithm>

#include "core/dates.h"
#include "store/audit.h"
#include "store/sync_state.h"

namespace jc {

namespace {
constexpr const char* kEpochMeta = "sync_server_epoch";
}

void pruneSentChanges(Database& db) {
    auto& del = db.cached("DELETE FROM sent_change WHERE acked_at < ?");
    del.bind(1, isoTimestamp(nowMillis() - static_cast<int64_t>(kSentChangeKeepDays) * 86'400'000));
    del.run();
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
        auto& requeue = db.cached(
            "INSERT OR IGNORE INTO outbox(seq, change_id, entity, entity_id, fields, base_versions, hlc, user_id, "
            "created_at) SELECT seq, change_id, entity, entity_id, fields, base_versions, hlc, user_id, created_at "
            "FROM sent_change WHERE server_seq > ? ORDER BY seq");
        requeue.bind(1, epochSeq);
        requeue.run();
        out.requeued = static_cast<int>(db.changes());
        auto& forget = db.cached("DELETE FROM sent_change WHERE server_seq > ?");
        forget.bind(1, epochSeq);
        forget.run();
        auto& lower = db.cached("UPDATE field_meta SET version = ? WHERE version > ?");
        lower.bind(1, epochSeq).bind(2, epochSeq);
        lower.run();
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
