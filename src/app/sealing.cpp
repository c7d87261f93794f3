#include "app/sealing.h"

#include <sodium.h>

#include <vector>

#include "core/i18n.h"
#include "core/error.h"
#include "store/crypto/key_file.h"

namespace jc {

namespace {
std::string toB64(const unsigned char* p, size_t n) {
    std::string out(sodium_base64_encoded_len(n, sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(out.data(), out.size(), p, n, sodium_base64_VARIANT_ORIGINAL);
    out.resize(out.find('\0') == std::string::npos ? out.size() : out.find('\0'));
    return out;
}

std::vector<unsigned char> fromB64(const std::string& s, const char* what) {
    std::vector<unsigned char> out(s.size());
    size_t len = 0;
    if (sodium_base642bin(out.data(), out.size(), s.data(), s.size(), nullptr, &len, nullptr,
                          sodium_base64_VARIANT_ORIGINAL) != 0)
        throw ValidationError(trf("sealing.err_base64", {what}));
    out.resize(len);
    return out;
}

void initSodium() {
    if (sodium_init() < 0) throw StorageError(tr("sealing.err_sodium"));
}
}  // namespace

std::string createHqKeys(Store& store) {
    initSodium();
    unsigned char pk[crypto_box_PUBLICKEYBYTES], sk[crypto_box_SECRETKEYBYTES];
    crypto_box_keypair(pk, sk);
    std::string pub = toB64(pk, sizeof pk);
    store.setMeta("hq_public_key", pub);
    store.setMeta("hq_secret_key", toB64(sk, sizeof sk));
    sodium_memzero(sk, sizeof sk);
    return pub;
}

void setHqPublicKey(Store& store, const std::string& key) {
    if (fromB64(key, "HQ public key").size() != crypto_box_PUBLICKEYBYTES)
        throw ValidationError(trf("sealing.err_key_size", {std::to_string(crypto_box_PUBLICKEYBYTES)}));
    store.setMeta("hq_public_key", key);
    // A protected store keeps a copy of its data key sealed to HQ, for a forgotten passphrase.
    if (store.isProtected()) crypto::sealForHq(store.db().path(), key);
}

std::string hqPublicKey(Store& store) { return store.meta("hq_public_key").value_or(""); }
bool canOpenSealed(Store& store) { return store.meta("hq_secret_key").has_value(); }

std::string sealIdentity(Store& store, const Json& identity) {
    initSodium();
    std::string key = hqPublicKey(store);
    if (key.empty())
        throw ValidationError(tr("sealing.err_no_key"));
    auto pk = fromB64(key, "HQ public key");
    std::string plain = identity.dump();
    std::vector<unsigned char> out(plain.size() + crypto_box_SEALBYTES);
    crypto_box_seal(out.data(), reinterpret_cast<const unsigned char*>(plain.data()), plain.size(), pk.data());
    return "sealed:v1:" + toB64(out.data(), out.size());
}

Json openIdentity(Store& store, const std::string& sealed) {
    initSodium();
    auto sk64 = store.meta("hq_secret_key");
    if (!sk64) throw ForbiddenError(tr("sealing.err_no_secret"));
    if (sealed.rfind("sealed:v1:", 0) != 0) throw ValidationError(tr("sealing.err_not_sealed"));
    auto box = fromB64(sealed.substr(10), "sealed identity");
    auto sk = fromB64(*sk64, "HQ secret key");
    auto pk = fromB64(hqPublicKey(store), "HQ public key");
    if (box.size() < crypto_box_SEALBYTES) throw ValidationError(tr("sealing.err_truncated"));
    std::string plain(box.size() - crypto_box_SEALBYTES, '\0');
    if (crypto_box_seal_open(reinterpret_cast<unsigned char*>(plain.data()), box.data(), box.size(), pk.data(),
                             sk.data()) != 0)
        throw ForbiddenError(tr("sealing.err_wrong_key"));
    sodium_memzero(sk.data(), sk.size());
    return Json::parse(plain);
}

}  // namespace jc
