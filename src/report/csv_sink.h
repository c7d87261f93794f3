#pragma once
// CSV for Excel and WPS on Chinese Windows: UTF-8 with a byte-order mark (without it both read
// the file as GBK), RFC 4180 quoting (fields with a comma, quote, CR or LF are quoted, quotes
// doubled), CRLF line ends. The first line is the table's title (filters, time, exporter), the
// second the column headers.
#include <cstdio>
#include <filesystem>

#include "report/table_sink.h"

namespace jc::report {

class CsvSink : public TableSink {
public:
    explicit CsvSink(const std::filesystem::path& path);  // throws StorageError
    ~CsvSink() override;
    void beginTable(const TableInfo& info) override;
    void row(const std::vector<Cell>& cells) override;
    void endTable() override {}
    void close() override;

    static std::string quote(const std::string& field);  // RFC 4180

private:
    void line(const std::vector<std::string>& fields);
    std::FILE* m_file = nullptr;
    std::filesystem::path m_path;
    std::vector<Column> m_columns;
    bool m_started = false;
};

}  // namespace jc::report
