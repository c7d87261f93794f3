#include "app/kpi_report.h"

#include <vector>

namespace jc {

KpiReport loadKpiReport(Database& db, const std::string& campaignId) {
    std::vector<ComplaintFacts> cf;
    {
        auto s = db.prepare(
            "SELECT c.status, c.received_at, c.deadline, c.reply_at, "
            "(SELECT max(e.at) FROM case_event e WHERE e.entity = 'complaint' AND e.entity_id = c.id AND e.to_status = 'closed') "
            "FROM complaint c WHERE c.deleted = 0 AND (?1 = '' OR c.campaign_id = ?1)");
        s.bind(1, campaignId);
        auto day = [](const std::string& ts) { return Date::chinaDate(*parseIsoTimestamp(ts)); };
        while (s.step()) {
            ComplaintFacts f{s.getText(0), day(s.getText(1))};
            if (!s.isNull(2)) f.deadline = Date::parse(s.getText(2));
            if (!s.isNull(3)) f.repliedOn = day(s.getText(3));
            if (!s.isNull(4)) f.closedOn = day(s.getText(4));
            cf.push_back(f);
        }
    }
    std::vector<FindingFacts> ff;
    {
        auto s = db.prepare(
            "SELECT coalesce(area, ''), category, coalesce(region_code, '') FROM finding WHERE deleted = 0 AND (?1 = '' OR campaign_id = ?1)");
        s.bind(1, campaignId);
        while (s.step()) ff.push_back({s.getText(0), s.getText(1), s.getText(2)});
    }
    return {complaintKpi(std::span<const ComplaintFacts>(cf)), groupFindings(ff)};
}

}  // namespace jc
