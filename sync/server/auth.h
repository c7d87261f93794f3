#pragma once
// Device authentication (DESIGN.md §4 Auth): HQ's admin CLI makes a one-time enrolment code for
// a user; a device trades it for a random 32-byte bearer token bound to that user. The server
// keeps only SHA-256 hashes of codes and tokens, so a copy of its database cannot be replayed.
// A revoked device or a disabled user gets 401 on the next request.
#include <string>
#include <string_view>

#include "core/domain.h"
#include "sync/protocol/protocol.h"
#include "sync/server/storage.h"

namespace jc::server {

// The authenticated caller of one request.
struct Principal {
    Account account;
    Device device;
    Role role = Role::Inspector;

    Viewer viewer() const;  // what this user may read (storage.h)
    proto::UserInfo userInfo() const;
};

std::string newToken();                                  // 64 hex digits (32 random bytes)
std::string newEnrollCode();                             // "ABCD-EFGH-JKLM" from an unambiguous alphabet
std::string normalizeEnrollCode(std::string_view code);  // upper-case, without '-' and spaces
std::string hashSecret(std::string_view secret);         // SHA-256, hex

// Checks "Authorization: Bearer <token>"; throws ApiError 401 (unauthorized | device_revoked).
Principal authenticate(StorageTx& tx, std::string_view authorizationHeader);

// Enrols a device: checks the code (unknown / used / expired → 401 invalid_code), creates the
// device with a fresh token and marks the code used, all in one transaction. A used code asked
// again by the device it enrolled (same proposed device id, within the code's validity, the
// device's token never used since) is a retry after a lost answer: that device gets a new token, the
// first one stops working.
proto::EnrollResponse enrollDevice(ServerStorage& storage, const proto::EnrollRequest& req);

proto::UserInfo userInfoOf(const Account& a);

}  // namespace jc::server
