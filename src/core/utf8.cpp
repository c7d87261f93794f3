#include "core/utf8.h"

namespace jc {

int utf8Length(std::string_view s, size_t i) {
    auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
    unsigned char c = byte(i);
    if (c < 0x80) return 1;
    int len;
    char32_t cp, min;
    if ((c & 0xE0) == 0xC0) {
        len = 2, cp = c & 0x1F, min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
        len = 3, cp = c & 0x0F, min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
        len = 4, cp = c & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    if (i + static_cast<size_t>(len) > s.size()) return 0;
    for (int k = 1; k < len; ++k) {
        unsigned char cc = byte(i + static_cast<size_t>(k));
        if ((cc & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (cc & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    return len;
}

char32_t decodeUtf8(std::string_view s, size_t& i) {
    int len = utf8Length(s, i);
    if (len == 0) {
        ++i;
        return kReplacementCharacter;
    }
    auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
    char32_t cp = len == 1 ? byte(i) : len == 2 ? (byte(i) & 0x1F) : len == 3 ? (byte(i) & 0x0F) : (byte(i) & 0x07);
    for (int k = 1; k < len; ++k) cp = (cp << 6) | (byte(i + static_cast<size_t>(k)) & 0x3F);
    i += static_cast<size_t>(len);
    return cp;
}

bool isValidUtf8(std::string_view s, size_t* badOffset) {
    for (size_t i = 0; i < s.size();) {
        int len = utf8Length(s, i);
        if (len == 0) {
            if (badOffset) *badOffset = i;
            return false;
        }
        i += static_cast<size_t>(len);
    }
    return true;
}

int terminalColumns(char32_t cp) {
    bool wide = (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0x303E) || (cp >= 0x3041 && cp <= 0x33FF) ||
                (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xA000 && cp <= 0xA4CF) ||
                (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) ||
                (cp >= 0xFF00 && cp <= 0xFF60) || (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD);
    return wide ? 2 : 1;
}

size_t utf8Chars(std::string_view s) {
    size_t n = 0;
    for (char c : s) n += isUtf8Continuation(c) ? 0 : 1;
    return n;
}

int terminalWidth(std::string_view s) {
    int w = 0;
    for (size_t i = 0; i < s.size();) w += terminalColumns(decodeUtf8(s, i));
    return w;
}

}  // namespace jc
