#pragma once
// What a server answers for an outbox change it applied without a conflict: every field of the
// change now held at `serverVersion`. For tests and benchmarks that acknowledge a store's outbox
// the way a push answer does (store/sync_state.h recordPushResults) without a server.
#include "store/sync_state.h"

namespace jc::test {

inline PushResult appliedAnswer(const OutboxChange& c, int64_t serverVersion) {
    PushResult r;
    r.changeId = c.changeId;
    r.status = "applied";
    r.versions = Json::object();
    r.winners = Json::object();
    for (auto it = c.fields.begin(); it != c.fields.end(); ++it) r.versions[it.key()] = serverVersion;
    return r;
}

}  // namespace jc::test
