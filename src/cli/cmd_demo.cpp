// `jiancha demo`: fills the store with realistic demo data (src/app/demo_data.h).
#include <iostream>

#include "cli/args.h"
#include "cli/env.h"
#include "core/error.h"

namespace jc::cli {

int runDemo(Env& env, const std::vector<std::string>& args) {
    if (wantsHelp(args)) {
        std::cout << "jiancha demo [--findings N]\n";
        return 0;
    }
    throw UsageError("demo data generator not built yet");
}

}  // namespace jc::cli
