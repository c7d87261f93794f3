// `jiancha conflict …`: the conflicts sync recorded (two people edited one field) and their
// resolution by a lead or HQ.
#include <iostream>

#include "app/conflict_commands.h"
#include "core/args.h"
#include "cli/env.h"
#include "core/error.h"

namespace jc::cli {

namespace {

// A conflict id from the full id or a unique suffix of at least 8 characters (the list shows 12).
std::string conflictId(Store& store, const std::string& token) {
    if (token.size() < 8) throw UsageError(trf("cli.conflict.id_too_short", {token}));
    std::vector<std::string> ids = conflictIdsMatching(store, token);
    if (ids.empty()) throw NotFoundError(trf("cli.conflict.not_found", {token}));
    if (ids.size() > 1) throw UsageError(trf("cli.conflict.ambiguous", {token}));
    return ids[0];
}

std::string resolutionText(const std::string& r) {
    return r == "kept_winner"  ? tr("cli.conflict.kept_winner")
           : r == "kept_loser" ? tr("cli.conflict.kept_loser")
           : r == "custom"     ? tr("cli.conflict.custom")
           : r.empty()         ? tr("cli.conflict.open")
                               : r;
}

// The field's label in the current language.
std::string fieldText(const ConflictRow& r) { return i18n().english() && !r.fieldEn.empty() ? r.fieldEn : r.fieldZh; }

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
    if (args.empty() || wantsHelp(args)) return printHelp("cli.help.conflict", args.empty());
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
                return (r.current == which ? "● " : "  ") + text + trf("cli.conflict.by", {who, timeText(at)});
            };
            t.push_back({r.id.substr(r.id.size() > 12 ? r.id.size() - 12 : 0), resolutionText(r.resolution),
                         truncateDisplay(r.recordLabel.empty() ? entityText(r.entity) + " " + r.entityId.substr(0, 8) : r.recordLabel, 30),
                         fieldText(r), side(r.winnerValue, r.winnerAuthor, r.winnerAt, "winner"),
                         side(r.loserValue, r.loserAuthor, r.loserAt, "loser")});
        }
        printTable({tr("cli.id"), tr("cli.status"), tr("cli.conflict.record"), tr("cli.conflict.field"), tr("cli.conflict.winner_col"),
                    tr("cli.conflict.loser_col")},
                   t);
        if (rows.empty()) std::cout << (a.flag("all") ? tr("cli.conflict.none") : tr("cli.conflict.none_open")) << "\n";
        return 0;
    }
    a.maxPositional(1);
    static const std::set<std::string> subs = {"show", "resolve"};
    if (!subs.count(sub)) throw UsageError(trf("cli.unknown_subcommand", {"conflict", sub}));
    std::string id = conflictId(ctx.store, a.positionalAt(0, tr("cli.arg.conflict_id")));
    if (sub == "show") {
        ConflictRow r = getConflict(ctx, id);
        if (env.json) {
            printJson({{"conflict", toJson(ctx.store, r)}});
            return 0;
        }
        std::cout << entityText(r.entity) << "：" << (r.recordLabel.empty() ? r.entityId : r.recordLabel) << "\n"
                  << trf("cli.conflict.field_line", {fieldText(r)}) << "\n"
                  << trf("cli.conflict.winner_line", {r.winnerAuthor, timeText(r.winnerAt)})
                  << (r.current == "winner" ? tr("cli.conflict.current") : "") << "\n  "
                  << conflictValueText(ctx.store, r, r.winnerValue) << "\n"
                  << trf("cli.conflict.loser_line", {r.loserAuthor, timeText(r.loserAt)})
                  << (r.current == "loser" ? tr("cli.conflict.current") : "") << "\n  "
                  << conflictValueText(ctx.store, r, r.loserValue) << "\n"
                  << trf("cli.conflict.status_line", {resolutionText(r.resolution)})
                  << (r.open() ? "" : trf("cli.conflict.by", {r.resolvedBy, timeText(r.resolvedAt)})) << "\n";
        return 0;
    }
    if (sub == "resolve") {
        auto keep = a.opt("keep");
        auto value = a.opt("value");
        if (keep && value) throw UsageError(tr("cli.conflict.keep_or_value"));
        if (!keep && !value) throw UsageError(tr("cli.conflict.say_what"));
        if (keep && *keep != "winner" && *keep != "loser") throw UsageError(trf("cli.conflict.bad_keep", {*keep}));
        ConflictResolution res = keep ? resolveConflict(ctx, id, *keep)
                                      : resolveConflict(ctx, id, "custom", Json(*value));
        if (env.json) {
            printJson({{"id", id}, {"resolution", res.resolution}, {"value", res.value}, {"record_changed", res.recordChanged}});
        } else {
            std::cout << id << " → " << resolutionText(res.resolution)
                      << (res.recordChanged ? tr("cli.conflict.changed") : tr("cli.conflict.unchanged")) << "\n";
        }
        return 0;
    }
    throw UsageError(trf("cli.unknown_subcommand", {"conflict", sub}));
}

}  // namespace jc::cli
