// Branchy code: a byte-code interpreter (a switch over opcodes) running a
// small program many times.
enum { PUSH, ADD, SUB, MUL, DUP, SWAP, JNZ, DEC, POP, HALT };
// acc = 1; for (c = 200; c; --c) acc = acc * 3 + 7;
static const unsigned char prog[] = {PUSH, 1, PUSH, 200, SWAP, PUSH, 3, MUL, PUSH, 7, ADD, SWAP, DEC, DUP, JNZ, 4, POP, HALT};
int run(void) {
  int acc = 0;
  for (int rep = 0; rep < 100000; ++rep) {
    int stack[64], sp = 0, pc = 0;
    for (;;) {
      unsigned char op = prog[pc++];
      switch (op) {
        case PUSH: stack[sp++] = prog[pc++]; break;
        case ADD: sp--; stack[sp - 1] += stack[sp]; break;
        case SUB: sp--; stack[sp - 1] -= stack[sp]; break;
        case MUL: sp--; stack[sp - 1] *= stack[sp]; break;
        case DUP: stack[sp] = stack[sp - 1]; sp++; break;
        case SWAP: { int t = stack[sp - 1]; stack[sp - 1] = stack[sp - 2]; stack[sp - 2] = t; break; }
        case JNZ: { int t = stack[--sp]; if (t) pc = prog[pc]; else pc++; break; }
        case DEC: stack[sp - 1]--; break;
        case POP: sp--; break;
        default: goto done;
      }
    }
  done:
    acc += sp ? stack[sp - 1] : 0;
  }
  return acc;
}
