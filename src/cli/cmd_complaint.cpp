// `jiancha complaint …`: intake, first-contact responsibility, hand-over, reply and close.
#include <iostream>

#include "app/complaint_commands.h"
#include "app/queries.h"
#include "cli/env.h"
#include "core/args.h"
#include "core/error.h"

namespace jc::cli {

namespace {
void show(Env& env, const std::string& id) {
    FieldMap c = env.store().require("complaint", id);
    c.erase("complainant_sealed");  // never printed; `reveal` is the audited way
    Json history = caseHistory(env.store().db(), "complaint", id);
    if (env.json) {
        printJson({{"complaint", c}, {"history", history}});
        return;
    }
    auto str = [&](const char* k) { return c[k].is_string() ? c[k].get<std::string>() : std::string(); };
    auto line = [](const char* key, const std::string& v) { std::cout << padRight(tr(key), 12) << v << "\n"; };
    line("cli.complaint.title", str("title"));
    line("cli.id", id);
    line("cli.status", statusText(Machine::Complaint, str("status")));
    line("cli.complaint.channel", codeLabel(complaintChannels(), str("channel")));
    line("cli.complaint.received", timeText(str("received_at")));
    line("complaints.handler", str("first_contact_handler"));
    line("complaints.assignee", str("assignee"));
    line("complaints.deadline", str("deadline"));
    line("complaints.complainant", c["anonymous"] == true ? tr("complaints.anonymous_short") : tr("cli.complaint.sealed"));
    std::cout << "\n" << str("content") << "\n";
    if (!str("reply").empty()) std::cout << "\n" << trf("cli.complaint.reply", {timeText(str("reply_at")), str("reply")}) << "\n";
    if (!str("outcome").empty()) std::cout << trf("cli.complaint.outcome", {str("outcome")}) << "\n";
    printHistory(history, Machine::Complaint);
}
}  // namespace

int runComplaint(Env& env, const std::vector<std::string>& args) {
    if (args.empty() || wantsHelp(args)) return printHelp("cli.help.complaint", args.empty());
    std::string sub = args[0];
    std::vector<std::string> rest(args.begin() + 1, args.end());
    if (sub == "add") {
        Args a(rest, {"title", "channel", "content", "name", "phone", "id-number", "campaign", "unit", "person", "category",
                      "region", "received-at"},
               {"anonymous"});
        a.maxPositional(0);
        ComplaintIntake in;
        if (auto at = a.opt("received-at")) in.receivedAt = parseTimeInputIso(*at, "--received-at");
        AppContext& ctx = env.ctx();
        in.title = a.required("title");
        in.channel = a.required("channel");
        in.content = a.required("content");
        in.anonymous = a.flag("anonymous");
        in.complainantName = a.optOr("name", "");
        in.complainantPhone = a.optOr("phone", "");
        in.complainantIdNumber = a.optOr("id-number", "");
        in.campaignId = a.optOr("campaign", "");
        in.respondentUnitId = a.optOr("unit", "");
        in.respondentPersonId = a.optOr("person", "");
        in.category = a.optOr("category", "");
        in.regionCode = a.optOr("region", "");
        std::string id = receiveComplaint(ctx, in);
        FieldMap row = env.store().require("complaint", id);
        if (env.json) printJson({{"id", id}, {"deadline", row["deadline"]}, {"status", row["status"]}});
        else std::cout << id << "\n";
        return 0;
    }
    if (sub == "list") {
        Args a(rest, {"status", "assignee", "limit"}, {"open"});
        a.maxPositional(0);
        AppContext& ctx = env.ctx();
        ComplaintFilter f;
        if (auto st = a.opt("status")) f.status = findCode(statuses(Machine::Complaint), *st, "complaint status").code;
        f.assignee = a.optOr("assignee", "");
        f.openOnly = a.flag("open");
        f.limit = a.intOpt("limit", 200, 1, kMaxListLimit);
        auto rows = listComplaints(ctx.store.db(), f, *ctx.calendar, ctx.today());
        if (env.json) {
            Json out = Json::array();
            for (const auto& r : rows)
                out.push_back({{"id", r.id}, {"title", r.title}, {"channel", r.channel}, {"status", r.status},
                               {"assignee", r.assignee}, {"first_contact_handler", r.firstContactHandler},
                               {"received_at", r.receivedAt}, {"deadline", r.deadline}, {"by_rule", r.byRule}, {"workdays_left", r.workdaysLeft},
                               {"light", r.light}, {"anonymous", r.anonymous}});
            printJson({{"complaints", out}});
            return 0;
        }
        std::vector<std::vector<std::string>> table;
        for (const auto& r : rows)
            table.push_back({r.id.substr(24), statusText(Machine::Complaint, r.status), r.assignee, r.deadline,
                             r.status == "closed" ? "" : std::to_string(r.workdaysLeft), lightText(r.light),
                             truncateDisplay(r.title, 40)});
        printTable({tr("cli.id"), tr("complaints.col_status"), tr("complaints.col_assignee"), tr("complaints.col_deadline"),
                    tr("cli.col.workdays_left"), tr("cli.col.card"), tr("complaints.col_title")},
                   table);
        return 0;
    }
    if (sub == "show") {
        Args a(rest, {}, {});
        a.maxPositional(1);
        env.ctx();
        show(env, resolveCaseId(env.store(), "complaint", a.positionalAt(0, tr("cli.arg.complaint_id"))));
        return 0;
    }
    static const std::set<std::string> steps = {"assign", "handover", "investigate", "reply", "close", "reveal"};
    if (!steps.count(sub)) throw UsageError(trf("cli.unknown_subcommand", {"complaint", sub}));
    Args a(rest, {"to", "note", "text", "outcome", "satisfaction"}, {});
    a.maxPositional(1);
    AppContext& ctx = env.ctx();
    std::string id = resolveCaseId(env.store(), "complaint", a.positionalAt(0, tr("cli.arg.complaint_id")));
    if (sub == "assign") assignComplaint(ctx, id, a.required("to"));
    else if (sub == "handover") handOverComplaint(ctx, id, a.required("to"), a.optOr("note", ""));
    else if (sub == "investigate") startInvestigation(ctx, id);
    else if (sub == "reply") replyComplaint(ctx, id, a.required("text"));
    else if (sub == "close") closeComplaint(ctx, id, a.required("outcome"), a.optOr("satisfaction", ""));
    else {
        Json who = revealComplainant(ctx, id);
        if (env.json) printJson(who);
        else std::cout << who.value("name", "") << "  " << who.value("phone", "") << "  " << who.value("id_number", "") << "\n";
        return 0;
    }
    FieldMap row = env.store().require("complaint", id);
    if (env.json) printJson({{"id", id}, {"status", row["status"]}, {"assignee", row["assignee"]}});
    else
        std::cout << id << " → " << statusText(Machine::Complaint, row["status"].get<std::string>()) << " ("
                  << row["assignee"].get<std::string>() << ")\n";
    return 0;
}

}  // namespace jc::cli
