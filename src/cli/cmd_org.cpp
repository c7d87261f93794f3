// `jiancha campaign | unit | person | user …`: set-up and reference records.
#include <iostream>

#include "app/org_commands.h"
#include "cli/args.h"
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
int listRows(Env& env, const std::string& entity, const std::vector<std::string>& cols, const std::vector<std::string>& headers) {
    env.ctx();
    std::string sql = "SELECT id";
    for (const auto& c : cols) sql += ", coalesce(" + c + ", '')";
    sql += " FROM " + entity + " WHERE deleted = 0 ORDER BY created_at LIMIT 10000";
    auto s = env.store().db().prepare(sql);
    Json out = Json::array();
    std::vector<std::vector<std::string>> rows;
    while (s.step()) {
        Json row = {{"id", s.getText(0)}};
        std::vector<std::string> cells = {s.getText(0)};
        for (size_t i = 0; i < cols.size(); ++i) {
            std::string v = s.getJson(static_cast<int>(i + 1)).is_string() ? s.getText(static_cast<int>(i + 1))
                                                                            : s.getJson(static_cast<int>(i + 1)).dump();
            row[cols[i]] = v;
            cells.push_back(v);
        }
        out.push_back(row);
        rows.push_back(cells);
    }
    if (env.json) {
        printJson({{entity + "s", out}});
    } else {
        std::vector<std::string> h = {"id"};
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
    if (args.empty() || wantsHelp(args)) {
        std::cout << "jiancha campaign add --title T [--prefix 张监] [--areas A,B] [--categories C,D] [--start DATE]\n"
                     "                      [--end DATE] [--complaint-days N] [--region CODE]...     (hq_admin)\n"
                     "jiancha campaign list\n";
        return args.empty() ? 2 : 0;
    }
    std::vector<std::string> rest(args.begin() + 1, args.end());
    if (args[0] == "list") return listRows(env, "campaign", {"title", "status", "number_prefix", "period_start", "period_end"},
                                           {"标题", "状态", "文号前缀", "开始", "结束"});
    if (args[0] != "add") throw UsageError("unknown campaign command '" + args[0] + "'");
    Args a(rest, {"title", "prefix", "areas", "categories", "start", "end", "complaint-days", "region"}, {});
    a.maxPositional(0);
    CampaignInput in;
    in.title = a.required("title");
    in.numberPrefix = a.optOr("prefix", "张监");
    in.areas = splitCommas(a.all("areas"));
    in.categories = splitCommas(a.all("categories"));
    in.periodStart = a.optOr("start", "");
    in.periodEnd = a.optOr("end", "");
    in.complaintDeadlineDays = a.intOpt("complaint-days", 15, 1, 365);
    in.regionScope = splitCommas(a.all("region"));
    printId(env, createCampaign(env.ctx(), in));
    return 0;
}

int runUnit(Env& env, const std::vector<std::string>& args) {
    if (args.empty() || wantsHelp(args)) {
        std::cout << "jiancha unit add --name NAME --kind department|township_gov|enterprise|institution|village [--region CODE]\n"
                     "jiancha unit list\n";
        return args.empty() ? 2 : 0;
    }
    if (args[0] == "list") return listRows(env, "unit", {"name", "kind", "region_code"}, {"名称", "类型", "地区"});
    if (args[0] != "add") throw UsageError("unknown unit command '" + args[0] + "'");
    Args a(std::vector<std::string>(args.begin() + 1, args.end()), {"name", "kind", "region"}, {});
    a.maxPositional(0);
    printId(env, createUnit(env.ctx(), a.required("name"), a.required("kind"), a.optOr("region", "")));
    return 0;
}

int runPerson(Env& env, const std::vector<std::string>& args) {
    if (args.empty() || wantsHelp(args)) {
        std::cout << "jiancha person add --name NAME [--unit UNIT_ID] [--post POST]\njiancha person list\n";
        return args.empty() ? 2 : 0;
    }
    if (args[0] == "list") return listRows(env, "person", {"name", "unit_id", "post"}, {"姓名", "单位", "岗位"});
    if (args[0] != "add") throw UsageError("unknown person command '" + args[0] + "'");
    Args a(std::vector<std::string>(args.begin() + 1, args.end()), {"name", "unit", "post"}, {});
    a.maxPositional(0);
    printId(env, createPerson(env.ctx(), a.required("name"), a.optOr("unit", ""), a.optOr("post", "")));
    return 0;
}

int runUser(Env& env, const std::vector<std::string>& args) {
    if (args.empty() || wantsHelp(args)) {
        std::cout << "jiancha user add --name NAME --role inspector|lead|hq_admin [--team TEAM_ID]   (hq_admin)\n"
                     "jiancha user list\n";
        return args.empty() ? 2 : 0;
    }
    if (args[0] == "list") return listRows(env, "user", {"name", "role", "team_id"}, {"用户", "角色", "检查组"});
    if (args[0] != "add") throw UsageError("unknown user command '" + args[0] + "'");
    Args a(std::vector<std::string>(args.begin() + 1, args.end()), {"name", "role", "team"}, {});
    a.maxPositional(0);
    printId(env, createUser(env.ctx(), a.required("name"), parseRole(a.required("role")), a.optOr("team", "")));
    return 0;
}

}  // namespace jc::cli
