#pragma once
// Finding (检查发现) commands: create and edit drafts, and move a finding through its
// workflow (submit / accept / return / dismiss / order rectification / verify / close).
// Each call is one transaction: row + outbox + audit + history, or nothing at all.
#include <string>

#include "app/context.h"

namespace jc {

// Fields a user may set on a finding directly (status and numbers move only through the workflow).
bool isEditableFindingField(const std::string& name);

// Local numbers of findings: "<last 4 hex digits of the device id>-<serial, 5 digits>" (e.g.
// "cddb-00012"), the serial counted per device in the store (meta finding_counter).
std::string localNumber(const std::string& deviceId, int64_t serial);
int64_t findingCounter(Store& store);  // the last serial used on this device (0 before the first)
void setFindingCounter(Store& store, int64_t serial);

// Creates a draft in `fields.campaign_id` for `fields.category`; validates the category's
// form-template values (field_values) and the code lists. Returns the new id.
std::string createFinding(AppContext& ctx, FieldMap fields);

// Edits a draft or returned finding. Returns the fields that changed.
FieldMap editFinding(AppContext& ctx, const std::string& id, const FieldMap& fields);

// Takes a workflow action ("submit", "accept", "return", "dismiss", "mark_rectified",
// "verify", "close"). Returns the new status.
std::string transitionFinding(AppContext& ctx, const std::string& id, const std::string& action,
                              const std::string& comment = {});

// Problems that block submission (required template fields, title, region …); empty when ready.
std::vector<std::string> findingSubmitProblems(AppContext& ctx, const FieldMap& finding);

}  // namespace jc
