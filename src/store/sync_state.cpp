#include "store/sync_state.h"

#include <map>
#include <optional>
#include <set>

#include "core/dates.h"
#include "core/error.h"
#include "core/i18n.h"
#include "store/audit.h"
#include "store/field_history.h"
#include "store/field_versions.h"
#include "store/search_index.h"
#include "store/server_epoch.h"

namespace jc {

namespace {
// Fields with a local change still waiting in the outbox for this record.
std::set<std::string> pendingFields(Database& db, const std::string& entity, const std::string& id) {
    std::set<std::string> out;
    auto& s = db.cached("SELECT fields FROM outbox WHERE entity = ? AND entity_id = ?");
    s.bind(1, entity).bind(2, id);
    while (s.step()) {
        Json f = Json::parse(s.getText(0), nullptr, false);
        if (f.is_object())
            for (auto it = f.begin(); it != f.end(); ++it) out.insert(it.key());
    }
    return out;
}

bool rowExists(Database& db, const EntityDef& def, const std::string& id) {
    auto& s = db.cached(std::string("SELECT 1 FROM ") + def.name + " WHERE id = ?");
    s.bind(1, id);
    return s.exists();
}

// Writes `values` (already filtered to known, non-pending fields) into the row, creating it if new.
void writeRow(Database& db, const EntityDef& def, const std::string& id, const Json& values, bool exists,
              const std::string& author) {
    std::string now = nowIso();
    auto bindValue = [&](Statement& s, int idx, const std::string& name, const Json& v) {
        if (name == "deleted") s.bind(idx, static_cast<int64_t>(v.is_boolean() && v.get<bool>() ? 1 : 0));
        else if (name == "created_at" || name == "created_by") s.bindJson(idx, v);
        else s.bindJson(idx, encodeValue(*def.field(name), v));
    };
    if (!exists) {
        std::string cols = "id, updated_at", marks = "?, ?";
        bool hasCreatedAt = values.contains("created_at"), hasCreatedBy = values.contains("created_by");
        if (!hasCreatedAt) cols += ", created_at", marks += ", ?";
        if (!hasCreatedBy) cols += ", created_by", marks += ", ?";
        for (auto it = values.begin(); it != values.end(); ++it) cols += ", " + it.key(), marks += ", ?";
        // Cached: a pulled page repeats the same column set, so compile the INSERT once.
        auto& s = db.cached("INSERT INTO " + std::string(def.name) + "(" + cols + ") VALUES(" + marks + ")");
        int i = 1;
        s.bind(i++, id);
        s.bind(i++, now);
        if (!hasCreatedAt) s.bind(i++, now);
        if (!hasCreatedBy) s.bind(i++, author);
        for (auto it = values.begin(); it != values.end(); ++it) bindValue(s, i++, it.key(), *it);
        s.run();
        return;
    }
    if (values.empty()) return;
    std::string sets = "updated_at = ?";
    for (auto it = values.begin(); it != values.end(); ++it) sets += ", " + it.key() + " = ?";
    auto& s = db.cached("UPDATE " + std::string(def.name) + " SET " + sets + " WHERE id = ?");
    int i = 1;
    s.bind(i++, now);
    for (auto it = values.begin(); it != values.end(); ++it) bindValue(s, i++, it.key(), *it);
    s.bind(i, id);
    s.run();
}

bool knownField(const EntityDef& def, const std::string& name) {
    return def.field(name) || name == "deleted" || name == "created_at" || name == "created_by";
}
}  // namespace

namespace {
// An acknowledged change as kept for a server restore (server_epoch.h), under the highest server
// version it was given; nullopt when nothing of it holds on the server (every field lost).
std::optional<SentChange> sentChange(const PushResult& r, int64_t localSeq, const std::string& entity,
                                     const std::string& id, std::string fields, std::string base, const std::string& hlc,
                                     const std::string& user, const std::string& createdAt) {
    int64_t serverSeq = 0;
    if (r.versions.is_object())
        for (const auto& v : r.versions)
            if (v.is_number_integer()) serverSeq = std::max(serverSeq, v.get<int64_t>());
    if (serverSeq == 0) return std::nullopt;
    return SentChange{localSeq, serverSeq, r.changeId, entity, id, std::move(fields), std::move(base), hlc, user, createdAt};
}

}  // namespace

std::vector<OutboxChange> pendingChanges(Database& db, int limit, int64_t afterSeq) {
    auto& s = db.cached(
        "SELECT seq, change_id, entity, entity_id, fields, base_versions, hlc, user_id, created_at FROM outbox "
        "WHERE seq > ? ORDER BY seq LIMIT ?");
    s.bind(1, afterSeq).bind(2, limit);
    std::vector<OutboxChange> out;
    while (s.step())
        out.push_back({s.getInt(0), s.getText(1), s.getText(2), s.getText(3), Json::parse(s.getText(4)),
                       Json::parse(s.getText(5)), s.getText(6), s.getText(7), s.getText(8)});
    return out;
}

int64_t releaseFreePages(Database& db) {
    int64_t before = db.queryInt("PRAGMA freelist_count");
    if (before < kReleasePages || db.queryInt("PRAGMA auto_vacuum") != 2) return 0;
    if (db.queryInt("SELECT EXISTS(SELECT 1 FROM outbox)")) return 0;
    db.exec("PRAGMA incremental_vacuum");
    return before - db.queryInt("PRAGMA freelist_count");
}

int64_t pendingCount(Database& db) { return db.queryInt("SELECT count(*) FROM outbox"); }

void recordPushResults(Store& store, const std::vector<PushResult>& results) {
    Database& db = store.db();
    // Its own transaction, or the caller's when one is open (the sync engine records the pull
    // cursor in the same commit).
    auto tx = beginIfNeeded(db);
    std::vector<SentChange> sent;
    for (const auto& r : results) {
        // One statement finds and removes the acknowledged change.
        auto& q = db.cached(
            "DELETE FROM outbox WHERE change_id = ? RETURNING entity, entity_id, fields, hlc, user_id, seq, "
            "base_versions, created_at");
        q.bind(1, r.changeId);
        if (!q.step()) continue;  // already acknowledged (a replayed response)
        std::string entity = q.getText(0), id = q.getText(1), hlc = q.getText(3), user = q.getText(4);
        std::string fields = q.getText(2);
        int64_t localSeq = q.getInt(5);
        std::string base = q.getText(6), createdAt = q.getText(7);
        q.run();  // finish the DELETE (RETURNING yields one row)
        if (r.status != "rejected") {
            if (auto k = sentChange(r, localSeq, entity, id, std::move(fields), std::move(base), hlc, user, createdAt))
                sent.push_back(std::move(*k));
            fields.clear();
        }
        if (r.status == "rejected") {
            auto& ins = db.cached(
                "INSERT OR REPLACE INTO sync_rejection(change_id, entity, entity_id, fields, reason, at, reason_code, "
                "detail, params, server_values) VALUES(?,?,?,?,?,?,?,?,?,?)");
            ins.bind(1, r.changeId).bind(2, entity).bind(3, id).bind(4, fields).bind(5, r.reason).bind(6, nowIso());
            ins.bind(7, r.reasonCode).bind(8, r.detail).bind(9, (r.params.is_object() ? r.params : Json::object()).dump());
            if (r.serverValues.is_object()) ins.bind(10, r.serverValues.dump());
            else ins.bindNull(10);
            ins.run();
            appendAudit(db, user, "sync_rejected", entity, id, {{"change_id", r.changeId}, {"reason", r.reason}});
        }
        // The server versions now held, written once per record after this answer is taken in.
        FieldVersions versions;
        bool versionsLoaded = false, versionsChanged = false;
        auto raise = [&](const std::string& field, int64_t v) {
            if (!versionsLoaded) versions = loadFieldVersions(db, entity, id), versionsLoaded = true;
            versionsChanged = raiseFieldVersion(versions, field, v) || versionsChanged;
        };
        if (r.status != "rejected" && r.versions.is_object())
            for (auto it = r.versions.begin(); it != r.versions.end(); ++it)
                if (it->is_number_integer()) raise(it.key(), it->get<int64_t>());
        if (r.winners.is_object() && !r.winners.empty()) {
            // Our value lost a conflict, or the server refused it (the refused values stay in
            // sync_rejection): take the server's value unless a newer local edit is pending, so
            // this copy agrees with everyone else's again.
            const EntityDef& def = entityDef(entity);
            std::set<std::string> pending = pendingFields(db, entity, id);
            Json apply = Json::object();
            for (auto it = r.winners.begin(); it != r.winners.end(); ++it) {
                if (!it->is_object() || !knownField(def, it.key()) || pending.count(it.key())) continue;
                apply[it.key()] = (*it)["value"];
                if ((*it)["version"].is_number_integer()) raise(it.key(), (*it)["version"].get<int64_t>());
            }
            if (versionsChanged) saveFieldVersions(db, entity, id, versions), versionsChanged = false;
            if (apply.empty()) continue;
            bool exists = rowExists(db, def, id);
            if (exists && keepsFieldHistory(entity))
                if (auto before = store.get(entity, id)) {
                    std::string by;  // "" = HQ (the answer names no author)
                    for (auto it = r.winners.begin(); it != r.winners.end(); ++it)
                        if (it->is_object() && it->contains("author") && (*it)["author"].is_string()) by = (*it)["author"];
                    recordFieldHistory(db, entity, id, *before, apply, by, nowIso(), "hq");
                }
            writeRow(db, def, id, apply, exists, user);
            if (isSearchIndexed(entity)) reindexRecord(db, entity, id);
        }
        if (versionsChanged) saveFieldVersions(db, entity, id, versions);
    }
    keepSentChanges(db, sent);
    pruneSentChanges(db);
    if (tx) tx->commit();
}

ApplyStats applyRemoteChanges(Store& store, const std::vector<RemoteChange>& changes, int64_t nextCursor) {
    Database& db = store.db();
    ApplyStats st;
    // Its own transaction, or the caller's when one is open (the sync engine commits the last
    // page together with the sync status, so a one-change pull costs a single commit).
    auto tx = beginIfNeeded(db);
    // Pending local edits are looked up per record only when the outbox holds anything at all
    // (after a push it is usually empty, and the whole page is applied without those lookups).
    bool anyPending = db.queryInt("SELECT EXISTS(SELECT 1 FROM outbox)") != 0;
    for (const auto& c : changes) {
        const EntityDef* def = nullptr;
        try {
            def = &entityDef(c.entity);
        } catch (const ValidationError&) {
            st.fieldsUnknown += c.fields.is_object() ? static_cast<int>(c.fields.size()) : 0;
            continue;  // an entity this client version does not know
        }
        if (!c.fields.is_object())
            throw ValidationError(trf("store.err_pulled_no_fields", {std::to_string(c.serverSeq)}));
        if (!c.hlc.empty()) {
            try {
                store.clock().observe(HlcStamp::decode(c.hlc));
            } catch (const ValidationError&) {
                // A malformed stamp only loses clock ordering hints; the values still apply.
            }
        }
        bool exists = rowExists(db, *def, c.entityId);
        std::set<std::string> pending =
            exists && anyPending ? pendingFields(db, c.entity, c.entityId) : std::set<std::string>{};
        // A field this device already holds at this server version or a newer one (its own
        // change coming back, acknowledged by the push; or a winner the push answer carried)
        // is left alone: rewriting it would only redo the row and the search index, and an
        // older version must never overwrite a newer value.
        FieldVersions known = loadFieldVersions(db, c.entity, c.entityId);
        bool knownChanged = false;
        Json values = Json::object();
        for (auto it = c.fields.begin(); it != c.fields.end(); ++it) {
            if (!knownField(*def, it.key())) {
                ++st.fieldsUnknown;
                continue;
            }
            if (pending.count(it.key())) {
                ++st.fieldsKeptLocal;
                continue;
            }
            auto vit = c.versions.is_object() ? c.versions.find(it.key()) : c.versions.end();
            int64_t v = c.versions.is_object() && vit != c.versions.end() && vit->is_number_integer()
                            ? vit->get<int64_t>()
                            : c.serverSeq;
            if (auto k = known.find(it.key()); k != known.end() && k->second >= v) continue;
            // created_at / created_by are written once, when a record is created (the server
            // ignores them on later changes), so a record this device has already holds them.
            if (exists && (it.key() == "created_at" || it.key() == "created_by")) continue;
            values[it.key()] = *it;
            knownChanged = raiseFieldVersion(known, it.key(), v) || knownChanged;
        }
        if (knownChanged) saveFieldVersions(db, c.entity, c.entityId, known);
        if (values.empty() && exists) continue;
        if (exists && keepsFieldHistory(c.entity)) {
            auto before = store.get(c.entity, c.entityId);
            std::string at = nowIso();
            try {
                if (!c.hlc.empty()) at = isoTimestamp(HlcStamp::decode(c.hlc).wallMs);
            } catch (const ValidationError&) {
            }
            if (before) recordFieldHistory(db, c.entity, c.entityId, *before, values, c.author, at, "hq");
        }
        writeRow(db, *def, c.entityId, values, exists, c.author);
        // Indexed later by the catch-up (search scans the record until then): a pull of
        // thousands of records is not held up by full-text indexing.
        if (isSearchIndexed(c.entity)) markSearchPending(db, c.entity, c.entityId);
        ++st.applied;
        if (!exists) ++st.created;
    }
    store.setMeta("pull_cursor", std::to_string(nextCursor));
    if (!changes.empty())
        appendAudit(db, "sync", "pull_applied", "", "",
                    {{"changes", changes.size()}, {"from_seq", changes.front().serverSeq}, {"to_seq", changes.back().serverSeq}});
    if (tx) tx->commit();
    return st;
}

int64_t pullCursor(Store& store) { return std::stoll(store.meta("pull_cursor").value_or("0")); }

namespace {
constexpr const char* kRejectionColumns =
    "SELECT change_id, entity, entity_id, reason, at, fields, reason_code, detail, params, server_values FROM sync_rejection ";

Rejection rejectionFrom(Statement& s) {
    Rejection r{s.getText(0), s.getText(1), s.getText(2), s.getText(3), s.getText(4), Json::parse(s.getText(5))};
    r.reasonCode = s.getText(6);
    r.detail = s.getText(7);
    r.params = Json::parse(s.getText(8), nullptr, false);
    if (!r.params.is_object()) r.params = Json::object();
    if (!s.isNull(9)) r.serverValues = Json::parse(s.getText(9), nullptr, false);
    r.creation = r.fields.is_object() && r.fields.contains("created_at");
    return r;
}
}  // namespace

std::vector<Rejection> listRejections(Database& db, int limit) {
    auto s = db.prepare(std::string(kRejectionColumns) + "ORDER BY at DESC LIMIT ?");
    s.bind(1, limit);
    std::vector<Rejection> out;
    while (s.step()) out.push_back(rejectionFrom(s));
    return out;
}

std::optional<Rejection> findRejection(Database& db, const std::string& changeId) {
    auto s = db.prepare(std::string(kRejectionColumns) + "WHERE change_id = ?");
    s.bind(1, changeId);
    if (!s.step()) return std::nullopt;
    return rejectionFrom(s);
}

bool removeRejection(Database& db, const std::string& changeId) {
    auto s = db.prepare("DELETE FROM sync_rejection WHERE change_id = ?");
    s.bind(1, changeId);
    s.run();
    return db.changes() > 0;
}

}  // namespace jc
