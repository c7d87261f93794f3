// Evidence blobs over real HTTP: chunked and resumable upload (HEAD tells the stored offset),
// SHA-256 verification, deduplication, Range downloads and authorisation through the evidence
// record that names the blob (DESIGN.md §4 Blobs).
#include <httplib.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "base/sha256.h"
#include "core/dates.h"
#include "core/hlc.h"
#include "core/uuid.h"
#include "sync/protocol/protocol.h"
#include "support/random_bytes.h"
#include "sync/server/local_server.h"

using jc::Json;
using jc::sha256Hex;
using jc::server::LocalServer;
using jc::test::randomBytes;

namespace {

struct Device {
    Device(LocalServer& s, const std::string& userName) : user(userName), cli(s.host(), s.port()) {
        auto e = s.enroll(userName);
        id = e.deviceId;
        token = e.token;
        cli.set_read_timeout(120, 0);
        cli.set_write_timeout(120, 0);
    }
    httplib::Headers headers() const {
        return {{"X-Jiancha-Protocol", "1"}, {"X-Jiancha-Schema", "1"}, {"Authorization", "Bearer " + token}};
    }
    httplib::Result put(const std::string& sha, int64_t offset, int64_t total, const std::string& chunk) {
        std::string path = "/v1/blobs/" + sha + "?offset=" + std::to_string(offset) + "&total=" + std::to_string(total);
        return cli.Put(path.c_str(), headers(), chunk, "application/octet-stream");
    }
    httplib::Result head(const std::string& sha) { return cli.Head(("/v1/blobs/" + sha).c_str(), headers()); }
    httplib::Result get(const std::string& sha, const std::string& range = {}) {
        auto h = headers();
        if (!range.empty()) h.emplace("Range", range);
        return cli.Get(("/v1/blobs/" + sha).c_str(), h);
    }
    // Uploads everything from the offset HEAD reports, in chunks.
    Json upload(const std::string& data, size_t chunk) {
        std::string sha = sha256Hex(data);
        auto h = head(sha);
        REQUIRE(h);
        int64_t offset = std::stoll(h->get_header_value(jc::proto::kHeaderBlobOffset));
        if (h->get_header_value(jc::proto::kHeaderBlobComplete) == "1") return {{"complete", true}, {"skipped", true}};
        Json last;
        do {
            size_t n = std::min(chunk, data.size() - static_cast<size_t>(offset));
            auto r = put(sha, offset, static_cast<int64_t>(data.size()), data.substr(static_cast<size_t>(offset), n));
            REQUIRE(r);
            INFO(r->body);
            REQUIRE(r->status == 200);
            last = Json::parse(r->body);
            offset = last["offset"].get<int64_t>();
        } while (!last["complete"].get<bool>());
        return last;
    }
    Json push(const Json& changes) {
        Json body = {{"device_id", id}, {"db_incarnation", "inc"}, {"changes", changes}};
        auto r = cli.Post("/v1/push", headers(), body.dump(), "application/json");
        REQUIRE(r);
        REQUIRE(r->status == 200);
        return Json::parse(r->body);
    }
    Json create(const std::string& entity, const std::string& entityId, Json fields) {
        fields["created_at"] = jc::nowIso();
        fields["created_by"] = user;
        return {{"change_id", jc::newUuidV7()},
                {"seq", ++seq},
                {"entity", entity},
                {"entity_id", entityId},
                {"fields", fields},
                {"hlc", clock.now().encode()},
                {"user_id", user}};
    }
    std::string user, id, token;
    int64_t seq = 0;
    jc::HybridClock clock{"blob-test"};
    httplib::Client cli;
};

int64_t headOffset(Device& d, const std::string& sha) {
    auto h = d.head(sha);
    REQUIRE(h);
    REQUIRE(h->status == 200);
    return std::stoll(h->get_header_value(jc::proto::kHeaderBlobOffset));
}

size_t objectCount(const std::filesystem::path& dir) {
    size_t n = 0;
    for (auto& e : std::filesystem::recursive_directory_iterator(dir / "blobs" / "objects"))
        if (e.is_regular_file()) ++n;
    return n;
}

struct World {
    LocalServer server;
    std::string campaign;
    World() {
        auto& a = server.admin();
        a.addTeam("第一检查组");
        a.addTeam("第二检查组");
        a.addUser("a1", jc::Role::Inspector, "第一检查组");
        a.addUser("b1", jc::Role::Inspector, "第二检查组");
        a.addUser("hq", jc::Role::HqAdmin, "");
        jc::server::CampaignSpec spec;
        spec.title = "食品药品安全专项";
        campaign = a.addCampaign(spec);
    }
};

}  // namespace

TEST_CASE("chunked upload, dedup of the same content, and Range download", "[server][blob]") {
    World w;
    Device a1(w.server, "a1");
    std::string data = randomBytes(3 * 1024 * 1024 + 123, 1);
    std::string sha = sha256Hex(data);
    CHECK(headOffset(a1, sha) == 0);

    Json done = a1.upload(data, 1024 * 1024);
    CHECK(done["complete"] == true);
    CHECK(done["offset"] == static_cast<int64_t>(data.size()));
    auto h = a1.head(sha);
    CHECK(h->get_header_value(jc::proto::kHeaderBlobComplete) == "1");
    CHECK(objectCount(w.server.dir()) == 1);

    // The same photo attached again is stored once: HEAD says complete, a PUT writes nothing.
    Json again = a1.upload(data, 1024 * 1024);
    CHECK(again["skipped"] == true);
    auto put = a1.put(sha, 0, static_cast<int64_t>(data.size()), data.substr(0, 1000));
    REQUIRE(put);
    CHECK(put->status == 200);
    CHECK(Json::parse(put->body)["complete"] == true);
    CHECK(objectCount(w.server.dir()) == 1);

    // Readable once an evidence record of a1's team names it.
    std::string f = jc::newUuidV7();
    a1.push(Json::array(
        {a1.create(
             "finding", f,
             {{"campaign_id", w.campaign}, {"category", "food_drug"}, {"title", "过期药品"}, {"status", "draft"}}),
         a1.create("evidence", jc::newUuidV7(),
                   {{"owner_entity", "finding"},
                    {"owner_id", f},
                    {"sha256", sha},
                    {"kind", "photo"},
                    {"size", static_cast<int64_t>(data.size())}})}));
    auto whole = a1.get(sha);
    REQUIRE(whole);
    CHECK(whole->status == 200);
    CHECK(whole->body == data);

    auto part = a1.get(sha, "bytes=100-199");
    REQUIRE(part);
    CHECK(part->status == 206);
    CHECK(part->body == data.substr(100, 100));
    CHECK(part->get_header_value("Content-Range") == "bytes 100-199/" + std::to_string(data.size()));
    auto tail = a1.get(sha, "bytes=" + std::to_string(data.size() - 10) + "-");
    REQUIRE(tail);
    CHECK(tail->status == 206);
    CHECK(tail->body == data.substr(data.size() - 10));
}

TEST_CASE("an upload cut half-way resumes from the stored offset, across a restart", "[server][blob]") {
    World w;
    Device a1(w.server, "a1");
    std::string data = randomBytes(20 * 1024 * 1024, 2);  // a 20 MB photo
    std::string sha = sha256Hex(data);
    const size_t chunk = 4 * 1024 * 1024;
    for (size_t off = 0; off < 10 * 1024 * 1024; off += chunk) {
        size_t n = std::min(chunk, 10 * 1024 * 1024 - off);
        auto r = a1.put(sha, static_cast<int64_t>(off), static_cast<int64_t>(data.size()), data.substr(off, n));
        REQUIRE(r);
        REQUIRE(r->status == 200);
    }
    CHECK(headOffset(a1, sha) == 10 * 1024 * 1024);

    // The connection was cut; the server even restarted (its in-memory hash state is gone).
    w.server.restart();
    Device again(w.server, "a1");
    CHECK(headOffset(again, sha) == 10 * 1024 * 1024);

    // A chunk at the wrong offset is refused with the offset to use.
    auto wrong = again.put(sha, 0, static_cast<int64_t>(data.size()), data.substr(0, 100));
    REQUIRE(wrong);
    CHECK(wrong->status == 409);
    Json err = Json::parse(wrong->body);
    CHECK(err["error"] == "offset_mismatch");
    CHECK(err["offset"] == 10 * 1024 * 1024);

    Json done = again.upload(data, chunk);
    CHECK(done["complete"] == true);
    CHECK(headOffset(again, sha) == static_cast<int64_t>(data.size()));
}

TEST_CASE("a blob whose bytes do not match its name is refused and discarded", "[server][blob]") {
    World w;
    Device a1(w.server, "a1");
    std::string data = randomBytes(300 * 1024, 3);
    std::string claimed = sha256Hex("something else");
    auto first = a1.put(claimed, 0, static_cast<int64_t>(data.size()), data.substr(0, 100 * 1024));
    REQUIRE(first);
    CHECK(first->status == 200);
    auto last = a1.put(claimed, 100 * 1024, static_cast<int64_t>(data.size()), data.substr(100 * 1024));
    REQUIRE(last);
    CHECK(last->status == 422);
    CHECK(Json::parse(last->body)["error"] == "hash_mismatch");
    CHECK(headOffset(a1, claimed) == 0);
    CHECK(objectCount(w.server.dir()) == 0);

    // Limits: a chunk past the declared total, a blob over the size limit, a chunk over 8 MiB.
    auto past = a1.put(claimed, 0, 10, std::string(20, 'x'));
    REQUIRE(past);
    CHECK(past->status == 400);
    auto big = a1.put(claimed, 0, jc::proto::kMaxBlobBytes + 1, "x");
    REQUIRE(big);
    CHECK(big->status == 413);
    auto chunk = a1.put(claimed, 0, jc::proto::kMaxBlobBytes, std::string(jc::proto::kMaxBlobChunkBytes + 1, 'x'));
    REQUIRE(chunk);
    CHECK(chunk->status == 413);
    auto noTotal =
        a1.cli.Put(("/v1/blobs/" + claimed + "?offset=0").c_str(), a1.headers(), "x", "application/octet-stream");
    REQUIRE(noTotal);
    CHECK(noTotal->status == 400);
}

TEST_CASE("a blob is readable only through an evidence record the reader may see", "[server][blob]") {
    World w;
    Device a1(w.server, "a1");
    Device b1(w.server, "b1");
    Device hq(w.server, "hq");
    std::string data = randomBytes(64 * 1024, 4);
    std::string sha = sha256Hex(data);
    a1.upload(data, 1 << 20);

    auto before = a1.get(sha);  // uploaded, but no record names it yet
    REQUIRE(before);
    CHECK(before->status == 403);
    CHECK(Json::parse(before->body)["error"] == "forbidden");

    std::string f = jc::newUuidV7(), ev = jc::newUuidV7();
    Json r = a1.push(Json::array(
        {a1.create(
             "finding", f,
             {{"campaign_id", w.campaign}, {"category", "pollution"}, {"title", "偷排废水"}, {"status", "draft"}}),
         a1.create("evidence", ev,
                   {{"owner_entity", "finding"},
                    {"owner_id", f},
                    {"sha256", sha},
                    {"kind", "photo"},
                    {"size", static_cast<int64_t>(data.size())}})}));
    REQUIRE(r["results"][1]["status"] == "applied");

    CHECK(a1.get(sha)->status == 200);
    CHECK(hq.get(sha)->status == 200);
    auto other = b1.get(sha);
    REQUIRE(other);
    CHECK(other->status == 403);

    // Deleting the evidence record withdraws access.
    Json del = {{"change_id", jc::newUuidV7()},
                {"seq", ++a1.seq},
                {"entity", "evidence"},
                {"entity_id", ev},
                {"fields", {{"deleted", true}}},
                {"hlc", a1.clock.now().encode()},
                {"user_id", "a1"}};
    a1.push(Json::array({del}));
    CHECK(a1.get(sha)->status == 403);

    auto missing = hq.get(sha256Hex("never uploaded"));
    REQUIRE(missing);
    CHECK(missing->status == 403);
}
