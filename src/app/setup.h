#pragma once
// First-run set-up of a device's store: reference data (regions, calendar), the category form
// templates, the local user and, on an HQ installation, the key pair that opens sealed
// complainant identities.
#include <string>

#include "core/domain.h"
#include "store/store.h"

namespace jc {

struct InitOptions {
    std::string userName;
    Role role = Role::Inspector;
    std::string teamName;      // optional: creates the team and puts the user in it
    std::string hqPublicKey;   // field devices: HQ's key for sealing complainant identities
};

struct InitResult {
    std::string userId;
    std::string hqPublicKey;   // set when this store holds (or was given) HQ's key
    bool created = false;      // false when the user already existed (init is idempotent)
};

// Idempotent: re-running refreshes reference data and templates and keeps existing records.
// Throws ValidationError for an empty or overlong user name, or a user name taken with another role.
InitResult initStore(Store& store, const InitOptions& opt);

// Adds any template (category, version) from assets/templates not yet in the store.
int seedTemplates(Store& store, const std::string& actor);

}  // namespace jc
