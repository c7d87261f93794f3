#include "sync/server/region_scope.h"

#include "core/region_scope.h"
#include "sync/protocol/protocol.h"
#include "sync/server/policy.h"

namespace jc::server {

void checkRegionScope(const Account& who, Role role, const Record& target, const Json& fields) {
    if (role == Role::HqAdmin || (target.entity != "finding" && target.entity != "complaint")) return;
    auto it = fields.find("region_code");
    if (it == fields.end() || !it->is_string() || it->get<std::string>().empty()) return;
    if (regionInScope(it->get<std::string>(), who.regionScope)) return;
    throw Rejection(proto::reason::kForbidden,
                    "region " + it->get<std::string>() + " is outside " + who.name + "'s region scope " +
                        who.regionScope.dump(),
                    proto::detail::kOutsideRegionScope, {{"region", it->get<std::string>()}, {"scope", who.regionScope}});
}

}  // namespace jc::server
