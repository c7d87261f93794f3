#include "store/migrations.h"

#include "base/db.h"
#include "store/field_versions.h"
#include "store/server_epoch.h"

// Numbered schema migrations. Each entry is frozen once released: a new schema version is a
// new entry appended at the end, never an edit of an old one. Stores written by any earlier
// version are upgraded in order on open (tests/unit/migrations_test.cpp keeps a v1 fixture).

namespace jc {

namespace {
const char* kV1 = R"SQL(
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

CREATE TABLE unit (
  id TEXT PRIMARY KEY,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  deleted INTEGER NOT NULL DEFAULT 0,
  name TEXT,
  kind TEXT,
  region_code TEXT
);
CREATE TABLE person (
  id TEXT PRIMARY KEY,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  deleted INTEGER NOT NULL DEFAULT 0,
  name TEXT,
  unit_id TEXT,
  post TEXT
);
CREATE TABLE team (
  id TEXT PRIMARY KEY,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  deleted INTEGER NOT NULL DEFAULT 0,
  name TEXT,
  region_scope TEXT
);
CREATE TABLE user (
  id TEXT PRIMARY KEY,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  deleted INTEGER NOT NULL DEFAULT 0,
  name TEXT,
  role TEXT,
  team_id TEXT,
  region_scope TEXT,
  display_name TEXT
);
CREATE TABLE campaign (
  id TEXT PRIMARY KEY,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  deleted INTEGER NOT NULL DEFAULT 0,
  title TEXT,
  areas TEXT,
  categories TEXT,
  period_start TEXT,
  period_end TEXT,
  region_scope TEXT,
  team_ids TEXT,
  status TEXT,
  templates TEXT,
  complaint_deadline_days INTEGER,
  number_prefix TEXT
);
CREATE TABLE form_template (
  id TEXT PRIMARY KEY,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  deleted INTEGER NOT NULL DEFAULT 0,
  category TEXT,
  version INTEGER,
  title TEXT,
  fields TEXT
);
CREATE TABLE finding (
  id TEXT PRIMARY KEY,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  deleted INTEGER NOT NULL DEFAULT 0,
  campaign_id TEXT,
  area TEXT,
  category TEXT,
  misconduct_types TEXT,
  title TEXT,
  narrative TEXT,
  region_code TEXT,
  address TEXT,
  gps_lat REAL,
  gps_lon REAL,
  subject_unit_id TEXT,
  responsible_persons TEXT,
  field_values TEXT,
  template_version INTEGER,
  severity TEXT,
  status TEXT,
  assignee TEXT,
  local_number TEXT,
  official_number TEXT,
  loophole TEXT,
  recommendation TEXT,
  accountability TEXT
);
CREATE TABLE evidence (
  id TEXT PRIMARY KEY,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  deleted INTEGER NOT NULL DEFAULT 0,
  owner_entity TEXT,
  owner_id TEXT,
  sha256 TEXT,
  kind TEXT,
  size INTEGER,
  caption TEXT,
  captured_at TEXT,
  file_name TEXT,
  mime TEXT
);
CREATE TABLE complaint (
  id TEXT PRIMARY KEY,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  deleted INTEGER NOT NULL DEFAULT 0,
  campaign_id TEXT,
  title TEXT,
  channel TEXT,
  received_at TEXT,
  first_contact_handler TEXT,
  anonymous INTEGER,
  complainant_sealed TEXT,
  respondent_unit_id TEXT,
  respondent_person_id TEXT,
  content TEXT,
  category TEXT,
  region_code TEXT,
  deadline TEXT,
  assignee TEXT,
  status TEXT,
  reply TEXT,
  reply_at TEXT,
  outcome TEXT,
  satisfaction TEXT
);
CREATE TABLE rectification (
  id TEXT PRIMARY KEY,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  deleted INTEGER NOT NULL DEFAULT 0,
  finding_id TEXT,
  required_action TEXT,
  responsible_unit_id TEXT,
  deadline TEXT,
  status TEXT,
  progress_note TEXT,
  reported_at TEXT,
  verification_note TEXT,
  verified_by TEXT,
  verified_at TEXT
);
CREATE TABLE warning (
  id TEXT PRIMARY KEY,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  deleted INTEGER NOT NULL DEFAULT 0,
  target_person_id TEXT,
  target_unit_id TEXT,
  reason TEXT,
  linked_entity TEXT,
  linked_id TEXT,
  level TEXT,
  issued_by TEXT,
  issued_at TEXT,
  acknowledged_at TEXT
);
CREATE TABLE evaluation (
  id TEXT PRIMARY KEY,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  deleted INTEGER NOT NULL DEFAULT 0,
  title TEXT,
  period TEXT,
  indicators TEXT,
  scores TEXT
);
CREATE TABLE comment (
  id TEXT PRIMARY KEY,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  deleted INTEGER NOT NULL DEFAULT 0,
  entity TEXT,
  entity_id TEXT,
  body TEXT,
  author TEXT
);
CREATE TABLE case_event (
  id TEXT PRIMARY KEY,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  deleted INTEGER NOT NULL DEFAULT 0,
  entity TEXT,
  entity_id TEXT,
  action TEXT,
  from_status TEXT,
  to_status TEXT,
  comment TEXT,
  actor TEXT,
  at TEXT,
  detail TEXT
);
CREATE TABLE conflict (
  id TEXT PRIMARY KEY,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  deleted INTEGER NOT NULL DEFAULT 0,
  entity TEXT,
  entity_id TEXT,
  field TEXT,
  winner_value TEXT,
  loser_value TEXT,
  winner_author TEXT,
  loser_author TEXT,
  winner_at TEXT,
  loser_at TEXT,
  resolution TEXT,
  resolved_value TEXT,
  resolved_by TEXT,
  resolved_at TEXT
);

CREATE INDEX finding_status ON finding(status, created_at);
CREATE INDEX finding_created ON finding(created_at);
CREATE INDEX finding_region ON finding(region_code);
CREATE INDEX finding_campaign ON finding(campaign_id);
CREATE INDEX complaint_status ON complaint(status, deadline);
CREATE INDEX rectification_finding ON rectification(finding_id);
CREATE INDEX evidence_owner ON evidence(owner_entity, owner_id);
CREATE INDEX evidence_sha ON evidence(sha256);
CREATE INDEX comment_entity ON comment(entity, entity_id);
CREATE INDEX case_event_entity ON case_event(entity, entity_id, at);
CREATE INDEX person_unit ON person(unit_id);
CREATE UNIQUE INDEX user_name ON user(name);

-- Field-level changes waiting to be pushed (DESIGN.md §4). Written in the same transaction
-- as the row they describe; removed only when the server acknowledges them.
CREATE TABLE outbox (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  change_id TEXT NOT NULL UNIQUE,
  entity TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  fields TEXT NOT NULL,
  base_versions TEXT NOT NULL,
  hlc TEXT NOT NULL,
  user_id TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX outbox_entity ON outbox(entity, entity_id);

-- Server version last seen per field, written when changes are pulled or acknowledged.
CREATE TABLE field_meta (
  entity TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  field TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 0,
  hlc TEXT,
  author TEXT,
  PRIMARY KEY (entity, entity_id, field)
) WITHOUT ROWID;

-- Append-only, hash-chained audit log (DESIGN.md §5). Triggers refuse UPDATE and DELETE.
CREATE TABLE audit_event (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  entity TEXT,
  entity_id TEXT,
  detail TEXT,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_event BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit_event BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;

-- Reference data (not synced as entities): GB/T 2260 regions and the working-day calendar.
CREATE TABLE region (
  code TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  parent_code TEXT,
  level INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX region_parent ON region(parent_code);
CREATE TABLE calendar_day (
  day TEXT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('holiday', 'workday')),
  name TEXT
) WITHOUT ROWID;

-- Chinese full-text search over findings and complaints (tokenizer jc_cjk, store/fts_tokenizer.h).
CREATE VIRTUAL TABLE search_index USING fts5(entity UNINDEXED, entity_id UNINDEXED, title, body, tokenize = 'jc_cjk');
CREATE TABLE search_rowid (entity_id TEXT PRIMARY KEY, rid INTEGER NOT NULL) WITHOUT ROWID;
CREATE UNIQUE INDEX search_rowid_rid ON search_rowid(rid);
)SQL";

// v2: sync bookkeeping on the device.
const char* kV2 = R"SQL(
-- Changes the server refused for good (permission, validation): kept so the user sees what
-- did not reach headquarters and why, instead of losing them silently.
CREATE TABLE sync_rejection (
  change_id TEXT PRIMARY KEY,
  entity TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  fields TEXT NOT NULL,
  reason TEXT NOT NULL,
  at TEXT NOT NULL
) WITHOUT ROWID;

-- Upload state of evidence blobs (content-addressed by SHA-256), a queue of its own so a failed
-- photo never blocks record sync.
CREATE TABLE blob_upload (
  sha256 TEXT PRIMARY KEY,
  size INTEGER NOT NULL,
  uploaded INTEGER NOT NULL DEFAULT 0,
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  next_try_at TEXT
) WITHOUT ROWID;
)SQL";

// v3: merge policy of the search index. Defaults flush pending terms every 1 MB (three segments
// per 1,000-finding batch, as each finding indexes ~700 tokens) and merge every 4 segments, so
// index data is rewritten many times as it grows. A 16 MB flush threshold and merging every 16
// segments roughly halve the indexing cost of bulk writes and sync pulls (tests/bench/store_bench)
// without slowing searches. These are FTS5's own persistent settings (search_index_config).
const char* kV3 = R"SQL(
INSERT INTO search_index(search_index, rank) VALUES('hashsize', 16777216);
INSERT INTO search_index(search_index, rank) VALUES('automerge', 16);
)SQL";

// v4: efficiency evaluation (drafts, versions, published results) and focus monitoring (rules
// with HQ's thresholds, units and categories under focus).
const char* kV4 = R"SQL(
ALTER TABLE evaluation ADD COLUMN campaign_id TEXT;
ALTER TABLE evaluation ADD COLUMN status TEXT;
ALTER TABLE evaluation ADD COLUMN version INTEGER;
ALTER TABLE evaluation ADD COLUMN grades TEXT;
ALTER TABLE evaluation ADD COLUMN units TEXT;
ALTER TABLE evaluation ADD COLUMN manual TEXT;
ALTER TABLE evaluation ADD COLUMN run_at TEXT;
ALTER TABLE evaluation ADD COLUMN published_at TEXT;
ALTER TABLE evaluation ADD COLUMN published_by TEXT;
ALTER TABLE evaluation ADD COLUMN source_id TEXT;
CREATE INDEX evaluation_period ON evaluation(campaign_id, period, version);
CREATE TABLE monitor_rule (
  id TEXT PRIMARY KEY,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  deleted INTEGER NOT NULL DEFAULT 0,
  kind TEXT,
  params TEXT,
  enabled INTEGER
);
CREATE TABLE focus (
  id TEXT PRIMARY KEY,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  deleted INTEGER NOT NULL DEFAULT 0,
  subject_kind TEXT,
  unit_id TEXT,
  category TEXT,
  reason TEXT,
  flag TEXT,
  status TEXT,
  placed_by TEXT,
  placed_at TEXT,
  lifted_by TEXT,
  lifted_at TEXT,
  lift_note TEXT
);
CREATE INDEX complaint_unit ON complaint(respondent_unit_id, received_at);
CREATE INDEX finding_unit ON finding(subject_unit_id, created_at);
CREATE INDEX rectification_unit ON rectification(responsible_unit_id, deadline);
)SQL";

// v5: electronic supervision (approval records of the approval system, the column mappings HQ
// saved for its imports) and the published holiday arrangements per year.
const char* kV5 = R"SQL(
CREATE TABLE approval (
  id TEXT PRIMARY KEY,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  deleted INTEGER NOT NULL DEFAULT 0,
  case_number TEXT,
  item_name TEXT,
  unit_name TEXT,
  unit_id TEXT,
  applicant TEXT,
  received_at TEXT,
  promised_workdays INTEGER,
  deadline TEXT,
  finished_at TEXT,
  status TEXT,
  region_code TEXT,
  source TEXT
);
CREATE INDEX approval_case_number ON approval(case_number);
CREATE INDEX approval_deadline ON approval(deadline);
CREATE INDEX approval_unit ON approval(unit_name);
CREATE TABLE calendar_year (
  id TEXT PRIMARY KEY,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  deleted INTEGER NOT NULL DEFAULT 0,
  year INTEGER,
  holidays TEXT,
  makeup_workdays TEXT,
  note TEXT,
  published_by TEXT
);
CREATE INDEX calendar_year_year ON calendar_year(year);
-- Column mappings of approval imports, saved by name on this device (not synced).
CREATE TABLE import_mapping (
  name TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  mapping TEXT NOT NULL,
  updated_at TEXT NOT NULL
) WITHOUT ROWID;
)SQL";

// v6: laptops with wrong clocks (core/hq_clock.h). Each outbox change keeps the device's own
// clock reading, the HQ offset known when it was written (NULL: none yet) and a clock anchor, so
// the first sync can correct it; the records people date keep the device time where it differed
// from the recorded one and a 时间存疑 flag when it could not be corrected.
const char* kV6 = R"SQL(
ALTER TABLE outbox ADD COLUMN device_time TEXT;
ALTER TABLE outbox ADD COLUMN clock_offset_ms INTEGER;
ALTER TABLE outbox ADD COLUMN clock_anchor TEXT;
ALTER TABLE finding ADD COLUMN device_time TEXT;
ALTER TABLE finding ADD COLUMN time_suspect INTEGER;
ALTER TABLE complaint ADD COLUMN device_time TEXT;
ALTER TABLE complaint ADD COLUMN time_suspect INTEGER;
ALTER TABLE rectification ADD COLUMN device_time TEXT;
ALTER TABLE rectification ADD COLUMN time_suspect INTEGER;
ALTER TABLE warning ADD COLUMN device_time TEXT;
ALTER TABLE warning ADD COLUMN time_suspect INTEGER;
ALTER TABLE case_event ADD COLUMN device_time TEXT;
ALTER TABLE case_event ADD COLUMN time_suspect INTEGER;
)SQL";

// v7: what a device needs to show a refused change in its user's language and to fix it: the
// protocol's reason and detail codes, the detail's parameters, and HQ's values of the refused
// fields at the time (NULL when HQ has no such record: a refused creation).
const char* kV7 = R"SQL(
ALTER TABLE sync_rejection ADD COLUMN reason_code TEXT NOT NULL DEFAULT '';
ALTER TABLE sync_rejection ADD COLUMN detail TEXT NOT NULL DEFAULT '';
ALTER TABLE sync_rejection ADD COLUMN params TEXT NOT NULL DEFAULT '{}';
ALTER TABLE sync_rejection ADD COLUMN server_values TEXT;

-- The history of a case's fields (store/field_history.h): value before and after, who, when,
-- and whether the change was made here ("local") or came from HQ ("hq").
CREATE TABLE field_history (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  entity TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  field TEXT NOT NULL,
  old_value TEXT NOT NULL,
  new_value TEXT NOT NULL,
  author TEXT NOT NULL,
  at TEXT NOT NULL,
  source TEXT NOT NULL
);
CREATE INDEX field_history_record ON field_history(entity, entity_id, seq);
)SQL";

// v8: statistics (app/statistics.h) scan every finding of a campaign; the table's rows carry
// narratives and are ~10x wider than what a count needs. This index holds every column a
// statistic groups, filters or sums by (field_values for the amounts), so those queries read the
// index only: at 100,000 findings a count by county drops from ~300 ms to ~60 ms, and date
// ranges (recording date) become index ranges.
const char* kV8 = R"SQL(
CREATE INDEX IF NOT EXISTS finding_stats ON finding(deleted, created_at, campaign_id, region_code, category, area,
  severity, status, assignee, subject_unit_id, misconduct_types, field_values);
)SQL";
// Changes the server acknowledged, kept for a while after they leave the outbox: when the server
// is restored from a backup (it announces a new epoch) the device queues again those the server
// numbered after the backup (store/server_epoch.h).
const char* kV9 = R"SQL(
CREATE TABLE sent_change (
  change_id TEXT PRIMARY KEY,
  seq INTEGER NOT NULL,
  entity TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  fields TEXT NOT NULL,
  base_versions TEXT NOT NULL,
  hlc TEXT NOT NULL,
  user_id TEXT NOT NULL,
  created_at TEXT NOT NULL,
  server_seq INTEGER NOT NULL,
  acked_at TEXT NOT NULL
);
CREATE INDEX sent_change_server_seq ON sent_change(server_seq);
CREATE INDEX sent_change_acked ON sent_change(acked_at);
)SQL";
// v10: the search tokenizer indexes one token a character (a pair, or a run's last character)
// instead of every character and every pair, and a pull leaves the records it wrote to a
// background catch-up (store/search_index.h). The index is dropped, not emptied (emptying would
// run the new tokenizer over rows the old one indexed), and every live record is marked pending:
// search scans them until the catch-up has indexed them again.
const char* kV10 = R"SQL(
CREATE TABLE search_pending (
  rid INTEGER PRIMARY KEY,
  entity TEXT NOT NULL,
  entity_id TEXT NOT NULL
);
DROP TABLE search_index;
CREATE VIRTUAL TABLE search_index USING fts5(entity UNINDEXED, entity_id UNINDEXED, title, body, tokenize = 'jc_cjk');
INSERT INTO search_index(search_index, rank) VALUES('hashsize', 16777216);
INSERT INTO search_index(search_index, rank) VALUES('automerge', 16);
INSERT INTO search_pending(rid, entity, entity_id)
  SELECT sr.rid, 'finding', f.id FROM finding f JOIN search_rowid sr ON sr.entity_id = f.id WHERE f.deleted = 0
  UNION ALL
  SELECT sr.rid, 'complaint', c.id FROM complaint c JOIN search_rowid sr ON sr.entity_id = c.id WHERE c.deleted = 0;
)SQL";

// v11: a smaller store (tests/bench/store_bench, 10,000 findings after their first sync: the
// store took 4.7x the bytes of the raw rows). The server versions a device knows go from one row
// per field (~25 per finding, each repeating entity, id, HLC and author: 2.8 KB per finding) to
// one row per record (store/field_versions.h); HLC and author were never read. Acknowledged
// changes are kept as zlib-compressed batches (store/server_epoch.h) instead of a row each with
// two indexes (4 KB per finding); the restore scans the few batch rows, so no index. Audit events
// drop the copy of the previous hash and keep their own as 32 bytes (store/audit.h).
const char* kV11 = R"SQL(
CREATE TABLE field_meta_v11 (
  entity TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  versions TEXT NOT NULL,
  PRIMARY KEY (entity, entity_id)
) WITHOUT ROWID;
CREATE TABLE sent_batch (
  id INTEGER PRIMARY KEY,
  acked_at INTEGER NOT NULL,
  max_server_seq INTEGER NOT NULL,
  changes INTEGER NOT NULL,
  body BLOB NOT NULL
);
ALTER TABLE audit_event DROP COLUMN prev_hash;
)SQL";

void convertV11(Database& db) {
    {
        auto s = db.prepare("SELECT entity, entity_id, field, version FROM field_meta ORDER BY entity, entity_id");
        std::string entity, id;
        FieldVersions versions;
        auto flush = [&] {
            if (versions.empty()) return;
            auto ins = db.prepare("INSERT INTO field_meta_v11(entity, entity_id, versions) VALUES(?,?,?)");
            ins.bind(1, entity).bind(2, id).bind(3, encodeFieldVersions(versions));
            ins.run();
            versions.clear();
        };
        while (s.step()) {
            if (s.getText(0) != entity || s.getText(1) != id) flush(), entity = s.getText(0), id = s.getText(1);
            versions[s.getText(2)] = s.getInt(3);
        }
        flush();
    }
    db.exec("DROP TABLE field_meta; ALTER TABLE field_meta_v11 RENAME TO field_meta;");
    archiveLegacySentChanges(db);
}
}  // namespace

const std::vector<Migration>& migrations() {
    static const std::vector<Migration> list = {
        {1, "initial schema", kV1},
        {2, "sync rejections and blob upload queue", kV2},
        {3, "search index merge policy", kV3},
        {4, "efficiency evaluation and focus monitoring", kV4},
        {5, "electronic supervision and published calendar years", kV5},
        {6, "device clock offsets and corrected times", kV6},
        {7, "rejection reason codes, parameters and HQ's values; field history", kV7},
        {8, "covering index for statistics", kV8},
        {9, "acknowledged changes kept for re-sending after a server restore", kV9},
        {10, "search tokens one a character; background search catch-up", kV10},
        {11, "per-record field versions, compressed acknowledged changes, compact audit hashes", kV11, convertV11},
    };
    return list;
}

}  // namespace jc
