// Many small calls that are not inlined: a chain of tiny functions.
#define NOINLINE __attribute__((noinline))
NOINLINE static unsigned int f1(unsigned int x) { return x * 3 + 1; }
NOINLINE static unsigned int f2(unsigned int x) { return f1(x) ^ (x >> 3); }
NOINLINE static unsigned int f3(unsigned int x, unsigned int y) { return f2(x) + f1(y); }
NOINLINE static unsigned int f4(unsigned int x) { return f3(x, x + 7) - f2(x ^ 5); }
int run(void) {
  unsigned int acc = 1;
  for (int i = 0; i < 40000000; ++i) acc = f4(acc + (unsigned int)i);
  return (int)acc;
}
