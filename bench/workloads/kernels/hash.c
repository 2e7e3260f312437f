// Integer mixing over a buffer: xorshift fill, FNV-1a passes.
#define LEN 65536
static unsigned char buf[LEN];
int run(void) {
  unsigned long long x = 88172645463325252ull;
  for (int i = 0; i < LEN; ++i) { x ^= x << 13; x ^= x >> 7; x ^= x << 17; buf[i] = (unsigned char)x; }
  unsigned int h = 2166136261u;
  for (int round = 0; round < 3000; ++round)
    for (int i = 0; i < LEN; ++i) { h ^= buf[i]; h *= 16777619u; }
  return (int)h;
}
