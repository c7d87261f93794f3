#pragma once
// The entity registry: every synced entity of DESIGN.md §2 with its typed fields.
// The store builds its tables from it, the outbox records changes by these field names,
// and sync applies remote changes through it, so an unknown field or a value of the wrong
// type is refused in one place.
//
// Every entity also has the common columns id (UUIDv7), created_at, updated_at, created_by
// and deleted (soft delete; rows are never removed).
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace jc {

using Json = nlohmann::json;
using FieldMap = nlohmann::json;  // a JSON object: field name -> value (null clears a field)

enum class FieldKind {
    Text,       // UTF-8 string
    Int,        // 64-bit integer
    Money,      // integer fen (分), never floating point
    Real,       // double (GPS coordinates, measured values)
    Date,       // "YYYY-MM-DD"
    Timestamp,  // ISO-8601 UTC
    Bool,       // true / false (stored 0/1)
    Json,       // list or object, stored as JSON text
    Ref,        // UUID of another entity
};

struct FieldDef {
    const char* name;
    FieldKind kind;
    bool required = false;
    int maxLength = 0;  // UTF-8 bytes for Text; 0 = the default limit
};

struct EntityDef {
    const char* name;  // also the table name
    std::vector<FieldDef> fields;
    const FieldDef* field(std::string_view name) const;
};

// Limits that apply to every text field unless the field says otherwise.
inline constexpr int kDefaultTextLimit = 4000;
inline constexpr int kLongTextLimit = 100'000;  // narratives, complaint content
inline constexpr int kJsonLimit = 200'000;

const std::vector<EntityDef>& allEntities();
const EntityDef& entityDef(std::string_view name);  // throws ValidationError for an unknown entity
bool isCommonField(std::string_view name);          // id, created_at, updated_at, created_by, deleted

// Checks names and types of the given fields. With `creating`, required fields must be present
// and non-empty. Throws ValidationError naming the entity and field.
void validateFields(const EntityDef& def, const FieldMap& fields, bool creating);

// Normalises a value for storage: Json kinds become their dump() text, Bool becomes 0/1.
// Reverse of decodeValue(). Used by the store and by sync.
Json encodeValue(const FieldDef& f, const Json& value);
Json decodeValue(const FieldDef& f, const Json& stored);

}  // namespace jc
