#pragma once
// POSIX file helpers for the code that must know its bytes reached the disk (evidence files,
// blob uploads and downloads): an owning file descriptor, a write that survives short writes and
// EINTR, a positioned read, and fsync of a directory after a rename into it.
#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>

namespace jc {

// Owns one file descriptor; closes it on destruction. open() adds O_CLOEXEC.
class FileHandle {
public:
    FileHandle() = default;
    explicit FileHandle(int fd) : m_fd(fd) {}
    ~FileHandle() { reset(); }
    FileHandle(FileHandle&& o) noexcept : m_fd(o.release()) {}
    FileHandle& operator=(FileHandle&& o) noexcept;
    FileHandle(const FileHandle&) = delete;
    FileHandle& operator=(const FileHandle&) = delete;

    // -1 in get() when it fails (errno says why).
    static FileHandle open(const std::filesystem::path& p, int flags, mode_t mode = 0);
    int get() const { return m_fd; }
    explicit operator bool() const { return m_fd >= 0; }
    int release();
    void reset(int fd = -1);  // closes the current descriptor
    // close(2) with its result (a failed close after writes can mean lost data); false sets errno.
    bool close();

private:
    int m_fd = -1;
};

// Writes all `n` bytes (retrying short writes and EINTR). False on error, errno set.
bool writeAll(int fd, const void* data, size_t n);
// Reads exactly `n` bytes at `offset` (pread). False on error or end of file.
bool readAt(int fd, void* data, size_t n, int64_t offset);
// fsyncs the file or directory at `p` (opened read-only). False on error, errno set.
bool fsyncPath(const std::filesystem::path& p);
// fsyncPath that throws StorageError ("cannot flush PATH to disk: …") for work that must not go on
// unless the bytes reached the disk (a backup, the protected copy of a store).
void fsyncPathOrThrow(const std::filesystem::path& p);
// fsyncs a directory so a file created or renamed into it survives a crash. Best effort.
void fsyncDir(const std::filesystem::path& dir);

// Overwrites the whole content of the open file `fd` with zeros in place (pwrite from offset 0 to
// its size, never truncating) and fsyncs it, so the blocks it held no longer carry the old bytes.
// On SSDs (wear levelling) and copy-on-write filesystems (btrfs, ZFS) the device may keep the old
// blocks elsewhere: this is a best effort, not a guaranteed erasure. False on error, errno set.
bool overwriteWithZeros(int fd);
// overwriteWithZeros() on the file at `p`, then unlinks it (and fsyncs its directory). When
// another name still links the same inode (st_nlink > 1) only this name is removed, content
// untouched. Missing file: true. Best effort: false when any step failed.
bool wipeAndRemove(const std::filesystem::path& p);

}  // namespace jc
