// Memory-heavy floating point: dense matrix multiply (doubles), i-k-j order.
#define N 320
static double a[N * N], b[N * N], c[N * N];
int run(void) {
  for (int i = 0; i < N * N; ++i) { a[i] = (i % 17) * 0.25; b[i] = (i % 13) * 0.5; c[i] = 0; }
  for (int rep = 0; rep < 20; ++rep)
    for (int i = 0; i < N; ++i)
      for (int k = 0; k < N; ++k) {
        double x = a[i * N + k];
        for (int j = 0; j < N; ++j) c[i * N + j] += x * b[k * N + j];
      }
  double s = 0;
  for (int i = 0; i < N * N; ++i) s += c[i];
  return (int)(s / 1000);
}
