#pragma once
// Append-only, hash-chained audit log. Each event's hash covers the previous hash and the
// event's own content, so editing or removing any row breaks verification from there on.
#include <string>
#include <vector>

#include "core/entities.h"
#include "base/db.h"

namespace jc {

struct AuditCheck {
    bool ok = true;
    int64_t events = 0;
    int64_t firstBadSeq = 0;  // 0 when ok
    std::string problem;
};

// Appends one event (call inside the transaction of the change it records).
void appendAudit(Database& db, const std::string& actor, const std::string& action, const std::string& entity,
                 const std::string& entityId, const Json& detail);
AuditCheck verifyAudit(Database& db);

struct AuditEvent {
    int64_t seq = 0;
    std::string at, actor, action, entity, entityId;
    Json detail;  // null when none
};
// Events after `afterSeq`, oldest first, at most `limit`; only `action`'s when it is not empty.
std::vector<AuditEvent> listAudit(Database& db, int64_t afterSeq, int limit, const std::string& action = "");

}  // namespace jc
