#include "store/reference_data.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <memory>
#include <set>

#include "base/sha256.h"
#include "core/dates.h"
#include "core/error.h"
#include "core/i18n.h"

namespace jc {

namespace {

namespace fs = std::filesystem;

std::string readFile(const fs::path& path, const char* what) {
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) throw StorageError(trf("store.err_ref_missing", {tr(what), path.string()}));
    std::ifstream in(path, std::ios::binary);
    std::string text(fs::file_size(path, ec), '\0');
    if (!in || ec || !in.read(text.data(), static_cast<std::streamsize>(text.size())))
        throw StorageError(trf("store.err_ref_unreadable", {tr(what), path.string()}));
    return text;
}

Json parseJson(const std::string& text, const fs::path& path) {
    try {
        return Json::parse(text);
    } catch (const Json::exception& e) {
        throw ValidationError(trf("store.err_ref_json", {path.string(), e.what()}));
    }
}

std::optional<std::string> metaValue(Database& db, const std::string& key) {
    auto& s = db.cached("SELECT value FROM meta WHERE key = ?");
    s.bind(1, key);
    std::optional<std::string> v;
    if (s.step()) v = s.getText(0);
    s.reset();
    return v;
}

void setMetaValue(Database& db, const std::string& key, const std::string& value) {
    auto& s = db.cached("INSERT INTO meta(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value");
    s.bind(1, key).bind(2, value);
    s.run();
}

// --- regions ---------------------------------------------------------------------------------

struct RegionRow {
    std::string code, name;
    int level;
    int64_t parent;  // index into the rows, -1 for a province
};

bool allDigits(const std::string& s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Flattens pcas-code.json while parsing (SAX), without building the document tree: the file has
// ~44,700 nested objects and the tree alone took most of the load time. Rows point at their
// parent by index, so the order of "code", "name" and "children" inside an object is free.
class RegionSax : public nlohmann::json_sax<Json> {
public:
    explicit RegionSax(const fs::path& path) : m_path(path) { m_rows.reserve(45'000); }
    std::vector<RegionRow>& rows() { return m_rows; }

    bool null() override { return scalar(false); }
    bool boolean(bool) override { return scalar(true); }
    bool number_integer(number_integer_t) override { return scalar(true); }
    bool number_unsigned(number_unsigned_t) override { return scalar(true); }
    bool number_float(number_float_t, const string_t&) override { return scalar(true); }
    bool binary(binary_t&) override { return scalar(true); }
    bool string(string_t& v) override {
        if (m_stack.empty() || m_stack.back().kind != Frame::Node) return scalar(true);
        Frame& f = m_stack.back();
        if (f.key == "code") m_rows[static_cast<size_t>(f.row)].code = std::move(v);
        else if (f.key == "name") m_rows[static_cast<size_t>(f.row)].name = std::move(v);
        else if (f.key == "children")
            fail(tr("store.err_region_children"));
        return true;
    }
    bool key(string_t& k) override {
        if (m_stack.back().kind == Frame::Node) m_stack.back().key = std::move(k);
        return true;
    }
    bool start_object(std::size_t) override {
        if (m_stack.empty()) fail(tr("store.err_region_top"));
        Frame& top = m_stack.back();
        if (top.kind != Frame::List) {
            if (top.kind == Frame::Node && top.key == "children") fail(tr("store.err_region_children"));
            m_stack.push_back({Frame::Skip, -1, 0, {}});
            return true;
        }
        if (top.level > 4) fail(tr("store.err_region_deep"));
        m_rows.push_back({{}, {}, top.level, top.row});
        m_stack.push_back({Frame::Node, static_cast<int64_t>(m_rows.size() - 1), top.level, {}});
        return true;
    }
    bool start_array(std::size_t) override {
        if (m_stack.empty()) {
            m_stack.push_back({Frame::List, -1, 1, {}});
        } else if (m_stack.back().kind == Frame::Node && m_stack.back().key == "children") {
            m_stack.push_back({Frame::List, m_stack.back().row, m_stack.back().level + 1, {}});
        } else if (m_stack.back().kind == Frame::List) {
            fail(tr("store.err_region_object"));
        } else {
            m_stack.push_back({Frame::Skip, -1, 0, {}});
        }
        return true;
    }
    bool end_object() override { return pop(); }
    bool end_array() override { return pop(); }
    bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& e) override {
        throw ValidationError(trf("store.err_ref_json", {m_path.string(), e.what()}));
    }

private:
    struct Frame {
        enum Kind { List, Node, Skip } kind;
        int64_t row;  // the node's row (Node) or the parent row of the list's items (List)
        int level;    // level of the node / of the list's items
        std::string key;
    };
    bool scalar(bool typed) {
        if (m_stack.empty()) fail(tr("store.err_region_top"));
        const Frame& f = m_stack.back();
        if (f.kind == Frame::List) fail(tr("store.err_region_object"));
        if (f.kind == Frame::Node && (f.key == "code" || f.key == "name")) fail(trf("store.err_region_text", {f.key}));
        if (f.kind == Frame::Node && f.key == "children" && typed) fail(tr("store.err_region_children"));
        return true;
    }
    bool pop() {
        m_stack.pop_back();
        return true;
    }
    [[noreturn]] void fail(const std::string& why) {
        std::string where;
        if (!m_rows.empty() && !m_rows.back().code.empty()) where = trf("store.err_region_near", {m_rows.back().code});
        throw ValidationError(trf("store.err_region_file", {why, m_path.string(), where}));
    }
    fs::path m_path;
    std::vector<Frame> m_stack;
    std::vector<RegionRow> m_rows;
};

std::vector<RegionRow> parseRegions(const std::string& text, const fs::path& path) {
    static const size_t kCodeLength[] = {0, 2, 4, 6, 9};
    RegionSax sax(path);
    Json::sax_parse(text, &sax);
    std::vector<RegionRow>& rows = sax.rows();
    if (rows.empty()) throw ValidationError(trf("store.err_no_regions", {path.string()}));
    std::set<std::string_view> seen;
    for (const auto& r : rows) {
        const std::string& parent = r.parent >= 0 ? rows[static_cast<size_t>(r.parent)].code : std::string();
        if (!allDigits(r.code) || r.code.size() != kCodeLength[r.level] || r.code.compare(0, parent.size(), parent) != 0)
            throw ValidationError(
                trf("store.err_region_code", {r.code, std::to_string(r.level), parent, path.string()}));
        if (r.name.empty() || r.name.size() > 200)
            throw ValidationError(trf("store.err_region_name", {r.code, path.string()}));
        if (!seen.insert(r.code).second) throw ValidationError(trf("store.err_region_twice", {r.code, path.string()}));
    }
    return std::move(rows);
}

Region regionFrom(const Statement& s) {
    Region r;
    r.code = s.getText(0);
    r.name = s.getText(1);
    r.parentCode = s.getText(2);
    r.level = static_cast<int>(s.getInt(3));
    return r;
}

bool isPlaceholderName(const std::string& name) {
    return name == "市辖区" || name == "县" || name == "省直辖县级行政区划" || name == "自治区直辖县级行政区划";
}

// --- calendar --------------------------------------------------------------------------------

struct CalendarDay {
    std::string day, kind, name;
};

void collectDays(const Json& doc, const char* key, const char* kind, const fs::path& path,
                 std::map<std::string, CalendarDay>& days) {
    auto it = doc.find(key);
    if (it == doc.end()) return;
    if (!it->is_object()) throw ValidationError(trf("store.err_cal_days", {key, path.string()}));
    for (auto d = it->begin(); d != it->end(); ++d) {
        auto date = Date::tryParse(d.key());
        if (!date || date->str() != d.key())
            throw ValidationError(trf("store.err_cal_date", {d.key(), key, path.string()}));
        if (!d->is_string() && !d->is_null())
            throw ValidationError(trf("store.err_cal_name", {d.key(), path.string()}));
        if (days.count(d.key()) && days[d.key()].kind != kind)
            throw ValidationError(trf("store.err_cal_both", {d.key(), path.string()}));
        days[d.key()] = {d.key(), kind, d->is_string() ? d->get<std::string>() : std::string()};
    }
}

std::vector<fs::path> calendarFiles(const fs::path& fileOrDir) {
    std::error_code ec;
    if (fs::is_directory(fileOrDir, ec)) {
        std::vector<fs::path> files;
        for (const auto& e : fs::directory_iterator(fileOrDir, ec))
            if (e.is_regular_file() && e.path().extension() == ".json") files.push_back(e.path());
        if (ec) throw StorageError(trf("store.err_cal_dir", {fileOrDir.string(), ec.message()}));
        if (files.empty()) throw StorageError(trf("store.err_cal_none", {fileOrDir.string()}));
        std::sort(files.begin(), files.end());
        return files;
    }
    if (!fs::exists(fileOrDir, ec))
        throw StorageError(trf("store.err_ref_missing", {tr("store.ref_calendar"), fileOrDir.string()}));
    return {fileOrDir};
}

}  // namespace

LoadStats loadRegions(Database& db, const fs::path& file) {
    std::string text = readFile(file, "store.ref_region");
    std::string hash = sha256Hex(text);
    LoadStats stats;
    auto stored = metaValue(db, "ref.regions.sha256");
    auto storedRows = metaValue(db, "ref.regions.rows");
    const int64_t have = regionCount(db);
    if (stored == hash && storedRows && std::to_string(have) == *storedRows) {
        stats.rows = have;
        stats.skipped = true;
        return stats;
    }

    std::vector<RegionRow> rows = parseRegions(text, file);
    text = std::string();

    auto tx = beginIfNeeded(db);
    db.exec("DELETE FROM region");
    auto ins = db.prepare("INSERT INTO region(code, name, parent_code, level) VALUES(?, ?, ?, ?)");
    for (const auto& r : rows) {
        ins.reset();
        ins.bind(1, r.code).bind(2, r.name);
        if (r.parent < 0)
            ins.bindNull(3);
        else
            ins.bind(3, rows[static_cast<size_t>(r.parent)].code);
        ins.bind(4, r.level);
        ins.run();
    }
    setMetaValue(db, "ref.regions.sha256", hash);
    setMetaValue(db, "ref.regions.rows", std::to_string(rows.size()));
    if (tx) tx->commit();
    stats.rows = static_cast<int64_t>(rows.size());
    return stats;
}

LoadStats loadCalendar(Database& db, const fs::path& fileOrDir) {
    std::map<std::string, CalendarDay> days;
    for (const auto& f : calendarFiles(fileOrDir)) {
        Json doc = parseJson(readFile(f, "store.ref_calendar"), f);
        if (!doc.is_object()) throw ValidationError(trf("store.err_cal_object", {f.string()}));
        if (!doc.contains("holidays") && !doc.contains("makeup_workdays"))
            throw ValidationError(trf("store.err_cal_empty", {f.string()}));
        collectDays(doc, "holidays", "holiday", f, days);
        collectDays(doc, "makeup_workdays", "workday", f, days);
    }
    std::set<std::string> years;
    for (const auto& [day, d] : days) years.insert(day.substr(0, 4));

    auto tx = beginIfNeeded(db);
    auto del = db.prepare("DELETE FROM calendar_day WHERE day >= ? AND day <= ?");
    for (const auto& y : years) {
        del.reset();
        del.bind(1, y + "-01-01").bind(2, y + "-12-31");
        del.run();
    }
    auto ins = db.prepare("INSERT INTO calendar_day(day, kind, name) VALUES(?, ?, ?)");
    for (const auto& [day, d] : days) {
        ins.reset();
        ins.bind(1, d.day).bind(2, d.kind).bind(3, d.name);
        ins.run();
    }
    if (tx) tx->commit();
    LoadStats stats;
    stats.rows = static_cast<int64_t>(days.size());
    return stats;
}

void loadReferenceData(Database& db, const fs::path& assetsDir) {
    auto tx = beginIfNeeded(db);
    loadRegions(db, assetsDir / "regions" / "pcas-code.json");
    loadCalendar(db, assetsDir / "calendar");
    if (tx) tx->commit();
}

int64_t regionCount(Database& db) {
    auto& s = db.cached("SELECT count(*) FROM region");
    s.step();
    int64_t n = s.getInt(0);
    s.reset();
    return n;
}

std::optional<Region> regionByCode(Database& db, const std::string& code) {
    auto& s = db.cached("SELECT code, name, coalesce(parent_code, ''), level FROM region WHERE code = ?");
    s.bind(1, code);
    std::optional<Region> r;
    if (s.step()) r = regionFrom(s);
    s.reset();
    return r;
}

std::vector<Region> regionChildren(Database& db, const std::string& parentCode) {
    auto& s = parentCode.empty()
                  ? db.cached("SELECT code, name, '', level FROM region WHERE parent_code IS NULL ORDER BY code")
                  : db.cached("SELECT code, name, parent_code, level FROM region WHERE parent_code = ? ORDER BY code");
    if (!parentCode.empty()) s.bind(1, parentCode);
    std::vector<Region> out;
    while (s.step()) out.push_back(regionFrom(s));
    s.reset();
    return out;
}

std::vector<Region> regionChain(Database& db, const std::string& code) {
    std::vector<Region> chain;
    std::string next = code;
    while (!next.empty() && chain.size() < 8) {
        auto r = regionByCode(db, next);
        if (!r) break;
        next = r->parentCode;
        chain.push_back(std::move(*r));
    }
    std::reverse(chain.begin(), chain.end());
    return chain;
}

std::string regionPath(Database& db, const std::string& code) {
    std::string path;
    for (const auto& r : regionChain(db, code)) {
        if (r.level == 2 && isPlaceholderName(r.name)) continue;
        if (!path.empty()) path += ' ';
        path += r.name;
    }
    return path;
}

std::optional<std::string> countyCodeOf(Database& db, const std::string& code) {
    if (!allDigits(code)) return std::nullopt;
    std::string c = code;
    if (c.size() == 12) c = c.substr(0, 9);  // village code: look up its township
    for (const auto& r : regionChain(db, c))
        if (r.level == 3) return r.code;
    return std::nullopt;
}

std::vector<Region> searchRegions(Database& db, const std::string& text, int limit) {
    std::vector<Region> out;
    if (text.empty() || text.size() > 200) return out;
    std::string pattern = "%";
    for (char ch : text) {
        if (ch == '%' || ch == '_' || ch == '\\') pattern += '\\';
        pattern += ch;
    }
    pattern += '%';
    auto& s = db.cached(
        "SELECT code, name, coalesce(parent_code, ''), level FROM region WHERE name LIKE ? ESCAPE '\\' "
        "ORDER BY level, code LIMIT ?");
    s.bind(1, pattern).bind(2, std::clamp(limit, 1, 1000));
    while (s.step()) out.push_back(regionFrom(s));
    s.reset();
    return out;
}

Json calendarJson(Database& db) {
    Json out = {{"holidays", Json::object()}, {"makeup_workdays", Json::object()}};
    auto s = db.prepare("SELECT day, kind, coalesce(name, '') FROM calendar_day ORDER BY day");
    while (s.step()) out[s.getText(1) == "holiday" ? "holidays" : "makeup_workdays"][s.getText(0)] = s.getText(2);
    return out;
}

}  // namespace jc
