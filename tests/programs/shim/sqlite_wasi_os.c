/* SQLite on WASI: its Unix VFS needs file locks and process calls WASI does
 * not have (SQLite 3.40 predates its own WASI support), so the portable
 * demonstration VFS from SQLite's sources (src/test_demovfs.c: plain
 * open/read/write/fsync, no locking, one process at a time, and no temporary
 * files: use PRAGMA temp_store = MEMORY for big sorts) is the OS layer. */
#include "sqlite3.h"
sqlite3_vfs* sqlite3_demovfs(void);
int sqlite3_os_init(void) { return sqlite3_vfs_register(sqlite3_demovfs(), 1); }
int sqlite3_os_end(void) { return SQLITE_OK; }
