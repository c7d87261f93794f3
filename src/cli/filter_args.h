#pragma once
// The list filter on the command line, shared by `stats`, `export` and `report`: the same
// options build the same FindingFilter the GUI lists and statistics use, so a number printed by
// `jiancha stats` is the row count of `jiancha export` under the same options.
//
//   --campaign ID|TITLE  --from DATE --to DATE  --basis recorded|accepted  --status S
//   --category C  --area A  --region CODE  --severity S  --misconduct M  --unit ID|NAME
//   --team ID|NAME  --assignee NAME  --search TEXT  --overdue
#include <set>
#include <string>

#include "app/queries.h"
#include "core/args.h"
#include "store/store.h"

namespace jc::cli {

const std::set<std::string>& filterValueOptions();
const std::set<std::string>& filterFlags();
// Merges `extra` into the filter's option names (for Args).
std::set<std::string> withFilterOptions(std::set<std::string> extra);
std::set<std::string> withFilterFlags(std::set<std::string> extra);
// Throws ValidationError / NotFoundError naming the option on bad input.
// With `findingStatus` false, --status is left to the caller (complaints and rectifications
// have statuses of their own).
FindingFilter filterFromArgs(const Args& a, Store& store, bool findingStatus = true);
const char* filterHelp();  // the filters' help text in the current language

}  // namespace jc::cli
