// Sealing of complainants' identities (app/sealing.h): what a field device seals to HQ's public
// key only a store with HQ's secret key opens; a device without a key refuses to seal, a bad key
// is refused, and a device holding only the public key cannot open what it sealed.
#include <catch2/catch.hpp>

#include "app/sealing.h"
#include "core/error.h"
#include "support/temp_dir.h"

using namespace jc;

TEST_CASE("sealing: HQ opens what a field device sealed, nobody else does", "[sealing]") {
    test::TempDir dir;
    Store hq((dir.path / "hq.db").string());
    Store field((dir.path / "field.db").string());

    CHECK(hqPublicKey(field).empty());
    CHECK_THROWS_AS(sealIdentity(field, {{"name", "王某"}}), ValidationError);  // no key yet: nothing leaves unsealed

    std::string pk = createHqKeys(hq);
    CHECK(canOpenSealed(hq));
    CHECK_THROWS_AS(setHqPublicKey(field, "not base64 at all!"), ValidationError);
    CHECK_THROWS_AS(setHqPublicKey(field, "AAAA"), ValidationError);  // base64, but not a 32-byte key
    setHqPublicKey(field, pk);
    CHECK(hqPublicKey(field) == pk);
    CHECK_FALSE(canOpenSealed(field));

    Json who = {{"name", "王某"}, {"phone", "13800000000"}, {"address", "甘州区东街 𠀾 号"}};
    std::string sealed = sealIdentity(field, who);
    CHECK(sealed.find("王某") == std::string::npos);
    CHECK(sealed.find("13800000000") == std::string::npos);
    CHECK(sealIdentity(field, who) != sealed);  // a fresh ephemeral key each time

    CHECK(openIdentity(hq, sealed) == who);
    CHECK_THROWS_AS(openIdentity(field, sealed), ForbiddenError);
    // Tampered or truncated ciphertext does not open.
    std::string bad = sealed;
    bad[bad.size() / 2] = bad[bad.size() / 2] == 'A' ? 'B' : 'A';
    CHECK_THROWS(openIdentity(hq, bad));
    CHECK_THROWS(openIdentity(hq, sealed.substr(0, 8)));
}
