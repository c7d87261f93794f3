#include "core/i18n.h"
#include "core/evaluation.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>

#include "core/error.h"

namespace jc {

namespace {

const IndicatorSource kSources[] = {
    {"complaint_response_rate", "投诉回复率", "Complaint response rate", "%", true,
     "已回复投诉 / 期内受理的投诉（与统计口径相同）"},
    {"on_time_rate", "按时办结率", "On-time completion rate", "%", true,
     "按期办结的投诉 / 期内受理且已办结的投诉"},
    {"rectification_completion_rate", "整改完成率", "Rectification completion rate", "%", true,
     "已验收的整改 / 期限在期内的整改"},
    {"rectifications_overdue", "逾期整改", "Rectifications overdue", "件", false,
     "期限在期内、已过期限而未在期限内报告完成的整改"},
    {"warnings_received", "受效能告诫", "Warnings received", "件", false, "期内对本单位及其人员发出的效能告诫"},
    {"satisfaction", "投诉人满意度", "Complainant satisfaction", "%", true,
     "满意 = 100、基本满意 = 50、不满意 = 0 的平均（未表态不计）"},
    {"findings_weighted", "检查发现（按严重程度加权）", "Findings weighted by severity", "分", false,
     "期内对本单位的检查发现：轻微 1、一般 2、严重 3、特别严重 5（不含草稿与不予立案）"},
    {"approval_on_time_rate", "审批按时办结率", "On-time approval rate", "%", true,
     "按期办结的审批件 / (已办结 + 超期未办结)，按受理日期计入期间（电子监察，app/esup_queries.h）"},
    {"manual", "人工评分", "Manual score", "分", true, "评估办录入的分数（0–100），附说明"},
};

double number(const Json& j, const char* key, double fallback, const std::string& where) {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) return fallback;
    if (!it->is_number()) throw ValidationError(trf("eval.scheme.number", {where, key, it->dump()}));
    double v = it->get<double>();
    if (!std::isfinite(v)) throw ValidationError(trf("eval.scheme.finite", {where, key}));
    return v;
}

std::string fmtNumber(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.6g", v);
    return buf;
}

double round2(double v) { return std::round(v * 100.0) / 100.0; }

ScoringRule defaultRule(const IndicatorSource& s) {
    ScoringRule r;
    r.higherBetter = s.higherBetter;
    if (std::string_view(s.unit) == "%" || std::string_view(s.code) == "manual") {
        r.kind = ScoringKind::Linear;
        r.floor = std::string_view(s.code) == "manual" ? 0 : 60;
        r.target = 100;
    } else {
        r.kind = ScoringKind::Rank;
    }
    return r;
}

ScoringRule parseRule(const Json& j, const IndicatorSource& src, const std::string& where) {
    ScoringRule r = defaultRule(src);
    if (j.is_null()) return r;
    if (!j.is_object()) throw ValidationError(trf("eval.scheme.rule_object", {where}));
    std::string kind = j.value("kind", std::string(r.kind == ScoringKind::Linear ? "linear" : "rank"));
    if (kind == "linear") {
        r.kind = ScoringKind::Linear;
        if (!j.contains("floor") || !j.contains("target"))
            throw ValidationError(trf("eval.scheme.linear_needs", {where}));
        r.floor = number(j, "floor", 0, where + ".rule");
        r.target = number(j, "target", 100, where + ".rule");
        if (r.floor == r.target) throw ValidationError(trf("eval.scheme.linear_differ", {where}));
        r.higherBetter = r.target > r.floor;
    } else if (kind == "rank") {
        r.kind = ScoringKind::Rank;
        auto hb = j.find("higher_better");
        if (hb != j.end() && !hb->is_null()) {
            if (!hb->is_boolean()) throw ValidationError(trf("eval.scheme.higher_better", {where}));
            r.higherBetter = hb->get<bool>();
        }
    } else {
        throw ValidationError(trf("eval.scheme.kind", {where, kind}));
    }
    r.ifEmpty = number(j, "if_empty", 100, where + ".rule");
    if (r.ifEmpty < 0 || r.ifEmpty > 100) throw ValidationError(trf("eval.scheme.if_empty", {where}));
    return r;
}

double linearScore(const ScoringRule& r, double raw) {
    double t = (raw - r.floor) / (r.target - r.floor);
    return 100.0 * std::clamp(t, 0.0, 1.0);
}

}  // namespace

std::span<const IndicatorSource> indicatorSources() { return kSources; }

const IndicatorSource* findIndicatorSource(std::string_view code) {
    for (const auto& s : kSources)
        if (code == s.code) return &s;
    return nullptr;
}

double severityWeight(std::string_view s) {
    if (s == "critical") return 5;
    if (s == "high") return 3;
    if (s == "medium") return 2;
    return 1;  // low or not set
}

EvaluationScheme parseScheme(const Json& j) {
    if (!j.is_object()) throw ValidationError(tr("eval.scheme.object"));
    auto list = j.find("indicators");
    if (list == j.end() || !list->is_array() || list->empty())
        throw ValidationError(tr("eval.scheme.indicators"));
    if (list->size() > 50) throw ValidationError(tr("eval.scheme.max"));
    EvaluationScheme s;
    std::set<std::string> codes;
    double sum = 0;
    std::string parts;
    for (size_t i = 0; i < list->size(); ++i) {
        const Json& e = (*list)[i];
        std::string where = "indicator " + std::to_string(i + 1);
        if (!e.is_object()) throw ValidationError(trf("eval.scheme.indicator_object", {where}));
        std::string source = e.value("source", std::string());
        const IndicatorSource* src = findIndicatorSource(source);
        if (!src) {
            std::string known;
            for (const auto& k : kSources) known += std::string(known.empty() ? "" : ", ") + k.code;
            throw ValidationError(trf("eval.scheme.source", {where, source, known}));
        }
        Indicator ind;
        ind.source = source;
        ind.code = e.value("code", source == "manual" ? std::string() : source);
        if (ind.code.empty()) throw ValidationError(trf("eval.scheme.code", {where}));
        if (ind.code.size() > 40) throw ValidationError(trf("eval.scheme.code_long", {where}));
        if (!codes.insert(ind.code).second)
            throw ValidationError(trf("eval.scheme.code_twice", {where, ind.code}));
        ind.label = e.value("label", std::string());
        if (ind.label.empty()) {
            if (source == "manual") throw ValidationError(trf("eval.scheme.label", {where}));
            ind.label = src->zh;
        }
        if (ind.label.size() > 200) throw ValidationError(trf("eval.scheme.label_long", {where}));
        if (!e.contains("weight")) throw ValidationError(trf("eval.scheme.weight", {where, ind.label}));
        ind.weight = number(e, "weight", 0, where);
        if (ind.weight <= 0) throw ValidationError(trf("eval.scheme.weight_positive", {where, ind.label}));
        ind.rule = parseRule(e.contains("rule") ? e["rule"] : Json(), *src, where + " (" + ind.label + ")");
        sum += ind.weight;
        parts += std::string(parts.empty() ? "" : " + ") + ind.label + " " + fmtNumber(ind.weight);
        s.indicators.push_back(std::move(ind));
    }
    if (std::fabs(sum - 100.0) > 1e-6)
        throw ValidationError(trf("eval.scheme.weights_sum", {fmtNumber(sum), parts}));
    if (auto g = j.find("grades"); g != j.end() && !g->is_null()) {
        if (!g->is_object()) throw ValidationError(tr("eval.scheme.grades"));
        s.grades.excellent = number(*g, "excellent", 90, "grades");
        s.grades.good = number(*g, "good", 80, "grades");
        s.grades.fair = number(*g, "fair", 60, "grades");
    }
    const auto& gr = s.grades;
    if (!(gr.excellent <= 100 && gr.excellent > gr.good && gr.good > gr.fair && gr.fair >= 0))
        throw ValidationError(trf("eval.scheme.grade_order", {fmtNumber(gr.excellent), fmtNumber(gr.good), fmtNumber(gr.fair)}));
    if (auto u = j.find("units"); u != j.end() && !u->is_null()) {
        if (!u->is_array()) throw ValidationError(tr("eval.scheme.units"));
        for (const auto& x : *u) {
            if (!x.is_string() || x.get<std::string>().empty()) throw ValidationError(tr("eval.scheme.units"));
            s.units.push_back(x.get<std::string>());
        }
    }
    return s;
}

Json schemeToJson(const EvaluationScheme& s) {
    Json list = Json::array();
    for (const auto& i : s.indicators) {
        Json rule = i.rule.kind == ScoringKind::Linear
                        ? Json{{"kind", "linear"}, {"floor", i.rule.floor}, {"target", i.rule.target}}
                        : Json{{"kind", "rank"}, {"higher_better", i.rule.higherBetter}};
        rule["if_empty"] = i.rule.ifEmpty;
        list.push_back({{"code", i.code}, {"source", i.source}, {"label", i.label}, {"weight", i.weight}, {"rule", rule}});
    }
    return {{"indicators", list},
            {"grades", {{"excellent", s.grades.excellent}, {"good", s.grades.good}, {"fair", s.grades.fair}}},
            {"units", s.units}};
}

std::string describeRule(const ScoringRule& r, bool zh) {
    if (r.kind == ScoringKind::Linear)
        return std::string(zh ? "线性 " : "linear ") + fmtNumber(r.floor) + "→" + fmtNumber(r.target);
    if (zh) return r.higherBetter ? "排名（高者优）" : "排名（低者优）";
    return r.higherBetter ? "rank (higher is better)" : "rank (lower is better)";
}

PeriodRange parsePeriod(const std::string& p) {
    auto bad = [&]() -> ValidationError {
        return ValidationError(trf("eval.period_format", {p}));
    };
    if (p.size() < 4) throw bad();
    for (int i = 0; i < 4; ++i)
        if (p[i] < '0' || p[i] > '9') throw bad();
    int year = std::stoi(p.substr(0, 4));
    if (year < 2000 || year > 2100) throw ValidationError(tr("eval.period_year"));
    int m1 = 1, m2 = 12;
    std::string rest = p.substr(4);
    if (rest.empty()) {
    } else if (rest.size() == 3 && rest[0] == '-' && (rest[1] == 'Q' || rest[1] == 'q') && rest[2] >= '1' && rest[2] <= '4') {
        int q = rest[2] - '0';
        m1 = 3 * q - 2;
        m2 = 3 * q;
    } else if (rest.size() == 3 && rest[0] == '-' && (rest[1] == 'H' || rest[1] == 'h') && (rest[2] == '1' || rest[2] == '2')) {
        m1 = rest[2] == '1' ? 1 : 7;
        m2 = rest[2] == '1' ? 6 : 12;
    } else if (rest.size() == 3 && rest[0] == '-' && rest[1] >= '0' && rest[1] <= '1' && rest[2] >= '0' && rest[2] <= '9') {
        m1 = m2 = std::stoi(rest.substr(1));
        if (m1 < 1 || m1 > 12) throw bad();
    } else {
        throw bad();
    }
    Date first{year, m1, 1};
    Date nextMonth = m2 == 12 ? Date{year + 1, 1, 1} : Date{year, m2 + 1, 1};
    return {first, nextMonth.plusDays(-1)};
}

std::string gradeFor(double total, const GradeThresholds& g) {
    if (total >= g.excellent) return "excellent";
    if (total >= g.good) return "good";
    if (total >= g.fair) return "fair";
    return "poor";
}

const char* gradeLabel(std::string_view grade, bool zh) {
    if (grade == "excellent") return zh ? "优秀" : "Excellent";
    if (grade == "good") return zh ? "良好" : "Good";
    if (grade == "fair") return zh ? "一般" : "Fair";
    return zh ? "较差" : "Poor";
}

std::vector<UnitResult> scoreUnits(const EvaluationScheme& scheme, const std::vector<UnitRaw>& units) {
    const size_t n = scheme.indicators.size();
    std::vector<UnitResult> out(units.size());
    for (size_t u = 0; u < units.size(); ++u) {
        if (units[u].raw.size() != n)
            throw ValidationError(
                trf("eval.err_raw_count", {units[u].unitName, std::to_string(units[u].raw.size()), std::to_string(n)}));
        out[u].unitId = units[u].unitId;
        out[u].unitName = units[u].unitName;
        out[u].items.resize(n);
    }
    for (size_t i = 0; i < n; ++i) {
        const Indicator& ind = scheme.indicators[i];
        const ScoringRule& r = ind.rule;
        std::vector<size_t> withValue;
        for (size_t u = 0; u < units.size(); ++u) {
            IndicatorScore& s = out[u].items[i];
            s.raw = units[u].raw[i].value;
            s.detail = units[u].raw[i].detail;
            s.cases = units[u].raw[i].cases;
            if (!s.raw) {
                s.empty = true;
                s.score = r.ifEmpty;
            } else if (r.kind == ScoringKind::Linear) {
                s.score = linearScore(r, *s.raw);
            } else {
                withValue.push_back(u);
            }
        }
        // Rank: competition ranking among the units with a value; best 100, worst 0.
        const double m = static_cast<double>(withValue.size());
        for (size_t u : withValue) {
            double v = *out[u].items[i].raw;
            int better = 0;
            for (size_t o : withValue) {
                double w = *out[o].items[i].raw;
                if (r.higherBetter ? w > v : w < v) ++better;
            }
            out[u].items[i].score = m <= 1 ? 100.0 : 100.0 * (m - 1 - better) / (m - 1);
        }
        for (auto& res : out) res.items[i].weighted = res.items[i].score * ind.weight / 100.0;
    }
    for (auto& res : out) {
        double t = 0;
        for (const auto& it : res.items) t += it.weighted;
        res.total = round2(t);
        res.grade = gradeFor(res.total, scheme.grades);
    }
    std::stable_sort(out.begin(), out.end(), [](const UnitResult& a, const UnitResult& b) {
        return a.total != b.total ? a.total > b.total : a.unitName < b.unitName;
    });
    for (size_t k = 0; k < out.size(); ++k)
        out[k].rank = k > 0 && out[k].total == out[k - 1].total ? out[k - 1].rank : static_cast<int>(k + 1);
    return out;
}

Json resultsToJson(const std::vector<UnitResult>& results) {
    Json arr = Json::array();
    for (const auto& r : results) {
        Json items = Json::array();
        for (const auto& it : r.items) {
            Json cases = Json::array();
            for (const auto& c : it.cases) cases.push_back({c.entity, c.id});
            Json x = {{"score", it.score}, {"weighted", it.weighted}, {"detail", it.detail}, {"empty", it.empty},
                      {"cases", cases}};
            x["raw"] = it.raw ? Json(*it.raw) : Json();
            items.push_back(std::move(x));
        }
        arr.push_back({{"unit_id", r.unitId}, {"unit_name", r.unitName}, {"total", r.total}, {"rank", r.rank},
                       {"grade", r.grade}, {"items", items}});
    }
    return arr;
}

std::vector<UnitResult> resultsFromJson(const Json& j) {
    std::vector<UnitResult> out;
    if (!j.is_array()) return out;
    for (const auto& r : j) {
        UnitResult u;
        u.unitId = r.value("unit_id", std::string());
        u.unitName = r.value("unit_name", std::string());
        u.total = r.value("total", 0.0);
        u.rank = r.value("rank", 0);
        u.grade = r.value("grade", std::string());
        for (const auto& x : r.value("items", Json::array())) {
            IndicatorScore s;
            if (x.contains("raw") && x["raw"].is_number()) s.raw = x["raw"].get<double>();
            s.detail = x.value("detail", std::string());
            s.score = x.value("score", 0.0);
            s.weighted = x.value("weighted", 0.0);
            s.empty = x.value("empty", false);
            for (const auto& c : x.value("cases", Json::array()))
                if (c.is_array() && c.size() == 2 && c[0].is_string() && c[1].is_string())
                    s.cases.push_back({c[0].get<std::string>(), c[1].get<std::string>()});
            u.items.push_back(std::move(s));
        }
        out.push_back(std::move(u));
    }
    return out;
}

}  // namespace jc
