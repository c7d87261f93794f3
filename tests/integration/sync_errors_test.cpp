// The kinds of sync failure (sync/client/sync_errors.h): classified from the server's error
// body and libcurl's result, with stable codes; and enrolment codes as people type them.
#include <catch2/catch.hpp>
#include <curl/curl.h>

#include "sync/client/sync_errors.h"

using namespace jc::sync;

TEST_CASE("enrolment codes typed loosely become HQ's form", "[sync][enrol]") {
    CHECK(normalizeEnrollCode("ABCD-EFGH-JKMN") == "ABCD-EFGH-JKMN");
    CHECK(normalizeEnrollCode("abcd efgh jkmn") == "ABCD-EFGH-JKMN");
    CHECK(normalizeEnrollCode(" abcdefghjkmn ") == "ABCD-EFGH-JKMN");
    CHECK(normalizeEnrollCode("ＡＢＣＤ－ｅｆｇｈ　ＪＫＭＮ") == "ABCD-EFGH-JKMN");  // full-width, ideographic space
    CHECK(normalizeEnrollCode("ab—cd") == "ABCD");                                // an em dash from an IME
    CHECK(normalizeEnrollCode("") == "");
    CHECK(normalizeEnrollCode("　 - ") == "");
}

TEST_CASE("failures are classified by code, never by words", "[sync]") {
    CHECK(classifyHttpFailure(0, "", CURLE_COULDNT_CONNECT, "Couldn't connect to server") == SyncErrorKind::Unreachable);
    CHECK(classifyHttpFailure(0, "", CURLE_OPERATION_TIMEDOUT, "Timeout") == SyncErrorKind::Unreachable);
    CHECK(classifyHttpFailure(0, "", CURLE_PEER_FAILED_VERIFICATION, "SSL peer certificate") == SyncErrorKind::CertificateUntrusted);
    CHECK(classifyHttpFailure(0, "", CURLE_ABORTED_BY_CALLBACK, "cancelled") == SyncErrorKind::Cancelled);
    CHECK(classifyHttpFailure(401, R"({"error":"invalid_code","reason":"expired"})", 0, "") == SyncErrorKind::CodeExpired);
    CHECK(classifyHttpFailure(401, R"({"error":"invalid_code","reason":"used"})", 0, "") == SyncErrorKind::CodeInvalid);
    CHECK(classifyHttpFailure(401, R"({"error":"device_revoked"})", 0, "") == SyncErrorKind::DeviceRevoked);
    CHECK(classifyHttpFailure(426, R"({"error":"client_too_old"})", 0, "") == SyncErrorKind::ClientTooOld);
    CHECK(classifyHttpFailure(500, "not json", 0, "") == SyncErrorKind::ServerError);
    for (auto k : {SyncErrorKind::Unreachable, SyncErrorKind::CodeExpired, SyncErrorKind::CertificateUntrusted})
        CHECK(errorKindFromCode(errorKindCode(k)) == k);
    CHECK(std::string(errorKindCode(SyncErrorKind::CertificateUntrusted)) == "certificate_untrusted");
}
