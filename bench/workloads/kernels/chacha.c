// An add-rotate-xor cipher round (ChaCha20's block function) with its whole
// state in locals: where baseline compilers fall furthest behind.
#define ROTL(v, n) (((v) << (n)) | ((v) >> (32 - (n))))
#define QR(a, b, c, d) a += b; d ^= a; d = ROTL(d, 16); c += d; b ^= c; b = ROTL(b, 12); \
                       a += b; d ^= a; d = ROTL(d, 8); c += d; b ^= c; b = ROTL(b, 7);
int run(void) {
  unsigned int acc = 0;
  for (unsigned int block = 0; block < 1500000; ++block) {
    unsigned int x0 = 0x61707865, x1 = 0x3320646e, x2 = 0x79622d32, x3 = 0x6b206574;
    unsigned int x4 = block, x5 = block * 3, x6 = ~block, x7 = block ^ 0x5555;
    unsigned int x8 = 1, x9 = 2, x10 = 3, x11 = 4, x12 = block, x13 = 0, x14 = 7, x15 = acc;
    for (int r = 0; r < 10; ++r) {
      QR(x0, x4, x8, x12) QR(x1, x5, x9, x13) QR(x2, x6, x10, x14) QR(x3, x7, x11, x15)
      QR(x0, x5, x10, x15) QR(x1, x6, x11, x12) QR(x2, x7, x8, x13) QR(x3, x4, x9, x14)
    }
    acc += x0 ^ x1 ^ x2 ^ x3 ^ x4 ^ x5 ^ x6 ^ x7 ^ x8 ^ x9 ^ x10 ^ x11 ^ x12 ^ x13 ^ x14 ^ x15;
  }
  return (int)acc;
}
