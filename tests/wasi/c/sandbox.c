/* The WASI sandbox seen from a C program (wasi-libc): escapes fail with
 * the errno POSIX code expects, work inside succeeds, stdio and the exit
 * code reach the host. Run with the test's directory as the guest's "/". */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int failures = 0;

static void expect_fail(const char* what, int ok, int want_errno) {
  if (ok) {
    printf("FAIL %s: succeeded\n", what);
    ++failures;
  } else if (want_errno && errno != want_errno) {
    printf("FAIL %s: errno %d (%s), expected %d\n", what, errno, strerror(errno), want_errno);
    ++failures;
  }
}

int main(int argc, char** argv) {
  if (argc != 2 || strcmp(argv[1], "arg") != 0) return 64;
  /* Inside. */
  FILE* f = fopen("inside.txt", "w");
  if (!f || fputs("written inside\n", f) < 0 || fclose(f) != 0) return 65;
  if (mkdir("dir", 0755) != 0 || rename("inside.txt", "dir/moved.txt") != 0) return 66;
  int n = 0;
  DIR* d = opendir("dir");
  for (struct dirent* e; d && (e = readdir(d));) n += strcmp(e->d_name, "moved.txt") == 0;
  if (d) closedir(d);
  if (n != 1) return 67;
  /* Outside: absolute paths name guest paths beneath "/", and ".." stops there. */
  expect_fail("open ../escape", open("../escape", O_CREAT | O_WRONLY, 0644) >= 0, 0);
  expect_fail("open dir/../../escape", open("dir/../../escape", O_CREAT | O_WRONLY, 0644) >= 0, 0);
  expect_fail("open out_link/x", open("out_link/x", O_RDONLY) >= 0, 0);
  expect_fail("mkdir ../d", mkdir("../d", 0755) == 0, 0);
  expect_fail("symlink /etc/passwd", symlink("/etc/passwd", "evil") == 0, 0);
  expect_fail("open missing", open("missing", O_RDONLY) >= 0, ENOENT);
  expect_fail("rmdir non-empty dir", rmdir("dir") == 0, ENOTEMPTY);
  printf("sandbox checks: %d failed\n", failures);
  fprintf(stderr, "to stderr\n");
  return failures ? 1 : 42;
}
