#pragma once
// A loopback link shaper for benchmarks: a TCP proxy on 127.0.0.1 that forwards to a target port
// and makes the path behave like a weak field link (a township office's 4G): a bandwidth cap per
// direction shared by all connections (bytes are serialised onto the link one after another), an
// added round-trip delay (half on each way), and optionally connection resets after a random
// amount of traffic (loss as the application sees it on a flaky mobile link). It counts the bytes
// it carries each way, so it is also a wire-byte meter for any client and server.
//
// A new connection waits one round trip before its first bytes move (the TCP handshake).
// Data is forwarded in chunks of at most 16 KiB; each chunk leaves the shaper when the link would
// have finished sending it plus the one-way delay. Up to 1 MiB per connection and direction is
// in flight (the link's buffer); beyond that the shaper stops reading, so TCP back-pressure reaches
// the sender as on a real bottleneck.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace jc::bench {

struct LinkSpec {
    double bitsPerSecond = 0;   // each direction; 0 = no cap
    double rttMs = 0;           // added round-trip delay (half each way)
    double meanBytesToReset = 0;  // > 0: each connection is reset after ~this many bytes (exponential)
    uint64_t seed = 1;
};

class LinkShaper {
public:
    // Listens on a free loopback port (or `listenPort`) and forwards to 127.0.0.1:targetPort.
    LinkShaper(int targetPort, LinkSpec spec, int listenPort = 0);
    ~LinkShaper();
    LinkShaper(const LinkShaper&) = delete;
    LinkShaper& operator=(const LinkShaper&) = delete;

    int port() const { return m_port; }
    int64_t bytesUp() const { return m_up.load(); }      // client → server
    int64_t bytesDown() const { return m_down.load(); }  // server → client
    int64_t connections() const { return m_connections.load(); }
    int64_t resets() const { return m_resets.load(); }
    void resetCounters() { m_up = 0, m_down = 0, m_connections = 0, m_resets = 0; }

private:
    struct Direction;  // one way of the link, shared by all connections
    struct Conn;
    void acceptLoop();
    void serve(int client);
    LinkSpec m_spec;
    int m_target = 0, m_port = 0, m_listen = -1;
    std::atomic<bool> m_stop{false};
    std::atomic<int64_t> m_up{0}, m_down{0}, m_connections{0}, m_resets{0};
    std::unique_ptr<Direction> m_upLink, m_downLink;
    std::mutex m_mutex;  // guards m_threads and m_fds
    std::vector<std::thread> m_threads;
    std::vector<int> m_fds;
    std::thread m_acceptor;
    std::atomic<uint64_t> m_rngState;
};

// A loopback TCP port that was free a moment ago (for servers that must be told a port).
int freeLoopbackPort();

}  // namespace jc::bench
