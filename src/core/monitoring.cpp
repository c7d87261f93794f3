#include "core/i18n.h"
#include "core/monitoring.h"

#include <algorithm>
#include <cmath>

#include "core/domain.h"
#include "core/error.h"
#include "core/kpi.h"

namespace jc {

namespace {

struct ParamDef {
    const char* name;
    int defaultValue;
    int max;
};
struct KindDef {
    const char* kind;
    std::vector<ParamDef> params;
};

const std::vector<KindDef>& kinds() {
    static const std::vector<KindDef> k = {
        {"unit_complaints", {{"min_complaints", 5, 100000}, {"days", 30, 3660}}},
        {"repeated_findings", {{"min_findings", 3, 100000}, {"days", 180, 3660}}},
        {"rising_category", {{"days", 30, 3660}, {"rise_pct", 50, 1000}, {"min_cases", 5, 100000}}},
        {"overdue_rectifications", {{"min_workdays", 5, 1000}}},
        {"handler_response", {{"below_pct", 60, 100}, {"min_complaints", 3, 100000}, {"days", 90, 3660}}},
    };
    return k;
}

const KindDef& kindDef(const std::string& kind) {
    for (const auto& k : kinds())
        if (kind == k.kind) return k;
    std::string known;
    for (const auto& k : kinds()) known += std::string(known.empty() ? "" : ", ") + k.kind;
    throw ValidationError(trf("monitor.err_rule", {kind, known}));
}

bool inWindow(const Date& d, const Date& today, int days) {
    return d <= today && d.days() > today.days() - days;
}

std::string unitName(const MonitorFacts& f, const std::string& id) {
    if (id.empty()) return "（未指定单位）";
    auto it = f.unitNames.find(id);
    return it == f.unitNames.end() ? id : it->second;
}

std::string categoryName(const std::string& code) {
    for (const auto& c : categories())
        if (code == c.code) return c.zh;
    return code;
}

int p(const MonitorRule& r, const char* name) { return r.params.at(name).get<int>(); }

}  // namespace

std::vector<std::string> monitorRuleKinds() {
    std::vector<std::string> out;
    for (const auto& k : kinds()) out.push_back(k.kind);
    return out;
}

Json checkedMonitorParams(const std::string& kind, const Json& params) {
    const KindDef& k = kindDef(kind);
    if (!params.is_null() && !params.is_object()) throw ValidationError(trf("monitor.err_params", {kind}));
    Json out = Json::object();
    for (const auto& d : k.params) out[d.name] = d.defaultValue;
    if (params.is_object())
        for (auto it = params.begin(); it != params.end(); ++it) {
            auto d = std::find_if(k.params.begin(), k.params.end(), [&](const ParamDef& x) { return it.key() == x.name; });
            if (d == k.params.end()) {
                std::string known;
                for (const auto& x : k.params) known += std::string(known.empty() ? "" : ", ") + x.name;
                throw ValidationError(trf("monitor.err_param", {kind, it.key(), known}));
            }
            if (!it->is_number_integer() || it->get<int64_t>() < 1 || it->get<int64_t>() > d->max)
                throw ValidationError(trf("monitor.err_param_range", {kind, it.key(), std::to_string(d->max), it->dump()}));
            out[it.key()] = it->get<int>();
        }
    return out;
}

MonitorRule defaultMonitorRule(const std::string& kind) {
    MonitorRule r;
    r.kind = kind;
    r.params = checkedMonitorParams(kind, Json::object());
    return r;
}

std::vector<MonitorFlag> evaluateMonitoring(const std::vector<MonitorRule>& rules, const MonitorFacts& f,
                                            const WorkCalendar& cal, const Date& today) {
    std::vector<MonitorFlag> out;
    for (const MonitorRule& given : rules) {
        if (!given.enabled) continue;
        MonitorRule r = given;
        r.params = checkedMonitorParams(r.kind, r.params);
        std::vector<MonitorFlag> flags;
        if (r.kind == "unit_complaints") {
            int days = p(r, "days"), min = p(r, "min_complaints");
            std::map<std::string, std::vector<CaseLink>> byUnit;
            for (const auto& c : f.complaints)
                if (!c.unitId.empty() && inWindow(c.received, today, days)) byUnit[c.unitId].push_back({"complaint", c.id});
            for (auto& [unit, cases] : byUnit)
                if (static_cast<int>(cases.size()) >= min)
                    flags.push_back({r.kind, "unit", unit, unitName(f, unit),
                                     {{"count", cases.size()}, {"days", days}, {"threshold", min}}, std::move(cases)});
        } else if (r.kind == "repeated_findings") {
            int days = p(r, "days"), min = p(r, "min_findings");
            std::map<std::pair<std::string, std::string>, std::vector<CaseLink>> groups;
            for (const auto& x : f.findings)
                if (!x.unitId.empty() && inWindow(x.created, today, days))
                    groups[{x.unitId, x.category}].push_back({"finding", x.id});
            for (auto& [key, cases] : groups)
                if (static_cast<int>(cases.size()) >= min)
                    flags.push_back({r.kind, "unit", key.first, unitName(f, key.first),
                                     {{"count", cases.size()}, {"category", key.second},
                                      {"category_name", categoryName(key.second)}, {"days", days}, {"threshold", min}},
                                     std::move(cases)});
        } else if (r.kind == "rising_category") {
            int days = p(r, "days"), rise = p(r, "rise_pct"), min = p(r, "min_cases");
            Date prevEnd = today.plusDays(-days);
            std::map<std::string, std::vector<CaseLink>> now;
            std::map<std::string, int> before;
            auto count = [&](const std::string& cat, const Date& d, CaseLink link) {
                if (cat.empty()) return;
                if (inWindow(d, today, days)) now[cat].push_back(std::move(link));
                else if (inWindow(d, prevEnd, days)) ++before[cat];
            };
            for (const auto& x : f.findings) count(x.category, x.created, {"finding", x.id});
            for (const auto& c : f.complaints) count(c.category, c.received, {"complaint", c.id});
            for (auto& [cat, cases] : now) {
                int cur = static_cast<int>(cases.size()), prev = before[cat];
                if (cur < min) continue;
                bool rising = prev == 0 || (cur - prev) * 100 >= rise * prev;
                if (!rising) continue;
                Json nums = {{"count", cur}, {"previous", prev}, {"days", days}, {"threshold_pct", rise}, {"min_cases", min}};
                nums["rise_pct"] = prev == 0 ? Json() : Json(std::round((cur - prev) * 1000.0 / prev) / 10.0);
                flags.push_back({r.kind, "category", cat, categoryName(cat), nums, std::move(cases)});
            }
        } else if (r.kind == "overdue_rectifications") {
            int min = p(r, "min_workdays");
            std::map<std::string, std::pair<int, std::vector<CaseLink>>> byUnit;
            for (const auto& x : f.openRectifications) {
                int late = cal.workdaysBetween(x.deadline, today);
                if (late < min) continue;
                auto& g = byUnit[x.unitId];
                g.first = std::max(g.first, late);
                g.second.push_back({"rectification", x.id});
            }
            for (auto& [unit, g] : byUnit)
                flags.push_back({r.kind, "unit", unit, unitName(f, unit),
                                 {{"count", g.second.size()}, {"max_workdays", g.first}, {"threshold", min}},
                                 std::move(g.second)});
        } else if (r.kind == "handler_response") {
            int days = p(r, "days"), below = p(r, "below_pct"), min = p(r, "min_complaints");
            std::map<std::string, std::pair<std::vector<ComplaintFacts>, std::vector<CaseLink>>> byHandler;
            for (const auto& c : f.complaints) {
                if (c.handler.empty() || !inWindow(c.received, today, days)) continue;
                ComplaintFacts cf{c.status, c.received};
                if (c.replied) cf.repliedOn = c.received;  // only "has a reply" matters for the response rate
                auto& g = byHandler[c.handler];
                g.first.push_back(cf);
                g.second.push_back({"complaint", c.id});
            }
            for (auto& [handler, g] : byHandler) {
                ComplaintKpi k = complaintKpi(g.first);
                if (k.total < min || k.responseRate * 100.0 >= below) continue;
                flags.push_back({r.kind, "handler", handler, handler,
                                 {{"total", k.total}, {"replied", k.replied},
                                  {"response_pct", std::round(k.responseRate * 1000.0) / 10.0}, {"threshold_pct", below},
                                  {"days", days}},
                                 std::move(g.second)});
            }
        }
        std::stable_sort(flags.begin(), flags.end(),
                         [](const MonitorFlag& a, const MonitorFlag& b) { return a.subjectName < b.subjectName; });
        for (auto& fl : flags) out.push_back(std::move(fl));
    }
    return out;
}

std::string describeFlag(const MonitorFlag& fl, bool zh) {
    const Json& n = fl.numbers;
    auto s = [&](const char* k) {
        const Json& v = n.at(k);
        if (v.is_number_float()) {
            double d = v.get<double>();
            std::string t = std::to_string(std::round(d * 10) / 10);
            t.erase(t.find_last_not_of('0') + 1);
            if (!t.empty() && t.back() == '.') t.pop_back();
            return t;
        }
        return v.is_string() ? v.get<std::string>() : v.dump();
    };
    if (fl.rule == "unit_complaints")
        return zh ? "近" + s("days") + "天收到投诉" + s("count") + "件（阈值" + s("threshold") + "件）"
                  : s("count") + " complaints in the last " + s("days") + " days (threshold " + s("threshold") + ")";
    if (fl.rule == "repeated_findings")
        return zh ? "近" + s("days") + "天同类问题「" + s("category_name") + "」被发现" + s("count") + "次（阈值" + s("threshold") + "次）"
                  : s("count") + " findings of category " + s("category") + " in the last " + s("days") + " days (threshold " +
                        s("threshold") + ")";
    if (fl.rule == "rising_category") {
        bool fresh = n.at("rise_pct").is_null();
        if (zh)
            return "近" + s("days") + "天" + s("count") + "件，前" + s("days") + "天" + s("previous") + "件" +
                   (fresh ? "（新出现）" : "，上升" + s("rise_pct") + "%") + "（阈值" + s("threshold_pct") + "%，至少" +
                   s("min_cases") + "件）";
        return s("count") + " cases in the last " + s("days") + " days against " + s("previous") + " before" +
               (fresh ? " (new)" : ", up " + s("rise_pct") + "%") + " (threshold " + s("threshold_pct") + "%, at least " +
               s("min_cases") + ")";
    }
    if (fl.rule == "overdue_rectifications")
        return zh ? s("count") + "项整改逾期达" + s("threshold") + "个工作日以上，最长" + s("max_workdays") + "个工作日"
                  : s("count") + " rectifications overdue by " + s("threshold") + "+ working days, longest " +
                        s("max_workdays");
    if (fl.rule == "handler_response")
        return zh ? "近" + s("days") + "天经办投诉" + s("total") + "件，已回复" + s("replied") + "件，回复率" +
                        s("response_pct") + "%（低于" + s("threshold_pct") + "%）"
                  : s("total") + " complaints in the last " + s("days") + " days, " + s("replied") + " replied: " +
                        s("response_pct") + "% (below " + s("threshold_pct") + "%)";
    return fl.rule;
}

std::string describeMonitorRule(const MonitorRule& given, bool zh) {
    MonitorRule r = given;
    r.params = checkedMonitorParams(r.kind, r.params);
    auto s = [&](const char* k) { return std::to_string(p(r, k)); };
    if (r.kind == "unit_complaints")
        return zh ? "单位近" + s("days") + "天投诉 ≥ " + s("min_complaints") + "件"
                  : "unit with ≥ " + s("min_complaints") + " complaints in " + s("days") + " days";
    if (r.kind == "repeated_findings")
        return zh ? "单位近" + s("days") + "天同类问题 ≥ " + s("min_findings") + "次"
                  : "unit with ≥ " + s("min_findings") + " findings of one category in " + s("days") + " days";
    if (r.kind == "rising_category")
        return zh ? "类别近" + s("days") + "天较前期上升 ≥ " + s("rise_pct") + "%，且 ≥ " + s("min_cases") + "件（倾向性问题）"
                  : "category up ≥ " + s("rise_pct") + "% over " + s("days") + " days with ≥ " + s("min_cases") + " cases";
    if (r.kind == "overdue_rectifications")
        return zh ? "整改逾期 ≥ " + s("min_workdays") + "个工作日" : "rectifications overdue ≥ " + s("min_workdays") + " working days";
    return zh ? "经办人近" + s("days") + "天回复率 < " + s("below_pct") + "%（至少" + s("min_complaints") + "件）"
              : "handler response rate < " + s("below_pct") + "% over " + s("days") + " days (≥ " + s("min_complaints") + ")";
}

Json flagToJson(const MonitorFlag& f) {
    Json cases = Json::array();
    for (const auto& c : f.cases) cases.push_back({{"entity", c.entity}, {"id", c.id}});
    return {{"rule", f.rule},
            {"subject_kind", f.subjectKind},
            {"subject", f.subject},
            {"subject_name", f.subjectName},
            {"numbers", f.numbers},
            {"reason", describeFlag(f, true)},
            {"reason_en", describeFlag(f, false)},
            {"cases", cases}};
}

}  // namespace jc
