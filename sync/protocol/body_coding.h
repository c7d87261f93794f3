#pragma once
// Which sync bodies travel gzip-coded (HTTP Content-Encoding: gzip) and at which zlib level, for
// the sync client and server alike. JSON sync bodies of Chinese text shrink to a quarter or less;
// evidence blobs are never coded (photos do not compress). The coding itself is base/deflate.h
// (DeflateFormat::Gzip), which the client and the server both link; this layer stays free of it.
#include <cstddef>

namespace jc::proto {

// Bodies smaller than this go as they are: coding them saves a handful of bytes at best.
inline constexpr size_t kMinCodedBodyBytes = 1024;
// zlib levels. Requests (pushes): 6, zlib's default, because on a weak link the bytes cost far more
// than the CPU (level 1 leaves about 20 % more bytes on this text). Responses (pull pages): 1, since the
// server codes for every device and pull pages of text gain little more from higher levels.
inline constexpr int kGzipLevel = 6;
inline constexpr int kGzipResponseLevel = 1;

}  // namespace jc::proto
