#include "core/workflow.h"

#include "core/error.h"
#include "core/i18n.h"

namespace jc {

namespace {
constexpr unsigned kReview = kLead | kHq;

// [SECTION] Transition tables (DESIGN.md §2). Order matters only for availableActions().
const Transition kFinding[] = {
    {"draft", "submit", "submitted", kAnyRole, false},
    {"returned", "submit", "submitted", kAnyRole, false},
    {"submitted", "accept", "accepted", kReview, false},
    {"submitted", "return", "returned", kReview, true},
    {"submitted", "dismiss", "dismissed", kReview, true},
    {"accepted", "order_rectification", "rectification_ordered", kReview, false},
    {"rectification_ordered", "mark_rectified", "rectified", kAnyRole, false},
    {"rectified", "verify", "verified", kAnyRole, false},  // inspectors verify on site
    {"verified", "close", "closed", kReview, false},
};

const Transition kComplaint[] = {
    {"received", "assign", "assigned", kReview, false},
    {"assigned", "assign", "assigned", kReview, false},  // hand-over to another handler
    {"assigned", "investigate", "investigating", kAnyRole, false},
    {"investigating", "reply", "replied", kAnyRole, true},  // the comment is the reply text
    {"replied", "close", "closed", kAnyRole, true},         // the comment is the outcome
};

const Transition kRectification[] = {
    {"ordered", "report", "reported_done", kAnyRole, false},  {"overdue", "report", "reported_done", kAnyRole, false},
    {"reported_done", "verify", "verified", kAnyRole, false}, {"reported_done", "reject", "ordered", kAnyRole, true},
    {"ordered", "mark_overdue", "overdue", kAnyRole, false},
};

// [SECTION] Status and action labels
const CodeLabel kFindingStatuses[] = {
    {"draft", "草稿", "Draft"},
    {"submitted", "已提交", "Submitted"},
    {"returned", "已退回", "Returned"},
    {"accepted", "已采纳", "Accepted"},
    {"dismissed", "不予采纳", "Dismissed"},
    {"rectification_ordered", "已责令整改", "Rectification ordered"},
    {"rectified", "已整改", "Rectified"},
    {"verified", "已核实", "Verified"},
    {"closed", "已办结", "Closed"},
};

const CodeLabel kComplaintStatuses[] = {
    {"received", "已受理", "Received"},
    {"assigned", "已交办", "Assigned"},
    {"investigating", "调查中", "Investigating"},
    {"replied", "已答复", "Replied"},
    {"closed", "已办结", "Closed"},
};

const CodeLabel kRectificationStatuses[] = {
    {"ordered", "整改中", "In progress"},
    {"reported_done", "已报告完成", "Reported done"},
    {"verified", "已验收", "Verified"},
    {"overdue", "已逾期", "Overdue"},
};

const CodeLabel kFindingActions[] = {
    {"submit", "提交", "Submit"},
    {"accept", "采纳", "Accept"},
    {"return", "退回", "Return"},
    {"dismiss", "不予采纳", "Dismiss"},
    {"order_rectification", "责令整改", "Order rectification"},
    {"mark_rectified", "标记已整改", "Mark rectified"},
    {"verify", "核实", "Verify"},
    {"close", "办结", "Close"},
};

const CodeLabel kComplaintActions[] = {
    {"assign", "交办", "Assign"},
    {"investigate", "开始调查", "Investigate"},
    {"reply", "答复", "Reply"},
    {"close", "办结", "Close"},
};

const CodeLabel kRectificationActions[] = {
    {"report", "报告完成", "Report done"},
    {"verify", "验收", "Verify"},
    {"reject", "验收不通过", "Reject"},
    {"mark_overdue", "标记逾期", "Mark overdue"},
};

std::string quoted(std::string_view s) {
    return "'" + std::string(s) + "'";
}

std::string joinCodes(std::span<const CodeLabel> list) {
    std::string out;
    for (const auto& c : list) out += (out.empty() ? "" : ", ") + std::string(c.code);
    return out;
}
}  // namespace

unsigned roleBit(Role r) {
    switch (r) {
        case Role::Inspector:
            return kInspector;
        case Role::Lead:
            return kLead;
        case Role::HqAdmin:
            return kHq;
    }
    return 0;
}

std::string_view machineName(Machine m) {
    switch (m) {
        case Machine::Finding:
            return "finding";
        case Machine::Complaint:
            return "complaint";
        case Machine::Rectification:
            return "rectification";
    }
    return "finding";
}

Machine machineFor(std::string_view entity) {
    if (entity == "finding") return Machine::Finding;
    if (entity == "complaint") return Machine::Complaint;
    if (entity == "rectification") return Machine::Rectification;
    throw ValidationError(trf("workflow.err_no_machine", {entity}));
}

std::string_view initialStatus(Machine m) {
    switch (m) {
        case Machine::Finding:
            return "draft";
        case Machine::Complaint:
            return "received";
        case Machine::Rectification:
            return "ordered";
    }
    return "draft";
}

std::span<const Transition> transitions(Machine m) {
    switch (m) {
        case Machine::Finding:
            return kFinding;
        case Machine::Complaint:
            return kComplaint;
        case Machine::Rectification:
            return kRectification;
    }
    return {};
}

std::span<const CodeLabel> statuses(Machine m) {
    switch (m) {
        case Machine::Finding:
            return kFindingStatuses;
        case Machine::Complaint:
            return kComplaintStatuses;
        case Machine::Rectification:
            return kRectificationStatuses;
    }
    return {};
}

std::span<const CodeLabel> actions(Machine m) {
    switch (m) {
        case Machine::Finding:
            return kFindingActions;
        case Machine::Complaint:
            return kComplaintActions;
        case Machine::Rectification:
            return kRectificationActions;
    }
    return {};
}

bool isTerminal(Machine m, std::string_view status) {
    if (!hasCode(statuses(m), status)) return false;
    for (const auto& t : transitions(m))
        if (status == t.from) return false;
    return true;
}

const Transition& checkTransition(Machine m, std::string_view fromStatus, std::string_view action, Role actorRole,
                                  std::string_view comment) {
    const std::string name(machineName(m));
    if (!hasCode(statuses(m), fromStatus))
        throw ValidationError(name + ": unknown status " + quoted(fromStatus) + " (known: " + joinCodes(statuses(m)) +
                              ")");
    if (!hasCode(actions(m), action))
        throw ValidationError(name + ": unknown action " + quoted(action) + " (known: " + joinCodes(actions(m)) + ")");
    const Transition* found = nullptr;
    for (const auto& t : transitions(m))
        if (fromStatus == t.from && action == t.action) found = &t;
    if (found && (found->roles & roleBit(actorRole)) && !(found->needsComment && isBlank(comment))) return *found;
    // A refusal, in the user's language (core/i18n.h), keeping the codes for scripts.
    loadStringTables();
    const std::string entity = m == Machine::Finding     ? tr("workflow.finding")
                               : m == Machine::Complaint ? tr("workflow.complaint")
                                                         : tr("workflow.rectification");
    const std::string act(action), from(fromStatus), roleName(roleCode(actorRole)),
        actLabel = codeLabel(actions(m), action), fromLabel = codeLabel(statuses(m), fromStatus);
    if (!found) {
        std::string allowed;
        for (const auto& t : transitions(m))
            if (fromStatus == t.from)
                allowed += (allowed.empty() ? "" : ", ") + std::string(codeLabel(actions(m), t.action)) + " (" + t.action + ")";
        std::string suffix = allowed.empty() ? std::string(tr("workflow.final")) : trf("workflow.possible", {allowed});
        throw ValidationError(trf("workflow.cannot", {act, from, suffix, entity, actLabel, fromLabel}));
    }
    if (!(found->roles & roleBit(actorRole)))
        throw ForbiddenError(
            trf("workflow.forbidden", {roleName, roleLabel(actorRole), act, actLabel, entity, from, fromLabel}));
    throw ValidationError(trf("workflow.needs_comment", {act, actLabel, entity, from, roleName}));
}

const Transition* findTransitionTo(Machine m, std::string_view from, std::string_view to) {
    for (const auto& t : transitions(m))
        if (from == t.from && to == t.to) return &t;
    return nullptr;
}

std::vector<const Transition*> availableActions(Machine m, std::string_view fromStatus, Role role) {
    std::vector<const Transition*> out;
    for (const auto& t : transitions(m))
        if (fromStatus == t.from && (t.roles & roleBit(role))) out.push_back(&t);
    return out;
}

}  // namespace jc
