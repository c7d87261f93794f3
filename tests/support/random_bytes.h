#pragma once
// Incompressible test data, the same for the same seed: photo-sized blobs for the evidence tests.
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <random>
#include <string>

namespace jc::test {

inline std::string randomBytes(size_t n, unsigned seed) {
    std::mt19937_64 rng(seed);
    std::string s(n, '\0');
    for (size_t i = 0; i < n; i += 8) {  // the last word fills what is left of a size not a multiple of 8
        uint64_t v = rng();
        std::memcpy(&s[i], &v, std::min<size_t>(8, n - i));
    }
    return s;
}

}  // namespace jc::test
