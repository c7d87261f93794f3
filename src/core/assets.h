#pragma once
// Where the client and the server find their assets (regions, calendar, form templates, i18n):
//   $JIANCHA_ASSETS, else <exe>/../share/jiancha/assets (the client package) or
//   <exe>/../share/jiancha-server/assets (the server package: form templates and the calendar), else the
//   source tree's assets/.
#include <filesystem>

namespace jc {

std::filesystem::path assetsDir();  // throws StorageError naming the places it looked

}  // namespace jc
