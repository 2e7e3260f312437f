// Operators with CPU-feature-dependent code give the same bits with every
// feature set: baseline (SSE2 only), each feature alone, and all of them.
#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstring>
#include <random>

#include "brisk/brisk.h"
#include "exec_util.h"

namespace brisk {
namespace {

template <class F>
uint64_t fbits(F f) {
  if constexpr (sizeof(F) == 4) {
    uint32_t b;
    memcpy(&b, &f, 4);
    return b;
  } else {
    uint64_t b;
    memcpy(&b, &f, 8);
    return b;
  }
}

// Reference semantics (NaN results only need to be NaN with the quiet bit).
template <class F>
F reference(const std::string& op, F x) {
  if (op == "floor") return std::floor(x);
  if (op == "ceil") return std::ceil(x);
  if (op == "trunc") return std::trunc(x);
  return std::nearbyint(x);  // round half to even in the default mode
}

class CpuFeaturesExec : public testing::TestWithParam<const char*> {
 public:
  CpuFeaturesExec() : engine_(make_config()), store_(engine_) {
    auto m = test::load(engine_, "cpu_ops");
    auto inst = Linker(engine_).instantiate(store_, m);
    EXPECT_TRUE(inst) << inst.status().to_string();
    inst_ = *inst;
  }
  Config make_config() {
    Config c;
    c.cpu_features = GetParam();
    return c;
  }
  Val call(const std::string& name, Val arg) {
    auto r = inst_.get_func(store_, name)->call(store_, {arg});
    EXPECT_TRUE(r) << name << ": " << r.status().to_string();
    return r ? (*r)[0] : Val();
  }
  Engine engine_;
  Store store_;
  Instance inst_;
};

std::vector<uint64_t> int_inputs() {
  std::vector<uint64_t> v = {0, 1, 2, 3, 0x80, 0xff, 0x7fffffff, 0x80000000, 0xffffffff, 0x100000000,
                             0x8000000000000000, 0xffffffffffffffff, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa};
  std::mt19937_64 rng(6);
  for (int i = 0; i < 300; ++i) v.push_back(rng() >> (rng() % 64));
  return v;
}

TEST_P(CpuFeaturesExec, BitCountsMatchTheReference) {
  for (uint64_t x : int_inputs()) {
    uint32_t x32 = static_cast<uint32_t>(x);
    Val a = Val::i32(static_cast<int32_t>(x32)), b = Val::i64(static_cast<int64_t>(x));
    EXPECT_EQ(call("i32.clz", a).i32(), std::countl_zero(x32)) << std::hex << x32;
    EXPECT_EQ(call("i32.ctz", a).i32(), std::countr_zero(x32)) << std::hex << x32;
    EXPECT_EQ(call("i32.popcnt", a).i32(), std::popcount(x32)) << std::hex << x32;
    EXPECT_EQ(call("i64.clz", b).i64(), std::countl_zero(x)) << std::hex << x;
    EXPECT_EQ(call("i64.ctz", b).i64(), std::countr_zero(x)) << std::hex << x;
    EXPECT_EQ(call("i64.popcnt", b).i64(), std::popcount(x)) << std::hex << x;
  }
  auto r = inst_.get_func(store_, "i32.popcnt_sum")->call(store_, {Val::i32(0xff), Val::i32(1)});
  ASSERT_TRUE(r);
  EXPECT_EQ((*r)[0].i32(), 8 + 31);
}

template <class F>
std::vector<F> float_inputs() {
  using Limits = std::numeric_limits<F>;
  std::vector<F> v = {F(0), -F(0), F(0.5), F(-0.5), F(1.5), F(-1.5), F(2.5), F(-2.5), F(0.49999997), F(-0.7),
                      F(1) - Limits::epsilon(), Limits::max(), -Limits::max(), Limits::min(), Limits::denorm_min(),
                      -Limits::denorm_min(), Limits::infinity(), -Limits::infinity(), Limits::quiet_NaN(),
                      F(1) / Limits::epsilon() - F(0.5), F(1) / Limits::epsilon() + F(1), F(4503599627370495.5),
                      F(8388607.5), F(-8388607.5), F(8388608), F(123456.789)};
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<F> small(-100, 100), big(-1e18, 1e18);
  for (int i = 0; i < 200; ++i) v.push_back(i % 2 ? small(rng) : big(rng));
  return v;
}

template <class F>
void check_rounding(CpuFeaturesExec& t, const char* type) {
  for (const char* op : {"floor", "ceil", "trunc", "nearest"}) {
    for (F x : float_inputs<F>()) {
      Val arg = sizeof(F) == 4 ? Val::f32(static_cast<float>(x)) : Val::f64(static_cast<double>(x));
      Val got = t.call(std::string(type) + "." + op, arg);
      F want = reference<F>(op, x);
      if (std::isnan(want)) {
        uint64_t quiet = sizeof(F) == 4 ? 0x7fc00000u : 0x7ff8000000000000u;
        EXPECT_EQ(got.bits() & quiet, quiet) << type << "." << op << "(nan)";
      } else {
        EXPECT_EQ(got.bits(), fbits(want)) << type << "." << op << "(" << x << ")";
      }
    }
  }
  // A signalling NaN comes back quiet.
  Val snan = sizeof(F) == 4 ? Val::f32_bits(0x7fa00000u) : Val::f64_bits(0x7ff4000000000000u);
  uint64_t quiet = sizeof(F) == 4 ? 0x7fc00000u : 0x7ff8000000000000u;
  EXPECT_EQ(t.call(std::string(type) + ".floor", snan).bits() & quiet, quiet);
}

TEST_P(CpuFeaturesExec, RoundingMatchesTheReference) {
  check_rounding<float>(*this, "f32");
  check_rounding<double>(*this, "f64");
}

INSTANTIATE_TEST_SUITE_P(FeatureSets, CpuFeaturesExec,
                         testing::Values("baseline", "lzcnt", "bmi1", "popcnt", "sse4.1", ""),
                         [](const testing::TestParamInfo<const char*>& i) {
                           std::string n = *i.param ? i.param : "all";
                           for (char& c : n) if (c == '.') c = '_';
                           return n;
                         });

TEST(CpuFeaturesConfig, AnUnknownFeatureIsAClearError) {
  Config c;
  c.cpu_features = "sse4.1,avx9";
  Engine engine(c);
  auto m = Module::compile(engine, std::vector<uint8_t>{0, 'a', 's', 'm', 1, 0, 0, 0});
  ASSERT_FALSE(m);
  EXPECT_EQ(m.status().message(),
            "unknown CPU feature \"avx9\" (known: baseline, lzcnt, bmi1, bmi2, popcnt, sse4.1, avx, avx2, sse4.2)");
}

}  // namespace
}  // namespace brisk
