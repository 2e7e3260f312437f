// NEON instruction selection for A64Masm. Wasm's SIMD maps onto AArch64's
// Advanced SIMD almost one to one (tbl zeroes out-of-range lanes, fcvtz*
// saturates, fmin/fmax propagate NaN); v30 and v31 are the masm's scratch.
#include <cstring>

#include "compiler/a64/masm_a64.h"
#include "compiler/decode/opcodes.h"

namespace brisk::compiler::a64 {

namespace a64 = asmjit::a64;
using asmjit::Imm;
using a64::CondCode;
using O = Opcode;

namespace {

const a64::GpX kMemBase = a64::x27;
const a64::GpX kScratch = a64::x16;
const a64::GpX kScratch2 = a64::x17;
const a64::GpX kScratch3 = a64::x30;  // free inside a body: the prologue saved it
const uint32_t kT1 = 31, kT2 = 30;    // scratch vector registers

/// Lane width: 8 << lanes bits.
enum Lanes : uint32_t { k8 = 0, k16 = 1, k32 = 2, k64 = 3 };

/// The result lane width an operator's name begins with: i8x16, i16x8,
/// i32x4/f32x4, i64x2/f64x2.
Lanes lanes_of(Opcode op) {
  switch (opcode_info(op).name[1]) {
    case '8': return k8;
    case '1': return k16;
    case '3': return k32;
    default: return k64;
  }
}

/// The whole register as lanes of that width (16B, 8H, 4S, 2D).
a64::VecV vq(uint32_t code, Lanes l) {
  a64::VecV v = a64::v(code);
  switch (l) {
    case k8: return v.b16();
    case k16: return v.h8();
    case k32: return v.s4();
    case k64: return v.d2();
  }
  return v;
}
a64::VecV vq(Reg r, Lanes l) { return vq(r.code, l); }

/// The low half as lanes of that width (8B, 4H, 2S).
a64::Vec vh(Reg r, Lanes l) {
  a64::VecV v = a64::v(r.code);
  switch (l) {
    case k8: return v.b8();
    case k16: return v.h4();
    default: return v.s2();
  }
}

/// One lane of that width, for lane moves, ld1 and st1.
a64::Vec lane(uint32_t code, Lanes l, uint32_t i) {
  a64::VecV v = a64::v(code);
  switch (l) {
    case k8: return v.b(i);
    case k16: return v.h(i);
    case k32: return v.s(i);
    case k64: return v.d(i);
  }
  return v;
}

a64::VecV b16(Reg r) { return a64::v(r.code).b16(); }
a64::VecV b16(uint32_t code) { return a64::v(code).b16(); }
a64::GpW gpw(Reg r) { return a64::w(r.code); }
a64::GpX gpx(Reg r) { return a64::x(r.code); }

}  // namespace

// ---------------------------------------------------------------------------
// Constants and memory operands

void A64Masm::load_pool(uint32_t vcode, const uint8_t (&bytes)[16]) {
  if (!long_branches_) {
    a_.ldr(a64::v(vcode).q(), a64::ptr(pool_.get(a_, bytes)));  // ldr (literal), +-1 MiB
    return;
  }
  // A function beyond the literal's reach: the halves through x16 and x17.
  uint64_t lo, hi;
  memcpy(&lo, bytes, 8);
  memcpy(&hi, bytes + 8, 8);
  mov_imm(a_, kScratch, lo);
  mov_imm(a_, kScratch2, hi);
  a_.fmov(a64::d(vcode), kScratch);
  a_.ins(lane(vcode, k64, 1), kScratch2);
}

void A64Masm::emit_constants() { pool_.emit(a_); }

a64::Mem A64Masm::access_mem(Reg addr, uint32_t offset, uint32_t size, Label oob) {
  a64::Mem m = mem_operand(addr, offset, size, oob);
  if (!explicit_bounds_) record_trap_site(runtime::TrapCode::kMemoryOutOfBounds);
  return m;
}

// ld1/ld1r/st1 take a bare base register: x16 = the effective address.
a64::Mem A64Masm::simd_base(Reg addr, uint32_t offset, uint32_t size, Label oob) {
  if (explicit_bounds_) {
    a64::Mem m = mem_operand(addr, offset, size, oob);  // [x16 - size]
    a_.sub(kScratch, kScratch, Imm(-m.offsetLo32()));
    return a64::ptr(kScratch);
  }
  // add x16, base, wN, uxtw (asmjit takes the index as an X register; the
  // extension reads its low half only).
  if (offset == 0) {
    a_.add(kScratch, kMemBase, gpx(addr), a64::uxtw(0));
  } else {
    add_imm(kScratch, kMemBase, static_cast<int64_t>(offset));
    a_.add(kScratch, kScratch, gpx(addr), a64::uxtw(0));
  }
  record_trap_site(runtime::TrapCode::kMemoryOutOfBounds);
  return a64::ptr(kScratch);
}

void A64Masm::simd_const(Reg dst, const uint8_t (&bytes)[16]) {
  bool splat = true;
  for (uint8_t b : bytes) splat &= b == bytes[0];
  if (splat) {
    a_.movi(b16(dst), Imm(bytes[0]));
    return;
  }
  load_pool(dst.code, bytes);
}

// ---------------------------------------------------------------------------
// Lane-wise operations

void A64Masm::simd_unop(Opcode op, Reg dst, Reg src) {
  Lanes L = lanes_of(op);
  a64::VecV d = vq(dst, L), s = vq(src, L);
  switch (op) {
    case O::kV128Not: a_.mvn(b16(dst), b16(src)); return;
    case O::kI8x16Abs: case O::kI16x8Abs: case O::kI32x4Abs: case O::kI64x2Abs: a_.abs(d, s); return;
    case O::kI8x16Neg: case O::kI16x8Neg: case O::kI32x4Neg: case O::kI64x2Neg: a_.neg(d, s); return;
    case O::kI8x16Popcnt: a_.cnt(d, s); return;
    case O::kF32x4Abs: case O::kF64x2Abs: a_.fabs(d, s); return;
    case O::kF32x4Neg: case O::kF64x2Neg: a_.fneg(d, s); return;
    case O::kF32x4Sqrt: case O::kF64x2Sqrt: a_.fsqrt(d, s); return;
    case O::kF32x4Ceil: case O::kF64x2Ceil: a_.frintp(d, s); return;
    case O::kF32x4Floor: case O::kF64x2Floor: a_.frintm(d, s); return;
    case O::kF32x4Trunc: case O::kF64x2Trunc: a_.frintz(d, s); return;
    case O::kF32x4Nearest: case O::kF64x2Nearest: a_.frintn(d, s); return;
    case O::kI16x8ExtaddPairwiseI8x16S: case O::kI32x4ExtaddPairwiseI16x8S:
      a_.saddlp(d, vq(src, Lanes(L - 1)));
      return;
    case O::kI16x8ExtaddPairwiseI8x16U: case O::kI32x4ExtaddPairwiseI16x8U:
      a_.uaddlp(d, vq(src, Lanes(L - 1)));
      return;
    case O::kI16x8ExtendLowI8x16S: case O::kI32x4ExtendLowI16x8S: case O::kI64x2ExtendLowI32x4S:
      a_.sxtl(d, vh(src, Lanes(L - 1)));
      return;
    case O::kI16x8ExtendHighI8x16S: case O::kI32x4ExtendHighI16x8S: case O::kI64x2ExtendHighI32x4S:
      a_.sxtl2(d, vq(src, Lanes(L - 1)));
      return;
    case O::kI16x8ExtendLowI8x16U: case O::kI32x4ExtendLowI16x8U: case O::kI64x2ExtendLowI32x4U:
      a_.uxtl(d, vh(src, Lanes(L - 1)));
      return;
    case O::kI16x8ExtendHighI8x16U: case O::kI32x4ExtendHighI16x8U: case O::kI64x2ExtendHighI32x4U:
      a_.uxtl2(d, vq(src, Lanes(L - 1)));
      return;
    // The narrowing forms write the low half and zero the high half.
    case O::kF32x4DemoteF64x2Zero: a_.fcvtn(vh(dst, k32), vq(src, k64)); return;
    case O::kF64x2PromoteLowF32x4: a_.fcvtl(vq(dst, k64), vh(src, k32)); return;
    // fcvtz[su] saturate and turn NaN into 0, as trunc_sat asks.
    case O::kI32x4TruncSatF32x4S: a_.fcvtzs(d, s); return;
    case O::kI32x4TruncSatF32x4U: a_.fcvtzu(d, s); return;
    case O::kF32x4ConvertI32x4S: a_.scvtf(d, s); return;
    case O::kF32x4ConvertI32x4U: a_.ucvtf(d, s); return;
    case O::kI32x4TruncSatF64x2SZero:
      a_.fcvtzs(vq(dst, k64), vq(src, k64));
      a_.sqxtn(vh(dst, k32), vq(dst, k64));
      return;
    case O::kI32x4TruncSatF64x2UZero:
      a_.fcvtzu(vq(dst, k64), vq(src, k64));
      a_.uqxtn(vh(dst, k32), vq(dst, k64));
      return;
    case O::kF64x2ConvertLowI32x4S:  // exact: every i32 is an f64
      a_.sxtl(vq(dst, k64), vh(src, k32));
      a_.scvtf(vq(dst, k64), vq(dst, k64));
      return;
    case O::kF64x2ConvertLowI32x4U:
      a_.uxtl(vq(dst, k64), vh(src, k32));
      a_.ucvtf(vq(dst, k64), vq(dst, k64));
      return;
    default:
      a_.reportError(asmjit::DebugUtils::errored(asmjit::kErrorInvalidInstruction), "simd_unop: not a unary operator");
      return;
  }
}

void A64Masm::simd_binop(Opcode op, Reg dst, Reg lhs, Reg rhs) {
  Lanes L = lanes_of(op);
  a64::VecV d = vq(dst, L), l = vq(lhs, L), r = vq(rhs, L);
  switch (op) {
    // Integer comparisons: lt and le are gt and ge with the operands swapped.
    case O::kI8x16Eq: case O::kI16x8Eq: case O::kI32x4Eq: case O::kI64x2Eq: a_.cmeq(d, l, r); return;
    case O::kI8x16Ne: case O::kI16x8Ne: case O::kI32x4Ne: case O::kI64x2Ne:
      a_.cmeq(d, l, r);
      a_.mvn(b16(dst), b16(dst));
      return;
    case O::kI8x16LtS: case O::kI16x8LtS: case O::kI32x4LtS: case O::kI64x2LtS: a_.cmgt(d, r, l); return;
    case O::kI8x16LtU: case O::kI16x8LtU: case O::kI32x4LtU: a_.cmhi(d, r, l); return;
    case O::kI8x16GtS: case O::kI16x8GtS: case O::kI32x4GtS: case O::kI64x2GtS: a_.cmgt(d, l, r); return;
    case O::kI8x16GtU: case O::kI16x8GtU: case O::kI32x4GtU: a_.cmhi(d, l, r); return;
    case O::kI8x16LeS: case O::kI16x8LeS: case O::kI32x4LeS: case O::kI64x2LeS: a_.cmge(d, r, l); return;
    case O::kI8x16LeU: case O::kI16x8LeU: case O::kI32x4LeU: a_.cmhs(d, r, l); return;
    case O::kI8x16GeS: case O::kI16x8GeS: case O::kI32x4GeS: case O::kI64x2GeS: a_.cmge(d, l, r); return;
    case O::kI8x16GeU: case O::kI16x8GeU: case O::kI32x4GeU: a_.cmhs(d, l, r); return;
    // Float comparisons are false on NaN; ne is the negation of eq.
    case O::kF32x4Eq: case O::kF64x2Eq: a_.fcmeq(d, l, r); return;
    case O::kF32x4Ne: case O::kF64x2Ne:
      a_.fcmeq(d, l, r);
      a_.mvn(b16(dst), b16(dst));
      return;
    case O::kF32x4Lt: case O::kF64x2Lt: a_.fcmgt(d, r, l); return;
    case O::kF32x4Gt: case O::kF64x2Gt: a_.fcmgt(d, l, r); return;
    case O::kF32x4Le: case O::kF64x2Le: a_.fcmge(d, r, l); return;
    case O::kF32x4Ge: case O::kF64x2Ge: a_.fcmge(d, l, r); return;
    // Bitwise.
    case O::kV128And: a_.and_(b16(dst), b16(lhs), b16(rhs)); return;
    case O::kV128Andnot: a_.bic(b16(dst), b16(lhs), b16(rhs)); return;
    case O::kV128Or: a_.orr(b16(dst), b16(lhs), b16(rhs)); return;
    case O::kV128Xor: a_.eor(b16(dst), b16(lhs), b16(rhs)); return;
    case O::kI8x16Swizzle: a_.tbl(b16(dst), b16(lhs), b16(rhs)); return;  // index >= 16 gives 0
    // Integer arithmetic.
    case O::kI8x16Add: case O::kI16x8Add: case O::kI32x4Add: case O::kI64x2Add: a_.add(d, l, r); return;
    case O::kI8x16Sub: case O::kI16x8Sub: case O::kI32x4Sub: case O::kI64x2Sub: a_.sub(d, l, r); return;
    case O::kI16x8Mul: case O::kI32x4Mul: a_.mul(d, l, r); return;
    case O::kI64x2Mul: {  // no 64-bit lane multiply: one mul per lane in x16/x17/x30
      a_.fmov(kScratch, a64::d(lhs.code));
      a_.fmov(kScratch2, a64::d(rhs.code));
      a_.mul(kScratch, kScratch, kScratch2);
      a_.umov(kScratch2, lane(lhs.code, k64, 1));
      a_.umov(kScratch3, lane(rhs.code, k64, 1));
      a_.mul(kScratch2, kScratch2, kScratch3);
      a_.fmov(a64::d(dst.code), kScratch);
      a_.ins(lane(dst.code, k64, 1), kScratch2);
      return;
    }
    case O::kI8x16AddSatS: case O::kI16x8AddSatS: a_.sqadd(d, l, r); return;
    case O::kI8x16AddSatU: case O::kI16x8AddSatU: a_.uqadd(d, l, r); return;
    case O::kI8x16SubSatS: case O::kI16x8SubSatS: a_.sqsub(d, l, r); return;
    case O::kI8x16SubSatU: case O::kI16x8SubSatU: a_.uqsub(d, l, r); return;
    case O::kI8x16MinS: case O::kI16x8MinS: case O::kI32x4MinS: a_.smin(d, l, r); return;
    case O::kI8x16MinU: case O::kI16x8MinU: case O::kI32x4MinU: a_.umin(d, l, r); return;
    case O::kI8x16MaxS: case O::kI16x8MaxS: case O::kI32x4MaxS: a_.smax(d, l, r); return;
    case O::kI8x16MaxU: case O::kI16x8MaxU: case O::kI32x4MaxU: a_.umax(d, l, r); return;
    case O::kI8x16AvgrU: case O::kI16x8AvgrU: a_.urhadd(d, l, r); return;
    // sat((2ab + 2^15) >> 16) is Wasm's sat((ab + 2^14) >> 15).
    case O::kI16x8Q15mulrSatS: a_.sqrdmulh(d, l, r); return;
    // Narrowing: the low half from lhs (which dst may be), then the high.
    case O::kI8x16NarrowI16x8S: case O::kI16x8NarrowI32x4S:
      a_.sqxtn(vh(dst, L), vq(lhs, Lanes(L + 1)));
      a_.sqxtn2(d, vq(rhs, Lanes(L + 1)));
      return;
    case O::kI8x16NarrowI16x8U: case O::kI16x8NarrowI32x4U:
      a_.sqxtun(vh(dst, L), vq(lhs, Lanes(L + 1)));
      a_.sqxtun2(d, vq(rhs, Lanes(L + 1)));
      return;
    case O::kI16x8ExtmulLowI8x16S: case O::kI32x4ExtmulLowI16x8S: case O::kI64x2ExtmulLowI32x4S:
      a_.smull(d, vh(lhs, Lanes(L - 1)), vh(rhs, Lanes(L - 1)));
      return;
    case O::kI16x8ExtmulHighI8x16S: case O::kI32x4ExtmulHighI16x8S: case O::kI64x2ExtmulHighI32x4S:
      a_.smull2(d, vq(lhs, Lanes(L - 1)), vq(rhs, Lanes(L - 1)));
      return;
    case O::kI16x8ExtmulLowI8x16U: case O::kI32x4ExtmulLowI16x8U: case O::kI64x2ExtmulLowI32x4U:
      a_.umull(d, vh(lhs, Lanes(L - 1)), vh(rhs, Lanes(L - 1)));
      return;
    case O::kI16x8ExtmulHighI8x16U: case O::kI32x4ExtmulHighI16x8U: case O::kI64x2ExtmulHighI32x4U:
      a_.umull2(d, vq(lhs, Lanes(L - 1)), vq(rhs, Lanes(L - 1)));
      return;
    case O::kI32x4DotI16x8S:  // the products of each pair, added pairwise
      a_.smull(vq(kT1, k32), vh(lhs, k16), vh(rhs, k16));
      a_.smull2(vq(kT2, k32), vq(lhs, k16), vq(rhs, k16));
      a_.addp(d, vq(kT1, k32), vq(kT2, k32));
      return;
    // Float arithmetic: fmin/fmax propagate NaN and order -0 below +0.
    case O::kF32x4Add: case O::kF64x2Add: a_.fadd(d, l, r); return;
    case O::kF32x4Sub: case O::kF64x2Sub: a_.fsub(d, l, r); return;
    case O::kF32x4Mul: case O::kF64x2Mul: a_.fmul(d, l, r); return;
    case O::kF32x4Div: case O::kF64x2Div: a_.fdiv(d, l, r); return;
    case O::kF32x4Min: case O::kF64x2Min: a_.fmin(d, l, r); return;
    case O::kF32x4Max: case O::kF64x2Max: a_.fmax(d, l, r); return;
    // pmin = rhs < lhs ? rhs : lhs, pmax = lhs < rhs ? rhs : lhs: lhs
    // unless the comparison holds (so on NaN).
    case O::kF32x4Pmin: case O::kF64x2Pmin:
    case O::kF32x4Pmax: case O::kF64x2Pmax: {
      bool min = op == O::kF32x4Pmin || op == O::kF64x2Pmin;
      if (min) a_.fcmgt(vq(kT1, L), l, r);
      else a_.fcmgt(vq(kT1, L), r, l);
      move(dst, lhs, ValType::kV128);
      a_.bit(b16(dst), b16(rhs), b16(kT1));
      return;
    }
    default:
      a_.reportError(asmjit::DebugUtils::errored(asmjit::kErrorInvalidInstruction), "simd_binop: not a binary operator");
      return;
  }
}

// dst = (a & mask) | (b & ~mask): bif inserts b where the mask is clear.
void A64Masm::simd_bitselect(Reg dst, Reg a, Reg b, Reg mask) {
  move(dst, a, ValType::kV128);
  a_.bif(b16(dst), b16(b), b16(mask));
}

// Counts are taken modulo the lane width. A register count becomes a
// vector of (negated, for right shifts) counts for ushl/sshl.
void A64Masm::simd_shift(Opcode op, Reg dst, Reg src, Operand count) {
  Lanes L = lanes_of(op);
  uint32_t mask = (8u << L) - 1;
  bool left = op == O::kI8x16Shl || op == O::kI16x8Shl || op == O::kI32x4Shl || op == O::kI64x2Shl;
  bool sign = op == O::kI8x16ShrS || op == O::kI16x8ShrS || op == O::kI32x4ShrS || op == O::kI64x2ShrS;
  a64::VecV d = vq(dst, L), s = vq(src, L);
  if (count.is_imm) {
    uint32_t c = static_cast<uint32_t>(count.imm) & mask;
    if (c == 0) move(dst, src, ValType::kV128);
    else if (left) a_.shl(d, s, Imm(c));
    else if (sign) a_.sshr(d, s, Imm(c));
    else a_.ushr(d, s, Imm(c));
    return;
  }
  a_.and_(kScratch.w(), gpw(count.reg), Imm(mask));
  if (!left) a_.neg(kScratch.w(), kScratch.w());
  if (L == k64) a_.dup(vq(kT1, L), kScratch);
  else a_.dup(vq(kT1, L), kScratch.w());
  if (sign) a_.sshl(d, s, vq(kT1, L));
  else a_.ushl(d, s, vq(kT1, L));
}

void A64Masm::simd_test(Opcode op, Reg dst, Reg src) {
  a64::GpW d = gpw(dst);
  switch (op) {
    case O::kV128AnyTrue:
      a_.umaxv(a64::s(kT1), vq(src, k32));
      a_.fmov(d, a64::s(kT1));
      break;
    case O::kI8x16AllTrue:
      a_.uminv(a64::v(kT1).b(), vq(src, k8));  // writing b31 zeroes the rest
      a_.fmov(d, a64::s(kT1));
      break;
    case O::kI16x8AllTrue:
      a_.uminv(a64::v(kT1).h(), vq(src, k16));
      a_.fmov(d, a64::s(kT1));
      break;
    case O::kI32x4AllTrue:
      a_.uminv(a64::s(kT1), vq(src, k32));
      a_.fmov(d, a64::s(kT1));
      break;
    case O::kI64x2AllTrue:  // a zero lane makes the sum of the eq-zero masks nonzero
      a_.cmeq(vq(kT1, k64), vq(src, k64), Imm(0));
      a_.addp(a64::d(kT1), vq(kT1, k64));
      a_.fmov(gpx(dst), a64::d(kT1));
      a_.cmp(gpx(dst), Imm(0));
      a_.cset(d, Imm(static_cast<uint32_t>(CondCode::kEQ)));
      return;
    // Bitmasks: each lane's sign as all-ones, and-ed with its bit, summed.
    case O::kI8x16Bitmask: case O::kI16x8Bitmask: case O::kI32x4Bitmask: {
      Lanes L = lanes_of(op);
      uint32_t lane_bytes = 1u << L;
      uint8_t bits[16] = {};
      for (uint32_t i = 0; i < 16 / lane_bytes; ++i) bits[i * lane_bytes] = static_cast<uint8_t>(1u << (i & 7));
      load_pool(kT2, bits);
      a_.cmlt(vq(kT1, L), vq(src, L), Imm(0));
      a_.and_(b16(kT1), b16(kT1), b16(kT2));
      if (L == k8) {  // halfword i: lane i's bit, lane i+8's bit << 8
        a_.ext(b16(kT2), b16(kT1), b16(kT1), Imm(8));
        a_.zip1(b16(kT1), b16(kT1), b16(kT2));
      }
      if (L == k32) {
        a_.addv(a64::v(kT1).s(), vq(kT1, k32));
        a_.fmov(d, a64::s(kT1));
      } else {
        a_.addv(a64::v(kT1).h(), vq(kT1, k16));
        a_.umov(d, lane(kT1, k16, 0));
      }
      return;
    }
    case O::kI64x2Bitmask:
      a_.ushr(vq(kT1, k64), vq(src, k64), Imm(63));
      a_.umov(kScratch, lane(kT1, k64, 1));
      a_.fmov(gpx(dst), a64::d(kT1));
      a_.add(d, d, kScratch.w(), a64::lsl(1));
      return;
    default:
      a_.reportError(asmjit::DebugUtils::errored(asmjit::kErrorInvalidInstruction), "simd_test: not a test");
      return;
  }
  // any_true / all_true: the reduction is nonzero.
  a_.cmp(d, Imm(0));
  a_.cset(d, Imm(static_cast<uint32_t>(CondCode::kNE)));
}

// ---------------------------------------------------------------------------
// Splats, lanes, shuffles

void A64Masm::simd_splat(Opcode op, Reg dst, Reg src) {
  Lanes L = lanes_of(op);
  switch (op) {
    case O::kI8x16Splat: case O::kI16x8Splat: case O::kI32x4Splat: a_.dup(vq(dst, L), gpw(src)); return;
    case O::kI64x2Splat: a_.dup(vq(dst, L), gpx(src)); return;
    default: a_.dup(vq(dst, L), lane(src.code, L, 0)); return;  // f32x4 / f64x2
  }
}

void A64Masm::simd_extract_lane(Opcode op, Reg dst, Reg src, uint8_t i) {
  switch (op) {
    case O::kI8x16ExtractLaneS: a_.smov(gpw(dst), lane(src.code, k8, i)); return;
    case O::kI8x16ExtractLaneU: a_.umov(gpw(dst), lane(src.code, k8, i)); return;
    case O::kI16x8ExtractLaneS: a_.smov(gpw(dst), lane(src.code, k16, i)); return;
    case O::kI16x8ExtractLaneU: a_.umov(gpw(dst), lane(src.code, k16, i)); return;
    case O::kI32x4ExtractLane: a_.umov(gpw(dst), lane(src.code, k32, i)); return;
    case O::kI64x2ExtractLane: a_.umov(gpx(dst), lane(src.code, k64, i)); return;
    // A float in lane 0 of its own register is already the scalar (scalar
    // operations read the low bits only).
    case O::kF32x4ExtractLane:
      if (dst != src || i != 0) a_.dup(a64::s(dst.code), lane(src.code, k32, i));
      return;
    default:
      if (dst != src || i != 0) a_.dup(a64::d(dst.code), lane(src.code, k64, i));
      return;
  }
}

void A64Masm::simd_replace_lane(Opcode op, Reg vec, Reg scalar, uint8_t i) {
  switch (op) {
    case O::kI8x16ReplaceLane: a_.ins(lane(vec.code, k8, i), gpw(scalar)); return;
    case O::kI16x8ReplaceLane: a_.ins(lane(vec.code, k16, i), gpw(scalar)); return;
    case O::kI32x4ReplaceLane: a_.ins(lane(vec.code, k32, i), gpw(scalar)); return;
    case O::kI64x2ReplaceLane: a_.ins(lane(vec.code, k64, i), gpx(scalar)); return;
    case O::kF32x4ReplaceLane: a_.ins(lane(vec.code, k32, i), lane(scalar.code, k32, 0)); return;
    default: a_.ins(lane(vec.code, k64, i), lane(scalar.code, k64, 0)); return;
  }
}

// tbl over one register when every lane comes from one operand, else over
// the pair {v30, v31} (tbl's table is consecutive registers).
void A64Masm::simd_shuffle(Reg dst, Reg lhs, Reg rhs, const uint8_t (&lanes)[16]) {
  bool from_lhs = true, from_rhs = true, identity = true;
  for (int i = 0; i < 16; ++i) {
    from_lhs &= lanes[i] < 16;
    from_rhs &= lanes[i] >= 16;
    identity &= lanes[i] == i;
  }
  if (identity) {
    move(dst, lhs, ValType::kV128);
    return;
  }
  if (from_lhs || from_rhs || lhs == rhs) {
    uint8_t idx[16];
    for (int i = 0; i < 16; ++i) idx[i] = lanes[i] & 15;
    load_pool(kT1, idx);
    a_.tbl(b16(dst), b16(from_rhs ? rhs : lhs), b16(kT1));
    return;
  }
  a_.mov(b16(kT2), b16(lhs));
  a_.mov(b16(kT1), b16(rhs));
  load_pool(dst.code, lanes);  // dst may be lhs (copied), never rhs
  a_.tbl(b16(dst), b16(kT2), b16(kT1), b16(dst));
}

// ---------------------------------------------------------------------------
// Memory

void A64Masm::simd_load(Opcode op, Reg dst, Reg addr, uint32_t offset, Label oob) {
  switch (op) {
    case O::kV128Load: a_.ldr(a64::v(dst.code).q(), access_mem(addr, offset, 16, oob)); return;
    case O::kV128Load8x8S: case O::kV128Load8x8U: case O::kV128Load16x4S: case O::kV128Load16x4U:
    case O::kV128Load32x2S: case O::kV128Load32x2U: {
      a_.ldr(a64::d(dst.code), access_mem(addr, offset, 8, oob));
      Lanes from = op == O::kV128Load8x8S || op == O::kV128Load8x8U     ? k8
                   : op == O::kV128Load16x4S || op == O::kV128Load16x4U ? k16
                                                                        : k32;
      bool sign = op == O::kV128Load8x8S || op == O::kV128Load16x4S || op == O::kV128Load32x2S;
      if (sign) a_.sxtl(vq(dst, Lanes(from + 1)), vh(dst, from));
      else a_.uxtl(vq(dst, Lanes(from + 1)), vh(dst, from));
      return;
    }
    case O::kV128Load8Splat: a_.ld1r(vq(dst, k8), simd_base(addr, offset, 1, oob)); return;
    case O::kV128Load16Splat: a_.ld1r(vq(dst, k16), simd_base(addr, offset, 2, oob)); return;
    case O::kV128Load32Splat: a_.ld1r(vq(dst, k32), simd_base(addr, offset, 4, oob)); return;
    case O::kV128Load64Splat: a_.ld1r(vq(dst, k64), simd_base(addr, offset, 8, oob)); return;
    // Scalar loads zero the rest of the register.
    case O::kV128Load32Zero: a_.ldr(a64::s(dst.code), access_mem(addr, offset, 4, oob)); return;
    default: a_.ldr(a64::d(dst.code), access_mem(addr, offset, 8, oob)); return;  // v128.load64_zero
  }
}

void A64Masm::simd_store(Reg addr, uint32_t offset, Reg src, Label oob) {
  a_.str(a64::v(src.code).q(), access_mem(addr, offset, 16, oob));
}

namespace {
Lanes lane_access(Opcode op) {
  switch (op) {
    case O::kV128Load8Lane: case O::kV128Store8Lane: return k8;
    case O::kV128Load16Lane: case O::kV128Store16Lane: return k16;
    case O::kV128Load32Lane: case O::kV128Store32Lane: return k32;
    default: return k64;
  }
}
}  // namespace

void A64Masm::simd_load_lane(Opcode op, Reg vec, Reg addr, uint32_t offset, uint8_t i, Label oob) {
  Lanes L = lane_access(op);
  a_.ld1(lane(vec.code, L, i), simd_base(addr, offset, 1u << L, oob));
}

void A64Masm::simd_store_lane(Opcode op, Reg addr, uint32_t offset, Reg src, uint8_t i, Label oob) {
  Lanes L = lane_access(op);
  a_.st1(lane(src.code, L, i), simd_base(addr, offset, 1u << L, oob));
}

}  // namespace brisk::compiler::a64
