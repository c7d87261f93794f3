#include "sync/server/cli.h"

#include "core/assets.h"
#include "core/form_template.h"

#include <pthread.h>
#include <signal.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>
#include <map>
#include <set>
#include <thread>
#include <tuple>

#include "core/args.h"
#include "core/error.h"
#include "core/error_text.h"
#include "core/i18n.h"
#include "core/time_input.h"
#include "sync/protocol/protocol.h"
#include "sync/server/admin.h"
#include "sync/server/backup.h"
#include "sync/server/server.h"
#include "sync/server/server_audit.h"
#include "sync/server/open_storage.h"
#include "sync/server/pg_storage.h"

namespace jc::server {

namespace {

// The options and flags each command takes (names without "--"; every command takes --db).
struct CommandSpec {
    std::set<std::string> options, flags;
};
const std::map<std::string, CommandSpec> kCommands = {
    {"init", {}},
    {"serve",
     {{"listen", "tls-cert", "tls-key", "blob-dir", "admin-listen", "enrol-failures-per-address",
       "enrol-failures-total", "enrol-window-minutes", "blob-mib-per-day", "write-group"},
      {"quiet"}}},
    {"backup", {{"out", "blobs-to", "blob-dir"}, {}}},
    {"restore", {{"from"}, {"force"}}},
    {"hq-key", {}},
    {"team add", {{"region-scope"}, {}}},
    {"team list", {}},
    {"user add", {{"role", "team", "region-scope", "display-name"}, {}}},
    {"user list", {}},
    {"campaign add", {{"title", "prefix", "categories", "areas", "teams", "start", "end", "deadline-days"}, {}}},
    {"campaign list", {}},
    {"template add", {{"category", "title", "fields", "version"}, {}}},
    {"enroll-code", {{"user", "ttl-hours"}, {}}},
    {"device list", {}},
    {"device revoke", {}},
    {"audit verify", {}},
    {"audit list", {{"after", "limit"}, {}}},
};

Args parseArgs(const std::string& cmd, const std::vector<std::string>& argv, size_t from) {
    CommandSpec spec = kCommands.at(cmd);
    spec.options.insert("db");
    return Args(std::vector<std::string>(argv.begin() + static_cast<long>(from), argv.end()), spec.options, spec.flags);
}

std::string opt(const Args& a, const std::string& name, const std::string& fallback = {}) {
    return a.optOr(name.rfind("--", 0) == 0 ? name.substr(2) : name, fallback);
}

std::string required(const Args& a, const std::string& name, const std::string& cmd) {
    auto v = opt(a, name);
    if (v.empty()) throw UsageError(trf("server.needs_option", {cmd, name}));
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


std::string dbPath(const Args& a) {
    std::string p = opt(a, "--db");
    if (p.empty())
        if (const char* env = std::getenv("JIANCHA_SERVER_DB")) p = env;
    if (p.empty()) throw UsageError(tr("server.no_db"));
    return p;
}

// A SQLite file must exist before anything but init uses it (PostgreSQL says so when connecting).
void requireDatabase(const std::string& db) {
    if (!isPostgresUrl(db) && !std::filesystem::exists(db))
        throw UsageError(trf("server.no_db_file", {db}));
}

int cmdInit(const Args& a) {
    std::string db = dbPath(a);
    initStorage(db);
    auto storage = openStorage(db);
    ensureServerEpoch(*storage);
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
    std::cout << trf("server.init_done", {describeDb(db), std::to_string(added)}) << "\n";
    return 0;
}

// "HOST:PORT" (IPv6 as [::1]:PORT) for --listen and --admin-listen.
std::pair<std::string, int> hostPort(const std::string& value, const std::string& option) {
    auto colon = value.rfind(':');
    if (colon == std::string::npos) throw UsageError(trf("server.bad_listen", {option, value}));
    std::string host = value.substr(0, colon);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    std::string port = value.substr(colon + 1);
    try {
        size_t used = 0;
        int n = std::stoi(port, &used);
        if (used != port.size() || n < 0 || n > 65535) throw std::out_of_range(port);
        return {host, n};
    } catch (const std::exception&) {
        throw UsageError(trf("server.bad_port", {option, port}));
    }
}

// Online backup and restore use SQLite's backup API; PostgreSQL has its own tools.
void sqliteOnly(const Args& a, const std::string& cmd) {
    if (isPostgresUrl(dbPath(a)))
        throw UsageError(trf("server.err_sqlite_only", {cmd}));
}

int cmdBackup(const Args& a) {
    sqliteOnly(a, "backup");
    auto r = backupDatabase(dbPath(a), required(a, "--out", "backup"), opt(a, "--blob-dir"), opt(a, "--blobs-to"));
    std::cout << trf("server.backup_done", {opt(a, "--out"), std::to_string(r.databaseBytes), std::to_string(r.lastServerSeq)});
    if (!opt(a, "--blobs-to").empty())
        std::cout << trf("server.backup_blobs", {std::to_string(r.blobsCopied), std::to_string(r.blobBytesCopied),
                                                 std::to_string(r.blobsPresent)});
    std::cout << "\n";
    return 0;
}

int cmdRestore(const Args& a) {
    sqliteOnly(a, "restore");
    auto r = restoreDatabase(required(a, "--from", "restore"), dbPath(a), a.flag("force"));
    std::cout << trf("server.restored", {dbPath(a), opt(a, "--from"), std::to_string(r.lastServerSeq)}) << "\n";
    return 0;
}

int cmdServe(const Args& a) {
    ServerOptions o;
    o.dbPath = dbPath(a);
    requireDatabase(o.dbPath);
    std::tie(o.host, o.port) = hostPort(required(a, "--listen", "serve"), "--listen");
    if (auto admin = opt(a, "--admin-listen"); !admin.empty())
        std::tie(o.adminHost, o.adminPort) = hostPort(admin, "--admin-listen");
    o.tlsCert = opt(a, "--tls-cert");
    o.tlsKey = opt(a, "--tls-key");
    o.blobDir = opt(a, "--blob-dir");
    o.quiet = a.flag("quiet");
    o.limits.enrolFailuresPerAddress =
        a.intOpt("enrol-failures-per-address", o.limits.enrolFailuresPerAddress, 1, 1'000'000);
    o.limits.enrolFailuresGlobal = a.intOpt("enrol-failures-total", o.limits.enrolFailuresGlobal, 1, 10'000'000);
    o.limits.enrolWindowSeconds = a.intOpt("enrol-window-minutes", o.limits.enrolWindowSeconds / 60, 1, 7 * 24 * 60) * 60;
    o.limits.blobBytesPerDeviceDay =
        static_cast<int64_t>(a.intOpt("blob-mib-per-day", static_cast<int>(o.limits.blobBytesPerDeviceDay >> 20), 1,
                                      100'000'000))
        << 20;
    o.writeGroup = a.intOpt("write-group", o.writeGroup, 1, 1000);

    // SIGINT / SIGTERM are taken by one thread that stops the server gracefully: in-flight
    // requests finish (each push is one transaction), then the process exits.
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);

    SyncServer server(o);
    int bound = server.bind();
    // The address stays the last "scheme://host:port" of the line: scripts and tests read the port from it.
    std::cout << "jiancha-server " << trf("server.listening", {std::string(server.tls() ? "https://" : "http://") + o.host + ":" +
                                                                   std::to_string(bound), describeDb(o.dbPath)})
              << std::endl;
    if (server.adminPort() > 0)  // on stderr: the first stdout line is the one scripts read
        std::cerr << "jiancha-server "
                  << trf("server.admin_listening", {"http://" + o.adminHost + ":" + std::to_string(server.adminPort())})
                  << std::endl;
    std::thread waiter([&server, set] {
        int sig = 0;
        sigwait(&set, &sig);
        server.log(std::string("received ") + (sig == SIGINT ? "SIGINT" : "SIGTERM") + ", stopping");
        server.stop();
    });
    waiter.detach();
    server.run();
    std::cout << "jiancha-server " << tr("server.stopped") << std::endl;
    return 0;
}

}  // namespace

int runServerCli(const std::vector<std::string>& allArgs) {
    try {
        // The language: --lang zh|en (anywhere), else LC_ALL / LC_MESSAGES / LANG. The request log stays English.
        Language lang = languageFromEnvironment();
        std::vector<std::string> argv;
        for (size_t i = 0; i < allArgs.size(); ++i) {
            if (i > 0 && allArgs[i] == "--lang" && i + 1 < allArgs.size()) lang = parseLanguage(allArgs[++i]);
            else if (i > 0 && allArgs[i].rfind("--lang=", 0) == 0) lang = parseLanguage(allArgs[i].substr(7));
            else argv.push_back(allArgs[i]);
        }
        i18n().setLanguage(lang);
        loadStringTables();
        if (argv.size() < 2 || argv[1] == "--help" || argv[1] == "-h" || argv[1] == "help") {
            std::cout << tr("server.help");
            return argv.size() < 2 ? 2 : 0;
        }
        std::string cmd = argv[1];
        size_t from = 2;
        // Two-word commands: team add, user list, device revoke …
        if ((cmd == "team" || cmd == "user" || cmd == "campaign" || cmd == "template" || cmd == "device" ||
             cmd == "audit") &&
            argv.size() > 2 && argv[2].rfind("-", 0) != 0) {
            cmd += " " + argv[2];
            from = 3;
        }
        if (!kCommands.count(cmd)) throw UsageError(trf("server.unknown_command", {cmd}));
        if (wantsHelp(std::vector<std::string>(argv.begin() + static_cast<long>(from), argv.end()))) {
            std::cout << tr("server.help");
            return 0;
        }
        Args a = parseArgs(cmd, argv, from);
        if (cmd == "init") return cmdInit(a);
        if (cmd == "serve") return cmdServe(a);
        if (cmd == "backup") return cmdBackup(a);
        if (cmd == "restore") return cmdRestore(a);

        std::string db = dbPath(a);
        requireDatabase(db);
        auto storage = openStorage(db);
        Admin admin(*storage);
        auto name = [&](const char* what) {
            if (a.positional().size() != 1) throw UsageError(trf("server.needs_one", {cmd, what}));
            return a.positional()[0];
        };
        if (cmd == "hq-key") {
            if (a.positional().size() == 2 && a.positional()[0] == "set") {
                std::string key = a.positional()[1];
                if (key.size() != 44 || key.back() != '=') throw UsageError(tr("server.bad_hq_key"));
                auto tx = storage->write();
                tx->setSetting("hq_public_key", key);
                tx->commit();
                std::cout << tr("server.hq_key_set") << "\n";
            } else if (a.positional().size() == 1 && a.positional()[0] == "show") {
                auto tx = storage->read();
                std::cout << tx->setting("hq_public_key").value_or(tr("server.not_set")) << "\n";
            } else {
                throw UsageError(tr("server.hq_key_usage"));
            }
        } else if (cmd == "team add") {
            std::cout << admin.addTeam(name("NAME"), jsonList(opt(a, "--region-scope"))) << "\n";
        } else if (cmd == "team list") {
            for (const auto& t : admin.records("team")) std::cout << t.id << "  " << t.text("name") << "\n";
        } else if (cmd == "user add") {
            Role role = parseRole(required(a, "--role", cmd));
            std::cout << admin.addUser(name("NAME"), role, opt(a, "--team"), jsonList(opt(a, "--region-scope")),
                                       opt(a, "--display-name"))
                      << "\n";
        } else if (cmd == "user list") {
            for (const auto& u : admin.users())
                std::cout << u.userId << "  " << u.name << "  "
                          << (u.role == "inspector" || u.role == "lead" || u.role == "hq_admin" ? roleLabel(parseRole(u.role)) : u.role.c_str())
                          << "  " << trf("server.team_is", {admin.teamName(u.teamId)})
                          << (u.deleted ? tr("server.disabled") : "") << "\n";
        } else if (cmd == "campaign add") {
            CampaignSpec s;
            s.title = required(a, "--title", cmd);
            s.numberPrefix = opt(a, "--prefix");
            s.categories = splitList(opt(a, "--categories"));
            s.areas = splitList(opt(a, "--areas"));
            s.teams = splitList(opt(a, "--teams"));
            if (auto d = a.opt("start")) s.periodStart = parseDateInput(*d, "--start").str();
            if (auto d = a.opt("end")) s.periodEnd = parseDateInput(*d, "--end").str();
            s.complaintDeadlineDays = a.intOpt("deadline-days", 15, 1, 365);
            std::cout << admin.addCampaign(s) << "\n";
        } else if (cmd == "campaign list") {
            for (const auto& c : admin.records("campaign"))
                std::cout << c.id << "  " << c.text("title") << "  " << trf("server.prefix_is", {c.text("number_prefix")}) << "\n";
        } else if (cmd == "template add") {
            std::string file = required(a, "--fields", cmd);
            std::ifstream in(file);
            if (!in) throw UsageError(trf("server.cannot_read", {file}));
            Json fields = Json::parse(in, nullptr, false);
            if (fields.is_discarded() || !(fields.is_array() || fields.is_object()))
                throw UsageError(trf("server.bad_fields_file", {file}));
            std::cout << admin.addTemplate(required(a, "--category", cmd), required(a, "--title", cmd),
                                           a.intOpt("version", 1, 1, 1000), fields)
                      << "\n";
        } else if (cmd == "enroll-code") {
            double ttl = a.doubleOpt("ttl-hours", kDefaultEnrollTtlHours, 0.01, 24.0 * 365);
            std::cout << admin.enrollCode(required(a, "--user", cmd), ttl) << "\n";
        } else if (cmd == "device list") {
            auto users = admin.users();
            for (const auto& d : admin.devices()) {
                std::string user = d.userId;
                for (const auto& u : users)
                    if (u.userId == d.userId) user = u.name;
                std::cout << d.id << "  " << d.name << "  "
                          << trf("server.device_line", {user, displayTime(d.createdAt),
                                                        d.lastSeenAt.empty() ? "-" : displayTime(d.lastSeenAt)})
                          << "  " << (d.revokedAt.empty() ? tr("server.active") : trf("server.revoked_at", {displayTime(d.revokedAt)}))
                          << "\n";
            }
        } else if (cmd == "device revoke") {
            admin.revokeDevice(name("ID"));
            std::cout << trf("server.revoked", {a.positional()[0]}) << "\n";
        } else if (cmd == "audit verify") {
            auto c = verifyServerAudit(*storage);
            if (!c.ok) {
                std::cout << trf("server.audit_bad", {c.problem}) << "\n";
                return 3;
            }
            std::cout << trf("server.audit_ok", {std::to_string(c.entries)}) << "\n";
        } else if (cmd == "audit list") {
            int64_t after = a.intOpt("after", 0, 0, std::numeric_limits<int>::max());
            int limit = a.intOpt("limit", 100, 1, 10000);
            for (const auto& e : admin.audit(after, limit))
                std::cout << e.seq << "  " << displayTime(e.at) << "  " << e.actor
                          << (e.deviceId.size() < 8 ? "" : "@" + e.deviceId.substr(e.deviceId.size() - 8)) << "  " << e.action << "  "
                          << e.target << " " << e.targetId << "  " << e.detail << "\n";
        } else {  // init and serve returned above; every other command of kCommands has a branch
            throw UsageError(trf("server.unknown_command", {cmd}));
        }
        return 0;
    } catch (const StorageError& e) {
        std::cerr << "jiancha-server: " << describeError(e) << "\n";
        return 1;
    } catch (const Error& e) {
        std::cerr << "jiancha-server: " << describeError(e) << "\n";
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "jiancha-server: " << describeError(StorageError(e.what())) << "\n";
        return 1;
    }
}

}  // namespace jc::server
