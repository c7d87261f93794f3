// The demo generator's batched commits (DemoOptions::casesPerCommit): many cases' commands
// sharing one commit must leave exactly what the same commands leave when each commits on its
// own, as a user's do — the same rows per table, records per kind, outbox changes, audit
// actions, field history and case events, an intact audit chain and the same search results.
// Also the nested transactions the batching relies on (base/db.h): a savepoint undoes only its
// own work; a joined transaction that fails undoes the whole batch.
#include <catch2/catch.hpp>

#include <map>
#include <set>

#include "app/context.h"
#include "app/setup.h"
#include "demo/demo_data.h"
#include "core/error.h"
#include "store/audit.h"
#include "store/search_index.h"
#include "support/temp_dir.h"

using namespace jc;

namespace {

using test::TempDir;

const Date kToday{2026, 6, 30};

struct GeneratedStore {
    TempDir dir;
    Store store{(dir.path / "jiancha.db").string()};
    AppContext ctx;

    explicit GeneratedStore(int casesPerCommit) : ctx{store, {}, nullptr, kToday} {
        InitOptions init;
        init.userName = "hq";
        init.role = Role::HqAdmin;
        initStore(store, init);
        ctx.actor = loadActor(store, "hq");
        ctx.calendar = calendarFromStore(store);
        DemoOptions opt;
        opt.findings = 200;
        opt.complaints = 80;
        opt.seed = 424242;
        opt.today = kToday;
        opt.casesPerCommit = casesPerCommit;
        generateDemoData(ctx, opt);
    }

    // "key -> count" rows of a two-column query.
    std::map<std::string, int64_t> tally(const std::string& sql) {
        std::map<std::string, int64_t> out;
        auto s = store.db().prepare(sql);
        while (s.step()) out[s.isNull(0) ? std::string("(null)") : s.getText(0)] = s.getInt(1);
        return out;
    }

    // Rows in every table of the store (search index shadow tables included).
    std::map<std::string, int64_t> tableCounts() {
        std::vector<std::string> tables;
        auto s = store.db().prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name");
        while (s.step()) tables.push_back(s.getText(0));
        std::map<std::string, int64_t> out;
        for (const auto& t : tables) out[t] = store.db().queryInt("SELECT count(*) FROM \"" + t + "\"");
        return out;
    }

    // What search finds, by the found records' content (ids are random per run).
    std::multiset<std::string> found(const std::string& query) {
        std::multiset<std::string> out;
        for (const auto& entity : {"finding", "complaint"})
            for (const auto& id : searchIds(store.db(), query, entity)) {
                auto& s = store.db().cached(std::string("SELECT title || '|' || created_at FROM ") + entity + " WHERE id = ?");
                s.bind(1, id);
                REQUIRE(s.step());
                out.insert(std::string(entity) + "|" + s.getText(0));
                s.reset();
            }
        return out;
    }
};

}  // namespace

TEST_CASE("batched demo commits leave the same records and history as one commit per command", "[demo]") {
    GeneratedStore single(1), batched(64);  // 280 cases: four full batches and a partial one

    // Every table, including the outbox, audit log, field history, case events, search index
    // documents. Not the full-text index's segment tables: how its b-tree is cut into segments
    // depends on how often it was flushed (each commit), not on what it holds.
    auto a = single.tableCounts(), b = batched.tableCounts();
    for (auto* m : {&a, &b}) m->erase("search_index_data"), m->erase("search_index_idx");
    CHECK(a.size() > 20);
    for (const auto& [table, rows] : a) {
        INFO(table);
        CHECK(rows == b[table]);
    }
    CHECK(a.size() == b.size());
    CHECK(a["finding"] == 200);
    CHECK(a["complaint"] == 80);
    CHECK(a["case_event"] > 200);
    CHECK(a["field_history"] > 200);

    const char* const kTallies[] = {
        "SELECT entity, count(*) FROM outbox GROUP BY entity",
        // The kind of change: a creation carries created_by, an update only the changed fields.
        "SELECT entity || '|' || (json_extract(fields, '$.created_by') IS NOT NULL), count(*) FROM outbox GROUP BY 1",
        "SELECT action || '|' || coalesce(entity, ''), count(*) FROM audit_event GROUP BY 1",
        "SELECT actor || '|' || action, count(*) FROM audit_event GROUP BY 1",
        "SELECT entity || '|' || field, count(*) FROM field_history GROUP BY 1",
        "SELECT action || '|' || coalesce(from_status, '') || '|' || coalesce(to_status, ''), count(*) FROM case_event GROUP BY 1",
        "SELECT status, count(*) FROM finding GROUP BY status",
        "SELECT status, count(*) FROM complaint GROUP BY status",
        "SELECT status, count(*) FROM rectification GROUP BY status",
        "SELECT level, count(*) FROM warning GROUP BY level",
        "SELECT created_by, count(*) FROM finding GROUP BY created_by",
    };
    for (const char* sql : kTallies) {
        INFO(sql);
        CHECK(single.tally(sql) == batched.tally(sql));
    }

    // The same case histories, stamped with the same (pinned) times.
    const char* kTimeline =
        "SELECT action || '|' || at || '|' || actor || '|' || coalesce(comment, ''), 1 FROM case_event";
    CHECK(single.tally(kTimeline) == batched.tally(kTimeline));

    CHECK(verifyAudit(single.store.db()).ok);
    CHECK(verifyAudit(batched.store.db()).ok);

    for (const char* word : {"欠薪", "拆迁", "补偿", "排污", "整改", "甘州区", "食品"}) {
        INFO(word);
        auto hits = single.found(word);
        CHECK_FALSE(hits.empty());
        CHECK(hits == batched.found(word));
    }
}

TEST_CASE("a transaction inside a transaction commits with it, or undoes only its own work", "[demo]") {
    TempDir dir;
    Database db((dir.path / "t.db").string());
    db.exec("CREATE TABLE t(v INTEGER)");
    {
        Transaction outer(db);
        {
            Transaction inner(db);
            CHECK(inner.nested());
            db.exec("INSERT INTO t VALUES(1)");
            inner.commit();
        }
        {
            Transaction failed(db);
            db.exec("INSERT INTO t VALUES(2)");
        }  // rolled back: not committed
        CHECK(db.queryInt("SELECT count(*) FROM t") == 1);
        outer.commit();
    }
    CHECK(db.queryInt("SELECT group_concat(v) FROM t") == 1);
    {
        Transaction outer(db);
        CHECK_FALSE(outer.nested());
        Transaction inner(db);
        db.exec("INSERT INTO t VALUES(3)");
        inner.commit();
    }  // the outer one never committed: the inner work goes with it
    CHECK(db.queryInt("SELECT count(*) FROM t") == 1);

    // Joined (the demo's batches): no savepoint; one that does not commit undoes the batch.
    {
        Database::JoinNested join(db);
        Transaction outer(db);
        {
            Transaction inner(db);
            CHECK(inner.nested());
            db.exec("INSERT INTO t VALUES(4)");
            inner.commit();
        }
        outer.commit();
    }
    CHECK(db.queryInt("SELECT count(*) FROM t") == 2);
    {
        Database::JoinNested join(db);
        Transaction outer(db);
        {
            Transaction inner(db);
            db.exec("INSERT INTO t VALUES(5)");
        }  // failed
        CHECK_THROWS_AS(outer.commit(), StorageError);
    }
    CHECK(db.queryInt("SELECT count(*) FROM t") == 2);
    Transaction after(db);  // the connection is usable again
    db.exec("INSERT INTO t VALUES(6)");
    after.commit();
    CHECK(db.queryInt("SELECT count(*) FROM t") == 3);
}
