// `jiancha enroll` and `jiancha sync`: the device side of headquarters sync.
#include <unistd.h>

#include <iostream>

#include "app/paths.h"
#include "app/protection.h"
#include "core/args.h"
#include "cli/env.h"
#include "core/error.h"
#include "store/reference_data.h"
#include "store/search_index.h"
#include "store/sync_state.h"
#include "sync/client/sync_engine.h"

namespace jc::cli {

int runEnroll(Env& env, const std::vector<std::string>& args) {
    if (args.empty() || wantsHelp(args)) return printHelp("cli.help.enroll", args.empty());
    Args a(args, {"server", "code", "device-name", "ca-file", "crypto"}, {"no-passphrase"});
    a.maxPositional(0);
    // Enrolling into an empty data directory creates the store: protected, as with `init`.
    if (storeLockState(env.dataDir) == StoreLock::NoStore && !a.flag("no-passphrase")) {
        std::string suite = a.optOr("crypto", "default");
        checkSuiteName(suite);
        protectNewStore(env.dataDir, suite, env.passphrase(true), "");
    }
    Store& store = env.store();
    loadReferenceData(store.db(), assetsDir());
    char host[256] = "device";
    gethostname(host, sizeof host - 1);
    auto r = sync::enrollDevice(store, a.required("server"), a.required("code"), a.optOr("device-name", host),
                                a.optOr("ca-file", ""));
    if (!r.ok) throw ValidationError(trf("cli.enroll.failed", {r.error}));
    if (env.json) printJson({{"user", r.userName}, {"role", r.role}, {"device_id", r.deviceId}});
    else std::cout << trf("cli.enroll.done", {r.userName, roleText(r.role), r.deviceId}) << "\n";
    return 0;
}

int runSync(Env& env, const std::vector<std::string>& args) {
    if (wantsHelp(args)) return printHelp("cli.help.sync", false);
    Args a(args, {}, {"no-blobs"});
    env.requireStore();
    Store& store = env.store();
    if (!a.positional().empty() && a.positional()[0] == "rejections") {
        auto rows = listRejections(store.db());
        if (env.json) {
            Json out = Json::array();
            for (const auto& r : rows)
                out.push_back({{"change_id", r.changeId}, {"entity", r.entity}, {"entity_id", r.entityId},
                               {"reason", r.reason}, {"reason_code", r.reasonCode}, {"detail", r.detail},
                               {"params", r.params}, {"server_values", r.serverValues}, {"at", r.at}, {"fields", r.fields}});
            printJson({{"rejections", out}});
        } else {
            for (const auto& r : rows)
                std::cout << timeText(r.at) << "  " << entityText(r.entity) << " " << r.entityId << "  " << r.reason << "\n";
            if (rows.empty()) std::cout << tr("cli.sync.no_rejections") << "\n";
        }
        return 0;
    }
    a.maxPositional(0);
    sync::SyncEngine engine(store, blobDir(env.dataDir));
    auto progress = [&](const sync::SyncProgress& p) {
        if (!env.json) std::cerr << "\r" << p.phase << " " << p.done << "/" << p.total << "   " << std::flush;
    };
    sync::SyncReport r = a.flag("no-blobs") ? engine.runRecords(progress) : engine.run(progress);
    // The records the pull wrote are indexed before the command ends (the GUI does this in the
    // background), so the next `jiancha search` answers from the index alone. Search is exact
    // either way; an interrupted catch-up resumes at the next sync or in the GUI.
    int64_t unindexed = searchPendingCount(store.db());
    for (int64_t total = unindexed; unindexed > 0;) {
        unindexed = catchUpSearchIndex(store.db(), 1000);
        progress({"index", total - unindexed, total});
    }
    if (!env.json) std::cerr << "\r                                  \r";
    if (r.ok) releaseFreePages(store.db());  // the emptied outbox's pages, back to the disk
    if (env.json) {
        printJson({{"ok", r.ok}, {"error", r.error}, {"error_kind", sync::errorKindCode(r.errorKind)}, {"pushed", r.pushed}, {"rejected", r.rejected},
                   {"conflicts", r.conflicts}, {"pulled", r.pulled}, {"kept_local", r.keptLocal},
                   {"blobs_up", r.blobsUp}, {"blobs_down", r.blobsDown}, {"blobs_failed", r.blobsFailed},
                   {"pending", r.pendingAfter}, {"ms", r.ms}});
    } else {
        std::cout << trf("cli.sync.report", {std::to_string(r.pushed), std::to_string(r.rejected), std::to_string(r.conflicts),
                                             std::to_string(r.pulled), std::to_string(r.blobsUp), std::to_string(r.blobsDown),
                                             std::to_string(r.blobsFailed), std::to_string(r.pendingAfter),
                                             std::to_string(static_cast<int>(r.ms))})
                  << "\n";
        if (!r.ok) {
            // What kind of failure, in the user's language; the engine's words as the detail.
            std::string words = r.errorKind == sync::SyncErrorKind::None || r.errorKind == sync::SyncErrorKind::Local
                                    ? r.error
                                    : trf("sync.error_with_detail",
                                          {tr("syncerr." + std::string(sync::errorKindCode(r.errorKind))), r.error});
            std::cerr << "jiancha: " << trf("cli.sync.failed", {words}) << "\n";
        }
    }
    return r.ok ? 0 : 1;
}

}  // namespace jc::cli
