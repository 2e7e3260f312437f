/* WASI has no user database: no entries (the SQLite shell then finds no
 * home directory and skips ~/.sqliterc). */
#ifndef BRISK_SHIM_PWD_H
#define BRISK_SHIM_PWD_H
#include <sys/types.h>
struct passwd { char* pw_name; char* pw_dir; char* pw_shell; uid_t pw_uid; gid_t pw_gid; };
static inline struct passwd* getpwuid(uid_t u) { (void)u; return 0; }
static inline uid_t getuid(void) { return 0; }
#endif
