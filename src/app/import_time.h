#pragma once
// Date and time of day as other systems write them in their exports, read as China Standard
// Time (UTC+8) unless the text says UTC: "2026-09-28 09:30[:00]", "2026/9/28 9:30",
// "2026.09.28", "2026年9月28日 9时30分", "20260928", "2026-09-28T01:30:00Z", a date alone
// (midnight), and spreadsheet serial numbers ("46293.3958", days since 1899-12-30, as XLSX date
// cells hold them). One place, so a shared parser can replace it.
#include <cstdint>
#include <optional>
#include <string>

namespace jc {

// Unix milliseconds, or nullopt when the text is not one of the forms above or not a real date.
std::optional<int64_t> parseImportTime(const std::string& text);

// The China-time calendar date of a unix-ms instant, "YYYY-MM-DD".
std::string chinaDateOf(int64_t unixMs);

}  // namespace jc
