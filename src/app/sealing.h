#pragma once
// Whistleblower confidentiality (DESIGN.md §5): a complainant's identity is encrypted on the
// device to HQ's public key (libsodium sealed box), so neither the laptop nor the server in
// between can read it; only a store holding HQ's secret key can open it, and every opening is
// audited by the caller.
#include <string>

#include "core/entities.h"
#include "store/store.h"

namespace jc {

// Creates an HQ key pair in this store (an HQ installation). Returns the public key (base64).
std::string createHqKeys(Store& store);
// Sets the HQ public key on a field device (from enrolment or `jiancha init --hq-public-key`).
void setHqPublicKey(Store& store, const std::string& base64Key);  // throws ValidationError
std::string hqPublicKey(Store& store);  // empty when not configured
bool canOpenSealed(Store& store);

std::string sealIdentity(Store& store, const Json& identity);  // throws ValidationError without a key
Json openIdentity(Store& store, const std::string& sealed);    // throws ForbiddenError without the secret

}  // namespace jc
