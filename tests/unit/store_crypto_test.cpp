// Encryption at rest: the cipher suites against their standard vectors, the encrypting VFS
// (nothing readable on disk, a changed byte in the database or the WAL detected and named, the
// wrong key refused), the key file (wrong passphrase, passphrase change, HQ recovery) and
// encrypted evidence files (streamed, resumable, tamper-evident).
#include <catch2/catch.hpp>

#include <sodium.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "base/sha256.h"
#include "core/error.h"
#include "store/crypto/blob_file.h"
#include "store/crypto/cipher.h"
#include "store/crypto/key_file.h"
#include "store/crypto/keyring.h"
#include "store/protect.h"
#include "store/store.h"
#include "support/temp_dir.h"

using namespace jc;
namespace fs = std::filesystem;

namespace {

// libsodium's minimum argon2id limits for the many key files made here (store_bench times the real ones).
const bool kFastKdf = ::setenv("JIANCHA_KDF", "fast", 1) == 0;

std::string fileBytes(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

void flipByte(const fs::path& p, std::streamoff off) {
    std::fstream f(p, std::ios::in | std::ios::out | std::ios::binary);
    f.seekg(off);
    char c = 0;
    f.get(c);
    f.seekp(off);
    f.put(static_cast<char>(c ^ 0x20));
}

bool anyFileContains(const fs::path& dir, const std::string& needle) {
    for (const auto& e : fs::recursive_directory_iterator(dir))
        if (e.is_regular_file() && fileBytes(e.path()).find(needle) != std::string::npos) return true;
    return false;
}

std::string hex(const uint8_t* p, size_t n) { return toHex(p, n); }

std::vector<uint8_t> unhex(const std::string& h) {
    std::vector<uint8_t> out;
    for (size_t i = 0; i + 1 < h.size(); i += 2) out.push_back(static_cast<uint8_t>(std::stoi(h.substr(i, 2), nullptr, 16)));
    return out;
}

// A protected store with `n` rows of secret text, written and closed.
void writeSecretRows(const fs::path& db, int n, const std::string& secret) {
    Store s(db.string());
    REQUIRE(s.isProtected());
    s.db().exec("CREATE TABLE IF NOT EXISTS secrets(id INTEGER PRIMARY KEY, body TEXT)");
    Transaction tx(s.db());
    for (int i = 0; i < n; ++i) s.db().prepare("INSERT INTO secrets(body) VALUES(?)").bind(1, secret + std::to_string(i)).run();
    tx.commit();
}

}  // namespace

TEST_CASE("SM4 matches the GB/T 32907 example and SM3 the GB/T 32905 'abc' vector", "[crypto]") {
    auto key = unhex("0123456789abcdeffedcba9876543210");
    uint8_t out[16];
    crypto::sm4EcbEncryptBlock(key.data(), key.data(), out);
    CHECK(hex(out, 16) == "681edf34d206965e86b3e94f536e4246");
    CHECK(crypto::sm3Hex("abc") == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
}

TEST_CASE("both suites seal with a fresh nonce and refuse a changed unit or its moved place", "[crypto]") {
    for (auto suite : {crypto::Suite::XChaCha, crypto::Suite::Gm}) {
        INFO(crypto::suiteName(suite));
        uint8_t key[32];
        crypto::randomBytes(key, sizeof key);
        auto c = crypto::makeCipher(suite, key);
        std::string plain = "检查发现：某局长以权谋私";
        std::string ad = "page 7";
        std::vector<uint8_t> ct(plain.size()), ct2(plain.size()), tr(c->trailer()), tr2(c->trailer()), back(plain.size());
        auto P = reinterpret_cast<const uint8_t*>(plain.data());
        auto A = reinterpret_cast<const uint8_t*>(ad.data());
        c->seal(P, plain.size(), A, ad.size(), ct.data(), tr.data());
        c->seal(P, plain.size(), A, ad.size(), ct2.data(), tr2.data());
        CHECK(ct != ct2);  // fresh nonce: the same page never encrypts the same way twice
        CHECK(std::string(ct.begin(), ct.end()).find("以权谋私") == std::string::npos);
        REQUIRE(c->open(ct.data(), ct.size(), A, ad.size(), tr.data(), back.data()));
        CHECK(std::string(back.begin(), back.end()) == plain);
        ct[3] ^= 1;
        CHECK_FALSE(c->open(ct.data(), ct.size(), A, ad.size(), tr.data(), back.data()));
        ct[3] ^= 1;
        std::string other = "page 8";
        CHECK_FALSE(c->open(ct.data(), ct.size(), reinterpret_cast<const uint8_t*>(other.data()), other.size(), tr.data(),
                            back.data()));
    }
}

TEST_CASE("a protected store is ciphertext on disk and opens only with its passphrase", "[crypto]") {
    for (auto suite : {crypto::Suite::XChaCha, crypto::Suite::Gm}) {
        INFO(crypto::suiteName(suite));
        test::TempDir dir("crypto");
        fs::path db = dir.path / "jiancha.db";
        crypto::createStoreKey(db, crypto::keyFilePath(db), suite, "correct horse 电池", "");
        writeSecretRows(db, 300, "举报人张三丰的身份");
        {
            Store s(db.string());  // a second connection while the first wrote a WAL: reads the WAL through the VFS
            CHECK(s.db().queryInt("SELECT count(*) FROM secrets") == 300);
            auto v = s.db().prepare("PRAGMA integrity_check");
            REQUIRE(v.step());
            CHECK(v.getText(0) == "ok");
        }
        CHECK_FALSE(anyFileContains(dir.path, "举报人张三丰"));
        CHECK_FALSE(anyFileContains(dir.path, "SQLite format 3"));

        crypto::lockStore(db);
        CHECK_THROWS_AS(Store(db.string()), LockedError);
        CHECK_FALSE(crypto::unlockStore(db, "wrong passphrase"));
        CHECK_FALSE(crypto::storeIsUnlocked(db));
        REQUIRE(crypto::unlockStore(db, "correct horse 电池"));
        Store s(db.string());
        CHECK(s.db().queryInt("SELECT count(*) FROM secrets WHERE body LIKE '举报人%'") == 300);
        crypto::lockStore(db);
    }
}

TEST_CASE("a changed byte in the database or in the WAL is detected and the file named", "[crypto]") {
    test::TempDir dir("crypto");
    fs::path db = dir.path / "jiancha.db";
    crypto::createStoreKey(db, crypto::keyFilePath(db), crypto::Suite::XChaCha, "pass", "");
    writeSecretRows(db, 400, "row");  // closed: checkpointed into the database file
    SECTION("database page") {
        flipByte(db, 4096 * 3 + 500);  // inside page 4
        try {
            Store s(db.string());
            auto check = s.db().prepare("PRAGMA integrity_check");  // reads every page
            while (check.step()) {
            }
            FAIL("the changed page was used");
        } catch (const StorageError& e) {
            std::string what = e.what();
            CHECK(what.find("jiancha.db") != std::string::npos);
            CHECK(what.find("failed its integrity check") != std::string::npos);
            CHECK(what.find("page 4") != std::string::npos);
        }
    }
    SECTION("WAL frame") {
        Store writer(db.string());
        writer.db().exec("PRAGMA wal_autocheckpoint=0");
        writer.db().exec("UPDATE secrets SET body = body || '!'");
        fs::path wal = db.string() + "-wal";
        REQUIRE(fs::file_size(wal) > 32 + 24 + 4096);
        flipByte(wal, 32 + 24 + 1000);  // inside the first frame's page
        try {
            Store reader(db.string());
            reader.db().queryInt("SELECT count(*) FROM secrets WHERE body LIKE '%!'");
            FAIL("the changed WAL frame was used");
        } catch (const StorageError& e) {
            std::string what = e.what();
            CHECK(what.find("jiancha.db-wal") != std::string::npos);
            CHECK(what.find("failed its integrity check") != std::string::npos);
        }
    }
    crypto::lockStore(db);
}

TEST_CASE("changing the passphrase rewraps the key only, and HQ recovers a forgotten one", "[crypto]") {
    crypto::initSodium();
    unsigned char pk[crypto_box_PUBLICKEYBYTES], sk[crypto_box_SECRETKEYBYTES];
    crypto_box_keypair(pk, sk);
    std::string hqPk = crypto::toBase64(pk, sizeof pk), hqSk = crypto::toBase64(sk, sizeof sk);
    test::TempDir dir("crypto");
    fs::path db = dir.path / "jiancha.db";
    crypto::createStoreKey(db, crypto::keyFilePath(db), crypto::Suite::XChaCha, "old pass", hqPk);
    writeSecretRows(db, 10, "secret");
    std::string dbBefore = fileBytes(db);
    crypto::changePassphrase(db, "new pass");
    CHECK(fileBytes(db) == dbBefore);  // nothing re-encrypted
    crypto::lockStore(db);
    CHECK_FALSE(crypto::unlockStore(db, "old pass"));
    REQUIRE(crypto::unlockStore(db, "new pass"));
    crypto::lockStore(db);

    // Forgotten: the device asks, HQ answers with its secret key, the device sets a new passphrase.
    std::string request = crypto::recoveryRequest(db);
    unsigned char otherPk[crypto_box_PUBLICKEYBYTES], otherSk[crypto_box_SECRETKEYBYTES];
    crypto_box_keypair(otherPk, otherSk);
    CHECK_THROWS_AS(crypto::hqRecoverKey(request, crypto::toBase64(otherPk, 32), crypto::toBase64(otherSk, 32)),
                    ForbiddenError);
    std::string answer = crypto::hqRecoverKey(request, hqPk, hqSk);
    crypto::completeRecovery(db, answer, "reset pass");
    crypto::lockStore(db);
    REQUIRE(crypto::unlockStore(db, "reset pass"));
    Store s(db.string());
    CHECK(s.db().queryInt("SELECT count(*) FROM secrets") == 10);
    crypto::lockStore(db);
}

TEST_CASE("evidence files are encrypted in chunks, read at any offset, resumed, and a change is caught", "[crypto]") {
    for (auto suite : {crypto::Suite::XChaCha, crypto::Suite::Gm}) {
        INFO(crypto::suiteName(suite));
        test::TempDir dir("crypto");
        fs::path db = dir.path / "jiancha.db";
        crypto::createStoreKey(db, crypto::keyFilePath(db), suite, "pass", "");
        auto key = crypto::findStoreKey(db.string());
        std::string photo;
        for (int i = 0; photo.size() < 200000; ++i) photo += "JPEGPATTERN-" + std::to_string(i) + ";";
        fs::path blob = dir.path / "blob";
        {
            crypto::BlobWriter w(blob, key);
            w.write(photo.data(), 70000);
            w.write(photo.data() + 70000, photo.size() - 70000);
            w.finish();
        }
        CHECK(crypto::isEncryptedBlob(blob));
        CHECK(fileBytes(blob).find("JPEGPATTERN") == std::string::npos);
        crypto::BlobReader r(blob, key);
        CHECK(r.size() == static_cast<int64_t>(photo.size()));
        CHECK(r.readAll() == photo);
        std::string mid(1000, '\0');
        r.readAt(mid.data(), mid.size(), 65000);
        CHECK(mid == photo.substr(65000, 1000));
        CHECK_THROWS_AS(crypto::BlobReader(blob, nullptr), StorageError);  // locked

        // A download cut after two chunks resumes from the complete ones.
        fs::path part = dir.path / "part";
        {
            crypto::BlobWriter w(part, key);
            w.write(photo.data(), 150000);  // two full chunks flushed, the rest buffered and lost
        }
        Sha256 rehash;
        int64_t kept = 0;
        auto w = crypto::BlobWriter::resume(part, key, [&](const uint8_t* p, size_t n) { rehash.update(p, n); }, kept);
        CHECK(kept == 2 * static_cast<int64_t>(crypto::kBlobChunk));
        w->write(photo.data() + kept, photo.size() - static_cast<size_t>(kept));
        w->finish();
        CHECK(crypto::BlobReader(part, key).readAll() == photo);

        flipByte(blob, static_cast<std::streamoff>(fs::file_size(blob) - 100));
        crypto::BlobReader bad(blob, key);
        try {
            bad.readAll();
            FAIL("a changed evidence file was read");
        } catch (const StorageError& e) {
            CHECK(std::string(e.what()).find(blob.string()) != std::string::npos);
        }
        crypto::lockStore(db);
    }
}

TEST_CASE("protect converts a plain store in place, and an interrupted conversion rolls back", "[crypto]") {
    test::TempDir dir("crypto");
    fs::path db = dir.path / "jiancha.db";
    fs::path blobs = dir.path / "blobs";
    {
        Store s(db.string());
        s.db().exec("CREATE TABLE secrets(id INTEGER PRIMARY KEY, body TEXT)");
        for (int i = 0; i < 50; ++i) s.db().prepare("INSERT INTO secrets(body) VALUES(?)").bind(1, "明文秘密" + std::to_string(i)).run();
    }
    fs::create_directories(blobs);
    std::ofstream(blobs / sha256Hex("PHOTO-BYTES"), std::ios::binary) << "PHOTO-BYTES";
    std::ofstream(blobs / "abc.part", std::ios::binary) << "PARTIAL-PLAIN";
    REQUIRE(anyFileContains(dir.path, "明文秘密"));

    SECTION("an interruption before the commit point leaves the plain store") {
        // What a crash after the encrypted copy was begun leaves behind.
        std::ofstream(dir.path / "jiancha.db.keys.pending") << "{}";
        std::ofstream(dir.path / "jiancha.db.protecting") << "half a copy";
        Store s(db.string());
        CHECK_FALSE(s.isProtected());
        CHECK(s.db().queryInt("SELECT count(*) FROM secrets") == 50);
        CHECK_FALSE(fs::exists(dir.path / "jiancha.db.keys.pending"));
        CHECK_FALSE(fs::exists(dir.path / "jiancha.db.protecting"));
    }
    SECTION("converted: every row kept, nothing readable, evidence encrypted") {
        ProtectResult r = protectStore(db, blobs, crypto::Suite::XChaCha, "pass", "");
        CHECK(r.converted);
        CHECK(r.blobsEncrypted == 1);
        CHECK_FALSE(anyFileContains(dir.path, "明文秘密"));
        CHECK_FALSE(anyFileContains(dir.path, "PHOTO-BYTES"));
        CHECK_FALSE(anyFileContains(dir.path, "PARTIAL-PLAIN"));
        crypto::lockStore(db);
        CHECK_THROWS_AS(protectStore(db, blobs, crypto::Suite::XChaCha, "wrong", ""), LockedError);
        REQUIRE(crypto::unlockStore(db, "pass"));
        Store s(db.string());
        CHECK(s.isProtected());
        CHECK(s.db().queryInt("SELECT count(*) FROM secrets WHERE body LIKE '明文秘密%'") == 50);
        CHECK(crypto::BlobReader(blobs / sha256Hex("PHOTO-BYTES"), crypto::findStoreKey(db.string())).readAll() ==
              "PHOTO-BYTES");
    }
    crypto::lockStore(db);
}
