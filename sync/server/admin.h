#pragma once
// Headquarters administration on the server database: the one implementation behind both the
// admin CLI (`jiancha-server user add …`, working on the database directly, for the first HQ user
// and for recovery) and the admin API for hq_admin devices (admin_routes.cpp). Users, teams,
// campaigns and form templates are written as server changes, so they reach devices on pull.
// Every action is written to the server audit log (server_audit.h) in its own transaction, with
// the actor given at construction (the CLI: "admin-cli"; the API: the calling user and device).
#include <optional>
#include <string>
#include <vector>

#include "core/domain.h"
#include "core/hlc.h"
#include "sync/server/server_audit.h"
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

// A change to a user; unset members stay as they are.
struct UserUpdate {
    std::optional<Role> role;
    std::optional<std::string> team;  // name or id; "" = no team (hq_admin only)
    std::optional<Json> regionScope;  // array of GB/T 2260 codes
    std::optional<std::string> displayName;
    std::optional<bool> disabled;
};

// An enrolment code as HQ lists it: the code itself is never stored, only its hash; `id` is the
// first 16 hex digits of that hash (enough to name it for expiry).
struct EnrollCodeInfo {
    std::string id;
    std::string userId, userName;
    std::string createdAt;
    int64_t expiresAtMs = 0;
    std::string usedAt, deviceId;
    std::string state;  // active | used | expired
};

struct IssuedCode {
    std::string code;  // "ABCD-EFGH-JKLM", shown once
    std::string id;
    int64_t expiresAtMs = 0;
};

class Admin {
public:
    explicit Admin(ServerStorage& storage, AuditActor actor = kCliActor);

    std::string addTeam(const std::string& name, const Json& regionScope = Json::array());
    // `team` is a team name or id; inspectors and leads must have one.
    std::string addUser(const std::string& name, Role role, const std::string& team,
                        const Json& regionScope = Json::array(), const std::string& displayName = "");
    std::string addCampaign(const CampaignSpec& spec);
    std::string addTemplate(const std::string& category, const std::string& title, int version, const Json& fields);
    // `user` is a user name or id. Returns the user's id.
    std::string updateUser(const std::string& user, const UserUpdate& change);
    // Makes a one-time enrolment code for the named user; returns it (only its hash is stored).
    std::string enrollCode(const std::string& userName, double ttlHours = kDefaultEnrollTtlHours);
    IssuedCode issueEnrollCode(const std::string& user, double ttlHours = kDefaultEnrollTtlHours);
    std::vector<EnrollCodeInfo> enrollCodes();
    void expireEnrollCode(const std::string& id);  // an unused code stops working now
    void revokeDevice(const std::string& deviceId);
    std::vector<AuditRecord> audit(int64_t afterSeq, int limit);

    std::vector<Account> users();
    std::vector<Device> devices();
    std::vector<Record> records(const std::string& entity);
    std::string teamName(const std::string& teamId);

private:
    std::string teamId(StorageTx& tx, const std::string& nameOrId);
    Account account(StorageTx& tx, const std::string& nameOrId);
    ServerStorage& m_storage;
    AuditActor m_actor;
    HybridClock m_clock{"admin"};
};

}  // namespace jc::server
