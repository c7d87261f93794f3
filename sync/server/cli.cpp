#include "sync/server/cli.h"

#include "core/assets.h"
#include "core/form_template.h"

#include <pthread.h>
#include <signal.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <thread>
#include <tuple>

#include "core/error.h"
#include "sync/protocol/protocol.h"
#include "sync/server/admin.h"
#include "sync/server/backup.h"
#include "sync/server/server.h"
#include "sync/server/sqlite_storage.h"

namespace jc::server {

namespace {

const char* kUsage = R"(jiancha-server — 监察 headquarters sync server

Usage: jiancha-server COMMAND [ARGS] [--db FILE]

The database is --db FILE, else $JIANCHA_SERVER_DB.

Commands:
  init                         create the server database (WAL, synchronous=FULL) with the category
                               form templates from assets/templates
  hq-key set KEY               HQ's public key (from `jiancha init --role hq_admin`), given to devices
                               at enrolment so they seal complainants' identities to it
  hq-key show
  serve --listen HOST:PORT     serve the sync API [--tls-cert F --tls-key F] [--blob-dir DIR] [--quiet]
                               [--admin-listen HOST:PORT]: /healthz and /metrics, no authentication —
                               use a loopback or management address (e.g. 127.0.0.1:9464)
  backup --out FILE            online copy of the database while the server runs [--blobs-to DIR]
                               (also copies the evidence files not yet in DIR) [--blob-dir DIR]
  restore --from FILE          put a backup in place of a stopped server's database [--force]
  team add NAME                add a team [--region-scope CODE,CODE]
  team list
  user add NAME --role R       add a user: R = inspector | lead | hq_admin [--team T] [--region-scope CODES]
                               [--display-name N]; inspectors and leads need --team
  user list
  campaign add --title T       [--prefix 张监] [--categories a,b] [--areas a,b] [--teams A,B]
                               [--start YYYY-MM-DD] [--end YYYY-MM-DD] [--deadline-days N]
  campaign list
  template add --category C --title T --fields FILE.json [--version N]
  enroll-code --user NAME      print a one-time enrolment code [--ttl-hours H] (default 72)
  device list
  device revoke ID

Every command takes --help. Exit codes: 0 ok, 1 storage failure, 2 bad usage or input.
)";

struct Args {
    std::vector<std::string> positional;
    std::map<std::string, std::string> options;
    std::set<std::string> flags;
};

const std::set<std::string> kFlags = {"--help", "-h", "--quiet", "--force"};

Args parseArgs(const std::vector<std::string>& argv, size_t from) {
    Args a;
    for (size_t i = from; i < argv.size(); ++i) {
        const std::string& s = argv[i];
        if (kFlags.count(s)) {
            a.flags.insert(s == "-h" ? "--help" : s);
        } else if (s.rfind("--", 0) == 0 && s.size() > 2) {
            auto eq = s.find('=');
            if (eq != std::string::npos) {
                a.options[s.substr(0, eq)] = s.substr(eq + 1);
            } else {
                if (i + 1 >= argv.size()) throw UsageError("option " + s + " needs a value");
                a.options[s] = argv[++i];
            }
        } else {
            a.positional.push_back(s);
        }
    }
    return a;
}

void allowOnly(const Args& a, std::initializer_list<const char*> allowed, const std::string& cmd) {
    for (const auto& [k, v] : a.options) {
        bool ok = k == "--db";
        for (const char* x : allowed) ok = ok || k == x;
        if (!ok)
            throw UsageError("unknown option " + k + " for '" + cmd + "' (see: jiancha-server " + cmd + " --help)");
    }
}

std::string opt(const Args& a, const std::string& name, const std::string& fallback = {}) {
    auto it = a.options.find(name);
    return it == a.options.end() ? fallback : it->second;
}

std::string required(const Args& a, const std::string& name, const std::string& cmd) {
    auto v = opt(a, name);
    if (v.empty()) throw UsageError(cmd + " needs " + name + " (see: jiancha-server " + cmd + " --help)");
    return v;
}

std::vector<std::string> splitList(const std::string& s) {
    std::vector<std::string> out;
    std::string cur;
    for (char c : s + ",") {
        if (c == ',') {
            if (!cur.empty()) out.push_back(cur);
            cur.clear();
        } else if (c != ' ') {
            cur += c;
        }
    }
    return out;
}

Json jsonList(const std::string& s) {
    Json j = Json::array();
    for (auto& x : splitList(s)) j.push_back(x);
    return j;
}

int intOption(const Args& a, const std::string& name, int fallback) {
    auto v = opt(a, name);
    if (v.empty()) return fallback;
    try {
        size_t used = 0;
        int n = std::stoi(v, &used);
        if (used != v.size()) throw std::invalid_argument(v);
        return n;
    } catch (const std::exception&) {
        throw UsageError(name + " must be a whole number, got '" + v + "'");
    }
}

std::string dbPath(const Args& a) {
    std::string p = opt(a, "--db");
    if (p.empty())
        if (const char* env = std::getenv("JIANCHA_SERVER_DB")) p = env;
    if (p.empty()) throw UsageError("no database given: pass --db FILE or set JIANCHA_SERVER_DB");
    return p;
}

int cmdInit(const Args& a) {
    allowOnly(a, {}, "init");
    std::string db = dbPath(a);
    initSqliteStorage(db);
    auto storage = openSqliteStorage(db);
    Admin admin(*storage);
    int added = 0;
    // Templates already there (init run again) are not added twice.
    std::set<std::pair<std::string, Json>> present;
    for (const auto& r : admin.records("form_template")) present.insert({r.text("category"), r.value("version")});
    for (const auto& t : loadTemplates((assetsDir() / "templates").string())) {
        if (!present.insert({t.category, Json(t.version)}).second) continue;
        admin.addTemplate(t.category, t.title, t.version, t.toJson()["fields"]);
        ++added;
    }
    std::cout << "server database ready: " << db << " (" << added << " form templates added)\n";
    return 0;
}

// "HOST:PORT" (IPv6 as [::1]:PORT) for --listen and --admin-listen.
std::pair<std::string, int> hostPort(const std::string& value, const std::string& option) {
    auto colon = value.rfind(':');
    if (colon == std::string::npos) throw UsageError(option + " must be HOST:PORT, e.g. 0.0.0.0:8443");
    std::string host = value.substr(0, colon);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    std::string port = value.substr(colon + 1);
    try {
        size_t used = 0;
        int n = std::stoi(port, &used);
        if (used != port.size() || n < 0 || n > 65535) throw std::out_of_range(port);
        return {host, n};
    } catch (const std::exception&) {
        throw UsageError(option + " port must be a number from 0 to 65535, got '" + port + "'");
    }
}

int cmdBackup(const Args& a) {
    allowOnly(a, {"--out", "--blobs-to", "--blob-dir"}, "backup");
    auto r = backupDatabase(dbPath(a), required(a, "--out", "backup"), opt(a, "--blob-dir"), opt(a, "--blobs-to"));
    std::cout << "backup written: " << opt(a, "--out") << " (" << r.databaseBytes << " bytes, changes up to "
              << r.lastServerSeq << ")";
    if (!opt(a, "--blobs-to").empty())
        std::cout << "; evidence files: " << r.blobsCopied << " copied (" << r.blobBytesCopied << " bytes), "
                  << r.blobsPresent << " already there";
    std::cout << "\n";
    return 0;
}

int cmdRestore(const Args& a) {
    allowOnly(a, {"--from"}, "restore");
    auto r = restoreDatabase(required(a, "--from", "restore"), dbPath(a), a.flags.count("--force") > 0);
    std::cout << "restored " << dbPath(a) << " from " << opt(a, "--from") << " (changes up to " << r.lastServerSeq
              << ")\n";
    return 0;
}

int cmdServe(const Args& a) {
    allowOnly(a, {"--listen", "--tls-cert", "--tls-key", "--blob-dir", "--admin-listen"}, "serve");
    ServerOptions o;
    o.dbPath = dbPath(a);
    if (!std::filesystem::exists(o.dbPath))
        throw UsageError("no server database at '" + o.dbPath + "'; create it with: jiancha-server init --db " +
                         o.dbPath);
    std::tie(o.host, o.port) = hostPort(required(a, "--listen", "serve"), "--listen");
    if (auto admin = opt(a, "--admin-listen"); !admin.empty())
        std::tie(o.adminHost, o.adminPort) = hostPort(admin, "--admin-listen");
    o.tlsCert = opt(a, "--tls-cert");
    o.tlsKey = opt(a, "--tls-key");
    o.blobDir = opt(a, "--blob-dir");
    o.quiet = a.flags.count("--quiet") > 0;

    // SIGINT / SIGTERM are taken by one thread that stops the server gracefully: in-flight
    // requests finish (each push is one transaction), then the process exits.
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);

    SyncServer server(o);
    int bound = server.bind();
    std::cout << "jiancha-server listening on " << (server.tls() ? "https://" : "http://") << o.host << ":" << bound
              << " (db " << o.dbPath << ")" << std::endl;
    if (server.adminPort() > 0)  // on stderr: the first stdout line is the one scripts read
        std::cerr << "jiancha-server health and metrics on http://" << o.adminHost << ":" << server.adminPort()
                  << "/healthz and /metrics" << std::endl;
    std::thread waiter([&server, set] {
        int sig = 0;
        sigwait(&set, &sig);
        server.log(std::string("received ") + (sig == SIGINT ? "SIGINT" : "SIGTERM") + ", stopping");
        server.stop();
    });
    waiter.detach();
    server.run();
    std::cout << "jiancha-server stopped" << std::endl;
    return 0;
}

}  // namespace

int runServerCli(const std::vector<std::string>& argv) {
    try {
        if (argv.size() < 2 || argv[1] == "--help" || argv[1] == "-h" || argv[1] == "help") {
            std::cout << kUsage;
            return argv.size() < 2 ? 2 : 0;
        }
        std::string cmd = argv[1];
        size_t from = 2;
        // Two-word commands: team add, user list, device revoke …
        if ((cmd == "team" || cmd == "user" || cmd == "campaign" || cmd == "template" || cmd == "device") &&
            argv.size() > 2 && argv[2].rfind("-", 0) != 0) {
            cmd += " " + argv[2];
            from = 3;
        }
        Args a = parseArgs(argv, from);
        if (a.flags.count("--help")) {
            std::cout << kUsage;
            return 0;
        }
        if (cmd == "init") return cmdInit(a);
        if (cmd == "serve") return cmdServe(a);
        if (cmd == "backup") return cmdBackup(a);
        if (cmd == "restore") return cmdRestore(a);

        std::string db = dbPath(a);
        if (!std::filesystem::exists(db))
            throw UsageError("no server database at '" + db + "'; create it with: jiancha-server init --db " + db);
        auto storage = openSqliteStorage(db);
        Admin admin(*storage);
        auto name = [&](const char* what) {
            if (a.positional.size() != 1) throw UsageError(cmd + " needs exactly one " + what);
            return a.positional[0];
        };
        if (cmd == "hq-key") {
            allowOnly(a, {}, cmd);
            if (a.positional.size() == 2 && a.positional[0] == "set") {
                std::string key = a.positional[1];
                if (key.size() != 44 || key.back() != '=')
                    throw UsageError("the HQ public key is 44 base64 characters, as printed by `jiancha init --role hq_admin`");
                auto tx = storage->write();
                tx->setSetting("hq_public_key", key);
                tx->commit();
                std::cout << "HQ public key set; devices enrolled from now on receive it\n";
            } else if (a.positional.size() == 1 && a.positional[0] == "show") {
                auto tx = storage->read();
                std::cout << tx->setting("hq_public_key").value_or("(not set)") << "\n";
            } else {
                throw UsageError("usage: jiancha-server hq-key set KEY | hq-key show");
            }
        } else if (cmd == "team add") {
            allowOnly(a, {"--region-scope"}, cmd);
            std::cout << admin.addTeam(name("NAME"), jsonList(opt(a, "--region-scope"))) << "\n";
        } else if (cmd == "team list") {
            allowOnly(a, {}, cmd);
            for (const auto& t : admin.records("team")) std::cout << t.id << "  " << t.text("name") << "\n";
        } else if (cmd == "user add") {
            allowOnly(a, {"--role", "--team", "--region-scope", "--display-name"}, cmd);
            Role role = parseRole(required(a, "--role", cmd));
            std::cout << admin.addUser(name("NAME"), role, opt(a, "--team"), jsonList(opt(a, "--region-scope")),
                                       opt(a, "--display-name"))
                      << "\n";
        } else if (cmd == "user list") {
            allowOnly(a, {}, cmd);
            for (const auto& u : admin.users())
                std::cout << u.userId << "  " << u.name << "  " << u.role << "  team=" << admin.teamName(u.teamId)
                          << (u.deleted ? "  (disabled)" : "") << "\n";
        } else if (cmd == "campaign add") {
            allowOnly(
                a, {"--title", "--prefix", "--categories", "--areas", "--teams", "--start", "--end", "--deadline-days"},
                cmd);
            CampaignSpec s;
            s.title = required(a, "--title", cmd);
            s.numberPrefix = opt(a, "--prefix");
            s.categories = splitList(opt(a, "--categories"));
            s.areas = splitList(opt(a, "--areas"));
            s.teams = splitList(opt(a, "--teams"));
            s.periodStart = opt(a, "--start");
            s.periodEnd = opt(a, "--end");
            s.complaintDeadlineDays = intOption(a, "--deadline-days", 15);
            std::cout << admin.addCampaign(s) << "\n";
        } else if (cmd == "campaign list") {
            allowOnly(a, {}, cmd);
            for (const auto& c : admin.records("campaign"))
                std::cout << c.id << "  " << c.text("title") << "  prefix=" << c.text("number_prefix") << "\n";
        } else if (cmd == "template add") {
            allowOnly(a, {"--category", "--title", "--fields", "--version"}, cmd);
            std::string file = required(a, "--fields", cmd);
            std::ifstream in(file);
            if (!in) throw UsageError("cannot read " + file);
            Json fields = Json::parse(in, nullptr, false);
            if (fields.is_discarded() || !(fields.is_array() || fields.is_object()))
                throw UsageError(file + " must hold a JSON list of template fields");
            std::cout << admin.addTemplate(required(a, "--category", cmd), required(a, "--title", cmd),
                                           intOption(a, "--version", 1), fields)
                      << "\n";
        } else if (cmd == "enroll-code") {
            allowOnly(a, {"--user", "--ttl-hours"}, cmd);
            double ttl = kDefaultEnrollTtlHours;
            if (auto v = opt(a, "--ttl-hours"); !v.empty()) {
                try {
                    ttl = std::stod(v);
                } catch (const std::exception&) {
                    throw UsageError("--ttl-hours must be a number, got '" + v + "'");
                }
            }
            std::cout << admin.enrollCode(required(a, "--user", cmd), ttl) << "\n";
        } else if (cmd == "device list") {
            allowOnly(a, {}, cmd);
            auto users = admin.users();
            for (const auto& d : admin.devices()) {
                std::string user = d.userId;
                for (const auto& u : users)
                    if (u.userId == d.userId) user = u.name;
                std::cout << d.id << "  " << d.name << "  user=" << user << "  enrolled=" << d.createdAt
                          << "  last_seen=" << (d.lastSeenAt.empty() ? "-" : d.lastSeenAt)
                          << (d.revokedAt.empty() ? "  active" : "  revoked=" + d.revokedAt) << "\n";
            }
        } else if (cmd == "device revoke") {
            allowOnly(a, {}, cmd);
            admin.revokeDevice(name("device ID"));
            std::cout << "revoked " << a.positional[0] << "\n";
        } else {
            throw UsageError("unknown command '" + cmd + "' (see: jiancha-server --help)");
        }
        return 0;
    } catch (const StorageError& e) {
        std::cerr << "jiancha-server: " << e.what() << "\n";
        return 1;
    } catch (const Error& e) {
        std::cerr << "jiancha-server: " << e.what() << "\n";
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "jiancha-server: " << e.what() << "\n";
        return 1;
    }
}

}  // namespace jc::server
