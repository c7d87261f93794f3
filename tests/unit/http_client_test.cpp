// The sync engine's HTTP client (sync/client/http_client.h) against a real cpp-httplib server on
// loopback: the bearer token and headers go out, bodies come back (in memory or streamed to a
// sink that may abort), HEAD and PUT carry what they should, and a dead server or a cancelled
// request ends with a transport error in words, never a hang.
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <catch2/catch.hpp>
#include <string>
#include <thread>

#include "core/dates.h"
#include "sync/client/http_client.h"

using namespace jc::sync;

namespace {

struct Server {
    httplib::Server srv;
    int port = 0;
    std::atomic<int> oldCalls{0};
    std::thread thread;
    Server() {
        srv.Get("/echo", [](const httplib::Request& req, httplib::Response& res) {
            res.set_header("X-Seen-Auth", req.get_header_value("Authorization"));
            res.set_header("X-Seen-Probe", req.get_header_value("X-Probe"));
            res.set_content("张掖 ok", "text/plain; charset=utf-8");
        });
        // An HQ whose clock is an hour ahead of ours (and a slow answer with the time too).
        srv.Get("/timed", [](const httplib::Request&, httplib::Response& res) {
            res.set_header("X-Jiancha-Server-Time", jc::isoTimestamp(jc::nowMillis() + 3'600'000));
            res.set_content("ok", "text/plain");
        });
        srv.Get("/timed-slow", [](const httplib::Request&, httplib::Response& res) {
            res.set_header("X-Jiancha-Server-Time", jc::isoTimestamp(jc::nowMillis() - 7'200'000));
            std::this_thread::sleep_for(std::chrono::milliseconds(400));
            res.set_content("ok", "text/plain");
        });
        srv.Get("/big", [](const httplib::Request&, httplib::Response& res) { res.set_content(std::string(1 << 20, 'x'), "application/octet-stream"); });
        srv.Get("/slow", [](const httplib::Request&, httplib::Response& res) {
            std::this_thread::sleep_for(std::chrono::seconds(5));
            res.set_content("late", "text/plain");
        });
        srv.Post("/json", [](const httplib::Request& req, httplib::Response& res) {
            res.status = 201;
            res.set_content("{\"got\":" + req.body + ",\"type\":\"" + req.get_header_value("Content-Type") + "\"}", "application/json");
        });
        // Decodes gzip bodies (httplib does) and says how the body came.
        srv.Post("/coded", [](const httplib::Request& req, httplib::Response& res) {
            res.set_content(req.get_header_value("Content-Encoding") + "|" + req.body, "text/plain");
        });
        // A server built without gzip support: refuses coded bodies with 415.
        srv.Post("/old", [this](const httplib::Request& req, httplib::Response& res) {
            ++oldCalls;
            if (req.has_header("Content-Encoding")) {
                res.status = 415;
                return;
            }
            res.set_content("plain|" + req.body, "text/plain");
        });
        srv.Put("/blob", [](const httplib::Request& req, httplib::Response& res) {
            res.set_content(std::to_string(req.body.size()) + " " + req.get_param_value("offset"), "text/plain");
        });
        port = srv.bind_to_any_port("127.0.0.1");
        REQUIRE(port > 0);
        thread = std::thread([this] { srv.listen_after_bind(); });
        while (!srv.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    ~Server() {
        srv.stop();
        thread.join();
    }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port); }
};

}  // namespace

TEST_CASE("http client: token, headers and bodies over loopback", "[http_client]") {
    Server s;
    HttpClient http(s.url());
    http.setToken("tok123");
    HttpResponse r = http.get("/echo", {{"X-Probe", "甲-42"}});
    CHECK(r.ok());
    CHECK(r.status == 200);
    CHECK(r.body == "张掖 ok");
    CHECK(r.header("x-seen-auth") == "Bearer tok123");
    CHECK(r.header("x-seen-probe") == "甲-42");

    HttpResponse p = http.postJson("/json", "{\"a\":1}");
    CHECK(p.status == 201);
    CHECK(p.body.find("\"got\":{\"a\":1}") != std::string::npos);
    CHECK(p.body.find("application/json") != std::string::npos);

    std::string chunk(1000, 'b');
    HttpResponse u = http.put("/blob?offset=42", chunk.data(), chunk.size(), "application/octet-stream");
    CHECK(u.body == "1000 42");

    HttpResponse missing = http.get("/no/such/path");
    CHECK(missing.status == 404);
    CHECK_FALSE(missing.ok());
}

TEST_CASE("http client: streamed bodies reach the sink, which may stop the transfer", "[http_client]") {
    Server s;
    HttpClient http(s.url());
    size_t got = 0;
    HttpResponse all = http.getTo("/big", {}, [&](long status, const char*, size_t n) {
        CHECK(status == 200);
        got += n;
        return true;
    });
    CHECK(all.ok());
    CHECK(got == (1u << 20));
    CHECK(all.body.empty());  // streamed, not kept

    size_t calls = 0;
    HttpResponse stopped = http.getTo("/big", {}, [&](long, const char*, size_t) { return ++calls < 2; });
    CHECK_FALSE(stopped.ok());
    CHECK(calls == 2);
}

TEST_CASE("http client: a dead server and a cancelled request end with words, not a hang", "[http_client]") {
    int deadPort = 0;
    {
        Server s;
        deadPort = s.port;
    }
    HttpClient dead("http://127.0.0.1:" + std::to_string(deadPort));
    HttpResponse r = dead.get("/echo");
    CHECK(r.status == 0);
    CHECK_FALSE(r.transportError.empty());

    Server s;
    std::atomic<bool> cancel{false};
    HttpClient http(s.url(), optionsFor("", &cancel));
    std::thread canceller([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        cancel = true;
    });
    auto t0 = std::chrono::steady_clock::now();
    HttpResponse slow = http.get("/slow");
    canceller.join();
    CHECK(slow.status == 0);
    CHECK(slow.transportError.find("cancel") != std::string::npos);
    CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(4));  // not the server's 5 s
}

TEST_CASE("http client: JSON bodies go gzip-coded, and uncoded to a server that refuses gzip", "[http_client][gzip]") {
    Server s;
    HttpClient http(s.url());
    std::string json = "{\"narrative\":\"";
    for (int i = 0; i < 200; ++i) json += "甘州区党寨镇拖欠农民工工资";
    json += "\"}";
    HttpResponse r = http.postJson("/coded", json);
    REQUIRE(r.status == 200);
    CHECK(r.body == "gzip|" + json);  // coded on the wire, the same JSON after decoding
    CHECK(http.bytesSent() < static_cast<int64_t>(json.size()) / 4);

    // Small bodies go as they are.
    CHECK(http.postJson("/coded", "{\"a\":1}").body == "|{\"a\":1}");

    // 415 from a server without gzip: the same request again, uncoded, and uncoded from then on.
    HttpResponse o = http.postJson("/old", json);
    CHECK(o.status == 200);
    CHECK(o.body == "plain|" + json);
    CHECK(s.oldCalls == 2);
    CHECK_FALSE(http.codesRequests());
    CHECK(http.postJson("/old", json).body == "plain|" + json);
    CHECK(s.oldCalls == 3);
    CHECK(http.postJson("/coded", json).body == "|" + json);
}

TEST_CASE("http client: the clock is measured from the answers' server time, the shortest round trip wins",
          "[http_client][clock]") {
    Server s;
    HttpClient http(s.url());
    http.get("/echo");
    CHECK_FALSE(http.clockOffset().has_value());  // no server time in that answer
    HttpResponse r = http.get("/timed");
    REQUIRE(r.ok());
    CHECK(r.answeredMs >= r.sentMs);
    REQUIRE(http.clockOffset().has_value());
    CHECK(std::llabs(*http.clockOffset() - 3'600'000) < 1'000);
    // A slower exchange (400 ms round trip) is less certain: it does not replace the estimate.
    http.get("/timed-slow");
    CHECK(std::llabs(*http.clockOffset() - 3'600'000) < 1'000);
    CHECK(http.requestCount() == 3);
}
