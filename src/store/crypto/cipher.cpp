#include "store/crypto/cipher.h"

#include <gcrypt.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <sodium.h>

#include <cstring>
#include <mutex>
#include <stdexcept>
#include <type_traits>
#include <vector>

#include "base/sha256.h"
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

struct GcryCipherDeleter {
    void operator()(gcry_cipher_hd_t h) const { gcry_cipher_close(h); }
};
using GcryCipher = std::unique_ptr<std::remove_pointer_t<gcry_cipher_hd_t>, GcryCipherDeleter>;
struct GcryMacDeleter {
    void operator()(gcry_mac_hd_t h) const { gcry_mac_close(h); }
};
using GcryMac = std::unique_ptr<std::remove_pointer_t<gcry_mac_hd_t>, GcryMacDeleter>;

// libgcrypt is started once per process (unless something else in it did already), without its
// secure-memory pool: key material lives in our own locked memory (SecretBytes).
void initGcrypt() {
    static std::once_flag once;
    static bool ok = false;
    std::call_once(once, [] {
        if (gcry_control(GCRYCTL_INITIALIZATION_FINISHED_P)) {
            ok = true;
            return;
        }
        ok = gcry_check_version("1.9.0") != nullptr;
        if (!ok) return;
        gcry_control(GCRYCTL_DISABLE_SECMEM, 0);
        gcry_control(GCRYCTL_INITIALIZATION_FINISHED, 0);
    });
    if (!ok) throw StorageError(tr("store.err_no_sm4"));
}

GcryCipher sm4Handle(int mode, const uint8_t key[16]) {
    initGcrypt();
    gcry_cipher_hd_t h = nullptr;
    if (gcry_cipher_open(&h, GCRY_CIPHER_SM4, mode, 0) != 0) throw StorageError(tr("store.err_no_sm4"));
    GcryCipher c(h);
    if (gcry_cipher_setkey(h, key, 16) != 0) throw StorageError("SM4 key setup failed");
    return c;
}

EVP_MAC* hmacAlgorithm() {
    static EVP_MAC* mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
    if (!mac) throw StorageError("OpenSSL has no HMAC");
    return mac;
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
        GcryCipher ctr;                                         // SM4-CTR with the key set
        GcryMac mac;                                            // HMAC-SM3 with the key set
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
        w->ctr = sm4Handle(GCRY_CIPHER_MODE_CTR, m_encKey.data());
        gcry_mac_hd_t m = nullptr;
        if (gcry_mac_open(&m, GCRY_MAC_HMAC_SM3, 0, nullptr) != 0) throw StorageError(tr("store.err_no_sm4"));
        w->mac.reset(m);
        if (gcry_mac_setkey(m, m_macKey.data(), m_macKey.size()) != 0) throw StorageError("HMAC-SM3 key setup failed");
        return w;
    }
    void release(std::unique_ptr<Worker> w) const {
        if (!w) return;
        std::lock_guard<std::mutex> lock(m_poolMutex);
        m_pool.push_back(std::move(w));
    }

    // The key stays set: only the counter block (the IV, incremented as a 128-bit big-endian
    // number, as in OpenSSL and GB/T 17964) is reset.
    static void ctr(Worker& w, const uint8_t* in, size_t n, const uint8_t* iv, uint8_t* out) {
        gcry_cipher_hd_t h = w.ctr.get();
        bool inPlace = in == out;
        if (gcry_cipher_setctr(h, iv, 16) != 0 ||
            gcry_cipher_encrypt(h, out, n, inPlace ? nullptr : in, inPlace ? 0 : n) != 0)
            throw StorageError("SM4-CTR failed");
    }
    // gcry_mac_reset restarts HMAC with the key it already has.
    static void mac(Worker& w, const uint8_t* ad, size_t adLen, const uint8_t* iv, const uint8_t* ct, size_t n,
                    uint8_t out[32]) {
        gcry_mac_hd_t c = w.mac.get();
        uint8_t lens[16];
        for (int i = 0; i < 8; ++i) {
            lens[i] = static_cast<uint8_t>(static_cast<uint64_t>(adLen) >> (8 * i));
            lens[8 + i] = static_cast<uint8_t>(static_cast<uint64_t>(n) >> (8 * i));
        }
        size_t len = 32;
        if (gcry_mac_reset(c) != 0 || gcry_mac_write(c, ad, adLen) != 0 || gcry_mac_write(c, iv, 16) != 0 ||
            gcry_mac_write(c, ct, n) != 0 || gcry_mac_write(c, lens, sizeof lens) != 0 ||
            gcry_mac_read(c, out, &len) != 0 || len != 32)
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
    GcryCipher c = sm4Handle(GCRY_CIPHER_MODE_ECB, key);
    if (gcry_cipher_encrypt(c.get(), out, 16, in, 16) != 0) throw StorageError("SM4-ECB failed");
}

std::string sm3Hex(const std::string& data) {
    initGcrypt();
    unsigned char md[32];
    if (gcry_md_get_algo_dlen(GCRY_MD_SM3) != sizeof md) throw StorageError("SM3 failed");
    gcry_md_hash_buffer(GCRY_MD_SM3, md, data.data(), data.size());
    return toHex(md, sizeof md);
}

}  // namespace jc::crypto
