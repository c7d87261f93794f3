#pragma once
// 电子监察: importing the approval system's records (CSV or XLSX, see tabular_file.h) as
// `approval` records. Two steps, so nothing is written before the user has seen it:
//   previewApprovalImport() reads the file, applies the column mapping and checks every row
//   (bad rows come back with their line number and reason), and says for each good row whether
//   it is new, an update of the record with the same 办件编号, or unchanged;
//   commitApprovalImport() writes the preview in one transaction. A preview with bad rows is
//   refused unless the user chose to skip them; re-importing the same file changes nothing, and
//   the same 办件编号 always updates its one record.
// The column mapping (which header holds 事项名称, 办件编号 …) is guessed from the headers, may be
// given by the user, and is saved by name on this device (import_mapping) for the next import.
// Deadlines: 受理时间 (China time) + 承诺时限 working days of the calendar.
#include <string>
#include <vector>

#include "app/context.h"
#include "app/tabular_file.h"

namespace jc {

// The fields an import fills, in the order of the preview, with their Chinese labels.
struct ApprovalColumn {
    const char* field;  // approval field
    const char* label;  // 事项名称 …
    bool required;
};
const std::vector<ApprovalColumn>& approvalColumns();

struct ApprovalImportOptions {
    TextEncoding encoding = TextEncoding::Auto;
    std::string mappingName;  // a saved mapping to use ("" = guess from the headers)
    Json mapping;             // field → header text; overrides the saved or guessed mapping per field
    std::string regionCode;   // region of units not yet known (their records' region_code)
};

struct ImportRowError {
    int line = 0;
    std::string reason;
};

struct ApprovalImportRow {
    int line = 0;
    FieldMap fields;     // the approval fields to write (deadline included)
    std::string action;  // "new" | "update" | "unchanged"
    std::string existingId;
    std::vector<std::string> changed;  // fields an update changes
};

struct ApprovalImportPreview {
    std::string path, format, encoding;
    std::vector<std::string> headers;
    Json mapping = Json::object();  // field → header actually used
    std::vector<ApprovalImportRow> rows;
    std::vector<ImportRowError> errors;
    int newCount = 0, updateCount = 0, unchangedCount = 0;
    std::string regionCode;
    Json toJson() const;  // summary for --json and the GUI (rows up to 200)
};

// Throws ValidationError when the file cannot be read (encoding, XLSX damage, limits) or a
// required column has no mapping; row problems are listed in `errors` instead.
ApprovalImportPreview previewApprovalImport(AppContext& ctx, const std::string& path, const ApprovalImportOptions& opt);

struct ApprovalImportResult {
    int created = 0, updated = 0, unchanged = 0, skipped = 0, unitsCreated = 0;
};
// HQ only. Writes the good rows; throws ValidationError when the preview has bad rows and
// `skipBadRows` is false. `saveMappingAs` non-empty saves the preview's mapping under that name.
ApprovalImportResult commitApprovalImport(AppContext& ctx, const ApprovalImportPreview& preview, bool skipBadRows,
                                          const std::string& saveMappingAs = {});

// Saved mappings on this device.
std::vector<std::string> importMappingNames(Store& store);
Json importMapping(Store& store, const std::string& name);  // throws NotFoundError
void saveImportMapping(Store& store, const std::string& name, const Json& mapping);

}  // namespace jc
