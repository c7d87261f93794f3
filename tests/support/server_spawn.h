#pragma once
// Starting the real jiancha-server binary as a child process and learning its port from the
// first line it prints ("… http(s)://127.0.0.1:PORT …", in either language; the database on the
// same line may be a postgresql:// URL). Free of Catch, so the benchmarks use it too;
// tests go through ServerProcess (server_process.h), which is built on it.
#include <unistd.h>

#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

namespace jc::test {

struct SpawnedServer {
    pid_t pid = -1;    // -1: could not fork
    std::string line;  // the first line the server wrote to stdout ("" if it exited first)
};

// Runs `argv` (the server binary first) with stdout on a pipe, `env` set in the child, and
// waits for the first line.
inline SpawnedServer spawnServer(std::vector<std::string> argv,
                                 const std::vector<std::pair<std::string, std::string>>& env = {}) {
    std::vector<char*> words;
    for (auto& a : argv) words.push_back(a.data());
    words.push_back(nullptr);
    int fds[2];
    if (::pipe(fds) != 0) return {};
    SpawnedServer s;
    s.pid = ::fork();
    if (s.pid == 0) {
        ::dup2(fds[1], 1);
        ::close(fds[0]);
        ::close(fds[1]);
        for (const auto& [name, value] : env) ::setenv(name.c_str(), value.c_str(), 1);
        ::execv(words[0], words.data());
        ::_exit(127);
    }
    ::close(fds[1]);
    char ch;
    while (s.pid > 0 && ::read(fds[0], &ch, 1) == 1 && ch != '\n') s.line += ch;
    ::close(fds[0]);
    return s;
}

// The port of the http:// or https:// address in the server's first line (0 when there is
// none: it did not start); *tls tells which scheme it was.
inline int serverPort(const std::string& line, bool* tls = nullptr) {
    auto scheme = line.find("http://");
    if (scheme == std::string::npos) scheme = line.find("https://");
    if (tls) *tls = scheme != std::string::npos && line.compare(scheme, 8, "https://") == 0;
    if (scheme != std::string::npos) scheme = line.find("://", scheme);
    auto colon = scheme == std::string::npos ? std::string::npos : line.find(':', scheme + 3);
    if (colon == std::string::npos) return 0;
    return std::atoi(line.c_str() + colon + 1);
}

}  // namespace jc::test
