// Dense f64 matrix multiply: loads, stores and float arithmetic in loops.
#define N 160
static double a[N * N], b[N * N], c[N * N];
int run(void) {
  for (int i = 0; i < N * N; ++i) {
    a[i] = (double)(i % 17) * 0.5;
    b[i] = (double)(i % 13) * 0.25;
  }
  for (int i = 0; i < N; ++i)
    for (int j = 0; j < N; ++j) {
      double s = 0;
      for (int k = 0; k < N; ++k) s += a[i * N + k] * b[k * N + j];
      c[i * N + j] = s;
    }
  double t = 0;
  for (int i = 0; i < N * N; ++i) t += c[i];
  return (int)t;
}
