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

// The filter of the findings list. Statistics (app/statistics.h) take the same struct, so a number
// in a table and the list opened from it (drill-down) count the same findings.
struct FindingFilter {
    std::string campaignId, status, category, area, assignee;
    std::string regionPrefix;   // county or township code (prefix match)
    bool overdueOnly = false;   // has an open rectification past its deadline
    std::string search;         // CJK full-text query
    std::string severity;       // low | medium | high | critical
    std::string misconductType; // findings carrying this misconduct type (among others)
    std::string subjectUnitId;  // the supervised unit
    std::string teamId;         // findings whose assignee belongs to this team
    // Date range, China Standard Time days, both ends included ("" = open). By the recording date
    // (created_at) or by the acceptance date (the case history's accept); a finding never
    // accepted has no acceptance date and is outside any acceptance-date range.
    std::string dateFrom, dateTo;
    std::string dateBasis = "recorded";  // recorded | accepted
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
    std::string regionPrefix, category, respondentUnitId, teamId;
    std::string dateFrom, dateTo;  // by the day received (China Standard Time), both ends included
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
int64_t countComplaints(Database& db, const ComplaintFilter& f);

// A WHERE clause (" WHERE … AND …") with its arguments in order, for queries that aggregate over
// exactly the rows a list shows (app/statistics.h). Findings are aliased `f`, complaints `c`.
struct SqlWhere {
    std::string sql = " WHERE f.deleted = 0";
    std::vector<Json> args;
    void add(const std::string& cond, Json v) {
        sql += " AND " + cond;
        args.push_back(std::move(v));
    }
};
SqlWhere findingFilterSql(Database& db, const FindingFilter& f, const std::string& today);
SqlWhere complaintFilterSql(const ComplaintFilter& f);
void bindAll(Statement& s, const std::vector<Json>& args, int first = 1);

// The UTC timestamp at which China Standard Time day `d` begins ("YYYY-MM-DDT16:00:00.000Z" of
// the day before): date filters on stored UTC timestamps compare against these bounds.
std::string chinaDayStartUtc(const Date& d);
// The China Standard Time day of a stored UTC timestamp, as SQL over column `expr`.
std::string chinaDaySql(const std::string& expr);
// SQL for the time a finding (table alias `alias`) was first accepted, from its case history; NULL
// when it never was.
std::string findingAcceptedAtSql(const std::string& alias);

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

// Ids from what a person typed (CLI arguments, the editor's "open by number"). The callers say
// what none or two matches mean in their own words.
//
// The ids of `entity` records (finding, complaint, rectification or warning; UsageError for
// others) that `token` names: the id itself or, for a finding, its local or official number.
// Deleted records count unless `liveOnly`. At most `limit`: two tell the token is ambiguous.
std::vector<std::string> caseIdsNamed(Database& db, const std::string& entity, const std::string& token, bool liveOnly,
                                      int limit = 2);
// The live campaign, unit or team (UsageError for others) whose id is `token`, or whose title
// (campaign) or name (unit, team) it is; the oldest when several share the name.
std::optional<std::string> findNamedId(Database& db, const std::string& entity, const std::string& token);

}  // namespace jc
