#include "base/deflate.h"

#include <zlib.h>

#include <algorithm>
#include <climits>

#include "core/error.h"

namespace jc {

namespace {

// zlib's windowBits: 15 (the largest window); + 16 asks for the gzip header and trailer.
int windowBits(DeflateFormat f) { return f == DeflateFormat::Gzip ? 15 + 16 : 15; }

const char* formatName(DeflateFormat f) { return f == DeflateFormat::Gzip ? "gzip" : "zlib"; }

}  // namespace

std::string deflateEncode(std::string_view data, DeflateFormat format, int level) {
    if (data.size() > UINT_MAX) throw StorageError("deflate: " + std::to_string(data.size()) + " bytes is too much to compress at once");
    z_stream z{};
    // memLevel 8 and the default strategy: what compress2() uses, so the zlib bytes are the same.
    if (deflateInit2(&z, level, Z_DEFLATED, windowBits(format), 8, Z_DEFAULT_STRATEGY) != Z_OK)
        throw StorageError(std::string("deflate: zlib could not start (") + formatName(format) + ", level " +
                           std::to_string(level) + ")");
    std::string out(deflateBound(&z, static_cast<uLong>(data.size())), '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    z.avail_in = static_cast<uInt>(data.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    int rc = deflate(&z, Z_FINISH);  // deflateBound() leaves room for all of it in one call
    size_t n = z.total_out;
    deflateEnd(&z);
    if (rc != Z_STREAM_END) throw StorageError("deflate: zlib did not finish (" + std::to_string(rc) + ")");
    out.resize(n);
    return out;
}

Inflated deflateDecode(std::string_view data, DeflateFormat format, size_t maxBytes) {
    Inflated r;
    z_stream z{};
    if (inflateInit2(&z, windowBits(format)) != Z_OK) {
        r.error = std::string("inflate: zlib could not start (") + formatName(format) + ")";
        return r;
    }
    // The output grows by doubling up to one byte past the limit: producing that byte is what
    // tells data over the limit from data exactly at it.
    const size_t limit = maxBytes == SIZE_MAX ? maxBytes : maxBytes + 1;
    size_t cap = std::min(limit, std::max<size_t>(64 * 1024, data.size() * 4));
    size_t produced = 0, consumed = 0;
    r.data.resize(cap);
    int rc = Z_OK;
    for (;;) {
        if (z.avail_in == 0 && consumed < data.size()) {
            size_t n = std::min<size_t>(data.size() - consumed, UINT_MAX);
            z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data() + consumed));
            z.avail_in = static_cast<uInt>(n);
            consumed += n;
        }
        if (produced == cap && cap < limit) {
            cap = cap > limit / 2 ? limit : cap * 2;
            r.data.resize(cap);
        }
        uInt room = static_cast<uInt>(std::min<size_t>(cap - produced, UINT_MAX));
        z.next_out = reinterpret_cast<Bytef*>(r.data.data() + produced);
        z.avail_out = room;
        rc = inflate(&z, Z_NO_FLUSH);
        produced += room - z.avail_out;
        if (produced > maxBytes) {
            r.tooLarge = true;
            r.error = std::string("the ") + formatName(format) + " data decodes to more than the limit of " +
                      std::to_string(maxBytes) + " bytes";
            break;
        }
        if (rc == Z_STREAM_END) break;
        if (rc != Z_OK && rc != Z_BUF_ERROR) {  // Z_DATA_ERROR, Z_NEED_DICT, Z_MEM_ERROR
            r.error = std::string("the ") + formatName(format) + " data is corrupt" + (z.msg ? std::string(" (") + z.msg + ")" : "");
            break;
        }
        if (z.avail_in == 0 && consumed == data.size() && z.avail_out > 0) {  // wants input there is no more of
            r.error = std::string("the ") + formatName(format) + " data ends early";
            break;
        }
    }
    inflateEnd(&z);
    if (!r.ok()) r.data.clear();
    else r.data.resize(produced);
    return r;
}

}  // namespace jc
