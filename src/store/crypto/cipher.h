#pragma once
// The authenticated encryption used for everything at rest: one sealed unit (a database page,
// a WAL frame's page, a block of a journal or evidence file) is encrypted with a fresh random
// nonce; the nonce and the tag travel beside the ciphertext (the "trailer"), and associated data
// (which file, which page) binds the unit to its place so a page moved or swapped is detected.
//   xchacha: XChaCha20-Poly1305 (libsodium), trailer = 24-byte nonce + 16-byte tag = 40 bytes.
//   gm:      SM4-CTR + HMAC-SM3 (GB/T 32907, GB/T 32905), encrypt-then-MAC over
//            ad || iv || ciphertext; trailer = 16-byte IV + 32-byte tag = 48 bytes. SM4 and the
//            per-unit HMAC-SM3 come from libgcrypt (its AES-NI/AVX2 SM4: ~6x OpenSSL 3.0's on
//            4 KiB pages), the one-off key derivation (HMAC-SM3) from OpenSSL 3; the results are
//            the standard algorithms' either way (the known-answer tests hold both to it).
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace jc::crypto {

enum class Suite { XChaCha, Gm };

constexpr size_t kKeyBytes = 32;

std::string suiteName(Suite s);           // "xchacha20poly1305" / "sm4ctr-hmacsm3"
Suite parseSuite(const std::string& name);  // also accepts "default" and "gm"; throws ValidationError
size_t trailerBytes(Suite s);             // 40 / 48

// A suite with its key, ready to seal and open units. Thread-safe: concurrent calls never share
// a context (the 国密 suite lends each call one from a pool of ready, keyed contexts).
class Cipher {
public:
    virtual ~Cipher() = default;
    virtual Suite suite() const = 0;
    size_t trailer() const { return trailerBytes(suite()); }
    // Encrypts `n` bytes from `in` to `out` (may be the same buffer) and writes the trailer.
    virtual void seal(const uint8_t* in, size_t n, const uint8_t* ad, size_t adLen, uint8_t* out,
                      uint8_t* trailer) const = 0;
    // Verifies and decrypts; false (and `out` unspecified) when the unit was changed.
    virtual bool open(const uint8_t* in, size_t n, const uint8_t* ad, size_t adLen, const uint8_t* trailer,
                      uint8_t* out) const = 0;
};

// `key` is kKeyBytes long; the Cipher keeps its own (sodium_malloc'd, locked) copy.
std::unique_ptr<Cipher> makeCipher(Suite s, const uint8_t* key);

// Runs once per process before any libsodium use; throws StorageError when it cannot start.
void initSodium();
void randomBytes(uint8_t* out, size_t n);
void wipe(std::string& s);  // zeroes the bytes (not optimised away), then clears

// The raw primitives of the 国密 suite (the implementations the suite uses), exposed for the
// standard test vectors.
void sm4EcbEncryptBlock(const uint8_t key[16], const uint8_t in[16], uint8_t out[16]);
std::string sm3Hex(const std::string& data);

}  // namespace jc::crypto

namespace jc::crypto {

// Key material in sodium_malloc'd memory: locked in RAM (never swapped), guarded, and wiped when
// freed. Move-only.
class SecretBytes {
public:
    SecretBytes() = default;
    explicit SecretBytes(size_t n);
    ~SecretBytes();
    SecretBytes(SecretBytes&& o) noexcept;
    SecretBytes& operator=(SecretBytes&& o) noexcept;
    SecretBytes(const SecretBytes&) = delete;
    SecretBytes& operator=(const SecretBytes&) = delete;
    uint8_t* data() { return m_p; }
    const uint8_t* data() const { return m_p; }
    size_t size() const { return m_n; }
    bool empty() const { return m_n == 0; }

private:
    uint8_t* m_p = nullptr;
    size_t m_n = 0;
};

}  // namespace jc::crypto
