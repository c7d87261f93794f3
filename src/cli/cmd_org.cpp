// `jiancha campaign | unit | person | user …`: set-up and reference records.
#include <iostream>

#include "app/org_commands.h"
#include "core/args.h"
#include "cli/env.h"
#include "core/error.h"

namespace jc::cli {

namespace {
std::vector<std::string> splitCommas(const std::vector<std::string>& in) {
    std::vector<std::string> out;
    for (const auto& s : in) {
        size_t start = 0;
        while (start <= s.size()) {
            size_t c = s.find(',', start);
            std::string part = s.substr(start, c == std::string::npos ? std::string::npos : c - start);
            if (!part.empty()) out.push_back(part);
            if (c == std::string::npos) break;
            start = c + 1;
        }
    }
    return out;
}

// Lists live rows of an entity with the given columns (all text).
// `labels` turns a column's stored code into its label for tables (nullptr: shown as stored).
using LabelFn = std::string (*)(const std::string&);
int listRows(Env& env, const std::string& entity, const std::vector<std::string>& cols, const std::vector<std::string>& headers,
             const std::vector<LabelFn>& labels = {}) {
    env.ctx();
    Json out = Json::array();
    std::vector<std::vector<std::string>> rows;
    for (const SetupRecord& r : listSetupRecords(env.store().db(), entity, cols)) {
        Json row = {{"id", r.id}};
        std::vector<std::string> cells = {r.id};
        for (size_t i = 0; i < cols.size(); ++i) {
            const std::string& v = r.values[i];
            row[cols[i]] = v;
            cells.push_back(i < labels.size() && labels[i] ? labels[i](v) : v);
        }
        out.push_back(row);
        rows.push_back(cells);
    }
    if (env.json) {
        printJson({{entity + "s", out}});
    } else {
        std::vector<std::string> h = {tr("cli.id")};
        h.insert(h.end(), headers.begin(), headers.end());
        printTable(h, rows);
    }
    return 0;
}

void printId(Env& env, const std::string& id) {
    if (env.json) printJson({{"id", id}});
    else std::cout << id << "\n";
}
}  // namespace

int runCampaign(Env& env, const std::vector<std::string>& args) {
    if (args.empty() || wantsHelp(args)) return printHelp("cli.help.campaign", args.empty());
    std::vector<std::string> rest(args.begin() + 1, args.end());
    if (args[0] == "list") return listRows(env, "campaign", {"title", "status", "number_prefix", "period_start", "period_end"},
                                           {tr("cli.col.title"), tr("cli.status"), tr("cli.col.number_prefix"), tr("cli.col.start"),
                                            tr("cli.col.end")});
    if (args[0] != "add") throw UsageError(trf("cli.unknown_subcommand", {"campaign", args[0]}));
    Args a(rest, {"title", "prefix", "areas", "categories", "start", "end", "complaint-days", "region"}, {});
    a.maxPositional(0);
    CampaignInput in;
    in.title = a.required("title");
    in.numberPrefix = a.optOr("prefix", "张监");
    in.areas = splitCommas(a.all("areas"));
    in.categories = splitCommas(a.all("categories"));
    if (auto d = a.opt("start")) in.periodStart = parseDateInput(*d, "--start").str();
    if (auto d = a.opt("end")) in.periodEnd = parseDateInput(*d, "--end").str();
    in.complaintDeadlineDays = a.intOpt("complaint-days", 15, 1, 365);
    in.regionScope = splitCommas(a.all("region"));
    printId(env, createCampaign(env.ctx(), in));
    return 0;
}

int runUnit(Env& env, const std::vector<std::string>& args) {
    if (args.empty() || wantsHelp(args)) return printHelp("cli.help.unit", args.empty());
    if (args[0] == "list") return listRows(env, "unit", {"name", "kind", "region_code"},
                                           {tr("cli.col.name"), tr("cli.col.kind"), tr("cli.finding.region")},
                                           {nullptr, [](const std::string& k) -> std::string { return codeLabel(unitKinds(), k); }});
    if (args[0] != "add") throw UsageError(trf("cli.unknown_subcommand", {"unit", args[0]}));
    Args a(std::vector<std::string>(args.begin() + 1, args.end()), {"name", "kind", "region"}, {});
    a.maxPositional(0);
    printId(env, createUnit(env.ctx(), a.required("name"), a.required("kind"), a.optOr("region", "")));
    return 0;
}

int runPerson(Env& env, const std::vector<std::string>& args) {
    if (args.empty() || wantsHelp(args)) return printHelp("cli.help.person", args.empty());
    if (args[0] == "list") return listRows(env, "person", {"name", "unit_id", "post"},
                                           {tr("cli.col.person_name"), tr("cli.col.unit"), tr("cli.col.post")});
    if (args[0] != "add") throw UsageError(trf("cli.unknown_subcommand", {"person", args[0]}));
    Args a(std::vector<std::string>(args.begin() + 1, args.end()), {"name", "unit", "post"}, {});
    a.maxPositional(0);
    printId(env, createPerson(env.ctx(), a.required("name"), a.optOr("unit", ""), a.optOr("post", "")));
    return 0;
}

int runUser(Env& env, const std::vector<std::string>& args) {
    if (args.empty() || wantsHelp(args)) return printHelp("cli.help.user", args.empty());
    if (args[0] == "list") return listRows(env, "user", {"name", "role", "team_id"},
                                           {tr("cli.col.user"), tr("cli.col.role"), tr("cli.col.team")}, {nullptr, roleText});
    if (args[0] != "add") throw UsageError(trf("cli.unknown_subcommand", {"user", args[0]}));
    Args a(std::vector<std::string>(args.begin() + 1, args.end()), {"name", "role", "team"}, {});
    a.maxPositional(0);
    printId(env, createUser(env.ctx(), a.required("name"), parseRole(a.required("role")), a.optOr("team", "")));
    return 0;
}

}  // namespace jc::cli
