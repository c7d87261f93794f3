// `jiancha rectification …` and `jiancha warning …`.
#include <iostream>

#include "app/queries.h"
#include "app/rectification_commands.h"
#include "cli/args.h"
#include "cli/env.h"
#include "core/error.h"

namespace jc::cli {

int runRectification(Env& env, const std::vector<std::string>& args) {
    if (args.empty() || wantsHelp(args)) {
        std::cout << R"(jiancha rectification — rectifications (整改)

  rectification order FINDING --action TEXT (--deadline DATE | --workdays N) [--unit UNIT_ID]   (lead, hq)
  rectification list [--status ordered|reported_done|verified|overdue]
  rectification report ID --note TEXT
  rectification verify ID [--note TEXT]        (on-site verification; marks the finding rectified)
  rectification reject ID --comment TEXT
  rectification sweep                          (marks rectifications past their deadline overdue)
)";
        return args.empty() ? 2 : 0;
    }
    std::string sub = args[0];
    Args a(std::vector<std::string>(args.begin() + 1, args.end()), {"action", "deadline", "workdays", "unit", "note", "comment", "status"}, {});
    AppContext& ctx = env.ctx();
    if (sub == "list") {
        a.maxPositional(0);
        auto rows = listRectifications(ctx.store.db(), *ctx.calendar, ctx.today(), a.optOr("status", ""));
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
            t.push_back({r.id.substr(24), r.status, r.deadline, r.light, r.responsibleUnit, truncateDisplay(r.findingTitle, 30),
                         truncateDisplay(r.requiredAction, 40)});
        printTable({"id", "状态", "期限", "警示", "责任单位", "检查发现", "整改要求"}, t);
        return 0;
    }
    if (sub == "sweep") {
        int n = markOverdueRectifications(ctx);
        std::cout << n << " rectification(s) marked overdue\n";
        return 0;
    }
    a.maxPositional(1);
    if (sub == "order") {
        std::string fid = resolveCaseId(ctx.store, "finding", a.positionalAt(0, "finding ID"));
        std::string id = orderRectification(ctx, fid, a.required("action"), a.optOr("unit", ""), a.optOr("deadline", ""),
                                            a.intOpt("workdays", 0, 0, 1000));
        FieldMap r = ctx.store.require("rectification", id);
        if (env.json) printJson({{"id", id}, {"deadline", r["deadline"]}, {"status", r["status"]}});
        else std::cout << id << " (deadline " << r["deadline"].get<std::string>() << ")\n";
        return 0;
    }
    std::string id = resolveCaseId(ctx.store, "rectification", a.positionalAt(0, "rectification ID"));
    if (sub == "report") reportRectification(ctx, id, a.required("note"));
    else if (sub == "verify") verifyRectification(ctx, id, a.optOr("note", ""));
    else if (sub == "reject") rejectRectification(ctx, id, a.required("comment"));
    else throw UsageError("unknown rectification command '" + sub + "'");
    FieldMap r = ctx.store.require("rectification", id);
    if (env.json) printJson({{"id", id}, {"status", r["status"]}});
    else std::cout << id << " → " << r["status"].get<std::string>() << "\n";
    return 0;
}

int runWarning(Env& env, const std::vector<std::string>& args) {
    if (args.empty() || wantsHelp(args)) {
        std::cout << R"(jiancha warning — efficiency warnings (效能告诫)

  warning issue (--person ID | --unit ID) --reason TEXT [--level reminder|warning|serious]
                [--finding ID | --complaint ID]        (lead, hq)
  warning list
  warning ack ID
)";
        return args.empty() ? 2 : 0;
    }
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
        if (a.opt("finding") && a.opt("complaint")) throw UsageError("link a warning to a finding or a complaint, not both");
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
            t.push_back({w.id.substr(24), w.level, w.target, w.issuedBy, w.issuedAt.substr(0, 10),
                         w.acknowledgedAt.empty() ? "未确认" : "已确认", truncateDisplay(w.reason, 40)});
        printTable({"id", "级别", "对象", "签发", "日期", "确认", "事由"}, t);
        return 0;
    }
    if (sub == "ack") {
        a.maxPositional(1);
        acknowledgeWarning(ctx, resolveCaseId(ctx.store, "warning", a.positionalAt(0, "warning ID")));
        std::cout << "acknowledged\n";
        return 0;
    }
    throw UsageError("unknown warning command '" + sub + "'");
}

}  // namespace jc::cli
