#pragma once
// An HQ administrator's own store for app-level tests of HQ's views (evaluation, monitoring,
// statistics): initialised for the user (hq_admin; 王局 unless named) with the reference data,
// optionally one campaign (2026年张掖市行政效能专项监察), commands through `ctx` on a pinned
// "today", and records seeded straight through ChangeWriter — each in a transaction of its own,
// optionally stamped at a pinned time — for states the commands would take many steps to reach.
#include <optional>
#include <string>
#include <string_view>

#include "app/context.h"
#include "app/org_commands.h"
#include "app/setup.h"
#include "store/writer.h"
#include "support/temp_dir.h"

namespace jc::test {

struct HqAdminStore {
    TempDir dir;
    Store store{(dir.path / "jiancha.db").string()};
    AppContext ctx;
    std::string campaign;

    HqAdminStore(const std::string& tag, const Date& today, const std::string& user = "王局", bool withCampaign = true)
        : dir(tag), ctx{store, {}, nullptr, today} {
        InitOptions init;
        init.userName = user;
        init.role = Role::HqAdmin;
        initStore(store, init);
        ctx.actor = loadActor(store, user);
        ctx.calendar = calendarFromStore(store);
        if (!withCampaign) return;
        CampaignInput in;
        in.title = "2026年张掖市行政效能专项监察";
        campaign = createCampaign(ctx, in);
    }

    // Inserts one record as the store's user in a transaction of its own; with `pinnedAt` (ISO timestamp) its
    // created_at and updated_at are that time. Returns the new id.
    std::string insert(std::string_view entity, const FieldMap& fields, const std::string& pinnedAt = {}) {
        std::optional<ChangeWriter::PinnedTime> pin;
        if (!pinnedAt.empty()) pin.emplace(pinnedAt);
        Transaction tx(store.db());
        std::string id = ChangeWriter(store, tx, ctx.actor.name).insert(entity, fields);
        tx.commit();
        return id;
    }
};

}  // namespace jc::test
