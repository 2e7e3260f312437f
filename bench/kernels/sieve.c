// Sieve of Eratosthenes: byte loads/stores and branches. Each run marks
// with a new generation number, so no clearing pass (and no memset) is needed.
#define LIMIT 2000000
static unsigned char mark[LIMIT];
static unsigned char generation;
int run(void) {
  unsigned char g = ++generation;
  if (g == 0) g = ++generation;
  int count = 0;
  for (int i = 2; i < LIMIT; ++i) {
    if (mark[i] == g) continue;
    ++count;
    for (long j = (long)i * i; j < LIMIT; j += i) mark[j] = g;
  }
  return count;
}
