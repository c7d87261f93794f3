#pragma once
// The demo store of the screenshots, the end-to-end test and the UI benchmark: a season of work
// generated through the workflow commands (users, units, complaints with yellow and red cards,
// rectifications, warnings, findings in every status) plus bulk findings up to `total`
// (100,000 for the list screenshot and the benchmark). Built once into a directory and reused
// while its marker file says it has the same content.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "app/context.h"
#include "demo/demo_data.h"
#include "app/setup.h"
#include "store/store.h"

namespace jc::test {

inline constexpr const char* kDemoToday = "2026-05-20";  // deadlines of the cards are counted from this day

inline bool ensureDemoStore(const std::filesystem::path& dir, int64_t total, bool verbose = true) {
    namespace fs = std::filesystem;
    std::string marker = "jiancha demo v1 findings=" + std::to_string(total) + " today=" + kDemoToday;
    fs::path markerFile = dir / "demo.marker";
    {
        std::ifstream in(markerFile);
        std::string line;
        if (in && std::getline(in, line) && line == marker && fs::exists(dir / "jiancha.db")) return false;
    }
    std::error_code ec;
    fs::remove_all(dir, ec);
    fs::create_directories(dir);
    auto t0 = std::chrono::steady_clock::now();
    {
        Store store((dir / "jiancha.db").string());
        initStore(store, InitOptions{"总部管理员", Role::HqAdmin, "", ""});
        AppContext hq{store, loadActor(store, "总部管理员"), calendarFromStore(store), Date::parse(kDemoToday)};
        DemoOptions opt;
        opt.findings = 400;
        opt.complaints = 120;
        opt.today = Date::parse(kDemoToday);
        DemoSummary sum = generateDemoData(hq, opt);
        int64_t bulk = total - sum.findings;
        if (bulk > 0) {
            BulkOptions b;
            b.count = bulk;
            b.campaignId = sum.campaignId;
            b.today = Date::parse(kDemoToday);
            generateFindingsBulk(store, "张伟", b, [&](int64_t done, int64_t all) {
                if (verbose && done % 20000 == 0) std::fprintf(stderr, "demo store: %lld / %lld bulk findings\n", (long long)done, (long long)all);
            });
        }
        store.setMeta("current_user", "陈静");
    }
    std::ofstream(markerFile) << marker << "\n";
    if (verbose)
        std::fprintf(stderr, "demo store with %lld findings built in %.1f s\n", static_cast<long long>(total),
                     std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    return true;
}

}  // namespace jc::test
