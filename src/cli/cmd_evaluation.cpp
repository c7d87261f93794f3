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
    if (ec) throw ValidationError(trf("cli.file_unreadable", {path, ec.message()}));
    if (size > kMaxSchemeFile) throw ValidationError(trf("cli.file_too_large", {path, "1 MB"}));
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    Json j = Json::parse(ss.str(), nullptr, false);
    if (j.is_discarded()) throw ValidationError(trf("cli.file_bad_json", {path}));
    return j;
}

std::string fixed(double v, int decimals) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

const char* ruleLabel(const std::string& kind) {
    if (kind == "unit_complaints") return tr("monitoring.rule_unit_complaints");
    if (kind == "repeated_findings") return tr("monitoring.rule_repeated_findings");
    if (kind == "rising_category") return tr("monitoring.rule_rising_category");
    if (kind == "overdue_rectifications") return tr("monitoring.rule_overdue_rectifications");
    if (kind == "handler_response") return tr("monitoring.rule_handler_response");
    return kind.c_str();
}

std::string rawText(const IndicatorScore& s, const IndicatorSource* src) {
    if (!s.raw) return "—";
    std::string u = src ? src->unit : "";
    return fixed(*s.raw, u == "%" ? 1 : (std::fabs(*s.raw - std::round(*s.raw)) < 1e-9 ? 0 : 2)) + (u == "%" ? "%" : "");
}

std::string resolveEvaluation(Database& db, const std::string& token) {
    std::vector<std::string> ids = evaluationIdsMatching(db, token);
    if (ids.empty()) throw NotFoundError(trf("cli.eval.not_found", {token}));
    if (ids.size() > 1) throw ValidationError(trf("cli.eval.ambiguous", {token}));
    return ids[0];
}

bool zh() { return !i18n().english(); }

std::string statusLabel(const std::string& status, int version) {
    if (status == "draft") return tr("evaluation.status_draft");
    return trf(status == "published" ? "evaluation.status_published" : "evaluation.status_superseded",
               {std::to_string(version)});
}

void printEvaluation(const EvaluationDetail& d, const std::string& unitFilter) {
    const auto& m = d.summary;
    std::cout << m.title << "\n" << m.campaignTitle << "  " << m.period << "  " << statusLabel(m.status, m.version);
    if (!m.publishedAt.empty())
        std::cout << "  " << trf("cli.eval.published_by", {m.publishedBy, timeText(m.publishedAt).substr(0, 10)});
    std::cout << "\n\n";
    std::vector<std::vector<std::string>> ind;
    for (const auto& i : d.scheme.indicators)
        ind.push_back({i.code, i.label, fixed(i.weight, i.weight == std::round(i.weight) ? 0 : 2), describeRule(i.rule, zh())});
    printTable({tr("evaluation.col_indicator"), tr("cli.eval.col_name"), tr("evaluation.col_weight"), tr("evaluation.col_rule")},
               ind);
    std::cout << "\n";
    if (d.results.empty()) {
        std::cout << trf("cli.eval.not_run", {m.id}) << "\n";
        return;
    }
    if (unitFilter.empty()) {
        std::vector<std::vector<std::string>> rows;
        for (const auto& r : d.results)
            rows.push_back({std::to_string(r.rank), r.unitName, fixed(r.total, 2), gradeLabel(r.grade, zh())});
        printTable({tr("evaluation.col_rank"), tr("evaluation.col_unit"), tr("evaluation.col_total"), tr("evaluation.col_grade")},
                   rows);
        return;
    }
    for (const auto& r : d.results) {
        if (r.unitId != unitFilter) continue;
        std::cout << trf("cli.eval.unit_line", {r.unitName, std::to_string(r.rank), fixed(r.total, 2), gradeLabel(r.grade, zh())})
                  << "\n";
        std::vector<std::vector<std::string>> rows;
        for (size_t i = 0; i < r.items.size() && i < d.scheme.indicators.size(); ++i) {
            const auto& ind = d.scheme.indicators[i];
            const auto& it = r.items[i];
            rows.push_back({ind.label, rawText(it, findIndicatorSource(ind.source)), it.detail,
                            fixed(it.score, 2) + (it.empty ? tr("cli.eval.no_data") : ""), fixed(ind.weight, 0), fixed(it.weighted, 2),
                            std::to_string(it.cases.size())});
        }
        printTable({tr("evaluation.col_indicator"), tr("cli.eval.col_raw"), tr("cli.eval.col_detail"), tr("cli.eval.col_score"),
                    tr("evaluation.col_weight"), tr("cli.eval.col_weighted"), tr("evaluation.col_cases")},
                   rows);
        return;
    }
    throw NotFoundError(trf("cli.eval.unit_not_evaluated", {m.id}));
}

}  // namespace

int runEvaluationCmd(Env& env, const std::vector<std::string>& args) {
    if (args.empty() || wantsHelp(args)) return printHelp("cli.help.evaluation", args.empty());
    std::string sub = args[0];
    std::vector<std::string> rest(args.begin() + 1, args.end());
    AppContext& ctx = env.ctx();
    Database& db = ctx.store.db();
    if (sub == "scheme") {
        if (rest.empty()) throw UsageError(tr("cli.eval.scheme_usage"));
        std::string verb = rest[0];
        Args a(std::vector<std::string>(rest.begin() + 1, rest.end()), {"campaign", "period", "file", "title"}, {});
        Json scheme = readJsonFile(a.required("file"));
        std::string id;
        if (verb == "add") {
            a.maxPositional(0);
            id = addEvaluation(ctx, a.required("campaign"), a.required("period"), a.optOr("title", ""), scheme);
        } else if (verb == "edit") {
            a.maxPositional(1);
            id = resolveEvaluation(db, a.positionalAt(0, tr("cli.eval.arg_id")));
            updateEvaluationScheme(ctx, id, scheme);
        } else {
            throw UsageError(trf("cli.eval.unknown_scheme", {verb}));
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
            t.push_back({r.id, r.period, statusLabel(r.status, r.version), r.status != "draft" ? std::to_string(r.version) : "",
                         std::to_string(r.units), truncateDisplay(r.title, 40)});
        printTable({tr("cli.id"), tr("cli.eval.col_period"), tr("cli.status"), tr("cli.eval.col_version"), tr("cli.eval.col_units"),
                    tr("cli.eval.col_name")},
                   t);
        return 0;
    }
    a.maxPositional(1);
    std::string id = resolveEvaluation(db, a.positionalAt(0, tr("cli.eval.arg_id")));
    if (sub == "show") {
        EvaluationDetail d = loadEvaluation(db, id);
        std::string unit = a.opt("unit") ? resolveUnit(db, *a.opt("unit")) : std::string();
        if (env.json) {
            Json j = evaluationToJson(d);
            if (!unit.empty()) {
                Json keep = Json::array();
                for (const auto& r : j["results"])
                    if (r["unit_id"] == unit) keep.push_back(r);
                if (keep.empty()) throw NotFoundError(trf("cli.eval.unit_not_evaluated", {id}));
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
        if (!xlsx && !pdf) throw UsageError(tr("cli.eval.export_needs"));
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
        if (end == s.c_str() || *end) throw ValidationError(trf("cli.eval.bad_score", {s}));
        setManualScore(ctx, id, a.required("indicator"), a.required("unit"), v, a.optOr("note", ""));
        std::cout << tr("cli.done") << "\n";
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
        else std::cout << trf("cli.eval.published", {pub, std::to_string(d.summary.version)}) << "\n";
        return 0;
    }
    throw UsageError(trf("cli.eval.unknown", {sub}));
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
        if (flags.empty()) std::cout << tr("monitoring.no_flags") << "\n";
        std::vector<std::vector<std::string>> t;
        for (const auto& f : flags)
            t.push_back({ruleLabel(f.rule), f.subjectName, describeFlag(f, zh()), std::to_string(f.cases.size())});
        if (!t.empty())
            printTable({tr("cli.monitor.col_rule"), tr("cli.monitor.col_subject"), tr("cli.monitor.col_reason"),
                        tr("cli.monitor.col_cases")},
                       t);
        return 0;
    }
    if (sub == "rules") {
        auto rules = loadMonitorRules(db);
        if (env.json) {
            Json out = Json::array();
            for (const auto& r : rules)
                out.push_back({{"id", r.id}, {"kind", r.kind}, {"enabled", r.enabled}, {"params", r.params},
                               {"text", describeMonitorRule(r, zh())}});
            printJson({{"rules", out}});
            return 0;
        }
        std::vector<std::vector<std::string>> t;
        for (const auto& r : rules)
            t.push_back({ruleLabel(r.kind), r.enabled ? tr("cli.monitor.on") : tr("cli.monitor.off"), describeMonitorRule(r, zh())});
        printTable({tr("cli.monitor.col_rule"), tr("cli.status"), tr("cli.monitor.col_thresholds")}, t);
        return 0;
    }
    if (sub == "rule") {
        if (rest.size() < 2 || rest[0] != "set") throw UsageError(tr("cli.monitor.rule_usage"));
        Args a(std::vector<std::string>(rest.begin() + 2, rest.end()), {}, {"off", "on"});
        Json params = Json::object();
        for (const auto& kv : a.positional()) {
            size_t eq = kv.find('=');
            if (eq == std::string::npos) throw UsageError(trf("cli.monitor.kv", {kv}));
            std::string v = kv.substr(eq + 1);
            char* end = nullptr;
            long n = std::strtol(v.c_str(), &end, 10);
            if (v.empty() || *end) throw ValidationError(trf("cli.monitor.whole_number", {kv.substr(0, eq), v}));
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
                t.push_back({f.id, tr(f.subjectKind == "unit" ? "monitor.kind_unit" : "monitor.kind_category"), f.subjectName,
                             tr(f.status == "active" ? "cli.monitor.active" : "cli.monitor.lifted"), truncateDisplay(f.reason, 40),
                             f.placedBy});
            printTable({tr("cli.id"), tr("cli.col.kind"), tr("cli.monitor.col_subject"), tr("cli.status"), tr("cli.monitor.col_reason"),
                        tr("cli.monitor.col_placed_by")},
                       t);
            return 0;
        }
        if (verb == "add") {
            a.maxPositional(0);
            bool unit = a.opt("unit").has_value();
            if (unit == a.opt("category").has_value()) throw UsageError(tr("cli.monitor.unit_or_category"));
            std::string id = placeUnderFocus(ctx, unit ? "unit" : "category", unit ? *a.opt("unit") : *a.opt("category"),
                                             a.required("reason"));
            std::cout << id << "\n";
            return 0;
        }
        if (verb == "lift") {
            a.maxPositional(1);
            liftFocus(ctx, a.positionalAt(0, tr("cli.monitor.arg_focus")), a.required("note"));
            std::cout << tr("cli.done") << "\n";
            return 0;
        }
        throw UsageError(trf("cli.monitor.unknown_focus", {verb}));
    }
    throw UsageError(trf("cli.monitor.unknown", {sub}));
}

}  // namespace jc::cli
