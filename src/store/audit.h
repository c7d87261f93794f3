#pragma once
// Append-only, hash-chained audit log. Each event's hash covers the previous hash and the
// event's own content, so editing or removing any row breaks verification from there on.
#include <string>

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

}  // namespace jc
