#pragma once
// UTF-8 decoding, the one decoder of the code base (the CLI's column widths, the GUI's line
// wrapping and glyph atlas, the search tokenizer). One rule for bad bytes: a byte that does not
// start a valid, shortest-form character (a stray continuation byte, a truncated sequence, an
// overlong form, a surrogate, anything above U+10FFFF) decodes as U+FFFD and consumes exactly
// that one byte, so decoding always advances and never reads past the end.
#include <cstddef>
#include <string_view>

namespace jc {

inline constexpr char32_t kReplacementCharacter = 0xFFFD;

// Decodes the character at s[i] (i < s.size()) and advances i past it.
char32_t decodeUtf8(std::string_view s, size_t& i);
// The length in bytes (1–4) of the valid character at s[i], or 0 when the bytes there are bad.
int utf8Length(std::string_view s, size_t i);

// True for a UTF-8 continuation byte (10xxxxxx), which never starts a character: where text
// may be cut without splitting one.
constexpr bool isUtf8Continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }
// The characters of valid UTF-8 text (the bytes that start one): limits written in characters.
size_t utf8Chars(std::string_view s);

// True when `s` is valid UTF-8 (text from outside, such as imported files, is checked with it);
// otherwise false and, when given, *badOffset = the first bad byte.
bool isValidUtf8(std::string_view s, size_t* badOffset = nullptr);

// Terminal columns of a character: 2 for CJK ideographs (all extensions), kana, hangul and
// full-width forms, else 1. For aligning Chinese text in the CLI's tables.
int terminalColumns(char32_t c);
// Terminal columns of UTF-8 text.
int terminalWidth(std::string_view utf8);

}  // namespace jc
