#pragma once
// Loopback TCP for tests and benchmarks. freePort: a port that was free a moment ago, for
// servers whose port is given on their command line (HAProxy, --admin-listen, the benchmark's
// servers); another process may take it before the server binds it, so tests that cannot afford
// that let the OS pick (port 0) instead. listenLoopback / boundPort / connectLoopback: the
// sockets of the tests' own proxies and stand-in servers.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <stdexcept>

namespace jc::test {

inline sockaddr_in loopbackAddress(int port) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(static_cast<uint16_t>(port));
    return a;
}

// The port a bound socket got.
inline int boundPort(int fd) {
    sockaddr_in a{};
    socklen_t len = sizeof a;
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0) return -1;
    return ntohs(a.sin_port);
}

// A socket listening on 127.0.0.1:`port` (0: the OS picks one, see boundPort), or -1.
inline int listenLoopback(int port = 0, int backlog = 128) {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in a = loopbackAddress(port);
    if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(fd, backlog) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

// A connection to 127.0.0.1:`port`, or -1 when nothing accepts there.
inline int connectLoopback(int port) {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    sockaddr_in a = loopbackAddress(port);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

inline int freePort() {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) throw std::runtime_error("no socket for a free port");
    sockaddr_in a = loopbackAddress(0);
    bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    int port = ok ? boundPort(fd) : -1;
    ::close(fd);
    if (port <= 0) throw std::runtime_error("no free loopback port");
    return port;
}

}  // namespace jc::test
