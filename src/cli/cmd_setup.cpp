// `jiancha init | status | search | calendar | audit | kpi`.
#include <iostream>

#include "app/calendar_commands.h"
#include "app/kpi_report.h"
#include "app/queries.h"
#include "app/setup.h"
#include "cli/args.h"
#include "cli/env.h"
#include "core/error.h"
#include "store/audit.h"
#include "store/search_index.h"

namespace jc::cli {

int runInit(Env& env, const std::vector<std::string>& args) {
    if (wantsHelp(args)) {
        std::cout << "jiancha init --user NAME --role inspector|lead|hq_admin [--team NAME] [--hq-public-key KEY]\n"
                     "  Creates (or refreshes) the local store: regions, working-day calendar, form templates and\n"
                     "  the user who works on this device. An hq_admin store also gets HQ's key pair, whose public\n"
                     "  half field devices need (--hq-public-key) to seal complainants' identities.\n";
        return 0;
    }
    Args a(args, {"user", "role", "team", "hq-public-key"}, {});
    a.maxPositional(0);
    InitOptions o;
    o.userName = a.required("user");
    o.role = parseRole(a.required("role"));
    o.teamName = a.optOr("team", "");
    o.hqPublicKey = a.optOr("hq-public-key", "");
    InitResult r = initStore(env.store(), o);
    if (env.json) {
        printJson({{"user_id", r.userId}, {"created", r.created}, {"hq_public_key", r.hqPublicKey},
                   {"data_dir", env.dataDir.string()}});
    } else {
        std::cout << (r.created ? "initialised " : "refreshed ") << env.dataDir.string() << " for " << o.userName << " ("
                  << roleCode(o.role) << ")\n";
        if (!r.hqPublicKey.empty()) std::cout << "HQ public key: " << r.hqPublicKey << "\n";
    }
    return 0;
}

int runStatus(Env& env, const std::vector<std::string>& args) {
    if (wantsHelp(args)) {
        std::cout << "jiancha status [--json]\n  Record counts by entity and status, changes waiting to sync, schema version.\n";
        return 0;
    }
    Args(args, {}, {}).maxPositional(0);
    if (!env.storeExists()) throw UsageError("no store in " + env.dataDir.string() + ": run `jiancha init` first");
    StoreStatus st = storeStatus(env.store().db());
    std::string user = env.store().meta("current_user").value_or("");
    if (env.json) {
        printJson({{"user", user},
                   {"schema_version", st.schemaVersion},
                   {"outbox_pending", st.outboxPending},
                   {"totals", st.totals},
                   {"by_status", st.byStatus},
                   {"device_id", env.store().deviceId()}});
        return 0;
    }
    std::cout << "user " << user << "  schema v" << st.schemaVersion << "  pending changes " << st.outboxPending
              << "  (not connected)\n";
    for (const char* e : {"finding", "complaint", "rectification", "warning", "unit", "person", "campaign"}) {
        std::cout << padRight(e, 14) << st.totals[e];
        auto it = st.byStatus.find(e);
        if (it != st.byStatus.end()) {
            std::cout << "  (";
            bool first = true;
            for (const auto& [s, n] : it->second) {
                std::cout << (first ? "" : ", ") << s << " " << n;
                first = false;
            }
            std::cout << ")";
        }
        std::cout << "\n";
    }
    return 0;
}

int runSearch(Env& env, const std::vector<std::string>& args) {
    if (args.empty() || wantsHelp(args)) {
        std::cout << "jiancha search QUERY [--type finding|complaint] [--limit N] [--json]\n"
                     "  Chinese full-text search over findings and complaints (title, narrative, unit, facts).\n"
                     "  Every word must match; one or two characters (拆迁, 欠薪, 堃) are fine.\n";
        return args.empty() ? 2 : 0;
    }
    Args a(args, {"type", "limit"}, {});
    std::string q;
    for (const auto& p : a.positional()) q += (q.empty() ? "" : " ") + p;
    std::string type = a.optOr("type", "");
    if (!type.empty() && type != "finding" && type != "complaint") throw UsageError("--type must be finding or complaint");
    env.ctx();
    auto hits = searchRecords(env.store().db(), q, a.intOpt("limit", 50, 1, kMaxSearchResults), type);
    if (env.json) {
        Json out = Json::array();
        for (const auto& h : hits)
            out.push_back({{"entity", h.entity}, {"id", h.id}, {"title", h.title}, {"snippet", h.snippet}, {"rank", h.rank}});
        printJson({{"query", q}, {"count", hits.size()}, {"hits", out}});
        return 0;
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& h : hits) rows.push_back({h.entity, h.id.substr(24), truncateDisplay(h.title, 36), truncateDisplay(h.snippet, 60)});
    printTable({"类型", "id", "标题", "摘要"}, rows);
    std::cout << "(" << hits.size() << " hits)\n";
    return 0;
}

int runCalendar(Env& env, const std::vector<std::string>& args) {
    if (args.empty() || wantsHelp(args)) {
        std::cout << "jiancha calendar due DATE N          the date N working days after DATE\n"
                     "jiancha calendar between FROM TO     working days in (FROM, TO]\n"
                     "jiancha calendar light DEADLINE [TODAY]   green | yellow (≤3 working days left) | red (overdue)\n"
                     "jiancha calendar years [FROM TO]     per year: official, by rule, or Monday–Friday only\n"
                     "jiancha calendar publish FILE        (hq) a year's published arrangement, JSON:\n"
                     "      {\"year\": 2027, \"holidays\": {\"2027-01-01\": \"元旦\", …}, \"makeup_workdays\": {…}}\n"
                     "  Statutory holidays and make-up working days (调休) are honoured; after the published years\n"
                     "  the holidays are computed by rule, and a result that counts such a year says so.\n";
        return args.empty() ? 2 : 0;
    }
    Args a(args, {}, {});
    std::string sub = a.positionalAt(0, "calendar command");
    if (!env.storeExists()) throw UsageError("no store in " + env.dataDir.string() + ": run `jiancha init` first");
    if (sub == "publish" || sub == "years")
        return runCalendarHq(env, sub, std::vector<std::string>(args.begin() + 1, args.end()));
    auto cal = calendarFromStore(env.store());
    if (sub == "due") {
        a.maxPositional(3);
        Date start = Date::parse(a.positionalAt(1, "DATE"));
        std::string nStr = a.positionalAt(2, "N");
        int n = 0;
        try {
            size_t used = 0;
            n = std::stoi(nStr, &used);
            if (used != nStr.size()) throw std::invalid_argument("trailing");
        } catch (const std::exception&) {
            throw UsageError("N must be a whole number of working days, got '" + nStr + "'");
        }
        if (n < -10000 || n > 10000) throw ValidationError("N must be between -10000 and 10000 working days");
        Date due = cal->addWorkdays(start, n);
        std::string note = byRuleNote(*cal, start, due, true);
        if (env.json) printJson({{"start", start.str()}, {"workdays", n}, {"due", due.str()}, {"by_rule", note}});
        else std::cout << due.str() << (note.empty() ? "" : " (" + note + ": holidays computed by rule, make-up days not yet published)") << "\n";
        return 0;
    }
    if (sub == "between") {
        a.maxPositional(3);
        Date from = Date::parse(a.positionalAt(1, "FROM")), to = Date::parse(a.positionalAt(2, "TO"));
        int n = cal->workdaysBetween(from, to);
        if (env.json) printJson({{"from", from.str()}, {"to", to.str()}, {"workdays", n}});
        else std::cout << n << "\n";
        return 0;
    }
    if (sub == "light") {
        a.maxPositional(3);
        Date deadline = Date::parse(a.positionalAt(1, "DEADLINE"));
        Date today = a.positional().size() > 2 ? Date::parse(a.positional()[2]) : Date::today();
        std::string light(lightCode(cal->light(today, deadline)));
        int left = cal->workdaysRemaining(today, deadline);
        if (env.json) printJson({{"deadline", deadline.str()}, {"today", today.str()}, {"light", light}, {"workdays_left", left}});
        else std::cout << light << " (" << left << " working days left)\n";
        return 0;
    }
    throw UsageError("unknown calendar command '" + sub + "'");
}

int runAudit(Env& env, const std::vector<std::string>& args) {
    if (args.empty() || wantsHelp(args)) {
        std::cout << "jiancha audit verify   check the hash chain of the audit log; exit 3 when it was tampered with\n";
        return args.empty() ? 2 : 0;
    }
    Args a(args, {}, {});
    a.maxPositional(1);
    if (a.positionalAt(0, "audit command") != "verify") throw UsageError("unknown audit command '" + a.positional()[0] + "'");
    if (!env.storeExists()) throw UsageError("no store in " + env.dataDir.string());
    AuditCheck c = verifyAudit(env.store().db());
    if (env.json) printJson({{"ok", c.ok}, {"events", c.events}, {"first_bad_seq", c.firstBadSeq}, {"problem", c.problem}});
    else if (c.ok) std::cout << "audit log intact: " << c.events << " events\n";
    else std::cout << "AUDIT LOG TAMPERED: " << c.problem << "\n";
    return c.ok ? 0 : 3;
}

int runKpi(Env& env, const std::vector<std::string>& args) {
    if (wantsHelp(args)) {
        std::cout << "jiancha kpi [--campaign ID] [--json]\n"
                     "  Complaint response rate, completion rate (办结率), on-time rate; findings by area, category, county.\n";
        return 0;
    }
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
    std::cout << "投诉 " << k.total << "  回复率 " << pct(k.responseRate) << "  办结率 " << pct(k.completionRate)
              << "  按时办结率 " << pct(k.onTimeRate) << "\n检查发现 " << fc.total << "\n";
    std::vector<std::vector<std::string>> rows;
    for (const auto& [code, n] : fc.byCategory) rows.push_back({"类别", code.empty() ? "未填" : findCode(categories(), code, "category").zh, std::to_string(n)});
    for (const auto& [code, n] : fc.byArea) rows.push_back({"领域", code.empty() ? "未填" : findCode(areas(), code, "area").zh, std::to_string(n)});
    for (const auto& [code, n] : fc.byCounty) rows.push_back({"区县", code.empty() ? "未填" : regionName(db, code), std::to_string(n)});
    printTable({"分组", "名称", "数量"}, rows);
    return 0;
}

}  // namespace jc::cli
