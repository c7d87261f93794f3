#include "base/file_io.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

#include "core/error.h"

namespace jc {

FileHandle& FileHandle::operator=(FileHandle&& o) noexcept {
    if (this != &o) reset(o.release());
    return *this;
}

FileHandle FileHandle::open(const std::filesystem::path& p, int flags, mode_t mode) {
    return FileHandle(::open(p.c_str(), flags | O_CLOEXEC, mode));
}

int FileHandle::release() {
    int fd = m_fd;
    m_fd = -1;
    return fd;
}

void FileHandle::reset(int fd) {
    if (m_fd >= 0) ::close(m_fd);
    m_fd = fd;
}

bool FileHandle::close() {
    int fd = release();
    return fd < 0 || ::close(fd) == 0;
}

bool writeAll(int fd, const void* data, size_t n) {
    auto p = static_cast<const char*>(data);
    while (n > 0) {
        ssize_t w = ::write(fd, p, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return false;
        p += w;
        n -= static_cast<size_t>(w);
    }
    return true;
}

bool readAt(int fd, void* data, size_t n, int64_t offset) {
    auto p = static_cast<char*>(data);
    while (n > 0) {
        ssize_t got = ::pread(fd, p, n, offset);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) return false;
        p += got;
        n -= static_cast<size_t>(got);
        offset += got;
    }
    return true;
}

bool fsyncPath(const std::filesystem::path& p) {
    FileHandle f = FileHandle::open(p, O_RDONLY);
    return f && ::fsync(f.get()) == 0;
}

void fsyncPathOrThrow(const std::filesystem::path& p) {
    if (!fsyncPath(p)) throw StorageError("cannot flush " + p.string() + " to disk: " + std::strerror(errno));
}

void fsyncDir(const std::filesystem::path& dir) { fsyncPath(dir); }

bool overwriteWithZeros(int fd) {
    struct stat st {};
    if (::fstat(fd, &st) != 0) return false;
    static const std::vector<char> zeros(1 << 20, 0);
    for (off_t off = 0; off < st.st_size;) {
        size_t n = static_cast<size_t>(std::min<off_t>(static_cast<off_t>(zeros.size()), st.st_size - off));
        ssize_t w = ::pwrite(fd, zeros.data(), n, off);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return false;
        off += w;
    }
    return ::fsync(fd) == 0;
}

bool wipeAndRemove(const std::filesystem::path& p) {
    struct stat st {};
    if (::lstat(p.c_str(), &st) != 0) return errno == ENOENT;
    bool ok = true;
    if (S_ISREG(st.st_mode) && st.st_nlink <= 1) {
        FileHandle f = FileHandle::open(p, O_WRONLY);
        ok = f && overwriteWithZeros(f.get());
    }
    if (::unlink(p.c_str()) != 0 && errno != ENOENT) ok = false;
    fsyncDir(p.parent_path().empty() ? std::filesystem::path(".") : p.parent_path());
    return ok;
}

}  // namespace jc
