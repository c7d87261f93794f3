#pragma once
// Read models for lists, dashboards and the CLI. Plain structs, filled by prepared
// statements; never used to write. Column names for sorting are whitelisted.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/calendar.h"
#include "core/entities.h"
#include "base/db.h"

namespace jc {

inline constexpr int kMaxListLimit = 100'000;

struct FindingFilter {
    std::string campaignId, status, category, area, assignee;
    std::string regionPrefix;   // county or township code (prefix match)
    bool overdueOnly = false;   // has an open rectification past its deadline
    std::string search;         // CJK full-text query
    std::string sortBy = "created_at";  // local_number, title, category, area, status, severity, region, assignee, created_at, updated_at
    bool descending = true;
    int limit = 50, offset = 0;
};

struct FindingRow {
    std::string id, localNumber, officialNumber, title, category, area, status, severity;
    std::string regionCode, regionName, assignee, createdBy, createdAt, updatedAt;
};

std::vector<FindingRow> listFindings(Database& db, const FindingFilter& f, const std::string& today);
int64_t countFindings(Database& db, const FindingFilter& f, const std::string& today);

struct ComplaintFilter {
    std::string status, assignee, campaignId;
    bool openOnly = false;
    int limit = 200, offset = 0;
};

struct ComplaintRow {
    std::string id, title, channel, status, assignee, firstContactHandler, receivedAt, deadline, replyAt;
    bool anonymous = false;
    int workdaysLeft = 0;   // negative when overdue; only meaningful for open complaints
    std::string light;      // green | yellow | red | "" (closed)
    std::string byRule;     // "2027 by rule" when counting to the deadline uses a year computed by rule
};

std::vector<ComplaintRow> listComplaints(Database& db, const ComplaintFilter& f, const WorkCalendar& cal, const Date& today);

struct RectificationRow {
    std::string id, findingId, findingTitle, requiredAction, status, deadline, responsibleUnit;
    int workdaysLeft = 0;
    std::string light;
    std::string byRule;     // as in ComplaintRow
};
std::vector<RectificationRow> listRectifications(Database& db, const WorkCalendar& cal, const Date& today,
                                                 const std::string& status = {});

struct WarningRow {
    std::string id, level, reason, target, issuedBy, issuedAt, acknowledgedAt, linkedEntity, linkedId;
};
std::vector<WarningRow> listWarnings(Database& db);

// Counts by entity and status, pending outbox changes and schema version (for `jiancha status`).
struct StoreStatus {
    std::map<std::string, std::map<std::string, int64_t>> byStatus;  // entity -> status -> count
    std::map<std::string, int64_t> totals;                           // entity -> live rows
    int64_t outboxPending = 0;
    int schemaVersion = 0;
};
StoreStatus storeStatus(Database& db);

// The workflow history (case_event rows) and comments of a case, oldest first.
std::vector<Json> caseHistory(Database& db, const std::string& entity, const std::string& id);

std::string regionName(Database& db, const std::string& code);  // "" when unknown

}  // namespace jc
