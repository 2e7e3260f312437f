// Executes code-generator stress cases through the public API, under both
// bounds-check modes: register pressure and spills, merges, fused compares,
// multi-value, many parameters, the three call forms and re-entry.
#include <gtest/gtest.h>

#include "brisk/brisk.h"
#include "tests/unit/exec/exec_util.h"

namespace brisk {
namespace {

class Codegen : public testing::TestWithParam<bool> {
 protected:
  Codegen() : engine_(test::config_for(GetParam())), store_(engine_), linker_(engine_) {
    EXPECT_TRUE(linker_.define("host", "add",
                   Func::create(store_, FuncType{{ValKind::kI32, ValKind::kI32}, {ValKind::kI32}},
                                [](std::span<const Val> a, std::span<Val> r) {
                                  r[0] = Val::i32(a[0].i32() + a[1].i32());
                                  return Status::ok();
                                })));
    // Calls back into Wasm ("fact") from inside a host function.
    EXPECT_TRUE(linker_.define("host", "reenter",
                   Func::create(store_, FuncType{{ValKind::kI32}, {ValKind::kI32}},
                                [this](std::span<const Val> a, std::span<Val> r) {
                                  auto res = fact_->call(store_, {Val::i64(a[0].i32())});
                                  if (!res) return res.take_status();
                                  r[0] = Val::i32(static_cast<int32_t>((*res)[0].i64()));
                                  return Status::ok();
                                })));
    module_ = test::load(engine_, "codegen");
    auto inst = linker_.instantiate(store_, module_);
    EXPECT_TRUE(inst) << inst.status().to_string();
    instance_ = *inst;
    fact_ = instance_.get_func(store_, "fact");
  }

  std::vector<Val> call(const char* name, std::initializer_list<Val> args) {
    auto f = instance_.get_func(store_, name);
    EXPECT_TRUE(f) << name;
    auto r = f->call(store_, args);
    EXPECT_TRUE(r) << name << ": " << r.status().to_string();
    return r ? r.value() : std::vector<Val>{};
  }

  Engine engine_;
  Store store_;
  Linker linker_;
  Module module_;
  Instance instance_;
  std::optional<Func> fact_;
};

TEST_P(Codegen, SpillsUnderIntegerRegisterPressure) {
  // 16 * x + (1 + ... + 16)
  EXPECT_EQ(call("pressure", {Val::i32(10)})[0].i32(), 160 + 136);
  EXPECT_EQ(call("pressure", {Val::i32(-3)})[0].i32(), -48 + 136);
}

TEST_P(Codegen, SpillsUnderFloatRegisterPressure) {
  // x * (1 + ... + 17)
  EXPECT_DOUBLE_EQ(call("fpressure", {Val::f64(0.5)})[0].f64(), 0.5 * 153);
}

TEST_P(Codegen, LoopCarriesValuesAcrossBackEdges) {
  EXPECT_EQ(call("sum", {Val::i32(0)})[0].i64(), 0);
  EXPECT_EQ(call("sum", {Val::i32(100000)})[0].i64(), 4999950000LL);
}

uint32_t chacha_rounds(uint32_t n, uint32_t seed) {
  uint32_t x[16];
  for (uint32_t i = 0; i < 16; ++i) x[i] = seed + (i * 0x01010101u & 0x7fffffffu);
  auto rotl = [](uint32_t v, int r) { return v << r | v >> (32 - r); };
  auto qr = [&](int a, int b, int c, int d) {
    x[a] += x[b]; x[d] = rotl(x[d] ^ x[a], 16);
    x[c] += x[d]; x[b] = rotl(x[b] ^ x[c], 12);
    x[a] += x[b]; x[d] = rotl(x[d] ^ x[a], 8);
    x[c] += x[d]; x[b] = rotl(x[b] ^ x[c], 7);
  };
  for (; n != 0; --n) {
    qr(0, 4, 8, 12); qr(1, 5, 9, 13); qr(2, 6, 10, 14); qr(3, 7, 11, 15);
    qr(0, 5, 10, 15); qr(1, 6, 11, 12); qr(2, 7, 8, 13); qr(3, 4, 9, 14);
  }
  uint32_t h = 0;
  for (uint32_t v : x) h = rotl(h, 5) + v;
  return h;
}

double fring(uint32_t n) {
  double f[18];
  for (int i = 0; i < 18; ++i) f[i] = i + 1;
  for (; n != 0; --n) {
    for (int i = 0; i < 18; ++i) f[i] = f[i] * 0.5 + f[(i + 7) % 18];
  }
  double s = 0;
  for (double v : f) s = s * 0.5 + v;  // scaling by 0.5 is exact: the same with or without FMA contraction
  return s;
}

TEST_P(Codegen, LoopsWithMoreLiveLocalsThanRegisters) {
  // Which local gives its register up is chosen by next use inside loops
  // (LoopScan::next_use): whatever the choice, every value must survive.
  for (uint32_t n : {0u, 1u, 10u, 1000u}) {
    EXPECT_EQ(static_cast<uint32_t>(call("chacha_rounds", {Val::i32(static_cast<int32_t>(n)), Val::i32(7)})[0].i32()),
              chacha_rounds(n, 7)) << n;
    EXPECT_EQ(call("fring", {Val::i32(static_cast<int32_t>(n))})[0].f64(), fring(n)) << n;
  }
}

TEST_P(Codegen, LocalsLiveOnSomePathSurviveCalls) {
  // The C++ of each function in codegen.wat (n >= 1).
  auto past_br_if = [](int32_t n) {
    int32_t x = 7, acc = 0;
    do {
      x += 1;
      if (!(n & 1)) x = 100;
      acc += x;
    } while (--n != 0);
    return acc;
  };
  auto past_if = [](int32_t n) {
    int32_t acc = 0;
    do acc += (n & 2) ? 1 : n * 3; while (--n != 0);
    return acc;
  };
  auto past_else = [](int32_t n) {
    int32_t acc = 0;
    do acc += (n & 1) ? n + 10 : 2; while (--n != 0);
    return acc;
  };
  auto past_br_table = [](int32_t n) {
    int32_t acc = 0;
    do acc += (n & 1) ? n + 20 : 3; while (--n != 0);
    return acc;
  };
  auto then_tee = [](int32_t n) {
    int32_t acc = 0;
    do acc += n + 5 + 4 + 4; while (--n != 0);
    return acc;
  };
  for (int32_t n : {1, 2, 3, 4, 7, 100}) {
    EXPECT_EQ(call("live_past_br_if", {Val::i32(n)})[0].i32(), past_br_if(n)) << n;
    EXPECT_EQ(call("live_past_if", {Val::i32(n)})[0].i32(), past_if(n)) << n;
    EXPECT_EQ(call("live_past_else", {Val::i32(n)})[0].i32(), past_else(n)) << n;
    EXPECT_EQ(call("live_past_br_table", {Val::i32(n)})[0].i32(), past_br_table(n)) << n;
    EXPECT_EQ(call("dead_then_tee", {Val::i32(n)})[0].i32(), then_tee(n)) << n;
  }
}

TEST_P(Codegen, AddOfTwoLocalsWrapsToThirtyTwoBits) {
  // The address (a + b) mod 2^32 = 24 accumulates (a - b) mod 2^32 three times.
  EXPECT_EQ(call("add_wrap", {Val::i32(-1), Val::i32(25)})[0].i64(), 3 * 0xffffffe6LL);
  EXPECT_EQ(call("add_wrap", {Val::i32(20), Val::i32(12)})[0].i64(), 3 * 8LL);
}

TEST_P(Codegen, FusedComparesFeedSelectIfAndEqz) {
  EXPECT_EQ(call("max_s", {Val::i32(-5), Val::i32(3)})[0].i32(), 3);
  EXPECT_EQ(call("max_s", {Val::i32(7), Val::i32(-3)})[0].i32(), 7);
  EXPECT_EQ(call("fmin_branch", {Val::f64(1.5), Val::f64(2.5)})[0].f64(), 1.5);
  // NaN: lt is false, so the else branch
  double nan = std::numeric_limits<double>::quiet_NaN();
  EXPECT_EQ(call("fmin_branch", {Val::f64(nan), Val::f64(2.5)})[0].f64(), 2.5);
  EXPECT_EQ(call("not_lt_u", {Val::i32(1), Val::i32(2)})[0].i32(), 0);
  EXPECT_EQ(call("not_lt_u", {Val::i32(-1), Val::i32(2)})[0].i32(), 1);
}

TEST_P(Codegen, BrTableCarriesValuesToEachTarget) {
  EXPECT_EQ(call("classify", {Val::i32(0)})[0].i32(), 101);  // 100 + 1, then br $c
  EXPECT_EQ(call("classify", {Val::i32(1)})[0].i32(), 102);
  EXPECT_EQ(call("classify", {Val::i32(2)})[0].i32(), 100);
  EXPECT_EQ(call("classify", {Val::i32(99)})[0].i32(), 100);
}

TEST_P(Codegen, MultiValueBlocksAndResults) {
  auto r = call("swap_add", {Val::i32(3), Val::i32(4)});
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[0].i32(), 4);
  EXPECT_EQ(r[1].i32(), 3);
  EXPECT_EQ(r[2].i32(), 7);
}

TEST_P(Codegen, PassesManyParametersOfMixedTypes) {
  auto r = call("many", {Val::i32(1), Val::i64(2), Val::f32(3.5f), Val::f64(4.25), Val::i32(0), Val::i64(0),
                         Val::f32(0), Val::f64(0), Val::i32(5), Val::i64(0), Val::f32(0), Val::f64(6.5)});
  EXPECT_DOUBLE_EQ(r[0].f64(), 1 + 2 + 3.5 + 4.25 + 5 + 6.5);
}

TEST_P(Codegen, CallsImportsIndirectlyAndRecursively) {
  EXPECT_EQ(call("call_import", {Val::i32(40), Val::i32(2)})[0].i32(), 42);
  EXPECT_EQ(call("call_indirect", {Val::i32(0), Val::i32(10), Val::i32(3)})[0].i32(), 13);
  EXPECT_EQ(call("call_indirect", {Val::i32(1), Val::i32(10), Val::i32(3)})[0].i32(), 7);
  EXPECT_EQ(call("fact", {Val::i64(20)})[0].i64(), 2432902008176640000LL);
}

TEST_P(Codegen, HostFunctionsMayCallBackIntoWasm) {
  EXPECT_EQ(call("reenter", {Val::i32(5)})[0].i32(), 120);
}

TEST_P(Codegen, DivisionAndShiftsKeepOtherValuesIntact) {
  EXPECT_EQ(call("divmix", {Val::i32(17), Val::i32(5), Val::i32(1000)})[0].i32(), 1000 + 3 + 2);
  EXPECT_EQ(call("divmix", {Val::i32(-17), Val::i32(5), Val::i32(1)})[0].i32(),
            1 + (-17 / 5) + static_cast<int32_t>(static_cast<uint32_t>(-17) % 5u));
  uint64_t shl = uint64_t{3} << 4;
  uint64_t rotl = (shl << 4) | (shl >> 60);
  EXPECT_EQ(call("shiftmix", {Val::i64(3), Val::i64(4), Val::i64(7)})[0].i64(), static_cast<int64_t>(7 + rotl));
}

TEST_P(Codegen, StoresAndLoadsMemory) {
  EXPECT_EQ(call("store_load", {Val::i32(16), Val::i64(0x1122334455667788LL)})[0].i64(), 0x1122334455667788LL);
  auto mem = instance_.get_memory(store_, "mem");
  ASSERT_TRUE(mem);
  EXPECT_EQ(mem->data(store_)[24], 0x88);
}

TEST_P(Codegen, RejectsArgumentsOfTheWrongType) {
  auto f = instance_.get_func(store_, "sum");
  auto r = f->call(store_, {Val::i64(1)});
  EXPECT_FALSE(r);
  auto r2 = f->call(store_, {});
  EXPECT_FALSE(r2);
}

INSTANTIATE_TEST_SUITE_P(BothBoundsModes, Codegen, testing::Bool(), test::bounds_name);

}  // namespace
}  // namespace brisk
