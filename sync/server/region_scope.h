#pragma once
// The server's check of a user's region scope (core/region_scope.h) on every pushed change. What
// a user sees is still decided by team (policy.h): a lead sees the whole team's cases, the scope
// governs where one records.
#include "core/domain.h"
#include "core/entities.h"
#include "sync/server/storage.h"

namespace jc::server {

// Throws Rejection(forbidden) when this change puts a finding or complaint outside the user's scope.
void checkRegionScope(const Account& who, Role role, const Record& target, const Json& fields);

}  // namespace jc::server
