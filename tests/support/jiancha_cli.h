#pragma once
// The real `jiancha` binary on one data directory — one device — for CLI and sync tests: run a
// command, require success, read --json output. Optionally as another user of the store
// (--as), with a pinned "today" (JIANCHA_TODAY) or under a wrong clock (faketime). The language is pinned too, whatever the
// test machine's locale: Chinese through LANG=zh_CN.UTF-8 (the default), or English the way an
// operator on a C locale asks for it, LANG=C.UTF-8 with --lang en.
#include <catch2/catch.hpp>
#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "core/entities.h"
#include "support/run_process.h"

namespace jc::test {

struct JianchaCli {
    TempDir dir;
    std::string name;   // whose device this is (shown when a command fails)
    std::string today;  // JIANCHA_TODAY for every command ("" = the real date)
    bool english = false;
    std::string clock;  // a command prefix for every run, e.g. "faketime -f +365d" ("" = the real clock)
    // Stores made by `init` / `enroll` are unprotected (--no-passphrase) unless a test sets a
    // passphrase here: then they are encrypted and every command gets it via JIANCHA_PASSPHRASE.
    std::string passphrase;

    ProcessResult run(std::vector<std::string> args, const std::string& as = {}) const {
        std::vector<std::string> full = {"--data-dir", dir.path.string()};
        if (english) full.insert(full.end(), {"--lang", "en"});
        if (!as.empty()) full.insert(full.end(), {"--as", as});
        full.insert(full.end(), args.begin(), args.end());
        auto command = std::find_if(args.begin(), args.end(), [](const std::string& w) { return w.rfind("--", 0) != 0; });
        if (passphrase.empty() && command != args.end() && (*command == "init" || *command == "enroll") &&
            std::find(args.begin(), args.end(), "--help") == args.end())
            full.push_back("--no-passphrase");
        std::string env = english ? "LC_ALL= LC_MESSAGES= LANG=C.UTF-8" : "LC_ALL= LC_MESSAGES= LANG=zh_CN.UTF-8";
        // The fast argon2id limits keep suites that create many stores quick (key_file.h).
        if (!passphrase.empty()) env += " JIANCHA_KDF=fast JIANCHA_PASSPHRASE='" + passphrase + "'";
        if (!today.empty()) env += " JIANCHA_TODAY=" + today;
        if (!clock.empty()) env += " " + clock;
        return runProcess(JIANCHA_BIN, full, env);
    }
    // Runs a command that must succeed and returns its stdout, trimmed.
    std::string ok(std::vector<std::string> args, const std::string& as = {}) const {
        ProcessResult r = run(args, as);
        INFO(name << ": jiancha " << args[0] << " → " << r.code << "\n" << r.err);
        REQUIRE(r.code == 0);
        std::string s = r.out;
        while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
        return s;
    }
    Json json(std::vector<std::string> args, const std::string& as = {}) const {
        args.insert(args.begin(), "--json");
        return Json::parse(ok(args, as));
    }
    Json sync() const { return json({"sync"}); }
    std::filesystem::path storePath() const { return dir.path / "jiancha.db"; }
};

}  // namespace jc::test
