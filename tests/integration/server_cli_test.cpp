// The jiancha-server command line as an operator uses it: init, admin subcommands, clear errors
// with exit status 2 on bad input, --help everywhere, and a serve that stops on SIGTERM.
#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <sstream>
#include <string>

#include "core/entities.h"
#include "core/uuid.h"

namespace fs = std::filesystem;

namespace {

struct Run {
    int status = -1;
    std::string out;  // stdout and stderr together
};

// Chinese, the default, whatever the test machine's locale (the English texts: cli_language_test).
const char* kChinese = "LC_ALL= LC_MESSAGES= LANG=zh_CN.UTF-8 ";

Run run(const std::string& args) {
    std::string cmd = kChinese + std::string(JIANCHA_SERVER_BIN) + " " + args + " 2>&1";
    Run r;
    FILE* p = ::popen(cmd.c_str(), "r");
    REQUIRE(p);
    std::array<char, 4096> buf;
    size_t n;
    while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
    int st = ::pclose(p);
    r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    return r;
}

std::string firstLine(const std::string& s) {
    return s.substr(0, s.find('\n'));
}

}  // namespace

TEST_CASE("admin commands work on the database file and refuse bad input with exit 2", "[server][cli]") {
    fs::path dir = fs::temp_directory_path() / ("jiancha-cli-" + jc::newUuidV7());
    fs::create_directories(dir);
    std::string db = "--db " + (dir / "s.db").string();

    CHECK(run("team list " + db).status == 2);  // no database yet
    CHECK(run("team list " + db).out.find("jiancha-server init") != std::string::npos);
    REQUIRE(run("init " + db).status == 0);
    CHECK(run("init " + db).status == 0);  // idempotent

    Run team = run("team add 第一检查组 " + db);
    REQUIRE(team.status == 0);
    CHECK(jc::isUuid(firstLine(team.out)));
    CHECK(run("team add 第一检查组 " + db).status == 2);  // duplicate name
    CHECK(run("team list " + db).out.find("第一检查组") != std::string::npos);

    CHECK(run("user add zhangsan --role inspector --team 第一检查组 --region-scope 330100,330200 " + db).status == 0);
    Run badRole = run("user add lisi --role boss --team 第一检查组 " + db);
    CHECK(badRole.status == 2);
    CHECK(badRole.out.find("没有“boss”这个角色") != std::string::npos);
    CHECK(run("user add lisi --role lead " + db).status == 2);                        // a lead needs a team
    CHECK(run("user add lisi --role lead --team 无此组 " + db).status == 2);          // unknown team
    CHECK(run("user add zhangsan --role lead --team 第一检查组 " + db).status == 2);  // name taken
    CHECK(run("user add hq --role hq_admin " + db).status == 0);
    Run users = run("user list " + db);
    CHECK(users.out.find("zhangsan  检查员  检查组=第一检查组") != std::string::npos);

    CHECK(run("campaign add --title 征地专项 --prefix 张监 --categories land_acquisition,城镇拆迁 " + db).status == 0);
    CHECK(run("campaign add --title 错误类别 --categories nonsense " + db).status == 2);
    CHECK(run("campaign add --prefix 张监 " + db).status == 2);  // no title
    CHECK(run("campaign list " + db).out.find("文号前缀=张监") != std::string::npos);

    Run code = run("enroll-code --user zhangsan --ttl-hours 1 " + db);
    REQUIRE(code.status == 0);
    CHECK(firstLine(code.out).size() == 14);  // XXXX-XXXX-XXXX
    CHECK(run("enroll-code --user nobody " + db).status == 2);
    CHECK(run("enroll-code --user zhangsan --ttl-hours abc " + db).status == 2);
    CHECK(run("device revoke no-such-device " + db).status == 2);
    CHECK(run("device list " + db).status == 0);

    CHECK(run("user add x --role inspector --team 第一检查组 --bogus 1 " + db).status == 2);  // unknown option
    CHECK(run("frobnicate " + db).status == 2);
    CHECK(run("").status == 2);
    for (const char* cmd :
         {"--help", "serve --help", "user add --help", "device revoke --help", "enroll-code --help"}) {
        Run h = run(cmd);
        CHECK(h.status == 0);
        CHECK(h.out.find("用法：jiancha-server") != std::string::npos);
    }
    CHECK(run("serve " + db + " --listen nowhere").status == 2);
    CHECK(run("serve " + db + " --listen 127.0.0.1:70000").status == 2);
    CHECK(run("serve " + db + " --listen 127.0.0.1:0 --tls-cert /nonexistent.pem --tls-key /nonexistent.key").status ==
          2);

    std::error_code ec;
    fs::remove_all(dir, ec);
}

TEST_CASE("serve logs one JSON line per request and stops on SIGTERM", "[server][cli]") {
    fs::path dir = fs::temp_directory_path() / ("jiancha-cli-" + jc::newUuidV7());
    fs::create_directories(dir);
    std::string dbPath = (dir / "s.db").string();
    REQUIRE(run("init --db " + dbPath).status == 0);
    std::string logPath = (dir / "server.log").string();
    int out[2];
    REQUIRE(::pipe(out) == 0);
    pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        ::dup2(out[1], 1);
        FILE* log = std::fopen(logPath.c_str(), "w");
        ::dup2(fileno(log), 2);
        ::close(out[0]);
        ::close(out[1]);
        ::unsetenv("LC_ALL");
        ::unsetenv("LC_MESSAGES");
        ::setenv("LANG", "zh_CN.UTF-8", 1);
        ::execl(JIANCHA_SERVER_BIN, JIANCHA_SERVER_BIN, "serve", "--db", dbPath.c_str(), "--listen", "127.0.0.1:0",
                static_cast<char*>(nullptr));
        ::_exit(127);
    }
    ::close(out[1]);
    std::string line;
    char ch;
    while (::read(out[0], &ch, 1) == 1 && ch != '\n') line += ch;
    INFO(line);
    auto colon = line.rfind(':');
    REQUIRE(colon != std::string::npos);
    httplib::Client client("127.0.0.1", std::stoi(line.substr(colon + 1)));
    auto r = client.Get("/v1/version");
    REQUIRE(r);
    CHECK(r->status == 200);

    ::kill(pid, SIGTERM);
    int status = 0;
    ::waitpid(pid, &status, 0);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
    std::string rest;
    while (::read(out[0], &ch, 1) == 1) rest += ch;
    ::close(out[0]);
    CHECK(rest.find("已停止") != std::string::npos);

    FILE* f = std::fopen(logPath.c_str(), "r");
    REQUIRE(f);
    std::string log;
    std::array<char, 4096> buf;
    size_t n;
    while ((n = std::fread(buf.data(), 1, buf.size(), f)) > 0) log.append(buf.data(), n);
    std::fclose(f);
    INFO(log);
    // One JSON object per request line: time, method, route, status, ms, user, device, bytes.
    bool found = false;
    std::istringstream lines(log);
    for (std::string l; std::getline(lines, l);) {
        if (l.empty() || l.front() != '{') continue;
        auto j = jc::Json::parse(l);
        if (j.value("route", "") != "/v1/version") continue;
        found = true;
        CHECK(j["method"] == "GET");
        CHECK(j["status"] == 200);
        CHECK(j["ms"].is_number());
        CHECK(j["user"].is_null());
        CHECK(j["device"].is_null());
        CHECK(j["bytes_out"].get<int64_t>() > 0);
        CHECK(j["time"].get<std::string>().size() >= 20);
    }
    CHECK(found);
    CHECK(log.find("SIGTERM") != std::string::npos);
    std::error_code ec;
    fs::remove_all(dir, ec);
}
