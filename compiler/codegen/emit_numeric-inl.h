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
  masm_.div(op, w, l, l, r, trap_label(runtime::TrapCode::kIntegerDivideByZero),
            trap_label(runtime::TrapCode::kIntegerOverflow));
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
  if (rhs.is_const() && Masm::fits_imm(w, rimm)) {
    masm_.compare(c, w, l, Operand::immediate(rimm));
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
void FuncCompiler<Masm>::emit_convert(Opcode op, ValType from, ValType to) {
  Slot s = pop();
  if (class_of(from) == class_of(to)) {  // in place
    Reg r = to_reg(s);
    masm_.convert(op, r, r, trap_label(runtime::TrapCode::kInvalidConversion),
                  trap_label(runtime::TrapCode::kIntegerOverflow));
    push_reg(to, r);
    return;
  }
  bool owned;
  Reg src = use_reg(s, &owned);
  RegSet pin;
  pin.add(src);
  Reg dst = alloc(class_of(to), pin);
  masm_.convert(op, dst, src, trap_label(runtime::TrapCode::kInvalidConversion),
                trap_label(runtime::TrapCode::kIntegerOverflow));
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

template <MacroAssembler Masm>
bool FuncCompiler<Masm>::emit_numeric(const Instr& in) {
  using O = Opcode;
  constexpr Width W32 = Width::k32, W64 = Width::k64;
  constexpr ValType I32 = ValType::kI32, I64 = ValType::kI64, F32 = ValType::kF32, F64 = ValType::kF64;
  switch (in.op) {
    case O::kI32Const: case O::kI64Const: case O::kF32Const: case O::kF64Const: emit_const(in); return true;
    case O::kI32Eqz: emit_eqz(W32); return true;
    case O::kI64Eqz: emit_eqz(W64); return true;
#define CMP(op, cond, w) case O::op: emit_compare(Cond::cond, w); return true;
    CMP(kI32Eq, kEq, W32) CMP(kI32Ne, kNe, W32) CMP(kI32LtS, kLtS, W32) CMP(kI32LtU, kLtU, W32)
    CMP(kI32GtS, kGtS, W32) CMP(kI32GtU, kGtU, W32) CMP(kI32LeS, kLeS, W32) CMP(kI32LeU, kLeU, W32)
    CMP(kI32GeS, kGeS, W32) CMP(kI32GeU, kGeU, W32)
    CMP(kI64Eq, kEq, W64) CMP(kI64Ne, kNe, W64) CMP(kI64LtS, kLtS, W64) CMP(kI64LtU, kLtU, W64)
    CMP(kI64GtS, kGtS, W64) CMP(kI64GtU, kGtU, W64) CMP(kI64LeS, kLeS, W64) CMP(kI64LeU, kLeU, W64)
    CMP(kI64GeS, kGeS, W64) CMP(kI64GeU, kGeU, W64)
#undef CMP
#define FCMP(op, cond, w) case O::op: emit_float_compare(Cond::cond, w); return true;
    FCMP(kF32Eq, kFEq, W32) FCMP(kF32Ne, kFNe, W32) FCMP(kF32Lt, kFLt, W32) FCMP(kF32Gt, kFGt, W32)
    FCMP(kF32Le, kFLe, W32) FCMP(kF32Ge, kFGe, W32)
    FCMP(kF64Eq, kFEq, W64) FCMP(kF64Ne, kFNe, W64) FCMP(kF64Lt, kFLt, W64) FCMP(kF64Gt, kFGt, W64)
    FCMP(kF64Le, kFLe, W64) FCMP(kF64Ge, kFGe, W64)
#undef FCMP
#define UN(op, u, w) case O::op: emit_int_unop(IntUnop::u, w); return true;
    UN(kI32Clz, kClz, W32) UN(kI32Ctz, kCtz, W32) UN(kI32Popcnt, kPopcnt, W32)
    UN(kI64Clz, kClz, W64) UN(kI64Ctz, kCtz, W64) UN(kI64Popcnt, kPopcnt, W64)
    UN(kI32Extend8S, kExtend8S, W32) UN(kI32Extend16S, kExtend16S, W32)
    UN(kI64Extend8S, kExtend8S, W64) UN(kI64Extend16S, kExtend16S, W64) UN(kI64Extend32S, kExtend32S, W64)
#undef UN
#define BIN(op, b, w) case O::op: emit_int_binop(IntBinop::b, w); return true;
    BIN(kI32Add, kAdd, W32) BIN(kI32Sub, kSub, W32) BIN(kI32Mul, kMul, W32) BIN(kI32And, kAnd, W32)
    BIN(kI32Or, kOr, W32) BIN(kI32Xor, kXor, W32) BIN(kI32Shl, kShl, W32) BIN(kI32ShrS, kShrS, W32)
    BIN(kI32ShrU, kShrU, W32) BIN(kI32Rotl, kRotl, W32) BIN(kI32Rotr, kRotr, W32)
    BIN(kI64Add, kAdd, W64) BIN(kI64Sub, kSub, W64) BIN(kI64Mul, kMul, W64) BIN(kI64And, kAnd, W64)
    BIN(kI64Or, kOr, W64) BIN(kI64Xor, kXor, W64) BIN(kI64Shl, kShl, W64) BIN(kI64ShrS, kShrS, W64)
    BIN(kI64ShrU, kShrU, W64) BIN(kI64Rotl, kRotl, W64) BIN(kI64Rotr, kRotr, W64)
#undef BIN
#define DIV(op, d, w) case O::op: emit_div(DivOp::d, w); return true;
    DIV(kI32DivS, kDivS, W32) DIV(kI32DivU, kDivU, W32) DIV(kI32RemS, kRemS, W32) DIV(kI32RemU, kRemU, W32)
    DIV(kI64DivS, kDivS, W64) DIV(kI64DivU, kDivU, W64) DIV(kI64RemS, kRemS, W64) DIV(kI64RemU, kRemU, W64)
#undef DIV
#define FUN(op, u, w) case O::op: emit_float_unop(FloatUnop::u, w); return true;
    FUN(kF32Abs, kAbs, W32) FUN(kF32Neg, kNeg, W32) FUN(kF32Ceil, kCeil, W32) FUN(kF32Floor, kFloor, W32)
    FUN(kF32Trunc, kTrunc, W32) FUN(kF32Nearest, kNearest, W32) FUN(kF32Sqrt, kSqrt, W32)
    FUN(kF64Abs, kAbs, W64) FUN(kF64Neg, kNeg, W64) FUN(kF64Ceil, kCeil, W64) FUN(kF64Floor, kFloor, W64)
    FUN(kF64Trunc, kTrunc, W64) FUN(kF64Nearest, kNearest, W64) FUN(kF64Sqrt, kSqrt, W64)
#undef FUN
#define FBIN(op, b, w) case O::op: emit_float_binop(FloatBinop::b, w); return true;
    FBIN(kF32Add, kAdd, W32) FBIN(kF32Sub, kSub, W32) FBIN(kF32Mul, kMul, W32) FBIN(kF32Div, kDiv, W32)
    FBIN(kF32Min, kMin, W32) FBIN(kF32Max, kMax, W32) FBIN(kF32Copysign, kCopysign, W32)
    FBIN(kF64Add, kAdd, W64) FBIN(kF64Sub, kSub, W64) FBIN(kF64Mul, kMul, W64) FBIN(kF64Div, kDiv, W64)
    FBIN(kF64Min, kMin, W64) FBIN(kF64Max, kMax, W64) FBIN(kF64Copysign, kCopysign, W64)
#undef FBIN
#define CV(op, from, to) case O::op: emit_convert(O::op, from, to); return true;
    CV(kI32WrapI64, I64, I32) CV(kI32TruncF32S, F32, I32) CV(kI32TruncF32U, F32, I32)
    CV(kI32TruncF64S, F64, I32) CV(kI32TruncF64U, F64, I32) CV(kI64ExtendI32S, I32, I64)
    CV(kI64ExtendI32U, I32, I64) CV(kI64TruncF32S, F32, I64) CV(kI64TruncF32U, F32, I64)
    CV(kI64TruncF64S, F64, I64) CV(kI64TruncF64U, F64, I64) CV(kF32ConvertI32S, I32, F32)
    CV(kF32ConvertI32U, I32, F32) CV(kF32ConvertI64S, I64, F32) CV(kF32ConvertI64U, I64, F32)
    CV(kF32DemoteF64, F64, F32) CV(kF64ConvertI32S, I32, F64) CV(kF64ConvertI32U, I32, F64)
    CV(kF64ConvertI64S, I64, F64) CV(kF64ConvertI64U, I64, F64) CV(kF64PromoteF32, F32, F64)
    CV(kI32ReinterpretF32, F32, I32) CV(kI64ReinterpretF64, F64, I64) CV(kF32ReinterpretI32, I32, F32)
    CV(kF64ReinterpretI64, I64, F64)
    CV(kI32TruncSatF32S, F32, I32) CV(kI32TruncSatF32U, F32, I32) CV(kI32TruncSatF64S, F64, I32)
    CV(kI32TruncSatF64U, F64, I32) CV(kI64TruncSatF32S, F32, I64) CV(kI64TruncSatF32U, F32, I64)
    CV(kI64TruncSatF64S, F64, I64) CV(kI64TruncSatF64U, F64, I64)
#undef CV
    default:
      return false;
  }
}

}  // namespace brisk::compiler

#endif  // BRISK_COMPILER_CODEGEN_EMIT_NUMERIC_INL_H_
