// The x86-64 MacroAssembler: Wasm-meaning operations on asmjit's
// x86::Assembler. Machine mnemonics stay in masm_x64.cc.
#ifndef BRISK_COMPILER_X64_MASM_X64_H_
#define BRISK_COMPILER_X64_MASM_X64_H_

#include <asmjit/x86.h>

#include <cstdint>
#include <span>
#include <vector>

#include "compiler/codegen/asmjit_code.h"
#include "compiler/codegen/masm.h"
#include "compiler/cpu_features.h"
#include "compiler/x64/abi_x64.h"
#include "compiler/x64/labels_x64.h"
#include "compiler/x64/raw_x64.h"
#include "runtime/code_memory.h"

namespace brisk::compiler::x64 {

class X64Masm {
 public:
  using Label = x64::Label;  // labels_x64.h

  /// Registers the function compiler may allocate (r10, r11, xmm14, xmm15
  /// are scratch; r14, r15, rsp, rbp are pinned).
  static constexpr RegSet kAllocatable{0b0011'0011'1100'1111, 0x3fff};
  /// The register calling convention (compiler/codegen/wasm_abi.h): rsi,
  /// rbx, r8, r9 and xmm0-xmm3 for parameters (not rax/rdx/rcx, which
  /// division and shifts clobber, nor rdi, which the prologue's zeroing
  /// uses), rax and xmm0 for the first integer and float result.
  static constexpr Reg kIntArgRegs[] = {{6, RegClass::kGp}, {3, RegClass::kGp}, {8, RegClass::kGp}, {9, RegClass::kGp}};
  static constexpr Reg kFloatArgRegs[] = {{0, RegClass::kFp}, {1, RegClass::kFp}, {2, RegClass::kFp}, {3, RegClass::kFp}};
  static constexpr Reg kIntResultReg{0, RegClass::kGp};
  static constexpr Reg kFloatResultReg{0, RegClass::kFp};
  /// Frame layout (abi_x64.h): parameter 0 and the first declared local,
  /// relative to the frame pointer; every slot is 8 bytes.
  static constexpr int32_t kFirstParamOffset = kFrameFirstParam;
  static constexpr int32_t kFirstLocalOffset = kFrameFirstLocal;
  /// Scratch registers the shared compiler may use for parallel moves.
  static constexpr Reg kScratchGp{11, RegClass::kGp};
  static constexpr Reg kScratchFp{15, RegClass::kFp};

  /// `labels`: the table to keep this function's labels in (reset here),
  /// or null for one of its own.
  X64Masm(asmjit::x86::Assembler& a, std::vector<runtime::TrapSite>& trap_sites,
          std::vector<Relocation>& relocations, bool explicit_bounds, LabelTable* labels = nullptr)
      : a_(a), raw_(a), trap_sites_(trap_sites), relocs_(relocations), explicit_bounds_(explicit_bounds),
        labels_(labels ? *labels : own_labels_) {
    labels_.reset();
  }

  // -- labels and control ---------------------------------------------------
  Label new_label() { return labels_.make(); }
  void bind(Label l);
  void jump(Label l);
  void branch(Cond c, Label l);
  void branch_if_zero(Width w, Reg r, Label l);
  void branch_if_nonzero(Width w, Reg r, Label l);
  /// Jumps to targets[idx] if idx < targets.size(), else falls through.
  void jump_table(Reg idx, std::span<const Label> targets);
  uint32_t offset() const { return static_cast<uint32_t>(a_.offset()); }
  /// Branches to labels never bound, or labels bound twice, in this
  /// function: 0 when its code is complete.
  uint32_t label_errors() const { return labels_.pending() + labels_.bad_binds(); }

  // -- frame ----------------------------------------------------------------
  /// push rbp; mov rbp, rsp; sub rsp, <patched later>; stack check; save vmctx.
  void prologue(Label stack_overflow);
  /// Patches the frame size of the prologue just emitted for this function.
  void patch_frame_size(uint32_t bytes);
  void epilogue_return();
  void zero_frame(int32_t lowest_offset, uint32_t count);
  void restore_vmctx();

  // -- moves between registers, frame slots and the outgoing area ------------
  void move(Reg dst, Reg src, ValType t);
  void load_const(Reg dst, ValType t, uint64_t bits);
  void load_frame(Reg dst, ValType t, int32_t off);           // [rbp + off]
  void store_frame(int32_t off, Reg src, ValType t);
  void store_frame_const(int32_t off, ValType t, uint64_t bits);
  void copy_frame(int32_t dst_off, int32_t src_off, ValType t);
  void load_out(Reg dst, ValType t, int32_t off);             // [rsp + off]
  void store_out(int32_t off, Reg src, ValType t);
  void store_out_const(int32_t off, ValType t, uint64_t bits);
  void copy_frame_to_out(int32_t out_off, int32_t frame_off, ValType t);

  // -- integer ----------------------------------------------------------------
  static bool fits_imm(Width, int64_t v) { return v >= INT32_MIN && v <= INT32_MAX; }
  /// Registers an operation clobbers beyond its operands (x86: rax/rdx for
  /// division, rcx for variable shifts); the compiler evacuates them first.
  static RegSet div_clobbers() { return RegSet{(1u << 0) | (1u << 2), 0}; }
  static RegSet shift_clobbers() { return RegSet{1u << 1, 0}; }
  void int_binop(IntBinop op, Width w, Reg dst, Reg lhs, Operand rhs);
  void int_unop(IntUnop op, Width w, Reg dst, Reg src);
  void div(DivOp op, Width w, Reg dst, Reg lhs, Reg rhs, Label div_by_zero, Label overflow);
  void compare(Cond c, Width w, Reg lhs, Operand rhs);
  void test_zero(Width w, Reg r);  // then Cond::kEq means "was zero"
  void set_cond(Cond c, Reg dst);
  /// dst = c ? dst : other (flags from the last compare are still live).
  void select(Cond c, ValType t, Reg dst, Reg other);

  // -- floating point ---------------------------------------------------------
  void float_compare(Cond c, Width w, Reg lhs, Reg rhs);
  void float_binop(FloatBinop op, Width w, Reg dst, Reg lhs, Reg rhs);
  void float_unop(FloatUnop op, Width w, Reg dst, Reg src);
  /// Every conversion, reinterpretation, wrap and extension by opcode.
  void convert(ConvertKind op, Reg dst, Reg src, Label invalid, Label overflow);

  // -- memory, globals, tables ------------------------------------------------
  /// Whether load_mem/store_mem branch to their `oob` label (explicit
  /// bounds checks) rather than fault on a guard page (the label unused).
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
  /// call rel32 to a defined function's entry-table slot (a kDirectCall
  /// relocation): patched when the module's code is laid out.
  void call_direct(uint32_t defined_index);
  void call_import(int32_t code_off, int32_t vmctx_off);
  /// The signature check compares with the canonical id of module type
  /// `type_index` (a kTypeId relocation).
  void call_indirect(int32_t table_off, Reg idx, uint32_t type_index, Label undefined, Label null,
                     Label mismatch);
  /// Calls a C++ function; the result (if any) is in the returned register.
  Reg call_helper(HelperId fn, std::span<const HelperArg> args);

  // -- SIMD: v128 in xmm registers (simd_x64.cc) --------------------------------
  /// SSE4.1 is the floor; with AVX the VEX three-operand forms avoid copies.
  bool has_simd() const { return cpu_.has(CpuFeature::kSse41); }
  static constexpr const char* kSimdRequirement = "SSE4.1";
  static constexpr const char* kSimdUnavailable =
      "SIMD needs SSE4.1, which this CPU (or the configured CPU feature mask) does not have";
  void simd_const(Reg dst, const uint8_t (&bytes)[16]);
  void simd_unop(Opcode op, Reg dst, Reg src);
  /// dst may be lhs, or a register that is neither (never rhs, unless lhs is rhs).
  void simd_binop(Opcode op, Reg dst, Reg lhs, Reg rhs);
  void simd_bitselect(Reg dst, Reg a, Reg b, Reg mask);
  void simd_shift(Opcode op, Reg dst, Reg src, Operand count);
  /// any_true, all_true, bitmask: an i32 into a general register.
  void simd_test(Opcode op, Reg dst, Reg src);
  void simd_splat(Opcode op, Reg dst, Reg src);
  void simd_extract_lane(Opcode op, Reg dst, Reg src, uint8_t lane);
  void simd_replace_lane(Opcode op, Reg vec, Reg scalar, uint8_t lane);
  void simd_shuffle(Reg dst, Reg lhs, Reg rhs, const uint8_t (&lanes)[16]);
  void simd_load(Opcode op, Reg dst, Reg addr, uint32_t offset, Label oob);
  void simd_store(Reg addr, uint32_t offset, Reg src, Label oob);
  void simd_load_lane(Opcode op, Reg vec, Reg addr, uint32_t offset, uint8_t lane, Label oob);
  void simd_store_lane(Opcode op, Reg addr, uint32_t offset, Reg src, uint8_t lane, Label oob);
  /// The function's 16-byte constants (v128.const, masks), after its code.
  void emit_constants();

  /// Jumps to `interrupted` if the store's interrupt flag is set.
  void check_interrupt(Label epoch_stub);
  void emit_epoch_stub(Label stub);

  // -- traps ------------------------------------------------------------------
  /// Out-of-line trap stub body: trap code into eax, jump to the unwinder.
  void trap(runtime::TrapCode code);
  /// Jumps to the unwinder with the trap code already in eax.
  void trap_with_code_in_result();
  void unreachable_trap_site(runtime::TrapCode code);
  void set_unwind_label(asmjit::Label l) { unwind_ = l; }
  /// Emit cheap checks of code-generation invariants (on in debug builds):
  /// an i32 used as an address has a zero upper half, else the function
  /// traps with kInternalInvariant instead of touching memory.
  void set_debug_checks(bool on) { debug_checks_ = on; }
  /// The CPU features emission may use beyond SSE2 (default: none). Without
  /// LZCNT, BMI1, POPCNT or SSE4.1 the operations use baseline sequences.
  void set_cpu_features(CpuFeatures f) { cpu_ = f; }
  /// rel32 branches reach any function: nothing to do.
  void set_long_branches(bool) {}

  /// The module-wide unwind stub (also used by the signal handler).
  static void emit_unwind_stub(asmjit::x86::Assembler& a);
  /// Leaves an entry trampoline frame: rcx = StoreState*, rsp at the saved
  /// previous entry_sp; restores it and the callee-saved registers, returns.
  static void emit_entry_frame_exit(asmjit::x86::Assembler& a);

 private:
  asmjit::x86::Mem mem_operand(Reg addr, uint32_t offset, uint32_t size, Label oob);
  // Branches to labels: the short form back to a bound label in reach (as
  // asmjit picks), else rel32, patched at bind for a label not bound yet.
  void jcc(asmjit::x86::CondCode cc, Label l);
  /// `short_op` rel8 if l is bound and in reach, else long_op[0..long_len) rel32.
  void emit_branch(Label l, uint8_t short_op, const uint8_t* long_op, size_t long_len);
  /// The end of a trap stub: its own address into r10, then the unwind stub.
  void lea_self_and_unwind();
  void call_label(Label l);
  void emit_bytes(const uint8_t (&b)[8], size_t n);  // the first n of b
  /// Writes v at code offset `at` if those bytes were emitted.
  void patch32(size_t at, int32_t v);
  /// The rel32 field at `at` (ending at `end`) for l: the value if bound, a
  /// reference to patch otherwise.
  int32_t rel32_to(Label l, uint32_t at, uint32_t end);
  void check_i32_upper_zero(Reg r);
  void popcnt_baseline(Width w, Reg dst, Reg src);
  void round_baseline(FloatUnop op, bool d64, Reg dst, Reg src);
  void record_trap_site(runtime::TrapCode code) {
    trap_sites_.push_back({static_cast<uint32_t>(a_.offset()), code});
  }
  void trunc_checked(ConvertKind op, Reg dst, Reg src, Label nan, Label too_low, Label too_high);
  void load_slot(Reg dst, ValType t, const asmjit::x86::Gp& base, int32_t off);
  void store_slot(const asmjit::x86::Gp& base, int32_t off, Reg src, ValType t);
  void store_slot_const(const asmjit::x86::Gp& base, int32_t off, ValType t, uint64_t bits);
  void copy_slot(const asmjit::x86::Gp& dst_base, int32_t dst_off, int32_t frame_off, ValType t);
  void trunc_sat(ConvertKind op, Reg dst, Reg src);

  // SIMD helpers (simd_x64.cc).
  bool avx() const { return cpu_.has(CpuFeature::kAvx); }
  /// d = l op r: the VEX form with AVX, else a copy of l into d (when they
  /// differ) and the two-operand form; r may be a register or memory.
  void vbin(asmjit::InstId sse, asmjit::InstId avx_id, const asmjit::x86::Xmm& d, const asmjit::x86::Xmm& l,
            const asmjit::Operand& r, int imm = -1);
  /// d = op s for instructions that write all of d (pmovsx, cvt, pabs...).
  void vun(asmjit::InstId sse, asmjit::InstId avx_id, const asmjit::x86::Xmm& d, const asmjit::Operand& s,
           int imm = -1);
  void vmove(const asmjit::x86::Xmm& d, const asmjit::x86::Xmm& s);
  void vnot(const asmjit::x86::Xmm& d);
  /// A 16-byte constant in the function's pool, [rip + label].
  asmjit::x86::Mem pool(const uint8_t (&bytes)[16]);
  /// `v`'s low `lane_bytes` bytes in every lane.
  asmjit::x86::Mem pool_splat(uint64_t v, int lane_bytes);
  void i64x2_gt(const asmjit::x86::Xmm& d, const asmjit::x86::Xmm& a, const asmjit::x86::Xmm& b);
  void float_minmax(bool pd, bool max, const asmjit::x86::Xmm& d, const asmjit::x86::Xmm& l,
                    const asmjit::x86::Xmm& r);
  void simd_convert(Opcode op, const asmjit::x86::Xmm& d, const asmjit::x86::Xmm& s);
  /// d = s with NaN lanes zeroed; kT1 (xmm15) is left holding the not-NaN mask.
  void zero_nans(bool pd, const asmjit::x86::Xmm& d, const asmjit::x86::Xmm& s);
  void simd_extmul(Opcode op, const asmjit::x86::Xmm& d, const asmjit::x86::Xmm& l, const asmjit::x86::Xmm& r);
  asmjit::x86::Mem simd_mem(Reg addr, uint32_t offset, uint32_t size, Label oob);

  /// `op` on `m` ([base + index + disp]) through RawX64; false: use asmjit.
  bool raw_mem(RawMemOp op, uint8_t reg, const asmjit::x86::Mem& m);

  asmjit::x86::Assembler& a_;
  RawX64 raw_;  // the most frequent forms, encoded directly (raw_x64.h)
  std::vector<runtime::TrapSite>& trap_sites_;
  std::vector<Relocation>& relocs_;
  bool explicit_bounds_;
#ifdef NDEBUG
  bool debug_checks_ = false;
#else
  bool debug_checks_ = true;
#endif
  CpuFeatures cpu_;
  LabelTable own_labels_;
  LabelTable& labels_;
  asmjit::Label unwind_;  // the batch's unwind stub (bound before any function)
  std::vector<std::pair<Label, Label>> epoch_sites_;  ///< (out-of-line call, resume) per check
  size_t frame_patch_ = 0;  // offset of the prologue's imm32 frame size
  ConstantPool pool_;  ///< this function's constants (emit_constants)
};

static_assert(MacroAssembler<X64Masm>);


}  // namespace brisk::compiler::x64

#endif  // BRISK_COMPILER_X64_MASM_X64_H_
