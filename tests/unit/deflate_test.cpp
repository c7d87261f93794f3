// base/deflate.h: zlib and gzip framing both ways, the zlib bytes the store has always written,
// and bounded decoding (corrupt, cut-short and over-the-limit input refused with a reason).
#include "base/deflate.h"

#include <catch2/catch.hpp>
#include <string>

#include "support/random_bytes.h"

using jc::deflateDecode;
using jc::deflateEncode;
using jc::DeflateFormat;

namespace {

std::string unhex(const std::string& hex) {
    std::string out;
    for (size_t i = 0; i + 1 < hex.size(); i += 2) out.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
    return out;
}

std::string sampleText() {
    std::string s;
    for (int i = 0; i < 2000; ++i) s += "{\"title\":\"工地拖欠农民工工资第" + std::to_string(i) + "项\",\"region\":\"620702101\"},";
    return s;
}

}  // namespace

TEST_CASE("deflate: zlib and gzip data decode to what was encoded", "[deflate]") {
    const std::string text = sampleText();
    const std::string noise = jc::test::randomBytes(100 * 1024 + 5, 7);
    for (DeflateFormat f : {DeflateFormat::Zlib, DeflateFormat::Gzip}) {
        for (const std::string* in : {&text, &noise}) {
            for (int level : {1, 6, 9}) {
                std::string coded = deflateEncode(*in, f, level);
                jc::Inflated back = deflateDecode(coded, f, in->size());
                INFO(back.error);
                REQUIRE(back.ok());
                CHECK(back.data == *in);
            }
        }
        jc::Inflated empty = deflateDecode(deflateEncode("", f, 6), f, 0);
        CHECK(empty.ok());
        CHECK(empty.data.empty());
    }
    CHECK(deflateEncode(text, DeflateFormat::Zlib, 6).size() < text.size() / 4);
    // The framings: zlib's 0x78 header, gzip's magic 1f 8b; each decoder refuses the other.
    CHECK(deflateEncode(text, DeflateFormat::Zlib, 6).substr(0, 2) == "\x78\x9c");
    CHECK(deflateEncode(text, DeflateFormat::Gzip, 6).substr(0, 3) == "\x1f\x8b\x08");
    CHECK_FALSE(deflateDecode(deflateEncode(text, DeflateFormat::Gzip, 6), DeflateFormat::Zlib, 1 << 20).ok());
    CHECK_FALSE(deflateDecode(deflateEncode(text, DeflateFormat::Zlib, 6), DeflateFormat::Gzip, 1 << 20).ok());
}

TEST_CASE("deflate: the zlib bytes are those of zlib's compress2, so stored batches stay readable", "[deflate]") {
    // zlib.compress(b"hello", 6), as store/server_epoch.cpp wrote batch bodies with compress2().
    const std::string stored = unhex("789ccb48cdc9c90700062c0215");
    CHECK(deflateEncode("hello", DeflateFormat::Zlib, 6) == stored);
    jc::Inflated back = deflateDecode(stored, DeflateFormat::Zlib, 5);
    REQUIRE(back.ok());
    CHECK(back.data == "hello");
}

TEST_CASE("deflate: corrupt or cut-short data is refused with a reason", "[deflate]") {
    const std::string text = sampleText();
    for (DeflateFormat f : {DeflateFormat::Zlib, DeflateFormat::Gzip}) {
        const std::string coded = deflateEncode(text, f, 6);
        std::string flipped = coded;
        flipped[coded.size() / 2] = static_cast<char>(flipped[coded.size() / 2] ^ 0x55);
        jc::Inflated bad = deflateDecode(flipped, f, 1 << 20);
        CHECK_FALSE(bad.ok());
        CHECK_FALSE(bad.tooLarge);
        CHECK(bad.data.empty());

        std::string checksum = coded;  // the trailer's checksum (Adler-32 or CRC-32) no longer matches
        checksum[coded.size() - (f == DeflateFormat::Gzip ? 5 : 1)] ^= 0x01;
        jc::Inflated sum = deflateDecode(checksum, f, 1 << 20);
        CHECK_FALSE(sum.ok());
        CHECK(sum.error.find("corrupt") != std::string::npos);

        jc::Inflated cut = deflateDecode(coded.substr(0, coded.size() / 2), f, 1 << 20);
        CHECK_FALSE(cut.ok());
        CHECK(cut.error.find("ends early") != std::string::npos);

        CHECK_FALSE(deflateDecode("", f, 1 << 20).ok());
        CHECK_FALSE(deflateDecode("not compressed at all", f, 1 << 20).ok());
    }
}

TEST_CASE("deflate: decoding stops at the limit instead of growing past it", "[deflate]") {
    for (DeflateFormat f : {DeflateFormat::Zlib, DeflateFormat::Gzip}) {
        // A bomb: 64 MiB of one byte is about 64 KiB coded.
        const std::string bomb = deflateEncode(std::string(64u << 20, 'x'), f, 9);
        REQUIRE(bomb.size() < 128 * 1024);
        jc::Inflated big = deflateDecode(bomb, f, 8u << 20);
        CHECK_FALSE(big.ok());
        CHECK(big.tooLarge);
        CHECK(big.error.find("limit of 8388608 bytes") != std::string::npos);
        CHECK(big.data.empty());

        // Exactly at the limit is fine; one byte less is refused.
        const std::string text = sampleText();
        const std::string coded = deflateEncode(text, f, 6);
        CHECK(deflateDecode(coded, f, text.size()).ok());
        jc::Inflated over = deflateDecode(coded, f, text.size() - 1);
        CHECK(over.tooLarge);
        CHECK_FALSE(over.ok());
        jc::Inflated none = deflateDecode(coded, f, 0);
        CHECK(none.tooLarge);
    }
}
