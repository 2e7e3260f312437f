// BLAKE/ChaCha-style quarter rounds on four independent states at once
// (i32x4 add, xor, rotate: shifts and or).
typedef unsigned u32x4 __attribute__((vector_size(16)));
static inline u32x4 rotl(u32x4 x, int n) { return (x << n) | (x >> (32 - n)); }
#define QR(a, b, c, d)        \
  a += b; d ^= a; d = rotl(d, 16); \
  c += d; b ^= c; b = rotl(b, 12); \
  a += b; d ^= a; d = rotl(d, 8);  \
  c += d; b ^= c; b = rotl(b, 7);
int run(void) {
  u32x4 x[16];
  for (int i = 0; i < 16; ++i) x[i] = (u32x4){0x61707865u * (i + 1), 0x3320646eu + i, 0x79622d32u ^ i, 0x6b206574u + 7 * i};
  unsigned acc = 0;
  for (int block = 0; block < 800000; ++block) {
    u32x4 s[16];
    for (int i = 0; i < 16; ++i) s[i] = x[i];
    for (int r = 0; r < 10; ++r) {
      QR(s[0], s[4], s[8], s[12]) QR(s[1], s[5], s[9], s[13]) QR(s[2], s[6], s[10], s[14]) QR(s[3], s[7], s[11], s[15])
      QR(s[0], s[5], s[10], s[15]) QR(s[1], s[6], s[11], s[12]) QR(s[2], s[7], s[8], s[13]) QR(s[3], s[4], s[9], s[14])
    }
    for (int i = 0; i < 16; ++i) s[i] += x[i];
    acc ^= s[0][0] ^ s[5][1] ^ s[10][2] ^ s[15][3];
    x[12] += (u32x4){1, 1, 1, 1};
  }
  return (int)acc;
}
