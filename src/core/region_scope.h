#pragma once
// Region scope (DESIGN.md §2): a user may be limited to part of the city, as a list of GB/T 2260
// codes — province "62", city "6207" (or "620700"), county "620702", township "620702001". The
// findings and complaints they record must then lie inside one of those areas. An empty scope
// means no limit beyond the team; hq_admin is never limited. The client checks it before writing
// (app layer) and the server on every push (sync/server/region_scope.h).
#include <string>

#include "core/entities.h"

namespace jc {

// One GB/T 2260 region (the store's region table; store/reference_data.h loads and reads them).
struct Region {
    std::string code;        // 2 (province), 4 (city), 6 (county) or 9 (township) digits
    std::string name;
    std::string parentCode;  // empty for a province
    int level = 0;           // 1 province … 4 township
};

// "620700" → "6207", "620000" → "62"; other codes unchanged.
std::string normaliseRegionCode(const std::string& code);
// True when `region` lies in one of the areas of `scope` (a JSON array of codes), or the scope is
// empty (or not an array).
bool regionInScope(const std::string& region, const Json& scope);

}  // namespace jc
