// Brisk's Wasm-to-Wasm calling convention, computed from the backend's
// register lists so the compiler, the trampolines and the unwinder agree:
// the first Masm::kIntArgRegs integer/reference parameters and the first
// Masm::kFloatArgRegs float parameters travel in those registers, the first
// integer result in Masm::kIntResultReg and the first float result in
// Masm::kFloatResultReg (v128 values are of the float class); every other
// value in its positional slot of the caller's outgoing area (8 bytes, 16 for
// a v128: slot_units), which is reserved for all of them (so a callee spills
// a register parameter to that slot when it must).
#ifndef BRISK_COMPILER_CODEGEN_WASM_ABI_H_
#define BRISK_COMPILER_CODEGEN_WASM_ABI_H_

#include <span>
#include <vector>

#include "compiler/codegen/masm.h"

namespace brisk::compiler {

/// Where one parameter or result lives at a call boundary.
struct AbiLoc {
  bool in_reg = false;
  Reg reg;  ///< when in_reg; otherwise the value is in slot `index` of the area
};

template <class M>
struct WasmAbi {
  /// The location of the next parameter of type `t`; `gp` and `fp` count the
  /// registers handed out so far (start both at 0). No allocation: the
  /// compiler asks once per argument.
  static AbiLoc next_param(ValType t, uint32_t& gp, uint32_t& fp) {
    if (class_of(t) == RegClass::kFp) {
      if (fp < std::size(M::kFloatArgRegs)) return {true, M::kFloatArgRegs[fp++]};
    } else if (gp < std::size(M::kIntArgRegs)) {
      return {true, M::kIntArgRegs[gp++]};
    }
    return {};
  }
  /// Which results travel in registers: the first of each class (-1: none).
  static void register_results(std::span<const ValType> types, int32_t& gp_index, int32_t& fp_index) {
    gp_index = fp_index = -1;
    for (size_t j = 0; j < types.size(); ++j) {
      int32_t& slot = class_of(types[j]) == RegClass::kFp ? fp_index : gp_index;
      if (slot < 0) slot = static_cast<int32_t>(j);
    }
  }
  static AbiLoc result(size_t j, int32_t gp_index, int32_t fp_index) {
    if (static_cast<int32_t>(j) == gp_index) return {true, M::kIntResultReg};
    if (static_cast<int32_t>(j) == fp_index) return {true, M::kFloatResultReg};
    return {};
  }
  /// Every location at once, for the trampolines.
  static std::vector<AbiLoc> params(std::span<const ValType> types) {
    std::vector<AbiLoc> out;
    uint32_t gp = 0, fp = 0;
    for (ValType t : types) out.push_back(next_param(t, gp, fp));
    return out;
  }
  static std::vector<AbiLoc> results(std::span<const ValType> types) {
    std::vector<AbiLoc> out;
    int32_t gp_index, fp_index;
    register_results(types, gp_index, fp_index);
    for (size_t j = 0; j < types.size(); ++j) out.push_back(result(j, gp_index, fp_index));
    return out;
  }
  /// Parameters arrive as register-resident locals: every register of the
  /// convention must be one the compiler allocates.
  static constexpr bool registers_are_allocatable() {
    for (Reg r : M::kIntArgRegs) {
      if (r.is_fp() || !((M::kAllocatable.gp >> r.code) & 1)) return false;
    }
    for (Reg r : M::kFloatArgRegs) {
      if (!r.is_fp() || !((M::kAllocatable.fp >> r.code) & 1)) return false;
    }
    return ((M::kAllocatable.gp >> M::kIntResultReg.code) & 1) && ((M::kAllocatable.fp >> M::kFloatResultReg.code) & 1);
  }
  static RegSet arg_regs() {
    RegSet s;
    for (Reg r : M::kIntArgRegs) s.add(r);
    for (Reg r : M::kFloatArgRegs) s.add(r);
    return s;
  }
};

/// f(type, location, offset) for each value of `types`, the offsets laid out
/// positionally from `base` (8 bytes a value, 16 a v128: slot_units), as in
/// the host's slots and a call's outgoing area. For the trampolines.
template <class F>
void for_each_slot(std::span<const ValType> types, std::span<const AbiLoc> locs, int32_t base, F&& f) {
  int32_t at = base;
  for (size_t i = 0; i < types.size(); ++i) {
    f(types[i], locs[i], at);
    at += 8 * static_cast<int32_t>(slot_units(types[i]));
  }
}

}  // namespace brisk::compiler

#endif  // BRISK_COMPILER_CODEGEN_WASM_ABI_H_
