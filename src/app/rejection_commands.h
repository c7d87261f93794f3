#pragma once
// Changes HQ refused for good (DESIGN.md §4), fixed on the device: the user sees their values
// beside HQ's with HQ's reason (a reason code, a finer detail code and its parameters, which
// the views say in the user's language; HQ's English words only as detail), then
//   - resends: their corrected values are written as a new change on top of what the record
//     holds now (HQ's values came back when the change was refused); a record whose creation was
//     refused goes again as a whole creation with the corrections (e.g. moved into the user's
//     region scope);
//   - discards theirs: HQ's values stay;
//   - deletes a record whose creation was refused, on this device only (HQ never had it).
// Each is one transaction that also forgets the refusal. The region scope is checked here as
// HQ checks it, so a resend that HQ would refuse again is refused at once with a message.
#include <string>
#include <vector>

#include "app/context.h"

namespace jc {

struct RefusedField {
    std::string field, labelZh, labelEn;
    Json mine;     // the refused value
    Json hq;       // HQ's value when it refused (null when HQ had none)
    Json current;  // what the record holds on this device now
    std::string mineText, hqText;  // as people read them (money in yuan, codes as labels), in Chinese
    std::string mineTextEn, hqTextEn;
};

struct RefusedChange {
    std::string changeId, entity, entityId, entityZh, entityEn, recordLabel, at;
    std::string reasonCode;  // invalid | forbidden | illegal_transition | not_found ("" when recorded by an older client)
    std::string detail;      // outside_region_scope | no_such_step | role_may_not | … ("" when none)
    Json params = Json::object();  // the detail's parameters; a region code also as region_name
    std::string message;           // HQ's words (English)
    bool creation = false;         // the refused change created the record
    bool recordExists = false;     // the record is on this device and not deleted
    std::vector<RefusedField> fields;
};

std::vector<RefusedChange> listRefusedChanges(AppContext& ctx, int limit = 200);
RefusedChange getRefusedChange(AppContext& ctx, const std::string& changeId);  // throws NotFoundError
// `values`: field -> corrected value (fields not named keep the refused value for a creation,
// and are left as HQ has them for an update). Throws ValidationError / ForbiddenError.
void resendRefusedChange(AppContext& ctx, const std::string& changeId, const Json& values);
void discardRefusedChange(AppContext& ctx, const std::string& changeId);
// Only for a refused creation; throws ValidationError otherwise.
void deleteRefusedRecord(AppContext& ctx, const std::string& changeId);

}  // namespace jc
