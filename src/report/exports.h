#pragma once
// Exports of the lists and of statistics to XLSX and CSV (report/table_sink.h), with the filters
// the user had on screen, the time of export and who exported written into the file.
//
// - Findings: the common columns, then the category's template facts as their own columns. XLSX
//   has one sheet per category (only that category's facts); CSV one table whose fact columns
//   are those of every category present (empty where a fact does not belong to the row).
// - Rows are the list's rows under the same filter and in the list's order, so an export's row
//   count equals the list's count and the statistics' number (app/statistics.h).
// - Complainant identities are never written: the sealed identity is not even read, not by HQ
//   and not after HQ revealed one (reveals stay on screen and in the audit log).
// - XLSX is written in libxlsxwriter's constant-memory mode: 100,000 findings in a few MB.
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "app/context.h"
#include "app/queries.h"
#include "app/statistics.h"

namespace jc::report {

enum class ExportFormat { Xlsx, Csv };
ExportFormat parseExportFormat(const std::string& s);  // "xlsx" | "csv"; throws ValidationError

// What is exported: findings, complaints, rectifications or warnings.
inline constexpr const char* kExportEntities[] = {"findings", "complaints", "rectifications", "warnings"};

struct ExportRequest {
    std::string entity = "findings";
    ExportFormat format = ExportFormat::Xlsx;
    std::filesystem::path path;
    FindingFilter filter;         // for complaints, rectifications and warnings: the parts that apply (statistics.h)
    std::string status;           // complaints / rectifications: their own status ("" = any; rectifications
                                  // also "open" = not verified); findings use filter.status
    bool openComplaintsOnly = false;
    std::string exportedBy;       // user name written into the file
};

struct ExportSummary {
    int64_t rows = 0;
    std::vector<std::pair<std::string, int64_t>> tables;  // sheet name -> rows
};

// Progress: rows written so far (for a progress bar); may be empty.
using ExportProgress = std::function<void(int64_t rows)>;

// Writes the file (replacing it); on any failure removes the partial file and throws.
ExportSummary exportList(AppContext& ctx, const ExportRequest& req, ExportProgress progress = {});

// A statistics table as shown: dimension columns, one column per measure, a 合计 row, and the
// notes; XLSX with a first sheet stating the filters.
ExportSummary exportStatistics(AppContext& ctx, const StatsResult& r, const FindingFilter& filter, ExportFormat format,
                               const std::filesystem::path& path, const std::string& exportedBy);

// The sheet of label/value lines every export starts with (XLSX) or the title line (CSV).
std::vector<std::pair<std::string, std::string>> exportInfo(Database& db, const std::string& what, const FindingFilter& f,
                                                            const std::string& exportedBy, int64_t rows);

}  // namespace jc::report
