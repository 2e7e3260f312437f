// AArch64 instruction selection for the MacroAssembler operations. See
// abi_a64.h for registers and the frame layout.
#include "compiler/a64/masm_a64.h"

#include <asmjit/arm/a64utils.h>

#include <cstring>

#include "compiler/codegen/trunc_info.h"
#include "runtime/vmcontext.h"

namespace brisk::compiler::a64 {

namespace a64 = asmjit::a64;
using asmjit::Imm;
using a64::CondCode;
using runtime::TrapCode;

namespace {

const a64::GpX kVm = a64::x28;
const a64::GpX kMemBase = a64::x27;
const a64::GpX kScratch = a64::x16;
const a64::GpX kScratch2 = a64::x17;
const a64::GpX kScratch3 = a64::x30;  // free inside a body: the prologue saved it
const a64::GpX kFp = a64::x29;
const uint32_t kFScratch = 31;

a64::Gp gp(Reg r, Width w) { return w == Width::k64 ? a64::Gp(a64::x(r.code)) : a64::Gp(a64::w(r.code)); }
a64::GpX gpx(Reg r) { return a64::x(r.code); }
a64::GpW gpw(Reg r) { return a64::w(r.code); }
a64::Gp scratch(Width w) { return w == Width::k64 ? a64::Gp(kScratch) : a64::Gp(kScratch.w()); }
a64::Gp scratch2(Width w) { return w == Width::k64 ? a64::Gp(kScratch2) : a64::Gp(kScratch2.w()); }
a64::VecV qv(uint32_t code) { return a64::VecV(code); }
a64::Vec fd(uint32_t code, bool d64) { return d64 ? a64::Vec(a64::d(code)) : a64::Vec(a64::s(code)); }
a64::Vec fd(Reg r, bool d64) { return fd(r.code, d64); }

CondCode cc_of(Cond c) {
  switch (c) {
    case Cond::kEq: return CondCode::kEQ;
    case Cond::kNe: return CondCode::kNE;
    case Cond::kLtS: return CondCode::kLT;
    case Cond::kLeS: return CondCode::kLE;
    case Cond::kGtS: return CondCode::kGT;
    case Cond::kGeS: return CondCode::kGE;
    case Cond::kLtU: return CondCode::kLO;
    case Cond::kLeU: return CondCode::kLS;
    case Cond::kGtU: return CondCode::kHI;
    case Cond::kGeU: return CondCode::kHS;
    // After fcmp an unordered result sets C and V: MI, LS, GT and GE are
    // false on NaN, their negations true (docs/BACKENDS.md).
    case Cond::kFEq: return CondCode::kEQ;
    case Cond::kFNe: return CondCode::kNE;
    case Cond::kFLt: return CondCode::kMI;
    case Cond::kFLe: return CondCode::kLS;
    case Cond::kFGt: return CondCode::kGT;
    case Cond::kFGe: return CondCode::kGE;
    case Cond::kFNotLt: return CondCode::kPL;
    case Cond::kFNotLe: return CondCode::kHI;
    case Cond::kFNotGt: return CondCode::kLE;
    case Cond::kFNotGe: return CondCode::kLT;
  }
  return CondCode::kEQ;
}

bool wide(ValType t) { return t != ValType::kI32; }  // gp slots: i32 moves 4 bytes

bool add_encodable(uint64_t v) { return v < 4096 || ((v & 0xfff) == 0 && v < (uint64_t{1} << 24)); }

// movz/movk words for a 32-bit value into wd (patched in place later).
uint32_t movz_w(uint32_t rd, uint32_t imm16) { return 0x52800000u | (imm16 << 5) | rd; }
uint32_t movk_w_hi(uint32_t rd, uint32_t imm16) { return 0x72A00000u | (imm16 << 5) | rd; }
uint32_t movz_x(uint32_t rd, uint32_t imm16) { return 0xD2800000u | (imm16 << 5) | rd; }
uint32_t movk_x_hi(uint32_t rd, uint32_t imm16) { return 0xF2A00000u | (imm16 << 5) | rd; }

}  // namespace

void A64Masm::mov_imm(a64::Assembler& a, const a64::Gp& dst, uint64_t v) {
  bool x = dst.isGpX();
  if (!x) v &= 0xffffffffu;
  int n = x ? 4 : 2;
  // One instruction when it can be: movz, movn, or orr with a bitmask.
  int zeros = 0, ones = 0;
  for (int i = 0; i < n; ++i) {
    uint64_t h = (v >> (16 * i)) & 0xffff;
    zeros += h == 0;
    ones += h == 0xffff;
  }
  if (zeros < n - 1 && ones < n - 1 && a64::Utils::isLogicalImm(v, x ? 64 : 32)) {
    a.orr(dst, x ? a64::Gp(a64::xzr) : a64::Gp(a64::wzr), Imm(v));
    return;
  }
  bool inverted = ones > zeros;
  bool first = true;
  for (int i = 0; i < n; ++i) {
    uint64_t h = (v >> (16 * i)) & 0xffff;
    if (h == (inverted ? 0xffffu : 0u)) continue;
    if (first) {
      if (inverted) a.movn(dst, Imm(~h & 0xffff), a64::lsl(16 * i));
      else a.movz(dst, Imm(h), a64::lsl(16 * i));
      first = false;
    } else {
      a.movk(dst, Imm(h), a64::lsl(16 * i));
    }
  }
  if (first) {  // every halfword 0 (or 0xffff): v is 0 or all ones
    if (inverted) a.movn(dst, Imm(0));
    else a.movz(dst, Imm(0));
  }
}

// ---------------------------------------------------------------------------
// Control

// Conditional branches reach +-1 MiB. A function larger than that is
// compiled again in long-branch mode (the module compiler retries its
// piece): each becomes the inverted branch over an unconditional b.
template <class Emit>
void A64Masm::short_or_long(Label l, Emit&& emit) {
  if (!long_branches_) {
    emit(l, false);
    return;
  }
  Label skip = a_.newLabel();
  emit(skip, true);
  a_.b(l);
  a_.bind(skip);
}

void A64Masm::bcond(CondCode cc, Label l) {
  short_or_long(l, [&](Label t, bool invert) { a_.b(invert ? asmjit::arm::negateCond(cc) : cc, t); });
}

void A64Masm::cbz_(const a64::Gp& r, Label l) {
  short_or_long(l, [&](Label t, bool invert) { invert ? a_.cbnz(r, t) : a_.cbz(r, t); });
}

void A64Masm::cbnz_(const a64::Gp& r, Label l) {
  short_or_long(l, [&](Label t, bool invert) { invert ? a_.cbz(r, t) : a_.cbnz(r, t); });
}

void A64Masm::branch(Cond c, Label l) { bcond(cc_of(c), l); }

void A64Masm::branch_if_zero(Width w, Reg r, Label l) { cbz_(gp(r, w), l); }

void A64Masm::branch_if_nonzero(Width w, Reg r, Label l) { cbnz_(gp(r, w), l); }

void A64Masm::jump_table(Reg idx, std::span<const Label> targets) {
  Label done = new_label(), table = new_label();
  cmp_imm(gpw(idx), static_cast<int64_t>(targets.size()));
  bcond(CondCode::kHS, done);
  a_.adr(kScratch, table);
  a_.ldrsw(kScratch2, a64::ptr(kScratch, gpw(idx), a64::uxtw(2)));
  a_.add(kScratch, kScratch, kScratch2);
  a_.br(kScratch);
  a_.bind(table);
  for (const Label& t : targets) a_.embedLabelDelta(t, table, 4);
  bind(done);
}

// ---------------------------------------------------------------------------
// Frame

void A64Masm::prologue(Label stack_overflow) {
  a_.stp(a64::x29, a64::x30, a64::ptr_pre(a64::sp, -16));
  a_.mov(kFp, a64::sp);
  // x16 = frame size (a movz/movk pair patched once it is known).
  frame_patch_ = a_.offset();
  emit_word(movz_x(16, 0));
  emit_word(movk_x_hi(16, 0));
  a_.sub(a64::sp, a64::sp, kScratch);
  a_.ldr(kScratch2, a64::ptr(kVm, runtime::kVmStore));
  a_.ldr(kScratch2, a64::ptr(kScratch2, runtime::kStoreStackLimit));
  a_.cmp(a64::sp, kScratch2);
  bcond(CondCode::kLO, stack_overflow);
  a_.stur(kVm, a64::ptr(kFp, kFrameVmctx));
}

void A64Masm::patch_frame_size(uint32_t bytes) {
  asmjit::CodeBuffer& buf = a_.code()->textSection()->buffer();
  if (frame_patch_ + 8 > buf.size()) return;  // not emitted: the buffer is full
  uint32_t w[2] = {movz_x(16, bytes & 0xffff), movk_x_hi(16, bytes >> 16)};
  memcpy(buf.data() + frame_patch_, w, 8);
}

void A64Masm::epilogue_return() {
  a_.mov(a64::sp, kFp);
  a_.ldp(a64::x29, a64::x30, a64::ptr_post(a64::sp, 16));
  a_.ret(a64::x30);
}

void A64Masm::zero_frame(int32_t lowest_offset, uint32_t count) {
  if (count == 0) return;
  int32_t end = lowest_offset + 8 * static_cast<int32_t>(count);
  if (count <= 8) {
    for (int32_t off = lowest_offset; off < end; off += 8) a_.str(a64::xzr, slot_mem(kFp, off, 8));
    return;
  }
  // x16 walks up from the lowest slot, x17 is the end.
  add_imm(kScratch, kFp, lowest_offset);
  add_imm(kScratch2, kFp, end);
  Label loop = new_label();
  bind(loop);
  a_.str(a64::xzr, a64::ptr_post(kScratch, 8));
  a_.cmp(kScratch, kScratch2);
  bcond(CondCode::kLO, loop);
}

void A64Masm::restore_vmctx() {
  a_.ldur(kVm, a64::ptr(kFp, kFrameVmctx));
  a_.ldr(kMemBase, a64::ptr(kVm, runtime::kVmMemoryBase));
}

// ---------------------------------------------------------------------------
// Moves

void A64Masm::move(Reg dst, Reg src, ValType t) {
  if (dst == src) return;
  if (dst.is_fp()) {
    a_.mov(a64::v(dst.code).b16(), a64::v(src.code).b16());
  } else if (wide(t)) {
    a_.mov(gpx(dst), gpx(src));
  } else {
    a_.mov(gpw(dst), gpw(src));
  }
}

void A64Masm::load_const(Reg dst, ValType t, uint64_t bits) {
  if (dst.is_fp()) {
    bool d64 = t != ValType::kF32;
    if (bits == 0) {
      d64 ? a_.fmov(a64::d(dst.code), a64::xzr) : a_.fmov(a64::s(dst.code), a64::wzr);
      return;
    }
    mov_imm(a_, d64 ? a64::Gp(kScratch) : a64::Gp(kScratch.w()), bits);
    d64 ? a_.fmov(a64::d(dst.code), kScratch) : a_.fmov(a64::s(dst.code), kScratch.w());
    return;
  }
  mov_imm(a_, t == ValType::kI32 ? a64::Gp(gpw(dst)) : a64::Gp(gpx(dst)), bits);
}

a64::Mem A64Masm::slot_mem(const a64::Gp& base, int32_t off, uint32_t size) {
  bool scaled = off >= 0 && off % static_cast<int32_t>(size) == 0 && off / static_cast<int32_t>(size) < 4096;
  if (scaled || (off >= -256 && off <= 255)) return a64::ptr(base, off);
  add_imm(kScratch2, base, off);
  return a64::ptr(kScratch2);
}

void A64Masm::load_slot(Reg dst, ValType t, const a64::Gp& base, int32_t off) {
  if (dst.is_fp()) {
    if (t == ValType::kV128) a_.ldr(qv(dst.code), slot_mem(base, off, 16));
    else if (t == ValType::kF64) a_.ldr(a64::d(dst.code), slot_mem(base, off, 8));
    else a_.ldr(a64::s(dst.code), slot_mem(base, off, 4));
  } else if (wide(t)) {
    a_.ldr(gpx(dst), slot_mem(base, off, 8));
  } else {
    a_.ldr(gpw(dst), slot_mem(base, off, 4));
  }
}

void A64Masm::store_slot(const a64::Gp& base, int32_t off, Reg src, ValType t) {
  if (src.is_fp()) {
    if (t == ValType::kV128) a_.str(qv(src.code), slot_mem(base, off, 16));
    else if (t == ValType::kF64) a_.str(a64::d(src.code), slot_mem(base, off, 8));
    else a_.str(a64::s(src.code), slot_mem(base, off, 4));
  } else if (wide(t)) {
    a_.str(gpx(src), slot_mem(base, off, 8));
  } else {
    a_.str(gpw(src), slot_mem(base, off, 4));
  }
}

void A64Masm::store_slot_const(const a64::Gp& base, int32_t off, ValType t, uint64_t bits) {
  if (t == ValType::kV128) {  // only zero reaches here
    a_.str(a64::xzr, slot_mem(base, off, 8));
    a_.str(a64::xzr, slot_mem(base, off + 8, 8));
    return;
  }
  bool four = slot_size(t) == 4;
  if (bits == 0) {
    a_.str(four ? a64::Gp(a64::wzr) : a64::Gp(a64::xzr), slot_mem(base, off, four ? 4 : 8));
    return;
  }
  mov_imm(a_, four ? a64::Gp(kScratch.w()) : a64::Gp(kScratch), bits);
  a_.str(four ? a64::Gp(kScratch.w()) : a64::Gp(kScratch), slot_mem(base, off, four ? 4 : 8));
}

void A64Masm::copy_slot(const a64::Gp& dst_base, int32_t dst_off, int32_t frame_off, ValType t) {
  if (t == ValType::kV128) {
    a_.ldr(qv(kFScratch), slot_mem(kFp, frame_off, 16));
    a_.str(qv(kFScratch), slot_mem(dst_base, dst_off, 16));
  } else if (slot_size(t) == 4) {
    a_.ldr(kScratch.w(), slot_mem(kFp, frame_off, 4));
    a_.str(kScratch.w(), slot_mem(dst_base, dst_off, 4));
  } else {
    a_.ldr(kScratch, slot_mem(kFp, frame_off, 8));
    a_.str(kScratch, slot_mem(dst_base, dst_off, 8));
  }
}

void A64Masm::load_frame(Reg dst, ValType t, int32_t off) { load_slot(dst, t, kFp, off); }
void A64Masm::store_frame(int32_t off, Reg src, ValType t) { store_slot(kFp, off, src, t); }
void A64Masm::store_frame_const(int32_t off, ValType t, uint64_t bits) { store_slot_const(kFp, off, t, bits); }
void A64Masm::copy_frame(int32_t dst_off, int32_t src_off, ValType t) { copy_slot(kFp, dst_off, src_off, t); }
void A64Masm::load_out(Reg dst, ValType t, int32_t off) { load_slot(dst, t, a64::sp, off); }
void A64Masm::store_out(int32_t off, Reg src, ValType t) { store_slot(a64::sp, off, src, t); }
void A64Masm::store_out_const(int32_t off, ValType t, uint64_t bits) { store_slot_const(a64::sp, off, t, bits); }
void A64Masm::copy_frame_to_out(int32_t out_off, int32_t frame_off, ValType t) {
  copy_slot(a64::sp, out_off, frame_off, t);
}

// ---------------------------------------------------------------------------
// Integer

void A64Masm::add_imm(const a64::Gp& d, const a64::Gp& s, int64_t imm) {
  uint64_t mag = imm < 0 ? uint64_t(0) - static_cast<uint64_t>(imm) : static_cast<uint64_t>(imm);
  if (add_encodable(mag)) {
    if (imm < 0) a_.sub(d, s, Imm(mag));
    else a_.add(d, s, Imm(mag));
    return;
  }
  // The immediate through the scratch that is not the source (x16 or x17).
  a64::GpX t = s.id() == kScratch.id() ? kScratch2 : kScratch;
  a64::Gp tt = d.isGpX() ? a64::Gp(t) : a64::Gp(t.w());
  mov_imm(a_, tt, static_cast<uint64_t>(imm));
  if (s.id() == a64::Gp::kIdSp || d.id() == a64::Gp::kIdSp) a_.add(d, s, tt, a64::uxtx(0));
  else a_.add(d, s, tt);
}

void A64Masm::cmp_imm(const a64::Gp& r, int64_t imm) {
  uint64_t mag = imm < 0 ? uint64_t(0) - static_cast<uint64_t>(imm) : static_cast<uint64_t>(imm);
  if (add_encodable(mag)) {
    if (imm < 0) a_.cmn(r, Imm(mag));
    else a_.cmp(r, Imm(mag));
    return;
  }
  a64::Gp t = r.isGpX() ? a64::Gp(kScratch) : a64::Gp(kScratch.w());
  mov_imm(a_, t, static_cast<uint64_t>(imm));
  a_.cmp(r, t);
}

void A64Masm::int_binop(IntBinop op, Width w, Reg dst, Reg lhs, Operand rhs) {
  a64::Gp d = gp(dst, w), l = gp(lhs, w);
  uint32_t bits = w == Width::k64 ? 64 : 32;
  if (rhs.is_frame) {  // the value through x16 (its address through x17 if far)
    a64::Gp t = scratch(w);
    a_.ldr(t, slot_mem(kFp, static_cast<int32_t>(rhs.imm), w == Width::k64 ? 8 : 4));
    rhs = Operand::of(Reg{16, RegClass::kGp});
  }
  if (rhs.is_imm) {
    int64_t v = w == Width::k64 ? rhs.imm : static_cast<int64_t>(static_cast<int32_t>(rhs.imm));
    uint64_t u = w == Width::k64 ? static_cast<uint64_t>(v) : static_cast<uint32_t>(v);
    switch (op) {
      case IntBinop::kAdd: add_imm(d, l, v); return;
      case IntBinop::kSub:
        if (v == INT64_MIN) break;
        add_imm(d, l, -v);
        return;
      case IntBinop::kAnd: case IntBinop::kOr: case IntBinop::kXor:
        if (a64::Utils::isLogicalImm(u, bits)) {
          if (op == IntBinop::kAnd) a_.and_(d, l, Imm(u));
          else if (op == IntBinop::kOr) a_.orr(d, l, Imm(u));
          else a_.eor(d, l, Imm(u));
          return;
        }
        break;
      case IntBinop::kShl: a_.lsl(d, l, Imm(u & (bits - 1))); return;
      case IntBinop::kShrS: a_.asr(d, l, Imm(u & (bits - 1))); return;
      case IntBinop::kShrU: a_.lsr(d, l, Imm(u & (bits - 1))); return;
      case IntBinop::kRotr: a_.ror(d, l, Imm(u & (bits - 1))); return;
      case IntBinop::kRotl: a_.ror(d, l, Imm((bits - (u & (bits - 1))) & (bits - 1))); return;
      default: break;
    }
    // Not encodable: the immediate through x16 (lhs is never x16 here).
    mov_imm(a_, scratch(w), u);
    rhs = Operand::of(Reg{16, RegClass::kGp});
  }
  a64::Gp r = gp(rhs.reg, w);
  switch (op) {
    case IntBinop::kAdd: a_.add(d, l, r); return;
    case IntBinop::kSub: a_.sub(d, l, r); return;
    case IntBinop::kMul: a_.mul(d, l, r); return;
    case IntBinop::kAnd: a_.and_(d, l, r); return;
    case IntBinop::kOr: a_.orr(d, l, r); return;
    case IntBinop::kXor: a_.eor(d, l, r); return;
    // Variable shifts take the count modulo the width, as Wasm does.
    case IntBinop::kShl: a_.lslv(d, l, r); return;
    case IntBinop::kShrS: a_.asrv(d, l, r); return;
    case IntBinop::kShrU: a_.lsrv(d, l, r); return;
    case IntBinop::kRotr: a_.rorv(d, l, r); return;
    case IntBinop::kRotl:  // rotl by n = rotr by -n (mod width)
      a_.neg(scratch2(w), r);
      a_.rorv(d, l, scratch2(w));
      return;
  }
}

void A64Masm::int_unop(IntUnop op, Width w, Reg dst, Reg src) {
  a64::Gp d = gp(dst, w), s = gp(src, w);
  switch (op) {
    case IntUnop::kClz: a_.clz(d, s); return;
    case IntUnop::kCtz:
      a_.rbit(scratch(w), s);
      a_.clz(d, scratch(w));
      return;
    case IntUnop::kPopcnt: {
      // No scalar popcount: count the bytes in v31 and add them up.
      a64::Vec v = a64::v(kFScratch);
      w == Width::k64 ? a_.fmov(a64::d(kFScratch), s) : a_.fmov(a64::s(kFScratch), s);
      a_.cnt(v.b8(), v.b8());
      a_.addv(a64::VecB(kFScratch), v.b8());
      a_.fmov(gpw(dst), a64::s(kFScratch));  // < 65: the upper half is zero
      return;
    }
    case IntUnop::kExtend8S: a_.sxtb(d, gpw(src)); return;
    case IntUnop::kExtend16S: a_.sxth(d, gpw(src)); return;
    case IntUnop::kExtend32S: a_.sxtw(gpx(dst), gpw(src)); return;
  }
}

void A64Masm::div(DivOp op, Width w, Reg dst, Reg lhs, Reg rhs, Label div_by_zero, Label overflow) {
  a64::Gp d = gp(dst, w), l = gp(lhs, w), r = gp(rhs, w), q = scratch(w);
  cbz_(r, div_by_zero);
  switch (op) {
    case DivOp::kDivS: {
      // INT_MIN / -1 overflows: sdiv would give INT_MIN. lhs - 1 overflows
      // exactly when lhs is INT_MIN.
      Label normal = new_label();
      a_.cmn(r, Imm(1));
      bcond(CondCode::kNE, normal);
      a_.cmp(l, Imm(1));
      bcond(CondCode::kVS, overflow);
      bind(normal);
      a_.sdiv(d, l, r);
      return;
    }
    case DivOp::kDivU: a_.udiv(d, l, r); return;
    // lhs - (lhs / rhs) * rhs; INT_MIN % -1 comes out 0 (sdiv gives INT_MIN).
    case DivOp::kRemS: a_.sdiv(q, l, r); a_.msub(d, q, r, l); return;
    case DivOp::kRemU: a_.udiv(q, l, r); a_.msub(d, q, r, l); return;
  }
}

void A64Masm::compare(Cond, Width w, Reg lhs, Operand rhs) {
  a64::Gp l = gp(lhs, w);
  if (rhs.is_frame) {
    a_.ldr(scratch(w), slot_mem(kFp, static_cast<int32_t>(rhs.imm), w == Width::k64 ? 8 : 4));
    a_.cmp(l, scratch(w));
  } else if (rhs.is_imm) {
    cmp_imm(l, w == Width::k64 ? rhs.imm : static_cast<int64_t>(static_cast<int32_t>(rhs.imm)));
  } else {
    a_.cmp(l, gp(rhs.reg, w));
  }
}

void A64Masm::test_zero(Width w, Reg r) { a_.cmp(gp(r, w), Imm(0)); }

void A64Masm::set_cond(Cond c, Reg dst) { a_.cset(gpw(dst), Imm(static_cast<uint32_t>(cc_of(c)))); }

void A64Masm::select(Cond c, ValType t, Reg dst, Reg other) {
  uint32_t cc = static_cast<uint32_t>(cc_of(c));
  if (!dst.is_fp()) {
    Width w = is_ref(t) ? Width::k64 : width_of(t);
    a_.csel(gp(dst, w), gp(dst, w), gp(other, w), Imm(cc));
  } else if (t == ValType::kF32 || t == ValType::kF64) {
    bool d64 = t == ValType::kF64;
    a_.fcsel(fd(dst, d64), fd(dst, d64), fd(other, d64), Imm(cc));
  } else {
    Label keep = new_label();
    branch(c, keep);
    move(dst, other, t);
    bind(keep);
  }
}

// ---------------------------------------------------------------------------
// Floating point

void A64Masm::float_compare(Cond, Width w, Reg lhs, Reg rhs) {
  bool d64 = w == Width::k64;
  a_.fcmp(fd(lhs, d64), fd(rhs, d64));
}

void A64Masm::float_binop(FloatBinop op, Width w, Reg dst, Reg lhs, Reg rhs) {
  bool d64 = w == Width::k64;
  a64::Vec d = fd(dst, d64), l = fd(lhs, d64), r = fd(rhs, d64);
  switch (op) {
    case FloatBinop::kAdd: a_.fadd(d, l, r); return;
    case FloatBinop::kSub: a_.fsub(d, l, r); return;
    case FloatBinop::kMul: a_.fmul(d, l, r); return;
    case FloatBinop::kDiv: a_.fdiv(d, l, r); return;
    // fmin/fmax are Wasm's: NaN if either is NaN, -0 below +0.
    case FloatBinop::kMin: a_.fmin(d, l, r); return;
    case FloatBinop::kMax: a_.fmax(d, l, r); return;
    case FloatBinop::kCopysign: {
      // |lhs| with rhs's sign, through general registers.
      a64::Gp t = d64 ? a64::Gp(kScratch) : a64::Gp(kScratch.w());
      a64::Gp u = d64 ? a64::Gp(kScratch2) : a64::Gp(kScratch2.w());
      a_.fmov(t, l);
      a_.fmov(u, r);
      a_.and_(t, t, Imm(d64 ? 0x7fffffffffffffffu : 0x7fffffffu));
      a_.and_(u, u, Imm(d64 ? 0x8000000000000000u : 0x80000000u));
      a_.orr(t, t, u);
      a_.fmov(d, t);
      return;
    }
  }
}

void A64Masm::float_unop(FloatUnop op, Width w, Reg dst, Reg src) {
  bool d64 = w == Width::k64;
  a64::Vec d = fd(dst, d64), s = fd(src, d64);
  switch (op) {
    case FloatUnop::kAbs: a_.fabs(d, s); return;
    case FloatUnop::kNeg: a_.fneg(d, s); return;
    case FloatUnop::kCeil: a_.frintp(d, s); return;
    case FloatUnop::kFloor: a_.frintm(d, s); return;
    case FloatUnop::kTrunc: a_.frintz(d, s); return;
    case FloatUnop::kNearest: a_.frintn(d, s); return;
    case FloatUnop::kSqrt: a_.fsqrt(d, s); return;
  }
}


void A64Masm::fcmp_const(bool d64, Reg s, double value) {
  if (d64) {
    mov_imm(a_, kScratch, f64_bits(value));
    a_.fmov(a64::d(kFScratch), kScratch);
  } else {
    mov_imm(a_, kScratch.w(), f32_bits(static_cast<float>(value)));
    a_.fmov(a64::s(kFScratch), kScratch.w());
  }
  a_.fcmp(fd(s, d64), fd(kFScratch, d64));
}

void A64Masm::convert(ConvertKind op, Reg dst, Reg src, Label invalid, Label overflow) {
  switch (op) {
    case ConvertKind::kI32WrapI64:
    case ConvertKind::kI64ExtendI32U: a_.mov(gpw(dst), gpw(src)); return;
    case ConvertKind::kI64ExtendI32S: a_.sxtw(gpx(dst), gpw(src)); return;
    case ConvertKind::kI32ReinterpretF32: a_.fmov(gpw(dst), a64::s(src.code)); return;
    case ConvertKind::kI64ReinterpretF64: a_.fmov(gpx(dst), a64::d(src.code)); return;
    case ConvertKind::kF32ReinterpretI32: a_.fmov(a64::s(dst.code), gpw(src)); return;
    case ConvertKind::kF64ReinterpretI64: a_.fmov(a64::d(dst.code), gpx(src)); return;
    case ConvertKind::kF32DemoteF64: a_.fcvt(a64::s(dst.code), a64::d(src.code)); return;
    case ConvertKind::kF64PromoteF32: a_.fcvt(a64::d(dst.code), a64::s(src.code)); return;
    case ConvertKind::kF32ConvertI32S: a_.scvtf(a64::s(dst.code), gpw(src)); return;
    case ConvertKind::kF64ConvertI32S: a_.scvtf(a64::d(dst.code), gpw(src)); return;
    case ConvertKind::kF32ConvertI64S: a_.scvtf(a64::s(dst.code), gpx(src)); return;
    case ConvertKind::kF64ConvertI64S: a_.scvtf(a64::d(dst.code), gpx(src)); return;
    case ConvertKind::kF32ConvertI32U: a_.ucvtf(a64::s(dst.code), gpw(src)); return;
    case ConvertKind::kF64ConvertI32U: a_.ucvtf(a64::d(dst.code), gpw(src)); return;
    case ConvertKind::kF32ConvertI64U: a_.ucvtf(a64::s(dst.code), gpx(src)); return;
    case ConvertKind::kF64ConvertI64U: a_.ucvtf(a64::d(dst.code), gpx(src)); return;
    case ConvertKind::kI32TruncF32S: case ConvertKind::kI32TruncF32U: case ConvertKind::kI32TruncF64S:
    case ConvertKind::kI32TruncF64U: case ConvertKind::kI64TruncF32S: case ConvertKind::kI64TruncF32U:
    case ConvertKind::kI64TruncF64S: case ConvertKind::kI64TruncF64U:
      trunc_checked(op, dst, src, invalid, overflow, overflow);
      return;
    case ConvertKind::kI32TruncSatF32S: case ConvertKind::kI32TruncSatF32U: case ConvertKind::kI32TruncSatF64S:
    case ConvertKind::kI32TruncSatF64U: case ConvertKind::kI64TruncSatF32S: case ConvertKind::kI64TruncSatF32U:
    case ConvertKind::kI64TruncSatF64S: case ConvertKind::kI64TruncSatF64U: {
      // fcvtz[su] saturate and give 0 for NaN: exactly trunc_sat.
      fcvtz(trunc_info(op), dst, src);
      return;
    }
    default:
      return;
  }
}

// NaN goes to `nan`; values whose truncation is out of the result's range
// to `too_low` / `too_high` (the first out-of-range values in the source
// format, as on x86-64); the rest convert exactly.
void A64Masm::trunc_checked(ConvertKind op, Reg dst, Reg src, Label nan, Label too_low, Label too_high) {
  TruncInfo ti = trunc_info(op);
  a_.fcmp(fd(src, ti.src64), fd(src, ti.src64));
  bcond(CondCode::kVS, nan);
  double hi = ti.dst64 ? (ti.is_signed ? 9223372036854775808.0 : 18446744073709551616.0)
                       : (ti.is_signed ? 2147483648.0 : 4294967296.0);
  fcmp_const(ti.src64, src, hi);
  bcond(CondCode::kGE, too_high);
  if (!ti.is_signed) {
    fcmp_const(ti.src64, src, -1.0);
    bcond(CondCode::kLS, too_low);
  } else if (!ti.dst64 && ti.src64) {
    fcmp_const(ti.src64, src, -2147483649.0);
    bcond(CondCode::kLS, too_low);
  } else {
    fcmp_const(ti.src64, src, ti.dst64 ? -9223372036854775808.0 : -2147483648.0);
    bcond(CondCode::kMI, too_low);
  }
  fcvtz(ti, dst, src);
}

void A64Masm::fcvtz(const TruncInfo& ti, Reg dst, Reg src) {
  a64::Gp d = ti.dst64 ? a64::Gp(gpx(dst)) : a64::Gp(gpw(dst));
  if (ti.is_signed) a_.fcvtzs(d, fd(src, ti.src64));
  else a_.fcvtzu(d, fd(src, ti.src64));
}

// ---------------------------------------------------------------------------
// Memory

a64::Mem A64Masm::mem_operand(Reg addr, uint32_t offset, uint32_t size, Label oob) {
  if (explicit_bounds_) {
    // end = zext(index) + offset + size in 64 bits (no wrap), compared with
    // the memory's byte length; the access uses the same sum.
    uint64_t extra = uint64_t{offset} + size;
    a_.mov(kScratch.w(), gpw(addr));  // zero-extends: only the low half counts
    add_imm(kScratch, kScratch, static_cast<int64_t>(extra));
    a_.ldr(kScratch2, a64::ptr(kVm, runtime::kVmMemory));
    a_.ldr(kScratch2, a64::ptr(kScratch2, runtime::kMemoryHeaderSize));
    a_.cmp(kScratch, kScratch2);
    bcond(CondCode::kHI, oob);
    a_.add(kScratch, kScratch, kMemBase);
    return a64::ptr(kScratch, -static_cast<int32_t>(size));
  }
  // [base + zext(index)]: the uxtw extension reads only the low half of
  // the index register, so an address can never be sign-extended or wide.
  if (offset == 0) return a64::ptr(kMemBase, gpw(addr), a64::uxtw(0));
  add_imm(kScratch, kMemBase, static_cast<int64_t>(offset));
  return a64::ptr(kScratch, gpw(addr), a64::uxtw(0));
}

void A64Masm::load_mem(LoadKind kind, Reg dst, Reg addr, uint32_t offset, Label oob) {
  a64::Mem m = access_mem(addr, offset, access_size(kind), oob);
  switch (kind) {
    case LoadKind::kI32: case LoadKind::kI64U32: a_.ldr(gpw(dst), m); break;
    case LoadKind::kI64: a_.ldr(gpx(dst), m); break;
    case LoadKind::kF32: a_.ldr(a64::s(dst.code), m); break;
    case LoadKind::kF64: a_.ldr(a64::d(dst.code), m); break;
    case LoadKind::kI32S8: a_.ldrsb(gpw(dst), m); break;
    case LoadKind::kI32U8: case LoadKind::kI64U8: a_.ldrb(gpw(dst), m); break;
    case LoadKind::kI32S16: a_.ldrsh(gpw(dst), m); break;
    case LoadKind::kI32U16: case LoadKind::kI64U16: a_.ldrh(gpw(dst), m); break;
    case LoadKind::kI64S8: a_.ldrsb(gpx(dst), m); break;
    case LoadKind::kI64S16: a_.ldrsh(gpx(dst), m); break;
    case LoadKind::kI64S32: a_.ldrsw(gpx(dst), m); break;
  }
}

void A64Masm::store_mem(StoreKind kind, Reg addr, uint32_t offset, Operand value, Label oob) {
  a64::Mem m = mem_operand(addr, offset, access_size(kind), oob);
  Reg v = value.reg;
  bool zero = false;
  if (value.is_imm) {
    if (value.imm == 0) {
      zero = true;
    } else {  // the address may be in x16: the value goes to x17
      mov_imm(a_, kind == StoreKind::kI64 ? a64::Gp(kScratch2) : a64::Gp(kScratch2.w()),
              static_cast<uint64_t>(value.imm));
      v = Reg{17, RegClass::kGp};
    }
  }
  a64::GpW vw = zero ? a64::wzr : gpw(v);
  if (!explicit_bounds_) record_trap_site(TrapCode::kMemoryOutOfBounds);
  switch (kind) {
    case StoreKind::kI8: a_.strb(vw, m); break;
    case StoreKind::kI16: a_.strh(vw, m); break;
    case StoreKind::kI32: a_.str(vw, m); break;
    case StoreKind::kI64: a_.str(zero ? a64::xzr : gpx(v), m); break;
    case StoreKind::kF32: a_.str(a64::s(v.code), m); break;
    case StoreKind::kF64: a_.str(a64::d(v.code), m); break;
  }
}

void A64Masm::memory_size(Reg dst) {
  a_.ldr(gpx(dst), a64::ptr(kVm, runtime::kVmMemory));
  a_.ldr(gpx(dst), a64::ptr(gpx(dst), runtime::kMemoryHeaderSize));
  a_.lsr(gpx(dst), gpx(dst), Imm(16));
}

// A global's cell: in the VMContext at `off`, or (imported) behind the
// pointer there, loaded into x16 (and `off` becomes 0).
a64::GpX A64Masm::global_base(int32_t* off, bool imported) {
  if (!imported) return kVm;
  a_.ldr(kScratch, slot_mem(kVm, *off, 8));
  *off = 0;
  return kScratch;
}

void A64Masm::load_global(Reg dst, ValType t, int32_t off, bool imported) {
  a64::GpX base = global_base(&off, imported);
  load_slot(dst, t, base, off);
}

void A64Masm::store_global(int32_t off, Reg src, ValType t, bool imported) {
  a64::GpX base = global_base(&off, imported);
  if (src.is_fp()) store_slot(base, off, src, t);
  else a_.str(gpx(src), slot_mem(base, off, 8));  // an i32's upper half is zero: 8 bytes, as on x86-64
}

// x16 = the table's element array, after the bounds check of `idx`.
void A64Masm::table_elements(int32_t table_off, Reg idx, Label oob) {
  a_.ldr(kScratch, slot_mem(kVm, table_off, 8));
  a_.ldr(kScratch2.w(), a64::ptr(kScratch, runtime::kTableSize));
  a_.cmp(gpw(idx), kScratch2.w());
  bcond(CondCode::kHS, oob);
  a_.ldr(kScratch, a64::ptr(kScratch, runtime::kTableData));
}

void A64Masm::table_get(Reg dst, int32_t table_off, Reg idx, Label oob) {
  table_elements(table_off, idx, oob);
  a_.ldr(gpx(dst), a64::ptr(kScratch, gpw(idx), a64::uxtw(3)));
}

void A64Masm::table_set(int32_t table_off, Reg idx, Reg value, Label oob) {
  table_elements(table_off, idx, oob);
  a_.str(gpx(value), a64::ptr(kScratch, gpw(idx), a64::uxtw(3)));
}

void A64Masm::table_size(Reg dst, int32_t table_off) {
  a_.ldr(kScratch, slot_mem(kVm, table_off, 8));
  a_.ldr(gpw(dst), a64::ptr(kScratch, runtime::kTableSize));
}

void A64Masm::ref_func(Reg dst, uint32_t func_index) {
  a_.ldr(gpx(dst), a64::ptr(kVm, runtime::kVmFuncRefs));
  a_.ldr(gpx(dst), slot_mem(gpx(dst), static_cast<int32_t>(8 * func_index), 8));
}

// ---------------------------------------------------------------------------
// Calls

void A64Masm::call_direct(uint32_t defined_index) {
  relocs_.push_back({static_cast<uint32_t>(a_.offset()), RelocKind::kDirectCall, defined_index});
  emit_word(0x94000000u);  // bl +0, patched at layout
}

void A64Masm::call_import(int32_t code_off, int32_t vmctx_off) {
  a_.ldr(kScratch, slot_mem(kVm, code_off, 8));
  a_.ldr(kVm, slot_mem(kVm, vmctx_off, 8));
  a_.blr(kScratch);
  restore_vmctx();
}

void A64Masm::call_indirect(int32_t table_off, Reg idx, uint32_t type_index, Label undefined, Label null,
                            Label mismatch) {
  table_elements(table_off, idx, undefined);
  a_.ldr(kScratch, a64::ptr(kScratch, gpw(idx), a64::uxtw(3)));
  Label not_null = new_label();
  cbnz_(kScratch, not_null);
  // The trap message names the element: record the index first.
  a_.ldr(kScratch2, a64::ptr(kVm, runtime::kVmStore));
  a_.str(gpw(idx), a64::ptr(kScratch2, runtime::kStoreTrapDetail));
  a_.b(null);
  bind(not_null);
  a_.ldr(kScratch2.w(), a64::ptr(kScratch, runtime::kFuncRefTypeId));
  relocs_.push_back({static_cast<uint32_t>(a_.offset()), RelocKind::kTypeId, type_index});
  emit_word(movz_w(30, 0));  // w30 = the canonical type id, patched at link
  emit_word(movk_w_hi(30, 0));
  a_.cmp(kScratch2.w(), kScratch3.w());
  bcond(CondCode::kNE, mismatch);
  a_.ldr(kVm, a64::ptr(kScratch, runtime::kFuncRefVmctx));
  a_.ldr(kScratch, a64::ptr(kScratch, runtime::kFuncRefCode));
  a_.blr(kScratch);
  restore_vmctx();
}

Reg A64Masm::call_helper(HelperId fn, std::span<const HelperArg> args) {
  for (size_t i = 0; i < args.size(); ++i) {
    const HelperArg& arg = args[i];
    a64::GpX r = a64::x(static_cast<uint32_t>(i));
    switch (arg.kind) {
      case HelperArg::Kind::kVmctx: a_.mov(r, kVm); break;
      case HelperArg::Kind::kImm: mov_imm(a_, r, static_cast<uint64_t>(arg.imm)); break;
      case HelperArg::Kind::kFrame:
        if (arg.type == ValType::kI32) a_.ldr(r.w(), slot_mem(kFp, arg.offset, 4));
        else a_.ldr(r, slot_mem(kFp, arg.offset, 8));
        break;
    }
  }
  a_.ldr(kScratch, a64::ptr(kVm, runtime::kVmHelpers));
  a_.ldr(kScratch, a64::ptr(kScratch, static_cast<int32_t>(8 * static_cast<uint32_t>(fn))));
  a_.blr(kScratch);
  // Helpers return a u32; AAPCS64 leaves the upper half of x0 undefined.
  a_.mov(a64::w0, a64::w0);
  return Reg{0, RegClass::kGp};  // x27/x28 are callee-saved in AAPCS64
}

// ---------------------------------------------------------------------------
// Interrupts and traps

void A64Masm::check_interrupt(Label epoch_stub) {
  a_.ldr(kScratch, a64::ptr(kVm, runtime::kVmStore));
  a_.ldr(kScratch2, a64::ptr(kScratch, runtime::kStoreEpoch));
  a_.ldr(kScratch2, a64::ptr(kScratch2));
  a_.ldr(kScratch, a64::ptr(kScratch, runtime::kStoreEpochDeadline));
  a_.cmp(kScratch2, kScratch);
  Label slow = new_label(), resume = new_label();
  bcond(CondCode::kHS, slow);
  bind(resume);
  epoch_sites_.push_back({slow, resume});
  (void)epoch_stub;
}

void A64Masm::emit_epoch_stub(Label stub) {
  for (const auto& [slow, resume] : epoch_sites_) {
    bind(slow);
    a_.bl(stub);
    a_.b(resume);
  }
  epoch_sites_.clear();
  bind(stub);
  // Reached by bl from a check site with any allocatable register live:
  // keeps x0-x17, x30 and all of v0-v31 (AAPCS64 keeps only d8-d15's low halves).
  constexpr int32_t kGpBytes = 20 * 8, kBytes = kGpBytes + 32 * 16;
  a_.sub(a64::sp, a64::sp, Imm(kBytes));
  for (uint32_t i = 0; i < 18; i += 2) a_.stp(a64::x(i), a64::x(i + 1), a64::ptr(a64::sp, 8 * static_cast<int32_t>(i)));
  a_.str(a64::x30, a64::ptr(a64::sp, 8 * 18));
  for (uint32_t i = 0; i < 32; i += 2) {
    a_.stp(qv(i), qv(i + 1), a64::ptr(a64::sp, kGpBytes + 16 * static_cast<int32_t>(i)));
  }
  a_.mov(a64::x0, kVm);
  a_.ldr(kScratch, a64::ptr(kVm, runtime::kVmHelpers));
  a_.ldr(kScratch, a64::ptr(kScratch, static_cast<int32_t>(8 * static_cast<uint32_t>(HelperId::kEpochDeadline))));
  a_.blr(kScratch);
  Label trapping = new_label();
  cbnz_(a64::w0, trapping);
  for (uint32_t i = 0; i < 32; i += 2) {
    a_.ldp(qv(i), qv(i + 1), a64::ptr(a64::sp, kGpBytes + 16 * static_cast<int32_t>(i)));
  }
  a_.ldr(a64::x30, a64::ptr(a64::sp, 8 * 18));
  for (uint32_t i = 0; i < 18; i += 2) a_.ldp(a64::x(i), a64::x(i + 1), a64::ptr(a64::sp, 8 * static_cast<int32_t>(i)));
  a_.add(a64::sp, a64::sp, Imm(kBytes));
  a_.ret(a64::x30);
  bind(trapping);
  // w0 = the trap code; the check site (x30 at entry) is the trapping PC.
  a_.ldr(kScratch2, a64::ptr(a64::sp, 8 * 18));
  a_.b(unwind_);
}

void A64Masm::adr_self_and_unwind() {
  emit_word(0x10000011u);  // adr x17, . : the trapping function, for the backtrace
  a_.b(unwind_);
}

void A64Masm::trap(TrapCode code) {
  mov_imm(a_, a64::w0, static_cast<uint32_t>(code));
  adr_self_and_unwind();
}

void A64Masm::trap_with_code_in_result() { adr_self_and_unwind(); }

void A64Masm::unreachable_trap_site(TrapCode code) {
  record_trap_site(code);
  a_.udf(Imm(0));
}

void A64Masm::emit_unwind_stub(a64::Assembler& a) {
  // w0 = trap code; x28 = a VMContext or host context (StoreState* first);
  // x17 = the trapping PC (or 0); x29 = the innermost Wasm frame.
  a.ldr(a64::x9, a64::ptr(kVm, runtime::kVmStore));
  a.str(a64::w0, a64::ptr(a64::x9, runtime::kStoreTrapCode));
  a.mov(a64::x0, a64::x9);
  a.mov(a64::x1, kFp);
  a.mov(a64::x2, kScratch2);
  a.mov(a64::x10, a64::sp);
  a.and_(a64::x10, a64::x10, Imm(~uint64_t{15}));
  a.mov(a64::sp, a64::x10);
  a.ldr(kScratch, a64::ptr(a64::x9, runtime::kStoreCaptureBacktrace));
  a.blr(kScratch);
  a.ldr(a64::x9, a64::ptr(kVm, runtime::kVmStore));  // x28 survives the C call
  a.ldr(a64::w0, a64::ptr(a64::x9, runtime::kStoreTrapCode));
  a.ldr(a64::x10, a64::ptr(a64::x9, runtime::kStoreEntrySp));
  a.mov(a64::sp, a64::x10);
  emit_entry_frame_exit(a);
}

void A64Masm::emit_entry_frame_exit(a64::Assembler& a) {
  // sp = entry_sp: [previous entry_sp, pad], then the saved registers up to
  // the trampoline's fp (abi_a64.h, kEntryFrameBytes).
  a.ldr(a64::x10, a64::ptr(a64::sp));
  a.str(a64::x10, a64::ptr(a64::x9, runtime::kStoreEntrySp));
  a.add(kFp, a64::sp, Imm(kEntryFrameBytes));
  for (int k = 0; k < kEntrySavedGpPairs; ++k) {
    a.ldp(a64::x(19 + 2 * k), a64::x(20 + 2 * k), a64::ptr(kFp, entry_saved_gp_offset(k)));
  }
  for (int k = 0; k < kEntrySavedFpPairs; ++k) {
    a.ldp(a64::d(8 + 2 * k), a64::d(9 + 2 * k), a64::ptr(kFp, entry_saved_fp_offset(k)));
  }
  a.mov(a64::sp, kFp);
  a.ldp(a64::x29, a64::x30, a64::ptr_post(a64::sp, 16));
  a.ret(a64::x30);
}


}  // namespace brisk::compiler::a64
