#include "core/region_scope.h"

namespace jc {

std::string normaliseRegionCode(const std::string& code) {
    // Six-digit codes pad cities and provinces with zeros; the region tree's own codes do not.
    if (code.size() == 6 && code.ends_with("0000")) return code.substr(0, 2);
    if (code.size() == 6 && code.ends_with("00")) return code.substr(0, 4);
    return code;
}

bool regionInScope(const std::string& region, const Json& scope) {
    if (!scope.is_array() || scope.empty()) return true;
    const std::string r = normaliseRegionCode(region);
    for (const auto& s : scope) {
        if (!s.is_string()) continue;
        std::string area = normaliseRegionCode(s.get<std::string>());
        if (!area.empty() && r.starts_with(area)) return true;
    }
    return false;
}

}  // namespace jc
