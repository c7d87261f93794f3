#pragma once
// The server's audit log: every administrative action (teams, users, campaigns, enrolment codes,
// device revokes) and every sensitive one (device enrolment) is written as one entry — who, from
// which device, what, to which object, when — in the same transaction as the action itself.
//
// Chained like the device's audit log (src/store/audit.h): each entry's hash covers the previous
// entry's hash and its own content, so editing or removing an entry breaks verification from there
// on. The storage refuses UPDATE and DELETE on the table (triggers on both backends); the newest
// entry's number and hash are also kept as a setting ("audit_head"), so cutting entries off the end
// shows too. Someone with full write access to the database can still rewrite the whole chain and
// the head: the chain proves the log was not edited through the server, not that the database
// itself was never replaced (back it up off the machine for that).
#include <cstdint>
#include <string>

#include "core/entities.h"
#include "sync/server/storage.h"

namespace jc::server {

struct AuditActor {
    std::string name;      // user name
    std::string deviceId;  // empty for the command line on the server
};
inline const AuditActor kCliActor{"admin-cli", ""};

// Appends one entry inside `tx` (the caller commits it with the action).
void appendServerAudit(StorageTx& tx, const AuditActor& who, const std::string& action, const std::string& target,
                       const std::string& targetId, const Json& detail = nullptr);

struct ServerAuditCheck {
    bool ok = true;
    int64_t entries = 0;
    int64_t firstBadSeq = 0;  // 0 when ok
    std::string problem;
};
ServerAuditCheck verifyServerAudit(ServerStorage& storage);

// The hash of one entry (exposed for the tests that tamper with the log).
std::string auditEntryHash(const AuditRecord& r);

}  // namespace jc::server
