#pragma once
// Push and pull (DESIGN.md §4), independent of HTTP so tests and the benchmark can drive them.
//
// Push: the server keeps last_seq per (device, db_incarnation) and updates it in the same write
// transaction as the effects. Changes must come in outbox order with consecutive seq values.
// seq <= last_seq is a duplicate (answered with the stored first result, status "duplicate"); the
// first new seq must be last_seq + 1, otherwise the whole push is refused with 409 seq_gap and
// expected_seq (nothing changed). The first push of a new incarnation may start at any seq.
// A change refused for good (permission, validation, workflow) still advances last_seq.
//
// Pull and scope growth: visibility is computed at read time from each record's current scope, so
// a pull never returns what the user may not see now. When what a user may see grows (the user
// moves team or changes role, or a user record moves into their team), the server bumps the
// user's scope_epoch. Every pull answer carries scope_epoch; a client sends back the epoch it
// holds (?scope_epoch=E) and when it differs the server starts again from cursor 0 and says
// "reset": true, so the newly visible records arrive. Re-applying known changes is harmless
// (same values, same versions).
#include <optional>

#include "core/hlc.h"
#include "sync/protocol/protocol.h"
#include "sync/server/auth.h"
#include "sync/server/group_commit.h"
#include "sync/server/storage.h"

namespace jc::server {

// Throws ApiError for request-level refusals (403 device mismatch, 413 batch too large,
// 400 non-consecutive seq, 409 seq gap). The push joins the server's group commit
// (group_commit.h): it is answered once the transaction holding it has committed, and a refused
// push changes nothing, also not the other pushes of its group.
// `requestBytes` (the body's size) counts towards the group's byte bound.
proto::PushResponse handlePush(GroupCommit& group, HybridClock& clock, const Principal& who,
                               const proto::PushRequest& req, size_t requestBytes = 0);

// The pull answer as JSON text (what GET /v1/pull sends): stored field JSON is passed through
// without being parsed and serialised again. `clientSchema` is the schema the device announced:
// an older one gets only the entities and fields it knows (proto::fieldKnownAtSchema), while
// next_cursor still covers the whole page, so the device neither skips what it can read nor stalls.
std::string pullResponseBody(ServerStorage& storage, const Principal& who, int64_t cursor, int limit,
                             std::optional<int64_t> clientEpoch, int clientSchema = proto::kSchemaVersion);

}  // namespace jc::server
