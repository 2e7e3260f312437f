// FuncCompiler: constants, integer and float arithmetic, comparisons,
// conversions and select.
#ifndef BRISK_COMPILER_CODEGEN_EMIT_NUMERIC_INL_H_
#define BRISK_COMPILER_CODEGEN_EMIT_NUMERIC_INL_H_

namespace brisk::compiler {

template <MacroAssembler Masm>
void FuncCompiler<Masm>::emit_const(const Instr& in) {
  switch (in.op) {
    case Opcode::kI32Const: push(Slot::constant(ValType::kI32, static_cast<uint32_t>(in.imm.i32))); break;
    case Opcode::kI64Const: push(Slot::constant(ValType::kI64, static_cast<uint64_t>(in.imm.i64))); break;
    case Opcode::kF32Const: push(Slot::constant(ValType::kF32, in.imm.f32_bits)); break;
    default: push(Slot::constant(ValType::kF64, in.imm.f64_bits)); break;
  }
}

template <MacroAssembler Masm>
void FuncCompiler<Masm>::emit_int_binop(IntBinop op, Width w) {
  bool shift = op == IntBinop::kShl || op == IntBinop::kShrS || op == IntBinop::kShrU ||
               op == IntBinop::kRotl || op == IntBinop::kRotr;
  ValType t = w == Width::k64 ? ValType::kI64 : ValType::kI32;
  Slot rhs = pop();
  Slot lhs = pop();
  int64_t rimm = w == Width::k64 ? static_cast<int64_t>(rhs.bits) : static_cast<int32_t>(rhs.bits);
  bool identity = rimm == 0 && (op == IntBinop::kAdd || op == IntBinop::kSub || op == IntBinop::kOr ||
                                op == IntBinop::kXor || op == IntBinop::kShl || op == IntBinop::kShrS ||
                                op == IntBinop::kShrU || op == IntBinop::kRotl || op == IntBinop::kRotr);
  if (rhs.is_const() && identity) {
    // x op 0 == x (an i32 in a register always has a clean upper half).
    push(lhs);
    return;
  }
  if (rhs.is_const() && Masm::fits_imm(w, rimm)) {
    bool owned;
    Reg l = use_reg(lhs, &owned);
    Reg dst = l;
    if (!owned) {  // a cached local: compute into a new register (x64: lea for add)
      RegSet pin;
      pin.add(l);
      dst = alloc(RegClass::kGp, pin);
    }
    masm_.int_binop(op, w, dst, l, Operand::immediate(rimm));
    push_reg(t, dst);
    return;
  }
  Operand mem;
  if (!shift && frame_operand(rhs, &mem)) {
    // The right operand read from its frame slot: no register for it, so
    // none to free by spilling a local.
    Reg l = to_reg(lhs);
    masm_.int_binop(op, w, l, l, mem);
    push_reg(t, l);
    return;
  }
  bool commutative = op == IntBinop::kAdd || op == IntBinop::kMul || op == IntBinop::kAnd ||
                     op == IntBinop::kOr || op == IntBinop::kXor;
  if (commutative && rhs.is_reg() && frame_operand(lhs, &mem)) {  // a call's result + a local, say
    masm_.int_binop(op, w, rhs.reg, rhs.reg, mem);
    push_reg(t, rhs.reg);
    return;
  }
  if (!shift && lhs.is_local() && local_loc_[lhs.local_index()].in_reg) {
    // A local kept in its register: the result goes to another one (x64:
    // lea for add; AArch64: every operation has three operands), or into
    // the right operand's if that is a temporary and the order does not
    // matter; not a copy of the local first.
    bool lhs_owned, rhs_owned;
    Reg l = use_reg(lhs, &lhs_owned);
    RegSet pin;
    pin.add(l);
    Reg r = use_reg(rhs, &rhs_owned, pin);
    if (rhs_owned && commutative) {
      masm_.int_binop(op, w, r, r, Operand::of(l));
      push_reg(t, r);
      return;
    }
    pin.add(r);
    Reg dst = alloc(RegClass::kGp, pin);
    masm_.int_binop(op, w, dst, l, Operand::of(r));
    release(r, rhs_owned);
    push_reg(t, dst);
    return;
  }
  // Variable shifts: move other values out of the count register.
  if (shift) evacuate(Masm::shift_clobbers());
  Reg l = to_reg(lhs, shift ? Masm::shift_clobbers() : RegSet{});
  RegSet pin;
  pin.add(l);
  bool owned;
  Reg r = use_reg(rhs, &owned, pin);
  masm_.int_binop(op, w, l, l, Operand::of(r));
  release(r, owned);
  push_reg(t, l);
}

template <MacroAssembler Masm>
void FuncCompiler<Masm>::emit_div(DivOp op, Width w) {
  ValType t = w == Width::k64 ? ValType::kI64 : ValType::kI32;
  Slot rhs = pop();
  Slot lhs = pop();
  evacuate(Masm::div_clobbers());
  Reg l = to_reg(lhs);
  RegSet pin;
  pin.add(l);
  bool owned;
  Reg r = use_reg(rhs, &owned, pin);
  // Only signed division overflows (INT_MIN / -1); rem_s of it is 0.
  masm_.div(op, w, l, l, r, trap_label(runtime::TrapCode::kIntegerDivideByZero),
            op == DivOp::kDivS ? trap_label(runtime::TrapCode::kIntegerOverflow) : Label{});
  release(r, owned);
  push_reg(t, l);
}

template <MacroAssembler Masm>
void FuncCompiler<Masm>::emit_int_unop(IntUnop op, Width w) {
  ValType t = w == Width::k64 ? ValType::kI64 : ValType::kI32;
  Slot s = pop();
  Reg r = to_reg(s);
  masm_.int_unop(op, w, r, r);
  push_reg(t, r);
}

template <MacroAssembler Masm>
void FuncCompiler<Masm>::emit_compare(Cond c, Width w) {
  Slot rhs = pop();
  Slot lhs = pop();
  int64_t rimm = w == Width::k64 ? static_cast<int64_t>(rhs.bits) : static_cast<int32_t>(rhs.bits);
  bool lowned;
  Reg l = use_reg(lhs, &lowned);
  Operand mem;
  if (rhs.is_const() && Masm::fits_imm(w, rimm)) {
    masm_.compare(c, w, l, Operand::immediate(rimm));
  } else if (frame_operand(rhs, &mem)) {
    masm_.compare(c, w, l, mem);
  } else {
    RegSet pin;
    pin.add(l);
    bool rowned;
    Reg r = use_reg(rhs, &rowned, pin);
    masm_.compare(c, w, l, Operand::of(r));
    release(r, rowned);
  }
  release(l, lowned);
  push(Slot::flags(c));
}

template <MacroAssembler Masm>
void FuncCompiler<Masm>::emit_eqz(Width w) {
  Slot s = pop();
  if (s.kind == Slot::Kind::kCond) {
    push(Slot::flags(negate(s.cond)));
    return;
  }
  if (s.is_const()) {
    uint64_t v = w == Width::k64 ? s.bits : static_cast<uint32_t>(s.bits);
    push(Slot::constant(ValType::kI32, v == 0));
    return;
  }
  bool owned;
  Reg r = use_reg(s, &owned);
  masm_.test_zero(w, r);
  release(r, owned);
  push(Slot::flags(Cond::kEq));
}

template <MacroAssembler Masm>
void FuncCompiler<Masm>::emit_float_binop(FloatBinop op, Width w) {
  ValType t = w == Width::k64 ? ValType::kF64 : ValType::kF32;
  Slot rhs = pop();
  Slot lhs = pop();
  if ((op == FloatBinop::kAdd || op == FloatBinop::kMul) && lhs.is_local() && local_loc_[lhs.local_index()].in_reg &&
      !rhs.is_local()) {
    // A local kept in its register times a temporary: into the temporary's
    // register, not a copy of the local (which operand's NaN comes out may
    // change: Wasm leaves that open).
    bool lhs_owned;
    Reg l = use_reg(lhs, &lhs_owned);
    RegSet pin;
    pin.add(l);
    Reg r = to_reg(rhs, pin);
    masm_.float_binop(op, w, r, r, l);
    push_reg(t, r);
    return;
  }
  Reg l = to_reg(lhs);
  RegSet pin;
  pin.add(l);
  bool owned;
  Reg r = use_reg(rhs, &owned, pin);
  masm_.float_binop(op, w, l, l, r);
  release(r, owned);
  push_reg(t, l);
}

template <MacroAssembler Masm>
void FuncCompiler<Masm>::emit_float_unop(FloatUnop op, Width w) {
  ValType t = w == Width::k64 ? ValType::kF64 : ValType::kF32;
  Slot s = pop();
  Reg r = to_reg(s);
  masm_.float_unop(op, w, r, r);
  push_reg(t, r);
}

template <MacroAssembler Masm>
void FuncCompiler<Masm>::emit_float_compare(Cond c, Width w) {
  Slot rhs = pop();
  Slot lhs = pop();
  bool lowned, rowned;
  Reg l = use_reg(lhs, &lowned);
  RegSet pin;
  pin.add(l);
  Reg r = use_reg(rhs, &rowned, pin);
  masm_.float_compare(c, w, l, r);
  release(l, lowned);
  release(r, rowned);
  push(Slot::flags(c));
}

template <MacroAssembler Masm>
void FuncCompiler<Masm>::emit_convert(ConvertKind op, ValType from, ValType to) {
  // Only the checked truncations trap: the others must not make the
  // function carry trap stubs it never jumps to.
  bool traps = op == ConvertKind::kI32TruncF32S || op == ConvertKind::kI32TruncF32U ||
               op == ConvertKind::kI32TruncF64S || op == ConvertKind::kI32TruncF64U ||
               op == ConvertKind::kI64TruncF32S || op == ConvertKind::kI64TruncF32U ||
               op == ConvertKind::kI64TruncF64S || op == ConvertKind::kI64TruncF64U;
  Label invalid{}, overflow{};
  if (traps) {
    invalid = trap_label(runtime::TrapCode::kInvalidConversion);
    overflow = trap_label(runtime::TrapCode::kIntegerOverflow);
  }
  Slot s = pop();
  bool owned;
  Reg src = use_reg(s, &owned);
  if (owned && class_of(from) == class_of(to)) {  // in place
    masm_.convert(op, src, src, invalid, overflow);
    push_reg(to, src);
    return;
  }
  RegSet pin;
  pin.add(src);
  Reg dst = alloc(class_of(to), pin);
  masm_.convert(op, dst, src, invalid, overflow);
  release(src, owned);
  push_reg(to, dst);
}

template <MacroAssembler Masm>
void FuncCompiler<Masm>::emit_select() {
  Slot cond_slot = top();
  if (cond_slot.is_const()) {
    pop();
    Slot b = pop();
    Slot a = pop();
    bool take_a = static_cast<uint32_t>(cond_slot.bits) != 0;
    free_slot(take_a ? b : a);
    Slot keep = take_a ? a : b;
    if (keep.kind == Slot::Kind::kStack) {
      // Its home is the depth of `a`; reload it where it belongs.
      Reg r = to_reg(keep);
      push_reg(keep.type, r);
    } else {
      if (keep.is_reg()) used_.remove(keep.reg);
      push(keep);
    }
    return;
  }
  Cond c = Cond::kNe;
  Reg cond_reg{};
  bool cond_in_reg = false, cond_owned = false;
  if (cond_slot.kind == Slot::Kind::kCond) {
    pop();
    c = cond_slot.cond;
  } else {
    cond_reg = use_reg(pop(), &cond_owned);
    cond_in_reg = true;
  }
  Slot b = pop();
  Slot a = pop();
  RegSet pin;
  if (cond_in_reg) pin.add(cond_reg);
  Reg ra = to_reg(a, pin);  // the result is built in place
  pin.add(ra);
  bool b_owned;
  Reg rb = use_reg(b, &b_owned, pin);
  if (cond_in_reg) {
    masm_.test_zero(Width::k32, cond_reg);
    release(cond_reg, cond_owned);
  }
  masm_.select(c, a.type, ra, rb);
  release(rb, b_owned);
  push_reg(a.type, ra);
}

// Operators whose code generation is named by the family and arg columns
// of opcodes.def; the width or types come from their signature column.
template <MacroAssembler Masm>
bool FuncCompiler<Masm>::emit_from_table(const Instr& in) {
  auto type_of = [](char c) {
    return c == 'i' ? ValType::kI32 : c == 'l' ? ValType::kI64 : c == 'f' ? ValType::kF32 : ValType::kF64;
  };
  auto width = [](char c) { return c == 'l' || c == 'd' ? Width::k64 : Width::k32; };
  switch (in.op) {
#define BRISK_OP(name, prefix, code, text, sig, align, family, arg) BRISK_EMIT_##family(name, sig, arg)
#define BRISK_CASE(name) case Opcode::k##name:
#define BRISK_OPERAND(sig) width(sig_letter(Sig::sig, 1))
#define BRISK_EMIT_Special(name, sig, arg)
#define BRISK_EMIT_Simd(name, sig, arg)
#define BRISK_EMIT_Const(name, sig, arg) BRISK_CASE(name) emit_const(in); return true;
#define BRISK_EMIT_Eqz(name, sig, arg) BRISK_CASE(name) emit_eqz(BRISK_OPERAND(sig)); return true;
#define BRISK_EMIT_Compare(name, sig, arg) BRISK_CASE(name) emit_compare(Cond::arg, BRISK_OPERAND(sig)); return true;
#define BRISK_EMIT_FloatCompare(name, sig, arg) \
  BRISK_CASE(name) emit_float_compare(Cond::arg, BRISK_OPERAND(sig)); return true;
#define BRISK_EMIT_IntUnop(name, sig, arg) BRISK_CASE(name) emit_int_unop(IntUnop::arg, BRISK_OPERAND(sig)); return true;
#define BRISK_EMIT_IntBinop(name, sig, arg) \
  BRISK_CASE(name) emit_int_binop(IntBinop::arg, BRISK_OPERAND(sig)); return true;
#define BRISK_EMIT_Div(name, sig, arg) BRISK_CASE(name) emit_div(DivOp::arg, BRISK_OPERAND(sig)); return true;
#define BRISK_EMIT_FloatUnop(name, sig, arg) \
  BRISK_CASE(name) emit_float_unop(FloatUnop::arg, BRISK_OPERAND(sig)); return true;
#define BRISK_EMIT_FloatBinop(name, sig, arg) \
  BRISK_CASE(name) emit_float_binop(FloatBinop::arg, BRISK_OPERAND(sig)); return true;
#define BRISK_EMIT_Convert(name, sig, arg)                                                          \
  BRISK_CASE(name)                                                                                 \
  emit_convert(ConvertKind::arg, type_of(sig_letter(Sig::sig, 1)), type_of(sig_letter(Sig::sig, 0))); \
  return true;
#define BRISK_EMIT_Load(name, sig, arg) BRISK_CASE(name) emit_load(in, LoadKind::arg); return true;
#define BRISK_EMIT_Store(name, sig, arg) BRISK_CASE(name) emit_store(in, StoreKind::arg); return true;
#include "compiler/decode/opcodes.def"
#undef BRISK_CASE
#undef BRISK_OPERAND
#undef BRISK_EMIT_Special
#undef BRISK_EMIT_Simd
#undef BRISK_EMIT_Const
#undef BRISK_EMIT_Eqz
#undef BRISK_EMIT_Compare
#undef BRISK_EMIT_FloatCompare
#undef BRISK_EMIT_IntUnop
#undef BRISK_EMIT_IntBinop
#undef BRISK_EMIT_Div
#undef BRISK_EMIT_FloatUnop
#undef BRISK_EMIT_FloatBinop
#undef BRISK_EMIT_Convert
#undef BRISK_EMIT_Load
#undef BRISK_EMIT_Store
    default:
      return false;
  }
}

}  // namespace brisk::compiler

#endif  // BRISK_COMPILER_CODEGEN_EMIT_NUMERIC_INL_H_
