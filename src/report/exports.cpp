#include "report/exports.h"

#include <algorithm>
#include <cmath>
#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <map>
#include <memory>
#include <optional>

#include "app/templates.h"
#include "core/i18n.h"
#include "core/error.h"
#include "core/form_template.h"
#include "core/workflow.h"
#include "report/csv_sink.h"
#include "report/xlsx_sink.h"

namespace jc::report {

namespace {

using Row = std::vector<Cell>;

std::string text(Statement& s, int c) { return s.isNull(c) ? std::string() : s.getText(c); }
Cell textCell(Statement& s, int c) { return s.isNull(c) ? Cell{} : Cell{s.getText(c)}; }

std::string label(std::span<const CodeLabel> list, const std::string& code) {
    for (const auto& c : list)
        if (code == c.code) return c.zh;
    return code;
}

// Names of regions, units and persons, looked up once each.
class Names {
public:
    explicit Names(Database& db) : m_db(db) {}
    const std::string& region(const std::string& code) { return get(m_regions, "SELECT name FROM region WHERE code = ?", code); }
    const std::string& unit(const std::string& id) { return get(m_units, "SELECT name FROM unit WHERE id = ?", id); }
    const std::string& person(const std::string& id) { return get(m_persons, "SELECT name FROM person WHERE id = ?", id); }

private:
    const std::string& get(std::map<std::string, std::string>& cache, const char* sql, const std::string& key) {
        auto it = cache.find(key);
        if (it != cache.end()) return it->second;
        std::string name;
        if (!key.empty()) {
            auto& s = m_db.cached(sql);
            s.bind(1, key);
            if (s.step() && !s.isNull(0)) name = s.getText(0);
            s.reset();
        }
        return cache.emplace(key, name).first->second;
    }
    Database& m_db;
    std::map<std::string, std::string> m_regions, m_units, m_persons;
};

// [SECTION] Sinks

struct Output {
    ExportFormat format;
    std::filesystem::path path;
    std::unique_ptr<TableSink> sink;
    XlsxSink* xlsx = nullptr;
    bool done = false;

    Output(ExportFormat f, const std::filesystem::path& p) : format(f), path(p) {
        if (p.empty()) throw UsageError(tr("report.err_no_output"));
        if (f == ExportFormat::Xlsx) {
            auto x = std::make_unique<XlsxSink>(p);
            xlsx = x.get();
            sink = std::move(x);
        } else {
            sink = std::make_unique<CsvSink>(p);
        }
    }
    ~Output() {
        if (!done) {  // failed part-way: no half-written file is left behind
            sink.reset();
            std::error_code ec;
            std::filesystem::remove(path, ec);
        }
    }
    void finish() {
        sink->close();
        done = true;
    }
};

std::string titleLine(const std::vector<std::pair<std::string, std::string>>& info) {
    std::string out = info.empty() ? "" : info[0].first;
    for (size_t i = 1; i < info.size(); ++i) out += "；" + info[i].first + "：" + info[i].second;
    return out;
}

// Rows made on a second thread (the SQLite reads, JSON and name look-ups) while the caller's
// thread writes the ones already made (XML, escaping): on two cores a large export takes about
// the longer of the two instead of their sum. `produce` gets an emit function and runs on the
// producer; it alone touches the database meanwhile. Batches are bounded (kMaxBatches ×
// kBatchRows rows in flight); an error on either side stops both and is rethrown here.
class RowPipe {
public:
    using Emit = std::function<void(Row&&)>;
    explicit RowPipe(std::function<void(const Emit&)> produce) {
        m_thread = std::thread([this, produce = std::move(produce)] {
            try {
                std::vector<Row> batch;
                produce([&](Row&& r) {
                    batch.push_back(std::move(r));
                    if (batch.size() >= kBatchRows) push(std::move(batch)), batch.clear();
                });
                if (!batch.empty()) push(std::move(batch));
            } catch (...) {
                std::lock_guard lock(m_mutex);
                m_error = std::current_exception();
            }
            std::lock_guard lock(m_mutex);
            m_finished = true;
            m_changed.notify_all();
        });
    }
    ~RowPipe() {
        {
            std::lock_guard lock(m_mutex);
            m_stop = true;
            m_changed.notify_all();
        }
        m_thread.join();
    }
    // The next batch, or false when every row has been taken.
    bool next(std::vector<Row>& out) {
        std::unique_lock lock(m_mutex);
        m_changed.wait(lock, [&] { return !m_batches.empty() || m_finished; });
        if (m_batches.empty()) {
            if (m_error) std::rethrow_exception(m_error);
            return false;
        }
        out = std::move(m_batches.front());
        m_batches.pop_front();
        m_changed.notify_all();
        return true;
    }

private:
    static constexpr size_t kBatchRows = 256, kMaxBatches = 8;
    struct Stopped {};
    void push(std::vector<Row>&& batch) {
        std::unique_lock lock(m_mutex);
        m_changed.wait(lock, [&] { return m_batches.size() < kMaxBatches || m_stop; });
        if (m_stop) throw Stopped{};
        m_batches.push_back(std::move(batch));
        m_changed.notify_all();
    }
    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::deque<std::vector<Row>> m_batches;
    bool m_finished = false, m_stop = false;
    std::exception_ptr m_error;
    std::thread m_thread;
};

// [SECTION] Findings

const std::vector<Column>& findingColumns() {
    using K = ColumnKind;
    static const std::vector<Column> cols = {
        {"本地编号", K::Text},       {"正式编号", K::Text},     {"标题", K::Text},         {"专项类别", K::Text},
        {"监察领域", K::Text},       {"行为类型", K::Text},     {"严重程度", K::Text},     {"状态", K::Text},
        {"县区", K::Text},           {"乡镇（街道）", K::Text}, {"详细地址", K::Text},     {"被监察单位", K::Text},
        {"责任人", K::Text},         {"承办人", K::Text},       {"录入时间", K::Timestamp}, {"采纳时间", K::Timestamp},
        {"事实概要", K::LongText},   {"体制机制漏洞", K::LongText}, {"监察建议", K::LongText}, {"责任追究", K::LongText},
    };
    return cols;
}

ColumnKind factKind(FormFieldType t) {
    switch (t) {
        case FormFieldType::Number: return ColumnKind::Number;
        case FormFieldType::Money: return ColumnKind::Money;
        case FormFieldType::Date: return ColumnKind::Date;
        case FormFieldType::Multiline: return ColumnKind::LongText;
        default: return ColumnKind::Text;
    }
}

Cell factCell(const FormField& f, const Json& v, Names& names) {
    if (v.is_null() || (v.is_string() && v.get<std::string>().empty())) return {};
    switch (f.type) {
        case FormFieldType::Number:
        case FormFieldType::Money: return v.is_number() ? Cell{v.get<double>()} : Cell{};
        case FormFieldType::YesNo: return v.is_boolean() ? Cell{std::string(v.get<bool>() ? "是" : "否")} : Cell{};
        case FormFieldType::Choice:
            if (v.is_string()) {
                const FormOption* o = f.option(v.get<std::string>());
                return Cell{o ? o->zh : v.get<std::string>()};
            }
            return {};
        case FormFieldType::MultiChoice: {
            std::string out;
            if (v.is_array())
                for (const auto& c : v)
                    if (c.is_string()) {
                        const FormOption* o = f.option(c.get<std::string>());
                        out += (out.empty() ? "" : "、") + (o ? o->zh : c.get<std::string>());
                    }
            return out.empty() ? Cell{} : Cell{out};
        }
        case FormFieldType::Region: return v.is_string() ? Cell{names.region(v.get<std::string>())} : Cell{};
        case FormFieldType::Unit: return v.is_string() ? Cell{names.unit(v.get<std::string>())} : Cell{};
        case FormFieldType::Person: return v.is_string() ? Cell{names.person(v.get<std::string>())} : Cell{};
        default: return v.is_string() ? Cell{v.get<std::string>()} : Cell{v.dump()};
    }
}

// The fact columns of a set of templates: one per key, in template order (first label wins).
std::vector<std::pair<const FormField*, Column>> factColumns(const std::vector<FormTemplate>& forms) {
    std::vector<std::pair<const FormField*, Column>> out;
    std::map<std::string, bool> seen;
    for (const auto& t : forms)
        for (const auto& f : t.fields)
            if (!seen[f.key]) {
                seen[f.key] = true;
                out.push_back({&f, {f.labelZh, factKind(f.type)}});
            }
    return out;
}

std::string findingOrder(const FindingFilter& f) {
    static const std::map<std::string, std::string> cols = {
        {"local_number", "f.local_number"}, {"title", "f.title"},       {"category", "f.category"},
        {"area", "f.area"},                 {"status", "f.status"},     {"severity", "f.severity"},
        {"region", "f.region_code"},        {"assignee", "f.assignee"}, {"created_at", "f.created_at"},
        {"updated_at", "f.updated_at"},     {"official_number", "f.official_number"}};
    auto it = cols.find(f.sortBy);
    std::string col = it == cols.end() ? "f.created_at" : it->second;
    std::string dir = f.descending ? " DESC" : " ASC";
    return " ORDER BY " + col + dir + ", f.id" + dir;
}

int64_t writeFindings(AppContext& ctx, const ExportRequest& req, Output& out, const ExportProgress& progress,
                      ExportSummary& sum) {
    Database& db = ctx.store.db();
    Names names(db);
    std::string today = ctx.today().str();
    // Categories present under the filter, in the domain's order.
    std::vector<std::string> cats;
    {
        SqlWhere w = findingFilterSql(db, req.filter, today);
        auto s = db.prepare("SELECT DISTINCT f.category FROM finding f" + w.sql);
        bindAll(s, w.args);
        std::vector<std::string> present;
        while (s.step()) present.push_back(text(s, 0));
        for (const auto& c : categories())
            if (std::find(present.begin(), present.end(), c.code) != present.end()) cats.push_back(c.code);
        for (const auto& p : present)
            if (std::find(cats.begin(), cats.end(), p) == cats.end()) cats.push_back(p);
    }
    std::vector<FormTemplate> forms;
    for (const auto& c : cats) {
        try {
            forms.push_back(currentTemplate(ctx.store, c));
        } catch (const NotFoundError&) {
            forms.push_back(FormTemplate{c});
        }
    }
    int64_t written = 0;
    auto writeTable = [&](const std::string& sheet, const std::string& title, const FindingFilter& f,
                          const std::vector<FormTemplate>& tableForms) {
        auto facts = factColumns(tableForms);
        TableInfo info{sheet, title, findingColumns()};
        for (const auto& fc : facts) info.columns.push_back(fc.second);
        out.sink->beginTable(info);
        SqlWhere w = findingFilterSql(db, f, today);
        auto s = db.prepare(
            "SELECT f.local_number, f.official_number, f.title, f.category, f.area, f.misconduct_types, f.severity, f.status, "
            "f.region_code, f.address, f.subject_unit_id, f.responsible_persons, f.assignee, f.created_at, " +
            findingAcceptedAtSql("f") + ", f.narrative, f.loophole, f.recommendation, f.accountability, f.field_values FROM finding f" +
            w.sql + findingOrder(f));
        bindAll(s, w.args);
        RowPipe pipe([&](const RowPipe::Emit& emit) {
            while (s.step()) {
                Row row;
                row.reserve(findingColumns().size() + facts.size());
                row.push_back(textCell(s, 0));
                row.push_back(textCell(s, 1));
                row.push_back(textCell(s, 2));
                row.push_back(label(categories(), text(s, 3)));
                row.push_back(s.isNull(4) ? Cell{} : Cell{label(areas(), text(s, 4))});
                std::string types;
                Json mt = Json::parse(text(s, 5).empty() ? "[]" : text(s, 5), nullptr, false);
                if (mt.is_array())
                    for (const auto& t : mt)
                        if (t.is_string()) types += (types.empty() ? "" : "、") + label(misconductTypes(), t.get<std::string>());
                row.push_back(types);
                row.push_back(s.isNull(6) ? Cell{} : Cell{label(severities(), text(s, 6))});
                row.push_back(label(statuses(Machine::Finding), text(s, 7)));
                std::string region = text(s, 8);
                row.push_back(region.size() >= 6 ? Cell{names.region(region.substr(0, 6))} : Cell{});
                row.push_back(region.size() >= 9 ? Cell{names.region(region.substr(0, 9))} : Cell{});
                row.push_back(textCell(s, 9));
                row.push_back(Cell{names.unit(text(s, 10))});
                std::string persons;
                Json rp = Json::parse(text(s, 11).empty() ? "[]" : text(s, 11), nullptr, false);
                if (rp.is_array())
                    for (const auto& p : rp) {
                        std::string name = p.is_object() ? p.value("name", std::string()) : "";
                        if (name.empty() && p.is_object()) name = names.person(p.value("person_id", std::string()));
                        if (!name.empty()) persons += (persons.empty() ? "" : "、") + name;
                    }
                row.push_back(persons);
                row.push_back(textCell(s, 12));
                row.push_back(textCell(s, 13));
                row.push_back(textCell(s, 14));
                for (int c = 15; c <= 18; ++c) row.push_back(textCell(s, c));
                Json values = Json::parse(text(s, 19).empty() ? "{}" : text(s, 19), nullptr, false);
                for (const auto& [field, col] : facts) {
                    (void)col;
                    auto it = values.is_object() ? values.find(field->key) : values.end();
                    row.push_back(values.is_object() && it != values.end() ? factCell(*field, *it, names) : Cell{});
                }
                emit(std::move(row));
            }
        });
        int64_t n = 0;
        std::vector<Row> batch;
        while (pipe.next(batch))
            for (const Row& row : batch) {
                out.sink->row(row);
                ++n;
                if (progress && (++written % 1000) == 0) progress(written);
            }
        out.sink->endTable();
        sum.tables.push_back({sheet, n});
        return n;
    };
    int64_t total = 0;
    if (req.format == ExportFormat::Csv) {
        total += writeTable("检查发现", titleLine(exportInfo(db, "检查发现", req.filter, req.exportedBy,
                                                              countFindings(db, req.filter, today))),
                            req.filter, forms);
    } else {
        for (size_t i = 0; i < cats.size(); ++i) {
            FindingFilter f = req.filter;
            f.category = cats[i];
            total += writeTable(label(categories(), cats[i]), "", f, {forms[i]});
        }
        if (cats.empty()) total += writeTable("检查发现", "", req.filter, {});
    }
    return total;
}

// [SECTION] Complaints, rectifications, warnings

// The rectifications list's status filter: one status, or "open" (not yet verified).
SqlWhere rectificationWhere(Database& db, const ExportRequest& req, const Date& today) {
    SqlWhere w = rectificationFilterSql(db, req.filter, today);
    if (req.status == "open") w.sql += " AND r.status <> 'verified'";
    else if (!req.status.empty()) w.add("r.status = ?", req.status);
    return w;
}

int64_t writeComplaints(AppContext& ctx, const ExportRequest& req, Output& out, const std::string& title, ExportSummary& sum) {
    Database& db = ctx.store.db();
    Names names(db);
    ComplaintFilter cf = complaintSide(req.filter);
    cf.status = req.status;
    cf.openOnly = req.openComplaintsOnly;
    SqlWhere w = complaintFilterSql(cf);
    using K = ColumnKind;
    out.sink->beginTable({"投诉", title,
                          {{"标题", K::Text},        {"渠道", K::Text},       {"受理时间", K::Timestamp}, {"首问责任人", K::Text},
                           {"投诉人", K::Text},      {"被投诉单位", K::Text}, {"被投诉人", K::Text},      {"专项类别", K::Text},
                           {"县区", K::Text},        {"乡镇（街道）", K::Text}, {"投诉内容", K::LongText}, {"办理期限", K::Date},
                           {"承办人", K::Text},      {"状态", K::Text},       {"回复", K::LongText},      {"回复时间", K::Timestamp},
                           {"办结时间", K::Timestamp}, {"办理结果", K::LongText}, {"满意度", K::Text}}});
    // Never the sealed identity: the column is not selected.
    auto s = db.prepare(
        "SELECT c.title, c.channel, c.received_at, c.first_contact_handler, c.anonymous, c.respondent_unit_id, "
        "c.respondent_person_id, c.category, c.region_code, c.content, c.deadline, c.assignee, c.status, c.reply, c.reply_at, "
        "(SELECT max(e.at) FROM case_event e WHERE e.entity = 'complaint' AND e.entity_id = c.id AND e.to_status = 'closed' "
        "AND e.deleted = 0), c.outcome, c.satisfaction FROM complaint c" +
        w.sql + " ORDER BY (c.status = 'closed'), c.deadline, c.received_at");
    bindAll(s, w.args);
    static const CodeLabel kSatisfaction[] = {{"satisfied", "满意", ""}, {"basically_satisfied", "基本满意", ""},
                                              {"dissatisfied", "不满意", ""}, {"unknown", "未表态", ""}};
    int64_t n = 0;
    while (s.step()) {
        std::string region = text(s, 8);
        Row row = {textCell(s, 0),
                   label(complaintChannels(), text(s, 1)),
                   textCell(s, 2),
                   textCell(s, 3),
                   std::string(s.getInt(4) ? "匿名" : "实名（身份保密，不导出）"),
                   names.unit(text(s, 5)),
                   names.person(text(s, 6)),
                   s.isNull(7) ? Cell{} : Cell{label(categories(), text(s, 7))},
                   region.size() >= 6 ? Cell{names.region(region.substr(0, 6))} : Cell{},
                   region.size() >= 9 ? Cell{names.region(region.substr(0, 9))} : Cell{},
                   textCell(s, 9),
                   textCell(s, 10),
                   textCell(s, 11),
                   label(statuses(Machine::Complaint), text(s, 12)),
                   textCell(s, 13),
                   textCell(s, 14),
                   textCell(s, 15),
                   textCell(s, 16),
                   s.isNull(17) ? Cell{} : Cell{label(kSatisfaction, text(s, 17))}};
        out.sink->row(row);
        ++n;
    }
    out.sink->endTable();
    sum.tables.push_back({"投诉", n});
    return n;
}

int64_t writeRectifications(AppContext& ctx, const ExportRequest& req, Output& out, const std::string& title, ExportSummary& sum) {
    Database& db = ctx.store.db();
    SqlWhere w = rectificationWhere(db, req, ctx.today());
    using K = ColumnKind;
    out.sink->beginTable({"整改", title,
                          {{"检查发现编号", K::Text}, {"正式编号", K::Text},   {"检查发现", K::Text},      {"整改要求", K::LongText},
                           {"责任单位", K::Text},     {"整改期限", K::Date},   {"剩余工作日", K::Integer}, {"状态", K::Text},
                           {"整改情况", K::LongText}, {"报告时间", K::Timestamp}, {"验收意见", K::LongText}, {"验收人", K::Text},
                           {"验收时间", K::Timestamp}, {"责令时间", K::Timestamp}}});
    auto s = db.prepare(
        "SELECT f.local_number, f.official_number, f.title, r.required_action, coalesce(u.name, su.name), r.deadline, r.status, "
        "r.progress_note, r.reported_at, r.verification_note, r.verified_by, r.verified_at, r.created_at" +
        std::string(kRectificationFrom) + " LEFT JOIN unit u ON u.id = r.responsible_unit_id LEFT JOIN unit su ON su.id = f.subject_unit_id" +
        w.sql + " ORDER BY r.deadline, r.id");
    bindAll(s, w.args);
    const WorkCalendar& cal = *ctx.calendar;
    int64_t n = 0;
    while (s.step()) {
        std::string status = text(s, 6);
        Cell left;
        if (status != "verified")
            if (auto d = Date::tryParse(text(s, 5))) left = static_cast<double>(cal.workdaysRemaining(ctx.today(), *d));
        Row row = {textCell(s, 0), textCell(s, 1), textCell(s, 2), textCell(s, 3), textCell(s, 4), textCell(s, 5), left,
                   label(statuses(Machine::Rectification), status), textCell(s, 7), textCell(s, 8), textCell(s, 9),
                   textCell(s, 10), textCell(s, 11), textCell(s, 12)};
        out.sink->row(row);
        ++n;
    }
    out.sink->endTable();
    sum.tables.push_back({"整改", n});
    return n;
}

int64_t writeWarnings(AppContext& ctx, const ExportRequest& req, Output& out, const std::string& title, ExportSummary& sum) {
    Database& db = ctx.store.db();
    Names names(db);
    SqlWhere w = warningFilterSql(req.filter);
    using K = ColumnKind;
    out.sink->beginTable({"效能告诫", title,
                          {{"告诫级别", K::Text}, {"告诫对象（个人）", K::Text}, {"告诫对象（单位）", K::Text}, {"事由", K::LongText},
                           {"关联案件", K::Text}, {"告诫人", K::Text}, {"告诫时间", K::Timestamp}, {"签收时间", K::Timestamp}}});
    auto s = db.prepare(
        "SELECT w.level, w.target_person_id, w.target_unit_id, w.reason, coalesce(f.local_number || ' ' || f.title, c.title), "
        "w.issued_by, w.issued_at, w.acknowledged_at" +
        std::string(kWarningFrom) + w.sql + " ORDER BY w.issued_at DESC, w.id");
    bindAll(s, w.args);
    int64_t n = 0;
    while (s.step()) {
        Row row = {label(warningLevels(), text(s, 0)), names.person(text(s, 1)), names.unit(text(s, 2)), textCell(s, 3),
                   textCell(s, 4), textCell(s, 5), textCell(s, 6), textCell(s, 7)};
        out.sink->row(row);
        ++n;
    }
    out.sink->endTable();
    sum.tables.push_back({"效能告诫", n});
    return n;
}

const char* entityTitle(const std::string& e) {
    if (e == "findings") return "检查发现";
    if (e == "complaints") return "投诉";
    if (e == "rectifications") return "整改";
    if (e == "warnings") return "效能告诫";
    throw ValidationError(trf("report.err_export_entity", {e}));
}

}  // namespace

ExportFormat parseExportFormat(const std::string& s) {
    if (s == "xlsx") return ExportFormat::Xlsx;
    if (s == "csv") return ExportFormat::Csv;
    throw ValidationError(trf("report.err_export_format", {s}));
}

std::vector<std::pair<std::string, std::string>> exportInfo(Database& db, const std::string& what, const FindingFilter& f,
                                                            const std::string& exportedBy, int64_t rows) {
    return {{what + "导出", ""},
            {"筛选条件", describeFilter(db, f)},
            {"导出时间", beijingTime(nowIso()) + "（北京时间）"},
            {"导出人", exportedBy},
            {"记录数", withThousands(rows)},
            {"说明", "金额单位为元；投诉人身份信息一律不导出。"}};
}

ExportSummary exportList(AppContext& ctx, const ExportRequest& req, ExportProgress progress) {
    const char* what = entityTitle(req.entity);
    Database& db = ctx.store.db();
    // Count first: the first sheet states it, and the progress bar knows its end.
    int64_t expected = 0;
    if (req.entity == "findings") expected = countFindings(db, req.filter, ctx.today().str());
    else if (req.entity == "complaints") {
        ComplaintFilter cf = complaintSide(req.filter);
        cf.status = req.status;
        cf.openOnly = req.openComplaintsOnly;
        expected = countComplaints(db, cf);
    } else if (req.entity == "rectifications") {
        SqlWhere w = rectificationWhere(db, req, ctx.today());
        auto s = db.prepare(std::string("SELECT count(*)") + kRectificationFrom + w.sql);
        bindAll(s, w.args);
        expected = s.step() ? s.getInt(0) : 0;
    } else {
        SqlWhere w = warningFilterSql(req.filter);
        auto s = db.prepare(std::string("SELECT count(*)") + kWarningFrom + w.sql);
        bindAll(s, w.args);
        expected = s.step() ? s.getInt(0) : 0;
    }
    auto info = exportInfo(db, what, req.filter, req.exportedBy, expected);
    if (!req.status.empty() && req.entity != "findings") info.insert(info.begin() + 2, {"状态", req.status});
    Output out(req.format, req.path);
    if (out.xlsx) out.xlsx->infoSheet("导出说明", info);
    ExportSummary sum;
    std::string title = titleLine(info);
    if (req.entity == "findings") sum.rows = writeFindings(ctx, req, out, progress, sum);
    else if (req.entity == "complaints") sum.rows = writeComplaints(ctx, req, out, title, sum);
    else if (req.entity == "rectifications") sum.rows = writeRectifications(ctx, req, out, title, sum);
    else sum.rows = writeWarnings(ctx, req, out, title, sum);
    out.finish();
    if (progress) progress(sum.rows);
    return sum;
}

ExportSummary exportStatistics(AppContext& ctx, const StatsResult& r, const FindingFilter& filter, ExportFormat format,
                               const std::filesystem::path& path, const std::string& exportedBy) {
    Database& db = ctx.store.db();
    auto info = exportInfo(db, "统计分析", filter, exportedBy, static_cast<int64_t>(r.rows.size()));
    info.back().second = "金额单位为元；比率为百分比；用时为工作日。";
    for (const auto& n : r.notes) info.push_back({"注", n});
    Output out(format, path);
    if (out.xlsx) out.xlsx->infoSheet("导出说明", info);
    TableInfo t{"统计表", titleLine(info), {}};
    for (const auto& d : r.dimensions) t.columns.push_back({findDimension(d).zh, ColumnKind::Text});
    for (const auto& m : r.measures) {
        std::string h = m.zh;
        ColumnKind k = m.kind == MeasureKind::Money ? ColumnKind::Money
                       : m.kind == MeasureKind::Rate ? ColumnKind::Percent
                       : m.kind == MeasureKind::Count ? ColumnKind::Integer
                                                      : ColumnKind::Number;
        if (m.kind == MeasureKind::Money) h = h.substr(0, h.find("（万元）")) + "（元）";
        t.columns.push_back({h, k});
    }
    if (t.columns.empty()) t.columns.push_back({"", ColumnKind::Text});
    out.sink->beginTable(t);
    auto values = [&](Row& row, const std::vector<double>& v) {
        for (size_t i = 0; i < r.measures.size(); ++i) row.push_back(r.measures[i].kind == MeasureKind::Days ? std::round(v[i] * 10) / 10 : v[i]);
    };
    for (const auto& rowData : r.rows) {
        Row row;
        for (const auto& l : rowData.labels) row.push_back(l);
        values(row, rowData.values);
        out.sink->row(row);
    }
    Row total;
    for (size_t i = 0; i < r.dimensions.size(); ++i) total.push_back(i == 0 ? Cell{std::string("合计")} : Cell{});
    values(total, r.totals);
    out.sink->row(total);
    out.sink->endTable();
    out.finish();
    ExportSummary sum;
    sum.rows = static_cast<int64_t>(r.rows.size());
    sum.tables.push_back({"统计表", sum.rows});
    return sum;
}

}  // namespace jc::report
