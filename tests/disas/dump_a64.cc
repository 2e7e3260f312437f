// The golden-disassembly dump for A64Masm (dump_masm.h), runnable on any
// host: asmjit encodes AArch64 everywhere.
#include "compiler/a64/masm_a64.h"
#include "tests/disas/dump_masm.h"

int main() {
  using namespace brisk::compiler;
  return disas::dump_cases<a64::A64Masm, asmjit::a64::Assembler>(asmjit::Arch::kAArch64);
}
