// KPIs headquarters reports on: complaint response, completion (办结率) and on-time rates, and
// where the findings are.
#include "core/kpi.h"

#include <catch2/catch.hpp>
#include <vector>

using namespace jc;

namespace {
Date d(const char* s) {
    return Date::parse(s);
}
}  // namespace

TEST_CASE("no complaints gives zero rates, not a division by zero", "[kpi]") {
    ComplaintKpi k = complaintKpi({});
    CHECK(k.total == 0);
    CHECK(k.responseRate == 0);
    CHECK(k.completionRate == 0);
    CHECK(k.onTimeRate == 0);
}

TEST_CASE("response, completion and on-time rates over a set of complaints", "[kpi]") {
    std::vector<ComplaintFacts> cs = {
        // replied and closed before the deadline
        {"closed", d("2026-09-01"), d("2026-09-22"), d("2026-09-10"), d("2026-09-15")},
        // replied, closed after the deadline
        {"closed", d("2026-09-01"), d("2026-09-22"), d("2026-09-20"), d("2026-09-25")},
        // replied, still open
        {"replied", d("2026-09-05"), d("2026-09-26"), d("2026-09-20"), std::nullopt},
        // not yet answered
        {"investigating", d("2026-09-07"), d("2026-09-28"), std::nullopt, std::nullopt},
    };
    ComplaintKpi k = complaintKpi(cs);
    CHECK(k.total == 4);
    CHECK(k.replied == 3);
    CHECK(k.closed == 2);
    CHECK(k.open == 2);
    CHECK(k.onTimeClosed == 1);
    CHECK(k.responseRate == Approx(0.75));
    CHECK(k.completionRate == Approx(0.5));
    CHECK(k.onTimeRate == Approx(0.5));
}

TEST_CASE("closing on the deadline day is on time, one day later is not", "[kpi]") {
    std::vector<ComplaintFacts> cs = {
        {"closed", d("2026-09-01"), d("2026-09-22"), d("2026-09-22"), d("2026-09-22")},
        {"closed", d("2026-09-01"), d("2026-09-22"), d("2026-09-22"), d("2026-09-23")},
    };
    ComplaintKpi k = complaintKpi(cs);
    CHECK(k.onTimeClosed == 1);
    CHECK(k.onTimeRate == Approx(0.5));
}

TEST_CASE("closed without a closing date counts as closed but cannot prove it was on time", "[kpi]") {
    std::vector<ComplaintFacts> cs = {
        {"closed", d("2026-09-01"), d("2026-09-22"), d("2026-09-02"), std::nullopt},
        {"closed", d("2026-09-01"), std::nullopt, d("2026-09-02"), d("2026-12-31")},  // no deadline was set
    };
    ComplaintKpi k = complaintKpi(cs);
    CHECK(k.closed == 2);
    CHECK(k.onTimeClosed == 1);
    CHECK(k.completionRate == Approx(1.0));
    CHECK(k.onTimeRate == Approx(0.5));
}

TEST_CASE("county code is the first six digits of a GB/T 2260 code", "[kpi]") {
    CHECK(countyCode("130102001") == "130102");
    CHECK(countyCode("130102") == "130102");
    CHECK(countyCode("130102001203") == "130102");
    CHECK(countyCode("1301").empty());
    CHECK(countyCode("13010a001").empty());
    CHECK(countyCode("").empty());
}

TEST_CASE("findings are counted by area, category and county", "[kpi]") {
    std::vector<FindingFacts> fs = {
        {"hotspot_issues", "land_acquisition", "130102001"},
        {"hotspot_issues", "land_acquisition", "130102003"},
        {"integrity", "wage_arrears", "130104"},
        {"", "pollution", "13"},
    };
    FindingCounts n = groupFindings(fs);
    CHECK(n.total == 4);
    CHECK(n.byArea.at("hotspot_issues") == 2);
    CHECK(n.byArea.at("integrity") == 1);
    CHECK(n.byArea.at("") == 1);
    CHECK(n.byCategory.at("land_acquisition") == 2);
    CHECK(n.byCategory.size() == 3);
    CHECK(n.byCounty.at("130102") == 2);
    CHECK(n.byCounty.at("130104") == 1);
    CHECK(n.byCounty.at("") == 1);
    CHECK(n.byCounty.size() == 3);
}
