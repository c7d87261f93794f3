#include "sync/server/apply.h"

#include <cstdio>

#include "core/dates.h"
#include "core/error.h"
#include "core/uuid.h"
#include "core/workflow.h"
#include "sync/server/clock_guard.h"
#include "sync/server/server_calendar.h"
#include "sync/server/policy.h"
#include "sync/server/region_scope.h"

namespace jc::server {

namespace {

bool isImmutableCommon(const std::string& k) { return isCommonField(k) && k != "deleted"; }

// "entity/id/status": one workflow step of one record within a push batch.
std::string stepKey(const std::string& entity, const std::string& id, const std::string& status) {
    return entity + "/" + id + "/" + status;
}

Json withoutCommon(const Json& fields) {
    Json body = Json::object();
    for (auto it = fields.begin(); it != fields.end(); ++it)
        if (!isImmutableCommon(it.key())) body[it.key()] = *it;
    return body;
}

HlcStamp decodeOrZero(const std::string& s) {
    try {
        return HlcStamp::decode(s);
    } catch (const Error&) {
        return HlcStamp{};
    }
}

// Whether write A beats write B: the greater HLC wins, ties go to the greater device id.
bool firstWins(HlcStamp a, const std::string& devA, const std::string& hlcB, const std::string& devB) {
    HlcStamp b = decodeOrZero(hlcB);
    a.node = devA;  // the stamps' order (core/hlc.h), the device ids breaking ties
    b.node = devB;
    return b < a;
}

std::string hlcIso(const std::string& hlc) {
    HlcStamp s = decodeOrZero(hlc);
    return s.wallMs > 0 ? isoTimestamp(s.wallMs) : std::string();
}

bool visibleTo(const Principal& who, const Record& r) {
    if (who.role == Role::HqAdmin || r.scope == kScopeShared) return true;
    if (!r.teamId.empty() && r.teamId == who.account.teamId) return true;
    return r.entity == "user" && r.id == who.account.userId;
}

}  // namespace

Applier::Applier(StorageTx& tx, HybridClock& clock) : m_tx(tx), m_clock(clock) {}

std::string Applier::officialNumber(const std::string& prefix, int year, int64_t n) {
    char digits[24];
    std::snprintf(digits, sizeof digits, "%04lld", static_cast<long long>(n));
    return prefix + "〔" + std::to_string(year) + "〕" + digits + "号";
}

proto::ChangeResult Applier::applyPushed(const Principal& who, const proto::Change& c, PushBatch& batch) {
    proto::ChangeResult res;
    res.seq = c.seq;
    res.changeId = c.changeId;
    try {
        return applyOrReject(who, c, batch);
    } catch (const Rejection& r) {
        res.reason = r.reason;
        res.message = r.what();
        res.detail = r.detail;
        res.params = r.params;
    } catch (const ForbiddenError& e) {
        res.reason = proto::reason::kForbidden;
        res.message = e.what();
    } catch (const ValidationError& e) {
        res.reason = proto::reason::kInvalid;
        res.message = e.what();
    } catch (const NotFoundError& e) {
        res.reason = proto::reason::kNotFound;
        res.message = e.what();
    }
    res.status = proto::ChangeStatus::Rejected;
    // A refused status change takes the case event that records it down with it (PushBatch).
    if (std::string st = fieldText(c.fields, "status"); !st.empty())
        batch.m_refusedSteps.insert(stepKey(c.entity, c.entityId, st));
    // Tell the device what the server holds, so it can put its copy back (null for a field the
    // record has never had on the server).
    if (auto rec = m_tx.record(c.entity, c.entityId); rec && visibleTo(who, *rec)) {
        for (auto it = c.fields.begin(); it != c.fields.end(); ++it) {
            auto f = rec->fields.find(it.key());
            if (f == rec->fields.end()) {
                res.serverValues[it.key()] = nullptr;
                continue;
            }
            res.serverValues[it.key()] = f->second.value;
            res.versions[it.key()] = f->second.version;
        }
    }
    return res;
}

PushBatch::PushBatch(const std::vector<proto::Change>& changes) {
    for (const auto& c : changes) {
        if (c.entity != "case_event" || !c.fields.is_object()) continue;
        if (isBlank(fieldText(c.fields, "comment"))) continue;  // the same test the app's workflow makes
        m_commented.insert(stepKey(fieldText(c.fields, "entity"), fieldText(c.fields, "entity_id"),
                                   fieldText(c.fields, "to_status")));
    }
}

proto::ChangeResult Applier::applyOrReject(const Principal& who, const proto::Change& c, const PushBatch& batch) {
    Plan plan = planChange(who, c, batch);
    decideFields(c, plan);
    return carryOut(c, plan);
}

// [Phase 1] checks: who may write what, where, and which workflow step. Nothing is written
// until every check has passed; a refusal throws.
Applier::Plan Applier::planChange(const Principal& who, const proto::Change& c, const PushBatch& batch) {
    Plan p;
    const EntityDef& def = entityDef(c.entity);
    const std::string& entity = p.entity = def.name;
    if (!isUuid(c.entityId))
        throw ValidationError(entity + " id must be a UUID (8-4-4-4-12 lower-case hex), got '" + c.entityId + "'");
    if (c.userId != who.account.name)
        throw Rejection(proto::reason::kForbidden,
                        "this change was made by user '" + c.userId + "' but the device is enrolled for '" +
                            who.account.name + "'",
                        proto::detail::kWrongUser, {{"user", c.userId}, {"enrolled", who.account.name}});
    HlcStamp& stamp = p.stamp = HlcStamp::decode(c.hlc);
    const int64_t now = nowMillis();
    if (stamp.wallMs > now + proto::kMaxClockLeadMs) stamp.wallMs = now + proto::kMaxClockLeadMs;
    if (stamp.wallMs <= 0) throw ValidationError("HLC stamp has no wall time: " + c.hlc);
    p.hlc = stamp.encode();
    p.device = who.device.id;
    p.author = who.account.name;

    std::optional<Record> existing = m_tx.record(entity, c.entityId);
    const bool creating = p.creating = !existing;
    Json& body = p.body = withoutCommon(c.fields);
    if (creating) {
        auto it = c.fields.find("created_at");
        if (it == c.fields.end())
            throw Rejection(proto::reason::kNotFound,
                            entity + " " + c.entityId +
                                " does not exist on the server (its creation was never received or was rejected)",
                            proto::detail::kNotOnServer, {{"entity", entity}});
        if (!it->is_string() || !isIsoTimestamp(it->get<std::string>()))
            throw ValidationError(entity + ".created_at must be an ISO-8601 UTC timestamp");
        p.createdAt = it->get<std::string>();
    }
    // Times far ahead of ours come from a wrong device clock: our receipt time instead, flagged.
    guardFutureTimes(def, body, creating ? &p.createdAt : nullptr, now, [this] { return serverCalendar(m_tx); });
    validateFields(def, body, creating);

    Record& target = p.target;
    if (creating) {
        target.entity = entity;
        target.id = c.entityId;
        std::optional<Record> owner;
        if (auto ref = ownerRef(entity, body)) owner = m_tx.record(ref->first, ref->second);
        assignScope(target, body, owner ? &*owner : nullptr,
                    entity == "approval" ? teamOfRegion(m_tx, fieldText(body, "region_code")) : who.account.teamId);
    } else {
        target = std::move(*existing);
    }
    authorizeWrite(who.account, who.role, target, creating, body);
    checkRegionScope(who.account, who.role, target, body);
    const std::string& prevStatus = p.prevStatus = creating ? std::string() : target.text("status");
    if (entity == "case_event" && creating) {
        std::string to = fieldText(body, "to_status");
        if (fieldText(body, "from_status") != to &&
            batch.m_refusedSteps.count(stepKey(fieldText(body, "entity"), fieldText(body, "entity_id"), to)))
            throw Rejection(proto::reason::kInvalid,
                            "the status change this case event records was refused, so the event is refused too");
    }
    const std::string newStatus = fieldText(body, "status");
    const bool commentGiven = !newStatus.empty() && batch.m_commented.count(stepKey(entity, c.entityId, newStatus)) > 0;
    checkStatusChange(entity, who.role, creating, prevStatus, body, commentGiven);
    checkEntityRules(target, body);

    return p;
}

// Field by field: what is written, which conflicts the change wins (the old state is kept for
// the conflict record) and which it loses (the winner stays and is asserted again).
void Applier::decideFields(const proto::Change& c, Plan& p) {
    for (auto it = p.body.begin(); it != p.body.end(); ++it) {
        auto cur = p.creating ? p.target.fields.end() : p.target.fields.find(it.key());
        if (cur != p.target.fields.end()) {
            const FieldState& cs = cur->second;
            int64_t base = 0;
            if (auto b = c.baseVersions.find(it.key()); b != c.baseVersions.end()) base = b->get<int64_t>();
            if (cs.version > base && cs.deviceId != p.device && cs.value != *it) {
                if (!firstWins(p.stamp, p.device, cs.hlc, cs.deviceId)) {
                    p.lost.push_back({it.key(), cs});
                    continue;
                }
                p.overwritten.emplace_back(it.key(), cs);
            }
        }
        p.written[it.key()] = *it;
    }
}

// [Phase 2] effects. A failure here is a server fault: the whole push transaction rolls back.
proto::ChangeResult Applier::carryOut(const proto::Change& c, Plan& p) {
    const std::string& entity = p.entity;
    const std::string& hlc = p.hlc;
    const std::string& device = p.device;
    const std::string& author = p.author;
    const bool creating = p.creating;
    Record& target = p.target;
    Json& written = p.written;
    proto::ChangeResult res;
    res.seq = c.seq;
    res.changeId = c.changeId;
    try {
        if (creating || !written.empty()) {
            Json logFields = written;
            if (creating) {
                logFields["created_at"] = p.createdAt;
                logFields["created_by"] = author;
            }
            LogEntry e{0, entity, c.entityId, logFields, author, device, hlc, c.changeId};
            int64_t seq = m_tx.appendChange(e);
            for (auto it = logFields.begin(); it != logFields.end(); ++it)
                target.fields[it.key()] = FieldState{*it, seq, author, device, hlc};
            if (creating) target.createdSeq = seq;
            res.serverSeq = seq;
            for (auto it = written.begin(); it != written.end(); ++it) res.versions[it.key()] = seq;
            afterWrite(target, written);
            m_tx.putRecord(target);
        }
        for (const auto& [field, old] : p.overwritten)
            res.conflicts.push_back({field, true, createConflict(target, field, target.fields[field], old)});
        if (!p.lost.empty()) {
            Json again = Json::object();
            for (const auto& l : p.lost) {
                FieldState mine{p.body[l.field], 0, author, device, hlc};
                res.conflicts.push_back({l.field, false, createConflict(target, l.field, l.winner, mine)});
                again[l.field] = l.winner.value;
            }
            // Re-assert the winners with a new version so every device, the loser included, converges.
            LogEntry e{0, entity, c.entityId, again, kServerAuthor, kServerDevice, m_clock.now().encode(), ""};
            int64_t seq = m_tx.appendChange(e);
            for (const auto& l : p.lost) {
                target.fields[l.field].version = seq;
                res.versions[l.field] = seq;
                res.serverValues[l.field] = l.winner.value;
            }
            m_tx.putRecord(target);
        }
        if (entity == "finding" && p.prevStatus == "submitted" && written.contains("status") &&
            written["status"] == "accepted" && target.text("official_number").empty())
            assignOfficialNumber(target);
    } catch (const StorageError&) {
        throw;
    } catch (const Error& e) {
        throw StorageError(std::string("internal error while applying a change: ") + e.what());
    }
    res.status = res.conflicts.empty() ? proto::ChangeStatus::Applied : proto::ChangeStatus::AppliedWithConflict;
    return res;
}

int64_t Applier::writeServerChange(const std::string& entity, const std::string& id, Json fields,
                                   const std::string& author) {
    const EntityDef& def = entityDef(entity);
    if (!isUuid(id)) throw ValidationError(entity + " id must be a UUID: " + id);
    std::optional<Record> existing = m_tx.record(entity, id);
    const bool creating = !existing;
    Json body = withoutCommon(fields);
    validateFields(def, body, creating);
    Record target;
    if (creating) {
        target.entity = entity;
        target.id = id;
        std::optional<Record> owner;
        if (auto ref = ownerRef(entity, body)) owner = m_tx.record(ref->first, ref->second);
        assignScope(target, body, owner ? &*owner : nullptr,
                    entity == "approval" ? teamOfRegion(m_tx, fieldText(body, "region_code")) : "");
    } else {
        target = std::move(*existing);
    }
    checkEntityRules(target, body);

    const std::string hlc = m_clock.now().encode();
    Json logFields = body;
    if (creating) {
        logFields["created_at"] = nowIso();
        logFields["created_by"] = author;
    }
    LogEntry e{0, entity, id, logFields, author, kServerDevice, hlc, ""};
    int64_t seq = m_tx.appendChange(e);
    for (auto it = logFields.begin(); it != logFields.end(); ++it)
        target.fields[it.key()] = FieldState{*it, seq, author, kServerDevice, hlc};
    if (creating) target.createdSeq = seq;
    afterWrite(target, body);
    m_tx.putRecord(target);
    return seq;
}

void Applier::checkEntityRules(const Record& target, const Json& f) {
    if (target.entity == "user") {
        if (auto it = f.find("role"); it != f.end() && it->is_string()) parseRole(it->get<std::string>());
        if (auto it = f.find("name"); it != f.end() && it->is_string()) {
            auto other = m_tx.accountByName(it->get<std::string>());
            if (other && other->userId != target.id)
                throw ValidationError("a user named '" + it->get<std::string>() + "' already exists");
        }
        if (auto it = f.find("team_id"); it != f.end() && it->is_string() && !it->get<std::string>().empty())
            if (!m_tx.record("team", it->get<std::string>()))
                throw ValidationError("team " + it->get<std::string>() + " does not exist");
    } else if (target.entity == "evidence") {
        if (auto it = f.find("sha256"); it != f.end() && it->is_string() && !proto::isSha256Hex(it->get<std::string>()))
            throw ValidationError("evidence.sha256 must be 64 lower-case hex digits");
    }
}

void Applier::afterWrite(Record& rec, const Json& written) {
    if (rec.entity == "user") {
        auto old = m_tx.accountById(rec.id);
        Account a;
        a.userId = rec.id;
        a.name = rec.text("name");
        a.role = rec.text("role");
        a.teamId = rec.text("team_id");
        const Json& scope = rec.value("region_scope");
        a.regionScope = scope.is_array() ? scope : Json::array();
        a.deleted = rec.value("deleted") == Json(true);
        a.scopeEpoch = old ? old->scopeEpoch : 0;
        rec.teamId = a.teamId;  // a user record is seen by the members of the user's team
        bool teamChanged = old && old->teamId != a.teamId;
        if (old && (teamChanged || old->role != a.role || old->deleted != a.deleted)) ++a.scopeEpoch;
        m_tx.putAccount(a);
        // The new team's members may now see this user's record, written before their cursors.
        if (teamChanged && !a.teamId.empty()) m_tx.bumpScopeEpochOfTeam(a.teamId);
    } else if (rec.entity == "evidence" && (written.contains("sha256") || written.contains("deleted"))) {
        std::string sha = rec.text("sha256");
        if (!sha.empty()) m_tx.setBlobRef(rec.id, sha, rec.value("deleted") != Json(true));
    }
}

std::string Applier::createConflict(const Record& target, const std::string& field, const FieldState& winner,
                                    const FieldState& loser) {
    Json f = {{"entity", target.entity},
              {"entity_id", target.id},
              {"field", field},
              {"winner_value", {{"value", winner.value}}},
              {"loser_value", {{"value", loser.value}}},
              {"winner_author", winner.author},
              {"loser_author", loser.author},
              {"winner_at", hlcIso(winner.hlc)},
              {"loser_at", hlcIso(loser.hlc)}};
    std::string id = newUuidV7();
    writeServerChange("conflict", id, std::move(f));
    return id;
}

void Applier::assignOfficialNumber(const Record& finding) {
    std::string prefix = kDefaultNumberPrefix;
    std::string campaignId = finding.text("campaign_id");
    if (!campaignId.empty())
        if (auto camp = m_tx.record("campaign", campaignId); camp && !camp->text("number_prefix").empty())
            prefix = camp->text("number_prefix");
    int year = Date::today().year;
    int64_t n = m_tx.nextCounter("official_number:" + prefix + ":" + std::to_string(year));
    writeServerChange("finding", finding.id, {{"official_number", officialNumber(prefix, year, n)}});
}

}  // namespace jc::server
