#include "sync/server/server_audit.h"

#include "base/sha256.h"
#include "core/dates.h"

namespace jc::server {

namespace {
constexpr const char* kHeadSetting = "audit_head";
const std::string kGenesis(64, '0');
constexpr int kVerifyPage = 2000;
}  // namespace

std::string auditEntryHash(const AuditRecord& r) {
    // Unit separators keep the field boundaries unambiguous.
    const char us = '\x1f';
    std::string buf = r.prevHash + us + std::to_string(r.seq) + us + r.at + us + r.actor + us + r.deviceId + us +
                      r.action + us + r.target + us + r.targetId + us + r.detail;
    return sha256Hex(buf);
}

void appendServerAudit(StorageTx& tx, const AuditActor& who, const std::string& action, const std::string& target,
                       const std::string& targetId, const Json& detail) {
    auto last = tx.lastAudit();
    AuditRecord r;
    r.seq = last ? last->seq + 1 : 1;
    r.at = nowIso();
    r.actor = who.name;
    r.deviceId = who.deviceId;
    r.action = action;
    r.target = target;
    r.targetId = targetId;
    r.detail = detail.is_null() ? std::string() : detail.dump(-1, ' ', false, Json::error_handler_t::replace);
    r.prevHash = last ? last->hash : kGenesis;
    r.hash = auditEntryHash(r);
    tx.insertAudit(r);
    tx.setSetting(kHeadSetting, std::to_string(r.seq) + " " + r.hash);
}

ServerAuditCheck verifyServerAudit(ServerStorage& storage) {
    ServerAuditCheck c;
    auto tx = storage.read();
    std::string prev = kGenesis;
    int64_t expect = 1;
    auto fail = [&](int64_t seq, std::string why) {
        c.ok = false;
        c.firstBadSeq = seq;
        c.problem = std::move(why);
        return c;
    };
    for (int64_t after = 0;;) {
        auto page = tx->auditAfter(after, kVerifyPage);
        for (const auto& r : page) {
            if (r.seq != expect)
                return fail(expect, "entry(s) " + std::to_string(expect) + " to " + std::to_string(r.seq - 1) +
                                        " were removed");
            if (r.prevHash != prev)
                return fail(r.seq, "the chain is broken at entry " + std::to_string(r.seq) +
                                       ": its previous hash does not match entry " + std::to_string(r.seq - 1));
            if (auditEntryHash(r) != r.hash)
                return fail(r.seq,
                            "entry " + std::to_string(r.seq) + " was altered: its hash does not match its content");
            prev = r.hash;
            ++expect;
            ++c.entries;
            after = r.seq;
        }
        if (static_cast<int>(page.size()) < kVerifyPage) break;
    }
    std::string head = tx->setting(kHeadSetting).value_or("");
    std::string have = c.entries == 0 ? std::string() : std::to_string(expect - 1) + " " + prev;
    if (head != have) {
        auto sp = head.find(' ');
        std::string headSeq = sp == std::string::npos ? head : head.substr(0, sp);
        if (!headSeq.empty() && headSeq != std::to_string(expect - 1))
            return fail(expect,
                        "entries after " + std::to_string(expect - 1) + " (up to " + headSeq + ") were removed");
        return fail(expect - 1, "the newest entry does not match the recorded head of the log");
    }
    return c;
}

}  // namespace jc::server
