#pragma once
// XLSX through libxlsxwriter in constant-memory mode: each row goes to a temporary file as it is
// written, so 100,000 findings take a few MB of memory. Per sheet: a bold header row that stays
// frozen, an autofilter over the data, column widths that fit Chinese text (the header and the
// first kWidthSampleRows rows measured in display columns, CJK counting 2), money as numbers in
// yuan with a ¥ format, dates and times as real Excel dates in Beijing time.
#include <filesystem>
#include <memory>

#include "report/table_sink.h"

namespace jc::report {

class XlsxSink : public TableSink {
public:
    static constexpr size_t kWidthSampleRows = 200;

    explicit XlsxSink(const std::filesystem::path& path);  // throws StorageError
    ~XlsxSink() override;
    void beginTable(const TableInfo& info) override;
    void row(const std::vector<Cell>& cells) override;
    void endTable() override;
    void close() override;

    // A sheet of label/value lines (the first sheet of an export: filters, time, who exported).
    void infoSheet(const std::string& name, const std::vector<std::pair<std::string, std::string>>& lines);

    struct Impl;

private:
    std::unique_ptr<Impl> m;
};

}  // namespace jc::report
