#pragma once
// Realistic, deterministic synthetic data for demos, tests and benchmarks.
//
// generateDemoData() fills a store the way a season of work would: a campaign
// ("2026年张掖市行政效能专项监察"), township governments of the real Zhangye townships in the
// region table, county departments and enterprises with their people, findings of all six
// categories with Chinese narratives and complete template values, complaints in every channel
// with working-day deadlines (some overdue, some due within 3 working days, some closed with a
// reply and an outcome), rectifications (some overdue) and efficiency warnings. Cases move
// through the real workflow commands (app/*_commands.h), so every row has its outbox changes,
// audit events, search-index entry and case history. Dates are spread over the past year by
// pinning the writers' clock (ChangeWriter::PinnedTime); the audit log keeps the real time.
//
// generateFindingsBulk() is the fast path for benchmarks: findings only, written with their
// final status through ChangeWriter in batches (one transaction each), still with outbox,
// audit and search index, but without workflow history.
//
// The same seed and `today` give the same content (titles, narratives, values, statuses,
// dates); ids of records made by the workflow commands are random. The store must be
// initialised first (app/setup.h initStore: regions, calendar, templates).
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/context.h"
#include "core/entities.h"

namespace jc {

inline constexpr const char* kDemoCampaignTitle = "2026年张掖市行政效能专项监察";

using DemoProgress = std::function<void(int64_t done, int64_t total)>;

struct DemoOptions {
    int findings = 200;
    int complaints = 80;
    uint64_t seed = 20260101;
    std::optional<Date> today;  // the data set's "today"; ctx.today() when unset
    int spanDays = 365;         // cases are spread over this many days before today
    // With an hq_admin actor: create inspectors (张伟, 李娜, 王磊 …), a lead (陈静) and a team,
    // and let each play their part. Otherwise everything is done as the acting user, as far as
    // their role allows (an inspector's findings stop at "submitted").
    bool createUsers = true;
    // Cases whose commands share one commit. Each command still runs its own transaction code
    // (joined to the batch's, base/db.h Database::JoinNested) and leaves the same rows, outbox
    // changes, audit events, field history, case events and search entries as when a user runs
    // it; only the commit (the fsync, the search index flush) is shared. A command that fails
    // undoes its whole batch. 1: every command commits on its own, as in the application.
    int casesPerCommit = 500;
};

struct DemoSummary {
    std::string campaignId;
    int users = 0, units = 0, persons = 0;  // created by this run (existing ones are reused)
    int findings = 0, complaints = 0, rectifications = 0, warnings = 0;
    std::map<std::string, int> findingsByStatus, complaintsByStatus, rectificationsByStatus;
};

DemoSummary generateDemoData(AppContext& ctx, const DemoOptions& opt, DemoProgress progress = {});

// [SECTION] Bulk findings (benchmarks, load tests)

struct BulkOptions {
    int64_t count = 100'000;
    uint64_t seed = 20260101;
    int batchSize = 1000;        // findings per transaction
    std::optional<Date> today;   // Date::today() when unset
    int spanDays = 365;
    std::string campaignId;      // empty: the demo campaign (created when missing)
};

struct BulkSummary {
    std::string campaignId;
    int64_t inserted = 0;
    double totalSeconds = 0;  // everything, including composing the findings
    double writeSeconds = 0;  // inside the batch transactions only (BEGIN … COMMIT)
};

BulkSummary generateFindingsBulk(Store& store, const std::string& actor, const BulkOptions& opt,
                                 DemoProgress progress = {});

// One generated finding, ready for ChangeWriter::insert (or any other writer of the same rows).
struct GeneratedFinding {
    std::string id;         // UUIDv7 derived from createdAt and the seed
    std::string createdAt;  // ISO timestamp within the span
    FieldMap fields;        // every finding field the generator sets, status and local_number included
};

// One batch of generateFindingsBulk(): one transaction through ChangeWriter (row, outbox, audit,
// search index), each finding stamped with its createdAt; advances the store's finding counter.
// The fields are moved out of `batch`. Exposed for the benchmark, which times batches one by one.
void writeFindingBatch(Store& store, const std::string& actor, std::vector<GeneratedFinding>& batch);

// The deterministic source of bulk findings: make(i) depends only on the seed, `today`, i and
// the reference records (campaign, units, persons), which the constructor finds or creates
// through ChangeWriter. Used by generateFindingsBulk() and by the benchmark's raw-SQLite baseline.
class DemoFindingSource {
public:
    DemoFindingSource(Store& store, const std::string& actor, uint64_t seed, Date today, int spanDays = 365,
                      const std::string& campaignId = {});
    ~DemoFindingSource();
    DemoFindingSource(const DemoFindingSource&) = delete;
    DemoFindingSource& operator=(const DemoFindingSource&) = delete;

    GeneratedFinding make(int64_t index) const;
    const std::string& campaignId() const;

    struct World;  // townships, units and persons (defined in demo_data.cpp)

private:
    std::unique_ptr<World> m_world;
    uint64_t m_seed;
    Date m_today;
    int m_spanDays;
    int64_t m_firstNumber;
    std::string m_deviceId;  // local numbers are app/finding_commands.h localNumber()
    int m_templateVersions[6] = {};
};

}  // namespace jc
