// Trampoline code generation on AArch64; frame shapes in abi_a64.h.
#include "compiler/a64/trampolines_a64.h"

#include <asmjit/arm/a64assembler.h>

#include <algorithm>
#include <vector>

#include "compiler/a64/masm_a64.h"
#include "compiler/codegen/wasm_abi.h"
#include "runtime/vmcontext.h"

namespace brisk::compiler::a64 {

namespace a64 = asmjit::a64;
using asmjit::Imm;

namespace {

Result<Trampolines> finish(asmjit::CodeHolder& code, const FirstError& errors, asmjit::Label unwind,
                           asmjit::Label entry) {
  if (errors.error != asmjit::kErrorOk) return Status(ErrorKind::kUnsupported, "trampoline generation failed");
  Trampolines t;
  BRISK_ASSIGN_OR_RETURN(t.chunk, publish_code(code, {}, unwind));
  t.code = t.chunk->base() + code.labelOffsetFromBase(entry);
  return t;
}

// [base + off] for `size` bytes; offsets no single instruction takes go
// through x10.
a64::Mem mem_at(a64::Assembler& a, const a64::Gp& base, int32_t off, uint32_t size) {
  if ((off >= -256 && off <= 255) || (off >= 0 && off % static_cast<int32_t>(size) == 0)) return a64::ptr(base, off);
  a.mov(a64::x10, Imm(static_cast<uint64_t>(off)));
  a.add(a64::x10, base, a64::x10);
  return a64::ptr(a64::x10);
}

// One value between a register and its positional slot ([base + off]); an
// i32 is read as 32 bits (the host may leave the upper half unset).
void load_value(a64::Assembler& a, Reg r, ValType t, const a64::Gp& base, int32_t off) {
  if (t == ValType::kV128) a.ldr(a64::VecV(r.code), mem_at(a, base, off, 16));
  else if (r.is_fp()) a.ldr(a64::d(r.code), a64::ptr(base, off));
  else if (t == ValType::kI32) a.ldr(a64::w(r.code), a64::ptr(base, off));
  else a.ldr(a64::x(r.code), a64::ptr(base, off));
}
void store_value(a64::Assembler& a, const a64::Gp& base, int32_t off, Reg r, ValType t) {
  if (t == ValType::kV128) a.str(a64::VecV(r.code), mem_at(a, base, off, 16));
  else if (r.is_fp()) a.str(a64::d(r.code), a64::ptr(base, off));
  else a.str(a64::x(r.code), a64::ptr(base, off));
}
void copy_value(a64::Assembler& a, const a64::Gp& dst, int32_t dst_off, const a64::Gp& src, int32_t src_off,
                ValType t) {
  for (uint32_t k = 0; k < slot_units(t); ++k) {
    a.ldr(a64::x9, a64::ptr(src, src_off + 8 * static_cast<int32_t>(k)));
    a.str(a64::x9, a64::ptr(dst, dst_off + 8 * static_cast<int32_t>(k)));
  }
}

void begin(a64::Assembler& a, asmjit::Label* unwind, asmjit::Label* entry) {
  *unwind = a.newLabel();
  *entry = a.newLabel();
  a.bind(*unwind);
  A64Masm::emit_unwind_stub(a);
  a.align(asmjit::AlignMode::kCode, 16);
  a.bind(*entry);
}

// Slot offsets up to 4095 * 8 are scaled immediates; beyond, the area is
// addressed through x9 / x10 (the copies) or refused.
constexpr uint32_t kMaxUnits = 4095;

}  // namespace

Result<Trampolines> make_entry_trampoline(const FuncType& type) {
  uint32_t slots = std::max(type.param_units(), type.result_units());
  if (slots > kMaxUnits) return Status(ErrorKind::kUnsupported, "too many parameters or results for AArch64 trampolines");
  asmjit::CodeHolder code;
  code.init(asmjit::Environment(asmjit::Arch::kAArch64));
  FirstError errors;
  code.setErrorHandler(&errors);
  a64::Assembler a(&code);
  asmjit::Label unwind, entry;
  begin(a, &unwind, &entry);
  std::vector<AbiLoc> params = WasmAbi<A64Masm>::params(type.params);
  std::vector<AbiLoc> results = WasmAbi<A64Masm>::results(type.results);
  // x0 = vmctx, x1 = code, x2 = slots (AAPCS64).
  a.stp(a64::x29, a64::x30, a64::ptr_pre(a64::sp, -16));
  a.mov(a64::x29, a64::sp);
  a.sub(a64::sp, a64::sp, Imm(kEntryFrameBytes));
  // [fp - 8] null: a host function called straight from the host has no caller instance.
  a.stur(a64::xzr, a64::ptr(a64::x29, -8));
  a.stur(a64::x2, a64::ptr(a64::x29, -16));
  for (int k = 0; k < kEntrySavedGpPairs; ++k) {
    a.stp(a64::x(19 + 2 * k), a64::x(20 + 2 * k), a64::ptr(a64::x29, entry_saved_gp_offset(k)));
  }
  for (int k = 0; k < kEntrySavedFpPairs; ++k) {
    a.stp(a64::d(8 + 2 * k), a64::d(9 + 2 * k), a64::ptr(a64::x29, entry_saved_fp_offset(k)));
  }
  a.mov(a64::x28, a64::x0);
  a.ldr(a64::x9, a64::ptr(a64::x28, runtime::kVmStore));
  a.ldr(a64::x10, a64::ptr(a64::x9, runtime::kStoreEntrySp));  // chain the previous entry
  a.str(a64::x10, a64::ptr(a64::sp));
  a.mov(a64::x10, a64::sp);
  a.str(a64::x10, a64::ptr(a64::x9, runtime::kStoreEntrySp));
  // The outgoing area has the host slots' positional layout.
  uint32_t area = (8 * slots + 15) & ~15u;
  if (area) a.sub(a64::sp, a64::sp, Imm(area));
  a.mov(a64::x16, a64::x1);  // x1 and x2 may carry parameters below
  a.mov(a64::x17, a64::x2);
  for_each_slot(type.params, params, 0, [&](ValType t, const AbiLoc& loc, int32_t off) {
    if (loc.in_reg) load_value(a, loc.reg, t, a64::x17, off);
    else copy_value(a, a64::sp, off, a64::x17, off, t);
  });
  a.ldr(a64::x27, a64::ptr(a64::x28, runtime::kVmMemoryBase));
  a.blr(a64::x16);
  a.ldur(a64::x17, a64::ptr(a64::x29, -16));
  for_each_slot(type.results, results, 0, [&](ValType t, const AbiLoc& loc, int32_t off) {
    if (loc.in_reg) store_value(a, a64::x17, off, loc.reg, t);
    else copy_value(a, a64::x17, off, a64::sp, off, t);
  });
  a.sub(a64::sp, a64::x29, Imm(kEntryFrameBytes));
  a.ldr(a64::x9, a64::ptr(a64::x28, runtime::kVmStore));
  a.mov(a64::w0, a64::wzr);
  A64Masm::emit_entry_frame_exit(a);
  return finish(code, errors, unwind, entry);
}

Result<Trampolines> make_exit_trampoline(const FuncType& type) {
  if (std::max(type.param_units(), type.result_units()) > kMaxUnits) {
    return Status(ErrorKind::kUnsupported, "too many parameters or results for AArch64 trampolines");
  }
  asmjit::CodeHolder code;
  code.init(asmjit::Environment(asmjit::Arch::kAArch64));
  FirstError errors;
  code.setErrorHandler(&errors);
  a64::Assembler a(&code);
  asmjit::Label unwind, entry;
  begin(a, &unwind, &entry);
  std::vector<AbiLoc> params = WasmAbi<A64Masm>::params(type.params);
  std::vector<AbiLoc> results = WasmAbi<A64Masm>::results(type.results);
  // x28 = HostContext*; the caller's outgoing area at [fp + 16 ...].
  a.stp(a64::x29, a64::x30, a64::ptr_pre(a64::sp, -16));
  a.mov(a64::x29, a64::sp);
  for_each_slot(type.params, params, 16, [&](ValType t, const AbiLoc& loc, int32_t off) {
    if (loc.in_reg) store_value(a, a64::x29, off, loc.reg, t);
  });
  a.mov(a64::x0, a64::x28);
  a.add(a64::x1, a64::x29, Imm(16));
  a.ldr(a64::x2, a64::ptr(a64::x29));  // the caller's frame
  a.ldur(a64::x2, a64::ptr(a64::x2, kFrameVmctx));
  a.ldr(a64::x16, a64::ptr(a64::x28, runtime::kHostContextCallback));
  a.blr(a64::x16);
  asmjit::Label host_trap = a.newLabel();
  a.cbnz(a64::w0, host_trap);
  for_each_slot(type.results, results, 16, [&](ValType t, const AbiLoc& loc, int32_t off) {
    if (loc.in_reg) load_value(a, loc.reg, t, a64::x29, off);
  });
  a.ldp(a64::x29, a64::x30, a64::ptr_post(a64::sp, 16));
  a.ret(a64::x30);
  a.bind(host_trap);
  a.mov(a64::x17, a64::xzr);  // no trapping Wasm PC: the walk starts at the caller
  a.b(unwind);
  return finish(code, errors, unwind, entry);
}

}  // namespace brisk::compiler::a64
