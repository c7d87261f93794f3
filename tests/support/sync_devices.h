#pragma once
// Test helper for multi-device sync tests: a device is a data directory driven through the real
// `jiancha` binary, and snapshot() reads a replica's synced records so tests can say "identical
// replicas". Used by tests/integration/sync_*_test.cpp.
#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "store/store.h"
#include "support/jiancha_cli.h"

namespace jc::test {

using Device = JianchaCli;

// Every synced field of every record of the case entities, keyed by entity and id: what
// "identical replicas" means (updated_at is local bookkeeping and left out).
inline std::map<std::string, Json> snapshot(const std::filesystem::path& dataDir) {
    Store store((dataDir / "jiancha.db").string());
    std::map<std::string, Json> out;
    for (const char* entity : {"finding", "complaint", "rectification", "conflict", "case_event", "comment", "unit", "campaign"}) {
        auto s = store.db().prepare(std::string("SELECT * FROM ") + entity + " ORDER BY id");
        while (s.step()) {
            Json row = rowToFields(entityDef(entity), s);
            row.erase("updated_at");
            out[std::string(entity) + "/" + row["id"].get<std::string>()] = row;
        }
    }
    return out;
}

}  // namespace jc::test
