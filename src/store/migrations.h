#pragma once
// The ordered list of schema migrations applied by Store on open (PRAGMA user_version).
#include <vector>

namespace jc {

class Database;

struct Migration {
    int version;
    const char* description;
    const char* sql;
    // Rewrites rows SQL alone cannot (runs after `sql`, in the same transaction); may be null.
    void (*convert)(Database& db) = nullptr;
};

const std::vector<Migration>& migrations();

}  // namespace jc
