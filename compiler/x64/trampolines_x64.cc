// Trampoline code generation; frame shapes are described in abi_x64.h.
#include "compiler/x64/trampolines_x64.h"

#include <asmjit/x86.h>

#include <algorithm>
#include <vector>

#include "compiler/codegen/wasm_abi.h"
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

// One value between a register and its positional slot ([base + off]); an
// i32 is read as 32 bits (the host may leave the upper half unset).
void load_value(x86::Assembler& a, Reg r, ValType t, const x86::Gp& base, int32_t off) {
  if (t == ValType::kV128) a.movdqu(x86::xmm(r.code), x86::xmmword_ptr(base, off));
  else if (r.is_fp()) a.movq(x86::xmm(r.code), x86::qword_ptr(base, off));
  else if (t == ValType::kI32) a.mov(x86::gpd(r.code), x86::dword_ptr(base, off));
  else a.mov(x86::gpq(r.code), x86::qword_ptr(base, off));
}
void store_value(x86::Assembler& a, const x86::Gp& base, int32_t off, Reg r, ValType t) {
  if (t == ValType::kV128) a.movdqu(x86::xmmword_ptr(base, off), x86::xmm(r.code));
  else if (r.is_fp()) a.movq(x86::qword_ptr(base, off), x86::xmm(r.code));
  else a.mov(x86::qword_ptr(base, off), x86::gpq(r.code));
}
void copy_value(x86::Assembler& a, const x86::Gp& dst, int32_t dst_off, const x86::Gp& src, int32_t src_off,
                ValType t) {
  for (uint32_t k = 0; k < slot_units(t); ++k) {
    a.mov(x86::r11, x86::qword_ptr(src, src_off + 8 * static_cast<int32_t>(k)));
    a.mov(x86::qword_ptr(dst, dst_off + 8 * static_cast<int32_t>(k)), x86::r11);
  }
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

Result<Trampolines> make_entry_trampoline(const FuncType& type) {
  asmjit::CodeHolder code;
  code.init(asmjit::Environment(asmjit::Arch::kX64));
  x86::Assembler a(&code);
  asmjit::Label unwind, entry;
  begin(a, &unwind, &entry);
  std::vector<AbiLoc> params = WasmAbi<X64Masm>::params(type.params);
  std::vector<AbiLoc> results = WasmAbi<X64Masm>::results(type.results);
  // rdi = vmctx, rsi = code, rdx = slots (SysV).
  a.push(x86::rbp);
  a.mov(x86::rbp, x86::rsp);
  // [rbp - 8] is where a Wasm frame keeps its VMContext; null here tells a
  // host function called straight from the host that it has no caller instance.
  a.push(Imm(0));
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
  // 9 pushes after the return address: rsp is 16-aligned here.
  // The host's slots and the outgoing area have the same positional layout
  // (slot_units: 8 bytes a value, 16 a v128).
  uint32_t slots = std::max(type.param_units(), type.result_units());
  uint32_t area = (8 * slots + 15) & ~15u;
  a.sub(x86::rsp, Imm(area));
  a.mov(x86::rax, x86::rsi);  // rsi carries a parameter below
  for_each_slot(type.params, params, 0, [&](ValType t, const AbiLoc& loc, int32_t off) {
    if (loc.in_reg) load_value(a, loc.reg, t, x86::rdx, off);
    else copy_value(a, x86::rsp, off, x86::rdx, off, t);
  });
  a.mov(x86::r15, x86::qword_ptr(x86::r14, runtime::kVmMemoryBase));
  a.call(x86::rax);
  a.mov(x86::rdx, x86::qword_ptr(x86::rsp, static_cast<int32_t>(area)));
  for_each_slot(type.results, results, 0, [&](ValType t, const AbiLoc& loc, int32_t off) {
    if (loc.in_reg) store_value(a, x86::rdx, off, loc.reg, t);
    else copy_value(a, x86::rdx, off, x86::rsp, off, t);
  });
  a.add(x86::rsp, Imm(area + 8));
  a.mov(x86::rcx, x86::qword_ptr(x86::r14, runtime::kVmStore));
  a.xor_(x86::eax, x86::eax);
  X64Masm::emit_entry_frame_exit(a);
  return finish(code, unwind, entry);
}

Result<Trampolines> make_exit_trampoline(const FuncType& type) {
  asmjit::CodeHolder code;
  code.init(asmjit::Environment(asmjit::Arch::kX64));
  x86::Assembler a(&code);
  asmjit::Label unwind, entry;
  begin(a, &unwind, &entry);
  std::vector<AbiLoc> params = WasmAbi<X64Masm>::params(type.params);
  std::vector<AbiLoc> results = WasmAbi<X64Masm>::results(type.results);
  // r14 = HostContext*; the caller's outgoing area (one slot per parameter
  // and result) at [rsp + 8 ...]. Register parameters go to their slots, so
  // the host callback sees every argument in slots[i].
  a.push(x86::rbp);
  a.mov(x86::rbp, x86::rsp);
  for_each_slot(type.params, params, 16, [&](ValType t, const AbiLoc& loc, int32_t off) {
    if (loc.in_reg) store_value(a, x86::rbp, off, loc.reg, t);
  });
  a.mov(x86::rdi, x86::r14);
  a.lea(x86::rsi, x86::ptr(x86::rbp, 16));
  a.mov(x86::rdx, x86::qword_ptr(x86::rbp));  // the caller's frame
  a.mov(x86::rdx, x86::qword_ptr(x86::rdx, kFrameVmctx));
  a.call(x86::qword_ptr(x86::r14, runtime::kHostContextCallback));
  a.test(x86::eax, x86::eax);
  asmjit::Label host_trap = a.newLabel();
  a.jnz(host_trap);
  for_each_slot(type.results, results, 16, [&](ValType t, const AbiLoc& loc, int32_t off) {
    if (loc.in_reg) load_value(a, loc.reg, t, x86::rbp, off);
  });
  a.pop(x86::rbp);
  a.ret();
  a.bind(host_trap);
  a.xor_(x86::r10d, x86::r10d);  // no trapping Wasm PC: the walk starts at the caller
  a.jmp(unwind);
  return finish(code, unwind, entry);
}

}  // namespace brisk::compiler::x64
