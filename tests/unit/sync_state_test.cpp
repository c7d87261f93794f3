// The store side of sync: outbox order, push acknowledgements, pulled changes that never
// overwrite pending local edits, and one transaction per page.
#include <catch2/catch.hpp>

#include "core/error.h"
#include "core/uuid.h"
#include "store/search_index.h"
#include "store/sync_state.h"
#include "store/writer.h"
#include "support/run_process.h"

using namespace jc;

namespace {
struct Fixture {
    test::TempDir dir;
    Store store{(dir.path / "s.db").string()};
    std::string campaign = newUuidV7();

    std::string addFinding(const std::string& title) {
        Transaction tx(store.db());
        std::string id = ChangeWriter(store, tx, "张伟").insert(
            "finding", {{"campaign_id", campaign}, {"category", "demolition"}, {"title", title}, {"status", "draft"}});
        tx.commit();
        return id;
    }
    void edit(const std::string& id, const FieldMap& f) {
        Transaction tx(store.db());
        ChangeWriter(store, tx, "张伟").update("finding", id, f);
        tx.commit();
    }
};
}  // namespace

TEST_CASE("outbox changes come out in seq order with their fields and base versions", "[sync]") {
    Fixture fx;
    std::string id = fx.addFinding("城区拆迁补偿不到位");
    fx.edit(id, {{"title", "城区拆迁补偿款拖欠"}});
    auto changes = pendingChanges(fx.store.db(), 100);
    REQUIRE(changes.size() == 2);
    CHECK(changes[0].seq < changes[1].seq);
    CHECK(changes[0].fields["title"] == "城区拆迁补偿不到位");
    CHECK(changes[0].fields["created_by"] == "张伟");
    CHECK(changes[1].fields == Json{{"title", "城区拆迁补偿款拖欠"}});
    CHECK(changes[1].baseVersions == Json{{"title", 0}});
    CHECK(pendingChanges(fx.store.db(), 100, changes[0].seq).size() == 1);
}

TEST_CASE("an acknowledged push leaves the outbox and sets the base version of the next edit", "[sync]") {
    Fixture fx;
    std::string id = fx.addFinding("标题一");
    auto changes = pendingChanges(fx.store.db(), 10);
    recordPushResults(fx.store, {{changes[0].changeId, "applied", {{"title", 41}, {"status", 41}}, Json::object(), ""}});
    CHECK(pendingCount(fx.store.db()) == 0);
    fx.edit(id, {{"title", "标题二"}});
    CHECK(pendingChanges(fx.store.db(), 10)[0].baseVersions == Json{{"title", 41}});
    // A replayed response for the same change is harmless.
    recordPushResults(fx.store, {{changes[0].changeId, "applied", {{"title", 41}}, Json::object(), ""}});
    CHECK(pendingCount(fx.store.db()) == 1);
}

TEST_CASE("a rejected change is kept with its reason, not lost", "[sync]") {
    Fixture fx;
    std::string id = fx.addFinding("越权修改");
    auto changes = pendingChanges(fx.store.db(), 10);
    recordPushResults(fx.store, {{changes[0].changeId, "rejected", Json::object(), Json::object(), "role inspector may not accept"}});
    CHECK(pendingCount(fx.store.db()) == 0);
    auto rej = listRejections(fx.store.db());
    REQUIRE(rej.size() == 1);
    CHECK(rej[0].entityId == id);
    CHECK(rej[0].reason.find("inspector") != std::string::npos);
    CHECK(rej[0].fields["title"] == "越权修改");
}

TEST_CASE("a lost conflict replaces our value with the server's winner", "[sync]") {
    Fixture fx;
    std::string id = fx.addFinding("原标题");
    recordPushResults(fx.store, {{pendingChanges(fx.store.db(), 10)[0].changeId, "applied", {{"title", 5}}, Json::object(), ""}});
    fx.edit(id, {{"title", "我的标题"}});
    auto c = pendingChanges(fx.store.db(), 10)[0];
    recordPushResults(fx.store, {{c.changeId, "applied_with_conflict", Json::object(),
                                  {{"title", {{"value", "组长的标题"}, {"version", 9}, {"author", "李娜"}}}}, ""}});
    CHECK(fx.store.require("finding", id)["title"] == "组长的标题");
}

TEST_CASE("pulled changes create records, update fields and never overwrite pending local edits", "[sync]") {
    Fixture fx;
    std::string mine = fx.addFinding("本地草稿");
    recordPushResults(fx.store, {{pendingChanges(fx.store.db(), 10)[0].changeId, "applied", {{"title", 3}}, Json::object(), ""}});
    fx.edit(mine, {{"narrative", "正在现场补充的叙述"}});  // pending locally

    std::string theirs = newUuidV7();
    std::vector<RemoteChange> page = {
        {10, "finding", theirs,
         {{"campaign_id", fx.campaign}, {"category", "wage_arrears"}, {"title", "另一检查员的欠薪案件"}, {"status", "submitted"},
          {"created_at", "2026-10-01T02:00:00.000Z"}, {"created_by", "王磊"}},
         Json::object(), "王磊", "0001790000000000-00000-abc"},
        {11, "finding", mine, {{"narrative", "服务器上的旧叙述"}, {"severity", "high"}, {"from_the_future", 1}},
         {{"narrative", 11}, {"severity", 11}}, "李娜", ""},
    };
    ApplyStats st = applyRemoteChanges(fx.store, page, 11);
    CHECK(st.created == 1);
    CHECK(st.fieldsKeptLocal == 1);
    CHECK(st.fieldsUnknown == 1);
    CHECK(pullCursor(fx.store) == 11);

    FieldMap t = fx.store.require("finding", theirs);
    CHECK(t["created_by"] == "王磊");
    CHECK(t["created_at"] == "2026-10-01T02:00:00.000Z");
    FieldMap m = fx.store.require("finding", mine);
    CHECK(m["narrative"] == "正在现场补充的叙述");  // local pending edit wins locally until pushed
    CHECK(m["severity"] == "high");
    CHECK(searchRecords(fx.store.db(), "欠薪").size() == 1);  // pulled records are searchable
    CHECK(pendingCount(fx.store.db()) == 1);                   // pulling adds nothing to the outbox
}

TEST_CASE("a bad page changes nothing and keeps the cursor", "[sync]") {
    Fixture fx;
    std::vector<RemoteChange> page = {
        {20, "finding", newUuidV7(), {{"campaign_id", fx.campaign}, {"category", "pollution"}, {"title", "偷排"}, {"status", "draft"}},
         Json::object(), "王磊", ""},
        {21, "finding", newUuidV7(), Json::array(), Json::object(), "王磊", ""},
    };
    CHECK_THROWS_AS(applyRemoteChanges(fx.store, page, 21), ValidationError);
    CHECK(pullCursor(fx.store) == 0);
    CHECK(fx.store.db().queryInt("SELECT count(*) FROM finding") == 0);
}

// After a sync has emptied the outbox, the pages it held go back to the file system (a new store
// is created with auto_vacuum=INCREMENTAL); while changes are pending nothing is moved.
TEST_CASE("the outbox's pages are given back once a sync has emptied it", "[sync][store]") {
    Fixture fx;
    Database& db = fx.store.db();
    CHECK(db.queryInt("PRAGMA auto_vacuum") == 2);
    std::string finding = fx.addFinding("城区拆迁补偿不到位");
    const std::string body(20'000, 'x');  // each change ~20 KB in the outbox
    {
        Transaction tx(db);
        ChangeWriter w(fx.store, tx, "张伟");
        for (int i = 0; i < 300; ++i)
            w.insert("comment", {{"entity", "finding"}, {"entity_id", finding}, {"body", body + std::to_string(i)}, {"author", "张伟"}});
        tx.commit();
    }
    auto ackAll = [&](int limit) {
        std::vector<PushResult> acks;
        int64_t v = db.queryInt("SELECT count(*) FROM field_meta") + 1000;
        for (const auto& c : pendingChanges(db, limit)) {
            PushResult r{c.changeId, "applied", Json::object(), Json::object()};
            for (auto it = c.fields.begin(); it != c.fields.end(); ++it) r.versions[it.key()] = v;
            acks.push_back(std::move(r));
            ++v;
        }
        recordPushResults(fx.store, acks);
    };
    ackAll(250);
    REQUIRE(pendingCount(db) > 0);
    CHECK(db.queryInt("PRAGMA freelist_count") >= kReleasePages);
    CHECK(releaseFreePages(db) == 0);  // changes still pending: nothing moved
    ackAll(1000);
    REQUIRE(pendingCount(db) == 0);
    int64_t pagesBefore = db.queryInt("PRAGMA page_count");
    int64_t released = releaseFreePages(db);
    CHECK(released >= kReleasePages);
    CHECK(db.queryInt("PRAGMA freelist_count") == 0);
    CHECK(db.queryInt("PRAGMA page_count") <= pagesBefore - released);  // and pointer-map pages
    auto s = db.prepare("PRAGMA integrity_check");
    REQUIRE(s.step());
    CHECK(s.getText(0) == "ok");
    CHECK(releaseFreePages(db) == 0);  // nothing left to give back
}
