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

// Since schema 11 an event keeps its hash as the 32 bytes of the digest (not 64 hex digits) and
// no copy of the previous event's hash (the chain follows seq): 160 bytes less per event. The
// chained value stays the hex text, so events written before (hex text) verify alike.
constexpr size_t kDigestBytes = 32;

std::string digestBytes(const std::string& hex) {
    std::string out(hex.size() / 2, '\0');
    for (size_t i = 0; i < out.size(); ++i) out[i] = static_cast<char>(std::stoi(hex.substr(2 * i, 2), nullptr, 16));
    return out;
}

std::string storedHashHex(const Statement& s, int col) {
    std::string v = s.getBlob(col);
    return v.size() == kDigestBytes ? toHex(v.data(), v.size()) : v;
}
}  // namespace

void appendAudit(Database& db, const std::string& actor, const std::string& action, const std::string& entity,
                 const std::string& entityId, const Json& detail) {
    auto& last = db.cached("SELECT hash FROM audit_event ORDER BY seq DESC LIMIT 1");
    std::string prev = last.step() ? storedHashHex(last, 0) : std::string(64, '0');
    last.reset();
    std::string at = nowIso();
    std::string d = detail.is_null() ? std::string() : detail.dump();
    auto& ins = db.cached("INSERT INTO audit_event(at, actor, action, entity, entity_id, detail, hash) VALUES(?,?,?,?,?,?,?)");
    ins.bind(1, at).bind(2, actor).bind(3, action).bind(4, entity).bind(5, entityId).bind(6, d);
    ins.bindBlob(7, digestBytes(eventHash(prev, at, actor, action, entity, entityId, d)));
    ins.run();
}

AuditCheck verifyAudit(Database& db) {
    AuditCheck r;
    auto s = db.prepare("SELECT seq, at, actor, action, entity, entity_id, detail, hash FROM audit_event ORDER BY seq");
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
        // An event's hash covers the previous event's hash: an event edited with its own hash
        // recomputed still breaks the next one.
        std::string h = eventHash(prev, s.getText(1), s.getText(2), s.getText(3), s.getText(4), s.getText(5), s.getText(6));
        if (h != storedHashHex(s, 7)) {
            fail("event " + std::to_string(seq) + " was altered (or the one before it): its hash does not match");
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

std::vector<AuditEvent> listAudit(Database& db, int64_t afterSeq, int limit, const std::string& action) {
    auto s = db.prepare(
        "SELECT seq, at, actor, action, entity, entity_id, detail FROM audit_event WHERE seq > ? AND (? = '' OR action = ?) "
        "ORDER BY seq LIMIT ?");
    s.bind(1, afterSeq).bind(2, action).bind(3, action).bind(4, static_cast<int64_t>(limit));
    std::vector<AuditEvent> out;
    while (s.step()) {
        AuditEvent e{s.getInt(0), s.getText(1), s.getText(2), s.getText(3), s.getText(4), s.getText(5), nullptr};
        std::string d = s.getText(6);
        if (!d.empty()) e.detail = Json::parse(d, nullptr, false);
        out.push_back(std::move(e));
    }
    return out;
}

}  // namespace jc
