#pragma once
// The ordered list of schema migrations applied by Store on open (PRAGMA user_version).
#include <vector>

namespace jc {

struct Migration {
    int version;
    const char* description;
    const char* sql;
};

const std::vector<Migration>& migrations();

}  // namespace jc
