#pragma once
// A fresh SQLite server database in a temporary directory, opened, with team 第一检查组 and the
// given users in it: where the server's unit tests (apply, auth) start.
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/domain.h"
#include "support/temp_dir.h"
#include "sync/server/admin.h"
#include "sync/server/sqlite_storage.h"

namespace jc::test {

struct ServerDb {
    TempDir dir;
    std::unique_ptr<server::ServerStorage> storage;
    explicit ServerDb(const std::vector<std::pair<std::string, Role>>& users) {
        std::string path = (dir.path / "server.db").string();
        server::initSqliteStorage(path);
        storage = server::openSqliteStorage(path);
        server::Admin admin(*storage);
        admin.addTeam("第一检查组");
        for (const auto& [name, role] : users) admin.addUser(name, role, "第一检查组");
    }
};

}  // namespace jc::test
