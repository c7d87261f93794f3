#pragma once
// Incompressible test data, the same for the same seed: photo-sized blobs for the evidence tests.
#include <cstdint>
#include <cstring>
#include <random>
#include <string>

namespace jc::test {

inline std::string randomBytes(size_t n, unsigned seed) {
    std::mt19937_64 rng(seed);
    std::string s(n, '\0');
    for (size_t i = 0; i + 8 <= n; i += 8) {
        uint64_t v = rng();
        std::memcpy(&s[i], &v, 8);
    }
    return s;
}

}  // namespace jc::test
