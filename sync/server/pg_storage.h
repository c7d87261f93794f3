#pragma once
// The PostgreSQL storage backend (libpq), for an HQ that outgrows one SQLite file: several
// stateless `jiancha-server serve` processes share one database, and any request may go to any
// of them. Chosen by a database argument that is a URL: postgresql://user@host:port/dbname (or
// postgres://…; libpq's usual PGPASSWORD / ~/.pgpass / sslmode parameters apply).
//
// Pull cursor with concurrent writers. The cursor is the server sequence, and a device that has
// pulled past N must never later meet a change numbered below N. With several processes this
// breaks if sequence numbers are handed out by a PostgreSQL SEQUENCE: 1001 can be taken, 1002
// taken and committed, and a pull sees 1002 (and advances past it) while 1001 is still in
// flight. Scheme used here: every write transaction (push, enrolment, admin command) first locks
// the single row of `write_lock` (SELECT … FOR UPDATE, READ COMMITTED) and only then reads
// MAX(seq) and allocates from it, so the sequence is allocated inside the committing transaction
// under a row lock and released only by its COMMIT or ROLLBACK. A transaction becomes visible
// to snapshots before it releases its locks, so the next writer starts after the previous one
// is visible: commit order equals sequence order, every snapshot sees a prefix of the log, and a
// pull (one REPEATABLE READ snapshot) can always move its cursor to the highest sequence it
// sees. A rolled-back transaction leaves no gap (the next writer re-reads MAX(seq)).
//
// The same lock is what keeps the apply rules (apply.h) correct unchanged: they read a record,
// decide, and write it back, and rely on no other write running in between — exactly as under
// SQLite's single writer. Push idempotency (push_cursor / push_result), causal conflicts and
// official numbers (counter rows, consecutive and unique across processes) follow from it.
// Cost: writes are serialised across all servers (each holds the lock for its transaction's
// round trips and its commit flush); reads — pulls, blob checks, authentication — run in
// parallel on every server. Group commit (group_commit.h) makes one such transaction carry many
// concurrent pushes of a server: the lock is taken once, their changes get consecutive numbers
// under it, each push sits in a savepoint (a failed one gives its numbers back), and one COMMIT
// publishes them all — so the rules above hold unchanged, and a server holds the lock for one
// commit flush per group instead of one per push. A server killed mid-transaction loses its connection, PostgreSQL
// rolls that transaction back and the lock is free; idle_in_transaction_session_timeout (60 s)
// frees it if a server hangs instead.
//
// Evidence files stay out of PostgreSQL: every server is given the same --blob-dir (a shared
// file system such as NFS), and blob_store.h makes appends safe between processes (flock on the
// partial file). Photos are write-once, content-addressed and large (up to 20 MB each, most of
// an HQ's bytes); in the database they would multiply its size, its backups, its replication
// traffic and its vacuum work, and every download would pass through a connection held for the
// transfer, while a directory serves them with plain file reads. Measured by server_bench
// (200 KB photo uploads to the shared directory through HAProxy: p50 5–10 ms, p99 under 60 ms
// at 1,000 devices on this machine; `server_bench --blobs`, 24 blobs of 4 MiB by 4 devices at
// once: two servers behind HAProxy upload 87–98 MB/s and download 75–98 MB/s, one SQLite server
// 84–89 and 114–119 MB/s — the same disk, the download paying HAProxy's extra copy; load 14).
//
// Each process keeps a pool of connections (up to kMaxPgConnections, each with its prepared
// statements); that pool is the only state besides caches, and is safe to lose.
#include <memory>
#include <string>

#include "sync/server/storage.h"

namespace jc::server {

inline constexpr int kMaxPgConnections = 24;

bool isPostgresUrl(const std::string& db);

// Applies the migrations not yet applied (pg_migrations.h); the database itself must exist.
void initPgStorage(const std::string& url);

// Connects and checks the schema; throws StorageError with a clear message when PostgreSQL is
// unreachable or the database was not made by `jiancha-server init`.
std::unique_ptr<ServerStorage> openPgStorage(const std::string& url);

// The URL with any password replaced by "***", for logs and messages.
std::string redactedPgUrl(const std::string& url);

}  // namespace jc::server
