// Push: the outbox to the server in batches, and what the device does with each answer.
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

#include "core/dates.h"
#include "core/error.h"
#include "store/sync_state.h"
#include "sync/client/http_client.h"
#include "sync/protocol/protocol.h"

namespace jc::sync {

namespace fs = std::filesystem;

// The next push batch from the outbox: changes with seq > afterSeq, at most kPushBatch and
// about kPushBodyBytes. The outbox keeps each change's fields and base versions as JSON text:
// they go into the request as they are, without parsing and serialising them again.
// Sets `count` and moves `afterSeq` to the last seq taken.
std::string SyncEngine::pushBody(const std::string& deviceId, int64_t& afterSeq, size_t& count) {
    proto::PushBodyWriter body(deviceId, m_store.incarnation());
    auto& s = m_store.db().cached(
        "SELECT seq, change_id, entity, entity_id, fields, base_versions, hlc, user_id FROM outbox "
        "WHERE seq > ? ORDER BY seq LIMIT ?");
    s.bind(1, afterSeq).bind(2, static_cast<int64_t>(kPushBatch) + 1);  // one more: where the batch ends
    std::string lastEntityId;
    int64_t seqBeforeLast = afterSeq;
    while (s.step()) {
        // Each column is read once and goes straight into the body.
        std::string entity = s.getText(2), entityId = s.getText(3), fields = s.getText(4), base = s.getText(5);
        // Stay well under the server's body limit: long narratives make big changes.
        const size_t need = fields.size() + base.size() + 300;
        if (body.count() == kPushBatch || (body.count() > 0 && body.bytes() + need > kPushBodyBytes)) {
            // A status change and the case event with its comment (written in one transaction,
            // one after the other) go in the same push: the server checks the comment there.
            if (body.count() > 1 && entity == "case_event" && fields.find(lastEntityId) != std::string::npos) {
                body.dropLast();
                afterSeq = seqBeforeLast;
            }
            break;
        }
        seqBeforeLast = afterSeq;
        body.add(s.getText(1), s.getInt(0), entity, entityId, fields, base, s.getText(6), s.getText(7));
        afterSeq = s.getInt(0);
        lastEntityId = std::move(entityId);
    }
    s.reset();  // release the read snapshot
    count = body.count();
    return body.finish();
}

bool SyncEngine::push(HttpClient& http, SyncReport& r, const ProgressFn& progress) {
    int64_t total = pendingCount(m_store.db());
    int64_t done = 0;
    if (total == 0) return true;
    const std::string deviceId = m_store.meta("sync_device_id").value_or(m_store.deviceId());
    // A batch read from the outbox and gzip-coded, ready to send.
    struct Batch {
        std::string body, coded;
        size_t count = 0;
        int64_t upTo = 0;  // the last seq in it
    };
    auto prepare = [&](int64_t after) {
        Batch b;
        b.upTo = after;
        b.body = pushBody(deviceId, b.upTo, b.count);
        if (b.count > 0) b.coded = http.codeJson(b.body);
        return b;
    };
    auto send = [&http](Batch& b) {
        return std::async(std::launch::async, [&http, body = std::move(b.body), coded = std::move(b.coded)] {
            return http.postCodedJson("/v1/push", body, coded);
        });
    };
    Batch cur = prepare(0);
    if (cur.count == 0) return true;
    // Pipelined: batch k goes out on a helper thread; meanwhile this thread reads and codes batch
    // k+1 (while the server applies k), and once k is answered, k+1 goes out and this thread
    // records the answer to k while the server applies k+1. Batches still reach the server one
    // after another, each only after the previous one was answered; a failure stops before
    // anything further is sent, and what was sent but not recorded is answered as duplicate when
    // pushed again.
    std::future<HttpResponse> inflight = send(cur);
    Batch next = prepare(cur.upTo);
    for (;;) {
        HttpResponse res = inflight.get();
        if (!res.ok()) {
            r.error = describeHttpFailure(res.status, res.body, res.transportError);
            r.errorKind = classifyHttpFailure(res.status, res.body, res.curlCode, res.transportError);
            return false;
        }
        proto::PushResponse pr = proto::pushResponseFromJson(proto::parseBody(res.body));
        size_t sent = cur.count;
        if (next.count > 0) {
            cur = std::move(next);
            next = Batch{};
            inflight = send(cur);
        }
        // When the server logged this batch as the very next changes after our pull cursor, one
        // after another with nothing in between (server_seq = cursor + 1, + 2, …: plainly applied,
        // no conflict record, no rejection), the log up to the last of them holds nothing but
        // these changes, which this device has and whose versions it records now: the cursor
        // moves past them in the same commit, and the pull that follows does not fetch them back.
        // (Server sequence numbers follow commit order, so nothing can appear in that range later.)
        int64_t cursor = pullCursor(m_store);
        bool contiguous = !pr.results.empty();
        for (size_t i = 0; contiguous && i < pr.results.size(); ++i)
            contiguous = pr.results[i].status == proto::ChangeStatus::Applied &&
                         pr.results[i].serverSeq == cursor + 1 + static_cast<int64_t>(i);
        std::vector<PushResult> results;
        results.reserve(pr.results.size());
        for (auto& cr : pr.results) {
            PushResult p{std::move(cr.changeId), std::string(proto::statusCode(cr.status)), Json::object(), Json::object(),
                         cr.reason + (cr.message.empty() ? "" : ": " + cr.message)};
            if (cr.status == proto::ChangeStatus::Rejected) {
                p.reasonCode = cr.reason;
                p.detail = cr.detail;
                p.params = cr.params;
                if (!cr.serverValues.empty()) p.serverValues = cr.serverValues;
            }
            for (const auto& fc : cr.conflicts) {
                ++r.conflicts;
                if (!fc.won && cr.serverValues.contains(fc.field)) {
                    Json w = {{"value", cr.serverValues[fc.field]}};
                    if (cr.versions.contains(fc.field)) w["version"] = cr.versions[fc.field];
                    p.winners[fc.field] = w;
                }
            }
            if (cr.status == proto::ChangeStatus::Rejected)
                for (auto it = cr.serverValues.begin(); it != cr.serverValues.end(); ++it) {
                    Json w = {{"value", *it}};
                    if (cr.versions.contains(it.key())) w["version"] = cr.versions[it.key()];
                    p.winners[it.key()] = std::move(w);
                }
            p.versions = std::move(cr.versions);
            if (cr.status == proto::ChangeStatus::Rejected) ++r.rejected;
            else ++r.pushed;
            results.push_back(std::move(p));
        }
        if (results.empty()) {
            r.error = "the server acknowledged none of " + std::to_string(sent) + " changes";
            r.errorKind = SyncErrorKind::BadAnswer;
            return false;  // (a batch still in flight is waited for by its future)
        }
        {
            Transaction tx(m_store.db());
            recordPushResults(m_store, results);  // joins this transaction
            if (contiguous) m_store.setMeta("pull_cursor", std::to_string(cursor + static_cast<int64_t>(results.size())));
            tx.commit();
        }
        done += static_cast<int64_t>(results.size());
        if (progress) progress({"push", done, total});
        if (!inflight.valid()) return true;
        next = prepare(cur.upTo);
    }
}

}  // namespace jc::sync
