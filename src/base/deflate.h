#pragma once
// Deflate compression through zlib, the one compression helper of the code base: the store's
// acknowledged change batches (zlib framing, store/server_epoch.cpp) and the sync bodies sent
// over HTTP (gzip framing, Content-Encoding: gzip, sync/client and sync/server; which bodies are
// coded and at which level is sync/protocol/body_coding.h).
//
// Decoding is always bounded: the caller names the largest output it accepts, and data that
// would inflate beyond it is refused rather than grown in memory (a few MiB of crafted input
// can otherwise inflate to gigabytes).
#include <cstddef>
#include <string>
#include <string_view>

namespace jc {

// The framing around the deflate data: zlib's (RFC 1950: 2-byte header, Adler-32 trailer; what
// zlib's compress2()/uncompress() read and write) or gzip's (RFC 1952).
enum class DeflateFormat { Zlib, Gzip };

// The compressed form of `data` at zlib level `level` (0-9; 6 is zlib's default). The same bytes
// for the same input, format and level. Throws StorageError when zlib cannot start (no memory).
std::string deflateEncode(std::string_view data, DeflateFormat format, int level);

// What deflateDecode() produced: the data, or why not (corrupt, cut short, or over the limit).
struct Inflated {
    std::string data;
    std::string error;      // empty when the data was decoded whole
    bool tooLarge = false;  // refused because the output would pass the limit
    bool ok() const { return error.empty(); }
};

// Decodes one complete zlib or gzip stream (bytes after its end are ignored), producing at most
// `maxBytes` bytes.
Inflated deflateDecode(std::string_view data, DeflateFormat format, size_t maxBytes);

}  // namespace jc
