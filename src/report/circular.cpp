#include "report/circular.h"

#include <algorithm>
#include <sstream>

#include "core/i18n.h"
#include "core/error.h"
#include "core/utf8.h"
#include "report/exports.h"
#include "report/xlsx_sink.h"

namespace jc::report {

namespace {

const std::vector<std::string> kOverall = {
    "findings",   "severity_high",      "severity_critical", "amount_owed",     "amount_paid",  "compensation_due",
    "compensation_paid", "households",  "workers",           "complaints",      "complaints_replied", "complaints_closed",
    "response_rate", "completion_rate", "on_time_rate",      "rect_ordered",    "rect_verified", "rect_overdue",
    "warnings",   "warnings_acknowledged"};
const std::vector<std::string> kByCategory = {"findings", "severity_high", "severity_critical", "amount_owed",
                                              "compensation_due", "rect_ordered", "rect_overdue"};
const std::vector<std::string> kByCounty = {"findings", "complaints", "completion_rate", "on_time_rate", "rect_ordered", "warnings"};

double value(const StatsResult& r, const std::vector<double>& v, const std::string& code) {
    for (size_t i = 0; i < r.measures.size(); ++i)
        if (code == r.measures[i].code) return v[i];
    throw ValidationError("measure " + code + " not computed");
}

std::string fmt(const StatsResult& r, const std::vector<double>& v, const std::string& code) {
    return formatMeasure(findMeasure(code), value(r, v, code));
}

const char* const kNumerals[] = {"一", "二", "三", "四", "五", "六", "七", "八", "九", "十",
                                 "十一", "十二", "十三", "十四", "十五", "十六", "十七", "十八", "十九", "二十"};

// Cuts `text` after the sentence that passes `chars` characters (never inside a character).
std::string firstSentences(const std::string& text, size_t chars) {
    size_t count = 0;
    for (size_t i = 0; i < text.size();) {
        const char32_t ch = decodeUtf8(text, i);
        ++count;
        if (count >= chars && (ch == U'。' || ch == U'；')) return text.substr(0, i);
        if (count >= chars * 2) return text.substr(0, i) + "……";
    }
    return text;
}

std::vector<std::string> noteParagraphs(const std::string& notes) {
    std::vector<std::string> out;
    std::stringstream in(notes);
    std::string line;
    while (std::getline(in, line)) {
        while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
        size_t start = line.find_first_not_of(" \t");
        if (start == std::string::npos) continue;
        line = line.substr(start);
        while (line.rfind("\xE3\x80\x80", 0) == 0) line = line.substr(3);  // full-width spaces typed before a paragraph
        if (!line.empty()) out.push_back(line);
    }
    return out;
}

}  // namespace

Circular buildCircular(AppContext& ctx, const CircularOptions& opt) {
    if (opt.to < opt.from) throw ValidationError(trf("report.err_period", {opt.to.str(), opt.from.str()}));
    if (opt.to.days() - opt.from.days() > 3660) throw ValidationError(tr("report.err_ten_years"));
    if (opt.typicalCases < 0 || opt.typicalCases > 20) throw ValidationError(tr("report.err_typical"));
    Database& db = ctx.store.db();
    Circular c;
    CircularFacts& f = c.facts;
    std::string campaign = opt.campaignId;
    {
        auto s = db.prepare(campaign.empty()
                                ? "SELECT id, title FROM campaign WHERE deleted = 0 ORDER BY status <> 'active', created_at DESC LIMIT 1"
                                : "SELECT id, title FROM campaign WHERE deleted = 0 AND (id = ?1 OR title = ?1)");
        if (!campaign.empty()) s.bind(1, campaign);
        if (!s.step()) throw NotFoundError(campaign.empty() ? std::string(tr("report.err_no_campaign")) : trf("report.err_campaign", {campaign}));
        campaign = s.getText(0);
        f.campaignTitle = s.isNull(1) ? std::string() : s.getText(1);
    }
    f.filter.campaignId = campaign;
    f.filter.dateFrom = opt.from.str();
    f.filter.dateTo = opt.to.str();
    f.filter.dateBasis = opt.dateBasis;
    const WorkCalendar& cal = *ctx.calendar;
    f.overall = computeStatistics(db, cal, ctx.today(), {{}, kOverall, f.filter});
    f.byCategory = computeStatistics(db, cal, ctx.today(), {{"category"}, kByCategory, f.filter});
    f.byCounty = computeStatistics(db, cal, ctx.today(), {{"county"}, kByCounty, f.filter});
    {
        SqlWhere w = warningFilterSql(f.filter);
        auto s = db.prepare(std::string("SELECT w.level, count(*)") + kWarningFrom + w.sql + " GROUP BY w.level");
        bindAll(s, w.args);
        while (s.step()) {
            std::string level = s.isNull(0) ? "" : s.getText(0);
            int i = level == "reminder" ? 0 : level == "warning" ? 1 : level == "serious" ? 2 : -1;
            if (i >= 0) f.warningsByLevel[i] = s.getInt(1);
        }
    }

    OfficialDocument& d = c.document;
    d.issuerMark = opt.issuer + "文件";
    d.number = opt.number;
    d.title = "关于" + f.campaignTitle + "工作情况的通报";
    d.addressee = opt.addressee;
    d.signature = opt.issuer;
    d.date = opt.issued.value_or(ctx.today());
    d.copyTo = opt.copyTo;
    d.printedBy = opt.issuer + "办公室";
    d.printedOn = d.date;

    const StatsResult& o = f.overall;
    const auto& t = o.totals;
    auto body = [&](std::string s, TextStyle st = TextStyle::Body) { d.body.push_back(TextBlock{std::move(s), st}); };
    bool accepted = opt.dateBasis == "accepted";
    std::string period = chineseDate(opt.from) + "至" +
                         (opt.from.year == opt.to.year ? chineseDate(opt.to).substr(std::to_string(opt.to.year).size() + 3) : chineseDate(opt.to));
    body("现将" + period + "全市行政效能专项监察工作情况通报如下：");

    body("一、总体情况", TextStyle::Heading1);
    body(period + "，全市各检查组共" + (accepted ? "采纳" : "录入") + "检查发现" +
         fmt(o, t, "findings") + "件，其中严重" + fmt(o, t, "severity_high") + "件、特别严重" + fmt(o, t, "severity_critical") +
         "件；查实拖欠工资" + fmt(o, t, "amount_owed") + "万元、已清偿" + fmt(o, t, "amount_paid") + "万元，应付征地拆迁补偿" +
         fmt(o, t, "compensation_due") + "万元、已支付" + fmt(o, t, "compensation_paid") + "万元，涉及群众" + fmt(o, t, "households") +
         "户、职工和农民工" + fmt(o, t, "workers") + "人。受理群众投诉" + fmt(o, t, "complaints") + "件，已回复" +
         fmt(o, t, "complaints_replied") + "件、办结" + fmt(o, t, "complaints_closed") + "件，回复率" + fmt(o, t, "response_rate") +
         "、办结率" + fmt(o, t, "completion_rate") + "、按时办结率" + fmt(o, t, "on_time_rate") + "。责令整改" + fmt(o, t, "rect_ordered") +
         "件，已验收" + fmt(o, t, "rect_verified") + "件，逾期未改" + fmt(o, t, "rect_overdue") + "件。发出效能告诫" + fmt(o, t, "warnings") +
         "次。");

    body("二、分类情况", TextStyle::Heading1);
    {
        TableBlock tb;
        tb.caption = "表1  检查发现分类情况";
        tb.headers = {"专项类别", "检查发现（件）", "严重以上（件）", "拖欠工资（万元）", "应付补偿（万元）", "责令整改（件）", "逾期未改（件）"};
        const StatsResult& r = f.byCategory;
        auto row = [&](const std::string& label, const std::vector<double>& v) {
            tb.rows.push_back({label, fmt(r, v, "findings"),
                               withThousands(static_cast<int64_t>(value(r, v, "severity_high") + value(r, v, "severity_critical"))),
                               fmt(r, v, "amount_owed"), fmt(r, v, "compensation_due"), fmt(r, v, "rect_ordered"), fmt(r, v, "rect_overdue")});
        };
        for (const auto& rr : r.rows) row(rr.labels[0], rr.values);
        row("合计", r.totals);
        tb.totalRow = true;
        d.body.push_back(tb);
        if (!r.rows.empty()) {
            auto top = std::max_element(r.rows.begin(), r.rows.end(),
                                        [](const StatsRow& a, const StatsRow& b) { return a.values[0] < b.values[0]; });
            body("从类别看，" + top->labels[0] + "问题最多，共" + formatMeasure(findMeasure("findings"), top->values[0]) + "件，占" +
                 formatMeasure(findMeasure("on_time_rate"), r.totals[0] > 0 ? 100.0 * top->values[0] / r.totals[0] : 0) + "。");
        }
    }

    body("三、各县区情况", TextStyle::Heading1);
    {
        const StatsResult& r = f.byCounty;
        TableBlock tb;
        tb.caption = "表2  各县区情况";
        tb.headers = {"县区", "检查发现（件）", "受理投诉（件）", "办结率", "按时办结率", "责令整改（件）", "效能告诫（次）"};
        auto row = [&](const std::string& label, const std::vector<double>& v) {
            tb.rows.push_back({label, fmt(r, v, "findings"), fmt(r, v, "complaints"), fmt(r, v, "completion_rate"),
                               fmt(r, v, "on_time_rate"), fmt(r, v, "rect_ordered"), fmt(r, v, "warnings")});
        };
        for (const auto& rr : r.rows) row(rr.labels[0], rr.values);
        row("合计", r.totals);
        tb.totalRow = true;
        d.body.push_back(tb);
        BarChartBlock ch;
        ch.caption = "图1  各县区检查发现数量";
        ch.valueSuffix = "件";
        std::vector<const StatsRow*> sorted;
        for (const auto& rr : r.rows) sorted.push_back(&rr);
        std::stable_sort(sorted.begin(), sorted.end(), [](const StatsRow* a, const StatsRow* b) { return a->values[0] > b->values[0]; });
        for (const auto* rr : sorted) ch.labels.push_back(rr->labels[0]), ch.values.push_back(rr->values[0]);
        if (!sorted.empty()) d.body.push_back(ch);
    }

    body("四、典型问题", TextStyle::Heading1);
    {
        SqlWhere w = findingFilterSql(db, f.filter, ctx.today().str());
        w.sql += " AND f.status IN ('accepted', 'rectification_ordered', 'rectified', 'verified', 'closed')";
        auto s = db.prepare(
            "SELECT f.official_number, f.local_number, f.title, u.name, f.narrative, f.severity FROM finding f "
            "LEFT JOIN unit u ON u.id = f.subject_unit_id" +
            w.sql +
            " ORDER BY CASE f.severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END, "
            "f.created_at DESC, f.id LIMIT ?");
        bindAll(s, w.args);
        s.bind(static_cast<int>(w.args.size() + 1), opt.typicalCases);
        int n = 0;
        while (s.step()) {
            std::string number = !s.isNull(0) && !s.getText(0).empty() ? s.getText(0) : (s.isNull(1) ? "" : s.getText(1));
            std::string unit = s.isNull(3) ? "" : s.getText(3);
            body(std::string("（") + kNumerals[n] + "）" + (unit.empty() ? "" : unit) + (unit.empty() ? "" : "：") +
                     (s.isNull(2) ? "" : s.getText(2)),
                 TextStyle::Heading2);
            body("（" + number + "）" + firstSentences(s.isNull(4) ? "" : s.getText(4), 150));
            ++n;
        }
        if (n == 0) body("本期没有已采纳的检查发现。");
    }

    body("五、效能告诫情况", TextStyle::Heading1);
    body("本期共发出效能告诫" + fmt(o, t, "warnings") + "次，其中提醒" + withThousands(f.warningsByLevel[0]) + "次、告诫" +
         withThousands(f.warningsByLevel[1]) + "次、严重告诫" + withThousands(f.warningsByLevel[2]) + "次；被告诫对象已签收" +
         fmt(o, t, "warnings_acknowledged") + "次。");

    body("六、存在问题和下一步工作", TextStyle::Heading1);
    auto paras = noteParagraphs(opt.notes);
    if (paras.empty()) body("（无）");
    for (const auto& p : paras) {
        TextStyle st = p.rfind("（", 0) == 0 && p.find("）") != std::string::npos && p.find("）") <= 12 && p.find("（1") != 0
                           ? TextStyle::Heading2
                           : TextStyle::Body;
        body(p, st);
    }
    return c;
}

void writeCircularRegister(AppContext& ctx, const Circular& c, const std::filesystem::path& path, const std::string& exportedBy) {
    Database& db = ctx.store.db();
    try {
        XlsxSink x(path);
        auto info = exportInfo(db, "工作通报月度台账", c.facts.filter, exportedBy, static_cast<int64_t>(c.facts.byCounty.rows.size()));
        info.insert(info.begin() + 1, {"通报标题", c.document.title});
        if (!c.document.number.empty()) info.insert(info.begin() + 2, {"文号", c.document.number});
        info.back().second = "金额单位为元；比率为百分比；与通报正文各表数字一致。";
        x.infoSheet("说明", info);
        auto sheet = [&](const std::string& name, const StatsResult& r) {
            TableInfo t{name, "", {}};
            for (const auto& d : r.dimensions) t.columns.push_back({findDimension(d).zh, ColumnKind::Text});
            if (r.dimensions.empty()) t.columns.push_back({"项目", ColumnKind::Text});
            for (const auto& m : r.measures) {
                std::string h = m.zh;
                if (m.kind == MeasureKind::Money) h = h.substr(0, h.find("（万元）")) + "（元）";
                t.columns.push_back({h, m.kind == MeasureKind::Money  ? ColumnKind::Money
                                        : m.kind == MeasureKind::Rate ? ColumnKind::Percent
                                        : m.kind == MeasureKind::Count ? ColumnKind::Integer
                                                                       : ColumnKind::Number});
            }
            x.beginTable(t);
            for (const auto& row : r.rows) {
                std::vector<Cell> cells(row.labels.begin(), row.labels.end());
                for (double v : row.values) cells.push_back(v);
                x.row(cells);
            }
            std::vector<Cell> total{std::string(r.dimensions.empty() ? "本期" : "合计")};
            for (double v : r.totals) total.push_back(v);
            x.row(total);
            x.endTable();
        };
        sheet("总体情况", c.facts.overall);
        sheet("分类情况", c.facts.byCategory);
        sheet("各县区情况", c.facts.byCounty);
        x.close();
    } catch (...) {
        std::error_code ec;
        std::filesystem::remove(path, ec);
        throw;
    }
}

}  // namespace jc::report
