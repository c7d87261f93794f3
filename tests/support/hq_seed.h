#pragma once
// The headquarters database most sync tests start from: the teams their users name, the users
// (with optional region scopes), one campaign for all those teams, the six form templates from
// assets, and a one-time enrolment code per user. Served afterwards by ServerProcess or HqServer.
#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "app/paths.h"
#include "core/domain.h"
#include "core/form_template.h"
#include "sync/server/admin.h"
#include "sync/server/open_storage.h"
#include "sync/server/sqlite_storage.h"

namespace jc::test {

struct HqUser {
    std::string name;
    Role role = Role::Inspector;
    std::string team = "第一检查组";
    Json regionScope = Json::array();
};

struct HqSeed {
    std::string campaign;                      // 2026年张掖市行政效能专项监察
    std::map<std::string, std::string> codes;  // user name → one-time enrolment code
};

inline HqSeed seedHqDatabase(const std::string& db, const std::vector<HqUser>& users) {
    server::initStorage(db);
    auto storage = server::openStorage(db);
    server::Admin admin(*storage);
    HqSeed seed;
    std::vector<std::string> teams;
    for (const auto& u : users)
        if (!u.team.empty() && std::find(teams.begin(), teams.end(), u.team) == teams.end()) {
            admin.addTeam(u.team);
            teams.push_back(u.team);
        }
    for (const auto& u : users) admin.addUser(u.name, u.role, u.role == Role::HqAdmin ? "" : u.team, u.regionScope);
    server::CampaignSpec spec;
    spec.title = "2026年张掖市行政效能专项监察";
    spec.teams = teams;
    seed.campaign = admin.addCampaign(spec);
    for (const auto& t : loadTemplates((assetsDir() / "templates").string()))
        admin.addTemplate(t.category, t.title, t.version, t.toJson()["fields"]);
    for (const auto& u : users) seed.codes[u.name] = admin.enrollCode(u.name);
    return seed;
}

}  // namespace jc::test
