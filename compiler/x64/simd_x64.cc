// SIMD instruction selection for X64Masm: SSE4.1 is the floor, AVX's VEX
// forms are used where the CPU has them, SSE4.2's pcmpgtq likewise (with an
// SSE4.1 sequence without it). xmm14 and xmm15 are the masm's scratch.
#include <cstring>

#include "compiler/x64/masm_x64.h"

namespace brisk::compiler::x64 {

namespace x86 = asmjit::x86;
using asmjit::Imm;
using asmjit::InstId;
namespace I = asmjit::x86::Inst;

namespace {

const x86::Xmm kT1 = x86::xmm15;
const x86::Xmm kT2 = x86::xmm14;
const x86::Gp kScratch = x86::r11;

x86::Xmm xmm(Reg r) { return x86::xmm(r.code); }
x86::Gp gpd(Reg r) { return x86::gpd(r.code); }
x86::Gp gpq(Reg r) { return x86::gpq(r.code); }

bool same(const asmjit::Operand& a, const x86::Xmm& b) { return a.isReg() && a.id() == b.id(); }

// Lane width in bits of an i8x16/i16x8/i32x4/i64x2 shift.
uint32_t shift_lane_bits(Opcode op) {
  switch (op) {
    case Opcode::kI8x16Shl: case Opcode::kI8x16ShrS: case Opcode::kI8x16ShrU: return 8;
    case Opcode::kI16x8Shl: case Opcode::kI16x8ShrS: case Opcode::kI16x8ShrU: return 16;
    case Opcode::kI32x4Shl: case Opcode::kI32x4ShrS: case Opcode::kI32x4ShrU: return 32;
    default: return 64;
  }
}

}  // namespace

// ---------------------------------------------------------------------------
// Helpers

void X64Masm::vbin(InstId sse, InstId avx_id, const x86::Xmm& d, const x86::Xmm& l, const asmjit::Operand& r,
                   int imm) {
  if (avx()) {
    if (imm >= 0) a_.emit(avx_id, d, l, r, Imm(imm));
    else a_.emit(avx_id, d, l, r);
    return;
  }
  asmjit::Operand src = r;
  if (d.id() != l.id()) {
    if (same(r, d)) {  // d is the right operand: keep it before d takes l
      a_.movaps(kT1, d);
      src = kT1;
    }
    a_.movaps(d, l);
  }
  if (imm >= 0) a_.emit(sse, d, src, Imm(imm));
  else a_.emit(sse, d, src);
}

void X64Masm::vun(InstId sse, InstId avx_id, const x86::Xmm& d, const asmjit::Operand& s, int imm) {
  InstId id = avx() ? avx_id : sse;
  if (imm >= 0) a_.emit(id, d, s, Imm(imm));
  else a_.emit(id, d, s);
}

void X64Masm::vmove(const x86::Xmm& d, const x86::Xmm& s) {
  if (d.id() != s.id()) a_.movaps(d, s);
}

void X64Masm::vnot(const x86::Xmm& d) {
  a_.pcmpeqd(kT1, kT1);
  a_.pxor(d, kT1);
}

x86::Mem X64Masm::pool(const uint8_t (&bytes)[16]) { return x86::xmmword_ptr(pool_.get(a_, bytes)); }

x86::Mem X64Masm::pool_splat(uint64_t v, int lane_bytes) {
  uint8_t b[16];
  for (int i = 0; i < 16; ++i) b[i] = static_cast<uint8_t>(v >> (8 * (i % lane_bytes)));
  return pool(b);
}

void X64Masm::emit_constants() { pool_.emit(a_); }

x86::Mem X64Masm::simd_mem(Reg addr, uint32_t offset, uint32_t size, Label oob) {
  x86::Mem m = mem_operand(addr, offset, size, oob);
  m.setSize(size);
  if (!explicit_bounds_) record_trap_site(runtime::TrapCode::kMemoryOutOfBounds);
  return m;
}

// ---------------------------------------------------------------------------
// Constants, splats, lanes

void X64Masm::simd_const(Reg dst, const uint8_t (&bytes)[16]) {
  x86::Xmm d = xmm(dst);
  bool zeros = true, ones = true;
  for (uint8_t b : bytes) {
    zeros &= b == 0;
    ones &= b == 0xff;
  }
  if (zeros) a_.pxor(d, d);
  else if (ones) a_.pcmpeqd(d, d);
  else a_.movdqu(d, pool(bytes));
}

void X64Masm::simd_splat(Opcode op, Reg dst, Reg src) {
  x86::Xmm d = xmm(dst);
  switch (op) {
    case Opcode::kI8x16Splat:
      a_.movd(d, gpd(src));
      if (cpu_.has(CpuFeature::kAvx2)) {
        a_.vpbroadcastb(d, d);
      } else {
        a_.pxor(kT1, kT1);
        a_.pshufb(d, kT1);
      }
      return;
    case Opcode::kI16x8Splat:
      a_.movd(d, gpd(src));
      a_.pshuflw(d, d, Imm(0));
      a_.pshufd(d, d, Imm(0));
      return;
    case Opcode::kI32x4Splat:
      a_.movd(d, gpd(src));
      a_.pshufd(d, d, Imm(0));
      return;
    case Opcode::kI64x2Splat:
      a_.movq(d, gpq(src));
      a_.punpcklqdq(d, d);
      return;
    case Opcode::kF32x4Splat:
      vbin(I::kIdShufps, I::kIdVshufps, d, xmm(src), xmm(src), 0);
      return;
    default:  // f64x2.splat
      a_.movddup(d, xmm(src));
      return;
  }
}

void X64Masm::simd_extract_lane(Opcode op, Reg dst, Reg src, uint8_t lane) {
  x86::Xmm s = xmm(src);
  switch (op) {
    case Opcode::kI8x16ExtractLaneS:
      a_.pextrb(gpd(dst), s, Imm(lane));
      a_.movsx(gpd(dst), x86::gpb_lo(dst.code));
      return;
    case Opcode::kI8x16ExtractLaneU:
      a_.pextrb(gpd(dst), s, Imm(lane));
      return;
    case Opcode::kI16x8ExtractLaneS:
      a_.pextrw(gpd(dst), s, Imm(lane));
      a_.movsx(gpd(dst), x86::gpw(dst.code));
      return;
    case Opcode::kI16x8ExtractLaneU:
      a_.pextrw(gpd(dst), s, Imm(lane));
      return;
    case Opcode::kI32x4ExtractLane:
      if (lane == 0) a_.movd(gpd(dst), s);
      else a_.pextrd(gpd(dst), s, Imm(lane));
      return;
    case Opcode::kI64x2ExtractLane:
      if (lane == 0) a_.movq(gpq(dst), s);
      else a_.pextrq(gpq(dst), s, Imm(lane));
      return;
    case Opcode::kF32x4ExtractLane:  // only the low 32 bits of an f32 register matter
      if (lane == 0) vmove(xmm(dst), s);
      else a_.pshufd(xmm(dst), s, Imm(lane));
      return;
    default:  // f64x2.extract_lane
      if (lane == 0) vmove(xmm(dst), s);
      else a_.pshufd(xmm(dst), s, Imm(0xee));
      return;
  }
}

void X64Masm::simd_replace_lane(Opcode op, Reg vec, Reg scalar, uint8_t lane) {
  x86::Xmm v = xmm(vec);
  switch (op) {
    case Opcode::kI8x16ReplaceLane: a_.pinsrb(v, gpd(scalar), Imm(lane)); return;
    case Opcode::kI16x8ReplaceLane: a_.pinsrw(v, gpd(scalar), Imm(lane)); return;
    case Opcode::kI32x4ReplaceLane: a_.pinsrd(v, gpd(scalar), Imm(lane)); return;
    case Opcode::kI64x2ReplaceLane: a_.pinsrq(v, gpq(scalar), Imm(lane)); return;
    case Opcode::kF32x4ReplaceLane: a_.insertps(v, xmm(scalar), Imm(lane << 4)); return;
    default:  // f64x2.replace_lane
      if (lane == 0) a_.movsd(v, xmm(scalar));
      else a_.movlhps(v, xmm(scalar));
      return;
  }
}

void X64Masm::simd_shuffle(Reg dst, Reg lhs, Reg rhs, const uint8_t (&lanes)[16]) {
  x86::Xmm d = xmm(dst), l = xmm(lhs), r = xmm(rhs);
  bool all_l = true, all_r = true;
  for (uint8_t x : lanes) {
    all_l &= x < 16;
    all_r &= x >= 16;
  }
  if (all_l || all_r || lhs == rhs) {
    x86::Xmm src = all_r ? r : l;
    uint8_t idx[16];
    for (int i = 0; i < 16; ++i) idx[i] = lanes[i] & 15;
    // Whole dwords in order: one pshufd.
    bool dwords = true;
    uint32_t imm = 0;
    for (int k = 0; k < 4 && dwords; ++k) {
      uint8_t first = idx[4 * k];
      dwords = first % 4 == 0 && idx[4 * k + 1] == first + 1 && idx[4 * k + 2] == first + 2 &&
               idx[4 * k + 3] == first + 3;
      imm |= static_cast<uint32_t>(first / 4) << (2 * k);
    }
    if (dwords) {
      a_.pshufd(d, src, Imm(imm));
      return;
    }
    vbin(I::kIdPshufb, I::kIdVpshufb, d, src, pool(idx));
    return;
  }
  // Two sources: patterns of one instruction first.
  // Interleaves of the low or high halves, 1 to 8 bytes at a time.
  static const InstId kUnpack[2][4] = {{I::kIdPunpcklbw, I::kIdPunpcklwd, I::kIdPunpckldq, I::kIdPunpcklqdq},
                                       {I::kIdPunpckhbw, I::kIdPunpckhwd, I::kIdPunpckhdq, I::kIdPunpckhqdq}};
  static const InstId kVUnpack[2][4] = {{I::kIdVpunpcklbw, I::kIdVpunpcklwd, I::kIdVpunpckldq, I::kIdVpunpcklqdq},
                                        {I::kIdVpunpckhbw, I::kIdVpunpckhwd, I::kIdVpunpckhdq, I::kIdVpunpckhqdq}};
  for (int high = 0; high < 2; ++high) {
    for (int w = 0; w < 4; ++w) {
      int width = 1 << w;
      bool match = true;
      for (int i = 0; i < 16 && match; ++i) {
        int unit = i / width, byte = i % width;
        int src = unit % 2, pos = unit / 2 + high * (8 / width);
        match = lanes[i] == 16 * src + pos * width + byte;
      }
      if (match) {
        vbin(kUnpack[high][w], kVUnpack[high][w], d, l, r);
        return;
      }
    }
  }
  // A window of the concatenation: palignr.
  bool window = lanes[0] > 0 && lanes[0] < 16;
  for (int i = 1; i < 16 && window; ++i) window = lanes[i] == lanes[0] + i;
  if (window) {
    if (avx()) {
      a_.vpalignr(d, r, l, Imm(lanes[0]));
    } else {
      a_.movaps(kT1, r);
      a_.palignr(kT1, l, Imm(lanes[0]));
      a_.movaps(d, kT1);
    }
    return;
  }
  // Whole dwords, two from each side: shufps.
  int dword[4];
  bool dwords = true;
  for (int k = 0; k < 4 && dwords; ++k) {
    uint8_t first = lanes[4 * k];
    dwords = first % 4 == 0 && lanes[4 * k + 1] == first + 1 && lanes[4 * k + 2] == first + 2 &&
             lanes[4 * k + 3] == first + 3;
    dword[k] = first / 4;
  }
  if (dwords && dword[0] / 4 == dword[1] / 4 && dword[2] / 4 == dword[3] / 4 && dword[0] / 4 != dword[2] / 4) {
    bool low_from_l = dword[0] < 4;
    uint32_t imm = (dword[0] & 3) | (dword[1] & 3) << 2 | (dword[2] & 3) << 4 | (dword[3] & 3) << 6;
    if (low_from_l) vbin(I::kIdShufps, I::kIdVshufps, d, l, r, static_cast<int>(imm));
    else vbin(I::kIdShufps, I::kIdVshufps, d, r, l, static_cast<int>(imm));
    return;
  }
  // Each 16-bit lane in place from one side or the other: pblendw.
  bool blend = true;
  uint32_t from_r_words = 0;
  for (int w = 0; w < 8 && blend; ++w) {
    uint8_t a = lanes[2 * w], b = lanes[2 * w + 1];
    blend = (a == 2 * w && b == 2 * w + 1) || (a == 16 + 2 * w && b == 16 + 2 * w + 1);
    if (a >= 16) from_r_words |= 1u << w;
  }
  if (blend) {
    vbin(I::kIdPblendw, I::kIdVpblendw, d, l, r, static_cast<int>(from_r_words));
    return;
  }
  // Otherwise each pshufb zeroes the lanes the other supplies (index bit 7).
  uint8_t from_l[16], from_r[16];
  for (int i = 0; i < 16; ++i) {
    from_l[i] = lanes[i] < 16 ? lanes[i] : 0x80;
    from_r[i] = lanes[i] >= 16 ? static_cast<uint8_t>(lanes[i] - 16) : 0x80;
  }
  vbin(I::kIdPshufb, I::kIdVpshufb, kT1, r, pool(from_r));  // before d is written (d may be l, never r)
  vbin(I::kIdPshufb, I::kIdVpshufb, d, l, pool(from_l));
  a_.por(d, kT1);
}

// ---------------------------------------------------------------------------
// Memory

void X64Masm::simd_load(Opcode op, Reg dst, Reg addr, uint32_t offset, Label oob) {
  x86::Xmm d = xmm(dst);
  switch (op) {
    case Opcode::kV128Load: a_.movdqu(d, simd_mem(addr, offset, 16, oob)); return;
    case Opcode::kV128Load8x8S: a_.pmovsxbw(d, simd_mem(addr, offset, 8, oob)); return;
    case Opcode::kV128Load8x8U: a_.pmovzxbw(d, simd_mem(addr, offset, 8, oob)); return;
    case Opcode::kV128Load16x4S: a_.pmovsxwd(d, simd_mem(addr, offset, 8, oob)); return;
    case Opcode::kV128Load16x4U: a_.pmovzxwd(d, simd_mem(addr, offset, 8, oob)); return;
    case Opcode::kV128Load32x2S: a_.pmovsxdq(d, simd_mem(addr, offset, 8, oob)); return;
    case Opcode::kV128Load32x2U: a_.pmovzxdq(d, simd_mem(addr, offset, 8, oob)); return;
    case Opcode::kV128Load8Splat:
      if (cpu_.has(CpuFeature::kAvx2)) {
        a_.vpbroadcastb(d, simd_mem(addr, offset, 1, oob));
        return;
      }
      a_.pinsrb(d, simd_mem(addr, offset, 1, oob), Imm(0));
      a_.pxor(kT1, kT1);
      a_.pshufb(d, kT1);
      return;
    case Opcode::kV128Load16Splat:
      a_.pinsrw(d, simd_mem(addr, offset, 2, oob), Imm(0));
      a_.pshuflw(d, d, Imm(0));
      a_.punpcklqdq(d, d);
      return;
    case Opcode::kV128Load32Splat:
      if (avx()) {
        a_.vbroadcastss(d, simd_mem(addr, offset, 4, oob));
        return;
      }
      a_.movss(d, simd_mem(addr, offset, 4, oob));
      a_.shufps(d, d, Imm(0));
      return;
    case Opcode::kV128Load64Splat: a_.movddup(d, simd_mem(addr, offset, 8, oob)); return;
    case Opcode::kV128Load32Zero: a_.movss(d, simd_mem(addr, offset, 4, oob)); return;
    default: a_.movq(d, simd_mem(addr, offset, 8, oob)); return;  // v128.load64_zero
  }
}

void X64Masm::simd_store(Reg addr, uint32_t offset, Reg src, Label oob) {
  a_.movdqu(simd_mem(addr, offset, 16, oob), xmm(src));
}

void X64Masm::simd_load_lane(Opcode op, Reg vec, Reg addr, uint32_t offset, uint8_t lane, Label oob) {
  x86::Xmm v = xmm(vec);
  switch (op) {
    case Opcode::kV128Load8Lane: a_.pinsrb(v, simd_mem(addr, offset, 1, oob), Imm(lane)); return;
    case Opcode::kV128Load16Lane: a_.pinsrw(v, simd_mem(addr, offset, 2, oob), Imm(lane)); return;
    case Opcode::kV128Load32Lane: a_.pinsrd(v, simd_mem(addr, offset, 4, oob), Imm(lane)); return;
    default: a_.pinsrq(v, simd_mem(addr, offset, 8, oob), Imm(lane)); return;
  }
}

void X64Masm::simd_store_lane(Opcode op, Reg addr, uint32_t offset, Reg src, uint8_t lane, Label oob) {
  x86::Xmm s = xmm(src);
  switch (op) {
    case Opcode::kV128Store8Lane: a_.pextrb(simd_mem(addr, offset, 1, oob), s, Imm(lane)); return;
    case Opcode::kV128Store16Lane: a_.pextrw(simd_mem(addr, offset, 2, oob), s, Imm(lane)); return;
    case Opcode::kV128Store32Lane:
      if (lane == 0) a_.movss(simd_mem(addr, offset, 4, oob), s);
      else a_.pextrd(simd_mem(addr, offset, 4, oob), s, Imm(lane));
      return;
    default:
      if (lane == 0) a_.movq(simd_mem(addr, offset, 8, oob), s);
      else a_.movhps(simd_mem(addr, offset, 8, oob), s);
      return;
  }
}

// ---------------------------------------------------------------------------
// Tests (any_true, all_true, bitmask)

void X64Masm::simd_test(Opcode op, Reg dst, Reg src) {
  x86::Xmm s = xmm(src);
  auto all_true = [&](InstId eq) {  // no lane equal to zero
    a_.pxor(kT1, kT1);
    a_.emit(eq, kT1, s);
    a_.ptest(kT1, kT1);
    a_.setz(x86::gpb_lo(dst.code));
    a_.movzx(gpd(dst), x86::gpb_lo(dst.code));
  };
  switch (op) {
    case Opcode::kV128AnyTrue:
      a_.ptest(s, s);
      a_.setnz(x86::gpb_lo(dst.code));
      a_.movzx(gpd(dst), x86::gpb_lo(dst.code));
      return;
    case Opcode::kI8x16AllTrue: all_true(I::kIdPcmpeqb); return;
    case Opcode::kI16x8AllTrue: all_true(I::kIdPcmpeqw); return;
    case Opcode::kI32x4AllTrue: all_true(I::kIdPcmpeqd); return;
    case Opcode::kI64x2AllTrue: all_true(I::kIdPcmpeqq); return;
    case Opcode::kI8x16Bitmask: a_.pmovmskb(gpd(dst), s); return;
    case Opcode::kI16x8Bitmask:  // signed saturation keeps each lane's sign in a byte
      a_.movaps(kT1, s);
      a_.packsswb(kT1, kT1);
      a_.pmovmskb(gpd(dst), kT1);
      a_.shr(gpd(dst), Imm(8));
      return;
    case Opcode::kI32x4Bitmask: a_.movmskps(gpd(dst), s); return;
    default: a_.movmskpd(gpd(dst), s); return;  // i64x2.bitmask
  }
}

// ---------------------------------------------------------------------------
// Bitwise select and shifts

void X64Masm::simd_bitselect(Reg dst, Reg a, Reg b, Reg mask) {
  // (a & m) | (b & ~m) == b ^ ((a ^ b) & m)
  a_.movaps(kT1, xmm(a));
  a_.pxor(kT1, xmm(b));
  a_.pand(kT1, xmm(mask));
  a_.pxor(kT1, xmm(b));
  a_.movaps(xmm(dst), kT1);
}

void X64Masm::simd_shift(Opcode op, Reg dst, Reg src, Operand count) {
  x86::Xmm d = xmm(dst), s = xmm(src);
  uint32_t bits = shift_lane_bits(op);
  uint32_t n = static_cast<uint32_t>(count.imm) & (bits - 1);
  // The count, masked to the lane width (plus `bias`), in kT1 for the
  // register forms.
  auto count_to_t1 = [&](uint32_t bias) {
    a_.mov(kScratch.r32(), gpd(count.reg));
    a_.and_(kScratch.r32(), Imm(bits - 1));
    if (bias) a_.add(kScratch.r32(), Imm(bias));
    a_.movd(kT1, kScratch.r32());
  };
  auto shift = [&](InstId sse, InstId avx_id) {
    if (count.is_imm) {
      if (avx()) {
        a_.emit(avx_id, d, s, Imm(n));
      } else {
        vmove(d, s);
        a_.emit(sse, d, Imm(n));
      }
      return;
    }
    count_to_t1(0);
    vbin(sse, avx_id, d, s, kT1);
  };
  switch (op) {
    case Opcode::kI16x8Shl: shift(I::kIdPsllw, I::kIdVpsllw); return;
    case Opcode::kI16x8ShrS: shift(I::kIdPsraw, I::kIdVpsraw); return;
    case Opcode::kI16x8ShrU: shift(I::kIdPsrlw, I::kIdVpsrlw); return;
    case Opcode::kI32x4Shl: shift(I::kIdPslld, I::kIdVpslld); return;
    case Opcode::kI32x4ShrS: shift(I::kIdPsrad, I::kIdVpsrad); return;
    case Opcode::kI32x4ShrU: shift(I::kIdPsrld, I::kIdVpsrld); return;
    case Opcode::kI64x2Shl: shift(I::kIdPsllq, I::kIdVpsllq); return;
    case Opcode::kI64x2ShrU: shift(I::kIdPsrlq, I::kIdVpsrlq); return;
    case Opcode::kI64x2ShrS: {
      // No 64-bit arithmetic shift before AVX-512: with t = sign bit >> n,
      // x >>s n == ((x >>u n) ^ t) - t.
      a_.movdqu(kT2, pool_splat(uint64_t{1} << 63, 8));
      if (count.is_imm) {
        a_.psrlq(kT2, Imm(n));
        vmove(d, s);
        a_.psrlq(d, Imm(n));
      } else {
        count_to_t1(0);
        a_.psrlq(kT2, kT1);
        vmove(d, s);
        a_.psrlq(d, kT1);
      }
      a_.pxor(d, kT2);
      a_.psubq(d, kT2);
      return;
    }
    case Opcode::kI8x16Shl:
    case Opcode::kI8x16ShrU: {
      // Shift 16-bit lanes, then clear the bits that crossed into each byte.
      bool left = op == Opcode::kI8x16Shl;
      if (count.is_imm) {
        vmove(d, s);
        if (left) a_.psllw(d, Imm(n));
        else a_.psrlw(d, Imm(n));
        a_.pand(d, pool_splat(left ? (0xffu << n) & 0xff : 0xffu >> n, 1));
        return;
      }
      count_to_t1(0);
      a_.pcmpeqd(kT2, kT2);  // 0x00ff in every word, shifted: the byte mask in byte 0
      a_.psrlw(kT2, Imm(8));
      if (left) a_.psllw(kT2, kT1);
      else a_.psrlw(kT2, kT1);
      a_.punpcklbw(kT2, kT2);
      a_.pshuflw(kT2, kT2, Imm(0));
      a_.pshufd(kT2, kT2, Imm(0));
      vmove(d, s);
      if (left) a_.psllw(d, kT1);
      else a_.psrlw(d, kT1);
      a_.pand(d, kT2);
      return;
    }
    default: {  // i8x16.shr_s: each byte sign-extended into a word, shifted by 8 more, packed
      if (count.is_imm && n == 7) {  // each byte's sign: 0 > x
        x86::Xmm v = s;
        if (d.id() == s.id()) {
          a_.movaps(kT1, s);
          v = kT1;
        }
        a_.pxor(d, d);
        a_.pcmpgtb(d, v);
        return;
      }
      a_.movaps(kT2, s);
      a_.punpckhbw(kT2, kT2);
      vmove(d, s);
      a_.punpcklbw(d, d);
      if (count.is_imm) {
        a_.psraw(kT2, Imm(n + 8));
        a_.psraw(d, Imm(n + 8));
      } else {
        count_to_t1(8);
        a_.psraw(kT2, kT1);
        a_.psraw(d, kT1);
      }
      a_.packsswb(d, kT2);
      return;
    }
  }
}

// ---------------------------------------------------------------------------
// Unary operators and conversions

void X64Masm::simd_unop(Opcode op, Reg dst, Reg src) {
  x86::Xmm d = xmm(dst), s = xmm(src);
  auto neg = [&](InstId sub) {  // 0 - s
    x86::Xmm v = s;
    if (d.id() == s.id()) {
      a_.movaps(kT1, s);
      v = kT1;
    }
    a_.pxor(d, d);
    a_.emit(sub, d, v);
  };
  auto mask = [&](InstId sse, InstId avx_id, uint64_t bits, int lane_bytes) {
    vbin(sse, avx_id, d, s, pool_splat(bits, lane_bytes));
  };
  auto high_half = [&](InstId ext) {  // extend the high 64 bits
    a_.pshufd(d, s, Imm(0xee));
    a_.emit(ext, d, d);
  };
  auto high_half_u = [&](InstId unpack) {  // interleave with zeros
    a_.pxor(kT1, kT1);
    vmove(d, s);
    a_.emit(unpack, d, kT1);
  };
  switch (op) {
    case Opcode::kV128Not:
      a_.pcmpeqd(kT1, kT1);
      vbin(I::kIdPxor, I::kIdVpxor, d, s, kT1);
      return;
    case Opcode::kI8x16Abs: vun(I::kIdPabsb, I::kIdVpabsb, d, s); return;
    case Opcode::kI16x8Abs: vun(I::kIdPabsw, I::kIdVpabsw, d, s); return;
    case Opcode::kI32x4Abs: vun(I::kIdPabsd, I::kIdVpabsd, d, s); return;
    case Opcode::kI64x2Abs:  // (s ^ sign) - sign, the sign from each lane's high dword
      a_.pshufd(kT1, s, Imm(0xf5));
      a_.psrad(kT1, Imm(31));
      vmove(d, s);
      a_.pxor(d, kT1);
      a_.psubq(d, kT1);
      return;
    case Opcode::kI8x16Neg: neg(I::kIdPsubb); return;
    case Opcode::kI16x8Neg: neg(I::kIdPsubw); return;
    case Opcode::kI32x4Neg: neg(I::kIdPsubd); return;
    case Opcode::kI64x2Neg: neg(I::kIdPsubq); return;
    case Opcode::kI8x16Popcnt:
      // Each nibble's count from a 16-entry table (pshufb), summed.
      a_.movaps(kT2, s);
      a_.psrlw(kT2, Imm(4));
      a_.pand(kT2, pool_splat(0x0f, 1));  // high nibbles
      vmove(d, s);
      a_.pand(d, pool_splat(0x0f, 1));  // low nibbles
      {
        static const uint8_t kCounts[16] = {0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4};
        x86::Mem table = pool(kCounts);
        a_.movdqu(kT1, table);
        a_.pshufb(kT1, d);
        a_.movdqu(d, table);
        a_.pshufb(d, kT2);
      }
      a_.paddb(d, kT1);
      return;
    case Opcode::kF32x4Abs: mask(I::kIdAndps, I::kIdVandps, 0x7fffffffu, 4); return;
    case Opcode::kF32x4Neg: mask(I::kIdXorps, I::kIdVxorps, 0x80000000u, 4); return;
    case Opcode::kF64x2Abs: mask(I::kIdAndpd, I::kIdVandpd, 0x7fffffffffffffffu, 8); return;
    case Opcode::kF64x2Neg: mask(I::kIdXorpd, I::kIdVxorpd, 0x8000000000000000u, 8); return;
    case Opcode::kF32x4Sqrt: vun(I::kIdSqrtps, I::kIdVsqrtps, d, s); return;
    case Opcode::kF64x2Sqrt: vun(I::kIdSqrtpd, I::kIdVsqrtpd, d, s); return;
    // roundps/pd modes: 0 nearest even, 1 down, 2 up, 3 toward zero; 8 keeps
    // the precision exception quiet.
    case Opcode::kF32x4Ceil: vun(I::kIdRoundps, I::kIdVroundps, d, s, 10); return;
    case Opcode::kF32x4Floor: vun(I::kIdRoundps, I::kIdVroundps, d, s, 9); return;
    case Opcode::kF32x4Trunc: vun(I::kIdRoundps, I::kIdVroundps, d, s, 11); return;
    case Opcode::kF32x4Nearest: vun(I::kIdRoundps, I::kIdVroundps, d, s, 8); return;
    case Opcode::kF64x2Ceil: vun(I::kIdRoundpd, I::kIdVroundpd, d, s, 10); return;
    case Opcode::kF64x2Floor: vun(I::kIdRoundpd, I::kIdVroundpd, d, s, 9); return;
    case Opcode::kF64x2Trunc: vun(I::kIdRoundpd, I::kIdVroundpd, d, s, 11); return;
    case Opcode::kF64x2Nearest: vun(I::kIdRoundpd, I::kIdVroundpd, d, s, 8); return;
    case Opcode::kI16x8ExtendLowI8x16S: vun(I::kIdPmovsxbw, I::kIdVpmovsxbw, d, s); return;
    case Opcode::kI16x8ExtendLowI8x16U: vun(I::kIdPmovzxbw, I::kIdVpmovzxbw, d, s); return;
    case Opcode::kI32x4ExtendLowI16x8S: vun(I::kIdPmovsxwd, I::kIdVpmovsxwd, d, s); return;
    case Opcode::kI32x4ExtendLowI16x8U: vun(I::kIdPmovzxwd, I::kIdVpmovzxwd, d, s); return;
    case Opcode::kI64x2ExtendLowI32x4S: vun(I::kIdPmovsxdq, I::kIdVpmovsxdq, d, s); return;
    case Opcode::kI64x2ExtendLowI32x4U: vun(I::kIdPmovzxdq, I::kIdVpmovzxdq, d, s); return;
    case Opcode::kI16x8ExtendHighI8x16S: high_half(I::kIdPmovsxbw); return;
    case Opcode::kI32x4ExtendHighI16x8S: high_half(I::kIdPmovsxwd); return;
    case Opcode::kI64x2ExtendHighI32x4S: high_half(I::kIdPmovsxdq); return;
    case Opcode::kI16x8ExtendHighI8x16U: high_half_u(I::kIdPunpckhbw); return;
    case Opcode::kI32x4ExtendHighI16x8U: high_half_u(I::kIdPunpckhwd); return;
    case Opcode::kI64x2ExtendHighI32x4U: high_half_u(I::kIdPunpckhdq); return;
    case Opcode::kI16x8ExtaddPairwiseI8x16S:  // pmaddubsw(unsigned ones, signed s)
      a_.movdqu(kT1, pool_splat(1, 1));
      a_.pmaddubsw(kT1, s);
      a_.movaps(d, kT1);
      return;
    case Opcode::kI16x8ExtaddPairwiseI8x16U:  // pmaddubsw(unsigned s, signed ones)
      vbin(I::kIdPmaddubsw, I::kIdVpmaddubsw, d, s, pool_splat(1, 1));
      return;
    case Opcode::kI32x4ExtaddPairwiseI16x8S:
      vbin(I::kIdPmaddwd, I::kIdVpmaddwd, d, s, pool_splat(1, 2));
      return;
    case Opcode::kI32x4ExtaddPairwiseI16x8U:
      // Biased to signed (x - 0x8000), summed in pairs, the bias 2 * 0x8000 added back.
      vbin(I::kIdPxor, I::kIdVpxor, d, s, pool_splat(0x8000, 2));
      a_.pmaddwd(d, pool_splat(1, 2));
      a_.paddd(d, pool_splat(0x10000, 4));
      return;
    default:
      simd_convert(op, d, s);
      return;
  }
}

void X64Masm::zero_nans(bool pd, const x86::Xmm& d, const x86::Xmm& s) {
  a_.movaps(kT1, s);
  a_.emit(pd ? I::kIdCmppd : I::kIdCmpps, kT1, kT1, Imm(0));  // ordered: not NaN
  vbin(pd ? I::kIdAndpd : I::kIdAndps, pd ? I::kIdVandpd : I::kIdVandps, d, s, kT1);
}

void X64Masm::simd_convert(Opcode op, const x86::Xmm& d, const x86::Xmm& s) {
  switch (op) {
    case Opcode::kF32x4DemoteF64x2Zero: vun(I::kIdCvtpd2ps, I::kIdVcvtpd2ps, d, s); return;
    case Opcode::kF64x2PromoteLowF32x4: vun(I::kIdCvtps2pd, I::kIdVcvtps2pd, d, s); return;
    case Opcode::kF32x4ConvertI32x4S: vun(I::kIdCvtdq2ps, I::kIdVcvtdq2ps, d, s); return;
    case Opcode::kF64x2ConvertLowI32x4S: vun(I::kIdCvtdq2pd, I::kIdVcvtdq2pd, d, s); return;
    case Opcode::kF32x4ConvertI32x4U:
      // Low 16 bits and the rest converted apart (both exact; the rest
      // halved to stay positive, then doubled), one rounding in the sum.
      a_.movaps(kT1, s);
      a_.pslld(kT1, Imm(16));
      a_.psrld(kT1, Imm(16));
      vbin(I::kIdPsubd, I::kIdVpsubd, d, s, kT1);
      a_.cvtdq2ps(kT1, kT1);
      a_.psrld(d, Imm(1));
      a_.cvtdq2ps(d, d);
      a_.addps(d, d);
      a_.addps(d, kT1);
      return;
    case Opcode::kI32x4TruncSatF32x4S:
      // cvttps2dq gives 0x80000000 for NaN and out of range: NaN lanes are
      // zeroed first, and lanes positive before and negative after flipped
      // to INT32_MAX.
      zero_nans(false, d, s);
      a_.pxor(kT1, d);  // sign of kT1: was not negative
      a_.cvttps2dq(d, d);
      a_.pand(kT1, d);
      a_.psrad(kT1, Imm(31));
      a_.pxor(d, kT1);
      return;
    case Opcode::kI32x4TruncSatF32x4U:
      // NaN and negatives to 0; lanes of 2^31 and more converted as x - 2^31
      // and added to 0x80000000; 2^32 and more saturate.
      a_.pxor(kT1, kT1);
      vbin(I::kIdMaxps, I::kIdVmaxps, d, s, kT1);
      a_.movdqu(kT2, pool_splat(0x4f000000u, 4));  // 2^31
      a_.movaps(kT1, d);
      a_.subps(kT1, kT2);
      a_.cmpps(kT2, kT1, Imm(2));  // 2^31 <= x - 2^31: saturates
      a_.cvttps2dq(kT1, kT1);
      a_.pxor(kT1, kT2);
      a_.pxor(kT2, kT2);
      a_.pmaxsd(kT1, kT2);
      a_.cvttps2dq(d, d);
      a_.paddd(d, kT1);
      return;
    case Opcode::kI32x4TruncSatF64x2SZero:
      zero_nans(true, d, s);
      a_.minpd(d, pool_splat(0x41dfffffffc00000u, 8));  // 2147483647.0
      a_.cvttpd2dq(d, d);
      return;
    case Opcode::kI32x4TruncSatF64x2UZero:
      // Clamped to [0, 2^32 - 1], truncated, then 2^52 added: each lane's
      // low 32 bits are the integer.
      a_.pxor(kT1, kT1);
      vbin(I::kIdMaxpd, I::kIdVmaxpd, d, s, kT1);
      a_.minpd(d, pool_splat(0x41efffffffe00000u, 8));  // 4294967295.0
      a_.roundpd(d, d, Imm(11));
      a_.addpd(d, pool_splat(0x4330000000000000u, 8));  // 2^52
      a_.shufps(d, kT1, Imm(0x88));
      return;
    default:  // f64x2.convert_low_i32x4_u: 2^52 + x exactly, less 2^52
      vbin(I::kIdUnpcklps, I::kIdVunpcklps, d, s, pool_splat(0x43300000u, 4));
      a_.subpd(d, pool_splat(0x4330000000000000u, 8));
      return;
  }
}

// ---------------------------------------------------------------------------
// Binary operators

void X64Masm::i64x2_gt(const x86::Xmm& d, const x86::Xmm& a, const x86::Xmm& b) {
  if (cpu_.has(CpuFeature::kSse42)) {
    vbin(I::kIdPcmpgtq, I::kIdVpcmpgtq, d, a, b);
    return;
  }
  // Per lane: high dwords greater, or equal and b - a negative (a's low
  // dword above b's, unsigned); the answer in the high dwords, copied down.
  a_.movaps(kT2, b);
  a_.psubq(kT2, a);
  a_.movaps(kT1, a);
  a_.pcmpeqd(kT1, b);
  a_.pand(kT2, kT1);
  a_.movaps(kT1, a);
  a_.pcmpgtd(kT1, b);
  a_.por(kT2, kT1);
  a_.movshdup(d, kT2);
}

void X64Masm::float_minmax(bool pd, bool max, const x86::Xmm& d, const x86::Xmm& l, const x86::Xmm& r) {
  // minps/maxps return their second operand for NaNs and for two zeros:
  // both orders, combined, give Wasm's NaN propagation and -0 < +0; NaN
  // lanes then lose their payload (canonical NaN).
  InstId op = pd ? (max ? I::kIdMaxpd : I::kIdMinpd) : (max ? I::kIdMaxps : I::kIdMinps);
  a_.movaps(kT1, l);
  a_.emit(op, kT1, r);
  a_.movaps(kT2, r);
  a_.emit(op, kT2, l);
  if (max) {
    a_.xorps(kT1, kT2);  // where the orders disagree: signed zeros, NaNs
    a_.orps(kT2, kT1);
    a_.emit(pd ? I::kIdSubpd : I::kIdSubps, kT2, kT1);  // +0 for a zero pair, NaNs quieted
    a_.movaps(kT1, kT2);
  } else {
    a_.orps(kT1, kT2);  // -0 for a zero pair, NaN if either is
  }
  a_.movaps(kT2, kT1);
  a_.emit(pd ? I::kIdCmppd : I::kIdCmpps, kT2, kT1, Imm(3));  // unordered: NaN lanes
  a_.orps(kT1, kT2);
  if (pd) a_.psrlq(kT2, Imm(13));
  else a_.psrld(kT2, Imm(10));
  a_.andnps(kT2, kT1);  // sign, exponent and quiet bit kept, payload cleared
  a_.movaps(d, kT2);
}

void X64Masm::simd_extmul(Opcode op, const x86::Xmm& d, const x86::Xmm& l, const x86::Xmm& r) {
  switch (op) {
    case Opcode::kI16x8ExtmulLowI8x16S: case Opcode::kI16x8ExtmulHighI8x16S:
    case Opcode::kI16x8ExtmulLowI8x16U: case Opcode::kI16x8ExtmulHighI8x16U: {
      bool high = op == Opcode::kI16x8ExtmulHighI8x16S || op == Opcode::kI16x8ExtmulHighI8x16U;
      bool sign = op == Opcode::kI16x8ExtmulLowI8x16S || op == Opcode::kI16x8ExtmulHighI8x16S;
      InstId ext = sign ? I::kIdPmovsxbw : I::kIdPmovzxbw;
      if (high) {
        a_.pshufd(kT1, r, Imm(0xee));
        a_.emit(ext, kT1, kT1);
        a_.pshufd(d, l, Imm(0xee));
        a_.emit(ext, d, d);
      } else {
        a_.emit(ext, kT1, r);
        a_.emit(ext, d, l);
      }
      a_.pmullw(d, kT1);
      return;
    }
    case Opcode::kI32x4ExtmulLowI16x8S: case Opcode::kI32x4ExtmulHighI16x8S:
    case Opcode::kI32x4ExtmulLowI16x8U: case Opcode::kI32x4ExtmulHighI16x8U: {
      bool high = op == Opcode::kI32x4ExtmulHighI16x8S || op == Opcode::kI32x4ExtmulHighI16x8U;
      bool sign = op == Opcode::kI32x4ExtmulLowI16x8S || op == Opcode::kI32x4ExtmulHighI16x8S;
      // Low and high halves of the 32-bit products, interleaved.
      a_.movaps(kT1, l);
      a_.pmullw(kT1, r);
      a_.movaps(kT2, l);
      a_.emit(sign ? I::kIdPmulhw : I::kIdPmulhuw, kT2, r);
      a_.emit(high ? I::kIdPunpckhwd : I::kIdPunpcklwd, kT1, kT2);
      a_.movaps(d, kT1);
      return;
    }
    default: {  // i64x2.extmul_*_i32x4: pmuldq/pmuludq multiply dwords 0 and 2
      bool high = op == Opcode::kI64x2ExtmulHighI32x4S || op == Opcode::kI64x2ExtmulHighI32x4U;
      bool sign = op == Opcode::kI64x2ExtmulLowI32x4S || op == Opcode::kI64x2ExtmulHighI32x4S;
      uint32_t pick = high ? 0xfa : 0x50;  // dwords 2,2,3,3 or 0,0,1,1
      a_.pshufd(kT1, l, Imm(pick));
      a_.pshufd(kT2, r, Imm(pick));
      a_.emit(sign ? I::kIdPmuldq : I::kIdPmuludq, kT1, kT2);
      a_.movaps(d, kT1);
      return;
    }
  }
}

void X64Masm::simd_binop(Opcode op, Reg dst, Reg lhs, Reg rhs) {
  x86::Xmm d = xmm(dst), l = xmm(lhs), r = xmm(rhs);
  auto op2 = [&](InstId sse, InstId avx_id) { vbin(sse, avx_id, d, l, r); };
  auto swapped = [&](InstId sse, InstId avx_id) { vbin(sse, avx_id, d, r, l); };
  auto negated = [&](InstId sse, InstId avx_id) {
    vbin(sse, avx_id, d, l, r);
    vnot(d);
  };
  // a <= b as min(a, b) == a, a >= b as max(a, b) == a (optionally negated).
  auto via_minmax = [&](InstId mm, InstId mm_avx, InstId eq, InstId eq_avx, bool negate) {
    vbin(mm, mm_avx, kT2, l, r);
    vbin(eq, eq_avx, d, l, kT2);
    if (negate) vnot(d);
  };
  auto fcmp = [&](bool pd, int pred, bool swap) {
    InstId sse = pd ? I::kIdCmppd : I::kIdCmpps, avx_id = pd ? I::kIdVcmppd : I::kIdVcmpps;
    if (swap) vbin(sse, avx_id, d, r, l, pred);
    else vbin(sse, avx_id, d, l, r, pred);
  };
  switch (op) {
    case Opcode::kV128And: return op2(I::kIdPand, I::kIdVpand);
    case Opcode::kV128Or: return op2(I::kIdPor, I::kIdVpor);
    case Opcode::kV128Xor: return op2(I::kIdPxor, I::kIdVpxor);
    case Opcode::kV128Andnot: return swapped(I::kIdPandn, I::kIdVpandn);  // ~r & l
    case Opcode::kI8x16Add: return op2(I::kIdPaddb, I::kIdVpaddb);
    case Opcode::kI8x16AddSatS: return op2(I::kIdPaddsb, I::kIdVpaddsb);
    case Opcode::kI8x16AddSatU: return op2(I::kIdPaddusb, I::kIdVpaddusb);
    case Opcode::kI8x16Sub: return op2(I::kIdPsubb, I::kIdVpsubb);
    case Opcode::kI8x16SubSatS: return op2(I::kIdPsubsb, I::kIdVpsubsb);
    case Opcode::kI8x16SubSatU: return op2(I::kIdPsubusb, I::kIdVpsubusb);
    case Opcode::kI8x16MinS: return op2(I::kIdPminsb, I::kIdVpminsb);
    case Opcode::kI8x16MinU: return op2(I::kIdPminub, I::kIdVpminub);
    case Opcode::kI8x16MaxS: return op2(I::kIdPmaxsb, I::kIdVpmaxsb);
    case Opcode::kI8x16MaxU: return op2(I::kIdPmaxub, I::kIdVpmaxub);
    case Opcode::kI8x16AvgrU: return op2(I::kIdPavgb, I::kIdVpavgb);
    case Opcode::kI8x16NarrowI16x8S: return op2(I::kIdPacksswb, I::kIdVpacksswb);
    case Opcode::kI8x16NarrowI16x8U: return op2(I::kIdPackuswb, I::kIdVpackuswb);
    case Opcode::kI8x16Eq: return op2(I::kIdPcmpeqb, I::kIdVpcmpeqb);
    case Opcode::kI8x16Ne: return negated(I::kIdPcmpeqb, I::kIdVpcmpeqb);
    case Opcode::kI8x16GtS: return op2(I::kIdPcmpgtb, I::kIdVpcmpgtb);
    case Opcode::kI8x16LtS: return swapped(I::kIdPcmpgtb, I::kIdVpcmpgtb);
    case Opcode::kI8x16LeS: return via_minmax(I::kIdPminsb, I::kIdVpminsb, I::kIdPcmpeqb, I::kIdVpcmpeqb, false);
    case Opcode::kI8x16GeS: return via_minmax(I::kIdPmaxsb, I::kIdVpmaxsb, I::kIdPcmpeqb, I::kIdVpcmpeqb, false);
    case Opcode::kI8x16LeU: return via_minmax(I::kIdPminub, I::kIdVpminub, I::kIdPcmpeqb, I::kIdVpcmpeqb, false);
    case Opcode::kI8x16GeU: return via_minmax(I::kIdPmaxub, I::kIdVpmaxub, I::kIdPcmpeqb, I::kIdVpcmpeqb, false);
    case Opcode::kI8x16GtU: return via_minmax(I::kIdPminub, I::kIdVpminub, I::kIdPcmpeqb, I::kIdVpcmpeqb, true);
    case Opcode::kI8x16LtU: return via_minmax(I::kIdPmaxub, I::kIdVpmaxub, I::kIdPcmpeqb, I::kIdVpcmpeqb, true);
    case Opcode::kI8x16Swizzle:
      // Indices of 16 and more select 0: saturating + 0x70 sets their bit 7.
      vbin(I::kIdPaddusb, I::kIdVpaddusb, kT1, r, pool_splat(0x70, 1));
      vbin(I::kIdPshufb, I::kIdVpshufb, d, l, kT1);
      return;
    case Opcode::kI16x8Add: return op2(I::kIdPaddw, I::kIdVpaddw);
    case Opcode::kI16x8AddSatS: return op2(I::kIdPaddsw, I::kIdVpaddsw);
    case Opcode::kI16x8AddSatU: return op2(I::kIdPaddusw, I::kIdVpaddusw);
    case Opcode::kI16x8Sub: return op2(I::kIdPsubw, I::kIdVpsubw);
    case Opcode::kI16x8SubSatS: return op2(I::kIdPsubsw, I::kIdVpsubsw);
    case Opcode::kI16x8SubSatU: return op2(I::kIdPsubusw, I::kIdVpsubusw);
    case Opcode::kI16x8Mul: return op2(I::kIdPmullw, I::kIdVpmullw);
    case Opcode::kI16x8MinS: return op2(I::kIdPminsw, I::kIdVpminsw);
    case Opcode::kI16x8MinU: return op2(I::kIdPminuw, I::kIdVpminuw);
    case Opcode::kI16x8MaxS: return op2(I::kIdPmaxsw, I::kIdVpmaxsw);
    case Opcode::kI16x8MaxU: return op2(I::kIdPmaxuw, I::kIdVpmaxuw);
    case Opcode::kI16x8AvgrU: return op2(I::kIdPavgw, I::kIdVpavgw);
    case Opcode::kI16x8NarrowI32x4S: return op2(I::kIdPackssdw, I::kIdVpackssdw);
    case Opcode::kI16x8NarrowI32x4U: return op2(I::kIdPackusdw, I::kIdVpackusdw);
    case Opcode::kI16x8Eq: return op2(I::kIdPcmpeqw, I::kIdVpcmpeqw);
    case Opcode::kI16x8Ne: return negated(I::kIdPcmpeqw, I::kIdVpcmpeqw);
    case Opcode::kI16x8GtS: return op2(I::kIdPcmpgtw, I::kIdVpcmpgtw);
    case Opcode::kI16x8LtS: return swapped(I::kIdPcmpgtw, I::kIdVpcmpgtw);
    case Opcode::kI16x8LeS: return via_minmax(I::kIdPminsw, I::kIdVpminsw, I::kIdPcmpeqw, I::kIdVpcmpeqw, false);
    case Opcode::kI16x8GeS: return via_minmax(I::kIdPmaxsw, I::kIdVpmaxsw, I::kIdPcmpeqw, I::kIdVpcmpeqw, false);
    case Opcode::kI16x8LeU: return via_minmax(I::kIdPminuw, I::kIdVpminuw, I::kIdPcmpeqw, I::kIdVpcmpeqw, false);
    case Opcode::kI16x8GeU: return via_minmax(I::kIdPmaxuw, I::kIdVpmaxuw, I::kIdPcmpeqw, I::kIdVpcmpeqw, false);
    case Opcode::kI16x8GtU: return via_minmax(I::kIdPminuw, I::kIdVpminuw, I::kIdPcmpeqw, I::kIdVpcmpeqw, true);
    case Opcode::kI16x8LtU: return via_minmax(I::kIdPmaxuw, I::kIdVpmaxuw, I::kIdPcmpeqw, I::kIdVpcmpeqw, true);
    case Opcode::kI16x8Q15mulrSatS:
      // pmulhrsw is the operation but for 0x8000 * 0x8000, which must saturate.
      op2(I::kIdPmulhrsw, I::kIdVpmulhrsw);
      a_.movdqu(kT1, pool_splat(0x8000, 2));
      a_.pcmpeqw(kT1, d);
      a_.pxor(d, kT1);
      return;
    case Opcode::kI32x4Add: return op2(I::kIdPaddd, I::kIdVpaddd);
    case Opcode::kI32x4Sub: return op2(I::kIdPsubd, I::kIdVpsubd);
    case Opcode::kI32x4Mul: return op2(I::kIdPmulld, I::kIdVpmulld);
    case Opcode::kI32x4MinS: return op2(I::kIdPminsd, I::kIdVpminsd);
    case Opcode::kI32x4MinU: return op2(I::kIdPminud, I::kIdVpminud);
    case Opcode::kI32x4MaxS: return op2(I::kIdPmaxsd, I::kIdVpmaxsd);
    case Opcode::kI32x4MaxU: return op2(I::kIdPmaxud, I::kIdVpmaxud);
    case Opcode::kI32x4DotI16x8S: return op2(I::kIdPmaddwd, I::kIdVpmaddwd);
    case Opcode::kI32x4Eq: return op2(I::kIdPcmpeqd, I::kIdVpcmpeqd);
    case Opcode::kI32x4Ne: return negated(I::kIdPcmpeqd, I::kIdVpcmpeqd);
    case Opcode::kI32x4GtS: return op2(I::kIdPcmpgtd, I::kIdVpcmpgtd);
    case Opcode::kI32x4LtS: return swapped(I::kIdPcmpgtd, I::kIdVpcmpgtd);
    case Opcode::kI32x4LeS: return via_minmax(I::kIdPminsd, I::kIdVpminsd, I::kIdPcmpeqd, I::kIdVpcmpeqd, false);
    case Opcode::kI32x4GeS: return via_minmax(I::kIdPmaxsd, I::kIdVpmaxsd, I::kIdPcmpeqd, I::kIdVpcmpeqd, false);
    case Opcode::kI32x4LeU: return via_minmax(I::kIdPminud, I::kIdVpminud, I::kIdPcmpeqd, I::kIdVpcmpeqd, false);
    case Opcode::kI32x4GeU: return via_minmax(I::kIdPmaxud, I::kIdVpmaxud, I::kIdPcmpeqd, I::kIdVpcmpeqd, false);
    case Opcode::kI32x4GtU: return via_minmax(I::kIdPminud, I::kIdVpminud, I::kIdPcmpeqd, I::kIdVpcmpeqd, true);
    case Opcode::kI32x4LtU: return via_minmax(I::kIdPmaxud, I::kIdVpmaxud, I::kIdPcmpeqd, I::kIdVpcmpeqd, true);
    case Opcode::kI64x2Add: return op2(I::kIdPaddq, I::kIdVpaddq);
    case Opcode::kI64x2Sub: return op2(I::kIdPsubq, I::kIdVpsubq);
    case Opcode::kI64x2Eq: return op2(I::kIdPcmpeqq, I::kIdVpcmpeqq);
    case Opcode::kI64x2Ne: return negated(I::kIdPcmpeqq, I::kIdVpcmpeqq);
    case Opcode::kI64x2GtS: return i64x2_gt(d, l, r);
    case Opcode::kI64x2LtS: return i64x2_gt(d, r, l);
    case Opcode::kI64x2LeS: i64x2_gt(d, l, r); return vnot(d);
    case Opcode::kI64x2GeS: i64x2_gt(d, r, l); return vnot(d);
    case Opcode::kI64x2Mul:
      // lo*lo + ((hi(l)*lo(r) + lo(l)*hi(r)) << 32), from 32x32->64 multiplies.
      a_.movaps(kT1, l);
      a_.psrlq(kT1, Imm(32));
      a_.pmuludq(kT1, r);
      a_.movaps(kT2, r);
      a_.psrlq(kT2, Imm(32));
      a_.pmuludq(kT2, l);
      a_.paddq(kT1, kT2);
      a_.psllq(kT1, Imm(32));
      vbin(I::kIdPmuludq, I::kIdVpmuludq, d, l, r);
      a_.paddq(d, kT1);
      return;
    case Opcode::kF32x4Add: return op2(I::kIdAddps, I::kIdVaddps);
    case Opcode::kF32x4Sub: return op2(I::kIdSubps, I::kIdVsubps);
    case Opcode::kF32x4Mul: return op2(I::kIdMulps, I::kIdVmulps);
    case Opcode::kF32x4Div: return op2(I::kIdDivps, I::kIdVdivps);
    case Opcode::kF32x4Min: return float_minmax(false, false, d, l, r);
    case Opcode::kF32x4Max: return float_minmax(false, true, d, l, r);
    case Opcode::kF32x4Pmin: return swapped(I::kIdMinps, I::kIdVminps);  // r < l ? r : l
    case Opcode::kF32x4Pmax: return swapped(I::kIdMaxps, I::kIdVmaxps);  // l < r ? r : l
    case Opcode::kF64x2Add: return op2(I::kIdAddpd, I::kIdVaddpd);
    case Opcode::kF64x2Sub: return op2(I::kIdSubpd, I::kIdVsubpd);
    case Opcode::kF64x2Mul: return op2(I::kIdMulpd, I::kIdVmulpd);
    case Opcode::kF64x2Div: return op2(I::kIdDivpd, I::kIdVdivpd);
    case Opcode::kF64x2Min: return float_minmax(true, false, d, l, r);
    case Opcode::kF64x2Max: return float_minmax(true, true, d, l, r);
    case Opcode::kF64x2Pmin: return swapped(I::kIdMinpd, I::kIdVminpd);
    case Opcode::kF64x2Pmax: return swapped(I::kIdMaxpd, I::kIdVmaxpd);
    // cmpps predicates: 0 eq, 1 lt, 2 le, 4 neq (true for NaN); gt/ge swap.
    case Opcode::kF32x4Eq: return fcmp(false, 0, false);
    case Opcode::kF32x4Ne: return fcmp(false, 4, false);
    case Opcode::kF32x4Lt: return fcmp(false, 1, false);
    case Opcode::kF32x4Le: return fcmp(false, 2, false);
    case Opcode::kF32x4Gt: return fcmp(false, 1, true);
    case Opcode::kF32x4Ge: return fcmp(false, 2, true);
    case Opcode::kF64x2Eq: return fcmp(true, 0, false);
    case Opcode::kF64x2Ne: return fcmp(true, 4, false);
    case Opcode::kF64x2Lt: return fcmp(true, 1, false);
    case Opcode::kF64x2Le: return fcmp(true, 2, false);
    case Opcode::kF64x2Gt: return fcmp(true, 1, true);
    case Opcode::kF64x2Ge: return fcmp(true, 2, true);
    default:
      simd_extmul(op, d, l, r);
      return;
  }
}

}  // namespace brisk::compiler::x64
