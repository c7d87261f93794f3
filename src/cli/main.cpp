// jiancha — the field client. With no command it opens the window (when built with the GUI);
// subcommands serve headless use and scripting. Exit codes: 0 ok, 1 storage or other failure,
// 2 usage, 3 invalid input or not allowed, 4 not found.
#include <cstdlib>
#include <iostream>
#include <map>

#include "app/paths.h"
#include "base/core_dumps.h"
#include "cli/env.h"
#include "core/args.h"
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
    refuseCoreDumps();  // before any passphrase, key or record is in memory
    Env env;
    std::vector<std::string> words(argv + (argc > 0 ? 1 : 0), argv + (argc > 0 ? argc : 0));
    try {
        // The language first, so even a usage error reads in it: --lang, else LC_ALL / LC_MESSAGES / LANG.
        // (A --lang without its value is reported by the full parse below, in that language.)
        std::string langOpt;
        try {
            std::vector<std::string> scratch = words;
            langOpt = Args::extract(scratch, {"lang"}, {}).optOr("lang", "");
        } catch (const UsageError&) {
        }
        i18n().setLanguage(langOpt.empty() ? languageFromEnvironment() : parseLanguage(langOpt));
        loadStringTables();
        // The global options, before or after the subcommand; the rest is the subcommand's.
        const Args global = Args::extract(words, {"data-dir", "as", "passphrase-file", "lang"}, {"json"});
        for (const auto& lang : global.all("lang"))
            if (lang.rfind("zh", 0) != 0 && lang.rfind("en", 0) != 0) throw UsageError(trf("cli.bad_lang", {lang}));
        const std::string dataDirOpt = global.optOr("data-dir", "");
        env.asUser = global.optOr("as", "");
        env.passphraseFile = global.optOr("passphrase-file", "");
        env.json = global.flag("json");
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
