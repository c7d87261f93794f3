#include "app/paths.h"

#include <unistd.h>

#include <cstdlib>

#include "core/error.h"

namespace jc {

namespace fs = std::filesystem;

fs::path resolveDataDir(const std::string& explicitDir) {
    if (!explicitDir.empty()) return fs::path(explicitDir);
    if (const char* d = std::getenv("JIANCHA_DATA_DIR"); d && *d) return fs::path(d);
    if (const char* x = std::getenv("XDG_DATA_HOME"); x && *x) return fs::path(x) / "jiancha";
    if (const char* h = std::getenv("HOME"); h && *h) return fs::path(h) / ".local/share/jiancha";
    throw UsageError("cannot find a data directory: set --data-dir, JIANCHA_DATA_DIR or HOME");
}

fs::path storePath(const fs::path& dataDir) { return dataDir / "jiancha.db"; }
fs::path blobDir(const fs::path& dataDir) { return dataDir / "blobs"; }

fs::path assetsDir() {
    std::string looked;
    auto ok = [&](const fs::path& p) {
        looked += "\n  " + p.string();
        std::error_code ec;
        return fs::exists(p / "regions", ec);
    };
    if (const char* a = std::getenv("JIANCHA_ASSETS"); a && *a)
        if (ok(a)) return a;
    char buf[4096];
    ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (n > 0) {
        fs::path exe(std::string(buf, static_cast<size_t>(n)));
        if (auto p = exe.parent_path().parent_path() / "share/jiancha/assets"; ok(p)) return p;
    }
#ifdef JIANCHA_SOURCE_ASSETS
    if (ok(JIANCHA_SOURCE_ASSETS)) return JIANCHA_SOURCE_ASSETS;
#endif
    throw StorageError("Jiancha assets not found; looked in:" + looked);
}

}  // namespace jc
