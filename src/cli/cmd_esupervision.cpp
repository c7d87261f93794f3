// `jiancha esupervision …` (电子监察: the approval system's records, their deadlines and the
// warnings they propose) and the HQ side of `jiancha calendar` (publish, years).
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "app/calendar_commands.h"
#include "app/esup_import.h"
#include "app/esup_queries.h"
#include "core/i18n.h"
#include "core/args.h"
#include "cli/env.h"
#include "core/error.h"
#include "core/workflow.h"

namespace jc::cli {

namespace {
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
    auto id = findApprovalId(store.db(), token);
    if (!id) throw NotFoundError(trf("cli.esup.no_record", {token}));
    return *id;
}
}  // namespace

int runEsupervision(Env& env, const std::vector<std::string>& args) {
    if (args.empty() || wantsHelp(args)) {
        std::cout << tr("cli.help.esupervision");
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
            if (eq == std::string::npos || eq == 0) throw UsageError(trf("cli.esup.map_syntax", {m}));
            opt.mapping[m.substr(0, eq)] = m.substr(eq + 1);
        }
        if (!a.flag("dry-run")) ctx.requireRole(kHq, tr("context.do.import_approvals"));
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
            auto n = [](auto v) { return std::to_string(v); };
            std::cout << trf("cli.esup.preview", {p.format, p.encoding, n(p.rows.size() + p.errors.size()), n(p.newCount),
                                                  n(p.updateCount), n(p.unchangedCount), n(p.errors.size())})
                      << "\n";
            for (const auto& e : p.errors) std::cout << "  " << trf("esup.bad_row", {n(e.line), e.reason}) << "\n";
            if (committed)
                std::cout << trf("esup.imported", {n(res.created), n(res.updated), n(res.unchanged)})
                          << (res.skipped ? trf("cli.esup.skipped", {n(res.skipped)}) : std::string()) << "\n";
            else if (a.flag("dry-run"))
                std::cout << tr("cli.esup.dry_run") << "\n";
        }
        if (!committed && !a.flag("dry-run"))
            throw ValidationError(trf("cli.esup.not_imported", {std::to_string(p.errors.size())}));
        return 0;
    }
    if (sub == "list") {
        a.maxPositional(0);
        ApprovalFilter f;
        f.limit = 200'000;
        for (const char* l : {"red", "yellow", "open", "late"})
            if (a.flag(l)) {
                if (!f.light.empty()) throw UsageError(tr("cli.esup.one_light"));
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
            t.push_back({r.caseNumber, approvalLightLabel(r.light), r.deadline + (r.byRule.empty() ? "" : " *"),
                         r.finishedAt.empty() ? std::to_string(r.workdaysLeft) : "", truncateDisplay(r.unitName, 20),
                         truncateDisplay(r.itemName, 30), r.warningId.empty() ? "" : tr("esup.warned")});
        printTable({tr("esup.col_number"), tr("esup.col_light"), tr("esup.col_deadline"), tr("cli.col.workdays_left"),
                    tr("esup.col_unit"), tr("esup.col_item"), tr("cli.esup.col_warned")},
                   t);
        bool anyRule = false;
        for (const auto& r : rows) anyRule = anyRule || !r.byRule.empty();
        if (anyRule) std::cout << tr("cli.esup.by_rule_note") << "\n";
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
        printTable({tr("esup.col_unit"), tr("cli.esup.col_finished"), tr("cli.esup.col_on_time"), tr("esup.light_late"),
                    tr("cli.esup.col_open_overdue"), tr("cli.esup.col_rate")},
                   t);
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
    throw UsageError(trf("cli.esup.unknown", {sub}));
}

int runCalendarHq(Env& env, const std::string& sub, const std::vector<std::string>& rest) {
    Args a(rest, {}, {});
    AppContext& ctx = env.ctx();
    if (sub == "publish") {
        a.maxPositional(1);
        std::string path = a.positionalAt(0, "FILE");
        std::ifstream in(path, std::ios::binary);
        if (!in) throw ValidationError(trf("cli.calendar.unreadable", {path}));
        Json j = Json::parse(in, nullptr, false);
        if (j.is_discarded()) throw ValidationError(trf("cli.file_bad_json", {path}));
        PublishResult r = publishCalendarYear(ctx, j);
        if (env.json)
            printJson(
                {{"id", r.id}, {"year", r.year}, {"cases_moved", r.casesMoved}, {"approvals_moved", r.approvalsMoved}});
        else
            std::cout << trf("cli.calendar.published", {std::to_string(r.year), std::to_string(r.casesMoved),
                                                        std::to_string(r.approvalsMoved)})
                      << "\n";
        return 0;
    }
    // years [FROM TO]
    a.maxPositional(2);
    int from = ctx.today().year - 1, to = ctx.today().year + 3;
    if (a.positional().size() == 1) throw UsageError(tr("cli.calendar.years_range"));
    if (a.positional().size() == 2) {
        auto year = [](const std::string& s) {
            if (s.empty() || s.size() > 4 || s.find_first_not_of("0123456789") != std::string::npos)
                throw UsageError(tr("cli.calendar.years_range"));
            return std::stoi(s);
        };
        from = year(a.positional()[0]), to = year(a.positional()[1]);
    }
    if (to < from || to - from > 200) throw UsageError(tr("cli.calendar.years_range"));
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
                         ? (y.published ? trf("cli.calendar.src_published", {y.publishedBy}) : tr("cli.calendar.src_official"))
                     : y.source == "by_rule" ? tr("cli.calendar.src_rule")
                                             : tr("cli.calendar.src_weekdays"),
                     std::to_string(y.holidays), std::to_string(y.makeupWorkdays)});
    printTable({tr("cli.calendar.col_year"), tr("cli.calendar.col_source"), tr("cli.calendar.col_holidays"),
                tr("cli.calendar.col_makeup")},
               t);
    return 0;
}

}  // namespace jc::cli
