// The abstract operand stack of the single-pass compiler (Liftoff's idea):
// every operand is a register, a constant not yet materialised, a value in
// its home frame slot, or a pending comparison whose result is still in the
// flags. Registers are owned by at most one slot.
#ifndef BRISK_COMPILER_CODEGEN_VALUE_STACK_H_
#define BRISK_COMPILER_CODEGEN_VALUE_STACK_H_

#include <cstdint>

#include "compiler/codegen/masm.h"

namespace brisk::compiler {

struct Slot {
  enum class Kind : uint8_t {
    kReg,    ///< in `reg`
    kConst,  ///< `bits`, materialised only when an instruction needs it
    kStack,  ///< in the home frame slot of its depth
    kCond,   ///< `cond` holds in the flags; only ever the top slot
    kLocal,  ///< the current value of local `bits` (wherever it lives); emits
             ///< nothing at local.get, and is copied out before that local changes
  };
  // 16 bytes, copied on every push and pop. A v128 constant does not fit:
  // it is materialised when pushed (or kept in a side pool), not here.
  uint64_t bits = 0;       ///< kConst: i32/i64 bits, f32/f64 bit patterns, refs (0 = null); kLocal: the index
  uint32_t depth = 0;      ///< set by pop(): the index it had, i.e. its home slot
  ValType type = ValType::kI32;
  Kind kind = Kind::kStack;
  union {
    Reg reg{};             ///< kReg
    Cond cond;             ///< kCond
  };

  static Slot in_reg(ValType t, Reg r) { Slot s; s.type = t; s.kind = Kind::kReg; s.reg = r; return s; }
  static Slot constant(ValType t, uint64_t b) { Slot s; s.type = t; s.kind = Kind::kConst; s.bits = b; return s; }
  static Slot on_stack(ValType t) { Slot s; s.type = t; s.kind = Kind::kStack; return s; }
  static Slot flags(Cond c) { Slot s; s.type = ValType::kI32; s.kind = Kind::kCond; s.cond = c; return s; }
  static Slot local(ValType t, uint32_t index) { Slot s; s.type = t; s.kind = Kind::kLocal; s.bits = index; return s; }
  bool is_local() const { return kind == Kind::kLocal; }
  uint32_t local_index() const { return static_cast<uint32_t>(bits); }
  bool is_reg() const { return kind == Kind::kReg; }
  bool is_const() const { return kind == Kind::kConst; }
};
static_assert(sizeof(Slot) == 16);

}  // namespace brisk::compiler

#endif  // BRISK_COMPILER_CODEGEN_VALUE_STACK_H_
