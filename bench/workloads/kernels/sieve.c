// Integer loops over a byte array: the sieve of Eratosthenes, repeated.
#define N 4000000
static unsigned char composite[N];
int run(void) {
  int count = 0;
  for (int round = 0; round < 12; ++round) {
    for (int i = 0; i < N; ++i) composite[i] = 0;
    count = 0;
    for (int i = 2; i < N; ++i) {
      if (composite[i]) continue;
      ++count;
      for (int j = i + i; j < N; j += i) composite[j] = 1;
    }
  }
  return count;
}
