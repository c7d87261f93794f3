// Encryption at rest: the cipher suites against their standard vectors, the encrypting VFS
// (nothing readable on disk, a changed byte in the database or the WAL detected and named, the
// wrong key refused), the key file (wrong passphrase, passphrase change, HQ recovery) and
// encrypted evidence files (streamed, resumable, tamper-evident).
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <sodium.h>
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include "base/core_dumps.h"
#include "base/file_io.h"
#include "base/sha256.h"
#include "core/error.h"
#include "store/crypto/blob_file.h"
#include "store/crypto/cipher.h"
#include "store/crypto/enc_vfs.h"
#include "store/crypto/key_file.h"
#include "store/crypto/keyring.h"
#include "store/crypto/parallel_work.h"
#include "store/crypto/sign_in_throttle.h"
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

// The first column of the first row (throws StorageError like any read).
std::string textOf(Database& d, const std::string& sql) {
    auto s = d.prepare(sql);
    return s.step() ? s.getText(0) : std::string("(no row)");
}

std::string hex(const uint8_t* p, size_t n) { return toHex(p, n); }

std::vector<uint8_t> unhex(const std::string& h) {
    std::vector<uint8_t> out;
    for (size_t i = 0; i + 1 < h.size(); i += 2) out.push_back(static_cast<uint8_t>(std::stoi(h.substr(i, 2), nullptr, 16)));
    return out;
}

// What reading every page of the store (PRAGMA integrity_check) throws; "" when nothing fails.
std::string integrityFailure(const fs::path& db) {
    try {
        Store s(db.string());
        auto check = s.db().prepare("PRAGMA integrity_check");
        while (check.step()) {
        }
    } catch (const StorageError& e) {
        return e.what();
    }
    return "";
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

TEST_CASE("both suites still open units sealed by earlier versions (the format is fixed)", "[crypto]") {
    // Sealed by the first release (fresh OpenSSL contexts per unit); the pooled contexts must
    // read them, and everything they seal must read back across threads.
    uint8_t key[32];
    for (int i = 0; i < 32; ++i) key[i] = static_cast<uint8_t>(i);
    std::string plain = "检查发现：某局长以权谋私 known answer 0123456789", ad = "page 7";
    struct Known {
        crypto::Suite suite;
        const char* ct;
        const char* trailer;
    };
    const Known known[] = {
        {crypto::Suite::XChaCha,
         "3400eb6527b26efe0839ca4390a38f40aef29df59270298e927c3d0d92adad095d07b1be81136065152062f0b827232880aeff0d7e44d026b44c1869",
         "d77b945ab69529527713a93386d218e72de9ea1b3bd236bafebd552c458eb6d2bf8054c3c22d3e59"},
        {crypto::Suite::Gm,
         "2594672652de04bd14f9c456985a85c1c997097e9a05bf919f030d7752f8a9cdd65a9329b9d7bd7a2b9337e8922161b5dc165371fcd7d706c449cf72",
         "8ea747ff17071c0a6bbc900fa4f88ea8e27a05ee5951941126a7c4aa99c76974c8b0af7d02b7910b11ea67235c2e72fc"},
    };
    auto A = reinterpret_cast<const uint8_t*>(ad.data());
    for (const auto& k : known) {
        INFO(crypto::suiteName(k.suite));
        auto c = crypto::makeCipher(k.suite, key);
        auto ct = unhex(k.ct), tr = unhex(k.trailer);
        std::vector<uint8_t> back(ct.size());
        for (int round = 0; round < 3; ++round) {  // a reused context opens it as well as a new one
            REQUIRE(c->open(ct.data(), ct.size(), A, ad.size(), tr.data(), back.data()));
            CHECK(std::string(back.begin(), back.end()) == plain);
        }
        tr[5] ^= 1;  // a changed IV / nonce
        CHECK_FALSE(c->open(ct.data(), ct.size(), A, ad.size(), tr.data(), back.data()));
        tr[5] ^= 1;
        CHECK(c->open(ct.data(), ct.size(), A, ad.size(), tr.data(), back.data()));  // a failure leaves no state

        // Two threads sealing and opening units of many lengths at once.
        std::atomic<int> bad{0};
        auto work = [&](int seed) {
            for (int i = 0; i < 300; ++i) {
                size_t n = static_cast<size_t>((seed * 7919 + i * 131) % 4100);
                std::vector<uint8_t> p(n), e(n), d(n), t(c->trailer());
                for (size_t j = 0; j < n; ++j) p[j] = static_cast<uint8_t>(j * 31 + i + seed);
                c->seal(p.data(), n, A, ad.size(), e.data(), t.data());
                if (!c->open(e.data(), n, A, ad.size(), t.data(), d.data()) || d != p) ++bad;
            }
        };
        std::thread t1(work, 1), t2(work, 2);
        t1.join();
        t2.join();
        CHECK(bad == 0);
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
        std::string what = integrityFailure(db);
        CHECK(what.find("jiancha.db") != std::string::npos);
        CHECK(what.find("failed its integrity check") != std::string::npos);
        CHECK(what.find("page 4") != std::string::npos);
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

namespace {

// The WAL's frames, as (offset of the frame's page, its page number).
std::vector<std::pair<std::streamoff, uint32_t>> walFrames(const fs::path& wal) {
    std::string bytes = fileBytes(wal);
    std::vector<std::pair<std::streamoff, uint32_t>> frames;
    for (size_t at = 32; at + 24 + crypto::kPageSize <= bytes.size(); at += 24 + crypto::kPageSize) {
        auto b = reinterpret_cast<const uint8_t*>(bytes.data() + at);
        frames.emplace_back(static_cast<std::streamoff>(at + 24), (uint32_t{b[0]} << 24) | (b[1] << 16) | (b[2] << 8) | b[3]);
    }
    return frames;
}

// Copies the WAL into the database and truncates it (what SQLite's automatic checkpoint does, completed).
void checkpoint(Database& d) {
    int logFrames = -1, copied = -1;
    REQUIRE(sqlite3_wal_checkpoint_v2(d.handle(), "main", SQLITE_CHECKPOINT_TRUNCATE, &logFrames, &copied) == SQLITE_OK);
}

// Associated data as the VFS makes it: store identity, a tag, an 8-byte big-endian index.
std::string unitAd(const std::string& fileId, char tag, uint64_t index) {
    std::string ad = fileId + tag;
    for (int i = 7; i >= 0; --i) ad += static_cast<char>(index >> (8 * i));
    return ad;
}

}  // namespace

TEST_CASE("a checkpoint copies WAL frames into the database as they are sealed, and a change in one is still caught",
          "[crypto]") {
    for (auto suite : {crypto::Suite::XChaCha, crypto::Suite::Gm}) {
        INFO(crypto::suiteName(suite));
        test::TempDir dir("crypto");
        fs::path db = dir.path / "jiancha.db";
        crypto::createStoreKey(db, crypto::keyFilePath(db), suite, "pass", "");
        writeSecretRows(db, 50, "row");
        Store s(db.string());
        s.db().exec("PRAGMA wal_autocheckpoint=0");
        s.db().exec("UPDATE secrets SET body = body || ' 已整改'");
        fs::path wal = db.string() + "-wal";
        auto frames = walFrames(wal);
        REQUIRE(!frames.empty());
        // The newest frame of each page is, byte for byte, that page of the database afterwards.
        std::string walBytes = fileBytes(wal);
        std::map<uint32_t, std::string> newest;
        for (const auto& [at, pgno] : frames) newest[pgno] = walBytes.substr(static_cast<size_t>(at), crypto::kPageSize);
        crypto::VfsCounters before = crypto::vfsCounters();
        checkpoint(s.db());
        crypto::VfsCounters after = crypto::vfsCounters();
        CHECK(after.walFramesCopied - before.walFramesCopied == newest.size());
        CHECK(after.dbPagesSealed == before.dbPagesSealed);  // nothing opened and sealed again
        CHECK(after.walFramesOpened == before.walFramesOpened);
        std::string dbBytes = fileBytes(db);
        for (const auto& [pgno, sealed] : newest) {
            INFO("page " << pgno);
            CHECK(dbBytes.substr(static_cast<size_t>(pgno - 1) * crypto::kPageSize, crypto::kPageSize) == sealed);
        }
        CHECK(s.db().queryInt("SELECT count(*) FROM secrets WHERE body LIKE '% 已整改'") == 50);
        CHECK(textOf(s.db(), "PRAGMA integrity_check") == "ok");

        // A byte changed in a frame before the checkpoint copies it: the database page it lands
        // in fails when read, naming the database file and the page.
        s.db().exec("UPDATE secrets SET body = body || '!'");
        auto changed = walFrames(wal);
        REQUIRE(!changed.empty());
        flipByte(wal, changed.back().first + 700);
        checkpoint(s.db());
        std::string what = integrityFailure(db);
        CHECK(what.find("jiancha.db") != std::string::npos);
        CHECK(what.find("failed its integrity check") != std::string::npos);
        CHECK(what.find("page " + std::to_string(changed.back().second)) != std::string::npos);
        crypto::lockStore(db);
    }
}

TEST_CASE("a task handed to the helper thread runs exactly once, whoever takes it", "[crypto]") {
    struct Count final : crypto::Task {
        std::atomic<int> runs{0};
        std::thread::id ranOn;
        void run() override {
            ranOn = std::this_thread::get_id();
            ++runs;
        }
    };
    std::vector<std::shared_ptr<Count>> tasks;
    for (int i = 0; i < 20000; ++i) {
        tasks.push_back(std::make_shared<Count>());
        crypto::postTask(tasks.back());
    }
    // The helper starts on its own: the first task runs without anyone here asking.
    auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (tasks.front()->runs == 0 && std::chrono::steady_clock::now() < until) std::this_thread::yield();
    CHECK(tasks.front()->runs == 1);
    for (auto it = tasks.rbegin(); it != tasks.rend(); ++it) (*it)->runIfUntaken();  // as finishPending does
    int notOnce = 0;
    for (auto& t : tasks) {
        t->finish();
        notOnce += t->runs != 1;
    }
    CHECK(notOnce == 0);
    tasks.front()->finish();
    CHECK(tasks.front()->ranOn != std::this_thread::get_id());
}

TEST_CASE("pages sealed by a second thread reach the WAL before anyone reads them, under spills and checkpoints",
          "[crypto]") {
    // synchronous=OFF: no sync before a commit is published in the WAL index, only the barrier.
    for (auto [suite, sync] : {std::pair{crypto::Suite::XChaCha, "FULL"}, std::pair{crypto::Suite::Gm, "FULL"},
                               std::pair{crypto::Suite::XChaCha, "OFF"}}) {
        INFO(crypto::suiteName(suite) << ", synchronous=" << sync);
        test::TempDir dir("crypto");
        fs::path db = dir.path / "jiancha.db";
        crypto::createStoreKey(db, crypto::keyFilePath(db), suite, "pass", "");
        writeSecretRows(db, 1, "seed");
        std::atomic<bool> done{false};
        std::atomic<int> committed{0}, readerErrors{0};
        std::string readerMessage;
        // A reader on its own connection: counts never go back, every row it sees is whole.
        std::thread reader([&] {
            try {
                Store r(db.string());
                int last = 0;
                while (!done) {
                    int n = static_cast<int>(r.db().queryInt("SELECT count(*) FROM secrets WHERE length(body) = 1000"));
                    if (n < last || n > committed.load() + 250) ++readerErrors;
                    last = n;
                    // No Catch assertions on this thread: a checkpoint that fails counts as an error.
                    int rc = sqlite3_wal_checkpoint_v2(r.db().handle(), "main", SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
                    if (rc != SQLITE_OK && rc != SQLITE_BUSY) ++readerErrors;
                }
            } catch (const std::exception& e) {
                readerMessage = e.what();
                ++readerErrors;
            }
        });
        crypto::VfsCounters before = crypto::vfsCounters();
        {
            Store w(db.string());
            w.db().exec(std::string("PRAGMA synchronous=") + sync);
            w.db().exec("PRAGMA cache_size=20");  // 80 KiB: every transaction spills pages to the WAL and reads them back
            for (int round = 0; round < 20; ++round) {
                Transaction tx(w.db());
                for (int i = 0; i < 250; ++i)
                    w.db().prepare("INSERT INTO secrets(body) VALUES(?)").bind(1, std::string(1000, static_cast<char>('a' + round))).run();
                CHECK(w.db().queryInt("SELECT count(*) FROM secrets WHERE length(body) = 1000") == (round + 1) * 250);
                tx.commit();
                committed = (round + 1) * 250;
            }
        }
        done = true;
        reader.join();
        INFO(readerMessage);
        CHECK(readerErrors == 0);
        if (crypto::parallelWorkAvailable()) CHECK(crypto::vfsCounters().walFramesSealedAside > before.walFramesSealedAside);
        Store s(db.string());
        CHECK(s.db().queryInt("SELECT count(*) FROM secrets WHERE length(body) = 1000") == 5000);
        CHECK(textOf(s.db(), "PRAGMA integrity_check") == "ok");
        crypto::lockStore(db);
    }
}

TEST_CASE("a WAL left by a crash with frames sealed the first way is read, and checkpointed by sealing again",
          "[crypto]") {
    for (auto suite : {crypto::Suite::XChaCha, crypto::Suite::Gm}) {
        INFO(crypto::suiteName(suite));
        test::TempDir dir("crypto");
        fs::path db = dir.path / "jiancha.db", copy = dir.path / "copy" / "jiancha.db";
        crypto::createStoreKey(db, crypto::keyFilePath(db), suite, "pass", "");
        writeSecretRows(db, 2000, "原始");
        {
            // A connection that wrote and never checkpointed: the files as a crash leaves them.
            Store s(db.string());
            s.db().exec("PRAGMA wal_autocheckpoint=0");
            s.db().exec("UPDATE secrets SET body = '崩溃前' || id");
            fs::create_directories(copy.parent_path());
            for (const char* suffix : {"", "-wal"}) fs::copy_file(db.string() + suffix, copy.string() + suffix);
            fs::copy_file(crypto::keyFilePath(db), crypto::keyFilePath(copy));
        }
        // Seal every frame of the copied WAL again as the first release did: "w" and the frame's index.
        auto key = crypto::findStoreKey(db.string());
        REQUIRE(key);
        fs::path wal = copy.string() + "-wal";
        auto frames = walFrames(wal);
        REQUIRE(frames.size() >= 2);
        {
            std::fstream f(wal, std::ios::in | std::ios::out | std::ios::binary);
            const size_t t = key->cipher->trailer(), n = crypto::kPageSize - t;
            for (size_t i = 0; i < frames.size(); ++i) {
                std::vector<uint8_t> page(crypto::kPageSize), plain(n);
                f.seekg(frames[i].first);
                f.read(reinterpret_cast<char*>(page.data()), crypto::kPageSize);
                std::string now = unitAd(key->fileId, 'd', frames[i].second), old = unitAd(key->fileId, 'w', i);
                REQUIRE(key->cipher->open(page.data(), n, reinterpret_cast<const uint8_t*>(now.data()), now.size(),
                                          page.data() + n, plain.data()));
                key->cipher->seal(plain.data(), n, reinterpret_cast<const uint8_t*>(old.data()), old.size(), page.data(),
                                  page.data() + n);
                f.seekp(frames[i].first);
                f.write(reinterpret_cast<const char*>(page.data()), crypto::kPageSize);
            }
        }
        crypto::lockStore(db);
        REQUIRE(crypto::unlockStore(copy, "pass"));
        {
            Store s(copy.string());
            CHECK(s.db().queryInt("SELECT count(*) FROM secrets WHERE body LIKE '崩溃前%'") == 2000);
            checkpoint(s.db());
        }
        Store s(copy.string());
        CHECK(s.db().queryInt("SELECT count(*) FROM secrets WHERE body LIKE '崩溃前%'") == 2000);
        CHECK(textOf(s.db(), "PRAGMA integrity_check") == "ok");
        // The next WAL is started afresh and checkpointed as ciphertext again.
        crypto::VfsCounters before = crypto::vfsCounters();
        s.db().exec("UPDATE secrets SET body = body || '。'");
        checkpoint(s.db());
        CHECK(crypto::vfsCounters().walFramesCopied > before.walFramesCopied);
        CHECK(s.db().queryInt("SELECT count(*) FROM secrets WHERE body LIKE '%。'") == 2000);
        crypto::lockStore(copy);
    }
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

TEST_CASE("a changed byte in one table's page spoils only the records on it, and other evidence still reads", "[crypto]") {
    test::TempDir dir("crypto");
    fs::path db = dir.path / "jiancha.db";
    crypto::createStoreKey(db, crypto::keyFilePath(db), crypto::Suite::XChaCha, "pass", "");
    int64_t damagedPage = 0, damagedRow = 0;
    {
        writeSecretRows(db, 2000, "一条很长的记录内容，用来占满多个数据页 ");
        Store s(db.string());
        s.db().exec("CREATE TABLE others(id INTEGER PRIMARY KEY, body TEXT)");
        for (int i = 0; i < 20; ++i) s.db().prepare("INSERT INTO others(body) VALUES(?)").bind(1, "其他表 " + std::to_string(i)).run();
        // A leaf page of `secrets` in the middle of the table (not page 1, not the schema).
        auto leaves = s.db().prepare(
            "SELECT pageno FROM dbstat WHERE name = 'secrets' AND pagetype = 'leaf' ORDER BY pageno");
        std::vector<int64_t> pages;
        while (leaves.step()) pages.push_back(leaves.getInt(0));
        REQUIRE(pages.size() > 10);
        damagedPage = pages[pages.size() / 2];
        REQUIRE(damagedPage > 2);
    }
    flipByte(db, (damagedPage - 1) * 4096 + 2000);

    Store s(db.string());  // page 1 and the schema are intact: the store opens
    CHECK(s.db().queryInt("SELECT count(*) FROM others") == 20);  // another table: all readable
    CHECK(textOf(s.db(), "SELECT body FROM others WHERE id = 7") == "其他表 6");
    CHECK(textOf(s.db(), "SELECT body FROM secrets WHERE id = 1") == "一条很长的记录内容，用来占满多个数据页 0");
    CHECK(textOf(s.db(), "SELECT body FROM secrets WHERE id = 2000") == "一条很长的记录内容，用来占满多个数据页 1999");
    // Reading every row in turn: exactly the rows on the damaged page fail, each with the error
    // naming the file and the page; all the others read.
    int ok = 0, failed = 0;
    for (int id = 1; id <= 2000; ++id) {
        try {
            textOf(s.db(), "SELECT body FROM secrets WHERE id = " + std::to_string(id));
            ++ok;
        } catch (const StorageError& e) {
            ++failed;
            std::string what = e.what();
            CHECK(what.find(db.string()) != std::string::npos);
            CHECK(what.find("failed its integrity check") != std::string::npos);
            CHECK(what.find("page " + std::to_string(damagedPage)) != std::string::npos);
            if (!damagedRow) damagedRow = id;
        }
    }
    CHECK(failed > 0);
    CHECK(failed < 100);  // one page's worth, not the table
    CHECK(ok == 2000 - failed);
    INFO("first damaged row " << damagedRow);
    CHECK(s.db().queryInt("SELECT count(*) FROM others") == 20);  // still usable after the errors

    // Evidence: a damaged file fails alone, naming itself; the others read.
    auto key = crypto::findStoreKey(db.string());
    fs::path good = dir.path / "good", bad = dir.path / "bad";
    for (const auto& p : {good, bad}) {
        crypto::BlobWriter w(p, key);
        std::string body(100000, 'x');
        w.write(body.data(), body.size());
        w.finish();
    }
    flipByte(bad, 5000);
    try {
        crypto::BlobReader(bad, key).readAll();
        FAIL("a changed evidence file was read");
    } catch (const StorageError& e) {
        CHECK(std::string(e.what()).find(bad.string()) != std::string::npos);
    }
    CHECK(crypto::BlobReader(good, key).readAll() == std::string(100000, 'x'));
    crypto::lockStore(db);
}

TEST_CASE("a key file made with weaker argon2id limits is rewrapped with the build's at sign-in", "[crypto]") {
    test::TempDir dir("crypto");
    fs::path db = dir.path / "jiancha.db";
    REQUIRE(kFastKdf);
    ::setenv("JIANCHA_KDF", "fast", 1);
    crypto::KdfLimits weak = crypto::defaultKdfLimits();
    crypto::createStoreKey(db, crypto::keyFilePath(db), crypto::Suite::XChaCha, "口令 pass", "");
    writeSecretRows(db, 5, "kdf");
    crypto::lockStore(db);
    CHECK(crypto::readKeyFileInfo(db).kdf.ops == weak.ops);

    ::unsetenv("JIANCHA_KDF");  // now the product's limits apply
    crypto::KdfLimits product = crypto::productKdfLimits();
    CHECK(crypto::defaultKdfLimits().ops == product.ops);
    CHECK(crypto::defaultKdfLimits().mem == product.mem);
    if (weak.ops < product.ops || weak.mem < product.mem) {  // this build honours JIANCHA_KDF=fast
        std::string before = fileBytes(crypto::keyFilePath(db));
        CHECK_FALSE(crypto::unlockStore(db, "wrong"));
        CHECK(fileBytes(crypto::keyFilePath(db)) == before);  // a wrong passphrase changes nothing
        CHECK_FALSE(crypto::passphraseOpens(db, "wrong"));
        REQUIRE(crypto::passphraseOpens(db, "口令 pass"));
        CHECK(fileBytes(crypto::keyFilePath(db)) == before);  // checking only: no rewrap
    }
    REQUIRE(crypto::unlockStore(db, "口令 pass"));
    crypto::KdfLimits now = crypto::readKeyFileInfo(db).kdf;
    CHECK(now.ops == product.ops);
    CHECK(now.mem == product.mem);
    crypto::lockStore(db);
    REQUIRE(crypto::unlockStore(db, "口令 pass"));  // the rewrapped key opens the same store
    {
        Store s(db.string());
        CHECK(s.db().queryInt("SELECT count(*) FROM secrets") == 5);
    }
    crypto::lockStore(db);
    ::setenv("JIANCHA_KDF", "fast", 1);
}

TEST_CASE("wrong passphrases in a row wait 1, 2, 4 … s from the fifth, across processes, reset by a right one",
          "[crypto]") {
    test::TempDir dir("crypto");
    fs::path db = dir.path / "jiancha.db";
    CHECK(crypto::signInDelayAfter(4) == 0);
    CHECK(crypto::signInDelayAfter(5) == 1);
    CHECK(crypto::signInDelayAfter(6) == 2);
    CHECK(crypto::signInDelayAfter(8) == 8);
    CHECK(crypto::signInDelayAfter(40) == 60);
    const double t = 1'800'000'000;
    for (int i = 0; i < 4; ++i) crypto::noteSignInFailure(db, t + i);
    CHECK(crypto::signInWait(db, t + 4) == 0);  // four: no wait
    crypto::noteSignInFailure(db, t + 4);
    CHECK(crypto::readSignInFailures(db).count == 5);
    CHECK(crypto::signInWait(db, t + 4) == 1);
    CHECK(crypto::signInWait(db, t + 4.5) == Approx(0.5));
    CHECK(crypto::signInWait(db, t + 5) == 0);
    crypto::noteSignInFailure(db, t + 5);
    CHECK(crypto::signInWait(db, t + 5) == 2);
    CHECK(crypto::signInWait(db, t - 1000) == 2);  // a clock set back: never more than the delay
    std::ofstream(crypto::signInFailuresPath(db)) << "{damaged";  // emptied by hand: still a delay
    CHECK(crypto::signInWait(db, crypto::wallClockSeconds()) > 0);
    crypto::noteSignInSuccess(db);
    CHECK_FALSE(fs::exists(crypto::signInFailuresPath(db)));
    CHECK(crypto::signInWait(db, t) == 0);
}

TEST_CASE("protect overwrites the plain database, its WAL and evidence before they are unlinked", "[crypto]") {
    test::TempDir dir("crypto");
    fs::path db = dir.path / "jiancha.db", wal = db.string() + "-wal";
    fs::path blobs = dir.path / "blobs";
    const std::string planted = "PLANTED-明文-OLD-INODE";
    {
        Store s(db.string());
        s.db().exec("CREATE TABLE secrets(id INTEGER PRIMARY KEY, body TEXT)");
        for (int i = 0; i < 50; ++i) s.db().prepare("INSERT INTO secrets(body) VALUES(?)").bind(1, planted + std::to_string(i)).run();
    }
    {
        // A session whose WAL was left behind (SQLite keeps it with PERSIST_WAL, as after a crash).
        Store s(db.string());
        int persist = 1;
        sqlite3_file_control(s.db().handle(), "main", SQLITE_FCNTL_PERSIST_WAL, &persist);
        s.db().exec("PRAGMA wal_autocheckpoint=0");
        for (int i = 0; i < 50; ++i) s.db().prepare("INSERT INTO secrets(body) VALUES(?)").bind(1, planted + "-wal").run();
    }
    fs::create_directories(blobs);
    std::string photo = planted + "-PHOTO";
    std::ofstream(blobs / sha256Hex(photo), std::ios::binary) << photo;
    std::ofstream(blobs / "abc.part", std::ios::binary) << planted + "-PARTIAL";

    // Descriptors on the old files, held across the conversion: they see the inodes' content.
    auto openFd = [](const fs::path& p) {
        FileHandle f = FileHandle::open(p, O_RDONLY);
        REQUIRE(f);
        return f;
    };
    auto contentOf = [](const FileHandle& f) {
        std::string out;
        char buf[65536];
        for (off_t off = 0;;) {
            ssize_t n = ::pread(f.get(), buf, sizeof buf, off);
            if (n <= 0) break;
            out.append(buf, static_cast<size_t>(n));
            off += n;
        }
        return out;
    };
    FileHandle oldDb = openFd(db), oldWal = openFd(wal), oldPhoto = openFd(blobs / sha256Hex(photo)),
               oldPart = openFd(blobs / "abc.part");
    REQUIRE(contentOf(oldDb).find(planted) != std::string::npos);
    REQUIRE(contentOf(oldWal).find(planted + "-wal") != std::string::npos);
    REQUIRE(contentOf(oldPhoto).find(planted) != std::string::npos);

    ProtectResult r = protectStore(db, blobs, crypto::Suite::XChaCha, "pass", "");
    CHECK(r.converted);
    CHECK(r.rows >= 100);
    for (const FileHandle* f : {&oldDb, &oldWal, &oldPhoto, &oldPart}) {
        std::string bytes = contentOf(*f);
        CHECK_FALSE(bytes.empty());  // overwritten in place, not truncated
        CHECK(bytes.find(planted) == std::string::npos);
        CHECK(bytes.find("SQLite format 3") == std::string::npos);
    }
    CHECK_FALSE(anyFileContains(dir.path, planted));
    CHECK_FALSE(fs::exists(db.string() + ".plain-wipe"));
    CHECK_FALSE(fs::exists(wal));
    Store s(db.string());
    CHECK(s.db().queryInt("SELECT count(*) FROM secrets") == 100);  // the WAL's rows were kept
    CHECK(crypto::BlobReader(blobs / sha256Hex(photo), crypto::findStoreKey(db.string())).readAll() == photo);
    crypto::lockStore(db);
}

TEST_CASE("a crash after the commit point of protect still gets the old plain database wiped", "[crypto]") {
    test::TempDir dir("crypto");
    fs::path db = dir.path / "jiancha.db", old = db.string() + ".plain-wipe";
    {
        Store s(db.string());
        s.db().exec("CREATE TABLE secrets(id INTEGER PRIMARY KEY, body TEXT)");
        s.db().prepare("INSERT INTO secrets(body) VALUES(?)").bind(1, "LEFT-BEHIND-明文").run();
    }
    SECTION("before the commit point the second name is only dropped") {
        fs::create_hard_link(db, old);
        std::ofstream(dir.path / "jiancha.db.keys.pending") << "{}";
        finishInterruptedProtect(db);
        CHECK_FALSE(fs::exists(old));
        Store s(db.string());  // the plain store, untouched
        CHECK(textOf(s.db(), "SELECT body FROM secrets") == "LEFT-BEHIND-明文");
    }
    SECTION("after it the old file is overwritten, then unlinked") {
        ProtectResult r = protectStore(db, dir.path / "blobs", crypto::Suite::XChaCha, "pass", "");
        REQUIRE(r.converted);
        crypto::lockStore(db);
        std::ofstream(old, std::ios::binary) << "SQLite format 3" << std::string(100, '\0') << "LEFT-BEHIND-明文";
        FileHandle f = FileHandle::open(old, O_RDONLY);
        finishInterruptedProtect(db);
        CHECK_FALSE(fs::exists(old));
        char buf[256] = {};
        ssize_t n = ::pread(f.get(), buf, sizeof buf, 0);
        CHECK(n > 100);
        CHECK(std::string(buf, static_cast<size_t>(std::max<ssize_t>(n, 0))).find("LEFT-BEHIND") == std::string::npos);
    }
}

TEST_CASE("the client refuses core dumps, so a crash writes none of its memory to the disk", "[crypto]") {
    // A child crashes with the core size limit raised as far as it may go, in a directory of its
    // own (this machine's core_pattern is "core": a file in the working directory).
    auto crashDumped = [](const fs::path& dir, bool refuse) {
        pid_t pid = fork();
        if (pid == 0) {
            rlimit limit{};
            getrlimit(RLIMIT_CORE, &limit);
            limit.rlim_cur = limit.rlim_max;
            setrlimit(RLIMIT_CORE, &limit);
            if (chdir(dir.c_str()) != 0) _exit(2);
            if (refuse) refuseCoreDumps();
            signal(SIGABRT, SIG_DFL);  // not the test framework's handler
            abort();
        }
        int status = 0;
        waitpid(pid, &status, 0);
        REQUIRE(WIFSIGNALED(status));
        return WCOREDUMP(status) != 0;
    };
    test::TempDir plain("core"), refused("core");
    bool controlDumped = crashDumped(plain.path, false);
    CHECK_FALSE(crashDumped(refused.path, true));
    CHECK(fs::is_empty(refused.path));
    if (!controlDumped) WARN("this machine writes no core dumps at all (core_pattern, hard limit): only the refusal is checked");
}
