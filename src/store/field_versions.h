#pragma once
// The server version this device last saw of each field of a synced record (DESIGN.md §4): the
// base versions of the next local edit, and what a pull may skip. One row per record in
// field_meta (entity, entity_id, versions), not one per field: a creation acknowledged by the
// server sets ~25 fields of a finding to one version, and a row per field cost ~2.8 KB per
// finding (tests/bench/store_bench). `versions` is text "V:a,b,c;W:d": the fields at version V,
// then those at W, versions ascending, names in order.
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "base/db.h"

namespace jc {

using FieldVersions = std::map<std::string, int64_t>;

std::string encodeFieldVersions(const FieldVersions& versions);
// Throws StorageError on text that is not in the format above.
FieldVersions decodeFieldVersions(std::string_view text);

// The versions known for one record (empty when none).
FieldVersions loadFieldVersions(Database& db, std::string_view entity, const std::string& id);
// Replaces them (removes the row when `versions` is empty).
void saveFieldVersions(Database& db, std::string_view entity, const std::string& id, const FieldVersions& versions);
// Raises `field` to `version` in `versions` (never lowers it). Returns whether it changed.
bool raiseFieldVersion(FieldVersions& versions, const std::string& field, int64_t version);
// After a server restore: every version above `ceiling` becomes `ceiling`.
void lowerFieldVersionsAbove(Database& db, int64_t ceiling);

}  // namespace jc
