// The golden-disassembly dump for X64Masm (dump_masm.h).
#include <asmjit/x86.h>

#include "compiler/x64/masm_x64.h"
#include "tests/disas/dump_masm.h"

int main() {
  using namespace brisk::compiler;
  return disas::dump_cases<x64::X64Masm, asmjit::x86::Assembler>(asmjit::Arch::kX64);
}
