#include "app/change_log.h"

#include <algorithm>
#include <set>

#include "app/conflict_commands.h"
#include "core/i18n.h"
#include "core/error.h"
#include "store/field_history.h"

namespace jc {

std::vector<ChangeLogEntry> changeLog(AppContext& ctx, const std::string& entity, const std::string& id) {
    Store& store = ctx.store;
    auto rec = store.get(entity, id);
    if (!rec) throw NotFoundError(trf("app.err_not_found", {entityLabel(entity), id}));
    std::vector<ChangeLogEntry> out;
    ChangeLogEntry created;
    created.kind = "created";
    created.at = rec->value("created_at", std::string());
    created.author = rec->value("created_by", std::string());
    out.push_back(created);

    std::set<std::string> conflictedFields;
    for (const auto& c : listConflicts(ctx, false)) {
        if (c.entity != entity || c.entityId != id) continue;
        conflictedFields.insert(c.field);
        ChangeLogEntry e;
        e.kind = "conflict";
        e.at = c.createdAt;
        e.field = c.field;
        e.labelZh = c.fieldZh;
        e.labelEn = c.fieldEn;
        e.author = c.winnerAuthor;
        e.newText = conflictValueText(store, c, c.winnerValue);
        e.newTextEn = conflictValueText(store, c, c.winnerValue, true);
        e.otherAuthor = c.loserAuthor;
        e.otherText = conflictValueText(store, c, c.loserValue);
        e.otherTextEn = conflictValueText(store, c, c.loserValue, true);
        e.conflicted = true;
        out.push_back(e);
        if (!c.open()) {
            ChangeLogEntry r = e;
            r.kind = "resolved";
            r.at = c.resolvedAt;
            r.author = c.resolvedBy;
            r.newText = conflictValueText(store, c, c.resolvedValue);
            r.newTextEn = conflictValueText(store, c, c.resolvedValue, true);
            r.otherAuthor.clear();
            r.otherText = r.otherTextEn = c.resolution;  // kept_winner | kept_loser | custom
            out.push_back(r);
        }
    }

    for (const auto& h : fieldHistory(store.db(), entity, id)) {
        ChangeLogEntry e;
        e.kind = "change";
        e.at = h.at;
        e.author = h.author;
        e.field = h.field;
        std::tie(e.labelZh, e.labelEn) = fieldLabelOf(entity, h.field);
        e.oldText = fieldValueText(store, entity, id, h.field, h.oldValue, h.newValue);
        e.newText = fieldValueText(store, entity, id, h.field, h.newValue, h.oldValue);
        e.oldTextEn = fieldValueText(store, entity, id, h.field, h.oldValue, h.newValue, true);
        e.newTextEn = fieldValueText(store, entity, id, h.field, h.newValue, h.oldValue, true);
        e.fromHq = h.source == "hq";
        e.conflicted = conflictedFields.count(h.field) > 0;
        out.push_back(e);
    }
    // A record older than this store's field history: its earlier changes were not recorded
    // value by value; say so where that history begins.
    if (auto since = store.meta("field_history_since"); since && !since->empty() && created.at < *since) {
        ChangeLogEntry gap;
        gap.kind = "history_gap";
        gap.at = *since;
        out.push_back(gap);
    }
    // Oldest first; the creation stays first, and entries of one moment keep their order.
    std::stable_sort(out.begin() + 1, out.end(), [](const ChangeLogEntry& a, const ChangeLogEntry& b) { return a.at < b.at; });
    return out;
}

}  // namespace jc
