#pragma once
// The three case workflows of DESIGN.md §2 as explicit state machines: one transition table
// each, checked in one place. An illegal transition, a role that may not take it, or a
// missing required comment is an error with a message — never a silent no-op. The server
// runs the same checks on every pushed status change.
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/domain.h"

namespace jc {

enum class Machine { Finding, Complaint, Rectification };

// Bit mask of roles allowed to take a transition.
enum RoleMask : unsigned { kInspector = 1, kLead = 2, kHq = 4, kAnyRole = 7 };
unsigned roleBit(Role r);

struct Transition {
    const char* from;
    const char* action;  // e.g. "submit", "accept", "return", "dismiss"
    const char* to;
    unsigned roles;     // RoleMask bits
    bool needsComment;  // return / dismiss / reply … must carry text
};

std::string_view machineName(Machine m);      // "finding", "complaint", "rectification"
Machine machineFor(std::string_view entity);  // throws ValidationError for other entities
std::string_view initialStatus(Machine m);    // draft / received / ordered
std::span<const Transition> transitions(Machine m);
std::span<const CodeLabel> statuses(Machine m);       // every status with zh/en labels
std::span<const CodeLabel> actions(Machine m);        // every action with zh/en labels (buttons, menus)
bool isTerminal(Machine m, std::string_view status);  // known status with no way out

// Returns the transition for (status, action) if `role` may take it with this comment.
// Throws ValidationError (unknown action, illegal from this status, comment missing) or
// ForbiddenError (role not allowed), each naming status, action and role.
const Transition& checkTransition(Machine m, std::string_view fromStatus, std::string_view action, Role role,
                                  std::string_view comment);

// The transition that moves `from` to `to`, if any (used by the server to check pushed status changes).
const Transition* findTransitionTo(Machine m, std::string_view from, std::string_view to);

// Actions this role may take from this status (for menus and buttons).
std::vector<const Transition*> availableActions(Machine m, std::string_view fromStatus, Role role);

}  // namespace jc
