// The AArch64 MacroAssembler: Wasm-meaning operations on asmjit's
// a64::Assembler. Machine mnemonics stay in masm_a64.cc and, for SIMD
// (NEON), simd_a64.cc.
#ifndef BRISK_COMPILER_A64_MASM_A64_H_
#define BRISK_COMPILER_A64_MASM_A64_H_

#include <asmjit/core.h>
#include <asmjit/arm/a64assembler.h>

#include <cstdint>
#include <span>
#include <vector>

#include "compiler/a64/abi_a64.h"
#include "compiler/codegen/asmjit_code.h"
#include "compiler/codegen/masm.h"
#include "compiler/codegen/trunc_info.h"
#include "compiler/cpu_features.h"
#include "runtime/code_memory.h"

namespace brisk::compiler::a64 {

class A64Masm {
 public:
  using Label = asmjit::Label;

  /// x0-x15, x19-x26; v0-v29 (abi_a64.h).
  static constexpr RegSet kAllocatable{0x07F8FFFFu, 0x3FFFFFFFu};
  static constexpr Reg kIntArgRegs[] = {{0, RegClass::kGp}, {1, RegClass::kGp}, {2, RegClass::kGp}, {3, RegClass::kGp}};
  static constexpr Reg kFloatArgRegs[] = {{0, RegClass::kFp}, {1, RegClass::kFp}, {2, RegClass::kFp}, {3, RegClass::kFp}};
  static constexpr Reg kIntResultReg{0, RegClass::kGp};
  static constexpr Reg kFloatResultReg{0, RegClass::kFp};
  static constexpr int32_t kFirstParamOffset = kFrameFirstParam;
  static constexpr int32_t kFirstLocalOffset = kFrameFirstLocal;
  static constexpr Reg kScratchGp{16, RegClass::kGp};
  static constexpr Reg kScratchFp{31, RegClass::kFp};

  A64Masm(asmjit::a64::Assembler& a, std::vector<runtime::TrapSite>& trap_sites,
          std::vector<Relocation>& relocations, bool explicit_bounds)
      : a_(a), trap_sites_(trap_sites), relocs_(relocations), explicit_bounds_(explicit_bounds) {}

  // -- labels and control ---------------------------------------------------
  Label new_label() { return a_.newLabel(); }
  void bind(Label l) { a_.bind(l); }
  void jump(Label l) { a_.b(l); }
  void branch(Cond c, Label l);
  void branch_if_zero(Width w, Reg r, Label l);
  void branch_if_nonzero(Width w, Reg r, Label l);
  void jump_table(Reg idx, std::span<const Label> targets);
  uint32_t offset() const { return static_cast<uint32_t>(a_.offset()); }
  /// Unbound labels surface when the batch is resolved (BatchAssembler).
  uint32_t label_errors() const { return 0; }

  // -- frame ----------------------------------------------------------------
  void prologue(Label stack_overflow);
  void patch_frame_size(uint32_t bytes);
  void epilogue_return();
  void zero_frame(int32_t lowest_offset, uint32_t count);
  void restore_vmctx();

  // -- moves ------------------------------------------------------------------
  void move(Reg dst, Reg src, ValType t);
  void load_const(Reg dst, ValType t, uint64_t bits);
  void load_frame(Reg dst, ValType t, int32_t off);
  void store_frame(int32_t off, Reg src, ValType t);
  void store_frame_const(int32_t off, ValType t, uint64_t bits);
  void copy_frame(int32_t dst_off, int32_t src_off, ValType t);
  void load_out(Reg dst, ValType t, int32_t off);
  void store_out(int32_t off, Reg src, ValType t);
  void store_out_const(int32_t off, ValType t, uint64_t bits);
  void copy_frame_to_out(int32_t out_off, int32_t frame_off, ValType t);

  // -- integer ----------------------------------------------------------------
  /// Any 32-bit value: an immediate the encoding cannot take goes through x16.
  static bool fits_imm(Width, int64_t v) { return v >= INT32_MIN && v <= INT32_MAX; }
  /// Three-operand division and shifts: nothing beyond the operands.
  static RegSet div_clobbers() { return RegSet{}; }
  static RegSet shift_clobbers() { return RegSet{}; }
  void int_binop(IntBinop op, Width w, Reg dst, Reg lhs, Operand rhs);
  void int_unop(IntUnop op, Width w, Reg dst, Reg src);
  /// sdiv/udiv never fault: zero and INT_MIN / -1 are checked here.
  void div(DivOp op, Width w, Reg dst, Reg lhs, Reg rhs, Label div_by_zero, Label overflow);
  void compare(Cond c, Width w, Reg lhs, Operand rhs);
  void test_zero(Width w, Reg r);
  void set_cond(Cond c, Reg dst);
  void select(Cond c, ValType t, Reg dst, Reg other);

  // -- floating point ---------------------------------------------------------
  void float_compare(Cond c, Width w, Reg lhs, Reg rhs);
  void float_binop(FloatBinop op, Width w, Reg dst, Reg lhs, Reg rhs);
  void float_unop(FloatUnop op, Width w, Reg dst, Reg src);
  void convert(ConvertKind op, Reg dst, Reg src, Label invalid, Label overflow);

  // -- memory, globals, tables ------------------------------------------------
  bool branches_on_oob() const { return explicit_bounds_; }
  void load_mem(LoadKind kind, Reg dst, Reg addr, uint32_t offset, Label oob);
  void store_mem(StoreKind kind, Reg addr, uint32_t offset, Operand value, Label oob);
  void memory_size(Reg dst);
  void load_global(Reg dst, ValType t, int32_t off, bool imported);
  void store_global(int32_t off, Reg src, ValType t, bool imported);
  void table_get(Reg dst, int32_t table_off, Reg idx, Label oob);
  void table_set(int32_t table_off, Reg idx, Reg value, Label oob);
  void table_size(Reg dst, int32_t table_off);
  void ref_func(Reg dst, uint32_t func_index);

  // -- calls ------------------------------------------------------------------
  /// bl to a defined function's entry-table slot (kDirectCall at the bl).
  void call_direct(uint32_t defined_index);
  void call_import(int32_t code_off, int32_t vmctx_off);
  /// The signature check's expected id is a movz/movk pair (kTypeId at the movz).
  void call_indirect(int32_t table_off, Reg idx, uint32_t type_index, Label undefined, Label null,
                     Label mismatch);
  Reg call_helper(HelperId fn, std::span<const HelperArg> args);

  // -- SIMD: v128 in NEON registers (simd_a64.cc). Advanced SIMD is part
  // of every AArch64 Linux target, so there is nothing to detect.
  bool has_simd() const { return true; }
  static constexpr const char* kSimdRequirement = "Advanced SIMD (NEON)";
  static constexpr const char* kSimdUnavailable = "SIMD needs Advanced SIMD (NEON)";
  void simd_const(Reg dst, const uint8_t (&bytes)[16]);
  void simd_unop(Opcode op, Reg dst, Reg src);
  /// dst may be lhs, never rhs.
  void simd_binop(Opcode op, Reg dst, Reg lhs, Reg rhs);
  void simd_bitselect(Reg dst, Reg a, Reg b, Reg mask);
  void simd_shift(Opcode op, Reg dst, Reg src, Operand count);
  void simd_test(Opcode op, Reg dst, Reg src);
  void simd_splat(Opcode op, Reg dst, Reg src);
  void simd_extract_lane(Opcode op, Reg dst, Reg src, uint8_t lane);
  void simd_replace_lane(Opcode op, Reg vec, Reg scalar, uint8_t lane);
  void simd_shuffle(Reg dst, Reg lhs, Reg rhs, const uint8_t (&lanes)[16]);
  void simd_load(Opcode op, Reg dst, Reg addr, uint32_t offset, Label oob);
  void simd_store(Reg addr, uint32_t offset, Reg src, Label oob);
  void simd_load_lane(Opcode op, Reg vec, Reg addr, uint32_t offset, uint8_t lane, Label oob);
  void simd_store_lane(Opcode op, Reg addr, uint32_t offset, Reg src, uint8_t lane, Label oob);
  /// The function's 16-byte constants, after its code (ldr literal reach).
  void emit_constants();

  void check_interrupt(Label epoch_stub);
  void emit_epoch_stub(Label stub);

  // -- traps ------------------------------------------------------------------
  void trap(runtime::TrapCode code);
  void trap_with_code_in_result();
  void unreachable_trap_site(runtime::TrapCode code);
  void set_unwind_label(asmjit::Label l) { unwind_ = l; }
  void set_debug_checks(bool on) { debug_checks_ = on; }
  void set_cpu_features(CpuFeatures f) { cpu_ = f; }
  /// Every conditional branch and literal load in a form that reaches
  /// +-128 MiB (for a function of more than 1 MiB of code).
  void set_long_branches(bool on) { long_branches_ = on; }

  static void emit_unwind_stub(asmjit::a64::Assembler& a);
  /// Leaves an entry trampoline frame: x9 = StoreState*, sp = its entry_sp;
  /// w0 (the return value) is kept.
  static void emit_entry_frame_exit(asmjit::a64::Assembler& a);
  /// dst = v with movz/movn/movk (flags untouched).
  static void mov_imm(asmjit::a64::Assembler& a, const asmjit::a64::Gp& dst, uint64_t v);

 private:
  /// q<vcode> = the 16 bytes, from the function's constant pool.
  void load_pool(uint32_t vcode, const uint8_t (&bytes)[16]);
  /// A load's operand: mem_operand, then the trap site of the access that
  /// follows (guard pages).
  asmjit::a64::Mem access_mem(Reg addr, uint32_t offset, uint32_t size, Label oob);
  /// [x16] for ld1/ld1r/st1, which take no offset or index.
  asmjit::a64::Mem simd_base(Reg addr, uint32_t offset, uint32_t size, Label oob);
  void record_trap_site(runtime::TrapCode code) {
    trap_sites_.push_back({static_cast<uint32_t>(a_.offset()), code});
  }
  /// [base + off] for an access of `size` bytes; out-of-range offsets go
  /// through x17 (so the base may be x16).
  asmjit::a64::Mem slot_mem(const asmjit::a64::Gp& base, int32_t off, uint32_t size);
  void load_slot(Reg dst, ValType t, const asmjit::a64::Gp& base, int32_t off);
  void store_slot(const asmjit::a64::Gp& base, int32_t off, Reg src, ValType t);
  void store_slot_const(const asmjit::a64::Gp& base, int32_t off, ValType t, uint64_t bits);
  void copy_slot(const asmjit::a64::Gp& dst_base, int32_t dst_off, int32_t frame_off, ValType t);
  /// d = s op imm, with the immediate encoded when it can be (x16 otherwise).
  void add_imm(const asmjit::a64::Gp& d, const asmjit::a64::Gp& s, int64_t imm);
  void cmp_imm(const asmjit::a64::Gp& r, int64_t imm);
  /// The memory operand of a Wasm access (bounds check included).
  asmjit::a64::Mem mem_operand(Reg addr, uint32_t offset, uint32_t size, Label oob);
  void trunc_checked(ConvertKind op, Reg dst, Reg src, Label nan, Label too_low, Label too_high);
  void fcvtz(const TruncInfo& ti, Reg dst, Reg src);
  asmjit::a64::GpX global_base(int32_t* off, bool imported);
  void table_elements(int32_t table_off, Reg idx, Label oob);
  /// fcmp s, constant (through x16 and v31).
  void fcmp_const(bool d64, Reg s, double value);
  void emit_word(uint32_t w) { a_.embedUInt32(w); }
  /// emit(target, invert): the short branch; in long-branch mode it is
  /// inverted to skip an unconditional b.
  template <class Emit>
  void short_or_long(Label l, Emit&& emit);
  void bcond(asmjit::a64::CondCode cc, Label l);
  void cbz_(const asmjit::a64::Gp& r, Label l);
  void cbnz_(const asmjit::a64::Gp& r, Label l);
  void adr_self_and_unwind();

  asmjit::a64::Assembler& a_;
  std::vector<runtime::TrapSite>& trap_sites_;
  std::vector<Relocation>& relocs_;
  bool explicit_bounds_;
#ifdef NDEBUG
  bool debug_checks_ = false;
#else
  bool debug_checks_ = true;
#endif
  CpuFeatures cpu_;
  bool long_branches_ = false;
  asmjit::Label unwind_;
  std::vector<std::pair<Label, Label>> epoch_sites_;
  ConstantPool pool_;  // this function's constants (emit_constants)
  size_t frame_patch_ = 0;  // offset of the prologue's movz/movk pair
};

static_assert(MacroAssembler<A64Masm>);


}  // namespace brisk::compiler::a64

#endif  // BRISK_COMPILER_A64_MASM_A64_H_
