#include "sync/server/region_scope.h"

#include "sync/protocol/protocol.h"
#include "sync/server/policy.h"

namespace jc::server {

std::string normaliseRegionCode(std::string code) {
    // Six-digit codes pad cities and provinces with zeros; the tree's own codes do not.
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

void checkRegionScope(const Account& who, Role role, const Record& target, const Json& fields) {
    if (role == Role::HqAdmin || (target.entity != "finding" && target.entity != "complaint")) return;
    auto it = fields.find("region_code");
    if (it == fields.end() || !it->is_string() || it->get<std::string>().empty()) return;
    if (regionInScope(it->get<std::string>(), who.regionScope)) return;
    throw Rejection(proto::reason::kForbidden, "region " + it->get<std::string>() + " is outside " + who.name +
                                                   "'s region scope " + who.regionScope.dump());
}

}  // namespace jc::server
