// One case per MacroAssembler operation (and per interesting immediate,
// aliasing or feature case), written once against the concept so that every
// backend assembles the same list; golden disassembly per ISA lives in
// tests/disas/<isa>/<operation>/<case>.txt (Winch's tests/disas layout).
#ifndef BRISK_TESTS_DISAS_MASM_CASES_H_
#define BRISK_TESTS_DISAS_MASM_CASES_H_

#include <array>
#include <functional>
#include <string>
#include <vector>

#include "compiler/codegen/masm.h"
#include "compiler/cpu_features.h"

namespace brisk::compiler::disas {

/// What a case may ask of its harness beyond the MacroAssembler.
template <class M>
struct CaseEnv {
  std::function<typename M::Label()> label;  ///< a label, bound after the case's code
  Reg gp[4];                                 ///< the first allocatable general registers
  Reg fp[3];                                 ///< the first allocatable float registers
};

template <class M>
struct Case {
  std::string op;    ///< the operation: the golden file's folder
  std::string name;  ///< the variant: the golden file's name
  bool explicit_bounds = false;
  CpuFeatures cpu = CpuFeatures::all();
  std::function<void(M&, CaseEnv<M>&)> emit;
};

/// "I32TruncF32S" -> "i32_trunc_f32_s": the golden file name of a table row.
inline std::string text_name(const char* camel) {
  std::string out;
  for (const char* p = camel; *p; ++p) {
    bool upper = *p >= 'A' && *p <= 'Z';
    if (upper && !out.empty()) out += '_';
    out += upper ? static_cast<char>(*p - 'A' + 'a') : *p;
  }
  return out;
}

template <class M>
std::vector<Case<M>> masm_cases() {
  using E = CaseEnv<M>;
  std::vector<Case<M>> c;
  auto add = [&](std::string op, std::string name, std::function<void(M&, E&)> f) {
    c.push_back({std::move(op), std::move(name), false, CpuFeatures::all(), std::move(f)});
  };
  auto add_with = [&](std::string op, std::string name, bool explicit_bounds, CpuFeatures cpu,
                      std::function<void(M&, E&)> f) {
    c.push_back({std::move(op), std::move(name), explicit_bounds, cpu, std::move(f)});
  };
  const CpuFeatures base = CpuFeatures::baseline();
  constexpr Width W32 = Width::k32, W64 = Width::k64;
  constexpr ValType I32 = ValType::kI32, I64 = ValType::kI64, F32 = ValType::kF32, F64 = ValType::kF64;

  // Control.
  add("jump", "forward", [](M& m, E& e) { m.jump(e.label()); });
  add("branch", "lt_s", [](M& m, E& e) { m.branch(Cond::kLtS, e.label()); });
  add("branch", "ge_u", [](M& m, E& e) { m.branch(Cond::kGeU, e.label()); });
  add("branch", "float_eq", [](M& m, E& e) { m.branch(Cond::kFEq, e.label()); });
  add("branch", "float_ne", [](M& m, E& e) { m.branch(Cond::kFNe, e.label()); });
  add("branch_if_nonzero", "i32", [](M& m, E& e) { m.branch_if_nonzero(W32, e.gp[1], e.label()); });
  add("branch_if_nonzero", "i64", [](M& m, E& e) { m.branch_if_nonzero(W64, e.gp[1], e.label()); });
  // Long-branch mode (a function beyond AArch64's +-1 MiB conditional reach).
  add("branch", "lt_s_long", [](M& m, E& e) {
    m.set_long_branches(true);
    m.branch(Cond::kLtS, e.label());
  });
  add("branch_if_zero", "i32_long", [](M& m, E& e) {
    m.set_long_branches(true);
    m.branch_if_zero(W32, e.gp[1], e.label());
  });
  add("branch_if_nonzero", "i64_long", [](M& m, E& e) {
    m.set_long_branches(true);
    m.branch_if_nonzero(W64, e.gp[1], e.label());
  });
  add("jump_table", "three", [](M& m, E& e) {
    typename M::Label t[3] = {e.label(), e.label(), e.label()};
    m.jump_table(e.gp[0], t);
  });
  // Frame.
  add("prologue", "patched_64", [](M& m, E& e) {
    m.prologue(e.label());
    m.patch_frame_size(64);
  });
  add("epilogue_return", "plain", [](M& m, E&) { m.epilogue_return(); });
  add("zero_frame", "three_slots", [](M& m, E&) { m.zero_frame(-40, 3); });
  add("zero_frame", "twenty_slots", [](M& m, E&) { m.zero_frame(-176, 20); });
  // Moves.
  add("move", "i32", [](M& m, E& e) { m.move(e.gp[0], e.gp[1], I32); });
  add("move", "i64", [](M& m, E& e) { m.move(e.gp[0], e.gp[1], I64); });
  add("move", "f64", [](M& m, E& e) { m.move(e.fp[0], e.fp[1], F64); });
  add("move", "same_register", [](M& m, E& e) { m.move(e.gp[0], e.gp[0], I64); });
  add("load_const", "i32", [](M& m, E& e) { m.load_const(e.gp[0], I32, 0xfffffffe); });
  add("load_const", "i64_small", [](M& m, E& e) { m.load_const(e.gp[0], I64, 42); });
  add("load_const", "i64_large", [](M& m, E& e) { m.load_const(e.gp[0], I64, 0x123456789abcdef0); });
  add("load_const", "f64_zero", [](M& m, E& e) { m.load_const(e.fp[0], F64, 0); });
  add("load_const", "f32_one", [](M& m, E& e) { m.load_const(e.fp[0], F32, 0x3f800000); });
  add("load_frame", "i32", [](M& m, E& e) { m.load_frame(e.gp[0], I32, -24); });
  add("load_frame", "f64", [](M& m, E& e) { m.load_frame(e.fp[0], F64, 16); });
  add("store_frame", "i64", [](M& m, E& e) { m.store_frame(-24, e.gp[0], I64); });
  add("store_frame", "f32", [](M& m, E& e) { m.store_frame(-24, e.fp[0], F32); });
  add("store_frame_const", "i32_negative", [](M& m, E&) { m.store_frame_const(-24, I32, 0xffffffff); });
  add("store_frame_const", "i64_large", [](M& m, E&) { m.store_frame_const(-24, I64, 0x100000000); });
  add("copy_frame", "i64", [](M& m, E&) { m.copy_frame(-32, 16, ValType::kI64); });
  add("copy_frame", "i32", [](M& m, E&) { m.copy_frame(-36, 16, ValType::kI32); });
  add("load_out", "i64", [](M& m, E& e) { m.load_out(e.gp[0], I64, 8); });
  add("store_out", "f64", [](M& m, E& e) { m.store_out(8, e.fp[0], F64); });
  add("store_out_const", "i32", [](M& m, E&) { m.store_out_const(0, I32, 7); });
  add("copy_frame_to_out", "f64", [](M& m, E&) { m.copy_frame_to_out(8, -24, ValType::kF64); });
  add("copy_frame_to_out", "f32", [](M& m, E&) { m.copy_frame_to_out(8, -28, ValType::kF32); });
  // Integer.
  add("int_binop", "add_i32_dst_is_lhs", [](M& m, E& e) {
    m.int_binop(IntBinop::kAdd, W32, e.gp[3], e.gp[3], Operand::of(e.gp[1]));
  });
  add("int_binop", "add_i64_three_operand", [](M& m, E& e) {
    m.int_binop(IntBinop::kAdd, W64, e.gp[0], e.gp[1], Operand::of(e.gp[2]));
  });
  add("int_binop", "add_i32_three_operand", [](M& m, E& e) {
    m.int_binop(IntBinop::kAdd, W32, e.gp[0], e.gp[1], Operand::of(e.gp[2]));
  });
  add("int_binop", "sub_i32_three_operand", [](M& m, E& e) {
    m.int_binop(IntBinop::kSub, W32, e.gp[0], e.gp[1], Operand::of(e.gp[2]));
  });
  add("int_binop", "add_i32_immediate_new_register", [](M& m, E& e) {
    m.int_binop(IntBinop::kAdd, W32, e.gp[0], e.gp[1], Operand::immediate(100));
  });
  add("int_binop", "sub_dst_is_rhs", [](M& m, E& e) {
    m.int_binop(IntBinop::kSub, W32, e.gp[1], e.gp[0], Operand::of(e.gp[1]));
  });
  add("int_binop", "mul_immediate", [](M& m, E& e) {
    m.int_binop(IntBinop::kMul, W32, e.gp[0], e.gp[0], Operand::immediate(1000));
  });
  add("int_binop", "and_i64", [](M& m, E& e) { m.int_binop(IntBinop::kAnd, W64, e.gp[0], e.gp[0], Operand::of(e.gp[2])); });
  add("int_binop", "or_i32", [](M& m, E& e) { m.int_binop(IntBinop::kOr, W32, e.gp[0], e.gp[0], Operand::of(e.gp[2])); });
  add("int_binop", "xor_i32_immediate", [](M& m, E& e) {
    m.int_binop(IntBinop::kXor, W32, e.gp[0], e.gp[0], Operand::immediate(-1));
  });
  add("int_binop", "shl_i32_immediate", [](M& m, E& e) {
    m.int_binop(IntBinop::kShl, W32, e.gp[0], e.gp[0], Operand::immediate(35));
  });
  add("int_binop", "shl_i64_variable", [](M& m, E& e) {
    m.int_binop(IntBinop::kShl, W64, e.gp[0], e.gp[0], Operand::of(e.gp[2]));
  });
  add("int_binop", "shr_s_lhs_in_count_register", [](M& m, E& e) {
    m.int_binop(IntBinop::kShrS, W32, e.gp[0], e.gp[1], Operand::of(e.gp[2]));
  });
  add("int_binop", "shr_u_i64_immediate", [](M& m, E& e) {
    m.int_binop(IntBinop::kShrU, W64, e.gp[0], e.gp[0], Operand::immediate(63));
  });
  add("int_binop", "rotl_i32_variable", [](M& m, E& e) {
    m.int_binop(IntBinop::kRotl, W32, e.gp[0], e.gp[0], Operand::of(e.gp[3]));
  });
  add("int_binop", "rotr_i64_immediate", [](M& m, E& e) {
    m.int_binop(IntBinop::kRotr, W64, e.gp[0], e.gp[0], Operand::immediate(1));
  });
  // The right operand in a frame slot (a spilled operand or local).
  struct FrameCase {
    const char* name;
    IntBinop op;
    Width w;
    int dst, lhs;  // indices into e.gp
    int32_t off;
  };
  for (FrameCase f : {FrameCase{"add_i32_frame", IntBinop::kAdd, W32, 0, 0, -16},
                      FrameCase{"sub_i64_frame_new_register", IntBinop::kSub, W64, 3, 1, -0x200},
                      FrameCase{"xor_i32_frame_param", IntBinop::kXor, W32, 1, 1, 16},
                      FrameCase{"mul_i64_frame", IntBinop::kMul, W64, 0, 0, -24},
                      FrameCase{"and_i32_frame", IntBinop::kAnd, W32, 2, 2, -8},
                      FrameCase{"or_i64_frame", IntBinop::kOr, W64, 2, 2, -8}}) {
    add("int_binop", f.name, [f](M& m, E& e) {
      m.int_binop(f.op, f.w, e.gp[f.dst], e.gp[f.lhs], Operand::frame(f.off));
    });
  }
  for (auto [op, name] : {std::pair{IntUnop::kClz, "clz"}, {IntUnop::kCtz, "ctz"}, {IntUnop::kPopcnt, "popcnt"}}) {
    add("int_unop", std::string(name) + "_i32", [op](M& m, E& e) { m.int_unop(op, W32, e.gp[0], e.gp[1]); });
    add("int_unop", std::string(name) + "_i64", [op](M& m, E& e) { m.int_unop(op, W64, e.gp[0], e.gp[1]); });
    add_with("int_unop", std::string(name) + "_i32_baseline", false, base,
             [op](M& m, E& e) { m.int_unop(op, W32, e.gp[0], e.gp[1]); });
    add_with("int_unop", std::string(name) + "_i64_baseline", false, base,
             [op](M& m, E& e) { m.int_unop(op, W64, e.gp[0], e.gp[1]); });
  }
  add("int_unop", "extend8_s_i32", [](M& m, E& e) { m.int_unop(IntUnop::kExtend8S, W32, e.gp[0], e.gp[1]); });
  add("int_unop", "extend16_s_i64", [](M& m, E& e) { m.int_unop(IntUnop::kExtend16S, W64, e.gp[0], e.gp[1]); });
  add("int_unop", "extend32_s_i64", [](M& m, E& e) { m.int_unop(IntUnop::kExtend32S, W64, e.gp[0], e.gp[1]); });
  for (auto [op, name] : {std::pair{DivOp::kDivS, "div_s"}, {DivOp::kDivU, "div_u"}, {DivOp::kRemS, "rem_s"},
                          {DivOp::kRemU, "rem_u"}}) {
    add("div", std::string(name) + "_i32", [op](M& m, E& e) {
      m.div(op, W32, e.gp[3], e.gp[3], e.gp[1], e.label(), e.label());
    });
    add("div", std::string(name) + "_i64", [op](M& m, E& e) {
      m.div(op, W64, e.gp[3], e.gp[3], e.gp[1], e.label(), e.label());
    });
  }
  add("compare", "i32_register", [](M& m, E& e) { m.compare(Cond::kLtS, W32, e.gp[0], Operand::of(e.gp[2])); });
  add("compare", "i64_immediate", [](M& m, E& e) { m.compare(Cond::kEq, W64, e.gp[0], Operand::immediate(-5)); });
  add("compare", "i32_frame", [](M& m, E& e) { m.compare(Cond::kLtU, W32, e.gp[3], Operand::frame(-12)); });
  add("test_zero", "i32", [](M& m, E& e) { m.test_zero(W32, e.gp[1]); });
  add("set_cond", "lt_s", [](M& m, E& e) { m.set_cond(Cond::kLtS, e.gp[0]); });
  add("set_cond", "float_eq", [](M& m, E& e) { m.set_cond(Cond::kFEq, e.gp[0]); });
  add("select", "i32", [](M& m, E& e) { m.select(Cond::kNe, I32, e.gp[0], e.gp[1]); });
  add("select", "f64", [](M& m, E& e) { m.select(Cond::kNe, F64, e.fp[0], e.fp[1]); });
  // Floating point.
  add("float_compare", "f32_lt", [](M& m, E& e) { m.float_compare(Cond::kFLt, W32, e.fp[0], e.fp[1]); });
  add("float_compare", "f64_ge", [](M& m, E& e) { m.float_compare(Cond::kFGe, W64, e.fp[0], e.fp[1]); });
  for (auto [op, name] : {std::pair{FloatBinop::kAdd, "add"}, {FloatBinop::kSub, "sub"}, {FloatBinop::kMul, "mul"},
                          {FloatBinop::kDiv, "div"}, {FloatBinop::kMin, "min"}, {FloatBinop::kMax, "max"},
                          {FloatBinop::kCopysign, "copysign"}}) {
    add("float_binop", std::string(name) + "_f32", [op](M& m, E& e) { m.float_binop(op, W32, e.fp[0], e.fp[0], e.fp[1]); });
    add("float_binop", std::string(name) + "_f64", [op](M& m, E& e) { m.float_binop(op, W64, e.fp[0], e.fp[0], e.fp[1]); });
  }
  add("float_binop", "sub_f64_dst_is_rhs", [](M& m, E& e) {
    m.float_binop(FloatBinop::kSub, W64, e.fp[1], e.fp[0], e.fp[1]);
  });
  for (auto [op, name] : {std::pair{FloatUnop::kAbs, "abs"}, {FloatUnop::kNeg, "neg"}, {FloatUnop::kSqrt, "sqrt"},
                          {FloatUnop::kCeil, "ceil"}, {FloatUnop::kFloor, "floor"}, {FloatUnop::kTrunc, "trunc"},
                          {FloatUnop::kNearest, "nearest"}}) {
    add("float_unop", std::string(name) + "_f32", [op](M& m, E& e) { m.float_unop(op, W32, e.fp[0], e.fp[1]); });
    add("float_unop", std::string(name) + "_f64", [op](M& m, E& e) { m.float_unop(op, W64, e.fp[0], e.fp[1]); });
  }
  for (auto [op, name] : {std::pair{FloatUnop::kFloor, "floor"}, {FloatUnop::kNearest, "nearest"}}) {
    add_with("float_unop", std::string(name) + "_f64_baseline", false, base,
             [op](M& m, E& e) { m.float_unop(op, W64, e.fp[0], e.fp[1]); });
  }
  // Every SIMD operator with an operand signature, from opcodes.def: with
  // AVX (VEX forms) and with SSE4.1 only. Each case ends with the
  // function's constant pool.
  const CpuFeatures sse41 = parse_cpu_features("sse4.1").value();
  auto simd = [&](Opcode op, const std::string& name) {
    std::function<void(M&, E&)> f;
    switch (opcode_info(op).sig) {
      case Sig::k_v_vv: f = [op](M& m, E& e) { m.simd_binop(op, e.fp[0], e.fp[0], e.fp[1]); }; break;
      case Sig::k_v_v: f = [op](M& m, E& e) { m.simd_unop(op, e.fp[0], e.fp[1]); }; break;
      case Sig::k_v_vvv: f = [](M& m, E& e) { m.simd_bitselect(e.fp[0], e.fp[0], e.fp[1], e.fp[2]); }; break;
      case Sig::k_v_vi:
        add("simd_shift", name + "_by_register",
            [op](M& m, E& e) { m.simd_shift(op, e.fp[0], e.fp[0], Operand::of(e.gp[1])); m.emit_constants(); });
        f = [op](M& m, E& e) { m.simd_shift(op, e.fp[0], e.fp[0], Operand::immediate(3)); };
        break;
      case Sig::k_i_v: f = [op](M& m, E& e) { m.simd_test(op, e.gp[0], e.fp[0]); }; break;
      case Sig::k_v_i: case Sig::k_v_l: f = [op](M& m, E& e) { m.simd_splat(op, e.fp[0], e.gp[1]); }; break;
      case Sig::k_v_f: case Sig::k_v_d: f = [op](M& m, E& e) { m.simd_splat(op, e.fp[0], e.fp[1]); }; break;
      case Sig::kLoad_v: f = [op](M& m, E& e) { m.simd_load(op, e.fp[0], e.gp[1], 16, e.label()); }; break;
      case Sig::kStore_v: f = [](M& m, E& e) { m.simd_store(e.gp[1], 16, e.fp[0], e.label()); }; break;
      default: return;  // lanes, constants, shuffles: below
    }
    static const char* kFolder[] = {"simd_binop", "simd_unop", "simd_bitselect", "simd_shift", "simd_test",
                                    "simd_splat", "simd_load", "simd_store"};
    Sig sig = opcode_info(op).sig;
    const char* folder = sig == Sig::k_v_vv ? kFolder[0] : sig == Sig::k_v_v ? kFolder[1]
                       : sig == Sig::k_v_vvv ? kFolder[2] : sig == Sig::k_v_vi ? kFolder[3]
                       : sig == Sig::k_i_v ? kFolder[4] : sig == Sig::kLoad_v ? kFolder[6]
                       : sig == Sig::kStore_v ? kFolder[7] : kFolder[5];
    auto with_pool = [f](M& m, E& e) { f(m, e); m.emit_constants(); };
    add(folder, name, with_pool);
    add_with(folder, name + "_sse41", false, sse41, with_pool);
  };
  // SIMD operators with immediates, and aliasing variants.
  add("simd_binop", "i32x4_add_new_register", [](M& m, E& e) { m.simd_binop(Opcode::kI32x4Add, e.fp[2], e.fp[0], e.fp[1]); });
  add_with("simd_binop", "i32x4_sub_new_register_sse41", false, sse41,
           [](M& m, E& e) { m.simd_binop(Opcode::kI32x4Sub, e.fp[2], e.fp[0], e.fp[1]); });
  add_with("simd_binop", "f32x4_pmin_dst_is_lhs_sse41", false, sse41,
           [](M& m, E& e) { m.simd_binop(Opcode::kF32x4Pmin, e.fp[0], e.fp[0], e.fp[1]); });
  add("simd_shift", "i8x16_shr_s_by_7_is_a_sign_mask",
      [](M& m, E& e) { m.simd_shift(Opcode::kI8x16ShrS, e.fp[0], e.fp[0], Operand::immediate(15)); });
  add("simd_unop", "v128_not_in_place", [](M& m, E& e) { m.simd_unop(Opcode::kV128Not, e.fp[0], e.fp[0]); });
  add("simd_const", "zeros", [](M& m, E& e) {
    const uint8_t b[16] = {};
    m.simd_const(e.fp[0], b);
  });
  add("simd_const", "ones", [](M& m, E& e) {
    uint8_t b[16];
    for (uint8_t& x : b) x = 0xff;
    m.simd_const(e.fp[0], b);
  });
  add("simd_const", "long_branches", [](M& m, E& e) {
    const uint8_t b[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    m.set_long_branches(true);
    m.simd_const(e.fp[0], b);
    m.emit_constants();
  });
  add("simd_const", "pool_shared", [](M& m, E& e) {
    const uint8_t b[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    m.simd_const(e.fp[0], b);
    m.simd_const(e.fp[1], b);  // the same pool entry
    m.emit_constants();
  });
  auto shuffle = [&](std::string name, std::array<uint8_t, 16> lanes) {
    add("simd_shuffle", name, [lanes](M& m, E& e) {
      uint8_t l[16];
      for (int i = 0; i < 16; ++i) l[i] = lanes[i];
      m.simd_shuffle(e.fp[0], e.fp[0], e.fp[1], l);
      m.emit_constants();
    });
  };
  shuffle("dwords_of_lhs", {4, 5, 6, 7, 0, 1, 2, 3, 12, 13, 14, 15, 8, 9, 10, 11});
  shuffle("bytes_of_rhs", {31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17, 16});
  shuffle("interleave_bytes_low", {0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23});
  shuffle("interleave_qwords_high", {8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31});
  shuffle("window_5", {5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20});
  shuffle("dwords_two_each", {4, 5, 6, 7, 0, 1, 2, 3, 24, 25, 26, 27, 28, 29, 30, 31});
  shuffle("blend_words", {0, 1, 18, 19, 4, 5, 22, 23, 24, 25, 10, 11, 12, 13, 30, 31});
  shuffle("general", {9, 31, 0, 17, 4, 4, 28, 3, 15, 16, 2, 21, 8, 13, 30, 7});
  const std::pair<Opcode, const char*> lanes[] = {
      {Opcode::kI8x16ExtractLaneS, "i8x16_extract_lane_s"}, {Opcode::kI8x16ExtractLaneU, "i8x16_extract_lane_u"},
      {Opcode::kI16x8ExtractLaneS, "i16x8_extract_lane_s"}, {Opcode::kI16x8ExtractLaneU, "i16x8_extract_lane_u"},
      {Opcode::kI32x4ExtractLane, "i32x4_extract_lane"},    {Opcode::kI64x2ExtractLane, "i64x2_extract_lane"},
      {Opcode::kF32x4ExtractLane, "f32x4_extract_lane"},    {Opcode::kF64x2ExtractLane, "f64x2_extract_lane"}};
  for (auto [op, name] : lanes) {
    bool fp = op == Opcode::kF32x4ExtractLane || op == Opcode::kF64x2ExtractLane;
    add("simd_extract_lane", name, [op, fp](M& m, E& e) { m.simd_extract_lane(op, fp ? e.fp[1] : e.gp[0], e.fp[0], 1); });
    add("simd_extract_lane", std::string(name) + "_lane0",
        [op, fp](M& m, E& e) { m.simd_extract_lane(op, fp ? e.fp[1] : e.gp[0], e.fp[0], 0); });
  }
  const std::pair<Opcode, const char*> replaces[] = {
      {Opcode::kI8x16ReplaceLane, "i8x16_replace_lane"}, {Opcode::kI16x8ReplaceLane, "i16x8_replace_lane"},
      {Opcode::kI32x4ReplaceLane, "i32x4_replace_lane"}, {Opcode::kI64x2ReplaceLane, "i64x2_replace_lane"},
      {Opcode::kF32x4ReplaceLane, "f32x4_replace_lane"}, {Opcode::kF64x2ReplaceLane, "f64x2_replace_lane"}};
  for (auto [op, name] : replaces) {
    bool fp = op == Opcode::kF32x4ReplaceLane || op == Opcode::kF64x2ReplaceLane;
    add("simd_replace_lane", name, [op, fp](M& m, E& e) { m.simd_replace_lane(op, e.fp[0], fp ? e.fp[1] : e.gp[1], 1); });
  }
  const std::pair<Opcode, const char*> lane_mem[] = {
      {Opcode::kV128Load8Lane, "v128_load8_lane"},   {Opcode::kV128Load16Lane, "v128_load16_lane"},
      {Opcode::kV128Load32Lane, "v128_load32_lane"}, {Opcode::kV128Load64Lane, "v128_load64_lane"},
      {Opcode::kV128Store8Lane, "v128_store8_lane"}, {Opcode::kV128Store16Lane, "v128_store16_lane"},
      {Opcode::kV128Store32Lane, "v128_store32_lane"}, {Opcode::kV128Store64Lane, "v128_store64_lane"}};
  for (auto [op, name] : lane_mem) {
    bool load = op <= Opcode::kV128Load64Lane;
    add(load ? "simd_load_lane" : "simd_store_lane", name, [op, load](M& m, E& e) {
      if (load) m.simd_load_lane(op, e.fp[0], e.gp[1], 16, 1, e.label());
      else m.simd_store_lane(op, e.gp[1], 16, e.fp[0], 1, e.label());
    });
  }
  add_with("simd_load", "v128_load_explicit_bounds", true, CpuFeatures::all(),
           [](M& m, E& e) { m.simd_load(Opcode::kV128Load, e.fp[0], e.gp[1], 16, e.label()); });
  // Every conversion, memory access and SIMD operator, from opcodes.def.
#define BRISK_OP(name, prefix, code, text, sig, align, family, arg) BRISK_CASE_##family(name, sig, arg)
#define BRISK_CASE_Convert(name, sig, arg)                                                                  \
  add("convert", text_name(#name), [](M& m, E& e) {                                                       \
    bool to_fp = sig_letter(Sig::sig, 0) == 'f' || sig_letter(Sig::sig, 0) == 'd';                        \
    bool from_fp = sig_letter(Sig::sig, 1) == 'f' || sig_letter(Sig::sig, 1) == 'd';                      \
    m.convert(ConvertKind::arg, to_fp ? e.fp[0] : e.gp[0], from_fp ? e.fp[1] : e.gp[1], e.label(), e.label()); \
  });
#define BRISK_CASE_Special(name, sig, arg)
#define BRISK_CASE_Simd(name, sig, arg) simd(Opcode::k##name, text_name(#name));
#define BRISK_CASE_Const(name, sig, arg)
#define BRISK_CASE_Eqz(name, sig, arg)
#define BRISK_CASE_Compare(name, sig, arg)
#define BRISK_CASE_FloatCompare(name, sig, arg)
#define BRISK_CASE_IntUnop(name, sig, arg)
#define BRISK_CASE_IntBinop(name, sig, arg)
#define BRISK_CASE_Div(name, sig, arg)
#define BRISK_CASE_FloatUnop(name, sig, arg)
#define BRISK_CASE_FloatBinop(name, sig, arg)
#define BRISK_CASE_Load(name, sig, arg)                                                              \
  add("load_mem", text_name(#name), [](M& m, E& e) {                                                \
    bool fp = LoadKind::arg == LoadKind::kF32 || LoadKind::arg == LoadKind::kF64;                   \
    m.load_mem(LoadKind::arg, fp ? e.fp[0] : e.gp[0], e.gp[1], 16, e.label());                      \
  });
#define BRISK_CASE_Store(name, sig, arg)                                                             \
  add("store_mem", text_name(#name), [](M& m, E& e) {                                               \
    bool fp = StoreKind::arg == StoreKind::kF32 || StoreKind::arg == StoreKind::kF64;               \
    m.store_mem(StoreKind::arg, e.gp[1], 16, Operand::of(fp ? e.fp[0] : e.gp[0]), e.label());        \
  });
#include "compiler/decode/opcodes.def"
#undef BRISK_CASE_Convert
#undef BRISK_CASE_Special
#undef BRISK_CASE_Simd
#undef BRISK_CASE_Const
#undef BRISK_CASE_Eqz
#undef BRISK_CASE_Compare
#undef BRISK_CASE_FloatCompare
#undef BRISK_CASE_IntUnop
#undef BRISK_CASE_IntBinop
#undef BRISK_CASE_Div
#undef BRISK_CASE_FloatUnop
#undef BRISK_CASE_FloatBinop
#undef BRISK_CASE_Load
#undef BRISK_CASE_Store
  // Memory access variants.
  add_with("load_mem", "i32_load_explicit_bounds", true, CpuFeatures::all(),
           [](M& m, E& e) { m.load_mem(LoadKind::kI32, e.gp[0], e.gp[1], 16, e.label()); });
  add_with("load_mem", "i64_load_explicit_bounds_huge_offset", true, CpuFeatures::all(),
           [](M& m, E& e) { m.load_mem(LoadKind::kI64, e.gp[0], e.gp[1], 0xfffffff8u, e.label()); });
  add("load_mem", "i32_load_huge_offset", [](M& m, E& e) { m.load_mem(LoadKind::kI32, e.gp[0], e.gp[1], 0x80000000u, e.label()); });
  add("store_mem", "i32_store8_immediate", [](M& m, E& e) {
    m.store_mem(StoreKind::kI8, e.gp[1], 0, Operand::immediate(0x141), e.label());
  });
  add("store_mem", "i64_store_immediate", [](M& m, E& e) {
    m.store_mem(StoreKind::kI64, e.gp[1], 8, Operand::immediate(-2), e.label());
  });
  add_with("store_mem", "i32_store_explicit_bounds", true, CpuFeatures::all(),
           [](M& m, E& e) { m.store_mem(StoreKind::kI32, e.gp[1], 4, Operand::of(e.gp[0]), e.label()); });
  add("memory_size", "plain", [](M& m, E& e) { m.memory_size(e.gp[0]); });
  add("load_global", "i32_defined", [](M& m, E& e) { m.load_global(e.gp[0], I32, 64, false); });
  add("load_global", "f64_imported", [](M& m, E& e) { m.load_global(e.fp[0], F64, 64, true); });
  add("store_global", "i64_defined", [](M& m, E& e) { m.store_global(64, e.gp[0], I64, false); });
  add("store_global", "f32_imported", [](M& m, E& e) { m.store_global(64, e.fp[0], F32, true); });
  add("table_get", "plain", [](M& m, E& e) { m.table_get(e.gp[0], 56, e.gp[1], e.label()); });
  add("table_set", "plain", [](M& m, E& e) { m.table_set(56, e.gp[1], e.gp[0], e.label()); });
  add("table_size", "plain", [](M& m, E& e) { m.table_size(e.gp[0], 56); });
  add("ref_func", "index_3", [](M& m, E& e) { m.ref_func(e.gp[0], 3); });
  // Calls.
  add("call_direct", "function_7", [](M& m, E&) { m.call_direct(7); });
  add("call_import", "first", [](M& m, E&) { m.call_import(48, 56); });
  add("call_indirect", "type_5", [](M& m, E& e) { m.call_indirect(64, e.gp[1], 5, e.label(), e.label(), e.label()); });
  add("call_helper", "vmctx_imm_frame", [](M& m, E&) {
    HelperArg args[] = {HelperArg::vmctx(), HelperArg::immediate(2), HelperArg::frame(-24, I32)};
    (void)m.call_helper(HelperId::kMemoryFill, args);
  });
  add("check_interrupt", "plain", [](M& m, E& e) { m.check_interrupt(e.label()); });
  add("epoch_stub", "one_site", [](M& m, E&) {
    auto stub = m.new_label();
    m.check_interrupt(stub);
    m.emit_epoch_stub(stub);
  });
  // Traps.
  add("trap", "unreachable", [](M& m, E&) { m.trap(runtime::TrapCode::kUnreachable); });
  add("trap_with_code_in_result", "plain", [](M& m, E&) { m.trap_with_code_in_result(); });
  return c;
}

}  // namespace brisk::compiler::disas

#endif  // BRISK_TESTS_DISAS_MASM_CASES_H_
