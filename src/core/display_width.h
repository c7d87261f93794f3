#pragma once
// Display width of UTF-8 text in terminal / spreadsheet columns: CJK and full-width characters
// take 2 columns, everything else 1 (invalid bytes count as one column each). Used for the CLI's
// aligned tables and for XLSX column widths that fit Chinese text.
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace jc {

// Decodes one UTF-8 code point at s[i] and advances i (an invalid byte is returned as itself).
uint32_t nextCodePoint(std::string_view s, size_t& i);
bool isWideCodePoint(uint32_t cp);
int displayWidth(std::string_view utf8);

}  // namespace jc
