#pragma once
// What kind of failure a sync round or an enrolment ended with, as a machine-readable code the
// window and the CLI translate into the user's language (the English text in SyncReport::error
// and EnrollOutcome::error stays as the detail). Classified once, here, from the HTTP status,
// the server's error body ({"error": code, "reason": …}) and libcurl's result — never by
// matching words of a message.
#include <string>
#include <string_view>

namespace jc::sync {

enum class SyncErrorKind {
    None,
    NotEnrolled,           // no server settings in the store
    BadServerAddress,      // not an http:// or https:// URL
    Unreachable,           // no answer: refused, timed out, name not found
    CertificateUntrusted,  // TLS: the server's certificate is not trusted (give HQ's certificate file)
    CodeMissing,           // enrolment without a code
    CodeInvalid,           // enrolment code unknown or already used
    CodeExpired,           // enrolment code past its time
    OtherUser,             // the store belongs to another user than the code enrols
    DeviceRevoked,         // HQ revoked this device
    Unauthorized,          // the token is not accepted
    ClientTooOld,
    ClientTooNew,
    TooManyAttempts,       // enrolment refused for a while after too many wrong codes (429)
    BlobQuota,             // this device's evidence upload limit for today is used up (429)
    ServerError,           // any other non-2xx answer
    BadAnswer,             // a 2xx answer that is not what the protocol says
    Cancelled,             // the client is closing
    Local,                 // a local failure (disk, store)
};

// Stable codes for JSON output and string tables: "unreachable", "certificate_untrusted" …
const char* errorKindCode(SyncErrorKind k);
SyncErrorKind errorKindFromCode(std::string_view code);

// A failed HTTP exchange: `curlCode` is libcurl's CURLcode (0 when an answer arrived).
SyncErrorKind classifyHttpFailure(long status, const std::string& body, int curlCode, const std::string& transportError);

// An enrolment code as people type it — with spaces, dashes, lower case, full-width letters and
// digits (ＡＢＣＤ－１２３４), ideographic spaces — in the form HQ printed: "ABCD-EFGH-JKMN"
// (groups of four). Characters other than letters and digits are dropped.
std::string normalizeEnrollCode(std::string_view typed);

}  // namespace jc::sync
