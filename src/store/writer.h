#pragma once
// ChangeWriter: the only way application code changes synced entities. Inside the caller's
// Transaction (a constructor parameter, so no writer exists without one) it writes the row, appends one field-level change to the outbox (with the
// server versions last seen as base_versions), appends an audit event and keeps the
// full-text index in step. Sync (DESIGN.md §4) then pushes the outbox without touching rows.
#include <optional>
#include <string>

#include "core/entities.h"
#include "store/store.h"

namespace jc {

class ChangeWriter {
public:
    // `tx` is the caller's open transaction on `store` (it commits or rolls back every write);
    // `actor` is the acting user's name; it becomes created_by, the outbox user_id and the audit actor.
    ChangeWriter(Store& store, const Transaction& tx, std::string actor);

    // Validates and inserts a new record; returns its id (a new UUIDv7 unless `id` is given).
    std::string insert(std::string_view entity, FieldMap fields, std::string id = {});
    // Validates and applies the given fields; only values that differ are written and recorded.
    // Returns the fields that actually changed (empty when nothing did). Throws NotFoundError.
    FieldMap update(std::string_view entity, const std::string& id, const FieldMap& fields);
    // Soft delete: sets deleted = 1. Rows are never removed.
    void remove(std::string_view entity, const std::string& id);
    // For a record whose creation HQ refused (it exists on this device only): applies
    // `corrections` to the row and queues the whole record again as a creation (created_at and
    // created_by as first written), so HQ judges it anew. Validated like insert().
    void resendCreate(std::string_view entity, const std::string& id, const FieldMap& corrections);
    // For a record whose creation HQ refused: marks it deleted on this device without queueing
    // anything (HQ never had it). Audited. Changes already queued stay (the outbox's sequence
    // must not get gaps); HQ refuses them as changes of a record it does not have.
    void withdrawLocal(std::string_view entity, const std::string& id);
    // Records a sensitive read or another non-change event in the audit chain.
    void audit(const std::string& action, std::string_view entity, const std::string& id, const Json& detail = nullptr);

    const std::string& actor() const { return m_actor; }

    // The time writers on this thread stamp: the pinned time while a PinnedTime lives, else nowIso().
    static std::string now();

    // Pins the time every ChangeWriter on this thread stamps (created_at, updated_at, the outbox
    // created_at and the time part of new UUIDv7 ids) while the guard lives; guards nest. For
    // generators of historical demo data and imports of dated records, so their rows look as
    // if written on that day; ordinary commands never use it. The audit log keeps the real time.
    class PinnedTime {
    public:
        explicit PinnedTime(const std::string& isoTimestamp);  // throws ValidationError if not ISO
        ~PinnedTime();
        PinnedTime(const PinnedTime&) = delete;
        PinnedTime& operator=(const PinnedTime&) = delete;

    private:
        std::optional<std::string> m_previous;
    };

private:
    void appendOutbox(const EntityDef& def, const std::string& id, const FieldMap& fields, bool creating);
    void afterWrite(const EntityDef& def, const std::string& id);
    Store& m_store;
    std::string m_actor;
};

}  // namespace jc
