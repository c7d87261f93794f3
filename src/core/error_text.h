#pragma once
// What went wrong, for a person: the error's kind as a sentence in the current language
// (core/i18n.h), what to do next, and the technical detail after it. Storage failures are
// recognised by SQLite's and the OS's texts (disk full, database locked, corrupt file,
// read-only or no permission) so "database or disk is full" reads as 磁盘空间不足：….
// Used by the command line and the server's admin commands; the exit codes stay with ErrorCode.
#include <exception>
#include <string>

#include "core/error.h"

namespace jc {

enum class StorageProblem { DiskFull, Locked, Corrupt, ReadOnly, Other };
StorageProblem classifyStorageError(const std::string& detail);

// One or two lines, no trailing newline.
std::string describeError(const Error& e);

}  // namespace jc
