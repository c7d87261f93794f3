#pragma once
// Test helper: the real jiancha-server binary as a child process on a loopback port (the OS picks
// one with port 0; the server prints its http(s)://HOST:PORT first). A test can kill it and
// start it again, on the same port, to play an HQ outage.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "support/server_spawn.h"

namespace jc::test {

struct ServerProcess {
    pid_t pid = -1;
    int port = 0;

    ServerProcess() = default;
    // `extraArgs` go to `serve` as they are (e.g. --tls-cert F --tls-key F). `fakeClock`, when
    // given, runs the server under faketime from that moment on ("@2026-12-21 10:00:00"), for
    // tests whose devices live on the same pretended date (their `clock` prefix).
    explicit ServerProcess(const std::string& db, const std::string& blobDir = {},
                           const std::vector<std::string>& extraArgs = {}, const std::string& fakeClock = {}) {
        m_fakeClock = fakeClock;
        REQUIRE(start(db, blobDir, 0, extraArgs));
    }
    ServerProcess(const ServerProcess&) = delete;
    ServerProcess& operator=(const ServerProcess&) = delete;

    // Starts the server on `listenPort` (0: the OS picks one). False when it could not listen
    // there (the port is taken): the server exits before saying it listens.
    bool start(const std::string& db, const std::string& blobDir, int listenPort,
               const std::vector<std::string>& extraArgs = {}) {
        REQUIRE(pid < 0);
        std::vector<std::string> args = {JIANCHA_SERVER_BIN, "serve", "--db", db, "--listen",
                                         "127.0.0.1:" + std::to_string(listenPort), "--quiet"};
        if (!blobDir.empty()) args.insert(args.end(), {"--blob-dir", blobDir});
        args.insert(args.end(), extraArgs.begin(), extraArgs.end());

        std::vector<std::pair<std::string, std::string>> env;
        if (!m_fakeClock.empty()) {
            // libfaketime preloaded into the server itself (not the faketime wrapper, which
            // would stay the parent: killing it would orphan the server).
            env = {{"LD_PRELOAD", "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1"}, {"FAKETIME", m_fakeClock}};
        }
        SpawnedServer s = spawnServer(args, env);
        pid = s.pid;
        REQUIRE(pid >= 0);
        INFO("server said: " << s.line);
        port = serverPort(s.line, &tls);
        if (port <= 0) {
            kill9();
            return false;
        }
        return true;
    }
    bool tls = false;  // the server said https://
    std::string m_fakeClock;  // faketime's start moment for the server ("" = the real clock)
    std::string url() const { return (tls ? "https://127.0.0.1:" : "http://127.0.0.1:") + std::to_string(port); }
    bool running() const { return pid > 0; }
    void kill9() {
        if (pid > 0) {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, nullptr, 0);
            pid = -1;
        }
    }
    // SIGTERM: the server finishes in-flight requests and must exit 0.
    void stop() {
        if (pid > 0) {
            ::kill(pid, SIGTERM);
            int status = 0;
            ::waitpid(pid, &status, 0);
            CHECK(WIFEXITED(status));
            CHECK(WEXITSTATUS(status) == 0);
            pid = -1;
        }
    }
    ~ServerProcess() { kill9(); }
};

}  // namespace jc::test
