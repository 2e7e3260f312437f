// The spec's validation algorithm for one function body (operand stack plus
// control stack, polymorphic after unreachable/br/return), one operator at a
// time so the single-pass compiler can validate-then-emit without decoding twice.
#ifndef BRISK_COMPILER_VALIDATE_FUNC_VALIDATOR_H_
#define BRISK_COMPILER_VALIDATE_FUNC_VALIDATOR_H_

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "brisk/status.h"
#include "compiler/decode/instr.h"
#include "compiler/decode/module.h"
#include "compiler/decode/module_decoder.h"
#include "compiler/decode/reader.h"

namespace brisk::compiler {

namespace validate_detail {

// Operand/result types of a Sig, as [results..., params...] strings.
struct SigTypes {
  ValType result;  // kBottom: none
  ValType params[3];
  uint8_t num_params;
};

inline constexpr ValType I = ValType::kI32, L = ValType::kI64, F = ValType::kF32, D = ValType::kF64,
                  V = ValType::kV128, N = ValType::kBottom;

constexpr bool sig_types(Sig sig, SigTypes& out) {
  switch (sig) {
#define BRISK_SIG1(name, r, p) case Sig::name: out = {r, {p, N, N}, 1}; return true;
#define BRISK_SIG2(name, r, p, q) case Sig::name: out = {r, {p, q, N}, 2}; return true;
    BRISK_SIG1(k_i_i, I, I) BRISK_SIG2(k_i_ii, I, I, I) BRISK_SIG1(k_i_l, I, L) BRISK_SIG2(k_i_ll, I, L, L)
    BRISK_SIG1(k_i_f, I, F) BRISK_SIG2(k_i_ff, I, F, F) BRISK_SIG1(k_i_d, I, D) BRISK_SIG2(k_i_dd, I, D, D)
    BRISK_SIG1(k_i_v, I, V)
    BRISK_SIG1(k_l_l, L, L) BRISK_SIG2(k_l_ll, L, L, L) BRISK_SIG1(k_l_i, L, I) BRISK_SIG1(k_l_f, L, F)
    BRISK_SIG1(k_l_d, L, D)
    BRISK_SIG1(k_f_f, F, F) BRISK_SIG2(k_f_ff, F, F, F) BRISK_SIG1(k_f_i, F, I) BRISK_SIG1(k_f_l, F, L)
    BRISK_SIG1(k_f_d, F, D)
    BRISK_SIG1(k_d_d, D, D) BRISK_SIG2(k_d_dd, D, D, D) BRISK_SIG1(k_d_i, D, I) BRISK_SIG1(k_d_l, D, L)
    BRISK_SIG1(k_d_f, D, F)
    BRISK_SIG1(k_v_v, V, V) BRISK_SIG2(k_v_vv, V, V, V) BRISK_SIG2(k_v_vi, V, V, I)
    BRISK_SIG1(k_v_i, V, I) BRISK_SIG1(k_v_l, V, L) BRISK_SIG1(k_v_f, V, F) BRISK_SIG1(k_v_d, V, D)
    case Sig::k_v_vvv: out = {V, {V, V, V}, 3}; return true;
    case Sig::kLoad_i: out = {I, {I, N, N}, 1}; return true;
    case Sig::kLoad_l: out = {L, {I, N, N}, 1}; return true;
    case Sig::kLoad_f: out = {F, {I, N, N}, 1}; return true;
    case Sig::kLoad_d: out = {D, {I, N, N}, 1}; return true;
    case Sig::kLoad_v: out = {V, {I, N, N}, 1}; return true;
    case Sig::kStore_i: out = {N, {I, I, N}, 2}; return true;
    case Sig::kStore_l: out = {N, {I, L, N}, 2}; return true;
    case Sig::kStore_f: out = {N, {I, F, N}, 2}; return true;
    case Sig::kStore_d: out = {N, {I, D, N}, 2}; return true;
    case Sig::kStore_v: out = {N, {I, V, N}, 2}; return true;
#undef BRISK_SIG1
#undef BRISK_SIG2
    default:
      return false;
  }
}

// sig_types for every Sig, computed at compile time: the per-operator path
// is a load.
struct SigTable {
  SigTypes types[256] = {};
  bool valid[256] = {};
  constexpr SigTable() {
    for (int i = 0; i < 256; ++i) valid[i] = sig_types(static_cast<Sig>(i), types[i]);
  }
};
inline constexpr SigTable kSigTable;
static_assert([] {
  for (int i = static_cast<int>(Sig::kLoad_i); i <= static_cast<int>(Sig::k_v_d); ++i) {
    if (!kSigTable.valid[i]) return false;
  }
  return true;
}(), "every Sig from kLoad_i on has its types: validate() relies on it");

}  // namespace validate_detail


class FuncValidator {
 public:
  /// One entry of the control stack (spec: ctrl_frame).
  struct Ctrl {
    Opcode op;              ///< kBlock, kLoop, kIf, kElse, or kCall for the function frame
    const ValType* params;  ///< start types
    uint32_t num_params;
    const ValType* results; ///< end types (nullptr with num_results 1: see single)
    uint32_t num_results;
    ValType single;         ///< the one result of a value block type
    uint32_t height;        ///< operand stack height at entry (after params were popped)
    bool unreachable;       ///< rest of the block is unreachable: stack is polymorphic
  };

  /// Storage kept from one function to the next (see FuncCompiler::Scratch).
  struct Scratch {
    std::vector<ValType> locals;
    std::vector<ValType> vals;
    std::vector<Ctrl> ctrls;
    std::vector<ValType> labels;
  };

  /// `scratch`: reused storage, or null for storage of its own.
  FuncValidator(const Module& module, uint32_t func_index, Scratch* scratch = nullptr);

  /// Reads the local declarations at the start of the body.
  Status decode_locals(Reader& r);
  /// Validates one operator; `targets` are br_table's non-default labels.
  /// Inline: operators of a fixed signature and the hottest special ones;
  /// the rest in validate_rest().
  __attribute__((always_inline)) Status validate(const Instr& in, std::span<const uint32_t> targets) {
    at_ = in.offset;
    const OpcodeInfo& info = opcode_info(in.op);
    if (info.sig >= Sig::kLoad_i) {  // a fixed signature (every one from kLoad_i on has its types)
      const validate_detail::SigTypes& st = validate_detail::kSigTable.types[static_cast<uint8_t>(info.sig)];
      if (info.sig <= Sig::kStore_v) {  // a load or store: memory 0, alignment (errors: validate_rest)
        if (module_.memories.empty() || in.mem.align_log2 > info.align) return validate_rest(in, targets);
      }
      for (int i = st.num_params; i-- > 0;) BRISK_TRY(pop_expect(st.params[i]));
      if (st.result != ValType::kBottom) push(st.result);
      return Status::ok();
    }
    switch (in.op) {
      case Opcode::kLocalGet:
        if (in.index >= locals_.size()) break;
        push(locals_[in.index]);
        return Status::ok();
      case Opcode::kLocalSet:
      case Opcode::kLocalTee:
        if (in.index >= locals_.size()) break;
        BRISK_TRY(pop_expect(locals_[in.index]));
        if (in.op == Opcode::kLocalTee) push(locals_[in.index]);
        return Status::ok();
      case Opcode::kI32Const:
        push(ValType::kI32);
        return Status::ok();
      default:
        break;
    }
    return validate_rest(in, targets);
  }
  // The fast lane of walk_body: the commonest operators with a one-byte
  // immediate, validated without an Instr. Each returns false, changing
  // nothing, when the operator is not the plain valid case; validate() then
  // sees it and reports what is wrong.
  bool try_local_get(uint32_t index) {
    if (index >= locals_.size()) [[unlikely]] return false;
    push(locals_[index]);
    return true;
  }
  bool try_local_set(uint32_t index) {
    if (index >= locals_.size() || !pop_exact(locals_[index])) [[unlikely]] return false;
    return true;
  }
  bool try_local_tee(uint32_t index) {
    if (index >= locals_.size() || !top_exact(locals_[index])) [[unlikely]] return false;
    return true;
  }
  bool try_global_get(uint32_t index) {
    if (index >= module_.globals.size()) [[unlikely]] return false;
    push(module_.globals[index].type);
    return true;
  }
  void constant(ValType t) { push(t); }  // i32.const, i64.const: always valid
  /// An operator of a fixed signature without a memory access (the opcode
  /// byte is in kPlainFixed), its operands exactly of its types.
  bool try_plain(Opcode op) { return try_fixed(opcode_info(op)); }
  /// A load or store of memory 0 (kFastForm kMem) with this alignment.
  bool try_memory(Opcode op, uint32_t align_log2) {
    const OpcodeInfo& info = opcode_info(op);
    if (module_.memories.empty() || align_log2 > info.align) [[unlikely]] return false;
    return try_fixed(info);
  }
  /// True once the function's final `end` was validated.
  bool done() const { return ctrls_.empty(); }

  const std::vector<ValType>& locals() const { return locals_; }
  const std::vector<ValType>& operand_types() const { return vals_; }
  const std::vector<Ctrl>& control_stack() const { return ctrls_; }
  static std::span<const ValType> start_types(const Ctrl& c) { return {c.params, c.num_params}; }
  static std::span<const ValType> end_types(const Ctrl& c) {
    return c.results ? std::span<const ValType>(c.results, c.num_results)
                     : std::span<const ValType>(&c.single, c.num_results);
  }
  static std::span<const ValType> label_types(const Ctrl& c) {
    return c.op == Opcode::kLoop ? start_types(c) : end_types(c);
  }

 private:
  Status error(const std::string& msg) const { return Status::invalid(msg, at_); }
  Status type_mismatch() const { return error("type mismatch"); }

  void push(ValType t) { vals_.push_back(t); }
  void push_all(std::span<const ValType> ts) { vals_.insert(vals_.end(), ts.begin(), ts.end()); }
  Result<ValType> pop();
  /// The common case inline: a value of the expected type above the frame.
  Status pop_expect(ValType expect) {
    if (vals_.size() > ctrls_.back().height) [[likely]] {
      ValType t = vals_.back();
      if (t == expect || t == ValType::kBottom || expect == ValType::kBottom) {
        vals_.pop_back();
        return Status::ok();
      }
    }
    return pop_expect_slow(expect);
  }
  Status pop_expect_slow(ValType expect);
  bool try_fixed(const OpcodeInfo& info) {
    const validate_detail::SigTypes& st = validate_detail::kSigTable.types[static_cast<uint8_t>(info.sig)];
    size_t n = st.num_params, size = vals_.size();
    if (size < ctrls_.back().height + n) [[unlikely]] return false;
    const ValType* top = vals_.data() + size - n;
    for (size_t i = 0; i < n; ++i) {
      if (top[i] != st.params[i]) [[unlikely]] return false;
    }
    vals_.resize(size - n);
    if (st.result != ValType::kBottom) push(st.result);
    return true;
  }
  /// The top operand, above the frame, is of type t: pops it (or only looks).
  bool top_exact(ValType t) const { return vals_.size() > ctrls_.back().height && vals_.back() == t; }
  bool pop_exact(ValType t) {
    if (!top_exact(t)) return false;
    vals_.pop_back();
    return true;
  }
  Status pop_all(std::span<const ValType> ts);
  void push_ctrl(Opcode op, const BlockType& bt);
  Status pop_ctrl(Ctrl& out);
  void set_unreachable();

  Status block_signature(const BlockType& bt, Ctrl& c);
  Status check_memory(uint32_t mem);
  Status check_table(uint32_t table);
  Status check_align(const MemArg& m, uint32_t natural_log2);
  Status check_label(uint32_t depth, const Ctrl** out);
  Status validate_rest(const Instr& in, std::span<const uint32_t> targets);
  Status validate_special(const Instr& in, std::span<const uint32_t> targets);
  Status validate_simd_special(const Instr& in);

  const Module& module_;
  const FuncType& type_;
  std::unique_ptr<Scratch> own_;
  Scratch& s_;
  std::vector<ValType>& locals_;
  std::vector<ValType>& vals_;
  std::vector<Ctrl>& ctrls_;
  std::vector<ValType>& scratch_;  // br_table label types
  uint32_t at_ = 0;               // offset of the operator being validated
};

/// The fused loop: decodes each operator of a body once, validates it, then
/// hands it to `visit(instr, br_table_targets)` (the code generator, or
/// nothing). Runs until the function's final `end`.
template <class Visit>
Status walk_body(const Module& module, Reader& r, FuncValidator& validator, Visit&& visit) {
  InstrDecoder dec(module.data_count.has_value());
  Instr in;
  while (!validator.done()) {
    if constexpr (requires { visit.local_get(0u); }) {
      // The fast lane: the commonest operators (half of a body's and more),
      // decoded, validated and emitted here, without the three dispatches
      // on the opcode of the way below. Anything unusual about one (a longer
      // immediate, an error) goes that way instead.
      if (r.remaining() >= 2) [[likely]] {
        const uint8_t* p = r.pos();
        uint8_t b = p[0], x = p[1];
        if ((b == 0x41 || b == 0x42) && r.remaining() >= 6) {  // i32.const, i64.const of 32 bits
          int32_t v;
          if (int n = InstrDecoder::sleb32(p + 1, &v)) {
            ValType t = b == 0x41 ? ValType::kI32 : ValType::kI64;
            validator.constant(t);
            visit.constant(t, v);
            r.set_pos(p + 1 + n);
            continue;
          }
        }
        if (x < 0x80) {  // a one-byte immediate, if any
          bool done = true;
          if (b == 0x20 && validator.try_local_get(x)) visit.local_get(x);
          else if (b == 0x23 && validator.try_global_get(x)) visit.global_get(x);
          else if (b == 0x21 && validator.try_local_set(x)) visit.local_set(x);
          else if (b == 0x22 && validator.try_local_tee(x)) visit.local_tee(x);
          else done = false;
          if (done) {
            r.set_pos(p + 2);
            continue;
          }
          // A load or store: x is the alignment, a u32 offset follows.
          uint32_t offset;
          int n;
          Opcode op = detail::kPlainOps.ops[b];
          if (detail::kFastForm[b] == detail::FastForm::kMem && r.remaining() >= 7 &&
              (n = InstrDecoder::uleb32(p + 2, &offset)) && validator.try_memory(op, x)) {
            in.op = op;
            in.offset = static_cast<uint32_t>(r.offset());
            in.mem.align_log2 = x;
            in.mem.offset = offset;
            r.set_pos(p + 2 + n);
            BRISK_TRY(visit.plain(in));
            continue;
          }
        }
        if (detail::kPlainFixed[b]) {  // arithmetic, comparisons, conversions
          Opcode op = detail::kPlainOps.ops[b];
          if (validator.try_plain(op)) {
            in.op = op;
            in.offset = static_cast<uint32_t>(r.offset());
            r.set_pos(p + 1);
            BRISK_TRY(visit.plain(in));
            continue;
          }
        }
      }
    }
    if (r.at_end()) return r.error("END opcode expected");
    BRISK_TRY(dec.next(r, in));
    BRISK_TRY(validator.validate(in, dec.targets()));
    BRISK_TRY(visit(in, std::span<const uint32_t>(dec.targets())));
  }
  if (!r.at_end()) return r.error("section size mismatch");
  return Status::ok();
}

/// Validates module-level rules that need the whole module, then every
/// function body. A malformed body anywhere wins over an invalid one, as in
/// the spec (decoding precedes validation).
Status validate_functions(const Module& module);

/// decode_module, then validate every function body: the full check
/// `WebAssembly.validate` performs, without compiling.
Result<std::unique_ptr<Module>> decode_and_validate(const uint8_t* bytes, size_t size);

}  // namespace brisk::compiler

#endif  // BRISK_COMPILER_VALIDATE_FUNC_VALIDATOR_H_
