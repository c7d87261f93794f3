#include "sync/client/sync_errors.h"

#include <curl/curl.h>

#include <cctype>

#include "core/entities.h"
#include "core/utf8.h"
#include "sync/protocol/protocol.h"

namespace jc::sync {

namespace {
struct KindName {
    SyncErrorKind kind;
    const char* code;
};
constexpr KindName kKinds[] = {
    {SyncErrorKind::None, "none"},
    {SyncErrorKind::NotEnrolled, "not_enrolled"},
    {SyncErrorKind::BadServerAddress, "bad_server_address"},
    {SyncErrorKind::Unreachable, "unreachable"},
    {SyncErrorKind::CertificateUntrusted, "certificate_untrusted"},
    {SyncErrorKind::CodeMissing, "code_missing"},
    {SyncErrorKind::CodeInvalid, "code_invalid"},
    {SyncErrorKind::CodeExpired, "code_expired"},
    {SyncErrorKind::OtherUser, "other_user"},
    {SyncErrorKind::DeviceRevoked, "device_revoked"},
    {SyncErrorKind::Unauthorized, "unauthorized"},
    {SyncErrorKind::ClientTooOld, "client_too_old"},
    {SyncErrorKind::ClientTooNew, "client_too_new"},
    {SyncErrorKind::TooManyAttempts, "too_many_attempts"},
    {SyncErrorKind::BlobQuota, "blob_quota"},
    {SyncErrorKind::ServerError, "server_error"},
    {SyncErrorKind::BadAnswer, "bad_answer"},
    {SyncErrorKind::Cancelled, "cancelled"},
    {SyncErrorKind::Local, "local"},
};
}  // namespace

const char* errorKindCode(SyncErrorKind k) {
    for (const auto& n : kKinds)
        if (n.kind == k) return n.code;
    return "local";
}

SyncErrorKind errorKindFromCode(std::string_view code) {
    for (const auto& n : kKinds)
        if (code == n.code) return n.kind;
    return SyncErrorKind::Local;
}

SyncErrorKind classifyHttpFailure(long status, const std::string& body, int curlCode, const std::string& transportError) {
    if (status == 0) {
        if (transportError == "cancelled") return SyncErrorKind::Cancelled;
        switch (curlCode) {
            case CURLE_PEER_FAILED_VERIFICATION:
#if defined(CURLE_SSL_CACERT) && CURLE_SSL_CACERT != CURLE_PEER_FAILED_VERIFICATION
            case CURLE_SSL_CACERT:
#endif
            case CURLE_SSL_CACERT_BADFILE:
            case CURLE_SSL_ISSUER_ERROR:
                return SyncErrorKind::CertificateUntrusted;
            case CURLE_URL_MALFORMAT:
            case CURLE_UNSUPPORTED_PROTOCOL:
                return SyncErrorKind::BadServerAddress;
            default:
                return SyncErrorKind::Unreachable;
        }
    }
    Json j = Json::parse(body, nullptr, false);
    std::string code = j.is_object() ? j.value("error", std::string()) : std::string();
    if (code == proto::err::kInvalidCode)
        return j.value("reason", std::string()) == "expired" ? SyncErrorKind::CodeExpired : SyncErrorKind::CodeInvalid;
    if (code == proto::err::kDeviceRevoked) return SyncErrorKind::DeviceRevoked;
    if (code == proto::err::kUnauthorized) return SyncErrorKind::Unauthorized;
    if (code == proto::err::kClientTooOld) return SyncErrorKind::ClientTooOld;
    if (code == proto::err::kClientTooNew) return SyncErrorKind::ClientTooNew;
    if (code == proto::err::kTooManyAttempts) return SyncErrorKind::TooManyAttempts;
    if (code == proto::err::kBlobQuota) return SyncErrorKind::BlobQuota;
    return SyncErrorKind::ServerError;
}

std::string normalizeEnrollCode(std::string_view typed) {
    std::string plain;
    for (size_t i = 0; i < typed.size();) {
        char32_t cp = decodeUtf8(typed, i);
        // Full-width forms U+FF01..U+FF5E are their ASCII characters + 0xFEE0.
        if (cp >= 0xFF01 && cp <= 0xFF5E) cp -= 0xFEE0;
        // Letters and digits count; anything else (ideographic space, dashes, punctuation) is dropped.
        if (cp < 0x80 && std::isalnum(static_cast<unsigned char>(cp))) plain += static_cast<char>(std::toupper(static_cast<int>(cp)));
    }
    std::string out;
    for (size_t i = 0; i < plain.size(); ++i) {
        if (i && i % 4 == 0) out += '-';
        out += plain[i];
    }
    return out;
}

}  // namespace jc::sync
