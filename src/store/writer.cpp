#include "store/writer.h"

#include <map>
#include <set>
#include <stdexcept>

#include "core/dates.h"
#include "core/error.h"
#include "core/hq_clock.h"
#include "core/i18n.h"
#include "core/uuid.h"
#include "store/audit.h"
#include "store/field_history.h"
#include "store/field_versions.h"
#include "store/search_index.h"

namespace jc {

namespace {
thread_local std::optional<std::string> t_pinnedTime;
thread_local int64_t t_pinnedMs = 0;

std::string newIdNow() { return t_pinnedTime ? newUuidV7At(t_pinnedMs) : newUuidV7(); }

// Whether a change of these fields can change what the search index holds for the record: the
// columns store/search_index.cpp reads (loadFinding, loadComplaint; a unit's name feeds the
// records that name it) and `deleted`. Keep in step with those queries. A status change, the
// most common update, then costs no re-tokenising of the whole narrative.
bool touchesSearch(std::string_view entity, const FieldMap& changed) {
    static const std::map<std::string_view, std::set<std::string_view>> kIndexed = {
        {"finding",
         {"deleted", "title", "narrative", "subject_unit_id", "address", "loophole", "recommendation", "field_values"}},
        {"complaint", {"deleted", "title", "content", "reply", "outcome", "respondent_unit_id"}},
        {"unit", {"name", "deleted"}},
    };
    auto it = kIndexed.find(entity);
    if (it == kIndexed.end()) return true;
    for (auto f = changed.begin(); f != changed.end(); ++f)
        if (it->second.count(f.key())) return true;
    return false;
}
}  // namespace

std::string ChangeWriter::now() { return t_pinnedTime ? *t_pinnedTime : nowIso(); }

ChangeWriter::PinnedTime::PinnedTime(const std::string& isoTimestamp) : m_previous(t_pinnedTime) {
    auto ms = parseIsoTimestamp(isoTimestamp);
    if (!ms) throw ValidationError(trf("store.err_pinned_time", {isoTimestamp}));
    t_pinnedTime = isoTimestamp;
    t_pinnedMs = *ms;
}

ChangeWriter::PinnedTime::~PinnedTime() {
    t_pinnedTime = m_previous;
    t_pinnedMs = m_previous ? parseIsoTimestamp(*m_previous).value_or(0) : 0;
}

ChangeWriter::ChangeWriter(Store& store, const Transaction& tx, std::string actor)
    : m_store(store), m_actor(std::move(actor)) {
    if (m_actor.empty()) throw UsageError(tr("store.err_no_actor"));
    (void)tx;  // the proof that the caller holds one; it commits or rolls back every write
    if (sqlite3_get_autocommit(store.db().handle()))
        throw std::logic_error("ChangeWriter: no transaction open on the store's connection");
}

std::string ChangeWriter::insert(std::string_view entity, FieldMap fields, std::string id) {
    const EntityDef& def = entityDef(entity);
    if (fields.contains("deleted")) fields.erase("deleted");
    validateFields(def, fields, true);
    if (id.empty()) id = newIdNow();
    if (!isUuid(id)) throw ValidationError(trf("store.err_bad_id", {entityLabel(std::string(entity)), id}));
    std::string now = ChangeWriter::now();
    // Dated in HQ time while the device clock is off: the record keeps the device's own reading.
    if (auto off = hqClockOffset(); off && !t_pinnedTime && def.field("device_time") && !fields.contains("device_time") &&
                                    std::llabs(*off) > kClockWarnMs)
        fields["device_time"] = isoTimestamp(nowMillis());

    std::string cols = "id, created_at, updated_at, created_by, deleted";
    std::string marks = "?, ?, ?, ?, 0";
    for (auto it = fields.begin(); it != fields.end(); ++it) {
        cols += ", " + it.key();
        marks += ", ?";
    }
    auto& s = m_store.db().cached("INSERT INTO " + std::string(def.name) + "(" + cols + ") VALUES(" + marks + ")");
    s.bind(1, id).bind(2, now).bind(3, now).bind(4, m_actor);
    int i = 5;
    for (auto it = fields.begin(); it != fields.end(); ++it) s.bindJson(i++, encodeValue(*def.field(it.key()), *it));
    try {
        s.run();
    } catch (const StorageError& e) {
        if (e.sqliteCode() == SQLITE_CONSTRAINT_PRIMARYKEY || e.sqliteCode() == SQLITE_CONSTRAINT_UNIQUE)
            throw ValidationError(trf("store.err_exists", {entityLabel(std::string(entity)), id}));
        throw;
    }

    FieldMap change = std::move(fields);  // bound above; the outbox change is the same values
    change["created_at"] = now;
    change["created_by"] = m_actor;
    appendOutbox(def, id, change, true);
    appendAudit(m_store.db(), m_actor, "create", def.name, id, nullptr);
    afterWrite(def, id);
    return id;
}

FieldMap ChangeWriter::update(std::string_view entity, const std::string& id, const FieldMap& fields) {
    const EntityDef& def = entityDef(entity);
    validateFields(def, fields, false);
    FieldMap current = m_store.require(entity, id);
    FieldMap changed = FieldMap::object();
    for (auto it = fields.begin(); it != fields.end(); ++it)
        if (current[it.key()] != *it) changed[it.key()] = *it;
    if (changed.empty()) return changed;

    std::string sets = "updated_at = ?";
    for (auto it = changed.begin(); it != changed.end(); ++it) sets += ", " + it.key() + " = ?";
    auto& s = m_store.db().cached("UPDATE " + std::string(def.name) + " SET " + sets + " WHERE id = ?");
    s.bind(1, ChangeWriter::now());
    int i = 2;
    for (auto it = changed.begin(); it != changed.end(); ++it) {
        if (it.key() == "deleted")
            s.bind(i++, static_cast<int64_t>(it->get<bool>() ? 1 : 0));
        else
            s.bindJson(i++, encodeValue(*def.field(it.key()), *it));
    }
    s.bind(i, id);
    s.run();

    appendOutbox(def, id, changed, false);
    recordFieldHistory(m_store.db(), def.name, id, current, changed, m_actor, ChangeWriter::now(), "local");
    Json detail = Json::object();
    for (auto it = changed.begin(); it != changed.end(); ++it) detail["fields"].push_back(it.key());
    appendAudit(m_store.db(), m_actor, changed.contains("deleted") ? "delete" : "update", def.name, id, detail);
    if (touchesSearch(def.name, changed)) afterWrite(def, id);
    return changed;
}

void ChangeWriter::remove(std::string_view entity, const std::string& id) { update(entity, id, {{"deleted", true}}); }

void ChangeWriter::resendCreate(std::string_view entity, const std::string& id, const FieldMap& corrections) {
    const EntityDef& def = entityDef(entity);
    validateFields(def, corrections, false);
    FieldMap row = m_store.require(entity, id);
    if (!corrections.empty()) {
        std::string sets = "updated_at = ?";
        for (auto it = corrections.begin(); it != corrections.end(); ++it) sets += ", " + it.key() + " = ?";
        auto& s = m_store.db().cached("UPDATE " + std::string(def.name) + " SET " + sets + " WHERE id = ?");
        s.bind(1, ChangeWriter::now());
        int i = 2;
        for (auto it = corrections.begin(); it != corrections.end(); ++it) s.bindJson(i++, encodeValue(*def.field(it.key()), *it));
        s.bind(i, id);
        s.run();
        recordFieldHistory(m_store.db(), def.name, id, row, corrections, m_actor, ChangeWriter::now(), "local");
        row = m_store.require(entity, id);
    }
    FieldMap change = FieldMap::object();
    for (const auto& f : def.fields) {
        auto it = row.find(f.name);
        if (it != row.end() && !it->is_null()) change[f.name] = *it;
    }
    validateFields(def, change, true);
    change["created_at"] = row.value("created_at", ChangeWriter::now());
    change["created_by"] = row.value("created_by", m_actor);
    appendOutbox(def, id, change, true);
    appendAudit(m_store.db(), m_actor, "resend_create", def.name, id, {{"fields", corrections}});
    afterWrite(def, id);
}

void ChangeWriter::withdrawLocal(std::string_view entity, const std::string& id) {
    const EntityDef& def = entityDef(entity);
    m_store.require(entity, id);
    auto& s = m_store.db().cached("UPDATE " + std::string(def.name) + " SET deleted = 1, updated_at = ? WHERE id = ?");
    s.bind(1, ChangeWriter::now()).bind(2, id);
    s.run();
    appendAudit(m_store.db(), m_actor, "withdraw_local", def.name, id, nullptr);
    afterWrite(def, id);
}

void ChangeWriter::audit(const std::string& action, std::string_view entity, const std::string& id, const Json& detail) {
    appendAudit(m_store.db(), m_actor, action, std::string(entity), id, detail);
}

void ChangeWriter::appendOutbox(const EntityDef& def, const std::string& id, const FieldMap& fields, bool creating) {
    Json base = Json::object();
    if (!creating) {
        FieldVersions seen = loadFieldVersions(m_store.db(), def.name, id);
        for (auto it = fields.begin(); it != fields.end(); ++it) {
            auto f = seen.find(it.key());
            base[it.key()] = f == seen.end() ? 0 : f->second;
        }
    }
    // The device's own clock, the HQ offset known now (NULL: none yet; pinned historical writes
    // count as known) and the clock anchor: what the first sync needs to correct the times.
    auto& s = m_store.db().cached(
        "INSERT INTO outbox(change_id, entity, entity_id, fields, base_versions, hlc, user_id, created_at, device_time, "
        "clock_offset_ms, clock_anchor) VALUES(?,?,?,?,?,?,?,?,?,?,?)");
    s.bind(1, newUuidV7()).bind(2, def.name).bind(3, id).bind(4, fields.dump()).bind(5, base.dump());
    s.bind(6, m_store.clock().now().encode()).bind(7, m_actor).bind(8, ChangeWriter::now());
    s.bind(9, isoTimestamp(nowMillis()));
    auto offset = t_pinnedTime ? std::optional<int64_t>(0) : hqClockOffset();
    if (offset) s.bind(10, *offset);
    else s.bindNull(10);
    s.bind(11, currentClockAnchor().encode());
    s.run();
}

void ChangeWriter::afterWrite(const EntityDef& def, const std::string& id) {
    if (isSearchIndexed(def.name)) reindexRecord(m_store.db(), def.name, id);
}

}  // namespace jc
