// The single-pass function compiler, generic over the MacroAssembler: one
// walk over a body, validating each operator and then emitting it. Operator
// families live in emit_*-inl.h; this file holds the value stack, register
// allocation and control flow.
//
// Locals live in their frame slot or in one register (after local.set/tee,
// or loaded at a loop header when the loop uses them often).
//
// Control flow: at block/loop/if entry every operand register is spilled and
// the block's parameters go to their home slots, so operands below a block
// are the same on every path. Where the locals are in registers at a label
// (its merge state) is decided by the first branch to it (a loop's by its
// header): that branch moves no local. A later branch moves the values it
// carries into the target's home slots (or the return area) and the locals
// into the target's registers or frame slots. A block whose end is reached
// only by falling through keeps its results where they are.
#ifndef BRISK_COMPILER_CODEGEN_FUNC_COMPILER_H_
#define BRISK_COMPILER_CODEGEN_FUNC_COMPILER_H_

#include <algorithm>
#include <bit>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "brisk/status.h"
#include "compiler/codegen/loop_scan.h"
#include "compiler/codegen/masm.h"
#include "compiler/codegen/pod_stack.h"
#include "compiler/codegen/value_stack.h"
#include "compiler/codegen/wasm_abi.h"
#include "compiler/decode/instr.h"
#include "compiler/decode/module.h"
#include "compiler/validate/func_validator.h"
#include "runtime/vmcontext.h"

namespace brisk::compiler {

/// What the compiler of one function needs from the module compiler.
template <class Masm>
struct CompileEnv {
  const Module& module;
  const runtime::VMLayout& layout;
  bool interruptible = false;                         ///< check the epoch deadline at function entries and loop headers
};

template <MacroAssembler Masm>
class FuncCompiler {
  static_assert(WasmAbi<Masm>::registers_are_allocatable());

 public:
  using Label = typename Masm::Label;

  struct Scratch;

  /// `scratch`: storage kept from one function to the next (a batch passes
  /// the same one to each of its functions), or null for storage of its own.
  FuncCompiler(const CompileEnv<Masm>& env, Masm& masm, uint32_t func_index, Scratch* scratch = nullptr);

  /// Validates and compiles the body read by `r` (locals first).
  Status compile(Reader& r);

 private:
  /// Register-resident locals: (local index, register), nothing else.
  using RegLocal = std::pair<uint32_t, Reg>;
  using RegLocals = std::span<const RegLocal>;

  /// A block's parameter or result types without owning them: they point
  /// into the module's types, or hold the single value type inline.
  struct Types {
    const ValType* data = nullptr;
    uint32_t n = 0;
    ValType single = ValType::kBottom;
    const ValType* begin() const { return data ? data : &single; }
    const ValType* end() const { return begin() + n; }
    size_t size() const { return n; }
    bool empty() const { return n == 0; }
  };

  struct Control {
    Opcode kind;                  // kBlock, kLoop, kIf, kElse, kCall (function)
    uint32_t locals_begin = 0;    // loop, if: the locals' registers at entry (a loop's
    uint32_t locals_n = 0;        //   merge state, an if's else arm): [begin, begin + n)
    RegSet locals_regs;           //   of merge_pool_, which are these registers
    uint32_t depth = 0;           // index in ctrl_: its label state is label_pool_[depth * kMaxLocalRegs...]
    uint32_t label_n = 0;         // block, if: the label's merge state once decided
    RegSet label_regs;
    bool label_decided = false;
    uint32_t height;              // stack_ size below the parameters
    Types params;
    Types results;
    Label label;                  // loop header, block/if end, function return (valid once label_used)
    Label else_label;             // if: start of the else branch
    size_t loop_body = 0;         // the innermost loop's (this one's, if a loop) body offset; 0 outside loops
    bool start_reachable;
    bool label_used = false;
    bool else_seen = false;
    const Types& label_types() const { return kind == Opcode::kLoop ? params : results; }
  };

  /// Declared locals that may start in zeroed registers, and how many
  /// registers of a class stay free for the body's own operands.
  static constexpr uint32_t kZeroRegLocals = 4;
  static constexpr int kKeepFreeAtEntry = 6;
  /// A local read from its slot is kept in a register while more than this
  /// many of its class stay free.
  static constexpr int kKeepFreeOnRead = 4;
  /// Whether `bits` has more than n set (no popcount: without -mpopcnt that
  /// is a libgcc call).
  static bool bits_more_than(uint32_t bits, int n) {
    for (int k = 0; k < n && bits; ++k) bits &= bits - 1;
    return bits != 0;
  }

  // -- frame --------------------------------------------------------------------
  int32_t local_offset(uint32_t i) const;
  /// The home slot of stack position `depth` (assigned when it was pushed;
  /// still valid for an operand just popped).
  int32_t home(uint32_t depth) const {
    return homes_[depth];
  }

  // -- value stack & registers -------------------------------------------------
  void push(const Slot& s);
  void push_reg(ValType t, Reg r) { push(Slot::in_reg(t, r)); }
  Slot pop();
  Slot& top(uint32_t i = 0) { return stack_[stack_.size() - 1 - i]; }
  Reg alloc(RegClass cls, RegSet pinned = {});
  Reg alloc_slow(RegClass cls, RegSet pinned);  // no register free: spill one
  /// Of the locals in registers `codes` (of class c), the one whose register
  /// is best given up: inside a loop, the one used furthest ahead
  /// (LoopScan::next_use); then clean before dirty; then least recently used.
  int evict_choice(int c, const int* codes, uint32_t n);
  void free_reg(Reg r) { used_.remove(r); }
  void free_slot(const Slot& s) { if (s.is_reg()) free_reg(s.reg); }
  /// Puts a popped slot's value in a register (which it then owns).
  Reg to_reg(const Slot& s, RegSet pinned = {});
  /// A register holding a popped slot's value for reading only: a cached
  /// local's own register (owned = false, must not be written or freed) or
  /// one to_reg made (owned = true).
  Reg use_reg(const Slot& s, bool* owned, RegSet pinned = {});
  void release(Reg r, bool owned) { if (owned) free_reg(r); }
  /// A popped operand that is in the frame (an operand's home or a local's
  /// slot): the memory operand that reads it, without a register.
  bool frame_operand(const Slot& s, Operand* out) const {
    if (s.kind == Slot::Kind::kStack) {
      *out = Operand::frame(home(s.depth));
      return true;
    }
    if (s.is_local() && !local_loc_[s.local_index()].in_reg) {
      *out = Operand::frame(local_offset(s.local_index()));
      return true;
    }
    return false;
  }
  /// Before local `i` is written: operands that still read its old value
  /// get their own copy.
  void detach_local_refs(uint32_t i);
  void forget(const Slot& s) { if (s.is_local()) --local_refs_[s.local_index()]; }
  /// Like to_reg but for the slot still on the stack at `index`.
  Reg slot_to_reg(size_t index, RegSet pinned = {});
  void spill(size_t index);
  void spill_operands();
  void spill_all();  // operands and locals: every allocatable register dies
  // Locals in registers.
  struct LocalLoc {
    bool in_reg = false;
    bool dirty = false;  // in_reg: the register is newer than the frame slot
    Reg reg;
  };
  void spill_local(uint32_t i);
  /// At a call, before the registers of locals[0, n) (32 at most) die: those
  /// no operand refers to whose value is dead here (overwritten before any
  /// read on every path, LoopScan::overwritten_first) are marked clean, so
  /// that giving the register up stores nothing. Only there: the reader is
  /// past the call (no branch, no local access of its own) and every operand
  /// has been stored or moved, none popped and still to read its local.
  void forget_dead(const uint32_t* locals, uint32_t n);
  /// Local i lives in r from now on; `dirty`: r holds a value the frame
  /// slot does not (false only right after loading it from the slot).
  void bind_local(uint32_t i, Reg r, bool dirty = true);
  /// Records the current register-resident locals as `c`'s merge state.
  void snapshot_locals(Control& c);
  RegLocals entry_locals(const Control& c) const { return RegLocals(merge_pool_.data() + c.locals_begin, c.locals_n); }
  /// A label's merge state: a loop's is its entry state; a block's or an
  /// if's is the state at the first branch to it (decide_label).
  static constexpr uint32_t kMaxLocalRegs =
      std::popcount(Masm::kAllocatable.gp) + std::popcount(Masm::kAllocatable.fp);
  RegLocals label_locals(const Control& c) const {
    if (c.kind == Opcode::kLoop) return entry_locals(c);
    return RegLocals(label_pool_.data() + size_t{c.depth} * kMaxLocalRegs, c.label_n);
  }
  RegSet label_regs(const Control& c) const { return c.kind == Opcode::kLoop ? c.locals_regs : c.label_regs; }
  /// A branch to `c` is about to be emitted: if its label has no merge state
  /// yet, the current one becomes it (so this branch moves no local).
  void decide_label(Control& c);
  void set_label_state(Control& c, RegLocals locals, RegSet regs);
  RegLocal* label_slot(const Control& c);  // c's kMaxLocalRegs entries of label_pool_
  /// The locals are in the registers of `c`'s merge state, and no others.
  bool locals_match(const Control& c) const;
  /// Emits the moves that put the locals where `c`'s merge state has them;
  /// the compile-time state is unchanged (used on branch paths).
  void move_locals_to(const Control& c);
  /// Compile-time only: the locals are where `target` has them.
  void restore_locals(const RegLocals& target);
  /// At a loop header: loads the locals the loop uses most into free registers.
  void cache_loop_locals(const Reader& body);
  void evacuate(RegSet regs);
  void materialize_top_cond();
  /// Operators that take a pending comparison as it is (every other one
  /// materialises it first).
  static bool consumes_cond(Opcode op) {
    return op == Opcode::kBrIf || op == Opcode::kIf || op == Opcode::kSelect || op == Opcode::kSelectT ||
           op == Opcode::kI32Eqz;
  }
  void truncate(size_t size);
  void set_unreachable();
  /// Records why this function cannot be compiled (the first reason sticks);
  /// compile() stops after the current operator and returns it.
  void bail_out(const char* why);
  Status bailout_status(size_t offset) const;

  // -- control -----------------------------------------------------------------
  Status visit(const Instr& in, std::span<const uint32_t> targets);
  void enter_block(const Instr& in);
  void do_else();
  void do_end();
  /// Emits the moves that carry the top values to `c`'s label; leaves the
  /// compile-time state unchanged.
  void merge_to(Control& c);
  bool merge_is_noop(const Control& c) const;
  void branch_to(Control& c);  // unconditional, then unreachable
  void do_br_if(Control& c);
  void do_br_table(const Instr& in, std::span<const uint32_t> targets);
  Control& label_at(uint32_t depth) { return ctrl_[ctrl_.size() - 1 - depth]; }
  /// The label a branch to `c` jumps to, made on first use.
  Label label_of(Control& c) {
    if (!c.label_used) {
      c.label = masm_.new_label();
      c.label_used = true;
    }
    return c.label;
  }
  Label trap_label(runtime::TrapCode code);
  /// A memory access's out-of-bounds label: a stub only where the backend
  /// checks bounds with a branch (guard pages fault instead).
  Label oob_label() {
    return masm_.branches_on_oob() ? trap_label(runtime::TrapCode::kMemoryOutOfBounds) : Label{};
  }
  Label result_trap_label();
  /// Pops a condition: returns the Cond to test and frees what it used.
  Cond pop_condition();

  // -- operator families (emit_*-inl.h) ---------------------------------------
  void emit_const(const Instr& in);
  void emit_int_binop(IntBinop op, Width w);
  void emit_int_unop(IntUnop op, Width w);
  void emit_div(DivOp op, Width w);
  void emit_compare(Cond c, Width w);
  void emit_eqz(Width w);
  void emit_float_binop(FloatBinop op, Width w);
  void emit_float_unop(FloatUnop op, Width w);
  void emit_float_compare(Cond c, Width w);
  void emit_convert(ConvertKind op, ValType from, ValType to);
  bool emit_from_table(const Instr& in);  // false if opcodes.def names no family for `in`
  void emit_select();
  void emit_load(const Instr& in, LoadKind kind);
  void emit_store(const Instr& in, StoreKind kind);
  void emit_local(const Instr& in);
  void emit_local_get(uint32_t i);
  void emit_local_set(uint32_t i);
  void emit_local_tee(uint32_t i);
  void set_local_const(uint32_t i, uint64_t bits);  // wherever local i lives
  void emit_global(const Instr& in);
  void emit_global_get(uint32_t index);
  void emit_global_set(uint32_t index);
  void emit_call(uint32_t func_index);
  void emit_call_indirect(const Instr& in);
  void emit_table_op(const Instr& in);
  void emit_memory_op(const Instr& in);
  void emit_simd(const Instr& in);
  void emit_simd_special(const Instr& in);
  template <class Emit> void emit_simd_binary(Emit&& emit);  // emit(dst, lhs, rhs)
  template <class Emit> void emit_simd_store(Emit&& emit);   // emit(addr, value)
  /// The destination of an in-place vector operation on `src`: itself when
  /// owned, else a new vector register.
  Reg simd_dst(Reg src, bool owned, RegSet pinned = {});
  /// Spills everything, passes the top `n` operands (after `leading`
  /// immediates) to a C++ helper, pops them and returns the result register.
  Reg call_helper(HelperId fn, std::initializer_list<HelperArg> leading, uint32_t n);
  /// Traps with the code a helper returned unless it is 0.
  void check_helper_trap(Reg result);
  void store_call_args(const FuncType& callee);
  void push_call_results(const FuncType& ft);

  const CompileEnv<Masm>& env_;
  const Module& m_;
  Masm& masm_;
  uint32_t func_index_;
  const FuncType& type_;
  std::unique_ptr<Scratch> own_scratch_;
  Scratch& scratch_;
  FuncValidator validator_;

  std::vector<ValType>& locals_;        // params then declared locals
  std::vector<LocalLoc>& local_loc_;
  int32_t reg_local_[2][32];           // [class][reg code] -> local index or -1
  uint32_t reg_stamp_[2][32] = {};     // [class][reg code] -> when its local was last bound or read
  uint32_t clock_ = 0;
  void touch(Reg r) { reg_stamp_[r.is_fp()][r.code] = ++clock_; }
  RegSet local_regs_;                  // registers that hold locals
  std::vector<RegLocal>& merge_pool_;  // entry states of open loops and ifs, a stack like ctrl_
  std::vector<RegLocal>& label_pool_;  // label states, kMaxLocalRegs per ctrl_ depth
  std::vector<uint32_t>& local_refs_;  // kLocal operands per local
  std::vector<int8_t>& merge_dst_;     // per local: move_locals_to's target register (-1: none)
  LoopScan& loop_scan_;                // per-loop local uses, scanned once per function
  const Reader* reader_ = nullptr;     // the body being compiled (loop pre-scan)
  uint32_t num_declared_locals_ = 0;
  PodStack<Slot>& stack_;
  std::vector<Control>& ctrl_;
  RegSet used_;
  bool reachable_ = true;
  std::vector<int32_t>& local_offsets_;  // frame offset of every local, sized by type
  PodStack<int32_t>& homes_;           // home slot offset per stack position, sized by type
  int32_t locals_bottom_ = 0;          // lowest byte of the locals region
  int32_t lowest_offset_ = 0;          // lowest frame byte any slot uses
  uint32_t max_out_ = 0;               // outgoing call slots
  static constexpr uint32_t kNumTrapCodes = static_cast<uint32_t>(runtime::TrapCode::kInternalInvariant) + 1;
  /// A stub's label, made when first asked for: the stub is emitted after
  /// the body only if it was.
  struct LazyLabel {
    Label label{};
    bool used = false;
    Label get(Masm& masm) {
      if (!used) {
        label = masm.new_label();
        used = true;
      }
      return label;
    }
  };
  LazyLabel trap_labels_[kNumTrapCodes];
  LazyLabel epoch_stub_;
  /// The function's epoch stub (emitted with the trap stubs if used).
  Label epoch_stub();
  LazyLabel result_trap_;              // trap code already in the result register
  const char* bailout_ = nullptr;      // set by bail_out: the function fails to compile
};

template <MacroAssembler Masm>
struct FuncCompiler<Masm>::Scratch {
  std::vector<ValType> locals;
  std::vector<LocalLoc> local_loc;
  std::vector<RegLocal> merge_pool;
  std::vector<RegLocal> label_pool;
  std::vector<uint32_t> local_refs;
  std::vector<int8_t> merge_dst;
  LoopScan loop_scan;
  PodStack<Slot> stack;
  std::vector<Control> ctrl;
  std::vector<int32_t> local_offsets;
  PodStack<int32_t> homes;
  FuncValidator::Scratch validator;
  // do_br_table's
  std::vector<Label> table_labels;
  std::vector<Label> table_uniq;
  std::vector<uint32_t> table_target;
  std::vector<uint32_t> table_stubs;
};

template <MacroAssembler Masm>
FuncCompiler<Masm>::FuncCompiler(const CompileEnv<Masm>& env, Masm& masm, uint32_t func_index, Scratch* scratch)
    : env_(env), m_(env.module), masm_(masm), func_index_(func_index), type_(env.module.func_type(func_index)),
      own_scratch_(scratch ? nullptr : std::make_unique<Scratch>()),
      scratch_(scratch ? *scratch : *own_scratch_),
      validator_(env.module, func_index, &scratch_.validator),
      locals_(scratch_.locals), local_loc_(scratch_.local_loc), merge_pool_(scratch_.merge_pool),
      label_pool_(scratch_.label_pool),
      local_refs_(scratch_.local_refs), merge_dst_(scratch_.merge_dst), loop_scan_(scratch_.loop_scan), stack_(scratch_.stack), ctrl_(scratch_.ctrl),
      local_offsets_(scratch_.local_offsets), homes_(scratch_.homes) {
  merge_pool_.clear();
  loop_scan_.reset();
  stack_.clear();
  ctrl_.clear();
  homes_.clear();
}

}  // namespace brisk::compiler

#include "compiler/codegen/func_compiler-inl.h"
#include "compiler/codegen/emit_control-inl.h"
#include "compiler/codegen/emit_numeric-inl.h"
#include "compiler/codegen/emit_memory-inl.h"
#include "compiler/codegen/emit_call-inl.h"
#include "compiler/codegen/emit_simd-inl.h"

#endif  // BRISK_COMPILER_CODEGEN_FUNC_COMPILER_H_
