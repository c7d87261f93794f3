#pragma once
// UUIDv7 (RFC 9562): 48-bit Unix milliseconds, then random bits. Ids made on a device
// sort by creation time and never collide across offline devices.
#include <cstdint>
#include <string>

namespace jc {

std::string newUuidV7();
std::string newUuidV7At(int64_t unixMs);   // for generators and tests
bool isUuid(const std::string& s);         // canonical 8-4-4-4-12 lower-case hex
int64_t uuidV7Millis(const std::string& id);  // -1 when not a v7 id

}  // namespace jc
