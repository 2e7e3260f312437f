// f32 dot products, four vector accumulators (clang vector extensions: the
// same source gives f32x4 code with -msimd128 and scalar code without).
typedef float f32x4 __attribute__((vector_size(16)));
#define N 4096
static f32x4 a[N / 4], b[N / 4];
int run(void) {
  for (int i = 0; i < N / 4; ++i) {
    for (int k = 0; k < 4; ++k) {
      a[i][k] = (float)((i * 4 + k) % 97) * 0.25f;
      b[i][k] = (float)((i * 4 + k) % 89) * 0.5f - 11.0f;
    }
  }
  float total = 0;
  for (int round = 0; round < 400000; ++round) {
    f32x4 s0 = {0}, s1 = {0}, s2 = {0}, s3 = {0};
    for (int i = 0; i < N / 4; i += 4) {
      s0 += a[i] * b[i];
      s1 += a[i + 1] * b[i + 1];
      s2 += a[i + 2] * b[i + 2];
      s3 += a[i + 3] * b[i + 3];
    }
    f32x4 s = (s0 + s1) + (s2 + s3);
    total += (s[0] + s[1]) + (s[2] + s[3]);
    a[round % (N / 4)][round % 4] += 1.0f;
  }
  return (int)(total / 1024.0f);
}
