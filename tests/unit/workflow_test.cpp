// Case workflows: who may move a finding, complaint or rectification from which status, and
// that every refusal says why.
#include "core/workflow.h"

#include <catch2/catch.hpp>
#include <set>

#include "core/error.h"
#include "core/i18n.h"

using namespace jc;

namespace {
constexpr Role I = Role::Inspector, L = Role::Lead, H = Role::HqAdmin;
// Refusals are checked in English here (Chinese in one case below); the tables load on first use.
[[maybe_unused]] const bool kEnglish = (loadStringTables(), i18n().setLanguage(Language::En), true);

// The tables of DESIGN.md §2 written out independently: roles as "ILH" letters.
struct Spec {
    Machine m;
    const char *from, *action, *to, *roles;
    bool comment;
};
const Spec kSpec[] = {
    {Machine::Finding, "draft", "submit", "submitted", "ILH", false},
    {Machine::Finding, "returned", "submit", "submitted", "ILH", false},
    {Machine::Finding, "submitted", "accept", "accepted", "LH", false},
    {Machine::Finding, "submitted", "return", "returned", "LH", true},
    {Machine::Finding, "submitted", "dismiss", "dismissed", "LH", true},
    {Machine::Finding, "accepted", "order_rectification", "rectification_ordered", "LH", false},
    {Machine::Finding, "rectification_ordered", "mark_rectified", "rectified", "ILH", false},
    {Machine::Finding, "rectified", "verify", "verified", "ILH", false},
    {Machine::Finding, "verified", "close", "closed", "LH", false},
    {Machine::Complaint, "received", "assign", "assigned", "LH", false},
    {Machine::Complaint, "assigned", "assign", "assigned", "LH", false},
    {Machine::Complaint, "assigned", "investigate", "investigating", "ILH", false},
    {Machine::Complaint, "investigating", "reply", "replied", "ILH", true},
    {Machine::Complaint, "replied", "close", "closed", "ILH", true},
    {Machine::Rectification, "ordered", "report", "reported_done", "ILH", false},
    {Machine::Rectification, "overdue", "report", "reported_done", "ILH", false},
    {Machine::Rectification, "reported_done", "verify", "verified", "ILH", false},
    {Machine::Rectification, "reported_done", "reject", "ordered", "ILH", true},
    {Machine::Rectification, "ordered", "mark_overdue", "overdue", "ILH", false},
};

char letter(Role r) {
    return r == I ? 'I' : r == L ? 'L' : 'H';
}

// Walks a path of actions as one role, returning the final status.
std::string walk(Machine m, std::string status, std::initializer_list<const char*> path, Role role) {
    for (const char* action : path) status = checkTransition(m, status, action, role, "说明").to;
    return status;
}
}  // namespace

TEST_CASE("every transition of the design exists with exactly the roles and comment rule it names", "[workflow]") {
    for (const auto& s : kSpec) {
        for (Role r : {I, L, H}) {
            INFO(machineName(s.m) << " " << s.from << " -" << s.action << "-> " << s.to << " as " << roleCode(r));
            bool allowed = std::string(s.roles).find(letter(r)) != std::string::npos;
            if (allowed) {
                CHECK(std::string(checkTransition(s.m, s.from, s.action, r, "意见").to) == s.to);
                if (s.comment)
                    CHECK_THROWS_AS(checkTransition(s.m, s.from, s.action, r, ""), ValidationError);
                else
                    CHECK_NOTHROW(checkTransition(s.m, s.from, s.action, r, ""));
            } else {
                CHECK_THROWS_AS(checkTransition(s.m, s.from, s.action, r, "意见"), ForbiddenError);
            }
        }
    }
    // and nothing more
    for (Machine m : {Machine::Finding, Machine::Complaint, Machine::Rectification}) {
        size_t n = 0;
        for (const auto& s : kSpec) n += s.m == m;
        CHECK(transitions(m).size() == n);
    }
}

TEST_CASE("a finding goes from draft to closed, dismissed and closed are final", "[workflow]") {
    CHECK(initialStatus(Machine::Finding) == "draft");
    CHECK(walk(Machine::Finding, "draft",
               {"submit", "accept", "order_rectification", "mark_rectified", "verify", "close"}, L) == "closed");
    CHECK(walk(Machine::Finding, "draft", {"submit", "return", "submit", "dismiss"}, H) == "dismissed");
    CHECK(isTerminal(Machine::Finding, "closed"));
    CHECK(isTerminal(Machine::Finding, "dismissed"));
    CHECK_FALSE(isTerminal(Machine::Finding, "draft"));
    CHECK_FALSE(isTerminal(Machine::Finding, "returned"));
    CHECK_FALSE(isTerminal(Machine::Finding, "no_such_status"));
    CHECK_THROWS_WITH(checkTransition(Machine::Finding, "closed", "submit", H, ""), Catch::Contains("final"));
}

TEST_CASE("refusals name the status, the action and the role", "[workflow]") {
    CHECK_THROWS_WITH(checkTransition(Machine::Finding, "draft", "accept", L, ""),
                      Catch::Contains("finding: cannot 'accept' (Accept) from status 'draft' (Draft) (possible: Submit (submit)"));
    CHECK_THROWS_WITH(checkTransition(Machine::Finding, "submitted", "accept", I, ""),
                      Catch::Contains("role inspector (inspector) may not 'accept' (Accept) a finding"));
    CHECK_THROWS_WITH(checkTransition(Machine::Finding, "submitted", "return", L, ""),
                      Catch::Contains("'return' (Return) requires a comment"));
    // The same refusals in Chinese, the default language, still naming the codes.
    i18n().setLanguage(Language::Zh);
    CHECK_THROWS_WITH(checkTransition(Machine::Finding, "draft", "accept", L, ""),
                      Catch::Contains("检查发现当前为“草稿”（draft），不能") && Catch::Contains("（accept）"));
    CHECK_THROWS_WITH(checkTransition(Machine::Finding, "submitted", "accept", I, ""),
                      Catch::Contains("检查员（inspector）无权对“已提交”（submitted）状态的检查发现执行"));
    i18n().setLanguage(Language::En);
    CHECK_THROWS_WITH(checkTransition(Machine::Complaint, "received", "assign", I, ""),
                      Catch::Contains("inspector") && Catch::Contains("complaint") && Catch::Contains("received"));
    CHECK_THROWS_WITH(checkTransition(Machine::Finding, "submitted", "approve", L, ""),
                      Catch::Contains("unknown action 'approve'"));
    CHECK_THROWS_WITH(checkTransition(Machine::Finding, "pending", "submit", L, ""),
                      Catch::Contains("unknown status 'pending'"));
    try {
        checkTransition(Machine::Finding, "submitted", "accept", I, "");
        FAIL("expected ForbiddenError");
    } catch (const ForbiddenError& e) {
        CHECK(e.code() == ErrorCode::Forbidden);
    }
    try {
        checkTransition(Machine::Finding, "draft", "accept", L, "");
        FAIL("expected ValidationError");
    } catch (const ValidationError& e) {
        CHECK(e.code() == ErrorCode::Invalid);
    }
}

TEST_CASE("a blank comment does not count, including a full-width space from the IME", "[workflow]") {
    for (const char* blank : {"", "   ", "\t\n", "\xE3\x80\x80", " \xE3\x80\x80 "})
        CHECK_THROWS_AS(checkTransition(Machine::Finding, "submitted", "dismiss", L, blank), ValidationError);
    CHECK(std::string(checkTransition(Machine::Finding, "submitted", "dismiss", L, "证据不足").to) == "dismissed");
}

TEST_CASE("the role check comes before the comment check", "[workflow]") {
    CHECK_THROWS_AS(checkTransition(Machine::Finding, "submitted", "return", I, ""), ForbiddenError);
}

TEST_CASE("a complaint is assigned, handed over, investigated, replied to and closed", "[workflow]") {
    CHECK(initialStatus(Machine::Complaint) == "received");
    std::string s = checkTransition(Machine::Complaint, "received", "assign", L, "").to;
    s = checkTransition(Machine::Complaint, s, "assign", H, "").to;  // hand-over keeps the status
    CHECK(s == "assigned");
    s = walk(Machine::Complaint, s, {"investigate"}, I);
    CHECK_THROWS_WITH(checkTransition(Machine::Complaint, s, "reply", I, ""),
                      Catch::Contains("'reply' (Reply) requires a comment"));
    s = checkTransition(Machine::Complaint, s, "reply", I, "已责成该局三日内退还多收费用").to;
    CHECK_THROWS_AS(checkTransition(Machine::Complaint, s, "close", I, " "), ValidationError);
    s = checkTransition(Machine::Complaint, s, "close", I, "已退还，投诉人满意").to;
    CHECK(s == "closed");
    CHECK(isTerminal(Machine::Complaint, "closed"));
    CHECK_FALSE(isTerminal(Machine::Complaint, "replied"));
}

TEST_CASE("a rectification can go overdue, be reported, rejected and finally verified", "[workflow]") {
    CHECK(initialStatus(Machine::Rectification) == "ordered");
    CHECK(walk(Machine::Rectification, "ordered", {"mark_overdue", "report", "reject", "report", "verify"}, I) ==
          "verified");
    CHECK(isTerminal(Machine::Rectification, "verified"));
    CHECK_FALSE(isTerminal(Machine::Rectification, "overdue"));
    CHECK_THROWS_AS(checkTransition(Machine::Rectification, "verified", "reject", H, "再查"), ValidationError);
}

TEST_CASE("available actions drive the buttons a user sees", "[workflow]") {
    auto codes = [](std::vector<const Transition*> ts) {
        std::vector<std::string> out;
        for (const auto* t : ts) out.push_back(t->action);
        return out;
    };
    CHECK(codes(availableActions(Machine::Finding, "submitted", L)) ==
          std::vector<std::string>{"accept", "return", "dismiss"});
    CHECK(codes(availableActions(Machine::Finding, "submitted", I)).empty());
    CHECK(codes(availableActions(Machine::Finding, "draft", I)) == std::vector<std::string>{"submit"});
    CHECK(codes(availableActions(Machine::Finding, "closed", H)).empty());
    CHECK(codes(availableActions(Machine::Rectification, "ordered", I)) ==
          std::vector<std::string>{"report", "mark_overdue"});
}

TEST_CASE("the server finds the transition behind a pushed status change", "[workflow]") {
    const Transition* t = findTransitionTo(Machine::Finding, "submitted", "returned");
    REQUIRE(t);
    CHECK(std::string(t->action) == "return");
    CHECK(t->needsComment);
    CHECK(findTransitionTo(Machine::Finding, "draft", "closed") == nullptr);
    CHECK(findTransitionTo(Machine::Complaint, "assigned", "assigned") != nullptr);
}

TEST_CASE("every status and action has Chinese and English labels", "[workflow]") {
    for (Machine m : {Machine::Finding, Machine::Complaint, Machine::Rectification}) {
        std::set<std::string> statusCodes, actionCodes;
        for (const auto& c : statuses(m)) {
            CHECK(std::string(c.zh).size() > 0);
            CHECK(std::string(c.en).size() > 0);
            statusCodes.insert(c.code);
        }
        for (const auto& c : actions(m)) actionCodes.insert(c.code);
        CHECK(statusCodes.count(std::string(initialStatus(m))));
        for (const auto& t : transitions(m)) {
            CHECK(statusCodes.count(t.from));
            CHECK(statusCodes.count(t.to));
            CHECK(actionCodes.count(t.action));
        }
    }
    CHECK(findCode(statuses(Machine::Finding), "draft", "status").zh == std::string("草稿"));
    CHECK(findCode(statuses(Machine::Finding), "closed", "status").zh == std::string("已办结"));
    CHECK(findCode(statuses(Machine::Finding), "dismissed", "status").zh == std::string("不予采纳"));
    CHECK(findCode(statuses(Machine::Complaint), "assigned", "status").zh == std::string("已交办"));
    CHECK(findCode(statuses(Machine::Rectification), "overdue", "status").zh == std::string("已逾期"));
}

TEST_CASE("only the three case entities have a workflow", "[workflow]") {
    CHECK(machineFor("finding") == Machine::Finding);
    CHECK(machineFor("complaint") == Machine::Complaint);
    CHECK(machineFor("rectification") == Machine::Rectification);
    CHECK(machineName(Machine::Rectification) == "rectification");
    CHECK_THROWS_AS(machineFor("unit"), ValidationError);
    CHECK(roleBit(Role::Inspector) == kInspector);
    CHECK(roleBit(Role::HqAdmin) == kHq);
}
