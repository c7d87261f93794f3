#pragma once
// The KPI figures of a campaign (or of all campaigns) from the store: complaint response,
// completion (办结率) and on-time rates, findings by area, category and county. The store's rows
// are turned into core/kpi.h facts here, so the CLI (`jiancha kpi`) and the GUI show the same
// numbers. Dates of replies and closings are civil dates in China (UTC+8).
#include <string>

#include "base/db.h"
#include "core/kpi.h"

namespace jc {

struct KpiReport {
    ComplaintKpi complaints;
    FindingCounts findings;
};

// `campaignId` "" = every campaign. Deleted records do not count.
KpiReport loadKpiReport(Database& db, const std::string& campaignId);

}  // namespace jc
