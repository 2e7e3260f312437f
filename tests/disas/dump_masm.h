// Assembles every case of masm_cases.h with one backend's MacroAssembler and
// prints one line per case: "<op>/<name> <hex bytes>". disas_test compares
// it with the golden files; bless.sh turns it into them (with objdump's
// disassembly). An encoding asmjit refuses fails the dump.
#ifndef BRISK_TESTS_DISAS_DUMP_MASM_H_
#define BRISK_TESTS_DISAS_DUMP_MASM_H_

#include <asmjit/core.h>

#include <cstdio>
#include <string>
#include <vector>

#include "tests/disas/masm_cases.h"

namespace brisk::compiler::disas {

struct Errors : asmjit::ErrorHandler {
  std::string first;
  void handleError(asmjit::Error, const char* message, asmjit::BaseEmitter*) override {
    if (first.empty()) first = message;
  }
};

/// `Asm` is the backend's asmjit assembler; cases of SIMD operations are
/// left out for a backend without SIMD.
template <class M, class Asm>
int dump_cases(asmjit::Arch arch) {
  int status = 0;
  for (const auto& c : masm_cases<M>()) {
    asmjit::CodeHolder code;
    code.init(asmjit::Environment(arch));
    Errors errors;
    code.setErrorHandler(&errors);
    Asm a(&code);
    std::vector<runtime::TrapSite> sites;
    std::vector<Relocation> fixups;
    M masm(a, sites, fixups, c.explicit_bounds);
    masm.set_debug_checks(false);
    masm.set_cpu_features(c.cpu);
    if (!masm.has_simd() && c.op.rfind("simd_", 0) == 0) continue;
    asmjit::Label unwind = a.newLabel();
    masm.set_unwind_label(unwind);
    std::vector<typename M::Label> labels;
    CaseEnv<M> env;
    env.label = [&] {
      labels.push_back(masm.new_label());
      return labels.back();
    };
    uint32_t gp = M::kAllocatable.gp, fp = M::kAllocatable.fp;
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
    code.relocateToBase(0);
    if (!errors.first.empty()) {
      fprintf(stderr, "%s/%s: %s\n", c.op.c_str(), c.name.c_str(), errors.first.c_str());
      status = 1;
    }
    const asmjit::CodeBuffer& buf = code.textSection()->buffer();
    std::string hex;
    static const char* kHex = "0123456789abcdef";
    for (size_t i = 0; i < buf.size(); ++i) {
      if (i) hex += ' ';
      hex += kHex[buf.data()[i] >> 4];
      hex += kHex[buf.data()[i] & 15];
    }
    printf("%s/%s %s\n", c.op.c_str(), c.name.c_str(), hex.c_str());
  }
  return status;
}

}  // namespace brisk::compiler::disas

#endif  // BRISK_TESTS_DISAS_DUMP_MASM_H_
