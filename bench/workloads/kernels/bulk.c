// Bulk memory: memcpy and memset over megabytes (memory.copy / memory.fill).

#define LEN (4 << 20)
static unsigned char a[LEN], b[LEN];
int run(void) {
  unsigned int s = 0;
  for (int i = 0; i < LEN; ++i) a[i] = (unsigned char)(i * 7);
  for (int rep = 0; rep < 400; ++rep) {
    __builtin_memcpy(b, a + (rep & 255), LEN - 256);
    __builtin_memset(a + (rep * 4093) % (LEN / 2), rep & 0xff, LEN / 4);
    s += b[rep * 997 % LEN] + a[(rep * 31) % LEN];
  }
  return (int)s;
}
