#include "app/rejection_commands.h"

#include "app/conflict_commands.h"
#include "app/queries.h"
#include "core/i18n.h"
#include "core/error.h"
#include "store/sync_state.h"
#include "store/writer.h"

namespace jc {

namespace {

RefusedChange build(Store& store, const Rejection& r) {
    RefusedChange c;
    c.changeId = r.changeId;
    c.entity = r.entity;
    c.entityId = r.entityId;
    c.at = r.at;
    c.reasonCode = r.reasonCode;
    c.detail = r.detail;
    c.params = r.params;
    c.creation = r.creation;
    // The stored reason is "code: words"; the words are HQ's message.
    c.message = r.reason;
    if (!r.reasonCode.empty() && c.message.rfind(r.reasonCode + ": ", 0) == 0) c.message = c.message.substr(r.reasonCode.size() + 2);
    if (c.params.contains("region") && c.params["region"].is_string())
        c.params["region_name"] = regionName(store.db(), c.params["region"].get<std::string>());
    std::tie(c.entityZh, c.entityEn) = entityLabelOf(r.entity);
    std::optional<FieldMap> rec;
    try {
        rec = store.get(r.entity, r.entityId);
    } catch (const ValidationError&) {
        // An entity this client version does not know: listed, not fixable.
    }
    if (rec) {
        c.recordLabel = recordLabelOf(r.entity, *rec);
        c.recordExists = !rec->value("deleted", false);
    }
    if (!r.fields.is_object()) return c;
    for (auto it = r.fields.begin(); it != r.fields.end(); ++it) {
        if (isCommonField(it.key())) continue;
        RefusedField f;
        f.field = it.key();
        std::tie(f.labelZh, f.labelEn) = fieldLabelOf(r.entity, f.field);
        f.mine = *it;
        if (r.serverValues.is_object() && r.serverValues.contains(f.field)) f.hq = r.serverValues[f.field];
        if (rec) f.current = rec->value(f.field, Json());
        f.mineText = fieldValueText(store, r.entity, r.entityId, f.field, f.mine, f.hq);
        f.hqText = fieldValueText(store, r.entity, r.entityId, f.field, f.hq, f.mine);
        f.mineTextEn = fieldValueText(store, r.entity, r.entityId, f.field, f.mine, f.hq, true);
        f.hqTextEn = fieldValueText(store, r.entity, r.entityId, f.field, f.hq, f.mine, true);
        c.fields.push_back(std::move(f));
    }
    return c;
}

Rejection requireRejection(Store& store, const std::string& changeId) {
    auto r = findRejection(store.db(), changeId);
    if (!r) throw NotFoundError(trf("rejection.err_none", {changeId}));
    return *r;
}

}  // namespace

std::vector<RefusedChange> listRefusedChanges(AppContext& ctx, int limit) {
    std::vector<RefusedChange> out;
    for (const auto& r : listRejections(ctx.store.db(), limit)) out.push_back(build(ctx.store, r));
    return out;
}

RefusedChange getRefusedChange(AppContext& ctx, const std::string& changeId) {
    return build(ctx.store, requireRejection(ctx.store, changeId));
}

void resendRefusedChange(AppContext& ctx, const std::string& changeId, const Json& values) {
    if (!values.is_object()) throw ValidationError(tr("rejection.err_values"));
    Transaction tx(ctx.store.db());
    Rejection r = requireRejection(ctx.store, changeId);
    const EntityDef& def = entityDef(r.entity);
    auto rec = ctx.store.get(r.entity, r.entityId);
    if (!rec || rec->value("deleted", false))
        throw ValidationError(tr("rejection.err_gone"));
    FieldMap fields = FieldMap::object();
    for (auto it = values.begin(); it != values.end(); ++it) {
        if (isCommonField(it.key()) || !def.field(it.key()))
            throw ValidationError(trf("rejection.err_field", {entityLabel(r.entity), it.key()}));
        fields[it.key()] = *it;
    }
    // The same region check HQ makes (sync/server/region_scope.cpp), so the user hears it now.
    if (r.entity == "finding" || r.entity == "complaint") {
        Json region = fields.contains("region_code") ? fields["region_code"] : rec->value("region_code", Json());
        if (region.is_string() && !region.get<std::string>().empty()) ctx.requireRegion(region.get<std::string>());
    }
    ChangeWriter w(ctx.store, tx, ctx.actor.name);
    if (r.creation) {
        w.resendCreate(r.entity, r.entityId, fields);
    } else {
        // On top of HQ's values: only what the user now wants differs from them and is sent.
        w.update(r.entity, r.entityId, fields);
    }
    removeRejection(ctx.store.db(), changeId);
    w.audit("rejection_resent", r.entity, r.entityId, {{"change_id", changeId}});
    tx.commit();
}

void discardRefusedChange(AppContext& ctx, const std::string& changeId) {
    Transaction tx(ctx.store.db());
    Rejection r = requireRejection(ctx.store, changeId);
    removeRejection(ctx.store.db(), changeId);
    ChangeWriter w(ctx.store, tx, ctx.actor.name);
    w.audit("rejection_discarded", r.entity, r.entityId, {{"change_id", changeId}});
    tx.commit();
}

void deleteRefusedRecord(AppContext& ctx, const std::string& changeId) {
    Transaction tx(ctx.store.db());
    Rejection r = requireRejection(ctx.store, changeId);
    if (!r.creation) throw ValidationError(tr("rejection.err_not_creation"));
    ChangeWriter w(ctx.store, tx, ctx.actor.name);
    w.withdrawLocal(r.entity, r.entityId);
    // Every refusal of this record goes with it (later edits were refused as "not on the server").
    auto& s = ctx.store.db().cached("DELETE FROM sync_rejection WHERE entity = ? AND entity_id = ?");
    s.bind(1, r.entity).bind(2, r.entityId);
    s.run();
    tx.commit();
}

}  // namespace jc
