#pragma once
// UTF-8 validation for text that comes from outside (imported files): shortest form only,
// no surrogates, nothing above U+10FFFF.
#include <cstddef>
#include <string_view>

namespace jc {

// True when `s` is valid UTF-8; otherwise false and, when given, *badOffset = the first bad byte.
bool isValidUtf8(std::string_view s, size_t* badOffset = nullptr);

}  // namespace jc
