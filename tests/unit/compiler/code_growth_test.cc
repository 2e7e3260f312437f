// Code that outgrows the emission buffer's estimate (about 3.5 bytes of
// machine code per Wasm byte on x86-64, 5 on AArch64): the piece is compiled
// again into a bigger buffer, and the result is the code an unbounded buffer
// would hold. And code that should not grow: no trap stub a function cannot
// jump to.
#include <gtest/gtest.h>

#include "brisk/brisk.h"
#include "compiler/module_compiler.h"
#include "compiler/validate/func_validator.h"
#include "tests/unit/compiler/wasm_builder.h"

#include <cstring>
#include <optional>

namespace brisk::compiler {
namespace {

using test::Bytes;

// One function (f64) -> f64 of `n` x (local.get 0; local.get 0; f64.min;
// local.set 0): six Wasm bytes that take some thirty of x86-64 (NaN and
// signed-zero handling), well beyond the estimate.
[[maybe_unused]] Bytes min_chain(uint32_t n) {
  Bytes body;
  for (uint32_t i = 0; i < n; ++i) body.insert(body.end(), {0x20, 0x00, 0x20, 0x00, 0xa4, 0x21, 0x00});
  body.insert(body.end(), {0x20, 0x00, 0x0b});
  return test::one_func_module({0x7c}, {0x7c}, body);
}

struct Out {
  size_t code_size = 0;
  uint32_t retries = 0;
  std::optional<CompiledModule> compiled;
};

Out compile_bytes(const Bytes& bytes, bool explicit_bounds = false) {
  auto m = decode_and_validate(bytes.data(), bytes.size());
  EXPECT_TRUE(m) << m.status().to_string();
  if (!m) return {};
  CompileStats stats;
  CompileOptions options;
  options.cpu = CpuFeatures::all();
  options.explicit_bounds = explicit_bounds;
  options.stats = &stats;
  const uint32_t ids[] = {1};
  auto c = compile_module(**m, ids, options);
  EXPECT_TRUE(c) << c.status().to_string();
  if (!c) return {};
  size_t size = c->code->size();
  return {size, stats.piece_retries, std::move(*c)};
}

// (f64) -> f64 of `n` x (x = f64(i64(...f64(i64(x))...)) + 1.0, four
// round trips), so n for 0 <= x < 1: each checked truncation's range tests
// take some fifty bytes of AArch64 for two bytes of Wasm.
[[maybe_unused]] Bytes trunc_chain(uint32_t n) {
  Bytes body;
  for (uint32_t i = 0; i < n; ++i) {
    body.insert(body.end(), {0x20, 0x00});
    for (int k = 0; k < 4; ++k) body.insert(body.end(), {0xb0, 0xb9});
    body.insert(body.end(), {0x44, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f, 0xa0, 0x21, 0x00});
  }
  body.insert(body.end(), {0x20, 0x00, 0x0b});
  return test::one_func_module({0x7c}, {0x7c}, body, {0x00}, test::section(7, {0x01, 0x01, 'f', 0x00, 0x00}));
}

// Beyond the estimate, but under 1 MiB of code (no long-branch retry).
#if defined(__aarch64__)
constexpr size_t kEstimatePerWasmByte = 5;
Bytes outgrowing() { return trunc_chain(3000); }
#else
constexpr size_t kEstimatePerWasmByte = 3;  // and a half
Bytes outgrowing() { return min_chain(20000); }
#endif

TEST(CodeGrowth, APieceThatOutgrowsItsBufferIsCompiledAgain) {
  Bytes b = outgrowing();
  Out out = compile_bytes(b);
  EXPECT_GE(out.retries, 1u);
  EXPECT_GT(out.code_size, b.size() * kEstimatePerWasmByte + b.size() / 2);  // it did outgrow the estimate
  EXPECT_LT(out.code_size, size_t{1} << 20);  // so the retry was not for long branches
}

// (f64) -> f64: `rounds` x (8 x (x = max(x, x)); x = x + 1), so x + rounds:
// about four bytes of code per Wasm byte.
[[maybe_unused]] Bytes max_then_add(uint32_t rounds) {
  Bytes body;
  for (uint32_t i = 0; i < rounds; ++i) {
    for (int k = 0; k < 8; ++k) body.insert(body.end(), {0x20, 0x00, 0x20, 0x00, 0xa5, 0x21, 0x00});
    body.insert(body.end(), {0x20, 0x00, 0x44, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f, 0xa0, 0x21, 0x00});  // + 1.0
  }
  body.insert(body.end(), {0x20, 0x00, 0x0b});
  return test::one_func_module({0x7c}, {0x7c}, body, {0x00}, test::section(7, {0x01, 0x01, 'f', 0x00, 0x00}));
}

TEST(CodeGrowth, CodeCompiledAgainRunsAsWritten) {
#if defined(__aarch64__)
  Bytes b = trunc_chain(3000);  // fmax is one instruction here
  const double want = 3000;
#else
  Bytes b = max_then_add(3000);
  const double want = 3000.5;
#endif
  EXPECT_GE(compile_bytes(b).retries, 1u);
  brisk::Engine engine;
  auto m = brisk::Module::compile(engine, b);
  ASSERT_TRUE(m) << m.status().to_string();
  brisk::Store store(engine);
  brisk::Linker linker(engine);
  auto inst = linker.instantiate(store, *m);
  ASSERT_TRUE(inst);
  auto r = inst->get_func(store, "f")->call(store, {brisk::Val::f64(0.5)});
  ASSERT_TRUE(r) << r.status().to_string();
  EXPECT_EQ((*r)[0].f64(), want);
}

// Out-of-line trap stubs in a one-function module's code: each one starts
// by naming itself for the backtrace (x86-64: lea r10, [rip - 7]; AArch64:
// adr x17, .).
int trap_stubs(const Bytes& ops, uint8_t param, uint8_t result, bool explicit_bounds = false) {
  Bytes body = {0x20, 0x00};
  body.insert(body.end(), ops.begin(), ops.end());
  body.push_back(0x0b);
  Out out = compile_bytes(test::one_func_module({param}, {result}, body, {0x00}, test::section(5, {0x01, 0x00, 0x01})),
                          explicit_bounds);
  if (!out.compiled) return -1;
  const CompiledModule& c = *out.compiled;
  const uint8_t* p = c.code->base() + c.func_offsets[0];
  const uint8_t* end = c.code->base() + c.code->size();
#if defined(__aarch64__)
  static const uint8_t kSelf[] = {0x11, 0x00, 0x00, 0x10};
  const size_t step = 4;
#else
  static const uint8_t kSelf[] = {0x4c, 0x8d, 0x15, 0xf9, 0xff, 0xff, 0xff};
  const size_t step = 1;
#endif
  int n = 0;
  for (; p + sizeof kSelf <= end; p += step) n += memcmp(p, kSelf, sizeof kSelf) == 0;
  return n;
}

TEST(CodeGrowth, OnlyOperationsThatBranchToATrapGetItsStub) {
  EXPECT_EQ(trap_stubs({0xad}, 0x7f, 0x7e), 1);  // i64.extend_i32_u: the stack check's stub only
  EXPECT_EQ(trap_stubs({0xac}, 0x7f, 0x7e), 1);  // i64.extend_i32_s
  EXPECT_EQ(trap_stubs({0xbd}, 0x7c, 0x7e), 1);  // i64.reinterpret_f64
  EXPECT_EQ(trap_stubs({0xb0}, 0x7c, 0x7e), 3);  // i64.trunc_f64_s: and invalid conversion, overflow
  // i32.load: guard pages fault, explicit checks branch to a stub (debug
  // builds add an inline check either way).
  EXPECT_EQ(trap_stubs({0x28, 0x02, 0x00}, 0x7f, 0x7f, true) - trap_stubs({0x28, 0x02, 0x00}, 0x7f, 0x7f), 1);
  // x / x: division by zero; signed division also overflows.
  EXPECT_EQ(trap_stubs({0x20, 0x00, 0x6e}, 0x7f, 0x7f), 2);  // i32.div_u
  EXPECT_EQ(trap_stubs({0x20, 0x00, 0x6f}, 0x7f, 0x7f), 2);  // i32.rem_s
  EXPECT_EQ(trap_stubs({0x20, 0x00, 0x6d}, 0x7f, 0x7f), 3);  // i32.div_s
}

TEST(CodeGrowth, OrdinaryCodeFitsTheFirstTime) {
  // i32 adds: about two bytes of code per Wasm byte.
  Bytes body;
  for (int i = 0; i < 20000; ++i) body.insert(body.end(), {0x20, 0x00, 0x41, 0x01, 0x6a, 0x21, 0x00});
  body.insert(body.end(), {0x20, 0x00, 0x0b});
  EXPECT_EQ(compile_bytes(test::one_func_module({0x7f}, {0x7f}, body)).retries, 0u);
}

}  // namespace
}  // namespace brisk::compiler
