#pragma once
// The history of a case's fields (变更记录): every change of a finding's, complaint's or
// rectification's field after its creation — made on this device (ChangeWriter) or arriving
// from HQ (pulled changes, values HQ kept instead of ours) — with the value before and after,
// who made it and when. Written in the same transaction as the row; read by app/history.h.
// Creations are not repeated here (the record's created_at / created_by say it), and records
// of other entities keep none (pulls of thousands of units stay as cheap as before).
#include <string>
#include <vector>

#include "core/entities.h"
#include "base/db.h"

namespace jc {

bool keepsFieldHistory(std::string_view entity);

// Appends one row per field of `after` whose value differs from `before` (the row as it was).
// `source`: "local" (this device) or "hq" (pulled, or HQ's value kept instead of ours).
void recordFieldHistory(Database& db, std::string_view entity, const std::string& id, const FieldMap& before,
                        const Json& after, const std::string& author, const std::string& at, const char* source);

struct FieldHistoryRow {
    int64_t seq = 0;
    std::string field, author, at, source;
    Json oldValue, newValue;
};
std::vector<FieldHistoryRow> fieldHistory(Database& db, std::string_view entity, const std::string& id, int limit = 2000);

}  // namespace jc
