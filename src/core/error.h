#pragma once
// Typed errors shared by every layer. The CLI maps ErrorCode to its exit status
// (2 usage, 3 invalid or not allowed, 4 not found); the UI shows what() to the user.
#include <stdexcept>
#include <string>

namespace jc {

enum class ErrorCode {
    Usage = 2,       // the caller used the command or API wrongly
    Invalid = 3,     // input failed validation, or an illegal workflow transition
    Forbidden = 5,   // the acting user's role or scope does not allow it (CLI exit 3)
    NotFound = 4,    // the named record does not exist
    Storage = 10,    // SQLite or file-system failure
    Locked = 11,     // a protected store not signed in, or a wrong passphrase (CLI exit 3)
};

class Error : public std::runtime_error {
public:
    Error(ErrorCode code, const std::string& message) : std::runtime_error(message), m_code(code) {}
    ErrorCode code() const { return m_code; }

private:
    ErrorCode m_code;
};

struct UsageError : Error {
    explicit UsageError(const std::string& m) : Error(ErrorCode::Usage, m) {}
};
struct ValidationError : Error {
    explicit ValidationError(const std::string& m) : Error(ErrorCode::Invalid, m) {}
};
struct ForbiddenError : Error {
    explicit ForbiddenError(const std::string& m) : Error(ErrorCode::Forbidden, m) {}
};
struct NotFoundError : Error {
    explicit NotFoundError(const std::string& m) : Error(ErrorCode::NotFound, m) {}
};
// A protected store whose key is not unlocked in this process (sign in first). CLI exit 3.
struct LockedError : Error {
    explicit LockedError(const std::string& m) : Error(ErrorCode::Locked, m) {}
};
struct StorageError : Error {
    // `sqliteCode`: SQLite's extended result code when SQLite failed (e.g. 1555 for
    // SQLITE_CONSTRAINT_PRIMARYKEY), 0 for file-system and other failures.
    explicit StorageError(const std::string& m, int sqliteCode = 0) : Error(ErrorCode::Storage, m), m_sqliteCode(sqliteCode) {}
    int sqliteCode() const { return m_sqliteCode; }

private:
    int m_sqliteCode;
};

}  // namespace jc
