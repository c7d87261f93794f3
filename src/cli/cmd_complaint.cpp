// `jiancha complaint …`: intake, first-contact responsibility, hand-over, reply and close.
#include <iostream>

#include "app/complaint_commands.h"
#include "app/queries.h"
#include "cli/args.h"
#include "cli/env.h"
#include "core/error.h"

namespace jc::cli {

namespace {
const char* kHelp = R"(jiancha complaint — complaints (投诉): every one answered and resolved

  complaint add --title T --channel walk_in|hotline|web|letter --content TEXT
                (--anonymous | --name NAME [--phone P] [--id-number N])
                [--campaign ID] [--unit UNIT_ID] [--person PERSON_ID] [--category CAT] [--region CODE]
                [--received-at ISO-TIMESTAMP]
  complaint list [--status S] [--assignee U] [--open]
  complaint show ID
  complaint assign ID --to USER          (lead, hq)
  complaint handover ID --to USER [--note TEXT]
  complaint investigate ID
  complaint reply ID --text TEXT
  complaint close ID --outcome TEXT [--satisfaction satisfied|basically_satisfied|dissatisfied|unknown]
  complaint reveal ID                    (hq_admin on the HQ store: opens the sealed identity; audited)

The receiver is recorded as first-contact handler (首问负责) and owns the complaint until it is
handed over. The deadline is counted in working days from receipt (15, or the campaign's setting).
)";

void show(Env& env, const std::string& id) {
    FieldMap c = env.store().require("complaint", id);
    c.erase("complainant_sealed");  // never printed; `reveal` is the audited way
    Json history = caseHistory(env.store().db(), "complaint", id);
    if (env.json) {
        printJson({{"complaint", c}, {"history", history}});
        return;
    }
    auto str = [&](const char* k) { return c[k].is_string() ? c[k].get<std::string>() : std::string(); };
    std::cout << "标题   " << str("title") << "\nid     " << id << "\n状态   " << str("status") << "\n渠道   "
              << findCode(complaintChannels(), str("channel"), "channel").zh << "\n受理   " << str("received_at")
              << "  首问负责人 " << str("first_contact_handler") << "\n承办人 " << str("assignee") << "\n期限   "
              << str("deadline") << "\n投诉人 " << (c["anonymous"] == true ? "匿名" : "（已密封）") << "\n\n"
              << str("content") << "\n";
    if (!str("reply").empty()) std::cout << "\n答复 (" << str("reply_at") << "): " << str("reply") << "\n";
    if (!str("outcome").empty()) std::cout << "办理结果: " << str("outcome") << "\n";
    if (!history.empty()) {
        std::cout << "\n经过:\n";
        for (const auto& h : history)
            std::cout << "  " << h["at"].get<std::string>() << "  " << h["actor"].get<std::string>() << "  "
                      << h["action"].get<std::string>() << (h.contains("to") ? " → " + h["to"].get<std::string>() : "")
                      << (h.contains("detail") && h["detail"].contains("to") ? " (交给 " + h["detail"]["to"].get<std::string>() + ")" : "")
                      << (h.contains("comment") ? "  「" + h["comment"].get<std::string>() + "」" : "") << "\n";
    }
}
}  // namespace

int runComplaint(Env& env, const std::vector<std::string>& args) {
    if (args.empty() || wantsHelp(args)) {
        std::cout << kHelp;
        return args.empty() ? 2 : 0;
    }
    std::string sub = args[0];
    std::vector<std::string> rest(args.begin() + 1, args.end());
    if (sub == "add") {
        Args a(rest, {"title", "channel", "content", "name", "phone", "id-number", "campaign", "unit", "person", "category",
                      "region", "received-at"},
               {"anonymous"});
        a.maxPositional(0);
        AppContext& ctx = env.ctx();
        ComplaintIntake in;
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
        in.receivedAt = a.optOr("received-at", "");
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
        f.status = a.optOr("status", "");
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
        for (const auto& r : rows) {
            std::string card = r.light == "red" ? "红牌" : r.light == "yellow" ? "黄牌" : r.light == "green" ? "正常" : "";
            table.push_back({r.id.substr(24), r.status, r.assignee, r.deadline,
                             r.status == "closed" ? "" : std::to_string(r.workdaysLeft), card, truncateDisplay(r.title, 40)});
        }
        printTable({"id", "状态", "承办人", "期限", "剩余工作日", "警示", "标题"}, table);
        return 0;
    }
    if (sub == "show") {
        Args a(rest, {}, {});
        a.maxPositional(1);
        env.ctx();
        show(env, resolveCaseId(env.store(), "complaint", a.positionalAt(0, "complaint ID")));
        return 0;
    }
    Args a(rest, {"to", "note", "text", "outcome", "satisfaction"}, {});
    a.maxPositional(1);
    AppContext& ctx = env.ctx();
    std::string id = resolveCaseId(env.store(), "complaint", a.positionalAt(0, "complaint ID"));
    if (sub == "assign") assignComplaint(ctx, id, a.required("to"));
    else if (sub == "handover") handOverComplaint(ctx, id, a.required("to"), a.optOr("note", ""));
    else if (sub == "investigate") startInvestigation(ctx, id);
    else if (sub == "reply") replyComplaint(ctx, id, a.required("text"));
    else if (sub == "close") closeComplaint(ctx, id, a.required("outcome"), a.optOr("satisfaction", ""));
    else if (sub == "reveal") {
        Json who = revealComplainant(ctx, id);
        if (env.json) printJson(who);
        else std::cout << who.value("name", "") << "  " << who.value("phone", "") << "  " << who.value("id_number", "") << "\n";
        return 0;
    } else throw UsageError("unknown complaint command '" + sub + "' (see jiancha complaint --help)");
    FieldMap row = env.store().require("complaint", id);
    if (env.json) printJson({{"id", id}, {"status", row["status"]}, {"assignee", row["assignee"]}});
    else std::cout << id << " → " << row["status"].get<std::string>() << " (" << row["assignee"].get<std::string>() << ")\n";
    return 0;
}

}  // namespace jc::cli
