#include "sync/server/sync_service.h"

#include "core/dates.h"
#include "sync/server/api_error.h"
#include "sync/server/apply.h"

namespace jc::server {

proto::PushResponse handlePush(GroupCommit& group, HybridClock& clock, const Principal& who,
                               const proto::PushRequest& req, size_t requestBytes) {
    if (req.deviceId != who.device.id)
        throw ApiError(403, proto::err::kForbidden,
                       "push.device_id '" + req.deviceId + "' is not the device this token was issued to ('" +
                           who.device.id + "')");
    if (req.changes.size() > proto::kMaxChangesPerPush)
        throw ApiError(413, proto::err::kBatchTooLarge,
                       "a push may carry at most " + std::to_string(proto::kMaxChangesPerPush) + " changes; got " +
                           std::to_string(req.changes.size()),
                       {{"max_changes", proto::kMaxChangesPerPush}});
    for (size_t i = 1; i < req.changes.size(); ++i)
        if (req.changes[i].seq != req.changes[i - 1].seq + 1)
            throw ApiError(400, proto::err::kBadRequest,
                           "changes must be sent in outbox order with consecutive seq values: seq " +
                               std::to_string(req.changes[i].seq) + " follows " +
                               std::to_string(req.changes[i - 1].seq));

    proto::PushResponse out;
    group.run([&](StorageTx& tx) {
        out = proto::PushResponse{};
        const std::optional<int64_t> known = tx.lastSeq(who.device.id, req.dbIncarnation);
        int64_t last = known.value_or(0);
        if (known) {
            for (const auto& c : req.changes) {
                if (c.seq <= last) continue;
                if (c.seq != last + 1)
                    throw ApiError(409, proto::err::kSeqGap,
                                   "changes are missing: the server has everything up to seq " + std::to_string(last) +
                                       " of this database and the push continues at seq " + std::to_string(c.seq) +
                                       "; send again from seq " + std::to_string(last + 1),
                                   {{"expected_seq", last + 1}, {"last_seq", last}});
                break;
            }
        }

        Applier applier(tx, clock);
        PushBatch batch(req.changes);
        bool advanced = false;
        for (const auto& c : req.changes) {
            if (known && c.seq <= *known) {
                proto::ChangeResult dup;
                if (auto stored = tx.pushResult(who.device.id, req.dbIncarnation, c.seq)) {
                    dup = proto::changeResultFromJson(*stored);
                    dup.originalStatus = dup.status;
                } else {
                    dup.seq = c.seq;
                    dup.changeId = c.changeId;
                }
                dup.status = proto::ChangeStatus::Duplicate;
                out.results.push_back(std::move(dup));
                continue;
            }
            proto::ChangeResult r = applier.applyPushed(who, c, batch);
            tx.putPushResult(who.device.id, req.dbIncarnation, c.seq, proto::toJson(r));
            out.results.push_back(std::move(r));
            last = c.seq;
            advanced = true;
        }
        if (advanced) tx.setLastSeq(who.device.id, req.dbIncarnation, last);
        Device d = who.device;
        d.lastSeenAt = nowIso();
        tx.updateDevice(d);
        out.lastSeq = last;
    }, requestBytes);
    return out;
}

namespace {
// Drops what `schema` does not know from a page: whole changes of newer entities, newer fields of
// known ones (a change then left without a field goes too).
void withholdUnknown(std::vector<LogEntry>& entries, int schema) {
    std::vector<LogEntry> kept;
    kept.reserve(entries.size());
    for (auto& e : entries) {
        if (!proto::entityKnownAtSchema(e.entity, schema)) continue;
        Json fields = Json::parse(e.fieldsJson, nullptr, false);
        if (!fields.is_object()) continue;
        bool dropped = false;
        for (auto it = fields.begin(); it != fields.end();) {
            if (proto::fieldKnownAtSchema(e.entity, it.key(), schema)) {
                ++it;
            } else {
                it = fields.erase(it);
                dropped = true;
            }
        }
        if (dropped) {
            if (fields.empty()) continue;
            std::string names;
            for (auto it = fields.begin(); it != fields.end(); ++it) names += (names.empty() ? "" : ",") + it.key();
            e.fieldsJson = fields.dump();
            e.fieldNames = std::move(names);
        }
        kept.push_back(std::move(e));
    }
    entries = std::move(kept);
}
}  // namespace

std::string pullResponseBody(ServerStorage& storage, const Principal& who, int64_t cursor, int limit,
                             std::optional<int64_t> clientEpoch, int clientSchema) {
    const int64_t epoch = who.account.scopeEpoch;
    const bool reset = clientEpoch && *clientEpoch != epoch;
    if (reset) cursor = 0;
    ChangePage page;
    {
        auto tx = storage.read();
        page = tx->changesAfter(cursor, limit, who.viewer());
    }
    if (clientSchema < proto::kSchemaVersion) withholdUnknown(page.entries, clientSchema);
    auto quoted = [](const std::string& s) { return Json(s).dump(); };
    std::string out;
    size_t bytes = 128;
    for (const auto& e : page.entries) bytes += e.fieldsJson.size() + e.fieldNames.size() * 2 + 256;
    out.reserve(bytes);
    out += "{\"changes\":[";
    bool first = true;
    for (const auto& e : page.entries) {
        if (!first) out += ',';
        first = false;
        std::string seq = std::to_string(e.serverSeq);
        out += "{\"server_seq\":" + seq + ",\"entity\":" + quoted(e.entity) + ",\"entity_id\":" + quoted(e.entityId);
        out += ",\"fields\":";
        out += e.fieldsJson;
        out += ",\"versions\":{";
        // Every field of a change has the change's server_seq as its version.
        size_t start = 0;
        bool firstName = true;
        while (start < e.fieldNames.size()) {
            size_t comma = e.fieldNames.find(',', start);
            if (comma == std::string::npos) comma = e.fieldNames.size();
            if (!firstName) out += ',';
            firstName = false;
            out += quoted(e.fieldNames.substr(start, comma - start)) + ":" + seq;
            start = comma + 1;
        }
        out += "},\"author\":" + quoted(e.author) + ",\"device_id\":" + quoted(e.deviceId) +
               ",\"hlc\":" + quoted(e.hlc) + "}";
    }
    out += "],\"next_cursor\":" + std::to_string(page.nextCursor) +
           ",\"has_more\":" + (page.hasMore ? "true" : "false") + ",\"scope_epoch\":" + std::to_string(epoch) +
           ",\"reset\":" + (reset ? "true" : "false") + "}";
    return out;
}

}  // namespace jc::server
