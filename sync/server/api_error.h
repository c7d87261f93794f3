#pragma once
// ApiError: an HTTP-level refusal raised anywhere in the server's request handling and turned
// into {"error": code, "message": text, ...extra} with its status by the route wrapper
// (http_routes.cpp). Domain errors from core (ValidationError, ForbiddenError …) are mapped there too.
#include <stdexcept>
#include <string>

#include "core/entities.h"

namespace jc::server {

class ApiError : public std::runtime_error {
public:
    ApiError(int status, std::string code, const std::string& message, Json extra = Json::object())
        : std::runtime_error(message), m_status(status), m_code(std::move(code)), m_extra(std::move(extra)) {}
    int status() const { return m_status; }
    const std::string& code() const { return m_code; }
    const Json& extra() const { return m_extra; }

private:
    int m_status;
    std::string m_code;
    Json m_extra;
};

}  // namespace jc::server
