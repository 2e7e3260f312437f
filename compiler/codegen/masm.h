// The vocabulary shared by the code generator and every per-ISA
// MacroAssembler: registers, widths, conditions, operator families. Nothing
// here knows an instruction set.
#ifndef BRISK_COMPILER_CODEGEN_MASM_H_
#define BRISK_COMPILER_CODEGEN_MASM_H_

#include <concepts>
#include <cstdint>

#include "compiler/decode/opcodes.h"
#include "compiler/decode/types.h"
#include "runtime/trap.h"

namespace brisk::compiler {

enum class Width : uint8_t { k32, k64 };
enum class RegClass : uint8_t { kGp, kFp };

/// A machine register by class and hardware number.
struct Reg {
  uint8_t code = 0;
  RegClass cls = RegClass::kGp;
  bool operator==(const Reg&) const = default;
  bool is_fp() const { return cls == RegClass::kFp; }
};

/// A set of registers of one class as a bit mask over hardware numbers.
struct RegSet {
  uint32_t gp = 0;
  uint32_t fp = 0;
  bool has(Reg r) const { return ((r.is_fp() ? fp : gp) >> r.code) & 1; }
  void add(Reg r) { (r.is_fp() ? fp : gp) |= 1u << r.code; }
  void remove(Reg r) { (r.is_fp() ? fp : gp) &= ~(1u << r.code); }
};

/// Conditions, in Wasm terms: after compare(cond, lhs, rhs) the condition
/// holds when `lhs cond rhs`. Float conditions are false on NaN operands,
/// their kFNot* negations true.
enum class Cond : uint8_t {
  kEq, kNe, kLtS, kLeS, kGtS, kGeS, kLtU, kLeU, kGtU, kGeU,
  kFEq, kFNe, kFLt, kFLe, kFGt, kFGe, kFNotLt, kFNotLe, kFNotGt, kFNotGe,
};

inline Cond negate(Cond c) {
  switch (c) {
    case Cond::kEq: return Cond::kNe;
    case Cond::kNe: return Cond::kEq;
    case Cond::kLtS: return Cond::kGeS;
    case Cond::kLeS: return Cond::kGtS;
    case Cond::kGtS: return Cond::kLeS;
    case Cond::kGeS: return Cond::kLtS;
    case Cond::kLtU: return Cond::kGeU;
    case Cond::kLeU: return Cond::kGtU;
    case Cond::kGtU: return Cond::kLeU;
    case Cond::kGeU: return Cond::kLtU;
    case Cond::kFEq: return Cond::kFNe;
    case Cond::kFNe: return Cond::kFEq;
    case Cond::kFLt: return Cond::kFNotLt;
    case Cond::kFLe: return Cond::kFNotLe;
    case Cond::kFGt: return Cond::kFNotGt;
    case Cond::kFGe: return Cond::kFNotGe;
    case Cond::kFNotLt: return Cond::kFLt;
    case Cond::kFNotLe: return Cond::kFLe;
    case Cond::kFNotGt: return Cond::kFGt;
    case Cond::kFNotGe: return Cond::kFGe;
  }
  return c;
}

enum class IntBinop : uint8_t { kAdd, kSub, kMul, kAnd, kOr, kXor, kShl, kShrS, kShrU, kRotl, kRotr };
enum class IntUnop : uint8_t { kClz, kCtz, kPopcnt, kExtend8S, kExtend16S, kExtend32S };
enum class DivOp : uint8_t { kDivS, kDivU, kRemS, kRemU };
enum class FloatBinop : uint8_t { kAdd, kSub, kMul, kDiv, kMin, kMax, kCopysign };
enum class FloatUnop : uint8_t { kAbs, kNeg, kCeil, kFloor, kTrunc, kNearest, kSqrt };

/// The right operand of an integer operation: a register or an immediate
/// that fits the ISA's immediate field (the compiler asks the masm first).
struct Operand {
  bool is_imm = false;
  Reg reg;
  int64_t imm = 0;
  static Operand of(Reg r) { return Operand{false, r, 0}; }
  static Operand immediate(int64_t v) { return Operand{true, Reg{}, v}; }
};

/// One argument of a call into C++ (a runtime helper). Register values are
/// spilled before helper calls, so arguments come from the frame or are known.
struct HelperArg {
  enum class Kind : uint8_t { kVmctx, kImm, kFrame } kind;
  int64_t imm = 0;        ///< kImm
  int32_t offset = 0;     ///< kFrame: frame-pointer relative
  ValType type = ValType::kI32;
  static HelperArg vmctx() { return {Kind::kVmctx}; }
  static HelperArg immediate(int64_t v) { return {Kind::kImm, v}; }
  static HelperArg frame(int32_t off, ValType t) { return {Kind::kFrame, 0, off, t}; }
};

/// Addresses of the runtime functions generated code calls (C ABI). Each
/// returns a trap code (0 = none) unless noted.
struct RuntimeHelpers {
  const void* memory_grow = nullptr;  ///< (vm, delta) -> old pages or -1
  const void* memory_init = nullptr;  ///< (vm, seg, dst, src, n)
  const void* data_drop = nullptr;    ///< (vm, seg)
  const void* memory_copy = nullptr;  ///< (vm, dst, src, n)
  const void* memory_fill = nullptr;  ///< (vm, dst, value, n)
  const void* table_init = nullptr;   ///< (vm, table, seg, dst, src, n)
  const void* elem_drop = nullptr;    ///< (vm, seg)
  const void* table_copy = nullptr;   ///< (vm, dst_table, src_table, dst, src, n)
  const void* table_grow = nullptr;   ///< (vm, table, init, delta) -> old size or -1
  const void* table_fill = nullptr;   ///< (vm, table, dst, value, n)
};

inline Width width_of(ValType t) {
  return t == ValType::kI64 || t == ValType::kF64 ? Width::k64 : Width::k32;
}
inline RegClass class_of(ValType t) {
  return t == ValType::kF32 || t == ValType::kF64 ? RegClass::kFp : RegClass::kGp;
}

/// What the shared function compiler needs from a MacroAssembler. Each ISA
/// implements it with its own assembler; the concept keeps them in step.
template <class M>
concept MacroAssembler = requires(M m, Reg d, Reg a, Operand b, Width w, Cond c, typename M::Label l,
                                  int32_t off, runtime::TrapCode t) {
  { m.new_label() } -> std::same_as<typename M::Label>;
  { m.bind(l) } -> std::same_as<void>;
  { m.jump(l) } -> std::same_as<void>;
  { m.branch(c, l) } -> std::same_as<void>;
  { m.int_binop(IntBinop::kAdd, w, d, a, b) } -> std::same_as<void>;
  { m.compare(c, w, a, b) } -> std::same_as<void>;
  { m.set_cond(c, d) } -> std::same_as<void>;
  { m.load_frame(d, ValType::kI32, off) } -> std::same_as<void>;
  { m.store_frame(off, d, ValType::kI32) } -> std::same_as<void>;
  { m.trap(t) } -> std::same_as<void>;
  { M::kFirstParamOffset } -> std::convertible_to<int32_t>;
  { M::kFirstLocalOffset } -> std::convertible_to<int32_t>;
  { M::kAllocatable } -> std::convertible_to<RegSet>;
  { M::kScratchGp } -> std::convertible_to<Reg>;
  { M::kScratchFp } -> std::convertible_to<Reg>;
};

}  // namespace brisk::compiler

#endif  // BRISK_COMPILER_CODEGEN_MASM_H_
