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
#include "core/error_text.h"
#include "core/i18n.h"
#include "store/store.h"

#ifdef HAVE_JIANCHA_UI
#include "ui/run_gui.h"
#endif

namespace jc::cli {

namespace {
int exitCodeFor(ErrorCode c) {
    switch (c) {
        case ErrorCode::Usage: return 2;
        case ErrorCode::Invalid:
        case ErrorCode::Forbidden:
        case ErrorCode::Locked: return 3;
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
    std::cerr << "jiancha: " << tr("cli.no_gui") << "\n";
    return 2;
#endif
}
}  // namespace

int main(int argc, char** argv) {
    Env env;
    std::string dataDirOpt;
    std::vector<std::string> words;
    std::string langOpt;
    try {
        // The language first, so even a usage error reads in it: --lang, else LC_ALL / LC_MESSAGES / LANG.
        for (int i = 1; i < argc; ++i) {
            std::string a = argv[i];
            if (a == "--lang" && i + 1 < argc) langOpt = argv[i + 1];
            else if (a.rfind("--lang=", 0) == 0) langOpt = a.substr(7);
        }
        i18n().setLanguage(langOpt.empty() ? languageFromEnvironment() : parseLanguage(langOpt));
        loadStringTables();
        for (int i = 1; i < argc; ++i) {
            std::string a = argv[i];
            auto takeValue = [&](const char* name) {
                if (a.find('=') != std::string::npos) return a.substr(a.find('=') + 1);
                if (i + 1 >= argc) throw UsageError(trf("args.needs_value", {name}));
                return std::string(argv[++i]);
            };
            if (a == "--data-dir" || a.rfind("--data-dir=", 0) == 0) dataDirOpt = takeValue("--data-dir");
            else if (a == "--as" || a.rfind("--as=", 0) == 0) env.asUser = takeValue("--as");
            else if (a == "--passphrase-file" || a.rfind("--passphrase-file=", 0) == 0)
                env.passphraseFile = takeValue("--passphrase-file");
            else if (a == "--lang" || a.rfind("--lang=", 0) == 0) {
                langOpt = takeValue("--lang");
                if (langOpt.rfind("zh", 0) != 0 && langOpt.rfind("en", 0) != 0) throw UsageError(trf("cli.bad_lang", {langOpt}));
            } else if (a == "--json") env.json = true;
            else words.push_back(a);
        }
        if (words.empty() || words[0] == "gui") {
            env.dataDir = resolveDataDir(dataDirOpt);
            return runGui(env, words.empty() ? words : std::vector<std::string>(words.begin() + 1, words.end()));
        }
        if (words[0] == "--help" || words[0] == "-h" || words[0] == "help") {
            std::cout << tr("cli.help.main");
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
            {"esupervision", runEsupervision},
            {"stats", runStats},       {"export", runExport},
            {"report", runReport},
            {"evaluation", runEvaluationCmd}, {"monitor", runMonitor},
            {"protect", runProtect},   {"passphrase", runPassphrase},
            {"recovery", runRecovery},
        };
        auto it = commands.find(words[0]);
        if (it == commands.end()) throw UsageError(trf("cli.unknown_command", {words[0]}));
        env.dataDir = resolveDataDir(dataDirOpt);
        return it->second(env, std::vector<std::string>(words.begin() + 1, words.end()));
    } catch (const Error& e) {
        std::cerr << "jiancha: " << describeError(e) << "\n";
        return exitCodeFor(e.code());
    } catch (const nlohmann::json::exception& e) {
        std::cerr << "jiancha: " << describeError(ValidationError(trf("cli.bad_json", {e.what()}))) << "\n";
        return 3;
    } catch (const std::exception& e) {
        std::cerr << "jiancha: " << describeError(StorageError(e.what())) << "\n";
        return 1;
    }
}

}  // namespace jc::cli

int main(int argc, char** argv) { return jc::cli::main(argc, argv); }
