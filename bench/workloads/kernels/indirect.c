// Indirect calls through a function-pointer table (call_indirect).
typedef unsigned int (*Op)(unsigned int, unsigned int);
static unsigned int op_add(unsigned int a, unsigned int b) { return a + b; }
static unsigned int op_sub(unsigned int a, unsigned int b) { return a - b; }
static unsigned int op_xor(unsigned int a, unsigned int b) { return a ^ b; }
static unsigned int op_mul(unsigned int a, unsigned int b) { return a * (b | 1); }
static unsigned int op_rot(unsigned int a, unsigned int b) { return (a << (b & 31)) | (a >> ((32 - (b & 31)) & 31)); }
static unsigned int op_min(unsigned int a, unsigned int b) { return a < b ? a : b; }
static unsigned int op_max(unsigned int a, unsigned int b) { return a > b ? a : b; }
static unsigned int op_avg(unsigned int a, unsigned int b) { return (a >> 1) + (b >> 1); }
static volatile Op table[8] = {op_add, op_sub, op_xor, op_mul, op_rot, op_min, op_max, op_avg};
int run(void) {
  unsigned int acc = 12345, seed = 1;
  for (int i = 0; i < 60000000; ++i) {
    seed = seed * 1103515245u + 12345u;
    acc = table[(seed >> 16) & 7](acc, seed);
  }
  return (int)acc;
}
