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

// A value of the conflict's field as a reader sees it: code lists as their labels, unit and
// person ids as names, money as yuan, form-template values (field_values) as "label: value"
// lines limited to the keys the two versions disagree on; null as "（空）" / "(empty)".
std::string conflictValueText(Store& store, const ConflictRow& row, const Json& value, bool english = false);

struct ConflictResolution {
    std::string resolution;     // kept_winner | kept_loser | custom
    Json value;                 // the value kept
    bool recordChanged = false; // the record's field was rewritten (it held the other value)
};

// Resolves a conflict. `choice` is "winner", "loser" or "custom": then `customValue` is a
// non-empty text of the lead's own (e.g. both titles merged), allowed for free-text fields only —
// codes, ids and numbers keep one of the two versions, each of which was a valid edit. Throws ForbiddenError for inspectors, NotFoundError for an
// unknown id, ValidationError when it is already resolved, for a bad choice, or when the value
// cannot be written directly (official numbers; a status that is no legal workflow step for
// this role). One transaction: nothing is written unless everything is.
ConflictResolution resolveConflict(AppContext& ctx, const std::string& conflictId, const std::string& choice,
                                   const Json& customValue = nullptr);

}  // namespace jc
