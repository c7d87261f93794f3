// `jiancha demo`: fills the store with realistic demo data (src/demo/demo_data.h).
#include <cstdio>
#include <iostream>

#include "core/args.h"
#include "demo/demo_data.h"
#include "cli/env.h"
#include "core/error.h"

namespace jc::cli {

namespace {
std::string seconds(double s) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", s);
    return buf;
}
}  // namespace

int runDemo(Env& env, const std::vector<std::string>& args) {
    if (wantsHelp(args)) return printHelp("cli.help.demo", false);
    Args a(args, {"findings", "complaints", "seed", "bulk"}, {});
    a.maxPositional(0);
    AppContext& ctx = env.ctx();
    auto progress = [&](int64_t done, int64_t total) {
        if (!env.json && total > 0 && (done % 100 == 0 || done == total))
            std::cerr << "\r" << trf("cli.demo.progress", {std::to_string(done), std::to_string(total)}) << std::flush;
    };
    if (auto bulk = a.opt("bulk")) {
        BulkOptions o;
        o.count = a.intOpt("bulk", 0, 1, 1'000'000);
        if (auto s = a.opt("seed")) o.seed = static_cast<uint64_t>(a.intOpt("seed", 0, 0, 2'000'000'000));
        o.today = ctx.today();
        BulkSummary s = generateFindingsBulk(ctx.store, ctx.actor.name, o, progress);
        if (!env.json) std::cerr << "\n";
        if (env.json) printJson({{"inserted", s.inserted}, {"seconds", s.totalSeconds}, {"campaign_id", s.campaignId}});
        else std::cout << trf("cli.demo.bulk_done", {std::to_string(s.inserted), seconds(s.totalSeconds)}) << "\n";
        return 0;
    }
    DemoOptions o;
    o.findings = a.intOpt("findings", 200, 0, 100'000);
    o.complaints = a.intOpt("complaints", std::max(10, o.findings * 2 / 5), 0, 100'000);
    if (a.opt("seed")) o.seed = static_cast<uint64_t>(a.intOpt("seed", 0, 0, 2'000'000'000));
    DemoSummary s = generateDemoData(ctx, o, progress);
    if (!env.json) std::cerr << "\n";
    if (env.json) {
        printJson({{"campaign_id", s.campaignId}, {"users", s.users}, {"units", s.units}, {"persons", s.persons},
                   {"findings", s.findings}, {"complaints", s.complaints}, {"rectifications", s.rectifications},
                   {"warnings", s.warnings}, {"findings_by_status", s.findingsByStatus},
                   {"complaints_by_status", s.complaintsByStatus}});
    } else {
        std::cout << trf("cli.demo.done", {std::to_string(s.findings), std::to_string(s.complaints),
                                           std::to_string(s.rectifications), std::to_string(s.warnings),
                                           std::to_string(s.units), std::to_string(s.persons), std::to_string(s.users)})
                  << "\n";
    }
    return 0;
}

}  // namespace jc::cli
