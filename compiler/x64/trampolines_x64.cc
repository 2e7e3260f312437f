// Trampoline code generation; frame shapes are described in abi_x64.h.
#include "compiler/x64/trampolines_x64.h"

#include <asmjit/x86.h>

#include "compiler/x64/masm_x64.h"
#include "runtime/vmcontext.h"

namespace brisk::compiler::x64 {

namespace x86 = asmjit::x86;
using asmjit::Imm;

namespace {

Result<Trampolines> finish(asmjit::CodeHolder& code, asmjit::Label unwind, asmjit::Label entry) {
  Trampolines t;
  BRISK_ASSIGN_OR_RETURN(t.chunk, publish_code(code, {}, unwind));
  t.code = t.chunk->base() + code.labelOffsetFromBase(entry);
  return t;
}

// Every trampoline chunk starts with its own unwind stub, then the entry.
void begin(x86::Assembler& a, asmjit::Label* unwind, asmjit::Label* entry) {
  *unwind = a.newLabel();
  *entry = a.newLabel();
  a.bind(*unwind);
  X64Masm::emit_unwind_stub(a);
  a.align(asmjit::AlignMode::kCode, 16);
  a.bind(*entry);
}

}  // namespace

Result<Trampolines> make_entry_trampoline(uint32_t params, uint32_t results) {
  asmjit::CodeHolder code;
  code.init(asmjit::Environment(asmjit::Arch::kX64));
  x86::Assembler a(&code);
  asmjit::Label unwind, entry;
  begin(a, &unwind, &entry);
  // rdi = vmctx, rsi = code, rdx = slots (SysV).
  a.push(x86::rbp);
  a.mov(x86::rbp, x86::rsp);
  a.push(x86::rbx);
  a.push(x86::r12);
  a.push(x86::r13);
  a.push(x86::r14);
  a.push(x86::r15);
  a.mov(x86::r14, x86::rdi);
  a.mov(x86::rax, x86::qword_ptr(x86::r14, runtime::kVmStore));
  a.push(x86::qword_ptr(x86::rax, runtime::kStoreEntrySp));  // chain the previous entry
  a.mov(x86::qword_ptr(x86::rax, runtime::kStoreEntrySp), x86::rsp);
  a.push(x86::rdx);
  // 7 pushes after the return address: rsp is 16-aligned here plus 8.
  uint32_t slots = std::max(params, results);
  uint32_t area = ((8 * slots + 15) & ~15u) + 8;  // +8 re-aligns after push rdx
  a.sub(x86::rsp, Imm(area));
  for (uint32_t i = 0; i < params; ++i) {
    a.mov(x86::rax, x86::qword_ptr(x86::rdx, 8 * static_cast<int32_t>(i)));
    a.mov(x86::qword_ptr(x86::rsp, 8 * static_cast<int32_t>(i)), x86::rax);
  }
  a.mov(x86::r15, x86::qword_ptr(x86::r14, runtime::kVmMemoryBase));
  a.call(x86::rsi);
  a.mov(x86::rdx, x86::qword_ptr(x86::rsp, static_cast<int32_t>(area)));
  for (uint32_t j = 0; j < results; ++j) {
    a.mov(x86::rax, x86::qword_ptr(x86::rsp, 8 * static_cast<int32_t>(j)));
    a.mov(x86::qword_ptr(x86::rdx, 8 * static_cast<int32_t>(j)), x86::rax);
  }
  a.add(x86::rsp, Imm(area + 8));
  a.mov(x86::rcx, x86::qword_ptr(x86::r14, runtime::kVmStore));
  a.xor_(x86::eax, x86::eax);
  X64Masm::emit_entry_frame_exit(a);
  return finish(code, unwind, entry);
}

Result<Trampolines> make_exit_trampoline() {
  asmjit::CodeHolder code;
  code.init(asmjit::Environment(asmjit::Arch::kX64));
  x86::Assembler a(&code);
  asmjit::Label unwind, entry;
  begin(a, &unwind, &entry);
  // r14 = HostContext*; arguments at [rsp + 8 ...] (the caller's outgoing area).
  a.push(x86::rbp);
  a.mov(x86::rbp, x86::rsp);
  a.mov(x86::rdi, x86::r14);
  a.lea(x86::rsi, x86::ptr(x86::rbp, 16));
  a.call(x86::qword_ptr(x86::r14, runtime::kHostContextCallback));
  a.test(x86::eax, x86::eax);
  asmjit::Label host_trap = a.newLabel();
  a.jnz(host_trap);
  a.pop(x86::rbp);
  a.ret();
  a.bind(host_trap);
  a.xor_(x86::r10d, x86::r10d);  // no trapping Wasm PC: the walk starts at the caller
  a.jmp(unwind);
  return finish(code, unwind, entry);
}

}  // namespace brisk::compiler::x64
