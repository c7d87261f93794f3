#pragma once
// The store side of sync (DESIGN.md §4), with no network code: reading the outbox in seq
// order, recording the server's answer to a push, applying pulled changes and keeping the
// pull cursor — each in one local transaction. sync/client moves these over HTTP.
#include <optional>
#include <string>
#include <vector>

#include "core/entities.h"
#include "store/store.h"

namespace jc {

struct OutboxChange {
    int64_t seq = 0;  // local, strictly increasing per (device, incarnation); the server's idempotency key
    std::string changeId, entity, entityId;
    Json fields, baseVersions;
    std::string hlc, userId, createdAt;
};

// Oldest pending changes first, at most `limit`, with seq > afterSeq.
std::vector<OutboxChange> pendingChanges(Database& db, int limit, int64_t afterSeq = 0);
int64_t pendingCount(Database& db);

// The server's verdict on one pushed change.
struct PushResult {
    std::string changeId;
    std::string status;     // applied | duplicate | applied_with_conflict | rejected
    Json versions;          // field -> server version now holding this device's value (object, may be empty)
    Json winners;           // field -> {value, version}: the server's value instead of ours (a conflict we
                            // lost, or a rejected change of a record the server has), object
    std::string reason;     // for rejected: "code: message"
    std::string reasonCode, detail;  // rejected: the protocol's reason and detail codes
    Json params = Json::object();    // rejected: the detail's parameters
    Json serverValues = nullptr;     // rejected: HQ's values of the refused fields (null: HQ has no such record)
};

// After a sync has emptied the outbox: gives the store's free pages back to the file system
// when there are at least kReleasePages (stores created since schema 11 use
// auto_vacuum=INCREMENTAL; older ones keep free pages for reuse, and this does nothing). It moves
// pages (a 10,000-finding first sync leaves ~34 MB free; ~3 s on a loaded machine), so it runs
// after a sync round, outside the push. Returns the pages released.
inline constexpr int64_t kReleasePages = 1024;
int64_t releaseFreePages(Database& db);

// Removes acknowledged changes from the outbox, records the server versions they now hold,
// applies the server's value of any field our change lost or the server refused (when no newer
// local edit is pending), and keeps rejected changes in sync_rejection so the user sees them.
// One transaction.
void recordPushResults(Store& store, const std::vector<PushResult>& results);

struct RemoteChange {
    int64_t serverSeq = 0;
    std::string entity, entityId;
    Json fields;    // name -> value (decoded kinds, as on the wire)
    Json versions;  // name -> server version
    std::string author, hlc;
};

struct ApplyStats {
    int applied = 0;          // changes that touched at least one field
    int created = 0;          // records new to this device
    int fieldsKeptLocal = 0;  // fields skipped because a local edit is pending (it will be pushed)
    int fieldsUnknown = 0;    // fields this client version does not know (ignored)
};

// Applies one pulled page and advances the cursor to `nextCursor`, in one transaction. Pulled
// values never overwrite fields with pending local changes.
ApplyStats applyRemoteChanges(Store& store, const std::vector<RemoteChange>& changes, int64_t nextCursor);
int64_t pullCursor(Store& store);

struct Rejection {
    std::string changeId, entity, entityId, reason, at;
    Json fields;
    std::string reasonCode, detail;  // "" for rejections recorded before these were kept
    Json params = Json::object();
    Json serverValues = nullptr;     // HQ's values of the refused fields when refused; null when HQ had no record
    bool creation = false;           // the refused change created the record
};
std::vector<Rejection> listRejections(Database& db, int limit = 200);
std::optional<Rejection> findRejection(Database& db, const std::string& changeId);
// Forgets a rejection (the user resent or discarded it). True when there was one.
bool removeRejection(Database& db, const std::string& changeId);

}  // namespace jc
