// jiancha-server — the headquarters sync server and its admin CLI (see sync/server/cli.h).
#include <string>
#include <vector>

#include "sync/server/cli.h"

int main(int argc, char** argv) {
    std::vector<std::string> args(argv, argv + argc);
    return jc::server::runServerCli(args);
}
