#include "report/csv_sink.h"

#include <cmath>
#include <cstring>

#include "core/china_time.h"
#include "core/dates.h"
#include "core/error.h"
#include "core/form_template.h"

namespace jc::report {

std::string beijingTime(const std::string& isoUtc) {
    auto ms = parseIsoTimestamp(isoUtc);
    if (!ms) return {};
    ChinaTime t = chinaTime(*ms);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%s %02d:%02d:%02d", t.date.str().c_str(), t.hour, t.minute, t.second);
    return buf;
}

CsvSink::CsvSink(const std::filesystem::path& path) : m_path(path) {
    m_file = std::fopen(path.c_str(), "wb");
    if (!m_file) throw StorageError("cannot write " + path.string() + ": " + std::strerror(errno));
    std::fputs("\xEF\xBB\xBF", m_file);
}

CsvSink::~CsvSink() {
    if (m_file) std::fclose(m_file);
}

std::string CsvSink::quote(const std::string& f) {
    if (f.find_first_of(",\"\r\n") == std::string::npos) return f;
    std::string out = "\"";
    for (char c : f) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

void CsvSink::line(const std::vector<std::string>& fields) {
    std::string out;
    for (size_t i = 0; i < fields.size(); ++i) {
        if (i) out += ',';
        out += quote(fields[i]);
    }
    out += "\r\n";
    if (std::fwrite(out.data(), 1, out.size(), m_file) != out.size()) throw StorageError("cannot write " + m_path.string());
}

void CsvSink::beginTable(const TableInfo& info) {
    if (m_started) throw UsageError("a CSV file holds one table");
    m_started = true;
    m_columns = info.columns;
    if (!info.title.empty()) line({info.title});
    std::vector<std::string> headers;
    for (const auto& c : info.columns) headers.push_back(c.header);
    line(headers);
}

void CsvSink::row(const std::vector<Cell>& cells) {
    std::vector<std::string> out;
    out.reserve(cells.size());
    char buf[64];
    for (size_t i = 0; i < cells.size(); ++i) {
        const Cell& c = cells[i];
        ColumnKind kind = i < m_columns.size() ? m_columns[i].kind : ColumnKind::Text;
        if (std::holds_alternative<std::monostate>(c)) out.emplace_back();
        else if (const auto* s = std::get_if<std::string>(&c)) out.push_back(kind == ColumnKind::Timestamp ? beijingTime(*s) : *s);
        else {
            double v = std::get<double>(c);
            if (kind == ColumnKind::Money) out.push_back(formatYuan(static_cast<int64_t>(std::llround(v))));
            else if (kind == ColumnKind::Integer) out.push_back(std::to_string(static_cast<int64_t>(std::llround(v))));
            else if (kind == ColumnKind::Percent) std::snprintf(buf, sizeof buf, "%.1f%%", v), out.push_back(buf);
            else std::snprintf(buf, sizeof buf, "%.10g", v), out.push_back(buf);
        }
    }
    line(out);
}

void CsvSink::close() {
    if (!m_file) return;
    bool ok = std::fflush(m_file) == 0;
    ok = std::fclose(m_file) == 0 && ok;
    m_file = nullptr;
    if (!ok) throw StorageError("cannot write " + m_path.string());
}

}  // namespace jc::report
