#include "core/assets.h"

#include <unistd.h>

#include <cstdlib>
#include <string>

#include "core/error.h"

namespace jc {

namespace fs = std::filesystem;

fs::path assetsDir() {
    std::string looked;
    auto ok = [&](const fs::path& p) {
        looked += "\n  " + p.string();
        std::error_code ec;
        return fs::exists(p / "templates", ec);
    };
    if (const char* a = std::getenv("JIANCHA_ASSETS"); a && *a)
        if (ok(a)) return a;
    char buf[4096];
    ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (n > 0) {
        fs::path exe(std::string(buf, static_cast<size_t>(n)));
        // Installed: the client's package has share/jiancha/assets, the server's package only
        // the form templates under share/jiancha-server/assets.
        for (const char* dir : {"share/jiancha/assets", "share/jiancha-server/assets"})
            if (auto p = exe.parent_path().parent_path() / dir; ok(p)) return p;
    }
#ifdef JIANCHA_SOURCE_ASSETS
    if (ok(JIANCHA_SOURCE_ASSETS)) return JIANCHA_SOURCE_ASSETS;
#endif
    throw StorageError("Jiancha assets not found; looked in:" + looked);
}

}  // namespace jc
