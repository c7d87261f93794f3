#pragma once
// The server's epoch: a random id made when the database is created and replaced by every restore,
// with the last server sequence number the restored copy holds ("epoch_seq"). Every answer carries
// both (proto::kHeaderServerEpoch; /v1/version too). A device that sees a different epoch from the one it
// knew learns that the server lost everything after epoch_seq: it queues again what it pushed
// that the server numbered above epoch_seq, pushes under a fresh incarnation (so the server's push
// bookkeeping, also rolled back, cannot answer seq_gap), and pulls again from epoch_seq
// (sync/client/server_epoch.h does the device side).
#include <cstdint>
#include <string>

#include "sync/server/storage.h"

namespace jc::server {

struct ServerEpoch {
    std::string id;
    int64_t seq = 0;  // the server lost every change after this one (0: nothing was ever lost)
};

// The current epoch; creates one when the database has none yet (databases older than epochs).
ServerEpoch ensureServerEpoch(ServerStorage& storage);
// A new epoch after a restore whose copy ends at `lastServerSeq` (inside the caller's transaction).
ServerEpoch startNewEpoch(StorageTx& tx, int64_t lastServerSeq);

}  // namespace jc::server
