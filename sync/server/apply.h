#pragma once
// Field-level apply with causal conflict detection (DESIGN.md §4), inside one write transaction.
//
// Each field of each record carries a server version (the server_seq of the change that last
// wrote it) and the author, device and HLC of that write. A pushed change names, per field, the
// version its device had seen (base_versions). A field is in conflict when its current version
// is newer than that base AND was written by another device. Then the value with the greater HLC
// wins (ties: the greater device id), the same everywhere; the server records a `conflict`
// record with both values (as a server change, so it syncs to the team lead) and:
//  - if the pushed value wins, it is written like any other;
//  - if it loses, the server re-asserts the winning value as a server change with a new version,
//    so the pushing device (whose local copy holds the losing value) receives the winner on pull
//    even when the push answer was lost. Nothing is silently lost.
// HLC stamps further ahead of the server clock than proto::kMaxClockLeadMs are clamped first.
//
// Conflict record values are wrapped as {"value": v} because a conflict's winner_value /
// loser_value fields are JSON-kind (list or object); winner_at / loser_at are the ISO times of the
// two writes' HLC stamps.
//
// After a finding's status moves submitted → accepted the server assigns its official number
// <campaign.number_prefix or 张监>〔<year>〕<4-digit sequence per prefix and year>号 as a server change.
#include <set>
#include <string>

#include "core/hlc.h"
#include "sync/protocol/protocol.h"
#include "sync/server/auth.h"
#include "sync/server/storage.h"

namespace jc::server {

inline constexpr const char* kServerAuthor = "server";
inline constexpr const char* kServerDevice = "server";
inline constexpr const char* kDefaultNumberPrefix = "张监";

// The push batch pushed changes come from. Status changes that need a comment look in it for
// the case event carrying one (policy.h checkStatusChange), and a refused status change takes
// the case event recording it down with it. applyPushed() takes one, so no change can be applied
// without its batch.
class PushBatch {
public:
    explicit PushBatch(const std::vector<proto::Change>& changes);

private:
    friend class Applier;
    std::set<std::string> m_commented;     // "entity/id/to_status" of case events with a comment in the batch
    std::set<std::string> m_refusedSteps;  // "entity/id/status" of status changes refused so far
};

class Applier {
public:
    Applier(StorageTx& tx, HybridClock& clock);

    // One pushed change by an authenticated device. Never throws for a refusal: permission,
    // validation and workflow problems come back as a "rejected" result (and change nothing).
    // Storage failures do throw, and the caller's transaction rolls back.
    proto::ChangeResult applyPushed(const Principal& who, const proto::Change& change, PushBatch& batch);

    // A change made by the server itself (admin CLI, official numbers, conflict records).
    // Validates the fields (throws ValidationError); creates the record when it does not exist,
    // adding created_at / created_by. Returns the server_seq.
    int64_t writeServerChange(const std::string& entity, const std::string& id, Json fields,
                              const std::string& author = kServerAuthor);

    // Formats an official number, e.g. officialNumber("张监", 2026, 12) == "张监〔2026〕0012号".
    static std::string officialNumber(const std::string& prefix, int year, int64_t n);

private:
    struct Lost {
        std::string field;
        FieldState winner;
    };
    // What one pushed change will do, decided before anything is written.
    struct Plan {
        std::string entity, hlc, device, author, createdAt, prevStatus;
        HlcStamp stamp;  // clamped to the server clock's allowed lead
        bool creating = false;
        Json body;                                                    // the fields without the common ones
        Record target;                                                // the record as it will be
        Json written = Json::object();                                // the fields this change writes
        std::vector<std::pair<std::string, FieldState>> overwritten;  // conflicts it won: the old state
        std::vector<Lost> lost;                                       // conflicts it lost: the winning state
    };
    proto::ChangeResult applyOrReject(const Principal& who, const proto::Change& change, const PushBatch& batch);
    Plan planChange(const Principal& who, const proto::Change& change, const PushBatch& batch);
    void decideFields(const proto::Change& change, Plan& plan);
    proto::ChangeResult carryOut(const proto::Change& change, Plan& plan);
    void afterWrite(Record& rec, const Json& written);
    void checkEntityRules(const Record& target, const Json& fields);
    void assignOfficialNumber(const Record& finding);
    std::string createConflict(const Record& target, const std::string& field, const FieldState& winner,
                               const FieldState& loser);

    StorageTx& m_tx;
    HybridClock& m_clock;
};

}  // namespace jc::server
