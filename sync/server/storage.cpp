#include "sync/server/storage.h"

namespace jc::server {

const Json& Record::value(const std::string& field) const {
    static const Json null;
    auto it = fields.find(field);
    return it == fields.end() ? null : it->second.value;
}

std::string Record::text(const std::string& field) const {
    const Json& v = value(field);
    return v.is_string() ? v.get<std::string>() : std::string();
}

}  // namespace jc::server
