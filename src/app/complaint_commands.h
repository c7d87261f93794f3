#pragma once
// Complaint (投诉) commands: intake with first-contact responsibility (首问负责制), assignment,
// hand-over (recorded), investigation, reply and close. Deadlines are counted in Chinese
// working days from the day of receipt (default 15, or the campaign's setting).
#include <string>

#include "app/context.h"

namespace jc {

inline constexpr int kDefaultComplaintWorkdays = 15;

struct ComplaintIntake {
    std::string campaignId;  // optional
    std::string title;
    std::string channel;     // walk_in | hotline | web | letter (or its Chinese label)
    std::string content;
    bool anonymous = false;
    std::string complainantName, complainantPhone, complainantIdNumber;  // sealed, never stored in clear
    std::string respondentUnitId, respondentPersonId;
    std::string category, regionCode;
    std::string receivedAt;  // ISO timestamp; now when empty
};

std::string receiveComplaint(AppContext& ctx, const ComplaintIntake& in);
void assignComplaint(AppContext& ctx, const std::string& id, const std::string& assignee);
// The current owner (first-contact handler or assignee) hands the complaint to another user.
void handOverComplaint(AppContext& ctx, const std::string& id, const std::string& toUser, const std::string& note);
void startInvestigation(AppContext& ctx, const std::string& id);
void replyComplaint(AppContext& ctx, const std::string& id, const std::string& reply);
void closeComplaint(AppContext& ctx, const std::string& id, const std::string& outcome, const std::string& satisfaction);

// Reveals the sealed complainant identity (hq_admin with the HQ secret key only); audited.
Json revealComplainant(AppContext& ctx, const std::string& id);

}  // namespace jc
