#include "app/tabular_file.h"

#include <expat.h>
#include <iconv.h>
#include <zip.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <optional>

#include "core/i18n.h"
#include "core/error.h"
#include "core/utf8.h"

namespace jc {

namespace {
constexpr size_t kMaxXmlPartBytes = 512u << 20;

int lineOfOffset(const std::string& s, size_t offset) {
    int line = 1;
    for (size_t i = 0; i < offset && i < s.size(); ++i)
        if (s[i] == '\n') ++line;
    return line;
}

std::string gb18030ToUtf8(const std::string& in) {
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    if (cd == reinterpret_cast<iconv_t>(-1)) throw StorageError(tr("files.err_no_gb18030"));
    std::string out(in.size() * 2 + 16, '\0');
    char* src = const_cast<char*>(in.data());
    size_t srcLeft = in.size();
    char* dst = out.data();
    size_t dstLeft = out.size();
    while (srcLeft > 0) {
        if (iconv(cd, &src, &srcLeft, &dst, &dstLeft) != static_cast<size_t>(-1)) break;
        if (errno == E2BIG) {
            size_t used = out.size() - dstLeft;
            out.resize(out.size() * 2);
            dst = out.data() + used;
            dstLeft = out.size() - used;
            continue;
        }
        size_t at = in.size() - srcLeft;
        iconv_close(cd);
        throw ValidationError(trf("esup.file.not_gb18030", {std::to_string(lineOfOffset(in, at)), std::to_string(at + 1)}));
    }
    iconv_close(cd);
    out.resize(out.size() - dstLeft);
    return out;
}

std::string readWholeFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    if (!in) throw ValidationError(trf("esup.file.unreadable", {path}));
    auto size = static_cast<size_t>(in.tellg());
    if (size > kMaxTableFileBytes)
        throw ValidationError(trf("esup.file.too_big", {path, std::to_string(size >> 20), std::to_string(kMaxTableFileBytes >> 20)}));
    std::string bytes(size, '\0');
    in.seekg(0);
    in.read(bytes.data(), static_cast<std::streamsize>(size));
    if (!in) throw ValidationError(trf("esup.file.unreadable", {path}));
    return bytes;
}

void checkLimits(const TextTable& t, int line, size_t columns, size_t cellBytes) {
    if (t.rows.size() >= kMaxTableRows)
        throw ValidationError(trf("esup.file.too_many_rows", {std::to_string(kMaxTableRows), std::to_string(line)}));
    if (columns > kMaxTableColumns)
        throw ValidationError(trf("esup.file.too_many_columns", {std::to_string(line), std::to_string(kMaxTableColumns)}));
    if (cellBytes > kMaxTableCellBytes)
        throw ValidationError(trf("esup.file.cell_too_long", {std::to_string(line), std::to_string(kMaxTableCellBytes)}));
}
}  // namespace

TextEncoding parseTextEncoding(const std::string& s) {
    if (s == "auto" || s.empty()) return TextEncoding::Auto;
    if (s == "utf8" || s == "utf-8" || s == "UTF-8") return TextEncoding::Utf8;
    if (s == "gb18030" || s == "GB18030" || s == "gbk" || s == "GBK") return TextEncoding::Gb18030;
    throw UsageError(trf("esup.file.encoding", {s}));
}

TextTable parseCsv(const std::string& raw, TextEncoding encoding) {
    TextTable t;
    t.format = "csv";
    std::string text;
    const bool bom = raw.size() >= 3 && raw.compare(0, 3, "\xEF\xBB\xBF") == 0;
    size_t bad = 0;
    if (encoding == TextEncoding::Gb18030) {
        text = gb18030ToUtf8(raw);
        t.encoding = "gb18030";
    } else if (bom || encoding == TextEncoding::Utf8 || isValidUtf8(raw)) {
        text = bom ? raw.substr(3) : raw;
        if (!isValidUtf8(text, &bad))
            throw ValidationError(trf("esup.file.not_utf8", {std::to_string(lineOfOffset(text, bad)),
                                                             std::to_string(bad + 1 + (bom ? 3 : 0))}));
        t.encoding = bom ? "utf8-bom" : "utf8";
    } else {
        text = gb18030ToUtf8(raw);
        t.encoding = "gb18030";
    }

    std::vector<std::string> row;
    std::string cell;
    int line = 1, rowLine = 1;
    bool quoted = false, cellStarted = false, rowHasData = false;
    auto endCell = [&] {
        checkLimits(t, rowLine, row.size() + 1, cell.size());
        if (!cell.empty()) rowHasData = true;
        row.push_back(std::move(cell));
        cell.clear();
        cellStarted = false;
    };
    auto endRow = [&] {
        endCell();
        if (rowHasData) {
            t.rows.push_back(std::move(row));
            t.lines.push_back(rowLine);
        }
        row.clear();
        rowHasData = false;
    };
    const size_t n = text.size();
    for (size_t i = 0; i < n; ++i) {
        char c = text[i];
        if (quoted) {
            if (c == '"') {
                if (i + 1 < n && text[i + 1] == '"') {
                    cell += '"';
                    ++i;
                } else {
                    quoted = false;
                }
            } else {
                if (c == '\n') ++line;
                cell += c;
                if (cell.size() > kMaxTableCellBytes) checkLimits(t, rowLine, row.size(), cell.size());
            }
            continue;
        }
        if (c == '"' && !cellStarted) {
            quoted = true;
            cellStarted = true;
            rowHasData = true;
        } else if (c == ',') {
            endCell();
        } else if (c == '\r' && i + 1 < n && text[i + 1] == '\n') {
            continue;
        } else if (c == '\n' || c == '\r') {
            endRow();
            ++line;
            rowLine = line;
        } else if (c == '"') {
            throw ValidationError(trf("esup.file.stray_quote", {std::to_string(line)}));
        } else {
            cell += c;
            cellStarted = true;
            if (cell.size() > kMaxTableCellBytes) checkLimits(t, rowLine, row.size(), cell.size());
        }
    }
    if (quoted) throw ValidationError(trf("esup.file.open_quote", {std::to_string(rowLine)}));
    if (cellStarted || !row.empty() || !cell.empty()) endRow();
    return t;
}

// [SECTION] XLSX

namespace {
struct ZipCloser {
    void operator()(zip_t* z) const { zip_discard(z); }
};

std::optional<std::string> zipEntry(zip_t* z, const std::string& name) {
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat(z, name.c_str(), 0, &st) != 0) return std::nullopt;
    if (!(st.valid & ZIP_STAT_SIZE) || st.size > kMaxXmlPartBytes)
        throw ValidationError(trf("files.err_xlsx_large", {std::to_string(kMaxXmlPartBytes >> 20), name}));
    zip_file_t* f = zip_fopen(z, name.c_str(), 0);
    if (!f) throw ValidationError(trf("files.err_xlsx_damaged", {name, zip_strerror(z)}));
    std::string out(static_cast<size_t>(st.size), '\0');
    zip_int64_t got = zip_fread(f, out.data(), st.size);
    zip_fclose(f);
    if (got < 0 || static_cast<zip_uint64_t>(got) != st.size)
        throw ValidationError(trf("files.err_xlsx_damaged", {name, "read"}));
    return out;
}

// A tiny SAX driver over expat with the element path handed to callbacks by local name.
class Sax {
public:
    virtual ~Sax() = default;
    void parse(const std::string& xml, const std::string& part) {
        std::unique_ptr<XML_ParserStruct, void (*)(XML_Parser)> p(XML_ParserCreate("UTF-8"), XML_ParserFree);
        XML_SetUserData(p.get(), this);
        XML_SetElementHandler(p.get(), &Sax::onStart, &Sax::onEnd);
        XML_SetCharacterDataHandler(p.get(), &Sax::onText);
        // Refuse DTDs: an XLSX part never has one, and entity expansion is a known attack.
        XML_SetStartDoctypeDeclHandler(p.get(), [](void* ud, const XML_Char*, const XML_Char*, const XML_Char*, int) {
            auto* self = static_cast<Sax*>(ud);
            self->m_doctype = true;
            self->fail(tr("files.xlsx_dtd"));
        });
        m_parser = p.get();
        if (XML_Parse(p.get(), xml.data(), static_cast<int>(xml.size()), 1) == XML_STATUS_ERROR || m_doctype) {
            std::string why = m_error.empty() ? (m_doctype ? std::string(tr("files.xlsx_dtd"))
                                                           : std::string(XML_ErrorString(XML_GetErrorCode(p.get()))))
                                              : m_error;
            throw ValidationError(
                trf("files.err_xlsx_xml", {part, why, std::to_string(XML_GetCurrentLineNumber(p.get()))}));
        }
    }

protected:
    virtual void start(std::string_view name, const char** attrs) = 0;
    virtual void end(std::string_view name) = 0;
    virtual void text(std::string_view) {}
    void fail(const std::string& why) {
        if (m_error.empty()) m_error = why;
        XML_StopParser(m_parser, XML_FALSE);
    }
    static const char* attr(const char** attrs, std::string_view name) {
        for (int i = 0; attrs[i]; i += 2)
            if (localName(attrs[i]) == name) return attrs[i + 1];
        return nullptr;
    }
    static std::string_view localName(const char* n) {
        std::string_view s(n);
        auto colon = s.rfind(':');
        return colon == std::string_view::npos ? s : s.substr(colon + 1);
    }

private:
    static void onStart(void* ud, const XML_Char* n, const XML_Char** a) {
        static_cast<Sax*>(ud)->start(localName(n), a);
    }
    static void onEnd(void* ud, const XML_Char* n) { static_cast<Sax*>(ud)->end(localName(n)); }
    static void onText(void* ud, const XML_Char* s, int len) {
        static_cast<Sax*>(ud)->text(std::string_view(s, static_cast<size_t>(len)));
    }
    XML_Parser m_parser = nullptr;
    bool m_doctype = false;
    std::string m_error;
};

class SharedStrings : public Sax {
public:
    std::vector<std::string> strings;

private:
    void start(std::string_view n, const char**) override {
        if (n == "si")
            strings.emplace_back(), m_inSi = true;
        else if (n == "t" && m_inSi && !m_inPhonetic)
            m_inT = true;
        else if (n == "rPh")
            m_inPhonetic = true;
    }
    void end(std::string_view n) override {
        if (n == "si")
            m_inSi = false;
        else if (n == "t")
            m_inT = false;
        else if (n == "rPh")
            m_inPhonetic = false;
    }
    void text(std::string_view s) override {
        if (m_inT) {
            strings.back().append(s);
            if (strings.back().size() > kMaxTableCellBytes) fail(tr("files.xlsx_shared_long"));
        }
    }
    bool m_inSi = false, m_inT = false, m_inPhonetic = false;
};

// workbook.xml: the first <sheet>'s relationship id.
class Workbook : public Sax {
public:
    std::string firstSheetRel;

private:
    void start(std::string_view n, const char** a) override {
        if (n == "sheet" && firstSheetRel.empty())
            if (const char* id = attr(a, "id")) firstSheetRel = id;
    }
    void end(std::string_view) override {}
};

class Rels : public Sax {
public:
    std::map<std::string, std::string> targets;

private:
    void start(std::string_view n, const char** a) override {
        if (n != "Relationship") return;
        const char* id = attr(a, "Id");
        const char* target = attr(a, "Target");
        if (id && target) targets[id] = target;
    }
    void end(std::string_view) override {}
};

int columnIndex(std::string_view ref) {
    int col = 0;
    size_t i = 0;
    for (; i < ref.size() && ref[i] >= 'A' && ref[i] <= 'Z'; ++i) col = col * 26 + (ref[i] - 'A' + 1);
    return i == 0 ? -1 : col - 1;
}

class Sheet : public Sax {
public:
    Sheet(TextTable& t, const std::vector<std::string>& shared) : m_t(t), m_shared(shared) {}

private:
    void start(std::string_view n, const char** a) override {
        if (n == "row") {
            m_row.clear();
            const char* r = attr(a, "r");
            m_rowNumber = r ? std::atoi(r) : m_rowNumber + 1;
        } else if (n == "c") {
            const char* r = attr(a, "r");
            const char* type = attr(a, "t");
            m_type = type ? type : "n";
            m_col = r ? columnIndex(r) : static_cast<int>(m_row.size());
            if (m_col < 0 || static_cast<size_t>(m_col) >= kMaxTableColumns) {
                fail(trf("files.xlsx_col_limit", {std::to_string(m_rowNumber), std::to_string(kMaxTableColumns)}));
                return;
            }
            m_value.clear();
        } else if (n == "v" || (n == "t" && m_type == "inlineStr")) {
            m_inValue = true;
        }
    }
    void end(std::string_view n) override {
        if (n == "v" || n == "t") {
            m_inValue = false;
        } else if (n == "c") {
            std::string v = std::move(m_value);
            if (m_type == "s") {
                size_t idx = 0;
                try {
                    idx = static_cast<size_t>(std::stoul(v));
                } catch (const std::exception&) {
                    idx = m_shared.size();
                }
                if (idx >= m_shared.size()) return fail(trf("files.xlsx_bad_shared", {std::to_string(m_rowNumber)}));
                v = m_shared[idx];
            } else if (m_type == "b") {
                v = v == "1" ? "TRUE" : "FALSE";
            }
            if (m_row.size() <= static_cast<size_t>(m_col)) m_row.resize(static_cast<size_t>(m_col) + 1);
            m_row[static_cast<size_t>(m_col)] = std::move(v);
        } else if (n == "row") {
            bool any = false;
            for (const auto& c : m_row) any = any || !c.empty();
            if (!any) return;
            if (m_t.rows.size() >= kMaxTableRows) return fail(trf("files.xlsx_rows", {std::to_string(kMaxTableRows)}));
            m_t.rows.push_back(std::move(m_row));
            m_t.lines.push_back(m_rowNumber);
            m_row.clear();
        }
    }
    void text(std::string_view s) override {
        if (!m_inValue) return;
        m_value.append(s);
        if (m_value.size() > kMaxTableCellBytes)
            fail(trf("files.xlsx_cell_long", {std::to_string(m_rowNumber), std::to_string(kMaxTableCellBytes)}));
    }
    TextTable& m_t;
    const std::vector<std::string>& m_shared;
    std::vector<std::string> m_row;
    std::string m_value, m_type;
    int m_rowNumber = 0, m_col = 0;
    bool m_inValue = false;
};
}  // namespace

TextTable readXlsx(const std::string& path) {
    int err = 0;
    std::unique_ptr<zip_t, ZipCloser> z(zip_open(path.c_str(), ZIP_RDONLY, &err));
    if (!z) {
        zip_error_t ze;
        zip_error_init_with_code(&ze, err);
        std::string why = zip_error_strerror(&ze);
        zip_error_fini(&ze);
        throw ValidationError(trf("esup.file.not_xlsx", {path, why}));
    }
    auto workbookXml = zipEntry(z.get(), "xl/workbook.xml");
    if (!workbookXml) throw ValidationError(trf("esup.file.no_workbook", {path}));
    Workbook wb;
    wb.parse(*workbookXml, "xl/workbook.xml");
    std::string sheetPath = "xl/worksheets/sheet1.xml";
    if (auto relsXml = zipEntry(z.get(), "xl/_rels/workbook.xml.rels"); relsXml && !wb.firstSheetRel.empty()) {
        Rels rels;
        rels.parse(*relsXml, "xl/_rels/workbook.xml.rels");
        if (auto it = rels.targets.find(wb.firstSheetRel); it != rels.targets.end())
            sheetPath = it->second.rfind("/", 0) == 0 ? it->second.substr(1) : "xl/" + it->second;
    }
    SharedStrings ss;
    if (auto ssXml = zipEntry(z.get(), "xl/sharedStrings.xml")) ss.parse(*ssXml, "xl/sharedStrings.xml");
    auto sheetXml = zipEntry(z.get(), sheetPath);
    if (!sheetXml) throw ValidationError(trf("esup.file.no_sheet", {path, sheetPath}));
    TextTable t;
    t.format = "xlsx";
    t.encoding = "xlsx";
    Sheet sheet(t, ss.strings);
    sheet.parse(*sheetXml, sheetPath);
    return t;
}

TextTable readTableFile(const std::string& path, TextEncoding encoding) {
    std::string bytes = readWholeFile(path);
    if (bytes.size() >= 4 && bytes.compare(0, 4, "PK\x03\x04") == 0) return readXlsx(path);
    return parseCsv(bytes, encoding);
}

}  // namespace jc
