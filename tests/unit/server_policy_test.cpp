// The server's write policy (sync/server/policy.h) as a table: role × entity × action, each row
// allowed or refused, without HTTP or storage. The integration tests push the same rules end to end.
#include <catch2/catch.hpp>

#include <string>

#include "sync/server/policy.h"

using namespace jc;
using namespace jc::server;

namespace {

Account member(const std::string& name, const std::string& team) {
    Account a;
    a.userId = "u-" + name;
    a.name = name;
    a.teamId = team;
    return a;
}

Record record(const std::string& entity, const std::string& scope, const std::string& team) {
    Record r;
    r.entity = entity;
    r.id = "0190a000-0000-7000-8000-000000000001";
    r.scope = scope;
    r.teamId = team;
    return r;
}

bool allowed(Role role, const std::string& entity, bool creating, const Json& fields, const std::string& scope = kScopeTeam,
             const std::string& recordTeam = "t1", const std::string& userTeam = "t1") {
    try {
        authorizeWrite(member("u", userTeam), role, record(entity, scope, recordTeam), creating, fields);
        return true;
    } catch (const Rejection&) {
        return false;
    }
}

}  // namespace

TEST_CASE("policy: who may write which entity", "[policy]") {
    struct Row {
        Role role;
        const char* entity;
        const char* scope;
        bool creating;
        bool ok;
    };
    const Json f = {{"title", "x"}};
    const Row table[] = {
        // case records of the user's own team
        {Role::Inspector, "finding", kScopeTeam, true, true},
        {Role::Lead, "finding", kScopeTeam, true, true},
        {Role::HqAdmin, "finding", kScopeTeam, true, true},
        {Role::Inspector, "complaint", kScopeTeam, false, true},
        // only leads and HQ order rectifications and issue warnings
        {Role::Inspector, "rectification", kScopeTeam, true, false},
        {Role::Lead, "rectification", kScopeTeam, true, true},
        {Role::Inspector, "warning", kScopeTeam, true, false},
        {Role::Lead, "warning", kScopeTeam, true, true},
        {Role::Inspector, "warning", kScopeTeam, false, true},  // acknowledging an existing one
        // shared reference records: unit and person by anyone, the rest by HQ only
        {Role::Inspector, "unit", kScopeShared, true, true},
        {Role::Inspector, "person", kScopeShared, false, true},
        {Role::Inspector, "campaign", kScopeShared, true, false},
        {Role::Lead, "form_template", kScopeShared, false, false},
        {Role::HqAdmin, "campaign", kScopeShared, true, true},
        // team and user records: HQ only
        {Role::Lead, "team", kScopeTeam, false, false},
        {Role::Lead, "user", kScopeTeam, true, false},
        {Role::HqAdmin, "user", kScopeTeam, true, true},
    };
    for (const auto& r : table) {
        INFO(roleCode(r.role) << " " << (r.creating ? "creates " : "changes ") << r.entity);
        CHECK(allowed(r.role, r.entity, r.creating, f, r.scope) == r.ok);
    }
}

TEST_CASE("policy: case records of another team or of no team are refused", "[policy]") {
    const Json f = {{"title", "x"}};
    CHECK_FALSE(allowed(Role::Inspector, "finding", false, f, kScopeTeam, "t2", "t1"));
    CHECK_FALSE(allowed(Role::Lead, "complaint", false, f, kScopeTeam, "t2", "t1"));
    CHECK_FALSE(allowed(Role::Inspector, "finding", true, f, kScopeTeam, "t1", ""));
    CHECK(allowed(Role::HqAdmin, "finding", false, f, kScopeTeam, "t2", "t1"));
    CHECK(allowed(Role::Inspector, "unit", false, f, kScopeShared, "", ""));  // shared: no team needed
}

TEST_CASE("policy: conflicts are created by the server and only resolved by leads, in their own name", "[policy]") {
    const Json resolve = {{"resolution", "kept_loser"}, {"resolved_by", "u"}};
    CHECK_FALSE(allowed(Role::Lead, "conflict", true, resolve));
    CHECK_FALSE(allowed(Role::Inspector, "conflict", false, resolve));
    CHECK(allowed(Role::Lead, "conflict", false, resolve));
    CHECK_FALSE(allowed(Role::Lead, "conflict", false, {{"resolution", "kept_winner"}, {"resolved_by", "someone else"}}));
    CHECK_FALSE(allowed(Role::Lead, "conflict", false, {{"winner_value", {{"value", 1}}}}));
    CHECK_FALSE(allowed(Role::Lead, "conflict", false, {{"resolution", "flip_a_coin"}}));
}

TEST_CASE("policy: official numbers are the server's", "[policy]") {
    CHECK_FALSE(allowed(Role::Lead, "finding", false, {{"official_number", "张监〔2026〕0001号"}}));
    CHECK(allowed(Role::HqAdmin, "finding", false, {{"official_number", "张监〔2026〕0001号"}}));
}

TEST_CASE("policy: status changes follow the workflow and its comments", "[policy]") {
    auto step = [](Role role, const std::string& from, const std::string& to, bool comment) {
        try {
            checkStatusChange("finding", role, from.empty(), from, {{"status", to}}, comment);
            return true;
        } catch (const Rejection&) {
            return false;
        }
    };
    CHECK(step(Role::Inspector, "draft", "submitted", false));
    CHECK_FALSE(step(Role::Inspector, "submitted", "accepted", false));  // only a lead accepts
    CHECK(step(Role::Lead, "submitted", "accepted", false));
    CHECK_FALSE(step(Role::Lead, "submitted", "returned", false));       // returning needs a comment
    CHECK(step(Role::Lead, "submitted", "returned", true));
    CHECK_FALSE(step(Role::Lead, "draft", "accepted", false));           // no such transition
    CHECK(step(Role::Inspector, "", "draft", false));                    // a new finding starts as a draft
    // Other entities have no workflow here.
    CHECK_NOTHROW(checkStatusChange("unit", Role::Inspector, false, "x", {{"status", "y"}}, false));
}

TEST_CASE("policy: a case record's scope follows its owner", "[policy]") {
    Record owner = record("finding", kScopeTeam, "t9");
    auto ref = ownerRef("comment", {{"entity", "finding"}, {"entity_id", owner.id}});
    REQUIRE(ref);
    CHECK(ref->first == "finding");
    Record c;
    c.entity = "comment";
    assignScope(c, {{"entity", "finding"}, {"entity_id", owner.id}}, &owner, "t1");
    CHECK(c.teamId == "t9");
    Record u;
    u.entity = "unit";
    assignScope(u, {{"name", "x"}}, nullptr, "t1");
    CHECK(u.scope == kScopeShared);
}

TEST_CASE("only a lead or HQ may clear a 时间存疑 flag", "[server][policy][clock]") {
    const Json clear = {{"received_at", "2026-12-02T01:00:00.000Z"}, {"time_suspect", false}};
    CHECK_FALSE(allowed(Role::Inspector, "complaint", false, clear));
    CHECK(allowed(Role::Lead, "complaint", false, clear));
    CHECK(allowed(Role::HqAdmin, "complaint", false, clear));
    // The device's own flagging (a record made before the first sync, clock set since) stays allowed.
    CHECK(allowed(Role::Inspector, "complaint", false, {{"time_suspect", true}}));
}
