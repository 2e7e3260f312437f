// Assembles every case of masm_cases.h with X64Masm and prints one line per
// case: "<op>/<name> <hex bytes>". disas_test compares it with the golden
// files; bless.sh turns it into them (with objdump's disassembly).
#include <asmjit/x86.h>

#include <cstdio>
#include <string>
#include <vector>

#include "compiler/x64/masm_x64.h"
#include "tests/disas/masm_cases.h"

namespace brisk::compiler::disas {

std::string assemble(const Case<x64::X64Masm>& c) {
  asmjit::CodeHolder code;
  code.init(asmjit::Environment(asmjit::Arch::kX64));
  asmjit::x86::Assembler a(&code);
  std::vector<runtime::TrapSite> sites;
  std::vector<Relocation> fixups;
  x64::X64Masm masm(a, sites, fixups, c.explicit_bounds);
  masm.set_debug_checks(false);
  masm.set_cpu_features(c.cpu);
  asmjit::Label unwind = a.newLabel();
  masm.set_unwind_label(unwind);
  std::vector<x64::Label> labels;
  CaseEnv<x64::X64Masm> env;
  env.label = [&] {
    labels.push_back(masm.new_label());
    return labels.back();
  };
  uint32_t gp = x64::X64Masm::kAllocatable.gp, fp = x64::X64Masm::kAllocatable.fp;
  for (Reg& r : env.gp) {
    r = Reg{static_cast<uint8_t>(__builtin_ctz(gp)), RegClass::kGp};
    gp &= gp - 1;
  }
  for (Reg& r : env.fp) {
    r = Reg{static_cast<uint8_t>(__builtin_ctz(fp)), RegClass::kFp};
    fp &= fp - 1;
  }
  c.emit(masm, env);
  // Every label the case asked for (and the unwind stub) lands after its code.
  for (auto& l : labels) masm.bind(l);
  a.bind(unwind);
  code.flatten();
  code.resolveUnresolvedLinks();
  const asmjit::CodeBuffer& buf = code.textSection()->buffer();
  std::string hex;
  static const char* kHex = "0123456789abcdef";
  for (size_t i = 0; i < buf.size(); ++i) {
    if (i) hex += ' ';
    hex += kHex[buf.data()[i] >> 4];
    hex += kHex[buf.data()[i] & 15];
  }
  return hex;
}

}  // namespace brisk::compiler::disas

int main() {
  using namespace brisk::compiler::disas;
  for (const auto& c : masm_cases<brisk::compiler::x64::X64Masm>()) {
    printf("%s/%s %s\n", c.op.c_str(), c.name.c_str(), assemble(c).c_str());
  }
  return 0;
}
