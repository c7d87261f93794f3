#include "store/field_versions.h"

#include <charconv>
#include <vector>

#include "core/error.h"

namespace jc {

std::string encodeFieldVersions(const FieldVersions& versions) {
    std::map<int64_t, std::vector<const std::string*>> byVersion;
    for (const auto& [field, v] : versions) byVersion[v].push_back(&field);
    std::string out;
    for (const auto& [v, fields] : byVersion) {
        if (!out.empty()) out += ';';
        out += std::to_string(v);
        out += ':';
        for (size_t i = 0; i < fields.size(); ++i) {
            if (i) out += ',';
            out += *fields[i];
        }
    }
    return out;
}

FieldVersions decodeFieldVersions(std::string_view text) {
    FieldVersions out;
    auto bad = [&] { return StorageError("field_meta: malformed versions '" + std::string(text) + "'"); };
    size_t pos = 0;
    while (pos < text.size()) {
        size_t end = text.find(';', pos);
        if (end == std::string_view::npos) end = text.size();
        std::string_view group = text.substr(pos, end - pos);
        size_t colon = group.find(':');
        if (colon == std::string_view::npos || colon == 0) throw bad();
        int64_t v = 0;
        auto [p, ec] = std::from_chars(group.data(), group.data() + colon, v);
        if (ec != std::errc() || p != group.data() + colon) throw bad();
        std::string_view names = group.substr(colon + 1);
        size_t n = 0;
        while (n <= names.size()) {
            size_t comma = names.find(',', n);
            if (comma == std::string_view::npos) comma = names.size();
            if (comma == n) throw bad();
            out[std::string(names.substr(n, comma - n))] = v;
            n = comma + 1;
        }
        pos = end + 1;
    }
    return out;
}

FieldVersions loadFieldVersions(Database& db, std::string_view entity, const std::string& id) {
    auto& s = db.cached("SELECT versions FROM field_meta WHERE entity = ? AND entity_id = ?");
    s.bind(1, entity).bind(2, id);
    FieldVersions out;
    if (s.step()) out = decodeFieldVersions(s.getText(0));
    s.reset();
    return out;
}

void saveFieldVersions(Database& db, std::string_view entity, const std::string& id, const FieldVersions& versions) {
    if (versions.empty()) {
        auto& del = db.cached("DELETE FROM field_meta WHERE entity = ? AND entity_id = ?");
        del.bind(1, entity).bind(2, id);
        del.run();
        return;
    }
    auto& s = db.cached("INSERT OR REPLACE INTO field_meta(entity, entity_id, versions) VALUES(?,?,?)");
    s.bind(1, entity).bind(2, id).bind(3, encodeFieldVersions(versions));
    s.run();
}

bool raiseFieldVersion(FieldVersions& versions, const std::string& field, int64_t version) {
    auto [it, added] = versions.emplace(field, version);
    if (added) return true;
    if (version < it->second) return false;
    bool changed = version != it->second;
    it->second = version;
    return changed;
}

void lowerFieldVersionsAbove(Database& db, int64_t ceiling) {
    std::vector<std::tuple<std::string, std::string, FieldVersions>> lowered;
    {
        auto s = db.prepare("SELECT entity, entity_id, versions FROM field_meta");
        while (s.step()) {
            FieldVersions v = decodeFieldVersions(s.getText(2));
            bool changed = false;
            for (auto& [field, version] : v)
                if (version > ceiling) version = ceiling, changed = true;
            if (changed) lowered.emplace_back(s.getText(0), s.getText(1), std::move(v));
        }
    }
    for (const auto& [entity, id, v] : lowered) saveFieldVersions(db, entity, id, v);
}

}  // namespace jc
