// `jiancha conflict …`: the conflicts sync recorded (two people edited one field) and their
// resolution by a lead or HQ.
#include <iostream>

#include "app/conflict_commands.h"
#include "cli/args.h"
#include "cli/env.h"
#include "core/error.h"

namespace jc::cli {

namespace {

const char* kHelp = R"(jiancha conflict — conflicts (冲突): two people edited the same field

When two devices change one field of a record, the server keeps the later change (the winner)
on every device and records both versions in a conflict. A team lead or HQ then decides.

  conflict list [--all] [--json]        open conflicts (--all: resolved ones too)
  conflict show ID [--json]
  conflict resolve ID --keep winner|loser       (lead, hq)
  conflict resolve ID --value TEXT              (lead, hq; a text of your own, e.g. merging both
                                                 titles; text fields only)

ID is the conflict id or its last 12 characters as `conflict list` shows them.
The resolution, and the kept value when the record holds the other one, sync like any edit.
Exit codes: 2 usage, 3 invalid (e.g. already resolved) or not allowed, 4 not found.
)";

// A conflict id from the full id or a unique suffix of at least 8 characters (the list shows 12).
std::string conflictId(Store& store, const std::string& token) {
    if (token.size() < 8) throw UsageError("conflict id '" + token + "' is too short: give at least 8 characters");
    auto s = store.db().prepare("SELECT id FROM conflict WHERE (id = ?1 OR substr(id, -length(?1)) = ?1) AND deleted = 0 LIMIT 2");
    s.bind(1, token);
    std::vector<std::string> ids;
    while (s.step()) ids.push_back(s.getText(0));
    if (ids.empty()) throw NotFoundError("conflict '" + token + "' not found");
    if (ids.size() > 1) throw UsageError("'" + token + "' matches several conflicts; use the full id");
    return ids[0];
}

std::string resolutionZh(const std::string& r) {
    if (r == "kept_winner") return "保留胜出版本";
    if (r == "kept_loser") return "保留被覆盖版本";
    if (r == "custom") return "另定新值";
    return r.empty() ? "待处理" : r;
}

Json toJson(Store& store, const ConflictRow& r) {
    Json j = {{"id", r.id},
              {"entity", r.entity},
              {"entity_id", r.entityId},
              {"record", r.recordLabel},
              {"field", r.field},
              {"field_label", r.fieldZh},
              {"winner", {{"value", r.winnerValue}, {"text", conflictValueText(store, r, r.winnerValue)},
                          {"author", r.winnerAuthor}, {"at", r.winnerAt}}},
              {"loser", {{"value", r.loserValue}, {"text", conflictValueText(store, r, r.loserValue)},
                         {"author", r.loserAuthor}, {"at", r.loserAt}}},
              {"current", r.current},
              {"created_at", r.createdAt},
              {"open", r.open()}};
    if (!r.open())
        j["resolution"] = {{"resolution", r.resolution}, {"value", r.resolvedValue}, {"by", r.resolvedBy}, {"at", r.resolvedAt}};
    return j;
}

}  // namespace

int runConflict(Env& env, const std::vector<std::string>& args) {
    if (args.empty() || wantsHelp(args)) {
        std::cout << kHelp;
        return args.empty() ? 2 : 0;
    }
    std::string sub = args[0];
    Args a(std::vector<std::string>(args.begin() + 1, args.end()), {"keep", "value"}, {"all"});
    AppContext& ctx = env.ctx();
    if (sub == "list") {
        a.maxPositional(0);
        auto rows = listConflicts(ctx, !a.flag("all"));
        if (env.json) {
            Json out = Json::array();
            for (const auto& r : rows) out.push_back(toJson(ctx.store, r));
            printJson({{"conflicts", out}});
            return 0;
        }
        std::vector<std::vector<std::string>> t;
        for (const auto& r : rows) {
            auto side = [&](const Json& v, const std::string& who, const std::string& at, const char* which) {
                std::string text = truncateDisplay(conflictValueText(ctx.store, r, v), 28);
                for (auto& ch : text)
                    if (ch == '\n') ch = ' ';
                return (r.current == which ? "● " : "  ") + text + "（" + who + " " + at.substr(0, 16) + "）";
            };
            t.push_back({r.id.substr(r.id.size() > 12 ? r.id.size() - 12 : 0), resolutionZh(r.resolution),
                         truncateDisplay(r.recordLabel.empty() ? r.entityZh + " " + r.entityId.substr(0, 8) : r.recordLabel, 30),
                         r.fieldZh, side(r.winnerValue, r.winnerAuthor, r.winnerAt, "winner"),
                         side(r.loserValue, r.loserAuthor, r.loserAt, "loser")});
        }
        printTable({"id", "状态", "记录", "字段", "胜出版本（● 当前值）", "被覆盖版本"}, t);
        if (rows.empty()) std::cout << (a.flag("all") ? "（没有冲突）\n" : "（没有待处理的冲突）\n");
        return 0;
    }
    a.maxPositional(1);
    std::string id = conflictId(ctx.store, a.positionalAt(0, "conflict ID"));
    if (sub == "show") {
        ConflictRow r = getConflict(ctx, id);
        if (env.json) {
            printJson({{"conflict", toJson(ctx.store, r)}});
            return 0;
        }
        std::cout << r.entityZh << "：" << (r.recordLabel.empty() ? r.entityId : r.recordLabel) << "\n"
                  << "字段：" << r.fieldZh << "\n"
                  << "胜出版本（" << r.winnerAuthor << "，" << r.winnerAt << "）" << (r.current == "winner" ? " ● 当前值" : "")
                  << "\n  " << conflictValueText(ctx.store, r, r.winnerValue) << "\n"
                  << "被覆盖版本（" << r.loserAuthor << "，" << r.loserAt << "）" << (r.current == "loser" ? " ● 当前值" : "")
                  << "\n  " << conflictValueText(ctx.store, r, r.loserValue) << "\n"
                  << "状态：" << resolutionZh(r.resolution)
                  << (r.open() ? "" : "（" + r.resolvedBy + "，" + r.resolvedAt + "）") << "\n";
        return 0;
    }
    if (sub == "resolve") {
        auto keep = a.opt("keep");
        auto value = a.opt("value");
        if (keep && value) throw UsageError("give either --keep winner|loser or --value VALUE, not both");
        if (!keep && !value) throw UsageError("say what to keep: --keep winner|loser, or --value VALUE");
        if (keep && *keep != "winner" && *keep != "loser")
            throw UsageError("--keep must be winner or loser, got '" + *keep + "'");
        ConflictResolution res = keep ? resolveConflict(ctx, id, *keep)
                                      : resolveConflict(ctx, id, "custom", Json(*value));
        if (env.json) {
            printJson({{"id", id}, {"resolution", res.resolution}, {"value", res.value}, {"record_changed", res.recordChanged}});
        } else {
            std::cout << id << " → " << resolutionZh(res.resolution)
                      << (res.recordChanged ? "（记录已改为所选版本，同步后各设备一致）" : "（记录已是所选版本）") << "\n";
        }
        return 0;
    }
    throw UsageError("unknown conflict command '" + sub + "' (see jiancha conflict --help)");
}

}  // namespace jc::cli
