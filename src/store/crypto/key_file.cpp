#include "store/crypto/key_file.h"

#include <fcntl.h>
#include <sodium.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "base/file_io.h"
#include "base/sha256.h"
#include "core/error.h"
#include "core/i18n.h"
#include "store/crypto/keyring.h"

namespace jc::crypto {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr const char* kFormat = "jiancha-keys-1";

json readJson(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    if (!in) throw StorageError(trf("store.err_key_unreadable", {p.string()}));
    std::stringstream ss;
    ss << in.rdbuf();
    try {
        json j = json::parse(ss.str());
        if (j.value("format", "") != kFormat) throw StorageError(trf("store.err_key_foreign", {p.string()}));
        return j;
    } catch (const json::exception&) {
        throw StorageError(trf("store.err_key_damaged", {p.string(), "JSON"}));
    }
}

void writeJsonDurably(const fs::path& p, const json& j) {
    fs::path tmp = p;
    tmp += ".tmp";
    std::string text = j.dump(2) + "\n";
    {
        FileHandle f = FileHandle::open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (!f || !writeAll(f.get(), text.data(), text.size()) || ::fsync(f.get()) != 0 || !f.close())
            throw StorageError(trf("store.err_key_write", {tmp.string(), std::strerror(errno)}));
    }
    std::error_code ec;
    fs::rename(tmp, p, ec);
    if (ec) throw StorageError(trf("store.err_key_write", {p.string(), ec.message()}));
    fsyncDir(p.parent_path().empty() ? fs::path(".") : p.parent_path());
}

std::string adFor(const std::string& fileId) { return std::string(kFormat) + ":" + fileId; }

SecretBytes deriveKek(const std::string& passphrase, const std::string& salt, const KdfLimits& l) {
    SecretBytes kek(kKeyBytes);
    if (salt.size() != crypto_pwhash_SALTBYTES) throw StorageError(tr("store.err_key_salt"));
    if (crypto_pwhash(kek.data(), kek.size(), passphrase.data(), passphrase.size(),
                      reinterpret_cast<const uint8_t*>(salt.data()), l.ops, l.mem, crypto_pwhash_ALG_ARGON2ID13) != 0)
        throw StorageError(tr("store.err_argon_memory"));
    return kek;
}

// Wraps the data key with the passphrase into j (new salt each time).
void wrapWithPassphrase(json& j, Suite suite, const SecretBytes& dataKey, const std::string& fileId,
                        const std::string& passphrase, const KdfLimits& l) {
    std::string salt(crypto_pwhash_SALTBYTES, '\0');
    randomBytes(reinterpret_cast<uint8_t*>(salt.data()), salt.size());
    SecretBytes kek = deriveKek(passphrase, salt, l);
    auto c = makeCipher(suite, kek.data());
    std::string ad = adFor(fileId);
    std::vector<uint8_t> out(kKeyBytes + c->trailer());
    c->seal(dataKey.data(), kKeyBytes, reinterpret_cast<const uint8_t*>(ad.data()), ad.size(), out.data(),
            out.data() + kKeyBytes);
    j["kdf"] = {{"alg", "argon2id13"},
                {"ops", l.ops},
                {"mem", l.mem},
                {"salt", toBase64(reinterpret_cast<const uint8_t*>(salt.data()), salt.size())}};
    j["wrapped_key"] = toBase64(out.data(), out.size());
}

void sealToHq(json& j, const SecretBytes& dataKey, const std::string& hqPublicKey) {
    std::string pk = fromBase64(hqPublicKey, "HQ public key");
    if (pk.size() != crypto_box_PUBLICKEYBYTES) throw ValidationError(tr("store.err_hq_key_size"));
    std::vector<uint8_t> box(kKeyBytes + crypto_box_SEALBYTES);
    crypto_box_seal(box.data(), dataKey.data(), kKeyBytes, reinterpret_cast<const uint8_t*>(pk.data()));
    j["hq_public_key"] = hqPublicKey;
    j["hq_sealed_key"] = toBase64(box.data(), box.size());
}

// The unlocked key of the store, or a StorageError telling to sign in.
std::shared_ptr<const StoreKey> requireKey(const fs::path& dbPath) {
    auto k = findStoreKey(dbPath.string());
    if (!k) throw StorageError(trf("store.err_locked", {dbPath.string()}));
    return k;
}

void registerKey(const fs::path& dbPath, Suite suite, const std::string& fileId, SecretBytes dataKey) {
    StoreKey k;
    k.suite = suite;
    k.fileId = fileId;
    k.cipher = makeCipher(suite, dataKey.data());
    k.dataKey = std::make_shared<SecretBytes>(std::move(dataKey));
    putStoreKey(dbPath.string(), std::move(k));
}

}  // namespace

std::string toBase64(const uint8_t* p, size_t n) {
    initSodium();
    std::string out(sodium_base64_encoded_len(n, sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(out.data(), out.size(), p, n, sodium_base64_VARIANT_ORIGINAL);
    out.resize(std::strlen(out.c_str()));
    return out;
}

std::string fromBase64(const std::string& s, const char* what) {
    initSodium();
    std::string out(s.size(), '\0');
    size_t len = 0;
    if (sodium_base642bin(reinterpret_cast<uint8_t*>(out.data()), out.size(), s.data(), s.size(), " \n\r\t", &len,
                          nullptr, sodium_base64_VARIANT_ORIGINAL) != 0)
        throw ValidationError(trf("store.err_base64", {what}));
    out.resize(len);
    return out;
}

fs::path keyFilePath(const fs::path& dbPath) {
    fs::path p = dbPath;
    p += ".keys";
    return p;
}

bool storeIsProtected(const fs::path& dbPath) {
    std::error_code ec;
    return fs::exists(keyFilePath(dbPath), ec);
}

KdfLimits productKdfLimits() { return {3, 64u << 20}; }

KdfLimits defaultKdfLimits() {
#ifdef JIANCHA_TEST_KDF
    if (const char* k = std::getenv("JIANCHA_KDF"); k && std::string(k) == "fast")
        return {crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN};
#endif
    return productKdfLimits();
}

KeyFileInfo readKeyFileInfo(const fs::path& dbPath) {
    json j = readJson(keyFilePath(dbPath));
    KeyFileInfo info;
    info.suite = parseSuite(j.value("suite", ""));
    info.kdf = {j["kdf"].value("ops", uint64_t{0}), j["kdf"].value("mem", size_t{0})};
    info.hqCanRecover = j.contains("hq_sealed_key");
    info.hqPublicKey = j.value("hq_public_key", "");
    return info;
}

void createStoreKey(const fs::path& dbPath, const fs::path& keyFile, Suite suite, const std::string& passphrase,
                    const std::string& hqPublicKey) {
    initSodium();
    if (passphrase.empty()) throw ValidationError(tr("store.err_empty_passphrase"));
    SecretBytes dataKey(kKeyBytes);
    randomBytes(dataKey.data(), dataKey.size());
    std::string fileId(16, '\0');
    randomBytes(reinterpret_cast<uint8_t*>(fileId.data()), fileId.size());
    json j = {{"format", kFormat},
              {"suite", suiteName(suite)},
              {"page_size", 4096},
              {"file_id", toBase64(reinterpret_cast<const uint8_t*>(fileId.data()), fileId.size())}};
    wrapWithPassphrase(j, suite, dataKey, fileId, passphrase, defaultKdfLimits());
    if (!hqPublicKey.empty()) sealToHq(j, dataKey, hqPublicKey);
    writeJsonDurably(keyFile, j);
    registerKey(dbPath, suite, fileId, std::move(dataKey));
}

namespace {
bool unwrap(const fs::path& dbPath, const std::string& passphrase, bool keep) {
    initSodium();
    json j = readJson(keyFilePath(dbPath));
    try {
        Suite suite = parseSuite(j.at("suite").get<std::string>());
        std::string fileId = fromBase64(j.at("file_id").get<std::string>(), "file id");
        std::string salt = fromBase64(j.at("kdf").at("salt").get<std::string>(), "salt");
        KdfLimits l{j.at("kdf").at("ops").get<uint64_t>(), j.at("kdf").at("mem").get<size_t>()};
        std::string wrapped = fromBase64(j.at("wrapped_key").get<std::string>(), "wrapped key");
        SecretBytes kek = deriveKek(passphrase, salt, l);
        auto c = makeCipher(suite, kek.data());
        if (wrapped.size() != kKeyBytes + c->trailer())
            throw StorageError(trf("store.err_key_damaged", {keyFilePath(dbPath).string(), "wrapped key"}));
        SecretBytes dataKey(kKeyBytes);
        std::string ad = adFor(fileId);
        const auto* w = reinterpret_cast<const uint8_t*>(wrapped.data());
        if (!c->open(w, kKeyBytes, reinterpret_cast<const uint8_t*>(ad.data()), ad.size(), w + kKeyBytes, dataKey.data()))
            return false;
        KdfLimits want = defaultKdfLimits();
        if (keep && (l.ops < want.ops || l.mem < want.mem)) {
            // A key file made with weaker limits than this build's (an older release, a test
            // build): rewrapped now, with a new salt, so it does not stay weak. Best effort: a
            // read-only directory keeps the old wrapping and the sign-in still succeeds.
            try {
                wrapWithPassphrase(j, suite, dataKey, fileId, passphrase, want);
                writeJsonDurably(keyFilePath(dbPath), j);
            } catch (const StorageError&) {
            }
        }
        if (keep) registerKey(dbPath, suite, fileId, std::move(dataKey));
        return true;
    } catch (const json::exception&) {
        throw StorageError(trf("store.err_key_damaged", {keyFilePath(dbPath).string(), "base64"}));
    } catch (const ValidationError& e) {
        throw StorageError(trf("store.err_key_damaged", {keyFilePath(dbPath).string(), e.what()}));
    }
}
}  // namespace

bool unlockStore(const fs::path& dbPath, const std::string& passphrase) { return unwrap(dbPath, passphrase, true); }
bool passphraseOpens(const fs::path& dbPath, const std::string& passphrase) { return unwrap(dbPath, passphrase, false); }

bool storeIsUnlocked(const fs::path& dbPath) { return findStoreKey(dbPath.string()) != nullptr; }
void lockStore(const fs::path& dbPath) { forgetStoreKey(dbPath.string()); }

void changePassphrase(const fs::path& dbPath, const std::string& newPassphrase) {
    if (newPassphrase.empty()) throw ValidationError(tr("store.err_empty_passphrase"));
    auto k = requireKey(dbPath);
    json j = readJson(keyFilePath(dbPath));
    wrapWithPassphrase(j, k->suite, *k->dataKey, k->fileId, newPassphrase, defaultKdfLimits());
    writeJsonDurably(keyFilePath(dbPath), j);
}

void sealForHq(const fs::path& dbPath, const std::string& hqPublicKey) {
    auto k = requireKey(dbPath);
    json j = readJson(keyFilePath(dbPath));
    if (j.value("hq_public_key", "") == hqPublicKey && j.contains("hq_sealed_key")) return;
    sealToHq(j, *k->dataKey, hqPublicKey);
    writeJsonDurably(keyFilePath(dbPath), j);
}

std::string recoveryRequest(const fs::path& dbPath) {
    initSodium();
    json j = readJson(keyFilePath(dbPath));
    if (!j.contains("hq_sealed_key")) throw ValidationError(tr("store.err_no_hq_copy"));
    // A one-time key pair for HQ's answer; its secret half waits in <db>.keys.recovery.
    uint8_t pk[crypto_box_PUBLICKEYBYTES];
    SecretBytes sk(crypto_box_SECRETKEYBYTES);
    crypto_box_keypair(pk, sk.data());
    fs::path pending = keyFilePath(dbPath);
    pending += ".recovery";
    json req = {{"sealed_key", j["hq_sealed_key"]}, {"reply_to", toBase64(pk, sizeof pk)}};
    std::string text = req.dump();
    std::string request = "jiancha-recovery-request:" + toBase64(reinterpret_cast<const uint8_t*>(text.data()), text.size());
    // The request's SHA-256 stays with it: the device's audit entry of the reset names it, as
    // HQ's entry of the answer does.
    writeJsonDurably(pending, {{"format", kFormat},
                               {"public_key", toBase64(pk, sizeof pk)},
                               {"secret_key", toBase64(sk.data(), sk.size())},
                               {"request_sha256", sha256Hex(request)}});
    return request;
}

std::string pendingRecoveryRequestSha256(const fs::path& dbPath) {
    fs::path pending = keyFilePath(dbPath);
    pending += ".recovery";
    std::error_code ec;
    if (!fs::exists(pending, ec)) return "";
    try {
        return readJson(pending).value("request_sha256", "");
    } catch (const StorageError&) {
        return "";  // completeRecovery() says what is wrong with it
    }
}

std::string hqRecoverKey(const std::string& request, const std::string& hqPublicKey, const std::string& hqSecretKey) {
    initSodium();
    const std::string prefix = "jiancha-recovery-request:";
    if (request.rfind(prefix, 0) != 0) throw ValidationError(tr("store.err_not_request"));
    json req;
    try {
        req = json::parse(fromBase64(request.substr(prefix.size()), "recovery request"));
    } catch (const json::exception&) {
        throw ValidationError(tr("store.err_request_damaged"));
    }
    std::string box = fromBase64(req.value("sealed_key", ""), "sealed key");
    std::string replyTo = fromBase64(req.value("reply_to", ""), "reply key");
    std::string pk = fromBase64(hqPublicKey, "HQ public key"), sk = fromBase64(hqSecretKey, "HQ secret key");
    if (box.size() != kKeyBytes + crypto_box_SEALBYTES || replyTo.size() != crypto_box_PUBLICKEYBYTES)
        throw ValidationError(tr("store.err_request_damaged"));
    SecretBytes dataKey(kKeyBytes);
    bool ok = crypto_box_seal_open(dataKey.data(), reinterpret_cast<const uint8_t*>(box.data()), box.size(),
                                   reinterpret_cast<const uint8_t*>(pk.data()), reinterpret_cast<const uint8_t*>(sk.data())) == 0;
    sodium_memzero(sk.data(), sk.size());
    if (!ok) throw ForbiddenError(tr("store.err_request_other_hq"));
    std::vector<uint8_t> answer(kKeyBytes + crypto_box_SEALBYTES);
    crypto_box_seal(answer.data(), dataKey.data(), kKeyBytes, reinterpret_cast<const uint8_t*>(replyTo.data()));
    return "jiancha-recovery-answer:" + toBase64(answer.data(), answer.size());
}

void completeRecovery(const fs::path& dbPath, const std::string& answer, const std::string& newPassphrase) {
    initSodium();
    if (newPassphrase.empty()) throw ValidationError(tr("store.err_empty_passphrase"));
    const std::string prefix = "jiancha-recovery-answer:";
    if (answer.rfind(prefix, 0) != 0) throw ValidationError(tr("store.err_not_answer"));
    fs::path pending = keyFilePath(dbPath);
    pending += ".recovery";
    if (!fs::exists(pending)) throw ValidationError(tr("store.err_no_request"));
    json r = readJson(pending);
    std::string pk = fromBase64(r.value("public_key", ""), "recovery key"), sk = fromBase64(r.value("secret_key", ""), "recovery key");
    std::string box = fromBase64(answer.substr(prefix.size()), "recovery answer");
    json j = readJson(keyFilePath(dbPath));
    Suite suite = parseSuite(j.at("suite").get<std::string>());
    std::string fileId = fromBase64(j.at("file_id").get<std::string>(), "file id");
    SecretBytes dataKey(kKeyBytes);
    bool ok = box.size() == kKeyBytes + crypto_box_SEALBYTES &&
              crypto_box_seal_open(dataKey.data(), reinterpret_cast<const uint8_t*>(box.data()), box.size(),
                                   reinterpret_cast<const uint8_t*>(pk.data()), reinterpret_cast<const uint8_t*>(sk.data())) == 0;
    sodium_memzero(sk.data(), sk.size());
    if (!ok) throw ValidationError(tr("store.err_answer_mismatch"));
    // The answer is checked by the caller: the store must then open with it.
    wrapWithPassphrase(j, suite, dataKey, fileId, newPassphrase, defaultKdfLimits());
    registerKey(dbPath, suite, fileId, std::move(dataKey));
    writeJsonDurably(keyFilePath(dbPath), j);
    fs::remove(pending);
}

}  // namespace jc::crypto
