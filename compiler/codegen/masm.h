// The vocabulary shared by the code generator and every per-ISA
// MacroAssembler: registers, widths, conditions, operator families. Nothing
// here knows an instruction set.
#ifndef BRISK_COMPILER_CODEGEN_MASM_H_
#define BRISK_COMPILER_CODEGEN_MASM_H_

#include <concepts>
#include <cstdint>
#include <span>

#include "compiler/decode/opcodes.h"
#include "compiler/decode/types.h"
#include "runtime/helpers.h"
#include "runtime/trap.h"

namespace brisk::compiler {

enum class Width : uint8_t { k32, k64 };
enum class RegClass : uint8_t { kGp, kFp };

/// A machine register by class and hardware number.
struct Reg {
  uint8_t code = 0;
  RegClass cls = RegClass::kGp;
  bool operator==(const Reg&) const = default;
  constexpr bool is_fp() const { return cls == RegClass::kFp; }
};

/// A set of registers of one class as a bit mask over hardware numbers.
struct RegSet {
  uint32_t gp = 0;
  uint32_t fp = 0;
  bool has(Reg r) const { return ((r.is_fp() ? fp : gp) >> r.code) & 1; }
  void add(Reg r) { (r.is_fp() ? fp : gp) |= 1u << r.code; }
  void remove(Reg r) { (r.is_fp() ? fp : gp) &= ~(1u << r.code); }
  bool operator==(const RegSet&) const = default;
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

/// Memory accesses by what they move, not by opcode (Winch's LoadKind):
/// result type, then how many bytes and how they extend.
enum class LoadKind : uint8_t {
  kI32, kI64, kF32, kF64,
  kI32S8, kI32U8, kI32S16, kI32U16,
  kI64S8, kI64U8, kI64S16, kI64U16, kI64S32, kI64U32,
};
/// Stores by width: the low bytes of an integer register, or a float.
enum class StoreKind : uint8_t { kI8, kI16, kI32, kI64, kF32, kF64 };

inline uint32_t access_size(LoadKind k) {
  switch (k) {
    case LoadKind::kI32S8: case LoadKind::kI32U8: case LoadKind::kI64S8: case LoadKind::kI64U8: return 1;
    case LoadKind::kI32S16: case LoadKind::kI32U16: case LoadKind::kI64S16: case LoadKind::kI64U16: return 2;
    case LoadKind::kI64: case LoadKind::kF64: return 8;
    default: return 4;
  }
}
inline ValType result_type(LoadKind k) {
  switch (k) {
    case LoadKind::kF32: return ValType::kF32;
    case LoadKind::kF64: return ValType::kF64;
    case LoadKind::kI32: case LoadKind::kI32S8: case LoadKind::kI32U8: case LoadKind::kI32S16:
    case LoadKind::kI32U16: return ValType::kI32;
    default: return ValType::kI64;
  }
}
inline uint32_t access_size(StoreKind k) {
  switch (k) {
    case StoreKind::kI8: return 1;
    case StoreKind::kI16: return 2;
    case StoreKind::kI64: case StoreKind::kF64: return 8;
    default: return 4;
  }
}

/// Conversions between value types, one per conversion operator; generated
/// from the Convert rows of opcodes.def (the names are the operators').
enum class ConvertKind : uint8_t {
#define BRISK_KIND_Convert(arg) arg,
#define BRISK_OP(name, prefix, code, text, sig, align, family, arg) BRISK_KIND_##family(arg)
#define BRISK_KIND_Special(arg)
#define BRISK_KIND_Simd(arg)
#define BRISK_KIND_Const(arg)
#define BRISK_KIND_Eqz(arg)
#define BRISK_KIND_Compare(arg)
#define BRISK_KIND_FloatCompare(arg)
#define BRISK_KIND_IntUnop(arg)
#define BRISK_KIND_IntBinop(arg)
#define BRISK_KIND_Div(arg)
#define BRISK_KIND_FloatUnop(arg)
#define BRISK_KIND_FloatBinop(arg)
#define BRISK_KIND_Load(arg)
#define BRISK_KIND_Store(arg)
#include "compiler/decode/opcodes.def"
};
#undef BRISK_KIND_Convert
#undef BRISK_KIND_Special
#undef BRISK_KIND_Simd
#undef BRISK_KIND_Const
#undef BRISK_KIND_Eqz
#undef BRISK_KIND_Compare
#undef BRISK_KIND_FloatCompare
#undef BRISK_KIND_IntUnop
#undef BRISK_KIND_IntBinop
#undef BRISK_KIND_Div
#undef BRISK_KIND_FloatUnop
#undef BRISK_KIND_FloatBinop
#undef BRISK_KIND_Load
#undef BRISK_KIND_Store

/// A place in generated code that depends on where things end up: patched
/// when a module's code is laid out, and again whenever that code is placed
/// somewhere else (a code cache, a function compiled later). Code holds no
/// other absolute or engine-specific value.
enum class RelocKind : uint8_t {
  kDirectCall,  ///< rel32 at `offset` -> the body of defined function `index` (its entry-table slot while it has none)
  kTypeId,        ///< imm32 at `offset` = the engine's canonical id of module type `index`
};
struct Relocation {
  uint32_t offset;  ///< in the code buffer (the chunk, once laid out)
  RelocKind kind;
  uint32_t index;
};

/// The right operand of an integer operation: a register or an immediate
/// that fits the ISA's immediate field (the compiler asks the masm first).
/// The right operand of an integer operation: a register, an immediate, or
/// a frame slot (frame-pointer relative offset in `imm`), which a backend
/// without memory operands loads into its scratch register.
struct Operand {
  bool is_imm = false;
  Reg reg;
  int64_t imm = 0;
  bool is_frame = false;
  static Operand of(Reg r) { return Operand{false, r, 0}; }
  static Operand immediate(int64_t v) { return Operand{true, Reg{}, v}; }
  static Operand frame(int32_t off) { return Operand{false, Reg{}, off, true}; }
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

using runtime::HelperId;

/// Bytes of a frame slot holding a value of type `t` (Liftoff's
/// SlotSizeForType); a slot is aligned to its size.
constexpr int32_t slot_size(ValType t) {
  switch (t) {
    case ValType::kI32: case ValType::kF32: return 4;
    case ValType::kV128: return 16;
    default: return 8;
  }
}

inline Width width_of(ValType t) {
  return t == ValType::kI64 || t == ValType::kF64 ? Width::k64 : Width::k32;
}
/// f32, f64 and v128 live in the float/vector registers (one class, as on
/// x86-64 and AArch64), everything else in the general ones.
inline RegClass class_of(ValType t) {
  return t == ValType::kF32 || t == ValType::kF64 || t == ValType::kV128 ? RegClass::kFp : RegClass::kGp;
}

/// What the shared function compiler needs from a MacroAssembler: every
/// operation compiler/codegen/ calls, so a backend that lacks one (or has it
/// with another shape) fails to compile here, not in a template's depths.
/// docs/BACKENDS.md gives the contract of each.
template <class M>
concept MacroAssembler = requires(M m, Reg d, Reg a, Operand b, Width w, Cond c, typename M::Label l,
                                  int32_t off, uint32_t u, uint64_t bits, ValType t, runtime::TrapCode tc,
                                  std::span<const typename M::Label> labels, std::span<const HelperArg> args,
                                  HelperId fn, Opcode op, uint8_t lane, const uint8_t (&v128)[16]) {
  // Static properties.
  { M::kFirstParamOffset } -> std::convertible_to<int32_t>;
  { M::kFirstLocalOffset } -> std::convertible_to<int32_t>;
  { M::kAllocatable } -> std::convertible_to<RegSet>;
  { M::kScratchGp } -> std::convertible_to<Reg>;
  { M::kScratchFp } -> std::convertible_to<Reg>;
  { M::fits_imm(w, int64_t{0}) } -> std::same_as<bool>;
  { M::div_clobbers() } -> std::same_as<RegSet>;
  { M::shift_clobbers() } -> std::same_as<RegSet>;
  // Labels and control.
  { m.new_label() } -> std::same_as<typename M::Label>;
  { m.bind(l) } -> std::same_as<void>;
  { m.jump(l) } -> std::same_as<void>;
  { m.branch(c, l) } -> std::same_as<void>;
  { m.branch_if_nonzero(w, a, l) } -> std::same_as<void>;
  { m.jump_table(a, labels) } -> std::same_as<void>;
  // Frame.
  { m.prologue(l) } -> std::same_as<void>;
  { m.patch_frame_size(u) } -> std::same_as<void>;
  { m.epilogue_return() } -> std::same_as<void>;
  { m.zero_frame(off, u) } -> std::same_as<void>;
  // Moves.
  { m.move(d, a, t) } -> std::same_as<void>;
  { m.load_const(d, t, bits) } -> std::same_as<void>;
  { m.load_frame(d, t, off) } -> std::same_as<void>;
  { m.store_frame(off, d, t) } -> std::same_as<void>;
  { m.store_frame_const(off, t, bits) } -> std::same_as<void>;
  { m.copy_frame(off, off, t) } -> std::same_as<void>;
  { m.load_out(d, t, off) } -> std::same_as<void>;
  { m.store_out(off, d, t) } -> std::same_as<void>;
  { m.store_out_const(off, t, bits) } -> std::same_as<void>;
  { m.copy_frame_to_out(off, off, t) } -> std::same_as<void>;
  // Integer.
  { m.int_binop(IntBinop::kAdd, w, d, a, b) } -> std::same_as<void>;
  { m.int_unop(IntUnop::kClz, w, d, a) } -> std::same_as<void>;
  { m.div(DivOp::kDivS, w, d, a, a, l, l) } -> std::same_as<void>;
  { m.compare(c, w, a, b) } -> std::same_as<void>;
  { m.test_zero(w, a) } -> std::same_as<void>;
  { m.set_cond(c, d) } -> std::same_as<void>;
  { m.select(c, t, d, a) } -> std::same_as<void>;
  // Floating point and conversions.
  { m.float_compare(c, w, a, a) } -> std::same_as<void>;
  { m.float_binop(FloatBinop::kAdd, w, d, a, a) } -> std::same_as<void>;
  { m.float_unop(FloatUnop::kAbs, w, d, a) } -> std::same_as<void>;
  { m.convert(ConvertKind::kI32WrapI64, d, a, l, l) } -> std::same_as<void>;
  // Memory, globals, tables.
  { m.branches_on_oob() } -> std::same_as<bool>;  // load_mem/store_mem jump to their label
  { m.load_mem(LoadKind::kI32, d, a, u, l) } -> std::same_as<void>;
  { m.store_mem(StoreKind::kI32, a, u, b, l) } -> std::same_as<void>;
  { m.memory_size(d) } -> std::same_as<void>;
  { m.load_global(d, t, off, true) } -> std::same_as<void>;
  { m.store_global(off, a, t, true) } -> std::same_as<void>;
  { m.table_get(d, off, a, l) } -> std::same_as<void>;
  { m.table_set(off, a, a, l) } -> std::same_as<void>;
  { m.table_size(d, off) } -> std::same_as<void>;
  { m.ref_func(d, u) } -> std::same_as<void>;
  // Calls.
  { m.call_direct(u) } -> std::same_as<void>;
  { m.call_import(off, off) } -> std::same_as<void>;
  { m.call_indirect(off, a, u, l, l, l) } -> std::same_as<void>;
  { m.call_helper(fn, args) } -> std::same_as<Reg>;
  // Epoch checks: check_interrupt calls the stub `l` when the epoch deadline
  // has passed (out of line: the hot path falls through); emit_epoch_stub(l)
  // (once per function, after its code) emits those calls and binds `l` to
  // the stub, which keeps every caller-saved register, asks the runtime
  // (HelperId::kEpochDeadline) and returns, or unwinds with its trap code.
  { m.check_interrupt(l) } -> std::same_as<void>;
  { m.emit_epoch_stub(l) } -> std::same_as<void>;
  // SIMD (v128 in RegClass::kFp registers), by operator.
  { m.has_simd() } -> std::same_as<bool>;
  { M::kSimdRequirement } -> std::convertible_to<const char*>;
  { M::kSimdUnavailable } -> std::convertible_to<const char*>;  // the refusal's message
  { m.simd_const(d, v128) } -> std::same_as<void>;
  { m.simd_unop(op, d, a) } -> std::same_as<void>;
  { m.simd_binop(op, d, a, a) } -> std::same_as<void>;
  { m.simd_bitselect(d, a, a, a) } -> std::same_as<void>;
  { m.simd_shift(op, d, a, b) } -> std::same_as<void>;
  { m.simd_test(op, d, a) } -> std::same_as<void>;
  { m.simd_splat(op, d, a) } -> std::same_as<void>;
  { m.simd_extract_lane(op, d, a, lane) } -> std::same_as<void>;
  { m.simd_replace_lane(op, d, a, lane) } -> std::same_as<void>;
  { m.simd_shuffle(d, a, a, v128) } -> std::same_as<void>;
  { m.simd_load(op, d, a, u, l) } -> std::same_as<void>;
  { m.simd_store(a, u, d, l) } -> std::same_as<void>;
  { m.simd_load_lane(op, d, a, u, lane, l) } -> std::same_as<void>;
  { m.simd_store_lane(op, a, u, d, lane, l) } -> std::same_as<void>;
  { m.emit_constants() } -> std::same_as<void>;  // after the function's code
  // Branches that reach any target in the function (the module compiler
  // retries a function whose short branches fell short: AArch64's b.cond).
  { m.set_long_branches(true) } -> std::same_as<void>;
  // Traps.
  { m.trap(tc) } -> std::same_as<void>;
  { m.trap_with_code_in_result() } -> std::same_as<void>;
};

}  // namespace brisk::compiler

#endif  // BRISK_COMPILER_CODEGEN_MASM_H_
