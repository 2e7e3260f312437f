// v128 values through calls, the host, globals and control flow (simd.wat),
// in both bounds modes and, on x86-64, with or without AVX; the SIMD floor
// (SSE4.1 on x86-64; NEON is part of every AArch64 target).
// The operators themselves are the spec suite's (simd/*.wast).
#include <gtest/gtest.h>

#include <array>
#include <cstring>
#include <numeric>
#include <string>
#include <vector>

#include "brisk/brisk.h"
#include "exec_util.h"

namespace brisk {
namespace {

V128 lanes32(uint32_t a, uint32_t b, uint32_t c, uint32_t d) {
  return V128{a | uint64_t{b} << 32, c | uint64_t{d} << 32};
}

struct Mode {
  bool explicit_bounds;
  const char* cpu;  // "" = everything the CPU has
};

class SimdExec : public testing::TestWithParam<Mode> {
 public:
  SimdExec() : engine_(make_config()), store_(engine_), linker_(engine_) {
    FuncType swap{{ValKind::kV128}, {ValKind::kV128}};
    EXPECT_TRUE(linker_.func_new("host", "swap", swap, [](std::span<const Val> args, std::span<Val> results) {
      results[0] = Val::v128(args[0].v128_hi(), args[0].v128_lo());
      return Status::ok();
    }).is_ok());
    EXPECT_TRUE(linker_.func_wrap("host", "mix", [](int32_t i, V128 a, double d, V128 b) {
      return std::tuple<V128, int32_t>(V128{a.lo + b.lo, a.hi + b.hi}, i + static_cast<int32_t>(d * 2));
    }).is_ok());
    auto inst = linker_.instantiate(store_, test::load(engine_, "simd"));
    EXPECT_TRUE(inst) << inst.status().to_string();
    if (inst) inst_ = *inst;
  }
  Config make_config() {
    Config c = test::config_for(GetParam().explicit_bounds);
    c.cpu_features = GetParam().cpu;
    return c;
  }
  Result<std::vector<Val>> call(const std::string& name, std::vector<Val> args) {
    return inst_.get_func(store_, name)->call(store_, args);
  }
  V128 v(const std::string& name, std::vector<Val> args) {
    auto r = call(name, std::move(args));
    EXPECT_TRUE(r) << name << ": " << r.status().to_string();
    return r ? (*r)[0].v128() : V128{};
  }

  Engine engine_;
  Store store_;
  Linker linker_;
  Instance inst_;
};

TEST_P(SimdExec, ParametersInRegistersAndInTheOutgoingArea) {
  std::vector<Val> args;
  for (uint32_t i = 0; i < 6; ++i) args.push_back(Val::v128(lanes32(i, 10 * i, 100 * i, 1000 * i)));
  // 0+1+2+3 + 4*5 per lane, scaled
  V128 want = lanes32(6 + 20, 60 + 2000, 600 + 200000, 6000 + 20000000);
  EXPECT_EQ(v("sum6", args), want);
  EXPECT_EQ(v("sum6_indirect", args), want);
}

TEST_P(SimdExec, MixedClassesAndSeveralResults) {
  auto r = call("mixed", {Val::i32(-1), Val::v128(lanes32(1, 2, 3, 4)), Val::f64(1.5),
                          Val::v128(V128{0x1111, 0x2222}), Val::i64(0x1'0000'0009)});
  ASSERT_TRUE(r) << r.status().to_string();
  ASSERT_EQ(r->size(), 4u);
  EXPECT_EQ((*r)[0].v128(), lanes32(0xffffffff, 2, 3, 4));
  EXPECT_EQ((*r)[1].i32(), 9);
  EXPECT_EQ((*r)[2].v128(), (V128{0x1111, 0x2222}));
  EXPECT_EQ((*r)[3].f64(), 1.5);
}

TEST_P(SimdExec, LocalLiveAcrossACall) {
  V128 x = lanes32(0x01010101, 0x02020202, 0x7f7f7f7f, 0xffffffff);
  // i8x16.add with bytes 1..16
  V128 want = {0, 0};
  uint8_t in[16], out[16];
  memcpy(in, &x, 16);
  for (int i = 0; i < 16; ++i) out[i] = static_cast<uint8_t>(in[i] + i + 1);
  memcpy(&want, out, 16);
  EXPECT_EQ(v("across_call", {Val::v128(x)}), want);
}

TEST_P(SimdExec, HostFunctionsTakeAndReturnV128) {
  EXPECT_EQ(v("via_host", {Val::v128(V128{1, 2})}), (V128{2, 1}));
  auto r = call("via_host_mix", {Val::v128(V128{10, 20}), Val::v128(V128{1, 2})});
  ASSERT_TRUE(r) << r.status().to_string();
  EXPECT_EQ((*r)[0].v128(), (V128{11, 22}));
  EXPECT_EQ((*r)[1].i32(), 12);
  // Typed calls into Wasm, v128 among other types.
  auto typed = TypedFunc<std::tuple<V128, int32_t>(V128, V128)>::from(store_, *inst_.get_func(store_, "via_host_mix"));
  ASSERT_TRUE(typed) << typed.status().to_string();
  auto t = typed->call(store_, V128{5, 6}, V128{7, 8});
  ASSERT_TRUE(t);
  EXPECT_EQ(std::get<0>(*t), (V128{12, 14}));
  EXPECT_EQ(std::get<1>(*t), 12);
}

TEST_P(SimdExec, GlobalsFromWasmAndFromTheHost) {
  EXPECT_EQ(v("get_g", {}), lanes32(1, 2, 3, 4));
  ASSERT_TRUE(call("set_g", {Val::v128(V128{0xabc, 0xdef})}));
  EXPECT_EQ(v("get_g", {}), (V128{0xabc, 0xdef}));
  auto g = inst_.get_global(store_, "gv");
  ASSERT_TRUE(g);
  EXPECT_EQ(g->get(store_).v128(), (V128{5, 6}));
  ASSERT_TRUE(g->set(store_, Val::v128(V128{7, 8})).is_ok());
  EXPECT_EQ(g->get(store_).v128(), (V128{7, 8}));
  auto own = Global::create(store_, GlobalType{ValKind::kV128, true}, Val::v128(V128{~0ull, 1}));
  ASSERT_TRUE(own) << own.status().to_string();
  EXPECT_EQ(own->get(store_).v128(), (V128{~0ull, 1}));
}

TEST_P(SimdExec, SelectBlocksAndIf) {
  Val a = Val::v128(V128{1, 2}), b = Val::v128(V128{3, 4});
  EXPECT_EQ(v("select_v", {a, b, Val::i32(1)}), (V128{1, 2}));
  EXPECT_EQ(v("select_v", {a, b, Val::i32(0)}), (V128{3, 4}));
  EXPECT_EQ(v("select_t", {a, b, Val::i32(3)}), (V128{1, 2}));
  EXPECT_EQ(v("select_t", {a, b, Val::i32(2)}), (V128{3, 4}));
  EXPECT_EQ(v("block_v", {a, Val::i32(1)}), (V128{1, 2}));
  EXPECT_EQ(v("block_v", {a, Val::i32(0)}), (V128{0, 0}));
  EXPECT_EQ(v("if_v", {a, b, Val::i32(1)}), (V128{1, 2}));
  EXPECT_EQ(v("if_v", {a, b, Val::i32(0)}), (V128{6, 8}));
}

TEST_P(SimdExec, LoopWithAVectorAccumulator) {
  auto mem = inst_.get_memory(store_, "mem");
  ASSERT_TRUE(mem);
  std::vector<uint8_t> bytes(4096);
  for (size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<uint8_t>(i * 37 + 11);
  ASSERT_TRUE(mem->write(store_, 64, bytes).is_ok());
  auto r = call("sum_bytes", {Val::i32(64), Val::i32(4096)});
  ASSERT_TRUE(r) << r.status().to_string();
  EXPECT_EQ((*r)[0].i32(), std::accumulate(bytes.begin(), bytes.end(), 0));
}

TEST_P(SimdExec, AccessesPastTheEndTrap) {
  EXPECT_TRUE(call("load_at", {Val::i32(65536 - 16)}));
  auto r = call("load_at", {Val::i32(65536 - 15)});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.status().message(), "out of bounds memory access");
  EXPECT_FALSE(call("load_at", {Val::i32(-1)}));
  EXPECT_TRUE(call("store_lane_at", {Val::i32(65536 - 8), Val::v128(V128{1, 2})}));
  EXPECT_FALSE(call("store_lane_at", {Val::i32(65536 - 7), Val::v128(V128{1, 2})}));
}

// The lanes each function of shuffles.wat names (a copy of its immediates).
const std::pair<const char*, std::array<uint8_t, 16>> kShuffles[] = {
    {"unpack_lo_bytes", {0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23}},
    {"unpack_hi_words", {8, 9, 24, 25, 10, 11, 26, 27, 12, 13, 28, 29, 14, 15, 30, 31}},
    {"unpack_lo_dwords", {0, 1, 2, 3, 16, 17, 18, 19, 4, 5, 6, 7, 20, 21, 22, 23}},
    {"unpack_hi_qwords", {8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31}},
    {"window_5", {5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20}},
    {"dwords_l_then_r", {4, 5, 6, 7, 0, 1, 2, 3, 24, 25, 26, 27, 28, 29, 30, 31}},
    {"dwords_r_then_l", {20, 21, 22, 23, 16, 17, 18, 19, 12, 13, 14, 15, 0, 1, 2, 3}},
    {"blend_words", {0, 1, 18, 19, 4, 5, 22, 23, 24, 25, 10, 11, 12, 13, 30, 31}},
    {"single_dwords", {12, 13, 14, 15, 8, 9, 10, 11, 4, 5, 6, 7, 0, 1, 2, 3}},
    {"single_bytes_of_b", {31, 16, 30, 17, 29, 18, 28, 19, 27, 20, 26, 21, 25, 22, 24, 23}},
    {"same_operand", {3, 19, 2, 18, 1, 17, 0, 16, 7, 23, 6, 22, 5, 21, 4, 20}},
    {"general", {9, 31, 0, 17, 4, 4, 28, 3, 15, 16, 2, 21, 8, 13, 30, 7}},
};

TEST_P(SimdExec, ShufflePatternsMatchTheDefinition) {
  Store store(engine_);
  auto inst = Linker(engine_).instantiate(store, test::load(engine_, "shuffles"));
  ASSERT_TRUE(inst) << inst.status().to_string();
  uint8_t a[16], b[16];
  for (int i = 0; i < 16; ++i) {
    a[i] = static_cast<uint8_t>(0x10 + i);
    b[i] = static_cast<uint8_t>(0xa0 + i);
  }
  V128 va, vb;
  memcpy(&va, a, 16);
  memcpy(&vb, b, 16);
  for (const auto& [name, lanes] : kShuffles) {
    bool same = std::string(name) == "same_operand";
    uint8_t want[16];
    for (int i = 0; i < 16; ++i) want[i] = lanes[i] < 16 ? a[lanes[i]] : (same ? a : b)[lanes[i] - 16];
    auto r = inst->get_func(store, name)->call(store, {Val::v128(va), Val::v128(vb)});
    ASSERT_TRUE(r) << name << ": " << r.status().to_string();
    V128 got = (*r)[0].v128();
    uint8_t g[16];
    memcpy(g, &got, 16);
    for (int i = 0; i < 16; ++i) EXPECT_EQ(g[i], want[i]) << name << " lane " << i;
  }
}

#if defined(__aarch64__)
#define BRISK_SIMD_MODES testing::Values(Mode{false, ""}, Mode{true, ""})  // no feature mask to vary
#else
#define BRISK_SIMD_MODES                                                                            \
  testing::Values(Mode{false, ""}, Mode{true, ""}, Mode{false, "sse4.1,popcnt"}, Mode{true, "sse4.1,popcnt"}, \
                  Mode{false, "sse4.1,sse4.2"})
#endif
INSTANTIATE_TEST_SUITE_P(Modes, SimdExec, BRISK_SIMD_MODES,
                         [](const testing::TestParamInfo<Mode>& info) {
                           std::string name = info.param.explicit_bounds ? "ExplicitBounds" : "GuardPages";
                           std::string cpu = info.param.cpu;
                           if (cpu.empty()) return name + "AllFeatures";
                           return name + (cpu.find("sse4.2") != std::string::npos ? "Sse42NoAvx" : "Sse41Only");
                         });

TEST(SimdFloor, OperatorsNeedSse41EvenInDeadCode) {
#if defined(__aarch64__)
  GTEST_SKIP() << "an x86-64 feature mask: AArch64's SIMD floor is the ISA itself";
#endif
  Config c;
  c.cpu_features = "popcnt";  // no SSE4.1
  Engine engine(c);
  // (func unreachable v128.const 0 drop)
  auto m = Module::from_file(engine, "tests/unit/exec/simd.wasm");
  ASSERT_FALSE(m);
  EXPECT_EQ(m.status().kind(), ErrorKind::kUnsupported);
  EXPECT_NE(m.status().message().find("SIMD needs SSE4.1"), std::string::npos) << m.status().message();
}

TEST(SimdFloor, MovingV128ValuesNeedsNoSimdInstructions) {
  Config c;
  c.cpu_features = "baseline";
  Engine engine(c);
  Store store(engine);
  auto m = Module::from_file(engine, "tests/unit/exec/simd_plumbing.wasm");
  ASSERT_TRUE(m) << m.status().to_string();
  auto inst = Linker(engine).instantiate(store, *m);
  ASSERT_TRUE(inst) << inst.status().to_string();
  auto r = inst->get_func(store, "round_trip")->call(store, {Val::v128(V128{0x0123456789abcdef, 0xfedcba9876543210})});
  ASSERT_TRUE(r) << r.status().to_string();
  EXPECT_EQ((*r)[0].v128(), (V128{0x0123456789abcdef, 0xfedcba9876543210}));
}

}  // namespace
}  // namespace brisk
