#include "sync/client/enrolment.h"

#include <unistd.h>

#include "core/entities.h"
#include "store/audit.h"
#include "store/reference_data.h"
#include "store/sync_state.h"

namespace jc::sync {

namespace {
std::string trimmed(std::string s) {
    auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
    while (!s.empty() && blank(s.back())) s.pop_back();
    size_t i = 0;
    while (i < s.size() && blank(s[i])) ++i;
    return s.substr(i);
}

std::string hostName() {
    char host[256] = "device";
    gethostname(host, sizeof host - 1);
    host[sizeof host - 1] = 0;
    return host;
}
}  // namespace

EnrollOutcome enrolStore(Store& store, const std::filesystem::path& assetsDir, EnrolRequest request) {
    request.server = trimmed(request.server);
    while (!request.server.empty() && request.server.back() == '/') request.server.pop_back();
    if (!request.server.empty() && request.server.find("://") == std::string::npos) request.server = "https://" + request.server;
    request.deviceName = trimmed(request.deviceName);
    if (request.deviceName.empty()) request.deviceName = hostName();
    request.caFile = trimmed(request.caFile);
    if (!request.caFile.empty()) {
        std::error_code ec;
        if (!std::filesystem::is_regular_file(request.caFile, ec)) {
            EnrollOutcome out;
            out.kind = SyncErrorKind::CertificateUntrusted;
            out.error = "certificate file not found: " + request.caFile;
            return out;
        }
    }
    EnrollOutcome out = enrollDevice(store, request.server, request.code, request.deviceName, request.caFile);
    if (!out.ok) return out;
    // Reference data after the exchange: a wrong code costs the user no wait.
    loadReferenceData(store.db(), assetsDir);
    store.setMeta("sync_device_name", request.deviceName);
    return out;
}

EnrolmentInfo enrolmentInfo(Store& store) {
    EnrolmentInfo i;
    auto settings = loadSyncSettings(store);
    i.enrolled = settings.has_value();
    if (settings) {
        i.server = settings->server;
        i.userName = settings->userName;
        i.deviceId = settings->deviceId;
        i.caFile = settings->caFile;
        Json user = Json::parse(store.meta("sync_user_json").value_or("{}"), nullptr, false);
        if (user.is_object()) i.role = user.value("role", std::string());
    }
    i.deviceName = store.meta("sync_device_name").value_or("");
    i.lastSuccess = store.meta("sync_last_success").value_or("");
    i.lastAttempt = store.meta("sync_last_attempt").value_or("");
    i.lastError = store.meta("sync_last_error").value_or("");
    i.pending = pendingCount(store.db());
    i.rejected = store.db().queryInt("SELECT count(*) FROM sync_rejection");
    return i;
}

int64_t leaveServer(Store& store) {
    Transaction tx(store.db());
    int64_t pending = pendingCount(store.db());
    std::string server = store.meta("sync_server").value_or("");
    store.db().exec("DELETE FROM meta WHERE key IN ('sync_server', 'sync_token', 'sync_ca_file', 'sync_last_error')");
    appendAudit(store.db(), store.meta("current_user").value_or(""), "device_left_server", "", "",
                {{"server", server}, {"pending", pending}});
    tx.commit();
    return pending;
}

}  // namespace jc::sync
