#include "core/error_text.h"

#include <algorithm>
#include <cctype>

#include "core/i18n.h"

namespace jc {

namespace {
bool contains(const std::string& haystack, const char* needle) { return haystack.find(needle) != std::string::npos; }
}  // namespace

StorageProblem classifyStorageError(const std::string& detail) {
    std::string s = detail;
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (contains(s, "disk is full") || contains(s, "no space left") || contains(s, "disk quota")) return StorageProblem::DiskFull;
    if (contains(s, "database is locked") || contains(s, "database table is locked"))
        return StorageProblem::Locked;
    if (contains(s, "malformed") || contains(s, "not a database") || contains(s, "corrupt") ||
        contains(s, "failed its integrity check"))
        return StorageProblem::Corrupt;
    if (contains(s, "readonly") || contains(s, "read-only") || contains(s, "permission denied") ||
        contains(s, "unable to open database"))
        return StorageProblem::ReadOnly;
    return StorageProblem::Other;
}

std::string describeError(const Error& e) {
    loadStringTables();
    std::string detail = e.what();
    switch (e.code()) {
        case ErrorCode::Usage: return detail;  // usage messages already say what to do
        case ErrorCode::Invalid: return trf("error.invalid", {detail});
        case ErrorCode::Forbidden: return trf("error.forbidden", {detail});
        case ErrorCode::NotFound: return trf("error.not_found", {detail});
        case ErrorCode::Locked: return trf("error.signin", {detail});
        case ErrorCode::Storage: break;
    }
    switch (classifyStorageError(detail)) {
        case StorageProblem::DiskFull: return trf("error.disk_full", {detail});
        case StorageProblem::Locked: return trf("error.locked", {detail});
        case StorageProblem::Corrupt: return trf("error.corrupt", {detail});
        case StorageProblem::ReadOnly: return trf("error.read_only", {detail});
        case StorageProblem::Other: break;
    }
    return trf("error.storage", {detail});
}

}  // namespace jc
