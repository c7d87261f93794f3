// The local store: durability settings, device identity, ChangeWriter (row + outbox change in
// one transaction, field-level updates with base versions, nothing written on validation
// errors, soft delete) and the hash-chained audit log.
#include <catch2/catch.hpp>

#include <cctype>
#include <filesystem>

#include "core/error.h"
#include "core/uuid.h"
#include "base/sha256.h"
#include "store/audit.h"
#include "store/field_versions.h"
#include "store/store.h"
#include "store/writer.h"
#include "support/temp_dir.h"

using namespace jc;
namespace fs = std::filesystem;

namespace {

using test::TempDir;

const std::string kCampaign = "0190a000-0000-7000-8000-0000000000c1";

FieldMap newFinding() {
    return {{"campaign_id", kCampaign},
            {"category", "wage_arrears"},
            {"title", "拖欠农民工工资"},
            {"narrative", "某建筑公司拖欠工资三个月"},
            {"status", "draft"},
            {"misconduct_types", {"inaction"}},
            {"gps_lat", 38.93},
            {"template_version", 2}};
}

int64_t count(Database& db, const std::string& table, const std::string& where = "1") {
    return db.queryInt("SELECT count(*) FROM " + table + " WHERE " + where);
}

struct OutboxRow {
    std::string changeId, entity, entityId, hlc, userId, createdAt;
    Json fields, baseVersions;
};

std::vector<OutboxRow> outbox(Database& db) {
    auto s = db.prepare(
        "SELECT change_id, entity, entity_id, fields, base_versions, hlc, user_id, created_at FROM outbox ORDER BY seq");
    std::vector<OutboxRow> rows;
    while (s.step())
        rows.push_back({s.getText(0), s.getText(1), s.getText(2), s.getText(5), s.getText(6), s.getText(7),
                        Json::parse(s.getText(3)), Json::parse(s.getText(4))});
    return rows;
}

}  // namespace

TEST_CASE("store: WAL, synchronous=FULL, schema version, stable device id", "[store]") {
    TempDir dir;
    std::string path = (dir.path / "jiancha.db").string();
    std::string device, incarnation;
    {
        Store store(path);
        auto mode = store.db().prepare("PRAGMA journal_mode");
        REQUIRE(mode.step());
        CHECK(mode.getText(0) == "wal");
        CHECK(store.db().queryInt("PRAGMA synchronous") == 2);  // FULL
        CHECK(store.db().queryInt("PRAGMA foreign_keys") == 1);
        CHECK(store.schemaVersion() == Store::latestSchemaVersion());
        device = store.deviceId();
        incarnation = store.incarnation();
        CHECK(isUuid(device));
        CHECK(isUuid(incarnation));
        CHECK(store.meta("device_id") == device);
        store.setMeta("k", "v1");
        store.setMeta("k", "v2");
        CHECK(store.meta("k") == "v2");
        CHECK_FALSE(store.meta("missing").has_value());
    }
    Store again(path);
    CHECK(again.deviceId() == device);
    CHECK(again.incarnation() == incarnation);
    CHECK(again.db().queryInt("PRAGMA synchronous") == 2);
    CHECK(again.meta("k") == "v2");
    CHECK(count(again.db(), "meta", "key = 'device_id'") == 1);
}

TEST_CASE("store: reads leave no open snapshot behind", "[store]") {
    // A cached SELECT left half-read kept the connection's read snapshot open: it then missed
    // other connections' commits and its next BEGIN IMMEDIATE failed with "database is locked".
    TempDir dir;
    std::string path = (dir.path / "jiancha.db").string();
    Store a(path);
    Store b(path);
    std::string id;
    {
        Transaction tx(a.db());
        ChangeWriter wa(a, tx, "a");
        id = wa.insert("unit", {{"name", "甘州区住建局"}, {"kind", "department"}});
        tx.commit();
    }
    REQUIRE(a.get("unit", id).has_value());
    REQUIRE(a.meta("device_id").has_value());
    {
        Transaction tx(b.db());
        ChangeWriter wb(b, tx, "b");
        wb.update("unit", id, {{"name", "甘州区住房和城乡建设局"}});
        tx.commit();
    }
    CHECK(a.db().queryInt("SELECT count(*) FROM outbox") == 2);
    CHECK(a.require("unit", id)["name"] == "甘州区住房和城乡建设局");
    Transaction tx(a.db());
    ChangeWriter wa(a, tx, "a");
    CHECK(wa.update("unit", id, {{"kind", "bureau"}}).size() == 1);
    tx.commit();
}

TEST_CASE("store: a newer schema than the program is refused", "[store]") {
    TempDir dir;
    std::string path = (dir.path / "jiancha.db").string();
    { Store store(path); }
    {
        Database raw(path);
        raw.exec("PRAGMA user_version = " + std::to_string(Store::latestSchemaVersion() + 1));
    }
    CHECK_THROWS_AS(Store(path), StorageError);
}

TEST_CASE("ChangeWriter: insert, update, remove", "[store][writer]") {
    TempDir dir;
    Store store((dir.path / "jiancha.db").string());
    Database& db = store.db();

    Transaction tx(db);
    ChangeWriter w(store, tx, "inspector1");
    std::string id = w.insert("finding", newFinding());
    tx.commit();

    SECTION("insert writes the row and one outbox change with every field") {
        auto row = store.require("finding", id);
        CHECK(isUuid(id));
        CHECK(row["title"] == "拖欠农民工工资");
        CHECK(row["misconduct_types"] == Json::array({"inaction"}));
        CHECK(row["gps_lat"] == 38.93);
        CHECK(row["created_by"] == "inspector1");
        CHECK(row["deleted"] == false);
        CHECK(row["created_at"] == row["updated_at"]);

        auto ob = outbox(db);
        REQUIRE(ob.size() == 1);
        CHECK(ob[0].entity == "finding");
        CHECK(ob[0].entityId == id);
        CHECK(ob[0].userId == "inspector1");
        CHECK(isUuid(ob[0].changeId));
        CHECK_FALSE(ob[0].hlc.empty());
        CHECK(ob[0].baseVersions == Json::object());
        Json expected = newFinding();
        expected["created_at"] = row["created_at"];
        expected["created_by"] = "inspector1";
        CHECK(ob[0].fields == expected);

        CHECK(count(db, "audit_event", "action = 'create' AND entity_id = '" + id + "'") == 1);
        CHECK(count(db, "search_index") == 1);
    }

    SECTION("a given id is used; a duplicate or malformed id is refused") {
        std::string given = "0190a000-0000-7000-8000-000000000042";
        Transaction t2(db);
        ChangeWriter w(store, t2, "inspector1");
        CHECK(w.insert("unit", {{"name", "甘州区住建局"}, {"kind", "department"}}, given) == given);
        CHECK_THROWS_AS(w.insert("unit", {{"name", "x"}, {"kind", "department"}}, given), ValidationError);
        CHECK_THROWS_AS(w.insert("unit", {{"name", "x"}, {"kind", "department"}}, "not-a-uuid"), ValidationError);
        t2.commit();
        CHECK(count(db, "unit") == 1);
    }

    SECTION("update records only changed fields with base versions from field_meta") {
        saveFieldVersions(db, "finding", id, {{"title", 7}, {"status", 3}});
        Transaction t2(db);
        ChangeWriter w(store, t2, "inspector1");
        FieldMap changed = w.update("finding", id,
                                    {{"title", "拖欠农民工工资（已核实）"},
                                     {"narrative", "某建筑公司拖欠工资三个月"},  // unchanged
                                     {"severity", "high"},
                                     {"misconduct_types", {"inaction"}}});  // unchanged
        t2.commit();
        CHECK(changed == Json{{"title", "拖欠农民工工资（已核实）"}, {"severity", "high"}});

        auto ob = outbox(db);
        REQUIRE(ob.size() == 2);
        CHECK(ob[1].fields == changed);
        CHECK(ob[1].baseVersions == Json{{"title", 7}, {"severity", 0}});
        CHECK(ob[1].hlc > ob[0].hlc);

        auto row = store.require("finding", id);
        CHECK(row["title"] == "拖欠农民工工资（已核实）");
        CHECK(row["severity"] == "high");
        CHECK(row["updated_at"].get<std::string>() >= row["created_at"].get<std::string>());
        CHECK(count(db, "audit_event", "action = 'update'") == 1);

        // Nothing changed: nothing written.
        Transaction t3(db);
        CHECK(ChangeWriter(store, t3, "inspector1").update("finding", id, {{"severity", "high"}}).empty());
        t3.commit();
        CHECK(outbox(db).size() == 2);
        CHECK(count(db, "audit_event") == 2);
    }

    SECTION("validation errors change nothing") {
        int64_t findings = count(db, "finding"), changes = count(db, "outbox"), events = count(db, "audit_event");
        int64_t indexed = count(db, "search_index");
        FieldMap missingTitle = newFinding();
        missingTitle.erase("title");
        FieldMap badType = newFinding();
        badType["gps_lat"] = "north";
        FieldMap unknown = newFinding();
        unknown["colour"] = "red";
        FieldMap tooLong = newFinding();
        tooLong["title"] = std::string(501, 'x');
        {
            Transaction t2(db);
            ChangeWriter w(store, t2, "inspector1");
            CHECK_THROWS_AS(w.insert("finding", missingTitle), ValidationError);
            CHECK_THROWS_AS(w.insert("finding", badType), ValidationError);
            CHECK_THROWS_AS(w.insert("finding", unknown), ValidationError);
            CHECK_THROWS_AS(w.insert("finding", tooLong), ValidationError);
            CHECK_THROWS_AS(w.insert("no_such_entity", newFinding()), ValidationError);
            CHECK_THROWS_AS(w.update("finding", id, {{"title", nullptr}}), ValidationError);
            CHECK_THROWS_AS(w.update("finding", id, {{"deleted", "yes"}}), ValidationError);
            CHECK_THROWS_AS(w.update("finding", newUuidV7(), {{"title", "x"}}), NotFoundError);
        }
        // A failure part-way through a user intent rolls back the writes before it as well.
        try {
            Transaction t3(db);
            ChangeWriter w(store, t3, "inspector1");
            w.insert("finding", newFinding());
            w.update("finding", id, {{"title", "改过的标题"}});
            w.insert("finding", badType);
            t3.commit();
            FAIL("expected a ValidationError");
        } catch (const ValidationError&) {
        }
        CHECK(count(db, "finding") == findings);
        CHECK(count(db, "outbox") == changes);
        CHECK(count(db, "audit_event") == events);
        CHECK(count(db, "search_index") == indexed);
        CHECK(store.require("finding", id)["title"] == "拖欠农民工工资");
        CHECK(verifyAudit(db).ok);
    }

    SECTION("remove is a soft delete recorded as a change") {
        Transaction t2(db);
        ChangeWriter w(store, t2, "inspector1");
        w.remove("finding", id);
        t2.commit();
        CHECK(count(db, "finding", "id = '" + id + "'") == 1);
        CHECK(store.require("finding", id)["deleted"] == true);
        auto ob = outbox(db);
        REQUIRE(ob.size() == 2);
        CHECK(ob[1].fields == Json{{"deleted", true}});
        CHECK(ob[1].baseVersions == Json{{"deleted", 0}});
        CHECK(count(db, "audit_event", "action = 'delete'") == 1);
        CHECK(count(db, "search_index") == 0);
    }

    SECTION("get / require") {
        CHECK_FALSE(store.get("finding", newUuidV7()).has_value());
        CHECK_THROWS_AS(store.require("finding", newUuidV7()), NotFoundError);
        CHECK_THROWS_AS(store.get("nope", id), ValidationError);
    }

    SECTION("an empty actor is refused") { CHECK_THROWS_AS(ChangeWriter(store, tx, ""), UsageError); }
}

TEST_CASE("audit: the chain verifies and detects tampering", "[store][audit]") {
    TempDir dir;
    Store store((dir.path / "jiancha.db").string());
    Database& db = store.db();
    {
        Transaction tx(db);
        ChangeWriter w(store, tx, "lead1");
        std::string id = w.insert("finding", newFinding());
        w.update("finding", id, {{"status", "submitted"}});
        w.audit("read_complainant", "complaint", newUuidV7(), {{"reason", "核实"}});
        w.remove("finding", id);
        w.insert("unit", {{"name", "甘州区住建局"}, {"kind", "department"}});
        tx.commit();
    }
    AuditCheck ok = verifyAudit(db);
    CHECK(ok.ok);
    CHECK(ok.events == 5);
    CHECK(ok.firstBadSeq == 0);
    CHECK(count(db, "audit_event", "action = 'read_complainant' AND actor = 'lead1'") == 1);

    SECTION("the triggers refuse edits and deletes") {
        CHECK_THROWS_AS(db.exec("UPDATE audit_event SET actor = 'x' WHERE seq = 2"), StorageError);
        CHECK_THROWS_AS(db.exec("DELETE FROM audit_event WHERE seq = 2"), StorageError);
        CHECK(verifyAudit(db).ok);
    }
    SECTION("an edited event is reported by its seq") {
        db.exec("DROP TRIGGER audit_no_update");
        db.exec("UPDATE audit_event SET actor = 'mallory' WHERE seq = 2");
        AuditCheck bad = verifyAudit(db);
        CHECK_FALSE(bad.ok);
        CHECK(bad.firstBadSeq == 2);
        CHECK_FALSE(bad.problem.empty());
    }
    SECTION("an edit that also recomputes its own hash breaks the next link") {
        // The chain value of event 2 (its hash as hex), then event 3 re-hashed over a forged detail.
        auto p = db.prepare("SELECT hex(hash) FROM audit_event WHERE seq = 2");
        REQUIRE(p.step());
        std::string prev = p.getText(0);
        for (char& c : prev) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        auto s = db.prepare("SELECT at, actor, action, entity, entity_id FROM audit_event WHERE seq = 3");
        REQUIRE(s.step());
        std::string forged = "{\"reason\":\"forged\"}";
        std::string hash = sha256Hex(prev + '\x1f' + s.getText(0) + '\x1f' + s.getText(1) + '\x1f' + s.getText(2) +
                                     '\x1f' + s.getText(3) + '\x1f' + s.getText(4) + '\x1f' + forged);
        db.exec("DROP TRIGGER audit_no_update");
        db.exec("UPDATE audit_event SET detail = '" + forged + "', hash = X'" + hash + "' WHERE seq = 3");
        AuditCheck bad = verifyAudit(db);
        CHECK_FALSE(bad.ok);
        CHECK(bad.firstBadSeq == 4);
    }
    SECTION("removing the newest events is reported") {
        db.exec("DROP TRIGGER audit_no_delete");
        db.exec("DELETE FROM audit_event WHERE seq >= 4");
        AuditCheck bad = verifyAudit(db);
        CHECK_FALSE(bad.ok);
        CHECK(bad.firstBadSeq == 4);
    }
    SECTION("a removed event is reported") {
        db.exec("DROP TRIGGER audit_no_delete");
        db.exec("DELETE FROM audit_event WHERE seq = 3");
        AuditCheck bad = verifyAudit(db);
        CHECK_FALSE(bad.ok);
        CHECK(bad.firstBadSeq == 4);
    }
}

TEST_CASE("a duplicate id is refused by SQLite's constraint code, not by the message text", "[store][writer]") {
    TempDir dir;
    Store store((dir.path / "jiancha.db").string());
    std::string id = newUuidV7();
    {
        Transaction tx(store.db());
        ChangeWriter w(store, tx, "inspector1");
        w.insert("finding", newFinding(), id);
        tx.commit();
    }
    {
        Transaction tx(store.db());
        ChangeWriter w(store, tx, "inspector1");
        CHECK_THROWS_WITH(w.insert("finding", newFinding(), id), Catch::Contains("已经存在"));
    }
    CHECK(count(store.db(), "finding") == 1);
    CHECK(count(store.db(), "outbox") == 1);

    // StorageError carries the extended code.
    store.db().exec("CREATE TEMP TABLE t(id TEXT PRIMARY KEY, name TEXT UNIQUE); INSERT INTO t VALUES('a', 'x')");
    try {
        store.db().prepare("INSERT INTO t VALUES('b', 'x')").run();
        FAIL("the duplicate name was accepted");
    } catch (const StorageError& e) {
        CHECK(e.sqliteCode() == SQLITE_CONSTRAINT_UNIQUE);
    }
    try {
        store.db().exec("INSERT INTO t VALUES('a', 'y')");
        FAIL("the duplicate primary key was accepted");
    } catch (const StorageError& e) {
        CHECK(e.sqliteCode() == SQLITE_CONSTRAINT_PRIMARYKEY);
    }
}
