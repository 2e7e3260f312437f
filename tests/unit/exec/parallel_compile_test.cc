// A module big enough to be compiled on several threads: direct calls that
// cross batch boundaries must be patched to the right functions, and traps
// in any batch must unwind. The parallel result must equal the serial one.
// With heavy padding each batch is compiled in several pieces (2 MiB of Wasm
// each, compiler/module_compiler.cc): calls and traps across pieces too.
#include <gtest/gtest.h>

#include "brisk/brisk.h"
#include "tests/unit/compiler/wasm_builder.h"

namespace brisk {
namespace {

using test::Bytes;

constexpr uint32_t kFuncs = 3000;

// f0(x) = x + 1; fi(x) = f(i-1)(x) ^ (x * i), each padded with a small loop
// so the module passes the 64 KiB parallel threshold. Export "top" = f(N-1),
// "trap" = f(N/2 + 1) with an unreachable after its call.
Bytes big_module(int padding = 1) {
  Bytes type = {0x02, 0x60, 0x01, 0x7f, 0x01, 0x7f, 0x60, 0x00, 0x01, 0x7f};
  Bytes funcs;
  test::put_u32(funcs, kFuncs + 1);
  for (uint32_t i = 0; i < kFuncs; ++i) funcs.push_back(0x00);
  funcs.push_back(0x01);
  Bytes exports = {0x02, 0x03, 't', 'o', 'p', 0x00};
  test::put_u32(exports, kFuncs - 1);
  exports.insert(exports.end(), {0x04, 't', 'r', 'a', 'p', 0x00});
  test::put_u32(exports, kFuncs);
  Bytes code;
  test::put_u32(code, kFuncs + 1);
  for (uint32_t i = 0; i < kFuncs; ++i) {
    // locals: 1 i32 ($n, the padding loop counter)
    Bytes body = {0x01, 0x01, 0x7f};
    // padding: n = 3; loop: n = n - 1; br_if (n != 0)
    for (int k = 0; k < padding; ++k) {
      body.insert(body.end(), {0x41, 0x03, 0x21, 0x01, 0x03, 0x40, 0x20, 0x01, 0x41, 0x01, 0x6b, 0x22, 0x01,
                               0x0d, 0x00, 0x0b});
    }
    if (i == 0) {
      body.insert(body.end(), {0x20, 0x00, 0x41, 0x01, 0x6a});  // x + 1
    } else {
      body.insert(body.end(), {0x20, 0x00, 0x10});               // call f(i-1)
      test::put_u32(body, i - 1);
      body.insert(body.end(), {0x20, 0x00, 0x41});               // x * i
      Bytes imm;
      // signed LEB128 of i
      int64_t v = i;
      for (;;) {
        uint8_t byte = v & 0x7f;
        v >>= 7;
        bool done = (v == 0 && !(byte & 0x40));
        if (!done) byte |= 0x80;
        body.push_back(byte);
        if (done) break;
      }
      body.insert(body.end(), {0x6c, 0x73});  // i32.mul, i32.xor
    }
    body.push_back(0x0b);
    test::put_u32(code, static_cast<uint32_t>(body.size()));
    code.insert(code.end(), body.begin(), body.end());
  }
  // trap(): call f(N/2 + 1)(7); drop; unreachable
  Bytes tb = {0x00, 0x41, 0x07, 0x10};
  test::put_u32(tb, kFuncs / 2 + 1);
  tb.insert(tb.end(), {0x1a, 0x00, 0x0b});
  test::put_u32(code, static_cast<uint32_t>(tb.size()));
  code.insert(code.end(), tb.begin(), tb.end());
  return test::cat({test::header(), test::section(1, type), test::section(3, funcs), test::section(7, exports),
                    test::section(10, code)});
}

int32_t expected_top(int32_t x) {
  uint32_t v = static_cast<uint32_t>(x) + 1;
  for (uint32_t i = 1; i < kFuncs; ++i) v ^= static_cast<uint32_t>(x) * i;
  return static_cast<int32_t>(v);
}

int32_t run_top(unsigned threads, int32_t x, int padding = 1) {
  Config c;
  c.compile_threads = threads;
  Engine engine(c);
  Bytes b = big_module(padding);
  EXPECT_GT(b.size(), 64u * 1024);
  auto m = Module::compile(engine, b);
  EXPECT_TRUE(m) << m.status().to_string();
  Store store(engine);
  Linker linker(engine);
  auto inst = linker.instantiate(store, *m);
  EXPECT_TRUE(inst);
  auto r = inst->get_func(store, "top")->call(store, {Val::i32(x)});
  EXPECT_TRUE(r) << r.status().to_string();
  auto t = inst->get_func(store, "trap")->call(store, {});
  EXPECT_FALSE(t);
  EXPECT_EQ(t.status().message(), "unreachable");
  return r ? (*r)[0].i32() : 0;
}

TEST(ParallelCompile, CrossBatchCallsReachTheirTargets) {
  EXPECT_EQ(run_top(1, 5), expected_top(5));
  EXPECT_EQ(run_top(2, 5), expected_top(5));
  EXPECT_EQ(run_top(4, -77), expected_top(-77));
}

TEST(ParallelCompile, CallsAndTrapsAcrossPiecesOfABatch) {
  // 3000 functions of about 1.6 KB: 4.8 MB of code, three pieces on one
  // thread, two on each of two.
  EXPECT_GT(big_module(100).size(), 4u * 1024 * 1024);
  EXPECT_EQ(run_top(1, 9, 100), expected_top(9));
  EXPECT_EQ(run_top(2, -3, 100), expected_top(-3));
}

}  // namespace
}  // namespace brisk
