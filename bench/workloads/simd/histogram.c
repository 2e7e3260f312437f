// Byte classification and a 16-bucket histogram of nibbles, by lane-wise
// compares and adds (i8x16 and i16x8 arithmetic, shuffles).
typedef unsigned char u8x16 __attribute__((vector_size(16)));
typedef unsigned short u16x8 __attribute__((vector_size(16)));
#define LEN 32768
static u8x16 data[LEN / 16];
int run(void) {
  unsigned char* p = (unsigned char*)data;
  unsigned x = 2463534242u;
  for (int i = 0; i < LEN; ++i) { x ^= x << 13; x ^= x >> 17; x ^= x << 5; p[i] = (unsigned char)x; }
  unsigned result = 0;
  for (int round = 0; round < 600; ++round) {
    u16x8 lo_hist = {0}, hi_hist = {0};
    for (int i = 0; i < LEN / 16; ++i) {
      u8x16 v = data[i];
      u8x16 nib = v & 0x0f;
      for (int b = 0; b < 8; ++b) {
        u8x16 hit = (u8x16)(nib == (unsigned char)b);
        u8x16 hit2 = (u8x16)(nib == (unsigned char)(b + 8));
        u16x8 pair = (u16x8)(hit & 1);
        u16x8 pair2 = (u16x8)(hit2 & 1);
        lo_hist[b] += (pair[0] + pair[1] + pair[2] + pair[3] + pair[4] + pair[5] + pair[6] + pair[7]);
        hi_hist[b] += (pair2[0] + pair2[1] + pair2[2] + pair2[3] + pair2[4] + pair2[5] + pair2[6] + pair2[7]);
      }
    }
    for (int b = 0; b < 8; ++b) result = result * 31 + lo_hist[b] + 7 * hi_hist[b];
    data[round % (LEN / 16)][round % 16] += 1;
  }
  return (int)result;
}
