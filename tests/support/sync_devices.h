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
#include "support/run_process.h"

namespace jc::test {

struct Device {
    TempDir dir;
    std::string name;

    ProcessResult run(std::vector<std::string> args) {
        args.insert(args.begin(), {"--data-dir", dir.str()});
        return runProcess(JIANCHA_BIN, args);
    }
    std::string ok(std::vector<std::string> args) {
        auto r = run(args);
        INFO(name << ": jiancha " << args[0] << " → " << r.code << "\n" << r.err);
        REQUIRE(r.code == 0);
        std::string s = r.out;
        while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
        return s;
    }
    Json json(std::vector<std::string> args) {
        args.insert(args.begin(), "--json");
        return Json::parse(ok(args));
    }
    Json sync() { return json({"sync"}); }
    std::filesystem::path storePath() const { return dir.path() / "jiancha.db"; }
};

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
