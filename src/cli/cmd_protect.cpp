// `jiancha protect`, `jiancha passphrase …` and `jiancha recovery answer` (HQ): encryption at
// rest from the command line. Passphrases never come from the command line (env.h).
#include <fstream>
#include <iostream>
#include <sstream>

#include "app/paths.h"
#include "app/protection.h"
#include "app/sealing.h"
#include "cli/env.h"
#include "core/error.h"
#include "store/store.h"

namespace jc::cli {

namespace {
std::string textFrom(const Args& a, const std::string& opt, const std::string& fileOpt, const char* what) {
    if (auto v = a.opt(opt)) return *v;
    if (auto f = a.opt(fileOpt)) {
        std::ifstream in(*f, std::ios::binary);
        if (!in) throw UsageError(trf("cli.passphrase_file_unreadable", {*f}));
        std::stringstream ss;
        ss << in.rdbuf();
        std::string s = ss.str();
        while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
        return s;
    }
    throw UsageError(trf("args.missing_option", {std::string("--") + opt + " / --" + fileOpt + " (" + what + ")"}));
}
}  // namespace

int runProtect(Env& env, const std::vector<std::string>& args) {
    if (wantsHelp(args)) return printHelp("cli.help.protect", false);
    Args a(args, {"crypto"}, {});
    a.maxPositional(0);
    env.requireStore();
    StoreLock state = storeLockState(env.dataDir);
    std::string suite = a.optOr("crypto", "default");
    checkSuiteName(suite);
    std::string hqKey;
    if (state == StoreLock::Plain) {  // HQ's key, for the recovery copy, from the plain store
        Store s(storePath(env.dataDir).string());
        hqKey = hqPublicKey(s);
    }
    std::string pass = env.passphrase(state == StoreLock::Plain);
    ProtectOutcome r = protectExistingStore(env.dataDir, suite, pass, hqKey);
    if (env.json) {
        printJson({{"converted", r.converted}, {"rows", r.rows}, {"evidence_files", r.evidenceFiles},
                   {"suite", protectionSuite(env.dataDir)}, {"hq_can_recover", hqCanRecover(env.dataDir)}});
    } else {
        std::cout << trf(r.converted ? "cli.protect.done" : "cli.protect.already",
                         {std::to_string(r.rows), std::to_string(r.evidenceFiles), protectionSuite(env.dataDir)})
                  << "\n";
        if (!hqCanRecover(env.dataDir)) std::cout << tr("cli.protect.no_hq_copy") << "\n";
    }
    return 0;
}

int runPassphrase(Env& env, const std::vector<std::string>& args) {
    if (wantsHelp(args) || args.empty()) return printHelp("cli.help.passphrase", args.empty());
    std::string sub = args[0];
    Args a(std::vector<std::string>(args.begin() + 1, args.end()), {"new-passphrase-file", "answer", "answer-file"}, {});
    a.maxPositional(0);
    env.requireStore();
    if (storeLockState(env.dataDir) == StoreLock::Plain) throw ValidationError(tr("cli.passphrase.plain_store"));
    if (sub == "change") {
        std::string current = env.passphrase();
        std::string replacement = env.newPassphrase(a.optOr("new-passphrase-file", ""));
        // Signed in with the current passphrase (counted like any sign-in), the store opens as
        // the acting user, who is named in the audit entry of the change.
        if (storeLockState(env.dataDir) == StoreLock::Locked && !signIn(env.dataDir, current))
            throw LockedError(tr("app.err_current_passphrase_wrong"));
        changeStorePassphrase(env.ctx(), current, replacement);
        std::cout << tr("cli.passphrase.changed") << "\n";
        return 0;
    }
    if (sub == "recovery-request") {
        std::string req = storeRecoveryRequest(env.dataDir);
        if (env.json) printJson({{"request", req}});
        else std::cout << tr("cli.passphrase.request_help") << "\n" << req << "\n";
        return 0;
    }
    if (sub == "recover") {
        std::string answer = textFrom(a, "answer", "answer-file", "HQ's answer");
        completeStoreRecovery(env.dataDir, answer, env.newPassphrase(a.optOr("new-passphrase-file", "")), env.asUser);
        std::cout << tr("cli.passphrase.recovered") << "\n";
        return 0;
    }
    throw UsageError(trf("cli.unknown_subcommand", {"passphrase", sub}));
}

int runRecovery(Env& env, const std::vector<std::string>& args) {
    if (wantsHelp(args) || args.empty()) return printHelp("cli.help.recovery", args.empty());
    if (args[0] != "answer") throw UsageError(trf("cli.unknown_subcommand", {"recovery", args[0]}));
    Args a(std::vector<std::string>(args.begin() + 1, args.end()), {"request-file"}, {});
    a.maxPositional(1);
    std::string request = a.positional().empty() ? textFrom(a, "request", "request-file", "the device's request")
                                                 : a.positional()[0];
    std::string answer = answerRecoveryRequest(env.ctx(), request);  // audited
    if (env.json) printJson({{"answer", answer}});
    else std::cout << tr("cli.recovery.answer_help") << "\n" << answer << "\n";
    return 0;
}

}  // namespace jc::cli
