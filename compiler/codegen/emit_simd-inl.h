// FuncCompiler: the 128-bit SIMD operators (v128 values live in the
// float/vector registers). Dispatch is by signature column of opcodes.def;
// the backend picks instructions per operator (Masm::simd_*).
#ifndef BRISK_COMPILER_CODEGEN_EMIT_SIMD_INL_H_
#define BRISK_COMPILER_CODEGEN_EMIT_SIMD_INL_H_

namespace brisk::compiler {

template <MacroAssembler Masm>
Reg FuncCompiler<Masm>::simd_dst(Reg src, bool owned, RegSet pinned) {
  if (owned) return src;  // in place
  pinned.add(src);
  return alloc(RegClass::kFp, pinned);
}

// Two v128 operands to one result: the destination is lhs when owned, else
// a new register, never rhs (the Masm's simd_binop contract).
template <MacroAssembler Masm>
template <class Emit>
void FuncCompiler<Masm>::emit_simd_binary(Emit&& emit) {
  Slot rhs = pop();
  Slot lhs = pop();
  bool lo, ro;
  Reg l = use_reg(lhs, &lo);
  RegSet pin;
  pin.add(l);
  Reg r = use_reg(rhs, &ro, pin);
  pin.add(r);
  Reg d = lo ? l : alloc(RegClass::kFp, pin);
  emit(d, l, r);
  release(r, ro);
  if (d != l) release(l, lo);
  push_reg(ValType::kV128, d);
}

// An address and a v128 value to store (whole or one lane).
template <MacroAssembler Masm>
template <class Emit>
void FuncCompiler<Masm>::emit_simd_store(Emit&& emit) {
  Slot value = pop();
  Slot addr_slot = pop();
  bool vo, ao;
  Reg v = use_reg(value, &vo);
  RegSet pin;
  pin.add(v);
  Reg addr = use_reg(addr_slot, &ao, pin);
  emit(addr, v);
  release(addr, ao);
  release(v, vo);
}

template <MacroAssembler Masm>
void FuncCompiler<Masm>::emit_simd(const Instr& in) {
  const ValType V = ValType::kV128;
  switch (opcode_info(in.op).sig) {
    case Sig::k_v_vv:
      emit_simd_binary([&](Reg d, Reg l, Reg r) { masm_.simd_binop(in.op, d, l, r); });
      return;
    case Sig::k_v_v: {
      bool owned;
      Reg s = use_reg(pop(), &owned);
      Reg d = simd_dst(s, owned);
      masm_.simd_unop(in.op, d, s);
      if (d != s) release(s, owned);
      push_reg(V, d);
      return;
    }
    case Sig::k_v_vvv: {  // v128.bitselect
      Slot mask = pop();
      Slot b = pop();
      Slot a = pop();
      bool ao, bo, mo;
      Reg ra = use_reg(a, &ao);
      RegSet pin;
      pin.add(ra);
      Reg rb = use_reg(b, &bo, pin);
      pin.add(rb);
      Reg rm = use_reg(mask, &mo, pin);
      pin.add(rm);
      Reg d = ao ? ra : alloc(RegClass::kFp, pin);
      masm_.simd_bitselect(d, ra, rb, rm);
      release(rm, mo);
      release(rb, bo);
      if (d != ra) release(ra, ao);
      push_reg(V, d);
      return;
    }
    case Sig::k_v_vi: {  // shifts by an i32 count
      Slot count = pop();
      Slot vec = pop();
      Operand c;
      bool co = false;
      RegSet pin;
      if (count.is_const()) {
        c = Operand::immediate(static_cast<int64_t>(static_cast<uint32_t>(count.bits)));
      } else {
        Reg r = use_reg(count, &co);
        pin.add(r);
        c = Operand::of(r);
      }
      bool vo;
      Reg v = use_reg(vec, &vo, pin);
      Reg d = simd_dst(v, vo, pin);
      masm_.simd_shift(in.op, d, v, c);
      if (!c.is_imm) release(c.reg, co);
      if (d != v) release(v, vo);
      push_reg(V, d);
      return;
    }
    case Sig::k_i_v: {
      bool owned;
      Reg s = use_reg(pop(), &owned);
      RegSet pin;
      pin.add(s);
      Reg d = alloc(RegClass::kGp, pin);
      masm_.simd_test(in.op, d, s);
      release(s, owned);
      push_reg(ValType::kI32, d);
      return;
    }
    case Sig::k_v_i: case Sig::k_v_l: case Sig::k_v_f: case Sig::k_v_d: {  // splats
      Slot scalar = pop();
      bool owned;
      Reg s = use_reg(scalar, &owned);
      Reg d = s.is_fp() ? simd_dst(s, owned) : alloc(RegClass::kFp);
      masm_.simd_splat(in.op, d, s);
      if (d != s) release(s, owned);
      push_reg(V, d);
      return;
    }
    case Sig::kLoad_v: {
      bool owned;
      Reg addr = use_reg(pop(), &owned);
      RegSet pin;
      pin.add(addr);
      Reg d = alloc(RegClass::kFp, pin);
      masm_.simd_load(in.op, d, addr, in.mem.offset, oob_label());
      release(addr, owned);
      push_reg(V, d);
      return;
    }
    case Sig::kStore_v:
      emit_simd_store([&](Reg addr, Reg v) { masm_.simd_store(addr, in.mem.offset, v, oob_label()); });
      return;
    default:
      break;
  }
  emit_simd_special(in);
}

template <MacroAssembler Masm>
void FuncCompiler<Masm>::emit_simd_special(const Instr& in) {
  const ValType V = ValType::kV128;
  switch (in.op) {
    case Opcode::kV128Const: {
      Reg d = alloc(RegClass::kFp);
      masm_.simd_const(d, in.v128);
      push_reg(V, d);
      return;
    }
    case Opcode::kI8x16Shuffle:
      emit_simd_binary([&](Reg d, Reg l, Reg r) { masm_.simd_shuffle(d, l, r, in.v128); });
      return;
    case Opcode::kI8x16ExtractLaneS: case Opcode::kI8x16ExtractLaneU: case Opcode::kI16x8ExtractLaneS:
    case Opcode::kI16x8ExtractLaneU: case Opcode::kI32x4ExtractLane: case Opcode::kI64x2ExtractLane:
    case Opcode::kF32x4ExtractLane: case Opcode::kF64x2ExtractLane: {
      ValType t = in.op == Opcode::kI64x2ExtractLane   ? ValType::kI64
                  : in.op == Opcode::kF32x4ExtractLane ? ValType::kF32
                  : in.op == Opcode::kF64x2ExtractLane ? ValType::kF64
                                                       : ValType::kI32;
      bool owned;
      Reg s = use_reg(pop(), &owned);
      RegSet pin;
      pin.add(s);
      Reg d = class_of(t) == RegClass::kFp ? simd_dst(s, owned) : alloc(RegClass::kGp, pin);
      masm_.simd_extract_lane(in.op, d, s, in.lane);
      if (d != s) release(s, owned);
      push_reg(t, d);
      return;
    }
    case Opcode::kI8x16ReplaceLane: case Opcode::kI16x8ReplaceLane: case Opcode::kI32x4ReplaceLane:
    case Opcode::kI64x2ReplaceLane: case Opcode::kF32x4ReplaceLane: case Opcode::kF64x2ReplaceLane: {
      Slot scalar = pop();
      Slot vec = pop();
      Reg v = to_reg(vec);  // written in place: owned
      RegSet pin;
      pin.add(v);
      bool so;
      Reg s = use_reg(scalar, &so, pin);
      masm_.simd_replace_lane(in.op, v, s, in.lane);
      release(s, so);
      push_reg(V, v);
      return;
    }
    case Opcode::kV128Load8Lane: case Opcode::kV128Load16Lane: case Opcode::kV128Load32Lane:
    case Opcode::kV128Load64Lane: {
      Slot vec = pop();
      Slot addr_slot = pop();
      Reg v = to_reg(vec);
      RegSet pin;
      pin.add(v);
      bool ao;
      Reg addr = use_reg(addr_slot, &ao, pin);
      masm_.simd_load_lane(in.op, v, addr, in.mem.offset, in.lane, oob_label());
      release(addr, ao);
      push_reg(V, v);
      return;
    }
    default:  // v128.storeN_lane
      emit_simd_store([&](Reg addr, Reg v) {
        masm_.simd_store_lane(in.op, addr, in.mem.offset, v, in.lane, oob_label());
      });
      return;
  }
}

}  // namespace brisk::compiler

#endif  // BRISK_COMPILER_CODEGEN_EMIT_SIMD_INL_H_
