#pragma once
// Streams a table (typed columns, then rows one by one) into a file: XLSX (xlsx_sink) or CSV
// (csv_sink). The exports write every list through this one interface, so an XLSX and a CSV of
// the same list have the same columns in the same order.
//
// Values are typed so each format writes them properly: money as integer fen (XLSX: a number in
// yuan with a ¥ format; CSV: "1234.56"), dates as "YYYY-MM-DD" (XLSX: a real date), timestamps as
// stored UTC ISO strings (written in Beijing time), counts and rates as numbers.
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace jc::report {

enum class ColumnKind { Text, LongText, Integer, Number, Percent, Money, Date, Timestamp };

struct Column {
    std::string header;
    ColumnKind kind = ColumnKind::Text;
};

// One cell: empty (std::monostate), text (also dates and timestamps), or a number (fen for Money).
using Cell = std::variant<std::monostate, std::string, double>;

// What heads a table: the sheet (XLSX) or the title line (CSV).
struct TableInfo {
    std::string sheetName;            // XLSX sheet name (cut to 31 characters, forbidden ones replaced)
    std::string title;                // CSV: the first line, so the filters travel with the file
    std::vector<Column> columns;
};

class TableSink {
public:
    virtual ~TableSink() = default;
    // Starts a table. A CSV file holds one table; a workbook one sheet per table.
    virtual void beginTable(const TableInfo& info) = 0;
    virtual void row(const std::vector<Cell>& cells) = 0;
    virtual void endTable() = 0;
    // Writes and closes the file; throws StorageError when it cannot be written.
    virtual void close() = 0;
};

// A Beijing-time "YYYY-MM-DD HH:MM:SS" for a stored UTC timestamp ("" when not a timestamp).
std::string beijingTime(const std::string& isoUtc);

}  // namespace jc::report
