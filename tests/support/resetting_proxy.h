#pragma once
// Test helper: a loopback TCP proxy in front of a real server that resets every connection once
// it has carried `bytesPerConnection` bytes (both directions together) — a flaky township 4G
// line as the application sees it: transfers cut mid-request and mid-answer, without warning.
// Bytes are forwarded as they are (TCP, no HTTP parsing); the reset is an RST on both sides
// (SO_LINGER 0), so neither end gets a clean end of stream. Counts connections and resets.
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "support/free_port.h"

namespace jc::test {

class ResettingProxy {
public:
    ResettingProxy(int targetPort, int64_t bytesPerConnection) : m_target(targetPort), m_limit(bytesPerConnection) {
        m_listen = listenLoopback(0, 16);
        REQUIRE(m_listen >= 0);
        m_port = boundPort(m_listen);
        m_thread = std::thread([this] { acceptLoop(); });
    }
    ~ResettingProxy() {
        m_stop = true;
        ::shutdown(m_listen, SHUT_RDWR);
        ::close(m_listen);
        if (m_thread.joinable()) m_thread.join();
        std::lock_guard lock(m_mutex);
        for (auto& t : m_workers)
            if (t.joinable()) t.join();
    }
    ResettingProxy(const ResettingProxy&) = delete;
    ResettingProxy& operator=(const ResettingProxy&) = delete;

    std::string url() const { return "http://127.0.0.1:" + std::to_string(m_port); }
    int64_t connections() const { return m_connections.load(); }
    int64_t resets() const { return m_resets.load(); }

private:
    static void resetSocket(int fd) {
        linger l{1, 0};  // close() sends RST
        ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
        ::close(fd);
    }
    static bool sendAll(int fd, const char* p, size_t n) {
        while (n > 0) {
            ssize_t w = ::send(fd, p, n, MSG_NOSIGNAL);
            if (w <= 0) return false;
            p += w;
            n -= static_cast<size_t>(w);
        }
        return true;
    }

    void acceptLoop() {
        while (!m_stop) {
            int c = ::accept(m_listen, nullptr, nullptr);
            if (c < 0) return;
            ++m_connections;
            std::lock_guard lock(m_mutex);
            m_workers.emplace_back([this, c] { serve(c); });
        }
    }

    void serve(int client) {
        int server = connectLoopback(m_target);
        if (server < 0) {
            ::close(client);
            return;
        }
        int64_t carried = 0;
        std::vector<char> buf(64 * 1024);
        bool reset = false, open = true;
        while (open && !m_stop) {
            pollfd fds[2] = {{client, POLLIN, 0}, {server, POLLIN, 0}};
            if (::poll(fds, 2, 200) < 0) break;
            for (int i = 0; i < 2 && open; ++i) {
                if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
                int from = i == 0 ? client : server, to = i == 0 ? server : client;
                size_t room = static_cast<size_t>(std::min<int64_t>(static_cast<int64_t>(buf.size()), m_limit - carried));
                ssize_t n = ::recv(from, buf.data(), room, 0);
                if (n <= 0 || !sendAll(to, buf.data(), static_cast<size_t>(n))) {
                    open = false;
                    break;
                }
                carried += n;
                if (carried >= m_limit) reset = true, open = false;
            }
        }
        if (reset) {
            ++m_resets;
            resetSocket(client);
            resetSocket(server);
        } else {
            ::close(server);
            ::close(client);
        }
    }

    int m_target;
    int64_t m_limit;
    int m_listen = -1;
    int m_port = 0;
    std::atomic<bool> m_stop{false};
    std::atomic<int64_t> m_connections{0}, m_resets{0};
    std::thread m_thread;
    std::mutex m_mutex;
    std::vector<std::thread> m_workers;
};

}  // namespace jc::test
