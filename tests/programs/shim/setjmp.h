/* wasi-libc has no setjmp/longjmp (Wasm needs exception handling for them,
 * which clang 14 cannot target): a Lua error aborts the program instead. */
#ifndef BRISK_SHIM_SETJMP_H
#define BRISK_SHIM_SETJMP_H
#include <stdlib.h>
typedef int jmp_buf[1];
#define setjmp(b) 0
#define _setjmp(b) 0
static inline _Noreturn void longjmp(jmp_buf b, int v) { (void)b; (void)v; abort(); }
#define _longjmp longjmp
#endif
