#include "core/kpi.h"

namespace jc {

namespace {
double ratio(int num, int den) {
    return den == 0 ? 0.0 : static_cast<double>(num) / den;
}
}  // namespace

ComplaintKpi complaintKpi(std::span<const ComplaintFacts> complaints) {
    ComplaintKpi k;
    for (const auto& c : complaints) {
        ++k.total;
        if (c.repliedOn) ++k.replied;
        if (!c.closedOn && c.status != "closed") continue;
        ++k.closed;
        if (c.closedOn && (!c.deadline || *c.closedOn <= *c.deadline)) ++k.onTimeClosed;
    }
    k.open = k.total - k.closed;
    k.responseRate = ratio(k.replied, k.total);
    k.completionRate = ratio(k.closed, k.total);
    k.onTimeRate = ratio(k.onTimeClosed, k.closed);
    return k;
}

std::string countyCode(std::string_view code) {
    if (code.size() < 6) return {};
    for (char c : code)
        if (c < '0' || c > '9') return {};
    return std::string(code.substr(0, 6));
}

FindingCounts groupFindings(std::span<const FindingFacts> findings) {
    FindingCounts n;
    for (const auto& f : findings) {
        ++n.total;
        ++n.byArea[f.area];
        ++n.byCategory[f.category];
        ++n.byCounty[countyCode(f.regionCode)];
    }
    return n;
}

}  // namespace jc
