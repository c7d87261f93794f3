#include "sync/client/sync_engine.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <future>
#include <memory>
#include <optional>
#include <vector>

#include "base/file_io.h"
#include "base/sha256.h"
#include "core/dates.h"
#include "core/error.h"
#include "store/audit.h"
#include "store/reference_data.h"
#include "store/sync_state.h"
#include "sync/client/http_client.h"
#include "sync/protocol/protocol.h"

namespace jc::sync {

namespace fs = std::filesystem;

namespace {
HttpOptions optionsFor(const std::string& caFile, const std::atomic<bool>* cancel = nullptr) {
    HttpOptions o;
    o.caFile = caFile;
    o.cancel = cancel;
    return o;
}

// Appends `v` as a JSON string literal (RFC 8259 escaping; UTF-8 passes through).
void appendJsonString(std::string& out, const std::string& v) {
    static const char* hex = "0123456789abcdef";
    out += '"';
    for (unsigned char c : v) {
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                if (c < 0x20) {
                    out += "\\u00";
                    out += hex[c >> 4];
                    out += hex[c & 15];
                } else {
                    out += static_cast<char>(c);
                }
        }
    }
    out += '"';
}

// Hashes the first `size` bytes of a file (a partial download being resumed).
bool hashFile(const fs::path& p, int64_t size, Sha256& hash) {
    FileHandle f = FileHandle::open(p, O_RDONLY);
    if (!f) return false;
    std::vector<char> buf(1 << 20);
    for (int64_t offset = 0; offset < size;) {
        size_t n = static_cast<size_t>(std::min<int64_t>(static_cast<int64_t>(buf.size()), size - offset));
        if (!readAt(f.get(), buf.data(), n, offset)) return false;
        hash.update(buf.data(), n);
        offset += static_cast<int64_t>(n);
    }
    return true;
}
}  // namespace

std::string describeHttpFailure(long status, const std::string& body, const std::string& transportError) {
    if (status == 0 && transportError == "cancelled") return "sync cancelled (the client is closing)";
    if (status == 0) return "server unreachable: " + transportError;
    Json j = Json::parse(body, nullptr, false);
    std::string code = j.is_object() ? j.value("error", std::string()) : std::string();
    std::string message = j.is_object() ? j.value("message", std::string()) : std::string();
    if (code == proto::err::kDeviceRevoked) return "this device was revoked by HQ: ask HQ for a new enrolment code";
    if (code == proto::err::kUnauthorized) return "the server does not accept this device's token: enrol again";
    if (code == proto::err::kClientTooOld) return "this Jiancha is too old for the server: update it (" + message + ")";
    if (code == proto::err::kClientTooNew) return "the server is older than this Jiancha: ask HQ to update it (" + message + ")";
    if (!message.empty()) return "server answered " + std::to_string(status) + ": " + message;
    return "server answered HTTP " + std::to_string(status);
}

std::optional<SyncSettings> loadSyncSettings(Store& store) {
    auto server = store.meta("sync_server");
    auto token = store.meta("sync_token");
    if (!server || !token) return std::nullopt;
    return SyncSettings{*server, *token, store.meta("sync_device_id").value_or(""), store.meta("sync_ca_file").value_or(""),
                        store.meta("sync_user").value_or("")};
}

EnrollOutcome enrollDevice(Store& store, const std::string& server, const std::string& code, const std::string& deviceName,
                           const std::string& caFile) {
    EnrollOutcome out;
    if (server.rfind("http://", 0) != 0 && server.rfind("https://", 0) != 0) {
        out.error = "server must be an http:// or https:// URL, got '" + server + "'";
        return out;
    }
    if (code.empty()) {
        out.error = "an enrolment code is required";
        return out;
    }
    HttpClient http(server, optionsFor(caFile));
    proto::EnrollRequest req{code, deviceName, store.deviceId()};
    HttpResponse res = http.postJson("/v1/enroll", proto::toJson(req).dump());
    if (!res.ok()) {
        out.error = describeHttpFailure(res.status, res.body, res.transportError);
        return out;
    }
    proto::EnrollResponse er;
    try {
        er = proto::enrollResponseFromJson(proto::parseBody(res.body));
    } catch (const std::exception& e) {
        out.error = std::string("the server's enrolment answer is malformed: ") + e.what();
        return out;
    }
    auto current = store.meta("current_user");
    if (current && *current != er.user.name) {
        out.error = "this store belongs to " + *current + ", but the code enrols " + er.user.name +
                    ": use a separate --data-dir for each user";
        return out;
    }
    Transaction tx(store.db());
    store.setMeta("sync_server", server);
    store.setMeta("sync_token", er.token);
    store.setMeta("sync_device_id", er.deviceId);
    store.setMeta("sync_user", er.user.name);
    store.setMeta("sync_user_json", proto::toJson(er.user).dump());
    if (!caFile.empty()) store.setMeta("sync_ca_file", caFile);
    // HQ's public key for sealing complainants' identities (app/sealing.h reads it from here).
    if (!er.hqPublicKey.empty()) store.setMeta("hq_public_key", er.hqPublicKey);
    store.setMeta("current_user", er.user.name);
    // A store set up with `jiancha init` before enrolment made its own user (and team) record.
    // HQ's records are the real ones: the local user takes the server's id, and the bootstrap
    // creates, which never left this device, are withdrawn from the outbox instead of pushed.
    if (!er.user.id.empty()) {
        auto& upd = store.db().cached("UPDATE user SET id = ? WHERE name = ? AND id <> ?");
        upd.bind(1, er.user.id).bind(2, er.user.name).bind(3, er.user.id);
        upd.run();
        store.db().exec("DELETE FROM outbox WHERE entity IN ('user', 'team')");
    }
    appendAudit(store.db(), er.user.name, "device_enrolled", "", "", {{"server", server}, {"device_id", er.deviceId}});
    tx.commit();
    out.ok = true;
    out.userName = er.user.name;
    out.role = er.user.role;
    out.deviceId = er.deviceId;
    return out;
}

SyncEngine::SyncEngine(Store& store, fs::path blobDir) : m_store(store), m_blobDir(std::move(blobDir)) {}

SyncReport SyncEngine::run(const ProgressFn& progress) { return round(true, true, progress); }
SyncReport SyncEngine::runRecords(const ProgressFn& progress) { return round(true, false, progress); }
SyncReport SyncEngine::runBlobs(const ProgressFn& progress) { return round(false, true, progress); }

void SyncEngine::writeSyncStatus(bool ok, const std::string& error) {
    std::string now = nowIso();
    m_store.setMeta("sync_last_attempt", now);
    if (ok) {
        m_store.setMeta("sync_last_success", now);
        m_store.setMeta("sync_last_error", "");
    } else {
        m_store.setMeta("sync_last_error", error);
    }
}

// One round on one connection: records (push, then pull, then the sync status), then evidence
// files, which only run when the records went through.
SyncReport SyncEngine::round(bool records, bool files, const ProgressFn& progress) {
    auto t0 = std::chrono::steady_clock::now();
    SyncReport r;
    auto settings = loadSyncSettings(m_store);
    if (!settings) {
        r.error = "this device is not enrolled: run `jiancha enroll --server URL --code CODE`";
        return r;
    }
    HttpClient http(settings->server, optionsFor(settings->caFile, m_cancel));
    http.setToken(settings->token);
    if (records) {
        bool statusWritten = false;  // the last pull page committed the success status with it
        try {
            r.ok = push(http, r, progress) && pull(http, r, progress, statusWritten);
        } catch (const std::exception& e) {
            r.ok = false;
            r.error = e.what();
        }
        r.pendingAfter = pendingCount(m_store.db());
        if (!statusWritten) {
            // One transaction (one commit) for the sync status instead of one per key.
            Transaction tx(m_store.db());
            writeSyncStatus(r.ok, r.error);
            tx.commit();
        }
    }
    if (files && (!records || r.ok)) {
        try {
            blobs(http, r, progress);
            r.ok = true;
        } catch (const std::exception& e) {
            r.ok = false;
            r.error = e.what();
        }
    }
    r.ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    return r;
}

// The next push batch from the outbox: changes with seq > afterSeq, at most kPushBatch and
// about kPushBodyBytes. The outbox keeps each change's fields and base versions as JSON text:
// they go into the request as they are, without parsing and serialising them again.
// Sets `count` and moves `afterSeq` to the last seq taken.
std::string SyncEngine::pushBody(const std::string& deviceId, int64_t& afterSeq, size_t& count) {
    count = 0;
    std::string body = "{\"device_id\":";
    appendJsonString(body, deviceId);
    body += ",\"db_incarnation\":";
    appendJsonString(body, m_store.incarnation());
    body += ",\"changes\":[";
    auto& s = m_store.db().cached(
        "SELECT seq, change_id, entity, entity_id, fields, base_versions, hlc, user_id FROM outbox "
        "WHERE seq > ? ORDER BY seq LIMIT ?");
    s.bind(1, afterSeq).bind(2, static_cast<int64_t>(kPushBatch) + 1);  // one more: where the batch ends
    std::string lastEntityId;
    size_t sizeBeforeLast = 0;
    int64_t seqBeforeLast = afterSeq;
    while (s.step()) {
        // Each column is read once and goes straight into the body.
        std::string entity = s.getText(2), entityId = s.getText(3), fields = s.getText(4), base = s.getText(5);
        // Stay well under the server's body limit: long narratives make big changes.
        const size_t need = fields.size() + base.size() + 300;
        if (count == kPushBatch || (count > 0 && body.size() + need > kPushBodyBytes)) {
            // A status change and the case event with its comment (written in one transaction,
            // one after the other) go in the same push: the server checks the comment there.
            if (count > 1 && entity == "case_event" && fields.find(lastEntityId) != std::string::npos) {
                body.resize(sizeBeforeLast);
                --count;
                afterSeq = seqBeforeLast;
            }
            break;
        }
        sizeBeforeLast = body.size();
        seqBeforeLast = afterSeq;
        if (count++) body += ',';
        body += "{\"change_id\":";
        appendJsonString(body, s.getText(1));
        body += ",\"seq\":";
        body += std::to_string(s.getInt(0));
        body += ",\"entity\":";
        appendJsonString(body, entity);
        body += ",\"entity_id\":";
        appendJsonString(body, entityId);
        body += ",\"fields\":";
        body += fields;
        body += ",\"base_versions\":";
        body += base;
        body += ",\"hlc\":";
        appendJsonString(body, s.getText(6));
        body += ",\"user_id\":";
        appendJsonString(body, s.getText(7));
        body += '}';
        afterSeq = s.getInt(0);
        lastEntityId = std::move(entityId);
    }
    s.reset();  // release the read snapshot
    body += "]}";
    return body;
}

bool SyncEngine::push(HttpClient& http, SyncReport& r, const ProgressFn& progress) {
    int64_t total = pendingCount(m_store.db());
    int64_t done = 0;
    if (total == 0) return true;
    const std::string deviceId = m_store.meta("sync_device_id").value_or(m_store.deviceId());
    int64_t sentUpTo = 0;
    size_t count = 0;
    std::string body = pushBody(deviceId, sentUpTo, count);
    if (count == 0) return true;
    // Pipelined: once batch k is answered, batch k+1 goes out (on a helper thread) and this
    // thread records the answer to k while the server applies k+1. Batches still reach the
    // server one after another, each only after the previous one was answered; a failure stops
    // before anything further is sent, and what was sent but not recorded is answered as
    // duplicate when pushed again.
    HttpResponse res = http.postJson("/v1/push", body);
    std::future<HttpResponse> inflight;
    for (;;) {
        if (inflight.valid()) res = inflight.get();
        if (!res.ok()) {
            r.error = describeHttpFailure(res.status, res.body, res.transportError);
            return false;
        }
        proto::PushResponse pr = proto::pushResponseFromJson(proto::parseBody(res.body));
        size_t sent = count;
        body = pushBody(deviceId, sentUpTo, count);
        if (count > 0)
            inflight = std::async(std::launch::async, [&http, b = std::move(body)] { return http.postJson("/v1/push", b); });
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
    }
}

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
    PulledPage page = fetchPage(http, pathFor(pullCursor(m_store), epoch));
    std::future<PulledPage> next;
    for (;;) {
        if (next.valid()) page = next.get();
        if (!page.res.ok()) {
            r.error = describeHttpFailure(page.res.status, page.res.body, page.res.transportError);
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
            epoch = newEpoch;
            if (tx) {
                writeSyncStatus(true, "");
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

void SyncEngine::blobs(HttpClient& http, SyncReport& r, const ProgressFn& progress) {
    struct Item {
        std::string sha;
        int64_t size;
    };
    std::vector<Item> up, down;
    {
        auto s = m_store.db().prepare(
            "SELECT DISTINCT e.sha256, e.size FROM evidence e LEFT JOIN blob_upload b ON b.sha256 = e.sha256 "
            "WHERE e.deleted = 0 AND coalesce(b.uploaded, 0) = 0");
        while (s.step()) {
            Item it{s.getText(0), s.getInt(1)};
            (fs::exists(m_blobDir / it.sha) ? up : down).push_back(it);
        }
    }
    int64_t total = static_cast<int64_t>(up.size() + down.size()), done = 0;
    for (const auto& it : up) {
        std::string error;
        if (uploadBlob(http, it.sha, it.size, r, error)) {
            ++r.blobsUp;
            markBlobStored(it.sha, it.size, 1);
        } else {
            ++r.blobsFailed;
            auto& s = m_store.db().cached(
                "INSERT INTO blob_upload(sha256, size, uploaded, attempts, last_error) VALUES(?, ?, 0, 1, ?) "
                "ON CONFLICT(sha256) DO UPDATE SET attempts = attempts + 1, last_error = excluded.last_error");
            s.bind(1, it.sha).bind(2, it.size).bind(3, error);
            s.run();
        }
        if (progress) progress({"blobs", ++done, total});
    }
    for (const auto& it : down) {
        std::string error;
        if (downloadBlob(http, it.sha, it.size, r, error)) {
            ++r.blobsDown;
            markBlobStored(it.sha, it.size, 0);
        } else {
            ++r.blobsFailed;
        }
        if (progress) progress({"blobs", ++done, total});
    }
}

// The blob is on the server and on this device: it leaves the blob queue. `attempts` counts
// uploads (1 for an upload, 0 for a download) when the blob has no queue row yet.
void SyncEngine::markBlobStored(const std::string& sha, int64_t size, int attempts) {
    auto& s = m_store.db().cached(
        "INSERT INTO blob_upload(sha256, size, uploaded, attempts) VALUES(?, ?, 1, ?) "
        "ON CONFLICT(sha256) DO UPDATE SET uploaded = 1, last_error = NULL");
    s.bind(1, sha).bind(2, size).bind(3, attempts);
    s.run();
}

bool SyncEngine::uploadBlob(HttpClient& http, const std::string& sha, int64_t size, SyncReport& r, std::string& error) {
    HttpResponse h = http.head("/v1/blobs/" + sha);
    int64_t offset = 0;
    if (h.ok()) {
        if (h.header("x-jiancha-blob-complete") == "1") return true;  // stored already (deduplicated)
        offset = std::stoll(h.header("x-jiancha-blob-offset").empty() ? "0" : h.header("x-jiancha-blob-offset"));
    } else if (h.status != 404) {
        error = describeHttpFailure(h.status, h.body, h.transportError);
        return false;
    }
    FileHandle file = FileHandle::open(m_blobDir / sha, O_RDONLY);
    if (!file) {
        error = "local blob file missing: " + (m_blobDir / sha).string();
        return false;
    }
    int fd = file.get();
    // One chunk buffer for all uploads of this engine, not zero-filled (pread fills it): fresh
    // memory for every 8 MiB chunk costs more in page faults than the copy itself.
    if (!m_chunk) m_chunk.reset(new char[kBlobChunk]);
    char* chunk = m_chunk.get();
    while (offset < size) {
        size_t n = static_cast<size_t>(std::min<int64_t>(static_cast<int64_t>(kBlobChunk), size - offset));
        if (!readAt(fd, chunk, n, offset)) {
            error = "local blob file is shorter than its record says";
            return false;
        }
        HttpResponse p = http.put("/v1/blobs/" + sha + "?offset=" + std::to_string(offset) + "&total=" + std::to_string(size),
                                  chunk, n, "application/octet-stream");
        if (!p.ok()) {
            error = describeHttpFailure(p.status, p.body, p.transportError);
            return false;
        }
        offset += static_cast<int64_t>(n);
        r.bytesUp += static_cast<int64_t>(n);
    }
    return true;
}

bool SyncEngine::downloadBlob(HttpClient& http, const std::string& sha, int64_t size, SyncReport& r, std::string& error) {
    std::error_code ec;
    fs::create_directories(m_blobDir, ec);
    fs::path part = m_blobDir / (sha + ".part");
    int64_t have = fs::exists(part) ? static_cast<int64_t>(fs::file_size(part)) : 0;
    if (have > size) {
        fs::remove(part, ec);
        have = 0;
    }
    // The bytes stream to the partial file as they arrive and are hashed on the way (a cut
    // download keeps what it got and resumes with a Range request); then fdatasync, verify,
    // rename and sync the directory, so a blob counts as downloaded only once it is durable.
    FileHandle file = FileHandle::open(part, O_WRONLY | O_CREAT | O_APPEND, 0640);
    if (!file) {
        error = "cannot write " + part.string() + ": " + std::strerror(errno);
        return false;
    }
    int fd = file.get();
    Sha256 hash;
    if (have > 0 && !hashFile(part, have, hash)) {
        error = "cannot read " + part.string();
        return false;
    }
    if (have < size) {
        std::map<std::string, std::string> headers;
        if (have > 0) headers["Range"] = "bytes=" + std::to_string(have) + "-";
        bool first = true;
        int64_t flushedTo = have;
        std::string writeError;
        HttpResponse g = http.getTo("/v1/blobs/" + sha, headers, [&](long status, const char* data, size_t n) {
            if (first) {
                first = false;
                if (status == 200 && have > 0) {  // the server sent the whole blob: start over
                    if (::ftruncate(fd, 0) != 0) {
                        writeError = std::strerror(errno);
                        return false;
                    }
                    try {
                        hash = Sha256();
                    } catch (const std::exception& e) {
                        writeError = e.what();
                        return false;
                    }
                    have = 0;
                    flushedTo = 0;
                }
            }
            if (!writeAll(fd, data, n)) {
                writeError = std::strerror(errno);
                return false;
            }
            try {  // nothing may be thrown through libcurl
                hash.update(data, n);
            } catch (const std::exception& e) {
                writeError = e.what();
                return false;
            }
            have += static_cast<int64_t>(n);
#ifdef __linux__
            // Start writing each MiB to disk while the rest arrives; the fdatasync below then
            // has little left to wait for (it still makes the whole file durable).
            if (have - flushedTo >= (1 << 20)) {
                ::sync_file_range(fd, flushedTo, have - flushedTo, SYNC_FILE_RANGE_WRITE);
                flushedTo = have;
            }
#endif
            r.bytesDown += static_cast<int64_t>(n);
            return true;
        });
        if (!writeError.empty()) {
            error = "cannot write " + part.string() + ": " + writeError;
            return false;
        }
        if (!g.ok()) {
            error = describeHttpFailure(g.status, g.body, g.transportError);
            return false;
        }
    }
    if (::fdatasync(fd) != 0) {
        error = "cannot sync " + part.string() + ": " + std::strerror(errno);
        return false;
    }
    if (have != size || hash.hexDigest() != sha) {
        fs::remove(part, ec);
        error = "downloaded blob " + sha + " does not match its hash";
        return false;
    }
    fs::rename(part, m_blobDir / sha, ec);
    if (ec) {
        error = "cannot store blob: " + ec.message();
        return false;
    }
    file.reset();
    fsyncDir(m_blobDir);
    return true;
}

}  // namespace jc::sync
