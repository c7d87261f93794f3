#pragma once
// Case KPIs for headquarters (DESIGN.md §2, "every complaint answered and resolved",
// 事事有回音、件件有着落): response rate, completion rate (办结率) and on-time rate over a set of
// complaints, and counts of findings by area, category and county. Pure functions over plain
// facts, so the store, the server and the reports compute the same numbers.
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/dates.h"

namespace jc {

// [SECTION] Complaints

struct ComplaintFacts {
    std::string status;  // workflow status (core/workflow.h)
    Date received;
    std::optional<Date> deadline;   // time limit in working days, already turned into a date
    std::optional<Date> repliedOn;  // set when the complaint has a reply
    std::optional<Date> closedOn;   // set when the complaint was closed (办结)
};

struct ComplaintKpi {
    int total = 0;
    int replied = 0;            // has a reply date
    int closed = 0;             // has a closed date, or status "closed"
    int onTimeClosed = 0;       // closed on or before the deadline (closed with no deadline counts as on time)
    int open = 0;               // total - closed
    double responseRate = 0;    // replied / total
    double completionRate = 0;  // closed / total (办结率)
    double onTimeRate = 0;      // onTimeClosed / closed
};

// Rates are 0 when their denominator is 0. A closed complaint whose closing date is unknown
// counts as closed but not as on time (there is nothing to prove it).
ComplaintKpi complaintKpi(std::span<const ComplaintFacts> complaints);

// [SECTION] Findings

struct FindingFacts {
    std::string area;        // supervision area code (domain.h areas())
    std::string category;    // case category code (domain.h categories())
    std::string regionCode;  // GB/T 2260 code of any level
};

struct FindingCounts {
    int total = 0;
    // Keyed by code; findings without a value are counted under "" (shown as 未填 / not set).
    std::map<std::string, int> byArea, byCategory, byCounty;
};

// The county-level part of a GB/T 2260 code (its first 6 digits), or "" when the code has fewer
// than 6 digits (province or city only) or is not all digits.
std::string countyCode(std::string_view regionCode);

FindingCounts groupFindings(std::span<const FindingFacts> findings);

}  // namespace jc
