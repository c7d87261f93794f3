#include "report/evaluation_report.h"

#include <cmath>
#include <cstdio>
#include <map>

#include "core/i18n.h"
#include "core/error.h"
#include "report/xlsx_sink.h"

namespace jc::report {

namespace {

std::string fixed(double v, int decimals) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

std::string statusText(const EvaluationSummary& m) {
    if (m.status == "draft") return "草稿（未发布）";
    return (m.status == "published" ? "已发布 第" : "已被取代 第") + std::to_string(m.version) + "版";
}

std::string rawText(const IndicatorScore& s, const Indicator& ind) {
    if (!s.raw) return "无数据";
    const IndicatorSource* src = findIndicatorSource(ind.source);
    std::string unit = src ? src->unit : "";
    bool whole = std::fabs(*s.raw - std::round(*s.raw)) < 1e-9;
    return fixed(*s.raw, unit == "%" ? 1 : whole ? 0 : 2) + (unit == "%" ? "%" : "");
}

void requireResults(const EvaluationDetail& d) {
    if (d.results.empty())
        throw ValidationError(trf("report.err_eval_not_run", {d.summary.id}));
}

}  // namespace

void writeEvaluationXlsx(const EvaluationDetail& d, const std::filesystem::path& path, const std::string& exportedBy) {
    requireResults(d);
    const auto& m = d.summary;
    const auto& g = d.scheme.grades;
    bool done = false;
    struct Cleanup {
        const std::filesystem::path& p;
        bool& done;
        ~Cleanup() {
            std::error_code ec;
            if (!done) std::filesystem::remove(p, ec);
        }
    } cleanup{path, done};
    XlsxSink x(path);
    x.infoSheet("说明", {{"效能评估", m.title},
                         {"专项", m.campaignTitle},
                         {"评估期间", m.period},
                         {"状态", statusText(m)},
                         {"评估单位数", std::to_string(d.results.size())},
                         {"等次", "优秀 ≥ " + fixed(g.excellent, 0) + "，良好 ≥ " + fixed(g.good, 0) + "，一般 ≥ " +
                                      fixed(g.fair, 0) + "，其余较差"},
                         {"计算时间", beijingTime(m.runAt)},
                         {"发布", m.publishedBy.empty() ? "" : m.publishedBy + " " + beijingTime(m.publishedAt)},
                         {"导出人", exportedBy},
                         {"导出时间", beijingTime(nowIso())}});
    x.beginTable({"排名", m.title,
                  {{"名次", ColumnKind::Integer}, {"单位", ColumnKind::Text}, {"得分", ColumnKind::Number}, {"等次", ColumnKind::Text}}});
    for (const auto& r : d.results)
        x.row({static_cast<double>(r.rank), r.unitName, r.total, std::string(gradeLabel(r.grade, true))});
    x.endTable();
    x.beginTable({"得分构成", m.title,
                  {{"名次", ColumnKind::Integer},
                   {"单位", ColumnKind::Text},
                   {"指标", ColumnKind::Text},
                   {"原始值", ColumnKind::Text},
                   {"说明", ColumnKind::Text},
                   {"计分规则", ColumnKind::Text},
                   {"得分", ColumnKind::Number},
                   {"权重", ColumnKind::Number},
                   {"加权得分", ColumnKind::Number},
                   {"涉及案件", ColumnKind::Integer}}});
    for (const auto& r : d.results)
        for (size_t i = 0; i < r.items.size() && i < d.scheme.indicators.size(); ++i) {
            const Indicator& ind = d.scheme.indicators[i];
            const IndicatorScore& it = r.items[i];
            x.row({static_cast<double>(r.rank), r.unitName, ind.label, rawText(it, ind), it.detail,
                   describeRule(ind.rule, true), it.score, ind.weight, it.weighted, static_cast<double>(it.cases.size())});
        }
    x.endTable();
    x.beginTable({"评估方案", m.title,
                  {{"指标", ColumnKind::Text},
                   {"来源", ColumnKind::Text},
                   {"权重", ColumnKind::Number},
                   {"计分规则", ColumnKind::Text},
                   {"口径", ColumnKind::LongText}}});
    for (const auto& ind : d.scheme.indicators) {
        const IndicatorSource* src = findIndicatorSource(ind.source);
        x.row({ind.label, ind.source, ind.weight, describeRule(ind.rule, true), std::string(src ? src->definition : "")});
    }
    x.endTable();
    x.close();
    done = true;
}

OfficialDocument evaluationDocument(const EvaluationDetail& d, const Date& issued, const std::string& issuer) {
    requireResults(d);
    const auto& m = d.summary;
    OfficialDocument doc;
    doc.issuerMark = issuer + "文件";
    doc.title = "关于" + m.campaignTitle + m.period + "行政效能评估结果的通报";
    doc.addressee = "各县（区）人民政府，市直各有关部门：";
    doc.signature = issuer;
    doc.date = issued;
    doc.printedBy = issuer + "办公室";
    doc.printedOn = issued;
    std::map<std::string, std::vector<std::string>> byGrade;
    for (const auto& r : d.results) byGrade[r.grade].push_back(r.unitName);
    doc.body.push_back(TextBlock{"根据" + m.campaignTitle + "的安排，市监察局按照评估方案，对" + std::to_string(d.results.size()) +
                                 "个被监察单位" + m.period + "的行政效能进行了评估。" +
                                 (m.status == "published" ? "本结果为第" + std::to_string(m.version) + "版。" : std::string()) +
                                 "现将结果通报如下。"});
    doc.body.push_back(TextBlock{"一、评估方案", TextStyle::Heading1});
    TableBlock scheme{"表1　评估指标、权重与计分规则", {"指标", "权重", "计分规则"}, {}, false};
    for (const auto& ind : d.scheme.indicators)
        scheme.rows.push_back({ind.label, fixed(ind.weight, ind.weight == std::round(ind.weight) ? 0 : 2), describeRule(ind.rule, true)});
    scheme.rows.push_back({"合计", "100", ""});
    scheme.totalRow = true;
    doc.body.push_back(scheme);
    const auto& g = d.scheme.grades;
    doc.body.push_back(TextBlock{"总分为各指标得分乘以权重之和。总分" + fixed(g.excellent, 0) + "分以上为优秀，" + fixed(g.good, 0) +
                                 "分以上为良好，" + fixed(g.fair, 0) + "分以上为一般，其余为较差。"});
    doc.body.push_back(TextBlock{"二、评估结果", TextStyle::Heading1});
    TableBlock ranking{"表2　行政效能评估排名", {"名次", "单位", "得分", "等次"}, {}, false};
    for (const auto& r : d.results)
        ranking.rows.push_back({std::to_string(r.rank), r.unitName, fixed(r.total, 2), gradeLabel(r.grade, true)});
    doc.body.push_back(ranking);
    BarChartBlock chart{"图1　得分前十名", {}, {}, "分"};
    for (size_t i = 0; i < d.results.size() && i < 10; ++i) {
        chart.labels.push_back(d.results[i].unitName);
        chart.values.push_back(d.results[i].total);
    }
    doc.body.push_back(chart);
    doc.body.push_back(TextBlock{"三、等次情况", TextStyle::Heading1});
    for (const char* grade : {"excellent", "good", "fair", "poor"}) {
        const auto& units = byGrade[grade];
        std::string names;
        for (const auto& u : units) names += (names.empty() ? "" : "、") + u;
        doc.body.push_back(TextBlock{std::string("评为") + gradeLabel(grade, true) + "的单位" + std::to_string(units.size()) + "个" +
                                     (units.empty() ? "。" : "：" + names + "。")});
    }
    doc.body.push_back(TextBlock{"评为一般和较差的单位，要对照得分构成查找原因，限期整改，整改情况报市监察局。"});
    return doc;
}

void writeEvaluationPdf(const EvaluationDetail& d, const std::filesystem::path& path, const Date& issued) {
    DocumentLayout layout(evaluationDocument(d, issued));
    layout.writePdf(path);
}

}  // namespace jc::report
