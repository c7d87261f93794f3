#pragma once
// The local SQLite store of one device: opens (and creates or upgrades) the database file,
// applies WAL + synchronous=FULL, and owns the device identity and hybrid clock used for
// outbox changes. One Store (one connection) per thread.
#include <memory>
#include <optional>
#include <string>

#include "core/entities.h"
#include "core/hlc.h"
#include "base/db.h"

namespace jc {

class Store {
public:
    // Opens or creates the store at `path` and migrates it to the current schema.
    explicit Store(const std::string& path);
    ~Store();

    Database& db() { return m_db; }
    // Encrypted at rest (store/crypto): its key file exists and it was opened with its key.
    bool isProtected() const { return m_protected; }
    int schemaVersion();
    static int latestSchemaVersion();
    // The schema that brought the field history (store/field_history.h). A store upgraded
    // across it keeps meta "field_history_since" (HQ time of the upgrade): changes before it
    // have no values before and after.
    static constexpr int kFieldHistoryVersion = 7;

    std::optional<std::string> meta(const std::string& key);
    void setMeta(const std::string& key, const std::string& value);

    const std::string& deviceId() const { return m_deviceId; }
    const std::string& incarnation() const { return m_incarnation; }
    // A fresh incarnation id (the server then starts this device's push sequence anew); used when
    // the server was restored from a backup (store/server_epoch.h).
    void renewIncarnation();
    HybridClock& clock() { return *m_clock; }

    // Reads one record with every column decoded to its field kind; nullopt when absent.
    std::optional<FieldMap> get(std::string_view entity, const std::string& id);
    FieldMap require(std::string_view entity, const std::string& id);  // throws NotFoundError

private:
    void migrate();
    Database m_db;
    bool m_protected = false;
    std::string m_deviceId;
    std::string m_incarnation;
    std::unique_ptr<HybridClock> m_clock;
};

// Reads the current row of a prepared SELECT * statement into a FieldMap.
FieldMap rowToFields(const EntityDef& def, const Statement& row);

}  // namespace jc
