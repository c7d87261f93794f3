#include "sync/server/auth.h"

#include "sync/server/server_audit.h"

#include <sodium.h>

#include <cctype>
#include <optional>

#include "core/dates.h"
#include "core/error.h"
#include "core/uuid.h"
#include "base/sha256.h"
#include "sync/server/api_error.h"

namespace jc::server {

namespace {

void ensureSodium() {
    static const int ok = sodium_init();
    if (ok < 0) throw StorageError("libsodium could not be initialised");
}

// The answer to a used code when it is the same device asking again because the first answer
// was lost: the same proposed device id, the code still valid, the device neither revoked nor
// ever seen (its first token was never used: the routes mark a token's first use). The device gets a new token; the first
// one stops working. nullopt otherwise.
std::optional<proto::EnrollResponse> reenrol(StorageTx& tx, const EnrollCode& code, const proto::EnrollRequest& req) {
    if (req.deviceId.empty() || req.deviceId != code.deviceId || nowMillis() > code.expiresAtMs) return std::nullopt;
    auto dev = tx.device(code.deviceId);
    if (!dev || !dev->revokedAt.empty() || dev->lastSeenAt != dev->createdAt || dev->userId != code.userId)
        return std::nullopt;
    auto acct = tx.accountById(code.userId);
    if (!acct || acct->deleted) return std::nullopt;
    std::string token = newToken();
    tx.setDeviceToken(dev->id, hashSecret(token));
    return proto::EnrollResponse{dev->id, token, userInfoOf(*acct), tx.setting("hq_public_key").value_or("")};
}

}  // namespace

Viewer Principal::viewer() const {
    return Viewer{role == Role::HqAdmin, account.teamId, account.userId};
}

proto::UserInfo userInfoOf(const Account& a) {
    return proto::UserInfo{a.userId, a.name, a.role, a.teamId, a.regionScope};
}

proto::UserInfo Principal::userInfo() const {
    return userInfoOf(account);
}

std::string newToken() {
    ensureSodium();
    unsigned char buf[32];
    randombytes_buf(buf, sizeof buf);
    return toHex(buf, sizeof buf);
}

std::string newEnrollCode() {
    ensureSodium();
    static const char alphabet[] = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";  // no 0/O, 1/I/L
    const uint32_t n = sizeof alphabet - 1;
    std::string code;
    for (int i = 0; i < 12; ++i) {
        if (i && i % 4 == 0) code += '-';
        code += alphabet[randombytes_uniform(n)];
    }
    return code;
}

std::string normalizeEnrollCode(std::string_view code) {
    std::string out;
    for (char c : code) {
        if (c == '-' || c == ' ') continue;
        out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    return out;
}

std::string hashSecret(std::string_view secret) { return sha256Hex(secret); }

Principal authenticate(StorageTx& tx, std::string_view header) {
    constexpr std::string_view prefix = "Bearer ";
    if (header.empty())
        throw ApiError(401, proto::err::kUnauthorized,
                       "missing Authorization header; enrol this device and send 'Authorization: Bearer <token>'");
    if (header.substr(0, prefix.size()) != prefix)
        throw ApiError(401, proto::err::kUnauthorized, "the Authorization header must be 'Bearer <token>'");
    std::string_view token = header.substr(prefix.size());
    if (token.empty() || token.size() > 200)
        throw ApiError(401, proto::err::kUnauthorized, "the bearer token is empty or too long");
    auto dev = tx.deviceByTokenHash(hashSecret(token));
    if (!dev) throw ApiError(401, proto::err::kUnauthorized, "unknown token; enrol this device again with a new code");
    if (!dev->revokedAt.empty())
        throw ApiError(401, proto::err::kDeviceRevoked,
                       "this device was revoked by headquarters on " + dev->revokedAt + "; it can no longer sync");
    auto acct = tx.accountById(dev->userId);
    if (!acct || acct->deleted)
        throw ApiError(401, proto::err::kUnauthorized, "the user of this device no longer exists or was disabled");
    Principal p;
    p.account = std::move(*acct);
    p.device = std::move(*dev);
    try {
        p.role = parseRole(p.account.role);
    } catch (const Error&) {
        throw ApiError(401, proto::err::kUnauthorized, "the user of this device has no valid role");
    }
    return p;
}

proto::EnrollResponse enrollDevice(ServerStorage& storage, const proto::EnrollRequest& req) {
    std::string codeHash = hashSecret(normalizeEnrollCode(req.code));
    auto tx = storage.write();
    auto code = tx->enrollCode(codeHash);
    if (!code) throw ApiError(401, proto::err::kInvalidCode, "unknown enrolment code; ask headquarters for a new one",
                                {{"reason", "unknown"}});
    if (!code->usedAt.empty()) {
        if (auto again = reenrol(*tx, *code, req)) {
            tx->commit();
            return *again;
        }
        throw ApiError(401, proto::err::kInvalidCode,
                       "this enrolment code was already used on " + code->usedAt + "; each code works once",
                       {{"reason", "used"}});
    }
    if (nowMillis() > code->expiresAtMs)
        throw ApiError(401, proto::err::kInvalidCode,
                       "this enrolment code expired at " + isoTimestamp(code->expiresAtMs) + "; ask for a new one",
                       {{"reason", "expired"}});
    auto acct = tx->accountById(code->userId);
    if (!acct || acct->deleted)
        throw ApiError(401, proto::err::kInvalidCode, "the user this code was made for no longer exists");

    std::string deviceId = req.deviceId;
    if (deviceId.empty() || !proto::isSafeId(deviceId) || tx->device(deviceId)) deviceId = newUuidV7();
    std::string token = newToken();
    std::string now = nowIso();
    tx->putDevice(Device{deviceId, acct->userId, req.deviceName, now, now, ""}, hashSecret(token));
    tx->markEnrollCodeUsed(codeHash, now, deviceId);
    appendServerAudit(*tx, AuditActor{acct->name, deviceId}, "device_enroll", "device", deviceId,
                      {{"name", req.deviceName}, {"code", codeHash.substr(0, 16)}});
    std::string hqKey = tx->setting("hq_public_key").value_or("");
    tx->commit();
    return proto::EnrollResponse{deviceId, token, userInfoOf(*acct), hqKey};
}

}  // namespace jc::server
