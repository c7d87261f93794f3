// `jiancha demo`: fills the store with realistic demo data (src/demo/demo_data.h).
#include <iostream>

#include "demo/demo_data.h"
#include "cli/args.h"
#include "cli/env.h"
#include "core/error.h"

namespace jc::cli {

int runDemo(Env& env, const std::vector<std::string>& args) {
    if (wantsHelp(args)) {
        std::cout << "jiancha demo [--findings N] [--complaints N] [--seed S] [--bulk N]\n"
                     "  Fills the store with a season of realistic work in Zhangye: a campaign, units and people,\n"
                     "  findings of all six categories moved through the workflow, complaints with working-day\n"
                     "  deadlines, rectifications and warnings. With an hq_admin user it also creates a team of\n"
                     "  inspectors and a lead. --bulk N adds N findings quickly (benchmarks, large-list demos).\n"
                     "  Limits: --findings and --complaints up to 100,000; --bulk up to 1,000,000.\n";
        return 0;
    }
    Args a(args, {"findings", "complaints", "seed", "bulk"}, {});
    a.maxPositional(0);
    AppContext& ctx = env.ctx();
    auto progress = [&](int64_t done, int64_t total) {
        if (!env.json && total > 0 && (done % 100 == 0 || done == total))
            std::cerr << "\rgenerating " << done << "/" << total << std::flush;
    };
    if (auto bulk = a.opt("bulk")) {
        BulkOptions o;
        o.count = a.intOpt("bulk", 0, 1, 1'000'000);
        if (auto s = a.opt("seed")) o.seed = static_cast<uint64_t>(a.intOpt("seed", 0, 0, 2'000'000'000));
        o.today = ctx.today();
        BulkSummary s = generateFindingsBulk(ctx.store, ctx.actor.name, o, progress);
        if (!env.json) std::cerr << "\n";
        if (env.json) printJson({{"inserted", s.inserted}, {"seconds", s.totalSeconds}, {"campaign_id", s.campaignId}});
        else std::cout << "added " << s.inserted << " findings in " << s.totalSeconds << " s\n";
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
        std::cout << "demo data: " << s.findings << " findings, " << s.complaints << " complaints, " << s.rectifications
                  << " rectifications, " << s.warnings << " warnings, " << s.units << " units, " << s.persons
                  << " persons, " << s.users << " users\n";
    }
    return 0;
}

}  // namespace jc::cli
