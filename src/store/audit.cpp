#include "store/audit.h"

#include "base/sha256.h"
#include "core/dates.h"

namespace jc {

namespace {
std::string eventHash(const std::string& prev, const std::string& at, const std::string& actor, const std::string& action,
                      const std::string& entity, const std::string& id, const std::string& detail) {
    // Unit separators keep field boundaries unambiguous.
    std::string buf = prev + '\x1f' + at + '\x1f' + actor + '\x1f' + action + '\x1f' + entity + '\x1f' + id + '\x1f' + detail;
    return sha256Hex(buf);
}
}  // namespace

void appendAudit(Database& db, const std::string& actor, const std::string& action, const std::string& entity,
                 const std::string& entityId, const Json& detail) {
    auto& last = db.cached("SELECT hash FROM audit_event ORDER BY seq DESC LIMIT 1");
    std::string prev = last.step() ? last.getText(0) : std::string(64, '0');
    last.reset();
    std::string at = nowIso();
    std::string d = detail.is_null() ? std::string() : detail.dump();
    auto& ins = db.cached(
        "INSERT INTO audit_event(at, actor, action, entity, entity_id, detail, prev_hash, hash) VALUES(?,?,?,?,?,?,?,?)");
    ins.bind(1, at).bind(2, actor).bind(3, action).bind(4, entity).bind(5, entityId).bind(6, d).bind(7, prev);
    ins.bind(8, eventHash(prev, at, actor, action, entity, entityId, d));
    ins.run();
}

AuditCheck verifyAudit(Database& db) {
    AuditCheck r;
    auto s = db.prepare("SELECT seq, at, actor, action, entity, entity_id, detail, prev_hash, hash FROM audit_event ORDER BY seq");
    std::string prev(64, '0');
    int64_t expectSeq = 0;
    while (s.step()) {
        ++r.events;
        int64_t seq = s.getInt(0);
        auto fail = [&](const std::string& why) {
            r.ok = false;
            r.firstBadSeq = seq;
            r.problem = why;
        };
        if (expectSeq && seq != expectSeq + 1) {
            fail("event(s) missing before seq " + std::to_string(seq));
            return r;
        }
        expectSeq = seq;
        if (s.getText(7) != prev) {
            fail("chain broken at seq " + std::to_string(seq) + ": previous hash does not match");
            return r;
        }
        std::string h = eventHash(prev, s.getText(1), s.getText(2), s.getText(3), s.getText(4), s.getText(5), s.getText(6));
        if (h != s.getText(8)) {
            fail("event " + std::to_string(seq) + " was altered: its hash does not match its content");
            return r;
        }
        prev = h;
    }
    // Removing the newest events leaves a valid chain; AUTOINCREMENT remembers the highest seq
    // ever handed out, so a cut-off tail still shows.
    int64_t issued = db.queryInt("SELECT seq FROM sqlite_sequence WHERE name = 'audit_event'", 0);
    if (issued > expectSeq) {
        r.ok = false;
        r.firstBadSeq = expectSeq + 1;
        r.problem = "event(s) from seq " + std::to_string(expectSeq + 1) + " to " + std::to_string(issued) + " were removed";
    }
    return r;
}

}  // namespace jc
