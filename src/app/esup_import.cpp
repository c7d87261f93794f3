#include "app/esup_import.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <unordered_map>

#include <cmath>

#include "core/china_time.h"
#include "core/dates.h"
#include "core/error.h"
#include "core/i18n.h"
#include "core/time_input.h"
#include "core/workflow.h"
#include "store/writer.h"

namespace jc {

namespace {
std::string trim(const std::string& s) {
    size_t a = 0, b = s.size();
    auto space = [](unsigned char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    while (a < b && space(static_cast<unsigned char>(s[a]))) ++a;
    while (b > a && space(static_cast<unsigned char>(s[b - 1]))) --b;
    // Full-width spaces (U+3000) that Chinese exports like to pad with.
    while (b - a >= 3 && s.compare(a, 3, "\xE3\x80\x80") == 0) a += 3;
    while (b - a >= 3 && s.compare(b - 3, 3, "\xE3\x80\x80") == 0) b -= 3;
    return s.substr(a, b - a);
}

// "承诺时限（工作日）" and "承诺时限(工作日)" and " 承诺时限 " all become "承诺时限".
std::string headerCore(const std::string& h) {
    std::string s = trim(h);
    for (const char* open : {"（", "("}) {
        auto p = s.find(open);
        if (p != std::string::npos && p > 0) s = s.substr(0, p);
    }
    std::string out;
    for (char c : s)
        if (c != ' ') out += c;
    return out;
}

int parseWorkdays(const std::string& text) {
    std::string s = trim(text);
    size_t i = 0;
    int v = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9' && i < 4) v = v * 10 + (s[i++] - '0');
    if (i == 0) return -1;
    std::string rest = trim(s.substr(i));
    if (rest == ".0") rest.clear();  // a number cell written as 20.0
    for (const char* ok : {"", "个工作日", "工作日", "天", "日"})
        if (rest == ok) return v;
    return -1;
}

bool allDigits(const std::string& s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// A time cell of the approval system's export, read with the one time parser (core/time_input.h)
// in China time. Spreadsheet idioms are put into its forms first: an XLSX date cell arrives as
// its serial number (days since 1899-12-30, the fraction the time of day, China time), and some
// systems write the date 20260928 or 2026.09.28. A cell that is not a time adds the parser's
// message (naming `label`, with an accepted example) to `reasons`.
std::optional<int64_t> approvalTime(std::string text, const char* label, std::vector<std::string>& reasons) {
    size_t dot = text.find('.');
    std::string whole = text.substr(0, dot), frac = dot == std::string::npos ? "" : text.substr(dot + 1);
    if (allDigits(whole) && (frac.empty() || allDigits(frac)) && whole.size() <= 7) {
        double serial = std::strtod(text.c_str(), nullptr);
        if (serial >= 1 && serial < 2958466) {
            constexpr int64_t kDayMs = 86'400'000;
            return static_cast<int64_t>(std::llround(serial * kDayMs)) + chinaDayStartMs(Date{1899, 12, 30});
        }
    }
    if (text.size() == 8 && allDigits(text)) text = text.substr(0, 4) + "-" + text.substr(4, 2) + "-" + text.substr(6, 2);
    if (text.size() >= 8 && allDigits(text.substr(0, 4)) && text[4] == '.') {
        size_t second = text.find('.', 5);
        if (second != std::string::npos && second <= 7) text[4] = text[second] = '-';
    }
    try {
        return parseTimeInput(text, label);
    } catch (const ValidationError& e) {
        reasons.push_back(e.what());
        return std::nullopt;
    }
}

struct Existing {
    std::string id;
    FieldMap fields;
};

const std::vector<const char*> kCompared = {"item_name",   "unit_name",         "unit_id",  "applicant",
                                            "received_at", "promised_workdays", "deadline", "finished_at",
                                            "status",      "region_code"};
}  // namespace

const std::vector<ApprovalColumn>& approvalColumns() {
    static const std::vector<ApprovalColumn> cols = {
        {"item_name", "事项名称", true},    {"case_number", "办件编号", true},
        {"unit_name", "办理单位", true},    {"applicant", "申请人", false},
        {"received_at", "受理时间", true},  {"promised_workdays", "承诺时限（工作日）", true},
        {"finished_at", "办结时间", false}, {"status", "状态", false},
    };
    return cols;
}

Json ApprovalImportPreview::toJson() const {
    Json j = {{"path", path},         {"format", format},        {"encoding", encoding},  {"headers", headers},
              {"mapping", mapping},   {"new", newCount},         {"update", updateCount}, {"unchanged", unchangedCount},
              {"bad", errors.size()}, {"errors", Json::array()}, {"rows", Json::array()}};
    for (const auto& e : errors) j["errors"].push_back({{"line", e.line}, {"reason", e.reason}});
    for (size_t i = 0; i < rows.size() && i < 200; ++i) {
        const auto& r = rows[i];
        j["rows"].push_back({{"line", r.line},
                             {"action", r.action},
                             {"case_number", r.fields["case_number"]},
                             {"item_name", r.fields["item_name"]},
                             {"unit_name", r.fields["unit_name"]},
                             {"received_at", r.fields["received_at"]},
                             {"deadline", r.fields["deadline"]},
                             {"finished_at", r.fields.value("finished_at", Json())},
                             {"changed", r.changed}});
    }
    return j;
}

ApprovalImportPreview previewApprovalImport(AppContext& ctx, const std::string& path,
                                            const ApprovalImportOptions& opt) {
    ApprovalImportPreview p;
    p.path = path;
    p.regionCode = opt.regionCode;
    TextTable t = readTableFile(path, opt.encoding);
    p.format = t.format;
    p.encoding = t.encoding;
    if (t.rows.empty()) throw ValidationError(trf("esup.err_no_rows", {path}));
    for (const auto& h : t.rows[0]) p.headers.push_back(trim(h));

    // Mapping: guessed from the headers, then the saved one, then the caller's.
    Json mapping = Json::object();
    for (const auto& c : approvalColumns())
        for (const auto& h : p.headers)
            if (!h.empty() && headerCore(h) == headerCore(c.label)) {
                mapping[c.field] = h;
                break;
            }
    if (!opt.mappingName.empty()) mapping.update(importMapping(ctx.store, opt.mappingName));
    if (opt.mapping.is_object()) mapping.update(opt.mapping);
    std::map<std::string, int> colOf;
    std::string missing;
    for (const auto& c : approvalColumns()) {
        auto it = mapping.find(c.field);
        std::string header = it != mapping.end() && it->is_string() ? it->get<std::string>() : std::string();
        int idx = -1;
        for (size_t i = 0; i < p.headers.size() && !header.empty(); ++i)
            if (p.headers[i] == header) idx = static_cast<int>(i);
        if (idx < 0) {
            if (c.required) missing += (missing.empty() ? "" : "、") + std::string(c.label);
            if (!header.empty() && c.required) missing += trf("esup.err_mapped_missing", {header});
            continue;
        }
        colOf[c.field] = idx;
        p.mapping[c.field] = header;
    }
    if (!missing.empty())
        throw ValidationError(trf("esup.err_no_column", {missing, path, [&] {
                                      std::string s;
                                      for (const auto& h : p.headers) s += (s.empty() ? "" : ", ") + h;
                                      return s;
                                  }()}));

    // Known records and units, read once.
    std::unordered_map<std::string, Existing> existing;
    {
        const EntityDef& def = entityDef("approval");
        auto s = ctx.store.db().prepare("SELECT * FROM approval WHERE deleted = 0");
        while (s.step()) {
            FieldMap f = rowToFields(def, s);
            std::string num = f["case_number"].get<std::string>();
            existing[num] = Existing{f["id"].get<std::string>(), std::move(f)};
        }
    }
    std::unordered_map<std::string, std::pair<std::string, std::string>> units;  // name → (id, region)
    {
        auto s = ctx.store.db().prepare(
            "SELECT id, name, coalesce(region_code, '') FROM unit WHERE deleted = 0 ORDER BY created_at");
        while (s.step()) units.emplace(s.getText(1), std::make_pair(s.getText(0), s.getText(2)));
    }

    std::unordered_map<std::string, int> seen;  // case number → line
    const WorkCalendar& cal = *ctx.calendar;
    for (size_t r = 1; r < t.rows.size(); ++r) {
        const auto& row = t.rows[r];
        const int line = t.lines[r];
        auto cell = [&](const char* field) -> std::string {
            auto it = colOf.find(field);
            if (it == colOf.end() || static_cast<size_t>(it->second) >= row.size()) return {};
            return trim(row[static_cast<size_t>(it->second)]);
        };
        std::vector<std::string> reasons;
        auto need = [&](const char* field, const char* label, size_t limit) {
            std::string v = cell(field);
            if (v.empty())
                reasons.push_back(trf("esup.reason_empty", {label}));
            else if (v.size() > limit)
                reasons.push_back(trf("esup.reason_too_long", {label, std::to_string(limit)}));
            return v;
        };
        FieldMap f = FieldMap::object();
        std::string number = need("case_number", "办件编号", 100);
        f["case_number"] = number;
        f["item_name"] = need("item_name", "事项名称", 500);
        std::string unitName = need("unit_name", "办理单位", 200);
        f["unit_name"] = unitName;
        std::string applicant = cell("applicant");
        if (applicant.size() > 200) reasons.push_back(trf("esup.reason_too_long", {"申请人", "200"}));
        f["applicant"] = applicant.empty() ? Json() : Json(applicant);
        std::string status = cell("status");
        if (status.size() > 100) reasons.push_back(trf("esup.reason_too_long", {"状态", "100"}));
        f["status"] = status.empty() ? Json() : Json(status);

        std::optional<int64_t> received;
        std::string receivedText = cell("received_at");
        if (receivedText.empty())
            reasons.push_back(trf("esup.reason_empty", {"受理时间"}));
        else
            received = approvalTime(receivedText, "受理时间", reasons);
        std::string wdText = cell("promised_workdays");
        int workdays = parseWorkdays(wdText);
        if (wdText.empty())
            reasons.push_back(trf("esup.reason_empty", {"承诺时限"}));
        else if (workdays < 0 || workdays > 365)
            reasons.push_back(trf("esup.reason_workdays", {wdText}));
        std::string finishedText = cell("finished_at");
        std::optional<int64_t> finished;
        if (!finishedText.empty()) finished = approvalTime(finishedText, "办结时间", reasons);
        if (received && finished && *finished < *received) reasons.push_back(tr("esup.reason_finished_early"));
        if (!number.empty()) {
            auto [it, fresh] = seen.emplace(number, line);
            if (!fresh) reasons.push_back(trf("esup.reason_duplicate", {number, std::to_string(it->second)}));
        }
        if (!reasons.empty()) {
            std::string why;
            for (const auto& x : reasons) why += (why.empty() ? "" : tr("stats.filter_sep")) + x;
            p.errors.push_back({line, why});
            continue;
        }
        f["received_at"] = isoTimestamp(*received);
        f["promised_workdays"] = workdays;
        f["finished_at"] = finished ? Json(isoTimestamp(*finished)) : Json();
        f["deadline"] = cal.addWorkdays(Date::chinaDate(*received), workdays).str();
        if (auto u = units.find(unitName); u != units.end()) {
            f["unit_id"] = u->second.first;
            f["region_code"] = u->second.second.empty() ? Json(opt.regionCode.empty() ? Json() : Json(opt.regionCode))
                                                        : Json(u->second.second);
        } else {
            f["unit_id"] = Json();  // created on commit
            f["region_code"] = opt.regionCode.empty() ? Json() : Json(opt.regionCode);
        }

        ApprovalImportRow ir;
        ir.line = line;
        if (auto ex = existing.find(number); ex != existing.end()) {
            ir.existingId = ex->second.id;
            for (const char* k : kCompared) {
                if (std::string(k) == "unit_id" && f[k].is_null()) continue;  // a new unit: compared by name
                if (std::string(k) == "region_code" && f[k].is_null()) continue;
                Json old = ex->second.fields.value(k, Json());
                if (old != f[k]) ir.changed.push_back(k);
            }
            ir.action = ir.changed.empty() ? "unchanged" : "update";
        } else {
            ir.action = "new";
        }
        (ir.action == "new" ? p.newCount : ir.action == "update" ? p.updateCount : p.unchangedCount)++;
        ir.fields = std::move(f);
        p.rows.push_back(std::move(ir));
    }
    return p;
}

ApprovalImportResult commitApprovalImport(AppContext& ctx, const ApprovalImportPreview& p, bool skipBadRows,
                                          const std::string& saveMappingAs) {
    ctx.requireRole(kHq, tr("context.do.import_approvals"));
    if (!p.errors.empty() && !skipBadRows)
        throw ValidationError(trf("esup.err_bad_rows", {std::to_string(p.errors.size()), std::to_string(p.errors.front().line),
                                                        p.errors.front().reason}));
    ApprovalImportResult res;
    res.skipped = static_cast<int>(p.errors.size());
    const std::string source = std::filesystem::path(p.path).filename().string();
    Transaction tx(ctx.store.db());
    ChangeWriter w(ctx.store, tx, ctx.actor.name);
    std::unordered_map<std::string, std::string> newUnits;  // name → id
    for (const auto& r : p.rows) {
        if (r.action == "unchanged") {
            ++res.unchanged;
            continue;
        }
        FieldMap f = r.fields;
        if (f["unit_id"].is_null()) {
            std::string name = f["unit_name"].get<std::string>();
            auto it = newUnits.find(name);
            if (it == newUnits.end()) {
                // Another import in between may have created it.
                auto& s = ctx.store.db().cached("SELECT id FROM unit WHERE name = ? AND deleted = 0 LIMIT 1");
                s.bind(1, name);
                std::string id = s.step() ? s.getText(0) : std::string();
                s.reset();
                if (id.empty()) {
                    FieldMap u = {{"name", name}, {"kind", "department"}};
                    if (!p.regionCode.empty()) u["region_code"] = p.regionCode;
                    id = w.insert("unit", u);
                    ++res.unitsCreated;
                }
                it = newUnits.emplace(name, id).first;
            }
            f["unit_id"] = it->second;
        }
        if (f["region_code"].is_null()) f.erase("region_code");
        if (r.action == "new") {
            for (auto it = f.begin(); it != f.end();) it = it->is_null() ? f.erase(it) : std::next(it);
            f["source"] = source;
            w.insert("approval", f);
            ++res.created;
        } else {
            FieldMap changes = FieldMap::object();
            for (const auto& k : r.changed) changes[k] = f[k];
            if (!f["unit_id"].is_null()) changes["unit_id"] = f["unit_id"];
            if (!w.update("approval", r.existingId, changes).empty())
                ++res.updated;
            else
                ++res.unchanged;
        }
    }
    if (!saveMappingAs.empty()) saveImportMapping(ctx.store, saveMappingAs, p.mapping);
    tx.commit();
    return res;
}

std::vector<std::string> importMappingNames(Store& store) {
    std::vector<std::string> out;
    auto s = store.db().prepare("SELECT name FROM import_mapping WHERE kind = 'approval' ORDER BY name");
    while (s.step()) out.push_back(s.getText(0));
    return out;
}

Json importMapping(Store& store, const std::string& name) {
    auto s = store.db().prepare("SELECT mapping FROM import_mapping WHERE name = ? AND kind = 'approval'");
    s.bind(1, name);
    if (!s.step()) throw NotFoundError(trf("esup.err_no_mapping", {name}));
    Json j = Json::parse(s.getText(0), nullptr, false);
    return j.is_object() ? j : Json::object();
}

void saveImportMapping(Store& store, const std::string& name, const Json& mapping) {
    if (name.empty() || name.size() > 100) throw ValidationError(tr("esup.err_mapping_name"));
    if (!mapping.is_object()) throw ValidationError(tr("esup.err_mapping_object"));
    for (auto it = mapping.begin(); it != mapping.end(); ++it) {
        bool known = false;
        for (const auto& c : approvalColumns()) known = known || it.key() == c.field;
        if (!known) throw ValidationError(trf("esup.err_mapping_field", {it.key()}));
        if (!it->is_string()) throw ValidationError(trf("esup.err_mapping_header", {it.key()}));
    }
    auto s = store.db().prepare(
        "INSERT INTO import_mapping(name, kind, mapping, updated_at) VALUES(?, 'approval', ?, ?) "
        "ON CONFLICT(name) DO UPDATE SET mapping = excluded.mapping, updated_at = excluded.updated_at");
    s.bind(1, name).bind(2, mapping.dump()).bind(3, nowIso());
    s.run();
}

}  // namespace jc
