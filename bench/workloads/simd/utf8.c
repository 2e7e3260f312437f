// UTF-8 scanning: counts code points (bytes that are not continuation bytes)
// and non-ASCII bytes, 16 bytes at a time (i8x16 compares and masks).
typedef unsigned char u8x16 __attribute__((vector_size(16)));
typedef signed char i8x16 __attribute__((vector_size(16)));
#define LEN 65536
static u8x16 text[LEN / 16];
int run(void) {
  unsigned char* p = (unsigned char*)text;
  // Mostly ASCII with two- and three-byte sequences mixed in.
  for (int i = 0; i < LEN;) {
    int k = (i * 7919) % 23;
    if (k == 0 && i + 3 <= LEN) { p[i++] = 0xe2; p[i++] = 0x82; p[i++] = 0xac; }
    else if (k < 4 && i + 2 <= LEN) { p[i++] = 0xc3; p[i++] = 0xa9; }
    else { p[i] = (unsigned char)('a' + i % 26); ++i; }
  }
  unsigned points = 0, high = 0;
  for (int round = 0; round < 10000; ++round) {
    i8x16 count = {0}, wide = {0};
    for (int i = 0; i < LEN / 16; ++i) {
      u8x16 v = text[i];
      count += (i8x16)((v & 0xc0) != 0x80);  // -1 per code point start
      wide += (i8x16)(v >= 0x80);
      if ((i & 7) == 7) {  // drain before the 8-bit lanes overflow
        for (int k = 0; k < 16; ++k) { points -= count[k]; high -= wide[k]; }
        count = (i8x16){0};
        wide = (i8x16){0};
      }
    }
    text[round % (LEN / 16)][round % 16] ^= 1;
  }
  return (int)(points ^ (high << 8));
}
