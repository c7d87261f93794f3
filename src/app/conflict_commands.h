#pragma once
// Conflicts (DESIGN.md §4): when two people edited one field, the server applies a deterministic
// winner everywhere and creates a `conflict` record holding both values, their authors and times.
// The record syncs to the team; a lead or HQ resolves it here by keeping one of the two versions
// (or, from the CLI, a text of their own). Resolving writes the resolution fields of the conflict
// and, when the chosen value is not what the record holds now, that value to the record's field —
// through ChangeWriter, so both changes are audited and sync like any other edit.
//
// Resolution codes stored in conflict.resolution: kept_winner | kept_loser | custom.
// resolved_value is wrapped like the two versions: {"value": v}.
//
// The server checks it again: only leads (of the record's team) and HQ may resolve, and they may
// write nothing but the four resolution fields (sync/server/policy.cpp).
#include <string>
#include <vector>

#include "app/context.h"

namespace jc {

struct ConflictRow {
    std::string id, entity, entityId, field;
    std::string entityZh, entityEn;      // 检查发现 / Finding …
    std::string fieldZh, fieldEn;        // 标题 / Title …
    std::string recordLabel;             // finding: number and title; complaint: title …; "" when not on this device
    bool recordExists = false;           // the record is on this device and not deleted
    Json winnerValue, loserValue;        // unwrapped values
    Json currentValue;                   // what the record holds now (null when it is not here)
    std::string current;                 // which version the record holds now: winner | loser | other
    std::string winnerAuthor, loserAuthor, winnerAt, loserAt, createdAt;
    std::string resolution, resolvedBy, resolvedAt;  // resolution "" while open
    Json resolvedValue;                              // unwrapped
    bool open() const { return resolution.empty(); }
};

// Conflicts on this device, open first, newest first; `openOnly` leaves out resolved ones.
std::vector<ConflictRow> listConflicts(AppContext& ctx, bool openOnly);
// One conflict; throws NotFoundError.
ConflictRow getConflict(AppContext& ctx, const std::string& id);
// Live conflicts whose id is `idOrTail` or ends with it (lists show an id's last 12 characters).
// At most two: two tell the tail is ambiguous.
std::vector<std::string> conflictIdsMatching(Store& store, const std::string& idOrTail);

// A value of the conflict's field as a reader sees it: code lists as their labels, unit and
// person ids as names, money as yuan, form-template values (field_values) as "label: value"
// lines limited to the keys the two versions disagree on; null as "（空）" / "(empty)".
std::string conflictValueText(Store& store, const ConflictRow& row, const Json& value, bool english = false);

// Labels shared with the refused-changes and history views: a field's and an entity's name in
// both languages, and a record as a person names it (a finding by number and title …).
std::pair<std::string, std::string> fieldLabelOf(const std::string& entity, const std::string& field);
std::pair<std::string, std::string> entityLabelOf(const std::string& entity);
std::string recordLabelOf(const std::string& entity, const FieldMap& record);
// A value of one field as a reader sees it (conflictValueText's rules); for field_values only the
// keys that differ from `other` are shown.
std::string fieldValueText(Store& store, const std::string& entity, const std::string& entityId, const std::string& field,
                           const Json& value, const Json& other, bool english = false);

struct ConflictResolution {
    std::string resolution;     // kept_winner | kept_loser | custom
    Json value;                 // the value kept
    bool recordChanged = false; // the record's field was rewritten (it held the other value)
};

// Whether a lead may keep a value of their own for this field (conflictTakesOwnValue): free
// texts, numbers, money, dates, yes/no and the code-list choices (area, category, severity,
// channel, level) and regions; not workflow statuses, numbers assigned by the server, ids.
bool conflictTakesOwnValue(const std::string& entity, const std::string& field);

// Resolves a conflict. `choice` is "winner", "loser" or "custom": then `customValue` is a
// non-empty value of the lead's own (e.g. both titles merged, a corrected amount in fen), of
// the field's kind, for fields where conflictTakesOwnValue() — others keep one of the two versions. Throws ForbiddenError for inspectors, NotFoundError for an
// unknown id, ValidationError when it is already resolved, for a bad choice, or when the value
// cannot be written directly (official numbers; a status that is no legal workflow step for
// this role). One transaction: nothing is written unless everything is.
ConflictResolution resolveConflict(AppContext& ctx, const std::string& conflictId, const std::string& choice,
                                   const Json& customValue = nullptr);

}  // namespace jc
