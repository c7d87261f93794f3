#pragma once
// Internals shared by the two ways app/statistics.h counts: SQL over the store
// (statistics.cpp) and aggregation over the in-memory fact cache (statistics_facts.cpp). The
// cache loads its facts with the very SQL expressions the grouped queries use (dimension keys,
// money fields, complaint facts), so both paths give the same numbers. Not for other callers.
#include <map>
#include <string>
#include <vector>

#include "app/queries.h"
#include "app/statistics.h"
#include "core/calendar.h"
#include "core/kpi.h"

namespace jc::stats_detail {

// Where a source's dimension columns come from, as SQL over its FROM clause ("" = none).
struct Source {
    std::string from;  // FROM … (joins included)
    std::string region, category, area, misconduct, unit, assignee, stamp;
};
Source findingSource(const FindingFilter& f);  // stamp by f.dateBasis
Source complaintSourceDef();
Source rectificationSource();
Source warningSource();
// The grouping expression of a dimension over a source (NULL when the source has no such column;
// "misconduct" is `mt.value` of a json_each join named mt).
std::string dimensionSql(const std::string& dim, const Source& s);

// A finding's money or count field (amount_owed …) as SQL over `f`, 0 for other categories.
const std::vector<std::string>& findingFieldMeasures();
std::string findingFieldExpr(const std::string& code);

using Key = std::vector<std::string>;
struct Partial {
    std::map<Key, std::vector<double>> rows;  // values indexed like the query's measures
    std::vector<double> totals;
};

// Complaints: the columns read per complaint (SELECT … FROM complaint c) and the facts from them.
std::string complaintFactColumns();
ComplaintFacts complaintFactsAt(Statement& s, int firstColumn);
struct ComplaintGroup {
    std::vector<ComplaintFacts> facts;
    double replyDays = 0, closeDays = 0;
    int replyN = 0, closeN = 0;
    void add(const ComplaintFacts& cf, const WorkCalendar& cal);
    void fill(const std::vector<std::string>& codes, const std::vector<size_t>& slots, std::vector<double>& v) const;
};
void mergeComplaintGroups(const std::map<Key, ComplaintGroup>& groups, const ComplaintGroup& all, bool grouped,
                          const std::vector<size_t>& slots, const std::vector<std::string>& codes, size_t measureCount,
                          Partial& out);

// Counts the query over the cache's facts into `out`, as the SQL of statistics.cpp would
// (app/statistics_facts.cpp).
struct StatsFacts;
void aggregateFacts(const StatsFacts& facts, const WorkCalendar& cal, const Date& today, const FindingFilter& f,
                    const std::vector<std::string>& dims, const std::vector<std::string>& codes,
                    const std::vector<MeasureInfo>& measures, Partial& out);

}  // namespace jc::stats_detail
