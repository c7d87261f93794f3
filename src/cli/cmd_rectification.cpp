// `jiancha rectification …` and `jiancha warning …`.
#include <iostream>

#include "app/queries.h"
#include "app/rectification_commands.h"
#include "core/args.h"
#include "cli/env.h"
#include "core/error.h"

namespace jc::cli {

int runRectification(Env& env, const std::vector<std::string>& args) {
    if (args.empty() || wantsHelp(args)) return printHelp("cli.help.rectification", args.empty());
    std::string sub = args[0];
    Args a(std::vector<std::string>(args.begin() + 1, args.end()), {"action", "deadline", "workdays", "unit", "note", "comment", "status"}, {});
    AppContext& ctx = env.ctx();
    if (sub == "list") {
        a.maxPositional(0);
        std::string status;
        if (auto st = a.opt("status")) status = findCode(statuses(Machine::Rectification), *st, "rectification status").code;
        auto rows = listRectifications(ctx.store.db(), *ctx.calendar, ctx.today(), status);
        if (env.json) {
            Json out = Json::array();
            for (const auto& r : rows)
                out.push_back({{"id", r.id}, {"finding_id", r.findingId}, {"finding_title", r.findingTitle},
                               {"required_action", r.requiredAction}, {"status", r.status}, {"deadline", r.deadline}, {"by_rule", r.byRule},
                               {"responsible_unit", r.responsibleUnit}, {"workdays_left", r.workdaysLeft}, {"light", r.light}});
            printJson({{"rectifications", out}});
            return 0;
        }
        std::vector<std::vector<std::string>> t;
        for (const auto& r : rows)
            t.push_back({r.id.substr(24), statusText(Machine::Rectification, r.status), r.deadline, lightText(r.light),
                         r.responsibleUnit, truncateDisplay(r.findingTitle, 30), truncateDisplay(r.requiredAction, 40)});
        printTable({tr("cli.id"), tr("cli.status"), tr("cli.col.deadline"), tr("cli.col.card"), tr("cli.col.responsible_unit"),
                    tr("cli.col.finding"), tr("cli.col.required_action")},
                   t);
        return 0;
    }
    if (sub == "sweep") {
        int n = markOverdueRectifications(ctx);
        std::cout << trf("cli.rectification.swept", {std::to_string(n)}) << "\n";
        return 0;
    }
    a.maxPositional(1);
    if (sub == "order") {
        std::string fid = resolveCaseId(ctx.store, "finding", a.positionalAt(0, tr("cli.arg.finding_id")));
        std::string deadline;
        if (auto d = a.opt("deadline")) deadline = parseDateInput(*d, "--deadline").str();
        std::string id = orderRectification(ctx, fid, a.required("action"), a.optOr("unit", ""), deadline,
                                            a.intOpt("workdays", 0, 0, 1000));
        FieldMap r = ctx.store.require("rectification", id);
        if (env.json) printJson({{"id", id}, {"deadline", r["deadline"]}, {"status", r["status"]}});
        else std::cout << id << " " << trf("cli.rectification.deadline", {r["deadline"].get<std::string>()}) << "\n";
        return 0;
    }
    std::string id = resolveCaseId(ctx.store, "rectification", a.positionalAt(0, tr("cli.arg.rectification_id")));
    if (sub == "report") reportRectification(ctx, id, a.required("note"));
    else if (sub == "verify") verifyRectification(ctx, id, a.optOr("note", ""));
    else if (sub == "reject") rejectRectification(ctx, id, a.required("comment"));
    else throw UsageError(trf("cli.unknown_subcommand", {"rectification", sub}));
    FieldMap r = ctx.store.require("rectification", id);
    if (env.json) printJson({{"id", id}, {"status", r["status"]}});
    else std::cout << id << " → " << statusText(Machine::Rectification, r["status"].get<std::string>()) << "\n";
    return 0;
}

int runWarning(Env& env, const std::vector<std::string>& args) {
    if (args.empty() || wantsHelp(args)) return printHelp("cli.help.warning", args.empty());
    std::string sub = args[0];
    Args a(std::vector<std::string>(args.begin() + 1, args.end()), {"person", "unit", "reason", "level", "finding", "complaint"}, {});
    AppContext& ctx = env.ctx();
    if (sub == "issue") {
        a.maxPositional(0);
        WarningInput in;
        in.targetPersonId = a.optOr("person", "");
        in.targetUnitId = a.optOr("unit", "");
        in.reason = a.required("reason");
        in.level = a.optOr("level", "warning");
        if (a.opt("finding") && a.opt("complaint")) throw UsageError(tr("cli.warning.one_link"));
        if (auto f = a.opt("finding")) {
            in.linkedEntity = "finding";
            in.linkedId = resolveCaseId(ctx.store, "finding", *f);
        }
        if (auto c = a.opt("complaint")) {
            in.linkedEntity = "complaint";
            in.linkedId = resolveCaseId(ctx.store, "complaint", *c);
        }
        std::string id = issueWarning(ctx, in);
        if (env.json) printJson({{"id", id}});
        else std::cout << id << "\n";
        return 0;
    }
    if (sub == "list") {
        a.maxPositional(0);
        auto rows = listWarnings(ctx.store.db());
        if (env.json) {
            Json out = Json::array();
            for (const auto& w : rows)
                out.push_back({{"id", w.id}, {"level", w.level}, {"reason", w.reason}, {"target", w.target},
                               {"issued_by", w.issuedBy}, {"issued_at", w.issuedAt}, {"acknowledged_at", w.acknowledgedAt},
                               {"linked_entity", w.linkedEntity}, {"linked_id", w.linkedId}});
            printJson({{"warnings", out}});
            return 0;
        }
        std::vector<std::vector<std::string>> t;
        for (const auto& w : rows)
            t.push_back({w.id.substr(24), codeLabel(warningLevels(), w.level), w.target, w.issuedBy, timeText(w.issuedAt),
                         w.acknowledgedAt.empty() ? tr("cli.warning.unacknowledged") : tr("cli.warning.acknowledged"),
                         truncateDisplay(w.reason, 40)});
        printTable({tr("cli.id"), tr("cli.col.level"), tr("cli.col.target"), tr("cli.col.issued_by"), tr("cli.col.issued_at"),
                    tr("cli.col.acknowledged"), tr("cli.col.reason")},
                   t);
        return 0;
    }
    if (sub == "ack") {
        a.maxPositional(1);
        acknowledgeWarning(ctx, resolveCaseId(ctx.store, "warning", a.positionalAt(0, tr("cli.arg.warning_id"))));
        std::cout << tr("cli.warning.acknowledged") << "\n";
        return 0;
    }
    throw UsageError(trf("cli.unknown_subcommand", {"warning", sub}));
}

}  // namespace jc::cli
