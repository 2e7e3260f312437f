/* What wasi-libc lacks and the programs link against: no subprocesses, no
 * anonymous temporary files. */
#include <errno.h>
#include <stdio.h>
int system(const char* cmd) { return cmd ? -1 : 0; }
FILE* tmpfile(void) {
  errno = ENOTSUP;
  return NULL;
}
#include <sys/stat.h>
/* WASI preview1 has no permission bits: chmod succeeds and changes nothing. */
int chmod(const char* path, mode_t mode) {
  (void)path;
  (void)mode;
  return 0;
}
