/* A kernel built natively (clang-14 -O2), timed the harness's way:
 *   KERNEL_native [--runs N]   prints one JSON line like the harness. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
int run(void);
#ifndef KERNEL
#define KERNEL "kernel"
#endif
static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}
static int cmp(const void* a, const void* b) {
  double x = *(const double*)a, y = *(const double*)b;
  return x < y ? -1 : x > y;
}
int main(int argc, char** argv) {
  int runs = argc > 2 && !strcmp(argv[1], "--runs") ? atoi(argv[2]) : 5;
  double t[64], best = 1e100;
  int result = 0;
  if (runs > 64) runs = 64;
  for (int i = 0; i < runs + 1; ++i) {
    double s = now_ms();
    result = run();
    double e = now_ms() - s;
    if (i > 0) {
      t[i - 1] = e;
      if (e < best) best = e;
    }
  }
  qsort(t, (size_t)runs, sizeof *t, cmp);
  double med = runs % 2 ? t[runs / 2] : (t[runs / 2 - 1] + t[runs / 2]) / 2;
  printf("{\"runtime\": \"native\", \"module\": \"%s.wasm\", \"run_ms\": %.3f, \"run_best_ms\": %.3f, \"result\": %d}\n",
         KERNEL, med, best, result);
  return 0;
}
