// Device authentication (sync/server/auth.h) against a real server database, without HTTP:
// enrolment codes work once and only for their user, tokens are stored only as hashes, and a
// revoked device or a disabled user is refused with the right code.
#include <catch2/catch.hpp>

#include <cctype>
#include <chrono>
#include <functional>
#include <string>
#include <thread>

#include "base/sha256.h"
#include "support/server_db.h"
#include "sync/server/admin.h"
#include "sync/server/api_error.h"
#include "sync/server/auth.h"
#include "sync/server/sqlite_storage.h"

using namespace jc;
using namespace jc::server;

namespace {

struct World : test::ServerDb {
    std::unique_ptr<Admin> admin;
    World() : ServerDb({{"张伟", Role::Inspector}}) { admin = std::make_unique<Admin>(*storage); }
    Principal auth(const std::string& header) {
        auto tx = storage->read();
        return authenticate(*tx, header);
    }
};

std::string apiCode(const std::function<void()>& f) {
    try {
        f();
    } catch (const ApiError& e) {
        return std::to_string(e.status()) + " " + e.code();
    }
    return "ok";
}

}  // namespace

TEST_CASE("auth: codes and tokens have their shapes, secrets are stored as SHA-256", "[auth]") {
    std::string code = newEnrollCode();
    CHECK(code.size() == 14);
    CHECK(code[4] == '-');
    CHECK(normalizeEnrollCode(" abcd-efgh jklm ") == "ABCDEFGHJKLM");
    std::string token = newToken();
    CHECK(isSha256Hex(token));  // 32 random bytes as 64 hex digits
    CHECK(newToken() != token);
    CHECK(hashSecret("secret") == sha256Hex("secret"));
}

TEST_CASE("auth: a code enrols one device once, its token authenticates that user", "[auth]") {
    World w;
    std::string code = w.admin->enrollCode("张伟");
    proto::EnrollResponse r = enrollDevice(*w.storage, {code, "笔记本", ""});
    CHECK(r.user.name == "张伟");
    CHECK_FALSE(r.deviceId.empty());

    Principal p = w.auth("Bearer " + r.token);
    CHECK(p.account.name == "张伟");
    CHECK(p.device.id == r.deviceId);
    CHECK(p.role == Role::Inspector);

    // The same code again, a code typed in lower case with spaces, an unknown code.
    CHECK(apiCode([&] { enrollDevice(*w.storage, {code, "second", ""}); }) == "401 invalid_code");
    std::string code2 = w.admin->enrollCode("张伟");
    std::string typed = code2;
    for (char& c : typed) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    CHECK(apiCode([&] { enrollDevice(*w.storage, {typed, "typed", ""}); }) == "ok");
    CHECK(apiCode([&] { enrollDevice(*w.storage, {"AAAA-BBBB-CCCC", "x", ""}); }) == "401 invalid_code");
    // An expired code.
    std::string old = w.admin->enrollCode("张伟", 1.0 / 3'600'000);  // valid for one millisecond
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    CHECK(apiCode([&] { enrollDevice(*w.storage, {old, "late", ""}); }) == "401 invalid_code");
}

TEST_CASE("auth: bad headers, unknown tokens and revoked devices get 401", "[auth]") {
    World w;
    proto::EnrollResponse r = enrollDevice(*w.storage, {w.admin->enrollCode("张伟"), "笔记本", ""});
    CHECK(apiCode([&] { w.auth(""); }) == "401 unauthorized");
    CHECK(apiCode([&] { w.auth("Basic abc"); }) == "401 unauthorized");
    CHECK(apiCode([&] { w.auth("Bearer "); }) == "401 unauthorized");
    CHECK(apiCode([&] { w.auth("Bearer " + newToken()); }) == "401 unauthorized");
    CHECK(apiCode([&] { w.auth("Bearer " + r.token); }) == "ok");
    w.admin->revokeDevice(r.deviceId);
    CHECK(apiCode([&] { w.auth("Bearer " + r.token); }) == "401 device_revoked");
}
