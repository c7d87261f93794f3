#pragma once
// Test helper: runs a real program (the jiancha or jiancha-server binary) through the shell,
// capturing exit code, stdout and stderr; or starts one in the background (spawnQuiet).
#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <vector>

#include "support/temp_dir.h"

namespace jc::test {

struct ProcessResult {
    int code = -1;
    std::string out, err;
};

inline std::string shellQuote(const std::string& s) {
    std::string q = "'";
    for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
}

inline std::string slurp(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// Runs `program args…` with an optional environment prefix (e.g. "JIANCHA_TODAY=2026-10-01").
inline ProcessResult runProcess(const std::string& program, const std::vector<std::string>& args,
                                const std::string& envPrefix = {}) {
    TempDir io;
    std::string cmd = envPrefix.empty() ? "" : envPrefix + " ";
    cmd += shellQuote(program);
    for (const auto& a : args) {
        cmd += ' ';
        cmd += shellQuote(a);
    }
    cmd += " </dev/null >";
    cmd += shellQuote((io.path / "out").string());
    cmd += " 2>";
    cmd += shellQuote((io.path / "err").string());
    int status = std::system(cmd.c_str());
    ProcessResult r;
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = slurp(io.path / "out");
    r.err = slurp(io.path / "err");
    return r;
}

// Starts `program args…` as a child with its output discarded and returns its pid (-1 when it
// could not fork), for a test that kills it midway or waits for it itself.
inline pid_t spawnQuiet(const std::string& program, const std::vector<std::string>& args) {
    std::vector<std::string> words = {program};
    words.insert(words.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& w : words) argv.push_back(w.data());
    argv.push_back(nullptr);
    pid_t pid = ::fork();
    if (pid == 0) {
        int null = ::open("/dev/null", O_WRONLY);
        ::dup2(null, 1);
        ::dup2(null, 2);
        ::execv(program.c_str(), argv.data());
        ::_exit(127);
    }
    return pid;
}

}  // namespace jc::test
