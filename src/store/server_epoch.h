#pragma once
// The device side of the server's epoch (the server makes a new one on every restore from a
// backup and tells it, with the last sequence number the backup held, on /v1/version).
//
// A device keeps what the server acknowledged for kSentChangeKeepDays after it left the outbox
// (table sent_change). When the epoch it knew changes, the server has lost every change it
// numbered after epochSeq, including this device's push bookkeeping. adoptServerEpoch then, in
// one transaction: queues again the acknowledged changes the server numbered after epochSeq
// (original change ids, fields and base versions, in their original order ahead of anything
// pending); takes a fresh incarnation, so the server treats the next push as a new sequence
// instead of answering seq_gap; moves the pull cursor back to epochSeq at most; and lowers every
// field version above epochSeq to epochSeq, so the server's new changes (numbered from
// epochSeq + 1 again) are not mistaken for ones already held. Audited as "server_restored".
// A restore from a backup older than kSentChangeKeepDays loses what devices pushed before that.
#include <cstdint>
#include <string>
#include <vector>

#include "store/store.h"

namespace jc {

inline constexpr int kSentChangeKeepDays = 30;

// One acknowledged change, as kept: what the outbox held, and the highest server version it got.
struct SentChange {
    int64_t seq = 0, serverSeq = 0;
    std::string changeId, entity, entityId, fields, baseVersions, hlc, userId, createdAt;
};

// Keeps the changes one push answer acknowledged (call in its transaction). They are kept
// together, one row of table sent_batch, zlib-compressed: a batch of similar records compresses
// about 6x where each change alone only 1.5x (a 10,000-finding first sync kept ~41 MB as rows
// of their own, ~5 MB as batches; tests/bench/store_bench). Kept verbatim (the fields and base
// versions as the outbox held them), so a re-sent change is the same bytes as the first push.
void keepSentChanges(Database& db, const std::vector<SentChange>& changes);
// Every kept change, in seq order (what a restore could queue again).
std::vector<SentChange> sentChanges(Database& db);
// Forgets acknowledged changes older than kSentChangeKeepDays (runs with every push answer).
void pruneSentChanges(Database& db);
// Schema 11: moves the rows of the old table sent_change (one per change, uncompressed) into
// batches and drops it. Kept from the latest acknowledgement of the changes in a batch.
void archiveLegacySentChanges(Database& db);

struct EpochOutcome {
    bool restored = false;  // the epoch changed and the device recovered
    int requeued = 0;       // changes queued again
    int64_t pullCursorBefore = 0, pullCursorAfter = 0;
};

// The first epoch a device sees is only remembered. Empty `epoch` (an older server): nothing.
EpochOutcome adoptServerEpoch(Store& store, const std::string& epoch, int64_t epochSeq);

}  // namespace jc
