#include "sync/server/server_epoch.h"

#include "core/uuid.h"

namespace jc::server {

namespace {
constexpr const char* kEpochKey = "server_epoch";
constexpr const char* kEpochSeqKey = "epoch_seq";

ServerEpoch readEpoch(StorageTx& tx) {
    ServerEpoch e;
    e.id = tx.setting(kEpochKey).value_or("");
    std::string seq = tx.setting(kEpochSeqKey).value_or("0");
    try {
        e.seq = std::stoll(seq);
    } catch (const std::exception&) {
        e.seq = 0;
    }
    return e;
}
}  // namespace

ServerEpoch ensureServerEpoch(ServerStorage& storage) {
    {
        auto tx = storage.read();
        ServerEpoch e = readEpoch(*tx);
        if (!e.id.empty()) return e;
    }
    auto tx = storage.write();
    ServerEpoch e = readEpoch(*tx);  // another process may have made it meanwhile
    if (e.id.empty()) {
        e = ServerEpoch{newUuidV7(), 0};
        tx->setSetting(kEpochKey, e.id);
        tx->setSetting(kEpochSeqKey, "0");
    }
    tx->commit();
    return e;
}

ServerEpoch startNewEpoch(StorageTx& tx, int64_t lastServerSeq) {
    ServerEpoch e{newUuidV7(), lastServerSeq};
    tx.setSetting(kEpochKey, e.id);
    tx.setSetting(kEpochSeqKey, std::to_string(e.seq));
    return e;
}

}  // namespace jc::server
