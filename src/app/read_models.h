#pragma once
// Read models of the client: the immutable snapshots the GUI's views draw. Every function here
// runs on a JobRunner worker (its own Store connection), never on the UI thread; views receive
// the results through the main-thread queue. The UI never runs SQL itself: what it shows comes
// from here, app/queries.h and the app commands.
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/conflict_commands.h"
#include "app/evidence_commands.h"
#include "app/jobs.h"
#include "app/queries.h"
#include "core/form_template.h"
#include "store/reference_data.h"

namespace jc {

struct CampaignInfo {
    std::string id, title, status, numberPrefix;
    std::vector<std::string> areas, categories, regionScope;
    int complaintDays = 15;
};
struct UserInfo {
    std::string id, name, role, displayName, teamId;
};
struct UnitInfo {
    std::string id, name, kind, regionCode;
};
struct PersonInfo {
    std::string id, name, unitId, post;
};

// Who is working, on what, with whom: loaded at start and after every change.
struct SessionData {
    bool hasUser = false;
    Actor actor;
    std::vector<CampaignInfo> campaigns;  // active first, then by title
    std::vector<UserInfo> users;
    std::vector<UnitInfo> units;
    std::vector<PersonInfo> persons;
    bool canSeal = false;  // an HQ public key is configured (complainant identities can be sealed)
    std::string storePath;

    const CampaignInfo* campaign(const std::string& id) const;
    const UnitInfo* unit(const std::string& id) const;
    const PersonInfo* person(const std::string& id) const;
    const UserInfo* user(const std::string& name) const;
    std::string unitName(const std::string& id) const;    // "" when unknown
    std::string personName(const std::string& id) const;
};
SessionData loadSession(WorkerContext& w);

// The status bar: changes waiting for sync and the schema version. Kept apart from
// app/queries storeStatus(), which counts every table (seconds at 100,000 findings).
// A change HQ refused for good (sync_rejection), for the status bar's list.
struct RejectedChange {
    std::string entity, entityId;
    std::string record;  // e.g. "55b8-00001 城区拆迁补偿不到位" for a finding; else the entity and id
    std::string reason;  // the server's words
    std::string at;      // ISO timestamp of the refusal
};

struct StatusBarData {
    int64_t pendingChanges = 0;
    int64_t rejectedChanges = 0;          // all refused changes kept on this device
    std::vector<RejectedChange> rejected;  // the newest (at most kStatusBarRejections)
    int64_t openConflicts = 0;  // conflicts no lead has resolved yet (the navigation shows the count)
    int schemaVersion = 0;
    bool loaded = false;
};
inline constexpr int kStatusBarRejections = 50;
StatusBarData loadStatusBar(WorkerContext& w);

// Calls `f` with every text value of the store (findings, complaints, rectifications, warnings,
// units, persons, users, campaigns, templates, regions, case history): the GUI collects their
// characters for its glyph atlas.
void forEachStoreText(Store& store, const std::function<void(const std::string&)>& f);

// The finding editor's snapshot.
struct FindingDetail {
    FieldMap finding;
    FormTemplate form;           // the template of its category (newest version)
    bool hasForm = false;
    std::vector<EvidenceRow> evidence;
    std::vector<Json> history;   // case_event rows, oldest first
    std::vector<Region> regionChain;
    std::vector<RectificationRow> rectifications;
    std::vector<std::string> submitProblems;  // what blocks submission (drafts / returned)
};
FindingDetail loadFindingDetail(WorkerContext& w, const std::string& id);
// A finding's id from its id, local number or official number; throws NotFoundError.
std::string resolveFindingId(WorkerContext& w, const std::string& token);
FormTemplate loadForm(WorkerContext& w, const std::string& category);

struct ComplaintDetail {
    FieldMap complaint;
    std::vector<Json> history;
    std::string light;  // green | yellow | red | ""
    int workdaysLeft = 0;
};
ComplaintDetail loadComplaintDetail(WorkerContext& w, const std::string& id);

// The home screen.
struct HomeData {
    std::vector<FindingRow> drafts, returned, toReview;
    std::vector<ComplaintRow> complaints;          // open complaints I own (or all, for leads), due first
    std::vector<RectificationRow> rectifications;  // open, deadline first
    std::vector<WarningRow> warnings;              // not yet acknowledged
    int64_t myDrafts = 0, myReturned = 0, toReviewCount = 0;
};
HomeData loadHome(WorkerContext& w);  // counts by status come separately: storeStatus() (slow at scale)

// A one-line excerpt of `text` around the first match of any term, the matches wrapped in
// [ and ] (the format of store/search_index.h snippets); "" when no term occurs.
std::string excerpt(const std::string& text, const std::vector<std::string>& terms, int before = 4, int after = 40);
// For a findings page under a search: the excerpt of each row's own text (narrative, address,
// loophole, recommendation, template text) where the terms occur, in row order.
std::vector<std::string> findingExcerpts(WorkerContext& w, const std::vector<std::string>& ids, const std::vector<std::string>& terms);

// Region cascade: children of `parent` ("" = provinces), and the counties that have findings.
std::vector<Region> loadRegionChildren(WorkerContext& w, const std::string& parent);
std::vector<Region> loadFindingCounties(WorkerContext& w);

// The conflicts view: each conflict with its values already put into words (code labels, names,
// yuan) in the view's language, and the current value when the record holds neither version.
struct ConflictItem {
    ConflictRow row;
    std::string winnerText, loserText, currentText, resolvedText;
};
std::vector<ConflictItem> loadConflicts(WorkerContext& w, bool includeResolved, bool english);

}  // namespace jc
