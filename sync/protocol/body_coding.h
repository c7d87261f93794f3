#pragma once
// gzip for request and response bodies (HTTP Content-Encoding: gzip), shared by the sync client
// and server. JSON sync bodies of Chinese text shrink to a quarter or less; evidence blobs are
// never coded (photos do not compress). Decoding is bounded: a body that would inflate beyond
// `maxBytes` is refused, so a small compressed request cannot grow into gigabytes in memory.
#include <cstddef>
#include <string>
#include <string_view>

namespace jc::proto {

// Bodies smaller than this go as they are: coding them saves a handful of bytes at best.
inline constexpr size_t kMinCodedBodyBytes = 1024;
// zlib levels. Requests (pushes): 6, zlib's default, because on a weak link the bytes cost far more
// than the CPU (level 1 leaves about 20 % more bytes on this text). Responses (pull pages): 1, since the
// server codes for every device and pull pages of text gain little more from higher levels.
inline constexpr int kGzipLevel = 6;
inline constexpr int kGzipResponseLevel = 1;

// The gzip (RFC 1952) encoding of `data`.
std::string gzipEncode(std::string_view data, int level = kGzipLevel);

// Feeds gzip bytes in pieces and appends the decoded bytes to `out`. add() returns false (and
// error() says why) on corrupt data or when the output would pass `maxBytes`.
class GzipDecoder {
public:
    GzipDecoder(std::string& out, size_t maxBytes);
    ~GzipDecoder();
    GzipDecoder(const GzipDecoder&) = delete;
    GzipDecoder& operator=(const GzipDecoder&) = delete;
    bool add(const char* data, size_t size);
    bool finished() const { return m_done; }  // the gzip stream's end was seen
    bool tooLarge() const { return m_tooLarge; }
    const std::string& error() const { return m_error; }

private:
    std::string& m_out;
    size_t m_max;
    void* m_z = nullptr;
    bool m_done = false, m_tooLarge = false;
    std::string m_error;
};

// One-shot decode; false with `error` set on corrupt data or output over `maxBytes`.
bool gzipDecode(std::string_view data, std::string& out, size_t maxBytes, std::string& error);

}  // namespace jc::proto
