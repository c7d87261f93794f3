// Pull: the server's changes since the cursor, page by page, applied to the local store.
#include "sync/client/sync_engine.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <future>
#include <memory>
#include <optional>
#include <vector>

#include "store/reference_data.h"
#include "core/dates.h"
#include "core/error.h"
#include "store/sync_state.h"
#include "sync/client/clock_sync.h"
#include "sync/client/http_client.h"
#include "sync/protocol/protocol.h"

namespace jc::sync {

namespace fs = std::filesystem;

namespace {
// One pull page, parsed. The field maps (most of a page's bytes) are moved out of the parsed
// tree rather than copied by pullResponseFromJson, which still checks everything else; they are
// put back on the changes afterwards. Only done for changes that carry versions (a change
// without them takes its versions from its fields).
struct PulledPage {
    HttpResponse res;
    proto::PullResponse pr;
};

PulledPage fetchPage(HttpClient& http, const std::string& path) {
    PulledPage p;
    p.res = http.get(path);
    if (!p.res.ok()) return p;
    Json body = proto::parseBody(p.res.body);
    std::vector<std::optional<Json>> moved;
    if (auto cs = body.find("changes"); cs != body.end() && cs->is_array()) {
        moved.resize(cs->size());
        for (size_t i = 0; i < cs->size(); ++i) {
            Json& c = (*cs)[i];
            if (!c.is_object() || !c.contains("versions")) continue;
            auto f = c.find("fields");
            if (f == c.end() || !f->is_object()) continue;
            moved[i] = std::move(*f);
            *f = Json::object();
        }
    }
    p.pr = proto::pullResponseFromJson(body);
    for (size_t i = 0; i < p.pr.changes.size() && i < moved.size(); ++i)
        if (moved[i]) p.pr.changes[i].fields = std::move(*moved[i]);
    p.res.body.clear();
    return p;
}
}  // namespace

bool SyncEngine::pull(HttpClient& http, SyncReport& r, const ProgressFn& progress, bool& statusWritten) {
    std::string epoch = m_store.meta("sync_scope_epoch").value_or("");
    auto pathFor = [](int64_t cursor, const std::string& ep) {
        std::string path = "/v1/pull?cursor=" + std::to_string(cursor) + "&limit=" + std::to_string(kPullPage);
        if (!ep.empty()) path += "&scope_epoch=" + ep;
        return path;
    };
    // Pipelined: while page k is applied here, page k+1 (asked for with page k's next_cursor and
    // scope_epoch, exactly what the sequential loop would send) is fetched and parsed on a
    // helper thread. Pages are still applied strictly in order, each with its cursor.
    // The server withholds what an older schema cannot read (proto::fieldKnownAtSchema), so a
    // cursor reached by an older build may have passed records this build can read: when the
    // schema this store last pulled with is not ours, pull once more from the start (applying a
    // change already held changes nothing).
    const std::string schemaNow = std::to_string(proto::kSchemaVersion);
    const bool schemaMoved = m_store.meta("sync_pull_schema").value_or("") != schemaNow;
    PulledPage page = fetchPage(http, pathFor(schemaMoved ? 0 : pullCursor(m_store), epoch));
    std::future<PulledPage> next;
    for (;;) {
        if (next.valid()) page = next.get();
        if (!page.res.ok()) {
            r.error = describeHttpFailure(page.res.status, page.res.body, page.res.transportError);
            r.errorKind = classifyHttpFailure(page.res.status, page.res.body, page.res.curlCode, page.res.transportError);
            return false;
        }
        proto::PullResponse& pr = page.pr;
        std::string newEpoch = std::to_string(pr.scopeEpoch);
        if (pr.hasMore)
            next = std::async(std::launch::async, [&http, path = pathFor(pr.nextCursor, newEpoch)] {
                return fetchPage(http, path);
            });
        std::vector<RemoteChange> changes;
        changes.reserve(pr.changes.size());
        for (auto& c : pr.changes)
            changes.push_back({c.serverSeq, std::move(c.entity), std::move(c.entityId), std::move(c.fields),
                               std::move(c.versions), std::move(c.author), std::move(c.hlc)});
        ApplyStats st;
        {
            // The last page, the scope epoch and the sync status go in one commit (one fsync):
            // the common one-change pull then costs a single local commit.
            std::optional<Transaction> tx;
            if (!pr.hasMore) tx.emplace(m_store.db());
            st = applyRemoteChanges(m_store, changes, pr.nextCursor);
            // Written only when it changes: each write of its own is one more commit (and fsync).
            if (newEpoch != epoch) m_store.setMeta("sync_scope_epoch", newEpoch);
            if (schemaMoved && !pr.hasMore) m_store.setMeta("sync_pull_schema", schemaNow);
            epoch = newEpoch;
            if (tx) {
                // The clock measured by this round's answers joins the same commit (its own
                // transaction nests, base/db.h), instead of a commit (and fsync) of its own.
                recordMeasuredClock(http, m_store);
                writeSyncStatus(*tx, true, "");
                tx->commit();
                statusWritten = true;
            }
        }
        r.pulled += static_cast<int>(changes.size());
        r.keptLocal += st.fieldsKeptLocal;
        if (progress) progress({"pull", r.pulled, r.pulled + (pr.hasMore ? kPullPage : 0)});
        if (!pr.hasMore) return true;
    }
}

}  // namespace jc::sync
