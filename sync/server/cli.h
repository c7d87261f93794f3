#pragma once
// The jiancha-server command line: init, serve, and HQ's admin subcommands working directly on
// the database file. Exit codes: 0 ok, 1 storage or system failure, 2 bad usage or bad input.
#include <string>
#include <vector>

namespace jc::server {

int runServerCli(const std::vector<std::string>& args);

}  // namespace jc::server
