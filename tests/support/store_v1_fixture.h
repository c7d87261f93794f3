#pragma once
// What tests/fixtures/store_v1.db holds: the fixed ids of some of its records and its rows per
// table. Written by tests/tools/make_store_v1_fixture.cpp, checked by tests/unit/migrations_test.cpp.
#include <cstdint>
#include <map>
#include <string>

namespace jc::test::store_v1 {

// Fixed ids so the test can look records up after the upgrade.
const std::string kCampaign = "0190a000-0000-7000-8000-0000000000c1";
const std::string kUnit = "0190a000-0000-7000-8000-0000000000a1";
const std::string kFindingDemolition = "0190a000-0000-7000-8000-0000000000f1";
const std::string kFindingDeleted = "0190a000-0000-7000-8000-0000000000f4";
const std::string kComplaintWages = "0190a000-0000-7000-8000-0000000000e1";

// Rows per table in the fixture.
const std::map<std::string, int64_t> kFixtureRows = {
    {"unit", 2},         {"person", 1},        {"campaign", 1},     {"finding", 4},      {"complaint", 3},
    {"rectification", 1}, {"comment", 1},       {"case_event", 1},   {"evidence", 1},     {"outbox", 17},
    {"field_meta", 2},   {"audit_event", 18},  {"region", 4},       {"calendar_day", 3}, {"search_rowid", 7},
    {"search_index", 6}, {"meta", 3},
};

}  // namespace jc::test::store_v1
