#include "sync/server/record_state.h"

#include <vector>

namespace jc::server {

// Written straight into text without building a JSON tree.
std::string encodeRecordState(const Record& r) {
    std::vector<const FieldState*> writes;
    std::string fields;
    for (const auto& [name, f] : r.fields) {
        size_t w = 0;
        while (w < writes.size() && !(writes[w]->version == f.version && writes[w]->deviceId == f.deviceId &&
                                      writes[w]->hlc == f.hlc && writes[w]->author == f.author))
            ++w;
        if (w == writes.size()) writes.push_back(&f);
        if (!fields.empty()) fields += ',';
        fields += Json(name).dump();
        fields += ":[";
        fields += std::to_string(w);
        fields += ',';
        fields += f.value.dump();
        fields += ']';
    }
    std::string out = "{\"w\":[";
    for (size_t i = 0; i < writes.size(); ++i) {
        if (i) out += ',';
        out += '[' + std::to_string(writes[i]->version) + ',' + Json(writes[i]->author).dump() + ',' +
               Json(writes[i]->deviceId).dump() + ',' + Json(writes[i]->hlc).dump() + ']';
    }
    out += "],\"f\":{";
    out += fields;
    out += "}}";
    return out;
}

void decodeRecordState(const std::string& text, Record& r) {
    Json state = Json::parse(text);
    const Json& writes = state.at("w");
    Json& fields = state.at("f");
    for (auto it = fields.begin(); it != fields.end(); ++it) {
        const Json& w = writes.at(it->at(0).get<size_t>());
        r.fields[it.key()] = FieldState{std::move(it->at(1)), w.at(0).get<int64_t>(), w.at(1).get<std::string>(),
                                        w.at(2).get<std::string>(), w.at(3).get<std::string>()};
    }
}

}  // namespace jc::server
