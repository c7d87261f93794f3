#pragma once
// Reading the spreadsheets other systems export (the approval system's CSV and XLSX files) into
// rows of UTF-8 text, with the line number of every row so errors can point at it.
//
//  - CSV (RFC 4180: quoted fields, doubled quotes, line breaks inside quotes, CRLF or LF) in
//    UTF-8 with or without BOM, or GB18030 (a superset of GBK and GB2312), converted with glibc's
//    iconv. Auto-detection: a UTF-8 BOM means UTF-8; else valid UTF-8 is UTF-8; else GB18030.
//    The user may name the encoding, and then a file that is not in it is refused.
//  - XLSX (a zip of XML parts, read with libzip and expat): the first sheet of the workbook and
//    its shared strings. Numbers come as written in the file (a date cell is its serial number,
//    e.g. "46293.395833"; the approval import reads those). A row's line number is its
//    spreadsheet row number.
// Limits: files up to 64 MiB, XML parts up to 512 MiB unpacked, 200,000 rows, 200 columns, cells
// up to 32 KiB. Anything else (bad encoding, broken zip or XML, over a limit) throws
// ValidationError with a message that names the place, and nothing is returned.
#include <string>
#include <vector>

namespace jc {

enum class TextEncoding { Auto, Utf8, Gb18030 };
TextEncoding parseTextEncoding(const std::string& s);  // "auto" | "utf8" | "gb18030" (also "gbk"); throws UsageError

struct TextTable {
    std::vector<std::vector<std::string>> rows;  // the header is rows[0] when the file has one
    std::vector<int> lines;                      // line (CSV) or row (XLSX) number of each row, from 1
    std::string format;                          // "csv" | "xlsx"
    std::string encoding;                        // "utf8" | "utf8-bom" | "gb18030" | "xlsx"
};

inline constexpr size_t kMaxTableFileBytes = 64u << 20;
inline constexpr size_t kMaxTableRows = 200'000;
inline constexpr size_t kMaxTableColumns = 200;
inline constexpr size_t kMaxTableCellBytes = 32u << 10;

// CSV from bytes already read. Empty lines are skipped.
TextTable parseCsv(const std::string& bytes, TextEncoding encoding);
// XLSX from a file. Rows with no cell are skipped.
TextTable readXlsx(const std::string& path);
// Either, by content: a zip ("PK\x03\x04") is read as XLSX, anything else as CSV.
TextTable readTableFile(const std::string& path, TextEncoding encoding);

}  // namespace jc
