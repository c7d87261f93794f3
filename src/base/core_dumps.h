#pragma once
// Keeps this process out of core dumps. A crashing client must not write what it holds in
// memory to the disk: the records in SQLite's page cache are plaintext there even when the store
// is encrypted (DESIGN.md §5: a lost laptop reveals nothing). Sets the core size limit to 0 and
// marks the process not dumpable (PR_SET_DUMPABLE 0), which the kernel honours for every core
// pattern, piped ones included; it also keeps other processes of the same user from attaching
// a debugger to it or reading its memory. The client calls it first thing in main().
namespace jc {

void refuseCoreDumps();

}  // namespace jc
