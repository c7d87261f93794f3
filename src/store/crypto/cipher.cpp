#include "store/crypto/cipher.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <sodium.h>

#include <cstring>
#include <mutex>
#include <stdexcept>
#include <vector>

#include "core/error.h"
#include "core/i18n.h"

namespace jc::crypto {

void initSodium() {
    static std::once_flag once;
    static bool ok = false;
    std::call_once(once, [] { ok = sodium_init() >= 0; });
    if (!ok) throw StorageError("libsodium failed to initialise");
}

void randomBytes(uint8_t* out, size_t n) {
    initSodium();
    randombytes_buf(out, n);
}

void wipe(std::string& s) {
    if (!s.empty()) sodium_memzero(s.data(), s.size());
    s.clear();
}

SecretBytes::SecretBytes(size_t n) : m_n(n) {
    initSodium();
    m_p = static_cast<uint8_t*>(sodium_malloc(n ? n : 1));
    if (!m_p) throw StorageError("cannot allocate locked memory for a key");
    std::memset(m_p, 0, n);
}
SecretBytes::~SecretBytes() {
    if (m_p) sodium_free(m_p);  // zeroes and unlocks
}
SecretBytes::SecretBytes(SecretBytes&& o) noexcept : m_p(o.m_p), m_n(o.m_n) {
    o.m_p = nullptr;
    o.m_n = 0;
}
SecretBytes& SecretBytes::operator=(SecretBytes&& o) noexcept {
    if (this != &o) {
        if (m_p) sodium_free(m_p);
        m_p = o.m_p;
        m_n = o.m_n;
        o.m_p = nullptr;
        o.m_n = 0;
    }
    return *this;
}

std::string suiteName(Suite s) { return s == Suite::Gm ? "sm4ctr-hmacsm3" : "xchacha20poly1305"; }

Suite parseSuite(const std::string& name) {
    if (name == "gm" || name == "sm4ctr-hmacsm3" || name == "sm") return Suite::Gm;
    if (name == "default" || name == "xchacha" || name == "xchacha20poly1305") return Suite::XChaCha;
    throw ValidationError(trf("store.err_suite", {name}));
}

size_t trailerBytes(Suite s) { return s == Suite::Gm ? 48 : 40; }

namespace {

class XChaChaCipher final : public Cipher {
public:
    explicit XChaChaCipher(const uint8_t* key) : m_key(kKeyBytes) { std::memcpy(m_key.data(), key, kKeyBytes); }
    Suite suite() const override { return Suite::XChaCha; }
    void seal(const uint8_t* in, size_t n, const uint8_t* ad, size_t adLen, uint8_t* out, uint8_t* trailer) const override {
        uint8_t* nonce = trailer;
        uint8_t* tag = trailer + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
        randombytes_buf(nonce, crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
        unsigned long long tagLen = 0;
        crypto_aead_xchacha20poly1305_ietf_encrypt_detached(out, tag, &tagLen, in, n, ad, adLen, nullptr, nonce,
                                                            m_key.data());
    }
    bool open(const uint8_t* in, size_t n, const uint8_t* ad, size_t adLen, const uint8_t* trailer,
              uint8_t* out) const override {
        return crypto_aead_xchacha20poly1305_ietf_decrypt_detached(
                   out, nullptr, in, n, trailer + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, ad, adLen, trailer,
                   m_key.data()) == 0;
    }

private:
    SecretBytes m_key;
};

struct MacDeleter {
    void operator()(EVP_MAC_CTX* c) const { EVP_MAC_CTX_free(c); }
};
struct CipherCtxDeleter {
    void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};

EVP_MAC* hmacAlgorithm() {
    static EVP_MAC* mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
    if (!mac) throw StorageError("OpenSSL has no HMAC");
    return mac;
}
const EVP_CIPHER* sm4Ctr() {
    static EVP_CIPHER* c = EVP_CIPHER_fetch(nullptr, "SM4-CTR", nullptr);
    if (!c) throw StorageError(tr("store.err_no_sm4"));
    return c;
}

// An HMAC-SM3 context keyed with `key`.
std::unique_ptr<EVP_MAC_CTX, MacDeleter> hmacSm3(const uint8_t* key, size_t n) {
    std::unique_ptr<EVP_MAC_CTX, MacDeleter> ctx(EVP_MAC_CTX_new(hmacAlgorithm()));
    char digest[] = "SM3";
    OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0), OSSL_PARAM_construct_end()};
    if (!ctx || EVP_MAC_init(ctx.get(), key, n, params) != 1) throw StorageError("OpenSSL cannot start HMAC-SM3");
    return ctx;
}

void hmacOnce(const uint8_t* key, size_t keyLen, const uint8_t* msg, size_t n, uint8_t out[32]) {
    auto ctx = hmacSm3(key, keyLen);
    size_t len = 0;
    if (EVP_MAC_update(ctx.get(), msg, n) != 1 || EVP_MAC_final(ctx.get(), out, &len, 32) != 1 || len != 32)
        throw StorageError("HMAC-SM3 failed");
}

// The 国密 suite. OpenSSL contexts are costly to make (allocation, provider lookup, key
// schedule, HMAC key padding), so each Cipher keeps a small pool of ready ones: a seal or open
// takes a pair (keyed once), only resets the IV and the MAC state, and puts it back. Concurrent
// callers each get their own pair; the pool grows to the number of simultaneous users.
class GmCipher final : public Cipher {
public:
    explicit GmCipher(const uint8_t* key) : m_encKey(16), m_macKey(32) {
        uint8_t tmp[32];
        static const char encLabel[] = "jiancha sm4-ctr key";
        static const char macLabel[] = "jiancha hmac-sm3 key";
        hmacOnce(key, kKeyBytes, reinterpret_cast<const uint8_t*>(encLabel), sizeof encLabel - 1, tmp);
        std::memcpy(m_encKey.data(), tmp, 16);
        hmacOnce(key, kKeyBytes, reinterpret_cast<const uint8_t*>(macLabel), sizeof macLabel - 1, m_macKey.data());
        sodium_memzero(tmp, sizeof tmp);
        sm4Ctr();
        release(acquire());  // fails here, not on the first page, when OpenSSL cannot do the suite
    }
    Suite suite() const override { return Suite::Gm; }
    void seal(const uint8_t* in, size_t n, const uint8_t* ad, size_t adLen, uint8_t* out, uint8_t* trailer) const override {
        uint8_t* iv = trailer;
        randombytes_buf(iv, 16);
        Lease l(*this);
        ctr(*l.w, in, n, iv, out);
        mac(*l.w, ad, adLen, iv, out, n, trailer + 16);
    }
    bool open(const uint8_t* in, size_t n, const uint8_t* ad, size_t adLen, const uint8_t* trailer,
              uint8_t* out) const override {
        uint8_t tag[32];
        Lease l(*this);
        mac(*l.w, ad, adLen, trailer, in, n, tag);
        if (sodium_memcmp(tag, trailer + 16, 32) != 0) return false;
        ctr(*l.w, in, n, trailer, out);
        return true;
    }

private:
    struct Worker {
        std::unique_ptr<EVP_CIPHER_CTX, CipherCtxDeleter> ctr;  // SM4-CTR with the key set
        std::unique_ptr<EVP_MAC_CTX, MacDeleter> mac;           // HMAC-SM3 with the key set
    };
    // A worker borrowed from the pool for one call.
    struct Lease {
        explicit Lease(const GmCipher& c) : owner(c), w(c.acquire()) {}
        ~Lease() { owner.release(std::move(w)); }
        Lease(const Lease&) = delete;
        Lease& operator=(const Lease&) = delete;
        const GmCipher& owner;
        std::unique_ptr<Worker> w;
    };

    std::unique_ptr<Worker> acquire() const {
        {
            std::lock_guard<std::mutex> lock(m_poolMutex);
            if (!m_pool.empty()) {
                auto w = std::move(m_pool.back());
                m_pool.pop_back();
                return w;
            }
        }
        auto w = std::make_unique<Worker>();
        w->ctr.reset(EVP_CIPHER_CTX_new());
        if (!w->ctr || EVP_EncryptInit_ex2(w->ctr.get(), sm4Ctr(), m_encKey.data(), nullptr, nullptr) != 1)
            throw StorageError("SM4-CTR failed");
        w->mac = hmacSm3(m_macKey.data(), m_macKey.size());
        return w;
    }
    void release(std::unique_ptr<Worker> w) const {
        if (!w) return;
        std::lock_guard<std::mutex> lock(m_poolMutex);
        m_pool.push_back(std::move(w));
    }

    // The key stays set: only the IV (and with it the counter) is reset.
    static void ctr(Worker& w, const uint8_t* in, size_t n, const uint8_t* iv, uint8_t* out) {
        int len = 0, fin = 0;
        if (EVP_EncryptInit_ex2(w.ctr.get(), nullptr, nullptr, iv, nullptr) != 1 ||
            EVP_EncryptUpdate(w.ctr.get(), out, &len, in, static_cast<int>(n)) != 1 ||
            EVP_EncryptFinal_ex(w.ctr.get(), out + len, &fin) != 1)
            throw StorageError("SM4-CTR failed");
    }
    // EVP_MAC_init without a key restarts HMAC with the key it already has.
    static void mac(Worker& w, const uint8_t* ad, size_t adLen, const uint8_t* iv, const uint8_t* ct, size_t n,
                    uint8_t out[32]) {
        EVP_MAC_CTX* c = w.mac.get();
        uint8_t lens[16];
        for (int i = 0; i < 8; ++i) {
            lens[i] = static_cast<uint8_t>(static_cast<uint64_t>(adLen) >> (8 * i));
            lens[8 + i] = static_cast<uint8_t>(static_cast<uint64_t>(n) >> (8 * i));
        }
        size_t len = 0;
        if (EVP_MAC_init(c, nullptr, 0, nullptr) != 1 || EVP_MAC_update(c, ad, adLen) != 1 ||
            EVP_MAC_update(c, iv, 16) != 1 || EVP_MAC_update(c, ct, n) != 1 ||
            EVP_MAC_update(c, lens, sizeof lens) != 1 || EVP_MAC_final(c, out, &len, 32) != 1)
            throw StorageError("HMAC-SM3 failed");
    }
    SecretBytes m_encKey, m_macKey;
    mutable std::mutex m_poolMutex;
    mutable std::vector<std::unique_ptr<Worker>> m_pool;
};

}  // namespace

std::unique_ptr<Cipher> makeCipher(Suite s, const uint8_t* key) {
    initSodium();
    if (s == Suite::Gm) return std::make_unique<GmCipher>(key);
    return std::make_unique<XChaChaCipher>(key);
}

void sm4EcbEncryptBlock(const uint8_t key[16], const uint8_t in[16], uint8_t out[16]) {
    std::unique_ptr<EVP_CIPHER_CTX, CipherCtxDeleter> c(EVP_CIPHER_CTX_new());
    EVP_CIPHER* ecb = EVP_CIPHER_fetch(nullptr, "SM4-ECB", nullptr);
    int len = 0;
    bool ok = c && ecb && EVP_EncryptInit_ex2(c.get(), ecb, key, nullptr, nullptr) == 1 &&
              EVP_CIPHER_CTX_set_padding(c.get(), 0) == 1 && EVP_EncryptUpdate(c.get(), out, &len, in, 16) == 1;
    EVP_CIPHER_free(ecb);
    if (!ok || len != 16) throw StorageError("SM4-ECB failed");
}

std::string sm3Hex(const std::string& data) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    EVP_MD* sm3 = EVP_MD_fetch(nullptr, "SM3", nullptr);
    bool ok = sm3 && EVP_Digest(data.data(), data.size(), md, &n, sm3, nullptr) == 1;
    EVP_MD_free(sm3);
    if (!ok) throw StorageError("SM3 failed");
    static const char* hex = "0123456789abcdef";
    std::string out;
    for (unsigned i = 0; i < n; ++i) {
        out += hex[md[i] >> 4];
        out += hex[md[i] & 15];
    }
    return out;
}

}  // namespace jc::crypto
