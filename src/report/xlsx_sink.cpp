#include "report/xlsx_sink.h"

#include <xlsxwriter.h>

#include <algorithm>
#include <cmath>

#include "core/china_time.h"
#include "core/dates.h"
#include "core/utf8.h"
#include "core/error.h"

namespace jc::report {

struct XlsxSink::Impl {
    std::filesystem::path path;
    lxw_workbook* wb = nullptr;
    lxw_worksheet* ws = nullptr;
    lxw_format *header = nullptr, *money = nullptr, *date = nullptr, *stamp = nullptr, *percent = nullptr,
               *integer = nullptr, *label = nullptr, *title = nullptr;
    std::vector<Column> columns;
    std::vector<std::vector<Cell>> sample;  // rows held back until the column widths are known
    bool widthsSet = false;
    lxw_row_t nextRow = 1;
    std::vector<std::string> sheetNames;

    void check(lxw_error e, const char* what) {
        if (e != LXW_NO_ERROR) throw StorageError(std::string("XLSX ") + what + ": " + lxw_strerror(e));
    }

    std::string sheetName(const std::string& wanted) {
        std::string name;
        int n = 0;
        for (size_t i = 0; i < wanted.size() && n < 31;) {
            size_t start = i;
            uint32_t cp = decodeUtf8(wanted, i);
            if (cp == '[' || cp == ']' || cp == ':' || cp == '*' || cp == '?' || cp == '/' || cp == '\\') name += '_';
            else name.append(wanted, start, i - start);
            ++n;
        }
        if (name.empty()) name = "Sheet";
        std::string unique = name;
        for (int k = 2; std::find(sheetNames.begin(), sheetNames.end(), unique) != sheetNames.end(); ++k)
            unique = name + "(" + std::to_string(k) + ")";
        sheetNames.push_back(unique);
        return unique;
    }

    void setWidths() {
        for (size_t c = 0; c < columns.size(); ++c) {
            int w = terminalWidth(columns[c].header);
            switch (columns[c].kind) {
                case ColumnKind::Money: w = std::max(w, 14); break;
                case ColumnKind::Date: w = std::max(w, 11); break;
                case ColumnKind::Timestamp: w = std::max(w, 17); break;
                case ColumnKind::Integer:
                case ColumnKind::Number:
                case ColumnKind::Percent: w = std::max(w, 8); break;
                default:
                    for (const auto& r : sample)
                        if (c < r.size())
                            if (const auto* s = std::get_if<std::string>(&r[c])) w = std::max(w, terminalWidth(*s));
            }
            int cap = columns[c].kind == ColumnKind::LongText ? 60 : 40;
            double width = std::clamp(w + 2, 6, cap) * 1.05;
            check(worksheet_set_column(ws, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c), width, nullptr), "column width");
        }
        widthsSet = true;
        for (const auto& r : sample) write(r);
        sample.clear();
    }

    void write(const std::vector<Cell>& cells) {
        lxw_row_t row = nextRow++;
        for (size_t c = 0; c < cells.size() && c < columns.size(); ++c) {
            auto col = static_cast<lxw_col_t>(c);
            const Cell& cell = cells[c];
            ColumnKind kind = columns[c].kind;
            if (std::holds_alternative<std::monostate>(cell)) continue;
            if (const auto* d = std::get_if<double>(&cell)) {
                if (kind == ColumnKind::Money) worksheet_write_number(ws, row, col, *d / 100.0, money);
                else if (kind == ColumnKind::Percent) worksheet_write_number(ws, row, col, *d / 100.0, percent);
                else if (kind == ColumnKind::Integer) worksheet_write_number(ws, row, col, *d, integer);
                else worksheet_write_number(ws, row, col, *d, nullptr);
                continue;
            }
            const std::string& s = std::get<std::string>(cell);
            if (kind == ColumnKind::Date) {
                if (auto dd = Date::tryParse(s.substr(0, 10))) {
                    lxw_datetime dt{dd->year, dd->month, dd->day, 0, 0, 0};
                    worksheet_write_datetime(ws, row, col, &dt, date);
                    continue;
                }
            } else if (kind == ColumnKind::Timestamp) {
                if (auto ms = parseIsoTimestamp(s)) {
                    ChinaTime t = chinaTime(*ms);
                    lxw_datetime dt{t.date.year, t.date.month, t.date.day, t.hour, t.minute, static_cast<double>(t.second)};
                    worksheet_write_datetime(ws, row, col, &dt, stamp);
                    continue;
                }
            }
            worksheet_write_string(ws, row, col, s.c_str(), nullptr);
        }
    }
};

XlsxSink::XlsxSink(const std::filesystem::path& path) : m(std::make_unique<Impl>()) {
    m->path = path;
    lxw_workbook_options opt{};
    opt.constant_memory = LXW_TRUE;
    m->wb = workbook_new_opt(path.c_str(), &opt);
    if (!m->wb) throw StorageError("cannot create " + path.string());
    auto fmt = [&](const char* num) {
        lxw_format* f = workbook_add_format(m->wb);
        if (num) format_set_num_format(f, num);
        return f;
    };
    m->header = fmt(nullptr);
    format_set_bold(m->header);
    format_set_bg_color(m->header, 0xDDE4EE);
    format_set_border(m->header, LXW_BORDER_THIN);
    format_set_text_wrap(m->header);
    format_set_align(m->header, LXW_ALIGN_VERTICAL_CENTER);
    m->money = fmt("\xC2\xA5#,##0.00");  // ¥#,##0.00
    m->date = fmt("yyyy-mm-dd");
    m->stamp = fmt("yyyy-mm-dd hh:mm");
    m->percent = fmt("0.0%");
    m->integer = fmt("#,##0");
    m->label = fmt(nullptr);
    format_set_bold(m->label);
    m->title = fmt(nullptr);
    format_set_bold(m->title);
    format_set_font_size(m->title, 14);
}

XlsxSink::~XlsxSink() {
    if (m->wb) {
        workbook_close(m->wb);  // a failed export leaves a file; the caller removes it
        m->wb = nullptr;
    }
}

void XlsxSink::infoSheet(const std::string& name, const std::vector<std::pair<std::string, std::string>>& lines) {
    lxw_worksheet* ws = workbook_add_worksheet(m->wb, m->sheetName(name).c_str());
    if (!ws) throw StorageError("XLSX: cannot add sheet " + name);
    worksheet_set_column(ws, 0, 0, 14, nullptr);
    worksheet_set_column(ws, 1, 1, 90, nullptr);
    lxw_row_t r = 0;
    for (const auto& [label, value] : lines) {
        if (value.empty() && r == 0) {
            worksheet_write_string(ws, r++, 0, label.c_str(), m->title);
            continue;
        }
        worksheet_write_string(ws, r, 0, label.c_str(), m->label);
        worksheet_write_string(ws, r, 1, value.c_str(), nullptr);
        ++r;
    }
}

void XlsxSink::beginTable(const TableInfo& info) {
    m->ws = workbook_add_worksheet(m->wb, m->sheetName(info.sheetName).c_str());
    if (!m->ws) throw StorageError("XLSX: cannot add sheet " + info.sheetName);
    m->columns = info.columns;
    m->sample.clear();
    m->widthsSet = false;
    m->nextRow = 1;
    worksheet_set_row(m->ws, 0, 30, nullptr);
    for (size_t c = 0; c < info.columns.size(); ++c)
        worksheet_write_string(m->ws, 0, static_cast<lxw_col_t>(c), info.columns[c].header.c_str(), m->header);
    worksheet_freeze_panes(m->ws, 1, 0);
}

void XlsxSink::row(const std::vector<Cell>& cells) {
    if (!m->widthsSet) {
        m->sample.push_back(cells);
        if (m->sample.size() >= kWidthSampleRows) m->setWidths();
        return;
    }
    m->write(cells);
}

void XlsxSink::endTable() {
    if (!m->ws) return;
    if (!m->widthsSet) m->setWidths();
    if (!m->columns.empty())
        m->check(worksheet_autofilter(m->ws, 0, 0, std::max<lxw_row_t>(m->nextRow - 1, 0),
                                      static_cast<lxw_col_t>(m->columns.size() - 1)),
                 "autofilter");
    m->ws = nullptr;
}

void XlsxSink::close() {
    if (m->ws) endTable();
    if (!m->wb) return;
    lxw_error e = workbook_close(m->wb);
    m->wb = nullptr;
    if (e != LXW_NO_ERROR) throw StorageError("cannot write " + m->path.string() + ": " + lxw_strerror(e));
}

}  // namespace jc::report
