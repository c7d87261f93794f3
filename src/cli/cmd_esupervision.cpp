// `jiancha esupervision …` (电子监察: the approval system's records, their deadlines and the
// warnings they propose) and the HQ side of `jiancha calendar` (publish, years).
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "app/calendar_commands.h"
#include "app/esup_import.h"
#include "app/esup_queries.h"
#include "core/args.h"
#include "cli/env.h"
#include "core/error.h"
#include "core/workflow.h"

namespace jc::cli {

namespace {
const char* kHelp = R"(jiancha esupervision — electronic supervision (电子监察) of the approval system's records

  esupervision import FILE [--mapping NAME] [--map FIELD=HEADER …] [--save-mapping NAME]
                      [--encoding auto|utf8|gb18030] [--region CODE] [--skip-bad] [--dry-run] [--json]   (hq)
      FILE is CSV (UTF-8 with or without BOM, or GB18030/GBK) or XLSX (first sheet). Columns:
      事项名称 办件编号 办理单位 申请人 受理时间 承诺时限（工作日） 办结时间 状态, found by header,
      or mapped with --map (fields: item_name case_number unit_name applicant received_at
      promised_workdays finished_at status) or a mapping saved earlier. The same 办件编号 updates its
      record; bad rows are listed with their line and nothing is imported unless --skip-bad.
      --dry-run shows the preview only.
  esupervision list [--red | --yellow | --open | --late] [--unit NAME] [--json]
  esupervision rates [--from DATE] [--to DATE] [--json]     on-time approval rate per unit
  esupervision propose ID [--json]                          the warning a red record proposes
  esupervision warn ID [--reason TEXT]                      issue it (hq, lead)
  esupervision mappings                                     saved column mappings
)";

std::string lightLabel(const std::string& l) {
    if (l == "red") return "红牌";
    if (l == "yellow") return "黄牌";
    if (l == "green") return "正常";
    if (l == "late") return "超期办结";
    return "按期办结";
}

Json rowJson(const ApprovalRow& r) {
    return {{"id", r.id},
            {"case_number", r.caseNumber},
            {"item_name", r.itemName},
            {"unit_name", r.unitName},
            {"unit_id", r.unitId},
            {"applicant", r.applicant},
            {"received_at", r.receivedAt},
            {"promised_workdays", r.promisedWorkdays},
            {"deadline", r.deadline},
            {"finished_at", r.finishedAt.empty() ? Json() : Json(r.finishedAt)},
            {"status", r.status},
            {"light", r.light},
            {"workdays_left", r.workdaysLeft},
            {"by_rule", r.byRule},
            {"warning_id", r.warningId.empty() ? Json() : Json(r.warningId)}};
}

std::string resolveApproval(Store& store, const std::string& token) {
    auto& s = store.db().cached("SELECT id FROM approval WHERE (id = ? OR case_number = ?) AND deleted = 0 LIMIT 1");
    s.bind(1, token).bind(2, token);
    std::string id = s.step() ? s.getText(0) : std::string();
    s.reset();
    if (id.empty()) throw NotFoundError("no approval record with id or 办件编号 '" + token + "'");
    return id;
}
}  // namespace

int runEsupervision(Env& env, const std::vector<std::string>& args) {
    if (args.empty() || wantsHelp(args)) {
        std::cout << kHelp;
        return args.empty() ? 2 : 0;
    }
    std::string sub = args[0];
    Args a(std::vector<std::string>(args.begin() + 1, args.end()),
           {"mapping", "map", "save-mapping", "encoding", "region", "unit", "from", "to", "reason"},
           {"dry-run", "skip-bad", "red", "yellow", "open", "late"});
    AppContext& ctx = env.ctx();
    if (sub == "import") {
        a.maxPositional(1);
        ApprovalImportOptions opt;
        opt.encoding = parseTextEncoding(a.optOr("encoding", "auto"));
        opt.mappingName = a.optOr("mapping", "");
        opt.regionCode = a.optOr("region", "");
        opt.mapping = Json::object();
        for (const auto& m : a.all("map")) {
            auto eq = m.find('=');
            if (eq == std::string::npos || eq == 0) throw UsageError("--map takes FIELD=HEADER, got '" + m + "'");
            opt.mapping[m.substr(0, eq)] = m.substr(eq + 1);
        }
        if (!a.flag("dry-run")) ctx.requireRole(kHq, "import approval records (电子监察)");
        ApprovalImportPreview p = previewApprovalImport(ctx, a.positionalAt(0, "FILE"), opt);
        ApprovalImportResult res;
        bool committed = false;
        if (!a.flag("dry-run") && (p.errors.empty() || a.flag("skip-bad"))) {
            res = commitApprovalImport(ctx, p, a.flag("skip-bad"), a.optOr("save-mapping", ""));
            committed = true;
        }
        if (env.json) {
            Json j = p.toJson();
            j["committed"] = committed;
            if (committed)
                j["result"] = {{"created", res.created},
                               {"updated", res.updated},
                               {"unchanged", res.unchanged},
                               {"skipped", res.skipped},
                               {"units_created", res.unitsCreated}};
            printJson(j);
        } else {
            std::cout << p.format << " (" << p.encoding << "), " << p.rows.size() + p.errors.size()
                      << " rows: " << p.newCount << " new, " << p.updateCount << " update, " << p.unchangedCount
                      << " unchanged, " << p.errors.size() << " bad\n";
            for (const auto& e : p.errors) std::cout << "  line " << e.line << ": " << e.reason << "\n";
            if (committed)
                std::cout << "imported: " << res.created << " created, " << res.updated << " updated, " << res.unchanged
                          << " unchanged"
                          << (res.skipped ? ", " + std::to_string(res.skipped) + " bad rows skipped" : "") << "\n";
            else if (a.flag("dry-run"))
                std::cout << "dry run: nothing was imported\n";
        }
        if (!committed && !a.flag("dry-run"))
            throw ValidationError(std::to_string(p.errors.size()) +
                                  " bad row(s); nothing was imported (fix the file, or --skip-bad)");
        return 0;
    }
    if (sub == "list") {
        a.maxPositional(0);
        ApprovalFilter f;
        f.limit = 200'000;
        for (const char* l : {"red", "yellow", "open", "late"})
            if (a.flag(l)) {
                if (!f.light.empty()) throw UsageError("give one of --red, --yellow, --open, --late");
                f.light = l;
            }
        f.unitName = a.optOr("unit", "");
        auto rows = listApprovals(ctx, f);
        if (env.json) {
            Json out = Json::array();
            for (const auto& r : rows) out.push_back(rowJson(r));
            printJson({{"approvals", out}});
            return 0;
        }
        std::vector<std::vector<std::string>> t;
        for (const auto& r : rows)
            t.push_back({r.caseNumber, lightLabel(r.light), r.deadline + (r.byRule.empty() ? "" : " *"),
                         r.finishedAt.empty() ? std::to_string(r.workdaysLeft) : "", truncateDisplay(r.unitName, 20),
                         truncateDisplay(r.itemName, 30), r.warningId.empty() ? "" : "已告诫"});
        printTable({"办件编号", "警示", "期限", "剩余工作日", "办理单位", "事项名称", "告诫"}, t);
        bool anyRule = false;
        for (const auto& r : rows) anyRule = anyRule || !r.byRule.empty();
        if (anyRule) std::cout << "* 期限所跨年份的节假日按规则推算（国务院放假安排尚未发布）\n";
        return 0;
    }
    if (sub == "rates") {
        a.maxPositional(0);
        auto rates = approvalOnTimeRates(ctx, a.optOr("from", ""), a.optOr("to", ""));
        if (env.json) {
            Json out = Json::array();
            for (const auto& u : rates)
                out.push_back({{"unit_id", u.unitId},
                               {"unit_name", u.unitName},
                               {"finished", u.finished},
                               {"on_time", u.onTime},
                               {"late", u.late},
                               {"open_overdue", u.openOverdue},
                               {"rate", u.rate}});
            printJson({{"units", out}});
            return 0;
        }
        std::vector<std::vector<std::string>> t;
        for (const auto& u : rates) {
            std::ostringstream pct;
            pct << std::fixed << std::setprecision(1) << u.rate * 100 << "%";
            t.push_back({u.unitName, std::to_string(u.finished), std::to_string(u.onTime), std::to_string(u.late),
                         std::to_string(u.openOverdue), pct.str()});
        }
        printTable({"办理单位", "办结", "按期", "超期办结", "超期未办结", "按期办结率"}, t);
        return 0;
    }
    if (sub == "mappings") {
        for (const auto& n : importMappingNames(ctx.store))
            std::cout << n << "\t" << importMapping(ctx.store, n).dump() << "\n";
        return 0;
    }
    a.maxPositional(1);
    std::string id = resolveApproval(ctx.store, a.positionalAt(0, "ID"));
    if (sub == "propose") {
        WarningInput in = proposeApprovalWarning(ctx, id);
        if (env.json)
            printJson({{"target_unit_id", in.targetUnitId},
                       {"level", in.level},
                       {"reason", in.reason},
                       {"linked_entity", in.linkedEntity},
                       {"linked_id", in.linkedId}});
        else
            std::cout << in.reason << "\n";
        return 0;
    }
    if (sub == "warn") {
        std::string wid = issueApprovalWarning(ctx, id, a.optOr("reason", ""));
        if (env.json)
            printJson({{"id", wid}});
        else
            std::cout << wid << "\n";
        return 0;
    }
    throw UsageError("unknown esupervision command '" + sub + "'");
}

int runCalendarHq(Env& env, const std::string& sub, const std::vector<std::string>& rest) {
    Args a(rest, {}, {});
    AppContext& ctx = env.ctx();
    if (sub == "publish") {
        a.maxPositional(1);
        std::string path = a.positionalAt(0, "FILE");
        std::ifstream in(path, std::ios::binary);
        if (!in) throw ValidationError("cannot read '" + path + "'");
        Json j = Json::parse(in, nullptr, false);
        if (j.is_discarded()) throw ValidationError("'" + path + "' is not valid JSON");
        PublishResult r = publishCalendarYear(ctx, j);
        if (env.json)
            printJson(
                {{"id", r.id}, {"year", r.year}, {"cases_moved", r.casesMoved}, {"approvals_moved", r.approvalsMoved}});
        else
            std::cout << r.year << " published; deadlines moved: " << r.casesMoved << " case(s), " << r.approvalsMoved
                      << " approval record(s)\n";
        return 0;
    }
    // years [FROM TO]
    a.maxPositional(2);
    int from = ctx.today().year - 1, to = ctx.today().year + 3;
    if (a.positional().size() == 2) from = std::stoi(a.positional()[0]), to = std::stoi(a.positional()[1]);
    if (to < from || to - from > 200) throw UsageError("years FROM TO: at most 200 years, FROM ≤ TO");
    auto years = calendarYears(ctx.store, *ctx.calendar, from, to);
    if (env.json) {
        Json out = Json::array();
        for (const auto& y : years)
            out.push_back({{"year", y.year},
                           {"source", y.source},
                           {"published", y.published},
                           {"published_by", y.publishedBy},
                           {"holidays", y.holidays},
                           {"makeup_workdays", y.makeupWorkdays}});
        printJson({{"years", out}});
        return 0;
    }
    std::vector<std::vector<std::string>> t;
    for (const auto& y : years)
        t.push_back({std::to_string(y.year),
                     y.source == "official"
                         ? (y.published ? "official (published by " + y.publishedBy + ")" : "official")
                     : y.source == "by_rule" ? "by rule"
                                             : "Mon–Fri only",
                     std::to_string(y.holidays), std::to_string(y.makeupWorkdays)});
    printTable({"year", "source", "holidays", "make-up days"}, t);
    return 0;
}

}  // namespace jc::cli
