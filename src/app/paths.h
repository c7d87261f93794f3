#pragma once
// Where Jiancha keeps its data and finds its assets.
//   data dir: --data-dir, else $JIANCHA_DATA_DIR, else $XDG_DATA_HOME/jiancha, else ~/.local/share/jiancha
//   assets:   $JIANCHA_ASSETS, else <exe>/../share/jiancha/assets (installed), else the source tree's assets/
#include <filesystem>
#include <string>

#include "core/assets.h"

namespace jc {

std::filesystem::path resolveDataDir(const std::string& explicitDir);
std::filesystem::path storePath(const std::filesystem::path& dataDir);  // <dir>/jiancha.db
std::filesystem::path blobDir(const std::filesystem::path& dataDir);    // <dir>/blobs

}  // namespace jc
