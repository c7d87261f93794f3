#pragma once
// Test helper: a loopback HTTP proxy in front of a real server that can lose answers. Every
// request is forwarded as it is; for the next `dropCount` requests whose path starts with
// `dropPath`, the server's answer is read (so the server did its work) and kept in
// droppedAnswers(), and the client's connection is closed without a byte of it — a reply lost
// on the way back, as on a flaky township line. Plain HTTP/1.1 with Content-Length bodies (what
// cpp-httplib and libcurl speak here); keep-alive connections are served request by request.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "support/free_port.h"

namespace jc::test {

class DroppingProxy {
public:
    explicit DroppingProxy(int targetPort) : m_target(targetPort) {
        m_listen = listenLoopback(0, 16);
        REQUIRE(m_listen >= 0);
        m_port = boundPort(m_listen);
        m_thread = std::thread([this] { acceptLoop(); });
    }
    ~DroppingProxy() {
        m_stop = true;
        ::shutdown(m_listen, SHUT_RDWR);
        ::close(m_listen);
        if (m_thread.joinable()) m_thread.join();
        std::lock_guard lock(m_mutex);
        for (auto& t : m_workers)
            if (t.joinable()) t.join();
    }
    DroppingProxy(const DroppingProxy&) = delete;
    DroppingProxy& operator=(const DroppingProxy&) = delete;

    std::string url() const { return "http://127.0.0.1:" + std::to_string(m_port); }
    void dropAnswers(const std::string& pathPrefix, int count) {
        std::lock_guard lock(m_mutex);
        m_dropPath = pathPrefix;
        m_dropCount = count;
    }
    std::vector<std::string> droppedAnswers() {
        std::lock_guard lock(m_mutex);
        return m_dropped;
    }

private:
    // One HTTP message (head + Content-Length body) from `fd`, after what `buf` already holds.
    static bool readMessage(int fd, std::string& buf, std::string& message) {
        size_t headEnd;
        while ((headEnd = buf.find("\r\n\r\n")) == std::string::npos)
            if (!readMore(fd, buf)) return false;
        size_t bodyLen = 0;
        std::string head = buf.substr(0, headEnd);
        std::string lower = head;
        for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (auto p = lower.find("\r\ncontent-length:"); p != std::string::npos)
            bodyLen = std::stoul(head.substr(p + 17));
        while (buf.size() < headEnd + 4 + bodyLen)
            if (!readMore(fd, buf)) return false;
        message = buf.substr(0, headEnd + 4 + bodyLen);
        buf.erase(0, message.size());
        return true;
    }
    static bool readMore(int fd, std::string& buf) {
        char tmp[16384];
        ssize_t n = ::recv(fd, tmp, sizeof tmp, 0);
        if (n <= 0) return false;
        buf.append(tmp, static_cast<size_t>(n));
        return true;
    }
    static bool writeAll(int fd, const std::string& s) {
        size_t off = 0;
        while (off < s.size()) {
            ssize_t n = ::send(fd, s.data() + off, s.size() - off, MSG_NOSIGNAL);
            if (n <= 0) return false;
            off += static_cast<size_t>(n);
        }
        return true;
    }

    void acceptLoop() {
        while (!m_stop) {
            int c = ::accept(m_listen, nullptr, nullptr);
            if (c < 0) return;
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
        std::string fromClient, fromServer, request, answer;
        while (readMessage(client, fromClient, request)) {
            if (!writeAll(server, request) || !readMessage(server, fromServer, answer)) break;
            bool drop = false;
            {
                std::lock_guard lock(m_mutex);
                std::string path = request.substr(request.find(' ') + 1);
                if (m_dropCount > 0 && path.rfind(m_dropPath, 0) == 0) {
                    --m_dropCount;
                    m_dropped.push_back(answer.substr(answer.find("\r\n\r\n") + 4));
                    drop = true;
                }
            }
            if (drop || !writeAll(client, answer)) break;
        }
        ::close(server);
        ::close(client);
    }

    int m_target;
    int m_listen = -1;
    int m_port = 0;
    std::atomic<bool> m_stop{false};
    std::thread m_thread;
    std::mutex m_mutex;
    std::vector<std::thread> m_workers;
    std::string m_dropPath;
    int m_dropCount = 0;
    std::vector<std::string> m_dropped;
};

}  // namespace jc::test
