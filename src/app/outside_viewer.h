#pragma once
// Opening evidence in the desktop's own program (xdg-open). A protected store keeps evidence
// encrypted at rest, so an outside program can only be given a plaintext copy; this keeps that
// copy as short-lived and private as the desktop allows:
//   - it lives under $XDG_RUNTIME_DIR (the user's own RAM-backed folder) in jiancha-open/, a
//     0700 folder, one sub-folder per running client; the copy itself is 0600. When
//     $XDG_RUNTIME_DIR is unset, not private (0700, ours) or not in memory (tmpfs/ramfs), no copy
//     is made and the caller gets a ValidationError saying why — never a silent copy on disk;
//   - it is deleted once the viewer is done with it: the program we started has exited and no
//     process of this user holds the file open any more (checked every second, with a short grace
//     so a viewer that the desktop starts a moment later still finds it; at most kUnusedLimit
//     seconds when nobody ever opens it);
//   - all copies go when the store locks (removeCopies) and when the client exits (destructor);
//   - copies left behind by a client that crashed are swept by the next one (constructor).
// A plain store's evidence is not copied: the viewer gets a link to the file itself.
#include <sys/types.h>

#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace jc {

// The folder copies go to ($XDG_RUNTIME_DIR/jiancha-open, created 0700). Throws ValidationError
// (translated, with the reason) when it cannot be made private and RAM-backed.
std::filesystem::path viewerCopyRoot();
// Removes the copies of clients that are no longer running. Returns how many folders went.
int sweepViewerCopies();
// Whether any process of this user has `file` open (reads /proc/<pid>/fd).
bool fileOpenByAnyProcess(const std::filesystem::path& file);

class OutsideViewer {
public:
    OutsideViewer();   // sweeps leftovers of earlier runs
    ~OutsideViewer();  // removes this client's copies
    OutsideViewer(const OutsideViewer&) = delete;
    OutsideViewer& operator=(const OutsideViewer&) = delete;

    // Opens evidence `blobFile` (named `fileName` so the right program is chosen) with
    // `program` (default xdg-open). `encrypted`: a temporary plaintext copy is handed over
    // (watched and deleted as above); else a link to the file. Returns the path given to the
    // program. Throws ValidationError / StorageError with a message for the user.
    std::filesystem::path open(const std::filesystem::path& blobFile, const std::string& fileName, bool encrypted,
                               const std::string& program = "xdg-open");
    // Deletes every copy of this client now (the store locked). Viewers that read the file keep
    // what they read; the file itself is gone.
    void removeCopies();
    // Copies of this client still on disk.
    std::vector<std::filesystem::path> copies() const;

    static constexpr double kGraceSeconds = 2.0;   // closed this long (and the program gone): deleted
    static constexpr double kUnusedLimit = 30.0;   // never opened by anyone this long after the program ended

private:
    struct Copy {
        std::filesystem::path path;
        pid_t pid = 0;  // the program we started, 0 once it ended
        double endedAt = 0, lastOpenAt = 0;
        bool seenOpen = false;
    };
    void watch();
    std::filesystem::path instanceDir();
    mutable std::mutex m_mutex;
    std::condition_variable m_cv;
    std::vector<Copy> m_copies;
    std::filesystem::path m_dir;  // this client's folder ("" until the first copy)
    bool m_stop = false;
    std::thread m_thread;
};

}  // namespace jc
