// Enrolment: trading a one-time code for a device token, and the stored sync settings.
#include "sync/client/clock_sync.h"
#include "sync/client/sync_engine.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <memory>
#include <optional>
#include <vector>

#include "store/crypto/key_file.h"
#include "store/audit.h"
#include "store/reference_data.h"
#include "core/dates.h"
#include "core/error.h"
#include "store/sync_state.h"
#include "sync/client/http_client.h"
#include "sync/protocol/protocol.h"

namespace jc::sync {

namespace fs = std::filesystem;

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
        out.kind = SyncErrorKind::BadServerAddress;
        return out;
    }
    const std::string typed = normalizeEnrollCode(code);
    if (typed.empty()) {
        out.error = "an enrolment code is required";
        out.kind = SyncErrorKind::CodeMissing;
        return out;
    }
    HttpClient http(server, optionsFor(caFile));
    proto::EnrollRequest req{typed, deviceName, store.deviceId()};
    HttpResponse res = http.postJson("/v1/enroll", proto::toJson(req).dump());
    if (!res.ok()) {
        out.error = describeHttpFailure(res.status, res.body, res.transportError);
        out.kind = classifyHttpFailure(res.status, res.body, res.curlCode, res.transportError);
        return out;
    }
    proto::EnrollResponse er;
    try {
        er = proto::enrollResponseFromJson(proto::parseBody(res.body));
    } catch (const std::exception& e) {
        out.error = std::string("the server's enrolment answer is malformed: ") + e.what();
        out.kind = SyncErrorKind::BadAnswer;
        return out;
    }
    auto current = store.meta("current_user");
    if (current && *current != er.user.name) {
        out.error = "this store belongs to " + *current + ", but the code enrols " + er.user.name +
                    ": use a separate --data-dir for each user";
        out.kind = SyncErrorKind::OtherUser;
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
    if (!er.hqPublicKey.empty()) {
        store.setMeta("hq_public_key", er.hqPublicKey);
        // A protected store seals a copy of its data key to HQ: HQ can reset a forgotten passphrase.
        if (store.isProtected()) crypto::sealForHq(store.db().path(), er.hqPublicKey);
    }
    store.setMeta("current_user", er.user.name);
    // A store set up with `jiancha init` before enrolment made its own user (and team) record.
    // HQ's records are the real ones: the local user takes the server's id, and the bootstrap
    // creates, which never left this device, are withdrawn from the outbox instead of pushed.
    if (!er.user.id.empty()) {
        auto& upd = store.db().cached("UPDATE user SET id = ? WHERE name = ? AND id <> ?");
        upd.bind(1, er.user.id).bind(2, er.user.name).bind(3, er.user.id);
        upd.run();
        // The form templates `init` copied from the assets are HQ's to publish (they come with
        // the first pull); an inspector's device may not create them.
        store.db().exec("DELETE FROM outbox WHERE entity IN ('user', 'team', 'form_template')");
    }
    appendAudit(store.db(), er.user.name, "device_enrolled", "", "", {{"server", server}, {"device_id", er.deviceId}});
    tx.commit();
    // From now on HQ time; what was recorded before is corrected or flagged. The enrolment's
    // answer carries the server's time; an older server's did not, then one request asks.
    if (!recordMeasuredClock(http, store)) measureClock(http, store);
    out.ok = true;
    out.userName = er.user.name;
    out.role = er.user.role;
    out.deviceId = er.deviceId;
    return out;
}

}  // namespace jc::sync
