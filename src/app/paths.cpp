#include "app/paths.h"

#include <cstdlib>

#include "core/i18n.h"
#include "core/error.h"

namespace jc {

namespace fs = std::filesystem;

fs::path resolveDataDir(const std::string& explicitDir) {
    if (!explicitDir.empty()) return fs::path(explicitDir);
    if (const char* d = std::getenv("JIANCHA_DATA_DIR"); d && *d) return fs::path(d);
    if (const char* x = std::getenv("XDG_DATA_HOME"); x && *x) return fs::path(x) / "jiancha";
    if (const char* h = std::getenv("HOME"); h && *h) return fs::path(h) / ".local/share/jiancha";
    throw UsageError(tr("paths.err_no_dir"));
}

fs::path storePath(const fs::path& dataDir) { return dataDir / "jiancha.db"; }
fs::path blobDir(const fs::path& dataDir) { return dataDir / "blobs"; }

}  // namespace jc
