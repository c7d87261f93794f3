// `jiancha init | status | search | calendar | audit | kpi`.
#include <iostream>
#include <limits>

#include "app/calendar_commands.h"
#include "app/kpi_report.h"
#include "app/queries.h"
#include "app/protection.h"
#include "app/setup.h"
#include "core/args.h"
#include "cli/env.h"
#include "core/error.h"
#include "core/hq_clock.h"
#include "store/audit.h"
#include "store/clock_fix.h"
#include "store/search_index.h"

namespace jc::cli {

int runInit(Env& env, const std::vector<std::string>& args) {
    if (wantsHelp(args)) return printHelp("cli.help.init", false);
    Args a(args, {"user", "role", "team", "hq-public-key", "crypto"}, {"no-passphrase"});
    a.maxPositional(0);
    InitOptions o;
    o.userName = a.required("user");
    o.role = parseRole(a.required("role"));
    o.teamName = a.optOr("team", "");
    o.hqPublicKey = a.optOr("hq-public-key", "");
    // A new store is protected from its first page unless --no-passphrase says otherwise.
    if (storeLockState(env.dataDir) == StoreLock::NoStore) {
        if (a.flag("no-passphrase")) {
            if (a.opt("crypto")) throw UsageError(tr("cli.init.crypto_needs_passphrase"));
        } else {
            std::string suite = a.optOr("crypto", "default");
            checkSuiteName(suite);
            protectNewStore(env.dataDir, suite, env.passphrase(true), o.hqPublicKey);
        }
    }
    InitResult r = initStore(env.store(), o);
    if (env.json) {
        printJson({{"user_id", r.userId}, {"created", r.created}, {"hq_public_key", r.hqPublicKey},
                   {"data_dir", env.dataDir.string()}});
    } else {
        std::cout << trf(r.created ? "cli.init.created" : "cli.init.refreshed",
                         {env.dataDir.string(), o.userName, roleText(std::string(roleCode(o.role)))})
                  << "\n";
        if (!r.hqPublicKey.empty()) std::cout << trf("cli.init.hq_key", {r.hqPublicKey}) << "\n";
    }
    return 0;
}

int runStatus(Env& env, const std::vector<std::string>& args) {
    if (wantsHelp(args)) return printHelp("cli.help.status", false);
    Args(args, {}, {}).maxPositional(0);
    env.requireStore();
    StoreStatus st = storeStatus(env.store().db());
    // The device clock against HQ's, as the last sync measured it (store/clock_fix.h).
    ClockOffsetInfo clock = clockOffsetInfo(env.store());
    std::string clockWarning;
    if (clock.warn())
        clockWarning = trf("clock.warning", {clockOffsetWords(*clock.offsetMs, tr("clock.day"), tr("clock.hour"),
                                                              tr("clock.minute")),
                                             tr(*clock.offsetMs < 0 ? "clock.ahead" : "clock.behind")}) +
                       "\n" + tr("clock.warning_help");
    std::string user = env.store().meta("current_user").value_or("");
    if (env.json) {
        printJson({{"user", user},
                   {"schema_version", st.schemaVersion},
                   {"outbox_pending", st.outboxPending},
                   {"totals", st.totals},
                   {"by_status", st.byStatus},
                   {"device_id", env.store().deviceId()},
                   {"protection", protectionSuite(env.dataDir).empty() ? "none" : protectionSuite(env.dataDir)},
                   {"clock_offset_ms", clock.offsetMs ? Json(*clock.offsetMs) : Json()},
                   {"clock_offset_measured_at", clock.measuredAt},
                   {"clock_warning", clock.warn() ? clockWarning : ""}});
        return 0;
    }
    std::cout << trf("cli.status.summary", {user, std::to_string(st.schemaVersion), std::to_string(st.outboxPending)}) << "\n";
    if (clock.warn()) std::cout << clockWarning << "\n";
    const std::pair<const char*, const char*> entities[] = {
        {"finding", "cli.entity.finding"}, {"complaint", "cli.entity.complaint"}, {"rectification", "cli.entity.rectification"},
        {"warning", "cli.entity.warning"}, {"unit", "cli.col.unit"},           {"person", "cli.status.persons"},
        {"campaign", "cli.status.campaigns"}};
    for (const auto& [e, key] : entities) {
        std::cout << padRight(tr(key), 14) << st.totals[e];
        auto it = st.byStatus.find(e);
        if (it != st.byStatus.end()) {
            std::cout << "  (";
            bool first = true;
            bool machine = std::string_view(e) == "finding" || std::string_view(e) == "complaint" ||
                           std::string_view(e) == "rectification";
            for (const auto& [s, n] : it->second) {
                std::cout << (first ? "" : ", ") << (machine ? statusText(machineFor(e), s) : s) << " " << n;
                first = false;
            }
            std::cout << ")";
        }
        std::cout << "\n";
    }
    return 0;
}

int runSearch(Env& env, const std::vector<std::string>& args) {
    if (args.empty() || wantsHelp(args)) return printHelp("cli.help.search", args.empty());
    Args a(args, {"type", "limit"}, {});
    std::string q;
    for (const auto& p : a.positional()) q += (q.empty() ? "" : " ") + p;
    std::string type = a.optOr("type", "");
    if (!type.empty() && type != "finding" && type != "complaint") throw UsageError(trf("cli.search.bad_type", {type}));
    env.ctx();
    auto hits = searchRecords(env.store().db(), q, a.intOpt("limit", 50, 1, kMaxSearchResults), type);
    // Records not indexed yet were found by scanning their text: complete, but say so.
    int64_t pending = searchPendingCount(env.store().db());
    if (env.json) {
        Json out = Json::array();
        for (const auto& h : hits)
            out.push_back({{"entity", h.entity}, {"id", h.id}, {"title", h.title}, {"snippet", h.snippet}, {"rank", h.rank}});
        printJson({{"query", q}, {"count", hits.size()}, {"hits", out}, {"index_catching_up", pending > 0},
                   {"unindexed_records", pending}});
        return 0;
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& h : hits)
        rows.push_back({entityText(h.entity), h.id.substr(24), truncateDisplay(h.title, 36), truncateDisplay(h.snippet, 60)});
    printTable({tr("cli.col.kind"), tr("cli.id"), tr("cli.col.title"), tr("cli.col.snippet")}, rows);
    std::cout << trf("cli.search.hits", {std::to_string(hits.size())}) << "\n";
    if (pending > 0) std::cout << trf("search.catching_up", {std::to_string(pending)}) << "\n";
    return 0;
}

int runCalendar(Env& env, const std::vector<std::string>& args) {
    if (args.empty() || wantsHelp(args)) return printHelp("cli.help.calendar", args.empty());
    Args a(args, {}, {});
    std::string sub = a.positionalAt(0, tr("cli.arg.calendar_command"));
    env.requireStore();
    if (sub == "publish" || sub == "years")
        return runCalendarHq(env, sub, std::vector<std::string>(args.begin() + 1, args.end()));
    auto cal = calendarFromStore(env.store());
    if (sub == "due") {
        a.maxPositional(3);
        Date start = parseDateInput(a.positionalAt(1, "DATE"), "DATE");
        std::string nStr = a.positionalAt(2, "N");
        int n = 0;
        try {
            size_t used = 0;
            n = std::stoi(nStr, &used);
            if (used != nStr.size()) throw std::invalid_argument("trailing");
        } catch (const std::exception&) {
            throw UsageError(trf("cli.calendar.bad_n", {nStr}));
        }
        if (n < -10000 || n > 10000) throw ValidationError(trf("cli.calendar.bad_n", {nStr}));
        Date due = cal->addWorkdays(start, n);
        std::string note = byRuleNote(*cal, start, due, true);
        if (env.json) printJson({{"start", start.str()}, {"workdays", n}, {"due", due.str()}, {"by_rule", note}});
        else std::cout << due.str() << (note.empty() ? "" : " (" + note + ": holidays computed by rule, make-up days not yet published)") << "\n";
        return 0;
    }
    if (sub == "between") {
        a.maxPositional(3);
        Date from = parseDateInput(a.positionalAt(1, "FROM"), "FROM"), to = parseDateInput(a.positionalAt(2, "TO"), "TO");
        int n = cal->workdaysBetween(from, to);
        if (env.json) printJson({{"from", from.str()}, {"to", to.str()}, {"workdays", n}});
        else std::cout << n << "\n";
        return 0;
    }
    if (sub == "light") {
        a.maxPositional(3);
        Date deadline = parseDateInput(a.positionalAt(1, "DEADLINE"), "DEADLINE");
        Date today = a.positional().size() > 2 ? parseDateInput(a.positional()[2], "TODAY") : Date::today();
        std::string light(lightCode(cal->light(today, deadline)));
        int left = cal->workdaysRemaining(today, deadline);
        if (env.json) printJson({{"deadline", deadline.str()}, {"today", today.str()}, {"light", light}, {"workdays_left", left}});
        else std::cout << lightText(light) << " " << trf("cli.calendar.left", {std::to_string(left)}) << "\n";
        return 0;
    }
    throw UsageError(trf("cli.unknown_subcommand", {"calendar", sub}));
}

int runAudit(Env& env, const std::vector<std::string>& args) {
    if (args.empty() || wantsHelp(args)) return printHelp("cli.help.audit", args.empty());
    Args a(args, {"after", "limit", "action"}, {});
    a.maxPositional(1);
    std::string sub = a.positionalAt(0, tr("cli.arg.audit_command"));
    if (sub != "verify" && sub != "list") throw UsageError(trf("cli.unknown_subcommand", {"audit", sub}));
    env.requireStore();
    if (sub == "list") {  // oldest first, as the server's `audit list`
        int64_t after = a.intOpt("after", 0, 0, std::numeric_limits<int>::max());
        int limit = a.intOpt("limit", 100, 1, 10000);
        auto events = listAudit(env.store().db(), after, limit, a.optOr("action", ""));
        if (env.json) {
            Json out = Json::array();
            for (const auto& e : events)
                out.push_back({{"seq", e.seq}, {"at", e.at}, {"actor", e.actor}, {"action", e.action}, {"entity", e.entity},
                               {"entity_id", e.entityId}, {"detail", e.detail}});
            printJson(out);
        } else {
            for (const auto& e : events)
                std::cout << e.seq << "  " << timeText(e.at) << "  " << e.actor << "  " << auditActionLabel(e.action) << "  "
                          << (e.detail.is_null() ? "" : e.detail.dump(-1, ' ', false, Json::error_handler_t::replace)) << "\n";
        }
        return 0;
    }
    AuditCheck c = verifyAudit(env.store().db());
    if (env.json) printJson({{"ok", c.ok}, {"events", c.events}, {"first_bad_seq", c.firstBadSeq}, {"problem", c.problem}});
    else if (c.ok) std::cout << trf("cli.audit.intact", {std::to_string(c.events)}) << "\n";
    else std::cout << trf("cli.audit.tampered", {c.problem}) << "\n";
    return c.ok ? 0 : 3;
}

int runKpi(Env& env, const std::vector<std::string>& args) {
    if (wantsHelp(args)) return printHelp("cli.help.kpi", false);
    Args a(args, {"campaign"}, {});
    a.maxPositional(0);
    AppContext& ctx = env.ctx();
    std::string campaign = a.optOr("campaign", "");
    Database& db = ctx.store.db();
    KpiReport report = loadKpiReport(db, campaign);
    const ComplaintKpi& k = report.complaints;
    const FindingCounts& fc = report.findings;
    if (env.json) {
        printJson({{"complaints",
                    {{"total", k.total}, {"replied", k.replied}, {"closed", k.closed}, {"on_time_closed", k.onTimeClosed},
                     {"response_rate", k.responseRate}, {"completion_rate", k.completionRate}, {"on_time_rate", k.onTimeRate}}},
                   {"findings", {{"total", fc.total}, {"by_area", fc.byArea}, {"by_category", fc.byCategory}, {"by_county", fc.byCounty}}}});
        return 0;
    }
    auto pct = [](double r) { return std::to_string(static_cast<int>(r * 1000 + 0.5) / 10) + "." + std::to_string(static_cast<int>(r * 1000 + 0.5) % 10) + "%"; };
    std::cout << trf("cli.kpi.summary", {std::to_string(k.total), pct(k.responseRate), pct(k.completionRate), pct(k.onTimeRate),
                                         std::to_string(fc.total)})
              << "\n";
    std::vector<std::vector<std::string>> rows;
    const std::string unset = tr("cli.kpi.unset");
    for (const auto& [code, n] : fc.byCategory)
        rows.push_back({tr("findings.col_category"), code.empty() ? unset : codeLabel(categories(), code), std::to_string(n)});
    for (const auto& [code, n] : fc.byArea)
        rows.push_back({tr("cli.finding.area"), code.empty() ? unset : codeLabel(areas(), code), std::to_string(n)});
    for (const auto& [code, n] : fc.byCounty)
        rows.push_back({tr("cli.kpi.county"), code.empty() ? unset : regionName(db, code), std::to_string(n)});
    printTable({tr("cli.kpi.group"), tr("cli.col.name"), tr("cli.kpi.count")}, rows);
    return 0;
}

}  // namespace jc::cli
