#include "store/store.h"

#include "core/dates.h"
#include "core/error.h"
#include "core/hq_clock.h"
#include "core/i18n.h"
#include "core/uuid.h"
#include "store/clock_fix.h"
#include "store/crypto/enc_vfs.h"
#include "store/crypto/key_file.h"
#include "store/crypto/keyring.h"
#include "store/fts_tokenizer.h"
#include "store/migrations.h"
#include "store/protect.h"

namespace jc {

namespace {
// A protected store (key file beside it) opens through the encrypting VFS, and only once its
// key is in the process keyring (signed in); a plain one through SQLite's default VFS.
const char* vfsFor(const std::string& path) {
    finishInterruptedProtect(path);
    if (!crypto::storeIsProtected(path)) return nullptr;
    if (!crypto::findStoreKey(path)) throw LockedError(trf("store.err_locked", {path}));
    return crypto::registerEncryptingVfs();
}
}  // namespace

Store::Store(const std::string& path) : m_db(path, false, vfsFor(path)) {
    if (auto key = crypto::findStoreKey(path); key && crypto::storeIsProtected(path)) {
        m_protected = true;
        // Room at the end of every page for the nonce and tag, set before the first page of a new
        // store is written (an existing store keeps what its header says), and the page size the
        // VFS expects.
        int reserve = static_cast<int>(key->cipher->trailer());
        sqlite3_file_control(m_db.handle(), "main", SQLITE_FCNTL_RESERVE_BYTES, &reserve);
        m_db.exec("PRAGMA page_size=4096");
        m_db.exec("PRAGMA mmap_size=0");
        // Checks the first page now, so a wrong key or a damaged file is reported at sign-in.
        m_db.queryInt("PRAGMA schema_version");
    }
    // A new store can give pages back to the file system: after a sync has emptied the outbox
    // (recordPushResults), its pages are released instead of staying on the free list (10,000
    // findings: ~34 MB). Only possible before the first table exists; older stores keep their
    // free pages for reuse.
    if (m_db.queryInt("PRAGMA page_count") == 0) m_db.exec("PRAGMA auto_vacuum=INCREMENTAL");
    // WAL with synchronous=FULL: a committed transaction survives power loss (DESIGN.md §5).
    m_db.exec("PRAGMA journal_mode=WAL");
    m_db.exec("PRAGMA synchronous=FULL");
    m_db.exec("PRAGMA foreign_keys=ON");
    m_db.exec("PRAGMA temp_store=MEMORY");
    // 32 MiB of page cache instead of SQLite's 2 MiB: list pages, search filters and the search
    // index's merges touch index pages all over a 100,000-finding store (tests/bench/store_bench:
    // a search-filtered list page ~8 ms -> ~3 ms, a status + small-county filter 8 ms -> 0.7 ms).
    // A protected store gets 128 MiB: a page read again after it left the cache must be
    // decrypted, and a 1,000-finding write at 100,000 findings touches ~10,000 pages (store_bench
    // --protect gm: page openings per finding 13 -> 1.1, share of plain insert speed 0.50 -> 0.66).
    // SQLite allocates the cache as pages are used, so small work costs no more memory.
    m_db.exec(m_protected ? "PRAGMA cache_size=-131072" : "PRAGMA cache_size=-32768");
    registerCjkTokenizer(m_db.handle());
    migrate();
    auto dev = meta("device_id");
    auto inc = meta("db_incarnation");
    if (!dev || !inc) {
        Transaction tx(m_db);
        if (!dev) setMeta("device_id", *(dev = newUuidV7()));
        if (!inc) setMeta("db_incarnation", *(inc = newUuidV7()));
        tx.commit();
    }
    m_deviceId = *dev;
    m_incarnation = *inc;
    // The device's offset from HQ's clock, as last measured by sync (core/hq_clock.h): from now on
    // this process stamps HQ time. The hybrid clock runs on HQ time too.
    loadClockOffset(*this);
    m_clock = std::make_unique<HybridClock>(m_deviceId.substr(m_deviceId.size() - 12), [] { return hqNowMillis(); });
}

Store::~Store() = default;

void Store::renewIncarnation() {
    std::string inc = newUuidV7();
    setMeta("db_incarnation", inc);
    m_incarnation = inc;
}

int Store::schemaVersion() { return static_cast<int>(m_db.queryInt("PRAGMA user_version")); }

int Store::latestSchemaVersion() { return migrations().back().version; }

void Store::migrate() {
    int current = schemaVersion();
    if (current > latestSchemaVersion())
        throw StorageError(
            trf("store.err_schema_newer", {std::to_string(current), std::to_string(latestSchemaVersion())}));
    for (const auto& m : migrations()) {
        if (m.version <= current) continue;
        Transaction tx(m_db);
        m_db.exec(m.sql);
        if (m.convert) m.convert(m_db);
        m_db.exec("PRAGMA user_version=" + std::to_string(m.version));
        // A store older than the field history (v7) has changes made before it with no values
        // before and after: the change log says from when its history is complete.
        if (m.version == kFieldHistoryVersion && current > 0) setMeta("field_history_since", nowIso());
        tx.commit();
    }
}

std::optional<std::string> Store::meta(const std::string& key) {
    auto& s = m_db.cached("SELECT value FROM meta WHERE key=?");
    s.bind(1, key);
    std::optional<std::string> value;
    if (s.step()) value = s.getText(0);
    s.reset();  // a half-read statement would pin this connection's read snapshot
    return value;
}

void Store::setMeta(const std::string& key, const std::string& value) {
    auto& s = m_db.cached("INSERT INTO meta(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value=excluded.value");
    s.bind(1, key).bind(2, value);
    s.run();
}

FieldMap rowToFields(const EntityDef& def, const Statement& row) {
    FieldMap out = FieldMap::object();
    for (int c = 0; c < row.columns(); ++c) {
        std::string name = row.columnName(c);
        Json v = row.getJson(c);
        if (name == "deleted") {
            out[name] = v.is_number() && v.get<int64_t>() != 0;
        } else if (const FieldDef* f = def.field(name)) {
            out[name] = decodeValue(*f, v);
        } else {
            out[name] = v;
        }
    }
    return out;
}

std::optional<FieldMap> Store::get(std::string_view entity, const std::string& id) {
    const EntityDef& def = entityDef(entity);
    auto& s = m_db.cached(std::string("SELECT * FROM ") + def.name + " WHERE id=?");
    s.bind(1, id);
    std::optional<FieldMap> row;
    if (s.step()) row = rowToFields(def, s);
    s.reset();  // see meta()
    return row;
}

FieldMap Store::require(std::string_view entity, const std::string& id) {
    auto r = get(entity, id);
    if (!r) throw NotFoundError(trf("app.err_not_found", {entityLabel(std::string(entity)), id}));
    return *r;
}

}  // namespace jc
