#pragma once
// Headquarters administration working directly on the server database (the admin CLI's
// subcommands and the tests use it; the server may be running at the same time). Users, teams,
// campaigns and form templates are written as server changes, so they reach devices on pull.
#include <string>
#include <vector>

#include "core/domain.h"
#include "core/hlc.h"
#include "sync/server/storage.h"

namespace jc::server {

inline constexpr const char* kAdminAuthor = "admin";
inline constexpr double kDefaultEnrollTtlHours = 72;
inline constexpr double kMaxEnrollTtlHours = 24 * 30;

struct CampaignSpec {
    std::string title;
    std::string numberPrefix;             // empty = the default 张监
    std::vector<std::string> categories;  // codes or zh/en labels (core/domain.h)
    std::vector<std::string> areas;
    std::vector<std::string> teams;      // team names or ids
    std::string periodStart, periodEnd;  // YYYY-MM-DD, optional
    int complaintDeadlineDays = 15;
};

class Admin {
public:
    explicit Admin(ServerStorage& storage);

    std::string addTeam(const std::string& name, const Json& regionScope = Json::array());
    // `team` is a team name or id; inspectors and leads must have one.
    std::string addUser(const std::string& name, Role role, const std::string& team,
                        const Json& regionScope = Json::array(), const std::string& displayName = "");
    std::string addCampaign(const CampaignSpec& spec);
    std::string addTemplate(const std::string& category, const std::string& title, int version, const Json& fields);
    // Makes a one-time enrolment code for the named user; returns it (only its hash is stored).
    std::string enrollCode(const std::string& userName, double ttlHours = kDefaultEnrollTtlHours);
    void revokeDevice(const std::string& deviceId);

    std::vector<Account> users();
    std::vector<Device> devices();
    std::vector<Record> records(const std::string& entity);
    std::string teamName(const std::string& teamId);

private:
    std::string teamId(StorageTx& tx, const std::string& nameOrId);
    ServerStorage& m_storage;
    HybridClock m_clock{"admin"};
};

}  // namespace jc::server
