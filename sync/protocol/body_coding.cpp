#include "sync/protocol/body_coding.h"

#include <zlib.h>

#include <stdexcept>

namespace jc::proto {

std::string gzipEncode(std::string_view data, int level) {
    z_stream z{};
    // windowBits 15 + 16: a gzip header and trailer rather than zlib's.
    if (deflateInit2(&z, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        throw std::runtime_error("zlib: deflateInit2 failed");
    std::string out;
    out.resize(deflateBound(&z, static_cast<uLong>(data.size())) + 32);
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    z.avail_in = static_cast<uInt>(data.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    int rc = deflate(&z, Z_FINISH);
    size_t n = z.total_out;
    deflateEnd(&z);
    if (rc != Z_STREAM_END) throw std::runtime_error("zlib: deflate did not finish");
    out.resize(n);
    return out;
}

GzipDecoder::GzipDecoder(std::string& out, size_t maxBytes) : m_out(out), m_max(maxBytes) {
    auto* z = new z_stream{};
    if (inflateInit2(z, 15 + 16) != Z_OK) {
        delete z;
        m_error = "zlib: inflateInit2 failed";
        return;
    }
    m_z = z;
}

GzipDecoder::~GzipDecoder() {
    if (m_z) {
        inflateEnd(static_cast<z_stream*>(m_z));
        delete static_cast<z_stream*>(m_z);
    }
}

bool GzipDecoder::add(const char* data, size_t size) {
    if (!m_z || !m_error.empty()) return false;
    auto* z = static_cast<z_stream*>(m_z);
    z->next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data));
    z->avail_in = static_cast<uInt>(size);
    char buf[64 * 1024];
    while (z->avail_in > 0 && !m_done) {
        z->next_out = reinterpret_cast<Bytef*>(buf);
        z->avail_out = sizeof buf;
        int rc = inflate(z, Z_NO_FLUSH);
        if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR) {
            m_error = "the gzip body is corrupt";
            return false;
        }
        size_t got = sizeof buf - z->avail_out;
        if (m_out.size() + got > m_max) {
            m_tooLarge = true;
            m_error = "the decoded body is larger than the limit of " + std::to_string(m_max) + " bytes";
            return false;
        }
        m_out.append(buf, got);
        if (rc == Z_STREAM_END) m_done = true;
        if (rc == Z_BUF_ERROR && got == 0) break;  // needs more input
    }
    return true;
}

bool gzipDecode(std::string_view data, std::string& out, size_t maxBytes, std::string& error) {
    GzipDecoder d(out, maxBytes);
    if (!d.add(data.data(), data.size()) || !d.finished()) {
        error = d.error().empty() ? "the gzip body ends early" : d.error();
        return false;
    }
    return true;
}

}  // namespace jc::proto
