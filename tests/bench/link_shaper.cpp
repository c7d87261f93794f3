#include "tests/bench/link_shaper.h"

#include "tests/support/free_port.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmath>
#include <condition_variable>
#include <deque>
#include <stdexcept>
#include <string>

namespace jc::bench {

using Clock = std::chrono::steady_clock;

// One way of the link: the time at which it is free to start sending the next byte.
struct LinkShaper::Direction {
    std::mutex mutex;
    Clock::time_point freeAt = Clock::now();
    // When the chunk of `bytes` handed over now has fully crossed the link, plus the one-way delay.
    Clock::time_point schedule(size_t bytes, const LinkSpec& spec) {
        std::lock_guard lock(mutex);
        auto now = Clock::now();
        if (freeAt < now) freeAt = now;
        if (spec.bitsPerSecond > 0)
            freeAt += std::chrono::duration_cast<Clock::duration>(
                std::chrono::duration<double>(static_cast<double>(bytes) * 8 / spec.bitsPerSecond));
        return freeAt + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double, std::milli>(spec.rttMs / 2));
    }
};

namespace {
int listenOn(int port) {
    int fd = test::listenLoopback(port);
    if (fd < 0) throw std::runtime_error("link shaper: cannot listen on 127.0.0.1:" + std::to_string(port));
    return fd;
}
using test::boundPort;
void hardClose(int fd) {  // RST rather than FIN: what a dropped mobile connection looks like
    linger l{1, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
    ::shutdown(fd, SHUT_RDWR);
}
}  // namespace

int freeLoopbackPort() {
    int fd = listenOn(0);
    int p = boundPort(fd);
    ::close(fd);
    return p;
}

// One proxied connection: two pumps (reader → queue → writer) per direction.
struct LinkShaper::Conn {
    struct Chunk {
        Clock::time_point due;
        std::string data;  // empty = end of stream
    };
    struct Pipe {
        std::mutex mutex;
        std::condition_variable cv;
        std::deque<Chunk> queue;
        size_t queued = 0;
        bool dead = false;
    };
    int client = -1, server = -1;
    Pipe up, down;
    std::atomic<int64_t> budget{0};  // bytes left before a reset; < 0 = never
    std::atomic<bool> reset{false};
};

LinkShaper::LinkShaper(int targetPort, LinkSpec spec, int listenPort)
    : m_spec(spec), m_target(targetPort), m_upLink(new Direction), m_downLink(new Direction), m_rngState(spec.seed) {
    m_listen = listenOn(listenPort);
    m_port = boundPort(m_listen);
    m_acceptor = std::thread([this] { acceptLoop(); });
}

LinkShaper::~LinkShaper() {
    m_stop = true;
    ::shutdown(m_listen, SHUT_RDWR);
    m_acceptor.join();
    ::close(m_listen);
    {
        std::lock_guard lock(m_mutex);
        for (int fd : m_fds) ::shutdown(fd, SHUT_RDWR);
    }
    for (auto& t : m_threads) t.join();
}

void LinkShaper::acceptLoop() {
    while (!m_stop) {
        pollfd p{m_listen, POLLIN, 0};
        if (::poll(&p, 1, 100) <= 0) continue;
        int c = ::accept4(m_listen, nullptr, nullptr, SOCK_CLOEXEC);
        if (c < 0) continue;
        std::lock_guard lock(m_mutex);
        m_threads.emplace_back([this, c] { serve(c); });
    }
}

void LinkShaper::serve(int client) {
    ++m_connections;
    int server = test::connectLoopback(m_target);
    if (server < 0) {
        ::close(client);
        return;
    }
    int one = 1;
    ::setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    ::setsockopt(server, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    {
        std::lock_guard lock(m_mutex);
        m_fds.push_back(client);
        m_fds.push_back(server);
    }
    // A new connection costs a round trip before data flows (the TCP handshake on a real link):
    // what the client sent meanwhile waits in the socket.
    if (m_spec.rttMs > 0) std::this_thread::sleep_for(std::chrono::duration<double, std::milli>(m_spec.rttMs));
    Conn conn;
    conn.client = client;
    conn.server = server;
    if (m_spec.meanBytesToReset > 0) {
        // xorshift, then an exponential draw: resets come at random, about every mean bytes.
        uint64_t x = m_rngState.fetch_add(0x9E3779B97F4A7C15ULL);
        x ^= x >> 33, x *= 0xff51afd7ed558ccdULL, x ^= x >> 33;
        double u = (static_cast<double>(x >> 11) + 0.5) / 9007199254740992.0;
        conn.budget = static_cast<int64_t>(-std::log(u) * m_spec.meanBytesToReset);
    } else {
        conn.budget = -1;
    }
    constexpr size_t kChunk = 16 * 1024, kInFlight = 1 << 20;
    auto killBoth = [&] {
        if (!conn.reset.exchange(true)) {
            ++m_resets;
            hardClose(client);
            hardClose(server);
        }
        for (Conn::Pipe* p : {&conn.up, &conn.down}) {
            std::lock_guard lock(p->mutex);
            p->dead = true;
            p->cv.notify_all();
        }
    };
    auto reader = [&](int from, Conn::Pipe& pipe, Direction& link, std::atomic<int64_t>& counter) {
        std::string buf(kChunk, '\0');
        for (;;) {
            {
                std::unique_lock lock(pipe.mutex);
                pipe.cv.wait(lock, [&] { return pipe.dead || pipe.queued < kInFlight; });
                if (pipe.dead) return;
            }
            ssize_t n = ::recv(from, buf.data(), buf.size(), 0);
            if (n <= 0) {
                std::lock_guard lock(pipe.mutex);
                pipe.queue.push_back({link.schedule(0, m_spec), std::string()});
                pipe.cv.notify_all();
                return;
            }
            counter += n;
            if (conn.budget >= 0 && (conn.budget -= n) < 0) {
                killBoth();
                return;
            }
            auto due = link.schedule(static_cast<size_t>(n), m_spec);
            std::lock_guard lock(pipe.mutex);
            pipe.queue.push_back({due, std::string(buf.data(), static_cast<size_t>(n))});
            pipe.queued += static_cast<size_t>(n);
            pipe.cv.notify_all();
        }
    };
    auto writer = [&](int to, Conn::Pipe& pipe) {
        for (;;) {
            Conn::Chunk c;
            {
                std::unique_lock lock(pipe.mutex);
                pipe.cv.wait(lock, [&] { return pipe.dead || !pipe.queue.empty(); });
                if (pipe.dead) return;
                c = std::move(pipe.queue.front());
                pipe.queue.pop_front();
                pipe.queued -= c.data.size();
                pipe.cv.notify_all();
            }
            std::this_thread::sleep_until(c.due);
            if (c.data.empty()) {
                ::shutdown(to, SHUT_WR);
                return;
            }
            size_t off = 0;
            while (off < c.data.size()) {
                ssize_t w = ::send(to, c.data.data() + off, c.data.size() - off, MSG_NOSIGNAL);
                if (w <= 0) {
                    killBoth();
                    return;
                }
                off += static_cast<size_t>(w);
            }
        }
    };
    std::thread upReader(reader, client, std::ref(conn.up), std::ref(*m_upLink), std::ref(m_up));
    std::thread downReader(reader, server, std::ref(conn.down), std::ref(*m_downLink), std::ref(m_down));
    std::thread upWriter(writer, server, std::ref(conn.up));
    writer(client, conn.down);
    upWriter.join();
    // Both writers are done (ends of stream passed on, or a reset): the readers end on EOF/error.
    ::shutdown(client, SHUT_RDWR);
    ::shutdown(server, SHUT_RDWR);
    upReader.join();
    downReader.join();
    {
        std::lock_guard lock(m_mutex);
        std::erase(m_fds, client);
        std::erase(m_fds, server);
    }
    ::close(client);
    ::close(server);
}

}  // namespace jc::bench
