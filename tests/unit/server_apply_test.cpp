// The server's field-level apply (sync/server/apply.h) on a real server database without HTTP:
// each branch of the conflict rule — no conflict when the base is current, when the same device
// writes again or the values agree; a concurrent write with the greater HLC wins, with the
// smaller one loses (and the winner is asserted again), a tie goes to the greater device id;
// stamps far ahead of the server clock are clamped; refusals change nothing and say what the
// server holds; a status change needing a comment looks for it in its push batch.
#include <catch2/catch.hpp>

#include <string>

#include "core/dates.h"
#include "core/hlc.h"
#include "core/uuid.h"
#include "support/server_db.h"
#include "sync/server/admin.h"
#include "sync/server/apply.h"
#include "sync/server/sqlite_storage.h"

using namespace jc;
using namespace jc::server;

namespace {

struct World : test::ServerDb {
    HybridClock clock{"server"};
    std::string unitId = newUuidV7();
    World() : ServerDb({{"a1", Role::Inspector}, {"b1", Role::Inspector}, {"lead", Role::Lead}}) {}
    Principal who(const std::string& name, const std::string& deviceId) {
        auto tx = storage->read();
        Principal p;
        p.account = *tx->accountByName(name);
        p.device.id = deviceId;
        p.device.userId = p.account.userId;
        p.role = parseRole(p.account.role);
        return p;
    }
    proto::ChangeResult push(const Principal& p, proto::Change c, std::vector<proto::Change> batch = {}) {
        if (batch.empty()) batch.push_back(c);
        auto tx = storage->write();
        Applier applier(*tx, clock);
        PushBatch b(batch);
        proto::ChangeResult r = applier.applyPushed(p, c, b);
        tx->commit();
        return r;
    }
    std::optional<Record> record(const std::string& entity, const std::string& id) { return storage->read()->record(entity, id); }
};

std::string stamp(int64_t wallMs, const std::string& node) { return HlcStamp{wallMs, 0, node}.encode(); }

proto::Change change(const Principal& p, const std::string& entity, const std::string& id, Json fields, Json base,
                     const std::string& hlc) {
    static int64_t seq = 0;
    return proto::Change{newUuidV7(), ++seq, entity, id, std::move(fields), std::move(base), hlc, p.account.name};
}

// The unit exists on the server at version `v`, written by device "dev-a".
int64_t createUnit(World& w, const Principal& a) {
    auto r = w.push(a, change(a, "unit", w.unitId, {{"name", "城区建筑公司"}, {"kind", "enterprise"}, {"created_at", nowIso()}},
                              Json::object(), stamp(nowMillis() - 60'000, "dev-a")));
    REQUIRE(r.status == proto::ChangeStatus::Applied);
    return r.serverSeq;
}

}  // namespace

TEST_CASE("apply: no conflict when the base is current, the device is the same or the values agree", "[apply]") {
    World w;
    Principal a = w.who("a1", "dev-a"), b = w.who("b1", "dev-b");
    int64_t v = createUnit(w, a);

    auto same = w.push(a, change(a, "unit", w.unitId, {{"name", "新名"}}, Json::object(), stamp(nowMillis(), "dev-a")));
    CHECK(same.status == proto::ChangeStatus::Applied);  // the same device overwrites its own value
    int64_t v2 = same.versions["name"];
    CHECK(v2 > v);

    auto current = w.push(b, change(b, "unit", w.unitId, {{"name", "乙改"}}, {{"name", v2}}, stamp(nowMillis(), "dev-b")));
    CHECK(current.status == proto::ChangeStatus::Applied);  // b had seen the latest version

    auto agree = w.push(a, change(a, "unit", w.unitId, {{"name", "乙改"}}, {{"name", v}}, stamp(nowMillis() - 1000, "dev-a")));
    CHECK(agree.status == proto::ChangeStatus::Applied);  // stale base, but the same value: nothing to decide
    CHECK(agree.conflicts.empty());
}

TEST_CASE("apply: a concurrent write with the greater HLC wins and the conflict is recorded", "[apply]") {
    World w;
    Principal a = w.who("a1", "dev-a"), b = w.who("b1", "dev-b");
    int64_t v = createUnit(w, a);
    w.push(a, change(a, "unit", w.unitId, {{"name", "甲的名字"}}, {{"name", v}}, stamp(nowMillis() - 5000, "dev-a")));

    auto r = w.push(b, change(b, "unit", w.unitId, {{"name", "乙的名字"}}, {{"name", v}}, stamp(nowMillis(), "dev-b")));
    CHECK(r.status == proto::ChangeStatus::AppliedWithConflict);
    REQUIRE(r.conflicts.size() == 1);
    CHECK(r.conflicts[0].won);
    CHECK(w.record("unit", w.unitId)->text("name") == "乙的名字");
    auto conflict = w.record("conflict", r.conflicts[0].conflictId);
    REQUIRE(conflict);
    CHECK(conflict->value("winner_value") == Json{{"value", "乙的名字"}});
    CHECK(conflict->value("loser_value") == Json{{"value", "甲的名字"}});
}

TEST_CASE("apply: a concurrent write with the smaller HLC loses and the winner is asserted again", "[apply]") {
    World w;
    Principal a = w.who("a1", "dev-a"), b = w.who("b1", "dev-b");
    int64_t v = createUnit(w, a);
    auto first = w.push(a, change(a, "unit", w.unitId, {{"name", "甲的名字"}}, {{"name", v}}, stamp(nowMillis(), "dev-a")));
    int64_t winnerVersion = first.versions["name"];

    auto r = w.push(b, change(b, "unit", w.unitId, {{"name", "乙的名字"}}, {{"name", v}}, stamp(nowMillis() - 5000, "dev-b")));
    CHECK(r.status == proto::ChangeStatus::AppliedWithConflict);
    REQUIRE(r.conflicts.size() == 1);
    CHECK_FALSE(r.conflicts[0].won);
    CHECK(r.serverValues["name"] == "甲的名字");
    CHECK(r.versions["name"].get<int64_t>() > winnerVersion);  // re-asserted with a new version
    CHECK(w.record("unit", w.unitId)->text("name") == "甲的名字");
}

TEST_CASE("apply: equal HLCs go to the greater device id", "[apply]") {
    World w;
    Principal a = w.who("a1", "dev-a"), b = w.who("b1", "dev-b");
    int64_t v = createUnit(w, a);
    int64_t t = nowMillis() - 1000;
    w.push(a, change(a, "unit", w.unitId, {{"name", "甲"}}, {{"name", v}}, stamp(t, "x")));
    auto r = w.push(b, change(b, "unit", w.unitId, {{"name", "乙"}}, {{"name", v}}, stamp(t, "x")));
    REQUIRE(r.conflicts.size() == 1);
    CHECK(r.conflicts[0].won);  // "dev-b" > "dev-a"
    CHECK(w.record("unit", w.unitId)->text("name") == "乙");
}

TEST_CASE("apply: a stamp far in the future is clamped, so it cannot win every conflict", "[apply]") {
    World w;
    Principal a = w.who("a1", "dev-a"), b = w.who("b1", "dev-b");
    int64_t v = createUnit(w, a);
    auto far = w.push(a, change(a, "unit", w.unitId, {{"kind", "government"}}, {{"kind", v}},
                                stamp(nowMillis() + 365LL * 86'400'000, "dev-a")));
    REQUIRE(far.status == proto::ChangeStatus::Applied);
    HlcStamp stored = HlcStamp::decode(w.record("unit", w.unitId)->fields.at("kind").hlc);
    CHECK(stored.wallMs <= nowMillis() + proto::kMaxClockLeadMs);
}

TEST_CASE("apply: refusals change nothing and tell what the server holds", "[apply]") {
    World w;
    Principal a = w.who("a1", "dev-a");
    createUnit(w, a);
    // Another user's name on the change.
    proto::Change c = change(a, "unit", w.unitId, {{"name", "x"}}, Json::object(), stamp(nowMillis(), "dev-a"));
    c.userId = "someone";
    auto r = w.push(a, c);
    CHECK(r.status == proto::ChangeStatus::Rejected);
    CHECK(r.reason == proto::reason::kForbidden);
    CHECK(r.serverValues["name"] == "城区建筑公司");
    // An update of a record the server never received.
    auto missing = w.push(a, change(a, "unit", newUuidV7(), {{"name", "x"}}, Json::object(), stamp(nowMillis(), "dev-a")));
    CHECK(missing.status == proto::ChangeStatus::Rejected);
    CHECK(missing.reason == proto::reason::kNotFound);
    // An inspector may not create a campaign.
    auto camp = w.push(a, change(a, "campaign", newUuidV7(), {{"title", "x"}, {"created_at", nowIso()}}, Json::object(),
                                 stamp(nowMillis(), "dev-a")));
    CHECK(camp.status == proto::ChangeStatus::Rejected);
    CHECK(w.record("unit", w.unitId)->text("name") == "城区建筑公司");
}
