// jiancha — the field client. With no command it opens the window (when built with the GUI);
// subcommands serve headless use and scripting. Exit codes: 0 ok, 1 storage or other failure,
// 2 usage, 3 invalid input or not allowed, 4 not found.
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <map>

#include "app/paths.h"
#include "cli/env.h"
#include "core/error.h"
#include "store/store.h"

#ifdef HAVE_JIANCHA_UI
#include "ui/run_gui.h"
#endif

namespace jc::cli {

namespace {
const char* kUsage = R"(jiancha — 监察 field inspection client

Usage: jiancha [--data-dir DIR] [--as USER] [--json] COMMAND [ARGS]

Data directory: --data-dir, else $JIANCHA_DATA_DIR, else $XDG_DATA_HOME/jiancha.
The acting user is the one given to `init`, or --as USER.

Commands:
  gui                      open the window (the default with no command)
  init                     create the local store: --user NAME --role inspector|lead|hq_admin
  demo                     fill the store with realistic demo data (--findings N)
  status                   counts by entity and status, pending changes, schema version
  finding ...              add | edit | list | show | submit | accept | return | dismiss | verify | close | delete
  complaint ...            add | list | show | assign | handover | investigate | reply | close | reveal
  rectification ...        order | list | report | verify | reject | sweep
  warning ...              issue | list | ack
  conflict ...             list | show | resolve   (two people edited one field; a lead decides)
  campaign | unit | person | user ...   add | list
  search QUERY             Chinese full-text search over findings and complaints
  calendar ...             due DATE N | between DATE DATE | light DEADLINE [TODAY] | years | publish FILE
  esupervision ...         import | list | rates | propose | warn   (电子监察: approval records and deadlines)
  kpi                      complaint response / completion / on-time rates, findings by area, category, county
  evaluation ...           scheme add | scheme edit | score | run | publish | list | show   (效能评估)
  monitor ...              flags of focus monitoring; rules | rule set | focus list | add | lift   (重点监控)
  audit verify             check the hash chain of the audit log
  enroll                   enrol this device with HQ: --server URL --code CODE
  sync                     push local changes, pull the server's, move evidence files

Every command takes --help. Read commands take --json.
)";

int exitCodeFor(ErrorCode c) {
    switch (c) {
        case ErrorCode::Usage: return 2;
        case ErrorCode::Invalid:
        case ErrorCode::Forbidden:
        case ErrorCode::Conflict: return 3;
        case ErrorCode::NotFound: return 4;
        default: return 1;
    }
}

int runGui(Env& env, const std::vector<std::string>& args) {
#ifdef HAVE_JIANCHA_UI
    return jc::runGui(env.dataDir.string(), env.asUser, args);
#else
    (void)args;
    (void)env;
    std::cerr << "jiancha: this build has no GUI; use the subcommands (jiancha --help)\n";
    return 2;
#endif
}
}  // namespace

int main(int argc, char** argv) {
    Env env;
    std::string dataDirOpt;
    std::vector<std::string> words;
    try {
        for (int i = 1; i < argc; ++i) {
            std::string a = argv[i];
            auto takeValue = [&](const char* name) {
                if (a.find('=') != std::string::npos) return a.substr(a.find('=') + 1);
                if (i + 1 >= argc) throw UsageError(std::string("option ") + name + " needs a value");
                return std::string(argv[++i]);
            };
            if (a == "--data-dir" || a.rfind("--data-dir=", 0) == 0) dataDirOpt = takeValue("--data-dir");
            else if (a == "--as" || a.rfind("--as=", 0) == 0) env.asUser = takeValue("--as");
            else if (a == "--json") env.json = true;
            else words.push_back(a);
        }
        if (words.empty() || words[0] == "gui") {
            env.dataDir = resolveDataDir(dataDirOpt);
            return runGui(env, words.empty() ? words : std::vector<std::string>(words.begin() + 1, words.end()));
        }
        if (words[0] == "--help" || words[0] == "-h" || words[0] == "help") {
            std::cout << kUsage;
            return 0;
        }
        if (words[0] == "--version") {
            std::cout << "jiancha 0.1.0 (schema " << Store::latestSchemaVersion() << ")\n";
            return 0;
        }
        static const std::map<std::string, Command> commands = {
            {"init", runInit},         {"demo", runDemo},
            {"status", runStatus},     {"search", runSearch},
            {"calendar", runCalendar}, {"finding", runFinding},
            {"complaint", runComplaint}, {"rectification", runRectification},
            {"warning", runWarning},   {"campaign", runCampaign},
            {"unit", runUnit},         {"person", runPerson},
            {"user", runUser},         {"audit", runAudit},
            {"kpi", runKpi},           {"enroll", runEnroll},
            {"sync", runSync},         {"conflict", runConflict},
            {"evaluation", runEvaluationCmd}, {"monitor", runMonitor},
            {"esupervision", runEsupervision},
        };
        auto it = commands.find(words[0]);
        if (it == commands.end()) throw UsageError("unknown command '" + words[0] + "' (see jiancha --help)");
        env.dataDir = resolveDataDir(dataDirOpt);
        return it->second(env, std::vector<std::string>(words.begin() + 1, words.end()));
    } catch (const Error& e) {
        std::cerr << "jiancha: " << e.what() << "\n";
        return exitCodeFor(e.code());
    } catch (const nlohmann::json::exception& e) {
        std::cerr << "jiancha: invalid JSON: " << e.what() << "\n";
        return 3;
    } catch (const std::exception& e) {
        std::cerr << "jiancha: " << e.what() << "\n";
        return 1;
    }
}

}  // namespace jc::cli

int main(int argc, char** argv) { return jc::cli::main(argc, argv); }
