#pragma once
// Set-up and reference records: users, teams, campaigns, units (被监察单位) and persons (责任人).
#include <string>
#include <vector>

#include "app/context.h"

namespace jc {

struct CampaignInput {
    std::string title;
    std::vector<std::string> areas, categories;  // codes; empty = all
    std::string periodStart, periodEnd;          // dates, optional
    std::string numberPrefix = "张监";
    int complaintDeadlineDays = 15;
    std::vector<std::string> regionScope;        // GB/T 2260 code prefixes; empty = everywhere
};

std::string createCampaign(AppContext& ctx, const CampaignInput& in);
std::string createTeam(AppContext& ctx, const std::string& name);
std::string createUser(AppContext& ctx, const std::string& name, Role role, const std::string& teamId);
// Units and persons may be created by anyone in the field (inline creation in the editor).
std::string createUnit(AppContext& ctx, const std::string& name, const std::string& kind, const std::string& regionCode);
std::string createPerson(AppContext& ctx, const std::string& name, const std::string& unitId, const std::string& post);

// Live set-up records of `entity` (campaign, team, unit, person or user; UsageError for others),
// oldest first, at most 10 000: the id and the named fields as text (a list or object as its
// JSON, an absent value as ""). ValidationError for a field the entity does not have.
struct SetupRecord {
    std::string id;
    std::vector<std::string> values;  // one per requested field
};
std::vector<SetupRecord> listSetupRecords(Database& db, const std::string& entity, const std::vector<std::string>& fields);

// Soft-deletes a draft finding or a not-yet-assigned complaint made by mistake.
void deleteDraft(AppContext& ctx, const std::string& entity, const std::string& id);

}  // namespace jc
