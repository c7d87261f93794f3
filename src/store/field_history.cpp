#include "store/field_history.h"

namespace jc {

bool keepsFieldHistory(std::string_view entity) {
    return entity == "finding" || entity == "complaint" || entity == "rectification";
}

void recordFieldHistory(Database& db, std::string_view entity, const std::string& id, const FieldMap& before,
                        const Json& after, const std::string& author, const std::string& at, const char* source) {
    if (!keepsFieldHistory(entity) || !after.is_object()) return;
    auto& s = db.cached(
        "INSERT INTO field_history(entity, entity_id, field, old_value, new_value, author, at, source) "
        "VALUES(?,?,?,?,?,?,?,?)");
    for (auto it = after.begin(); it != after.end(); ++it) {
        if (isCommonField(it.key()) && it.key() != "deleted") continue;
        Json old = before.is_object() ? before.value(it.key(), Json()) : Json();
        if (old == *it) continue;
        s.bind(1, entity).bind(2, id).bind(3, it.key()).bind(4, old.dump()).bind(5, it->dump());
        s.bind(6, author).bind(7, at).bind(8, source);
        s.run();
        s.reset();
    }
}

std::vector<FieldHistoryRow> fieldHistory(Database& db, std::string_view entity, const std::string& id, int limit) {
    auto s = db.prepare(
        "SELECT seq, field, old_value, new_value, author, at, source FROM field_history "
        "WHERE entity = ? AND entity_id = ? ORDER BY seq LIMIT ?");
    s.bind(1, entity).bind(2, id).bind(3, limit);
    std::vector<FieldHistoryRow> out;
    while (s.step()) {
        FieldHistoryRow r;
        r.seq = s.getInt(0);
        r.field = s.getText(1);
        r.oldValue = Json::parse(s.getText(2), nullptr, false);
        r.newValue = Json::parse(s.getText(3), nullptr, false);
        r.author = s.getText(4);
        r.at = s.getText(5);
        r.source = s.getText(6);
        out.push_back(std::move(r));
    }
    return out;
}

}  // namespace jc
