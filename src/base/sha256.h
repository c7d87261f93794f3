#pragma once
// SHA-256 and lower-case hex, the one hashing helper of the code base (audit chain, evidence and
// blob names, stored secrets). It goes through OpenSSL's EVP interface, which uses the CPU's SHA
// extensions (~1.5 GB/s here, against ~250 MB/s for portable code such as libsodium's).
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

struct evp_md_ctx_st;  // OpenSSL's EVP_MD_CTX, kept out of this header

namespace jc {

// A running SHA-256. Copying forks the state (a resumable upload keeps the hash of the bytes so
// far and continues it). Throws StorageError when OpenSSL fails.
class Sha256 {
public:
    Sha256();
    Sha256(const Sha256& o);
    Sha256& operator=(const Sha256& o);
    Sha256(Sha256&&) noexcept = default;
    Sha256& operator=(Sha256&&) noexcept = default;
    ~Sha256();

    void update(const void* data, size_t n);
    void update(std::string_view s) { update(s.data(), s.size()); }
    // The digest as 64 lower-case hex digits. Ends this hash: update() must not follow.
    std::string hexDigest();

private:
    struct Free {
        void operator()(evp_md_ctx_st* c) const;
    };
    std::unique_ptr<evp_md_ctx_st, Free> m_ctx;
};

std::string sha256Hex(std::string_view data);
// Lower-case hex of `n` bytes.
std::string toHex(const void* data, size_t n);
// 64 lower-case hex digits: the only names blobs and evidence files are stored under.
bool isSha256Hex(std::string_view s);

}  // namespace jc
