// `jiancha evaluation …` (行政效能评估) and `jiancha monitor …` (重点监控), headquarters' work.
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "app/evaluation.h"
#include "app/monitoring.h"
#include "core/args.h"
#include "cli/env.h"
#include "core/error.h"
#include "report/evaluation_report.h"

namespace jc::cli {

namespace {

constexpr uintmax_t kMaxSchemeFile = 1 << 20;

Json readJsonFile(const std::string& path) {
    std::error_code ec;
    auto size = std::filesystem::file_size(path, ec);
    if (ec) throw ValidationError("cannot read " + path + ": " + ec.message());
    if (size > kMaxSchemeFile) throw ValidationError(path + " is larger than 1 MB");
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    Json j = Json::parse(ss.str(), nullptr, false);
    if (j.is_discarded()) throw ValidationError(path + " is not valid JSON");
    return j;
}

std::string fixed(double v, int decimals) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

std::string rawText(const IndicatorScore& s, const IndicatorSource* src) {
    if (!s.raw) return "—";
    std::string u = src ? src->unit : "";
    return fixed(*s.raw, u == "%" ? 1 : (std::fabs(*s.raw - std::round(*s.raw)) < 1e-9 ? 0 : 2)) + (u == "%" ? "%" : "");
}

std::string resolveEvaluation(Database& db, const std::string& token) {
    auto s = db.prepare("SELECT id FROM evaluation WHERE deleted = 0 AND (id = ?1 OR substr(id, -12) = ?1) LIMIT 2");
    s.bind(1, token);
    if (!s.step()) throw NotFoundError("no evaluation " + token);
    std::string id = s.getText(0);
    if (s.step()) throw ValidationError("evaluation " + token + " is ambiguous; give the full id");
    return id;
}

void printEvaluation(const EvaluationDetail& d, const std::string& unitFilter) {
    const auto& m = d.summary;
    std::cout << m.title << "\n" << m.campaignTitle << "  " << m.period << "  "
              << (m.status == "draft" ? "草稿" : m.status == "published" ? "已发布" : "已被新版本取代");
    if (m.version > 0) std::cout << "  第" << m.version << "版";
    if (!m.publishedAt.empty()) std::cout << "  " << m.publishedBy << " 发布于 " << m.publishedAt.substr(0, 10);
    std::cout << "\n\n";
    std::vector<std::vector<std::string>> ind;
    for (const auto& i : d.scheme.indicators)
        ind.push_back({i.code, i.label, fixed(i.weight, i.weight == std::round(i.weight) ? 0 : 2), describeRule(i.rule, true)});
    printTable({"指标", "名称", "权重", "计分规则"}, ind);
    std::cout << "\n";
    if (d.results.empty()) {
        std::cout << "尚未计算（jiancha evaluation run " << m.id << "）\n";
        return;
    }
    if (unitFilter.empty()) {
        std::vector<std::vector<std::string>> rows;
        for (const auto& r : d.results)
            rows.push_back({std::to_string(r.rank), r.unitName, fixed(r.total, 2), gradeLabel(r.grade, true)});
        printTable({"名次", "单位", "得分", "等次"}, rows);
        return;
    }
    for (const auto& r : d.results) {
        if (r.unitId != unitFilter) continue;
        std::cout << r.unitName << "  第" << r.rank << "名  " << fixed(r.total, 2) << "分  " << gradeLabel(r.grade, true) << "\n";
        std::vector<std::vector<std::string>> rows;
        for (size_t i = 0; i < r.items.size() && i < d.scheme.indicators.size(); ++i) {
            const auto& ind = d.scheme.indicators[i];
            const auto& it = r.items[i];
            rows.push_back({ind.label, rawText(it, findIndicatorSource(ind.source)), it.detail,
                            fixed(it.score, 2) + (it.empty ? "（无数据）" : ""), fixed(ind.weight, 0), fixed(it.weighted, 2),
                            std::to_string(it.cases.size())});
        }
        printTable({"指标", "原始值", "说明", "得分", "权重", "加权得分", "案件"}, rows);
        return;
    }
    throw NotFoundError("the unit is not among the evaluated units of " + m.id);
}

}  // namespace

int runEvaluationCmd(Env& env, const std::vector<std::string>& args) {
    if (args.empty() || wantsHelp(args)) return printHelp("cli.help.evaluation", args.empty());
    std::string sub = args[0];
    std::vector<std::string> rest(args.begin() + 1, args.end());
    AppContext& ctx = env.ctx();
    Database& db = ctx.store.db();
    if (sub == "scheme") {
        if (rest.empty()) throw UsageError("evaluation scheme add | edit");
        std::string verb = rest[0];
        Args a(std::vector<std::string>(rest.begin() + 1, rest.end()), {"campaign", "period", "file", "title"}, {});
        Json scheme = readJsonFile(a.required("file"));
        std::string id;
        if (verb == "add") {
            a.maxPositional(0);
            id = addEvaluation(ctx, a.required("campaign"), a.required("period"), a.optOr("title", ""), scheme);
        } else if (verb == "edit") {
            a.maxPositional(1);
            id = resolveEvaluation(db, a.positionalAt(0, "evaluation ID"));
            updateEvaluationScheme(ctx, id, scheme);
        } else {
            throw UsageError("unknown: evaluation scheme " + verb + " (add | edit)");
        }
        if (env.json) printJson(evaluationToJson(loadEvaluation(db, id)));
        else std::cout << id << "\n";
        return 0;
    }
    Args a(rest, {"unit", "indicator", "score", "note", "xlsx", "pdf"}, {});
    if (sub == "list") {
        a.maxPositional(0);
        auto rows = listEvaluations(db, ctx.actor.role == Role::HqAdmin);
        if (env.json) {
            Json out = Json::array();
            for (const auto& r : rows)
                out.push_back({{"id", r.id}, {"title", r.title}, {"period", r.period}, {"campaign_id", r.campaignId},
                               {"status", r.status}, {"version", r.version}, {"units", r.units}, {"run_at", r.runAt},
                               {"published_at", r.publishedAt}});
            printJson({{"evaluations", out}});
            return 0;
        }
        std::vector<std::vector<std::string>> t;
        for (const auto& r : rows)
            t.push_back({r.id, r.period, r.status, r.status != "draft" ? std::to_string(r.version) : "", std::to_string(r.units),
                         truncateDisplay(r.title, 40)});
        printTable({"id", "期间", "状态", "版本", "单位数", "名称"}, t);
        return 0;
    }
    a.maxPositional(1);
    std::string id = resolveEvaluation(db, a.positionalAt(0, "evaluation ID"));
    if (sub == "show") {
        EvaluationDetail d = loadEvaluation(db, id);
        std::string unit = a.opt("unit") ? resolveUnit(db, *a.opt("unit")) : std::string();
        if (env.json) {
            Json j = evaluationToJson(d);
            if (!unit.empty()) {
                Json keep = Json::array();
                for (const auto& r : j["results"])
                    if (r["unit_id"] == unit) keep.push_back(r);
                if (keep.empty()) throw NotFoundError("the unit is not among the evaluated units of " + id);
                j["results"] = keep;
            }
            printJson(j);
        } else {
            printEvaluation(d, unit);
        }
        return 0;
    }
    if (sub == "export") {
        auto xlsx = a.opt("xlsx"), pdf = a.opt("pdf");
        if (!xlsx && !pdf) throw UsageError("evaluation export needs --xlsx FILE and/or --pdf FILE");
        EvaluationDetail d = loadEvaluation(db, id);
        if (xlsx) report::writeEvaluationXlsx(d, *xlsx, ctx.actor.name);
        if (pdf) report::writeEvaluationPdf(d, *pdf, ctx.today());
        if (env.json) printJson({{"xlsx", xlsx.value_or("")}, {"pdf", pdf.value_or("")}});
        else {
            if (xlsx) std::cout << *xlsx << "\n";
            if (pdf) std::cout << *pdf << "\n";
        }
        return 0;
    }
    if (sub == "score") {
        std::string s = a.required("score");
        char* end = nullptr;
        double v = std::strtod(s.c_str(), &end);
        if (end == s.c_str() || *end) throw ValidationError("--score must be a number 0–100, got '" + s + "'");
        setManualScore(ctx, id, a.required("indicator"), a.required("unit"), v, a.optOr("note", ""));
        std::cout << "ok\n";
        return 0;
    }
    if (sub == "run") {
        runEvaluation(ctx, id);
        EvaluationDetail d = loadEvaluation(db, id);
        if (env.json) printJson(evaluationToJson(d));
        else printEvaluation(d, "");
        return 0;
    }
    if (sub == "publish") {
        std::string pub = publishEvaluation(ctx, id);
        EvaluationDetail d = loadEvaluation(db, pub);
        if (env.json) printJson(evaluationToJson(d));
        else std::cout << pub << " (第" << d.summary.version << "版)\n";
        return 0;
    }
    throw UsageError("unknown: evaluation " + sub + " (see jiancha evaluation --help)");
}

int runMonitor(Env& env, const std::vector<std::string>& args) {
    if (wantsHelp(args)) return printHelp("cli.help.monitor", false);
    AppContext& ctx = env.ctx();
    Database& db = ctx.store.db();
    std::string sub = args.empty() ? "" : args[0];
    std::vector<std::string> rest = args.empty() ? args : std::vector<std::string>(args.begin() + 1, args.end());
    if (sub.empty() || sub.rfind("--", 0) == 0) {
        Args a(args, {}, {});
        a.maxPositional(0);
        auto flags = runMonitoring(db, *ctx.calendar, ctx.today());
        if (env.json) {
            Json out = Json::array();
            for (const auto& f : flags) out.push_back(flagToJson(f));
            Json focus = Json::array();
            for (const auto& f : listFocus(db, true)) focus.push_back(focusToJson(f));
            printJson({{"today", ctx.today().str()}, {"flags", out}, {"focus", focus}});
            return 0;
        }
        if (flags.empty()) std::cout << "没有触发的监控规则\n";
        std::vector<std::vector<std::string>> t;
        for (const auto& f : flags)
            t.push_back({f.rule, f.subjectName, describeFlag(f, true), std::to_string(f.cases.size())});
        if (!t.empty()) printTable({"规则", "对象", "原因", "案件"}, t);
        return 0;
    }
    if (sub == "rules") {
        auto rules = loadMonitorRules(db);
        if (env.json) {
            Json out = Json::array();
            for (const auto& r : rules)
                out.push_back({{"id", r.id}, {"kind", r.kind}, {"enabled", r.enabled}, {"params", r.params},
                               {"text", describeMonitorRule(r, true)}});
            printJson({{"rules", out}});
            return 0;
        }
        std::vector<std::vector<std::string>> t;
        for (const auto& r : rules) t.push_back({r.kind, r.enabled ? "启用" : "停用", describeMonitorRule(r, true)});
        printTable({"规则", "状态", "阈值"}, t);
        return 0;
    }
    if (sub == "rule") {
        if (rest.size() < 2 || rest[0] != "set") throw UsageError("monitor rule set KIND NAME=VALUE …");
        Args a(std::vector<std::string>(rest.begin() + 2, rest.end()), {}, {"off", "on"});
        Json params = Json::object();
        for (const auto& kv : a.positional()) {
            size_t eq = kv.find('=');
            if (eq == std::string::npos) throw UsageError("thresholds are NAME=VALUE, got '" + kv + "'");
            std::string v = kv.substr(eq + 1);
            char* end = nullptr;
            long n = std::strtol(v.c_str(), &end, 10);
            if (v.empty() || *end) throw ValidationError(kv.substr(0, eq) + " must be a whole number, got '" + v + "'");
            params[kv.substr(0, eq)] = n;
        }
        bool enabled = !a.flag("off");
        std::string id = setMonitorRule(ctx, rest[1], params, enabled);
        std::cout << id << "\n";
        return 0;
    }
    if (sub == "focus") {
        std::string verb = rest.empty() ? "list" : rest[0];
        Args a(rest.empty() ? rest : std::vector<std::string>(rest.begin() + 1, rest.end()),
               {"unit", "category", "reason", "note"}, {"all"});
        if (verb == "list") {
            a.maxPositional(0);
            auto rows = listFocus(db, !a.flag("all"));
            if (env.json) {
                Json out = Json::array();
                for (const auto& f : rows) out.push_back(focusToJson(f));
                printJson({{"focus", out}});
                return 0;
            }
            std::vector<std::vector<std::string>> t;
            for (const auto& f : rows)
                t.push_back({f.id, f.subjectKind == "unit" ? "单位" : "类别", f.subjectName, f.status == "active" ? "监控中" : "已解除",
                             truncateDisplay(f.reason, 40), f.placedBy});
            printTable({"id", "类型", "对象", "状态", "原因", "决定人"}, t);
            return 0;
        }
        if (verb == "add") {
            a.maxPositional(0);
            bool unit = a.opt("unit").has_value();
            if (unit == a.opt("category").has_value()) throw UsageError("give --unit or --category");
            std::string id = placeUnderFocus(ctx, unit ? "unit" : "category", unit ? *a.opt("unit") : *a.opt("category"),
                                             a.required("reason"));
            std::cout << id << "\n";
            return 0;
        }
        if (verb == "lift") {
            a.maxPositional(1);
            liftFocus(ctx, a.positionalAt(0, "focus ID"), a.required("note"));
            std::cout << "ok\n";
            return 0;
        }
        throw UsageError("unknown: monitor focus " + verb + " (list | add | lift)");
    }
    throw UsageError("unknown: monitor " + sub + " (see jiancha monitor --help)");
}

}  // namespace jc::cli
