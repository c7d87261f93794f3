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
    Conflict = 11,   // concurrent modification detected
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
struct StorageError : Error {
    explicit StorageError(const std::string& m) : Error(ErrorCode::Storage, m) {}
};

}  // namespace jc
