#pragma once
// Reference data that is not synced as entities: the GB/T 2260 region tree
// (assets/regions/pcas-code.json: province → city → county → township, ~44,700 rows) and the
// Chinese working-day calendar (assets/calendar/*.json). Loaders run in one transaction (the
// caller's, when one is open), are idempotent, and throw StorageError (file missing or
// unreadable) or ValidationError (malformed content) naming the file; on error nothing changes.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/entities.h"
#include "core/region_scope.h"
#include "base/db.h"

namespace jc {

struct LoadStats {
    int64_t rows = 0;      // rows now loaded from the file(s)
    bool skipped = false;  // the same content was already loaded; nothing was written
};

// Loads the region tree, replacing any regions already stored. Skips the work when the same
// file content (by SHA-256) was loaded before and the row count still matches.
LoadStats loadRegions(Database& db, const std::filesystem::path& file);
// Loads one calendar file or every *.json file of a directory ({"holidays": {"YYYY-MM-DD":
// "名|Name"}, "makeup_workdays": {…}}). Each file is authoritative for the years it mentions:
// stored days of those years are replaced; other years are kept (HQ may have sent them).
LoadStats loadCalendar(Database& db, const std::filesystem::path& fileOrDir);
// Both of the above from an assets directory (<assets>/regions/pcas-code.json, <assets>/calendar).
void loadReferenceData(Database& db, const std::filesystem::path& assetsDir);

int64_t regionCount(Database& db);
std::optional<Region> regionByCode(Database& db, const std::string& code);
// Direct children sorted by code; an empty parent code lists the provinces.
std::vector<Region> regionChildren(Database& db, const std::string& parentCode);
// The region and its ancestors, province first; empty when the code is unknown.
std::vector<Region> regionChain(Database& db, const std::string& code);
// Names from province down, space-separated: "甘肃省 张掖市 甘州区 东街街道". The placeholder
// city level of municipalities ("市辖区", "省直辖县级行政区划" …) is left out. "" when unknown.
std::string regionPath(Database& db, const std::string& code);
// The county (level 3) containing `code`, or the code itself for a county; nullopt for a
// province, a city or an unknown code. A 12-digit village code resolves through its township.
std::optional<std::string> countyCodeOf(Database& db, const std::string& code);
// Regions whose name contains `text` (literal, no wildcards), by level then code.
std::vector<Region> searchRegions(Database& db, const std::string& text, int limit = 50);

// The stored calendar in the shape WorkCalendar::fromJson() reads:
// {"holidays": {"YYYY-MM-DD": name, …}, "makeup_workdays": {…}}.
Json calendarJson(Database& db);

}  // namespace jc
