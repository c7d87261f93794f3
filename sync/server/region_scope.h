#pragma once
// Region scope (DESIGN.md §2): a user may be limited to part of the city, as a list of GB/T 2260
// codes — province "62", city "6207" (or "620700"), county "620702", township "620702001". A
// finding or complaint they create or move must then lie inside one of those areas. An empty
// scope means no limit beyond the team; hq_admin is never limited. Visibility stays by team
// (policy.h): a lead still sees the whole team's cases, the scope governs where one records.
#include <string>

#include "core/domain.h"
#include "core/entities.h"
#include "sync/server/storage.h"

namespace jc::server {

// "620700" → "6207", "620000" → "62"; other codes unchanged.
std::string normaliseRegionCode(std::string code);
// True when `region` lies in one of the areas of `scope` (a JSON array of codes), or scope is empty.
bool regionInScope(const std::string& region, const Json& scope);
// Throws Rejection(forbidden) when this change puts a finding or complaint outside the user's scope.
void checkRegionScope(const Account& who, Role role, const Record& target, const Json& fields);

}  // namespace jc::server
