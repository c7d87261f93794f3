#include "base/sha256.h"

#include <openssl/evp.h>

#include "core/error.h"

namespace jc {

void Sha256::Free::operator()(evp_md_ctx_st* c) const { EVP_MD_CTX_free(c); }

Sha256::Sha256() : m_ctx(EVP_MD_CTX_new()) {
    if (!m_ctx || EVP_DigestInit_ex(m_ctx.get(), EVP_sha256(), nullptr) != 1)
        throw StorageError("SHA-256 could not be initialised");
}

Sha256::Sha256(const Sha256& o) : m_ctx(EVP_MD_CTX_new()) {
    if (!m_ctx || EVP_MD_CTX_copy_ex(m_ctx.get(), o.m_ctx.get()) != 1) throw StorageError("SHA-256 state could not be copied");
}

Sha256& Sha256::operator=(const Sha256& o) {
    if (this != &o) {
        Sha256 copy(o);
        *this = std::move(copy);
    }
    return *this;
}

Sha256::~Sha256() = default;

void Sha256::update(const void* data, size_t n) {
    if (n && EVP_DigestUpdate(m_ctx.get(), data, n) != 1) throw StorageError("SHA-256 update failed");
}

std::string Sha256::hexDigest() {
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (EVP_DigestFinal_ex(m_ctx.get(), out, &len) != 1 || len != 32) throw StorageError("SHA-256 final failed");
    return toHex(out, len);
}

std::string sha256Hex(std::string_view data) {
    Sha256 h;
    h.update(data);
    return h.hexDigest();
}

std::string toHex(const void* data, size_t n) {
    static constexpr char kDigits[] = "0123456789abcdef";
    auto p = static_cast<const unsigned char*>(data);
    std::string s(2 * n, '0');
    for (size_t i = 0; i < n; ++i) {
        s[2 * i] = kDigits[p[i] >> 4];
        s[2 * i + 1] = kDigits[p[i] & 15];
    }
    return s;
}

bool isSha256Hex(std::string_view s) {
    if (s.size() != 64) return false;
    for (char c : s)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    return true;
}

}  // namespace jc
