#pragma once
// A fresh directory under the system temp dir, removed with everything in it when the test
// ends. The tag only makes leftovers recognisable when a test is killed.
#include <filesystem>
#include <fstream>
#include <string>
#include <system_error>

#include "core/uuid.h"

namespace jc::test {

struct TempDir {
    std::filesystem::path path;
    TempDir() : TempDir("test") {}
    explicit TempDir(const std::string& tag) {
        path = std::filesystem::temp_directory_path() / ("jc_" + tag + "_" + newUuidV7());
        std::filesystem::create_directories(path);
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
    // Writes a file into the directory (fixtures) and returns its path.
    std::filesystem::path write(const std::string& name, const std::string& bytes) const {
        std::filesystem::path p = path / name;
        std::ofstream(p, std::ios::binary) << bytes;
        return p;
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
};

}  // namespace jc::test
