// One case per fixed bug (tests/regress/*.wat), run under both bounds modes.
#include <gtest/gtest.h>

#include "brisk/brisk.h"

namespace brisk {
namespace {

class Regress : public testing::TestWithParam<bool> {
 protected:
  Regress() : engine_(make_config(GetParam())), store_(engine_), linker_(engine_) {}
  static Config make_config(bool explicit_bounds) {
    Config c;
    c.explicit_bounds_checks = explicit_bounds;
    return c;
  }
  Instance load(const char* name) {
    auto m = Module::from_file(engine_, std::string("tests/regress/") + name + ".wasm");
    EXPECT_TRUE(m) << m.status().to_string();
    auto inst = linker_.instantiate(store_, *m);
    EXPECT_TRUE(inst) << inst.status().to_string();
    return *inst;
  }
  Result<std::vector<Val>> call(Instance& inst, const char* name, std::initializer_list<Val> args) {
    return inst.get_func(store_, name)->call(store_, args);
  }
  Engine engine_;
  Store store_;
  Linker linker_;
};

TEST_P(Regress, ResultsFromParametersSurviveTheReturnArea) {
  Instance inst = load("swap_params");
  auto r = call(inst, "swap", {Val::i32(1), Val::i32(2)});
  ASSERT_TRUE(r);
  EXPECT_EQ((*r)[0].i32(), 2);
  EXPECT_EQ((*r)[1].i32(), 1);
  auto q = call(inst, "rotate", {Val::i64(10), Val::i64(20), Val::i64(30)});
  ASSERT_TRUE(q);
  EXPECT_EQ((*q)[0].i64(), 30);
  EXPECT_EQ((*q)[1].i64(), 10);
  EXPECT_EQ((*q)[2].i64(), 20);
}

TEST_P(Regress, SignaturesThatShareBytesHaveDistinctTypeIds) {
  Instance inst = load("type_ids");
  auto ok = call(inst, "call_b_as_gives", {});
  ASSERT_TRUE(ok) << ok.status().to_string();
  EXPECT_EQ((*ok)[0].f64(), 1.5);
  auto bad = call(inst, "call_a_as_gives", {});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.status().message(), "indirect call type mismatch");
}

TEST_P(Regress, LocalsKeptFromTheirSlotAreStoredOnceChanged) {
  Instance inst = load("clean_locals");
  auto r = call(inst, "loop_call", {Val::i32(10)});
  ASSERT_TRUE(r) << r.status().to_string();
  EXPECT_EQ((*r)[0].i32(), 10);
  auto c = call(inst, "const_set", {Val::i32(1)});
  ASSERT_TRUE(c) << c.status().to_string();
  EXPECT_EQ((*c)[0].i32(), 42);
}

TEST_P(Regress, LabelsTakeTheStateOfTheirFirstBranch) {
  Instance inst = load("label_state");
  auto if_edge = [&](int32_t a, int32_t b) { return (*call(inst, "if_edge", {Val::i32(a), Val::i32(b)}))[0].i32(); };
  EXPECT_EQ(if_edge(10, 0), 10);  // the false edge, with the entry state
  EXPECT_EQ(if_edge(10, 1), 15);  // the first branch
  EXPECT_EQ(if_edge(10, 2), 16);  // the then-arm's fallthrough
  auto paths = [&](int32_t p) { return (*call(inst, "block_paths", {Val::i32(p)}))[0].i32(); };
  EXPECT_EQ(paths(0), 10002);
  EXPECT_EQ(paths(1), 10020);
  EXPECT_EQ(paths(2), 100020);
  auto table = [&](int32_t p) { return (*call(inst, "table", {Val::i32(p)}))[0].i32(); };
  EXPECT_EQ(table(0), 83);
  EXPECT_EQ(table(1), 11);
  EXPECT_EQ(table(2), 8);
  EXPECT_EQ(table(9), 8);  // the default
}

TEST_P(Regress, OperandsKeepTheValueALocalHadWhenRead) {
  Instance inst = load("tee_in_loop");
  auto r = call(inst, "tee_then_set", {Val::i32(7)});
  ASSERT_TRUE(r);
  EXPECT_EQ((*r)[0].i32(), 107);
  auto c = call(inst, "count", {Val::i32(10)});
  ASSERT_TRUE(c);
  EXPECT_EQ((*c)[0].i32(), 55);
}

// Issue 6: a failed grow's -1 used as an address traps in both modes (it
// reached base - 1, base + 15, or crashed the explicit check by wrapping).
TEST_P(Regress, FailedGrowResultUsedAsAddressTraps) {
  Instance inst = load("grow_failure_index");
  for (const char* name : {"load8", "store8", "load_offset16", "load_via_local", "load_table_grow",
                           "store_table_grow"}) {
    auto r = call(inst, name, {});
    ASSERT_FALSE(r) << name << " returned instead of trapping";
    EXPECT_EQ(r.status().message(), "out of bounds memory access") << name;
  }
  auto mem = inst.get_memory(store_, "memory");
  ASSERT_TRUE(mem);
  {
    for (size_t i = 0; i < 32; ++i) EXPECT_EQ(mem->data(store_)[i], 0) << "byte " << i << " was written";
  }
}

TEST_P(Regress, FailedGrowResultIsMinusOneAsEveryType) {
  Instance inst = load("grow_failure_index");
  auto a = call(inst, "grow_failed_as_i64", {});
  ASSERT_TRUE(a);
  EXPECT_EQ((*a)[0].i64(), 0xffffffffll);
  auto b = call(inst, "grow_failed_is_minus_one", {});
  ASSERT_TRUE(b);
  EXPECT_EQ((*b)[0].i32(), 1);
}

// Issue 6: i32 values entering from the host are canonical at the boundary
// (Val::from_bits keeps the low half; generated code reads 32 bits).
TEST_P(Regress, HostI32ValuesUsedAsAddressesTrap) {
  EXPECT_TRUE(linker_.define("host", "minus_one",
                 Func::create(store_, {{}, {ValKind::kI32}}, [](std::span<const Val>, std::span<Val> results) {
                   results[0] = Val::from_bits(ValKind::kI32, ~uint64_t{0});  // garbage above the i32
                   return Status::ok();
                 })));
  auto g = Global::create(store_, {ValKind::kI32, false}, Val::from_bits(ValKind::kI32, ~uint64_t{0}));
  ASSERT_TRUE(g);
  EXPECT_TRUE(linker_.define("host", "g", *g));
  Instance inst = load("host_i32_index");
  for (const char* name : {"load_host_result", "load_host_global"}) {
    auto r = call(inst, name, {});
    ASSERT_FALSE(r) << name << " returned instead of trapping";
    EXPECT_EQ(r.status().message(), "out of bounds memory access") << name;
  }
  auto w = call(inst, "host_result_as_i64", {});
  ASSERT_TRUE(w) << w.status().to_string();
  EXPECT_EQ((*w)[0].i64(), 0xffffffffll);
  EXPECT_EQ(g->get(store_).bits(), 0xffffffffu);
}

// Issue 7: register arguments permuted into each other's registers.
TEST_P(Regress, RegisterArgumentCyclesAreBroken) {
  Instance inst = load("arg_cycles");
  auto s = call(inst, "swap", {Val::i32(10), Val::i32(3)});
  ASSERT_TRUE(s) << s.status().to_string();
  EXPECT_EQ((*s)[0].i32(), 3 - 10);
  auto r = call(inst, "rotate", {Val::i32(1), Val::i32(2), Val::i32(3)});
  ASSERT_TRUE(r);
  EXPECT_EQ((*r)[0].i32(), 312);
  auto f = call(inst, "fswap", {Val::f64(10.0), Val::f64(2.5)});
  ASSERT_TRUE(f);
  EXPECT_EQ((*f)[0].f64(), 2.5 - 10.0);
  auto m = call(inst, "mix", {});
  ASSERT_TRUE(m) << m.status().to_string();
  EXPECT_EQ((*m)[0].i64(), 1 + 2 + 3 + 4 + 100 + 200);
  EXPECT_EQ((*m)[1].f64(), 0.5 + 1.5 + 2.5 + 3.5 + 0.375);
  EXPECT_EQ((*m)[2].i32(), 4);
}

// A loop's closing br_if moves its locals on both paths: the code after
// the loop reads them where the header keeps them.
TEST_P(Regress, LocalsAfterABackEdgeThatMovesThem) {
  Instance inst = load("back_edge_moves");
  const int32_t n[] = {1, 2, 3, 7, 100};
  const int32_t rotate[] = {20302, 30204, 20406, 91213, 16690318};
  for (int k = 0; k < 5; ++k) {
    auto r = call(inst, "rotate", {Val::i32(n[k])});
    ASSERT_TRUE(r) << r.status().to_string();
    EXPECT_EQ((*r)[0].i32(), rotate[k]) << "n = " << n[k];
  }
}

TEST_P(Regress, VectorLocalsAfterABackEdgeThatMovesThem) {
  Instance inst = load("back_edge_moves_simd");
  const int32_t n[] = {1, 2, 3, 7, 100};
  const int32_t vectors[] = {50, 58, 65, 83, -4009};  // node agrees
  for (int k = 0; k < 5; ++k) {
    auto v = call(inst, "vectors", {Val::i32(n[k])});
    ASSERT_TRUE(v) << v.status().to_string();
    EXPECT_EQ((*v)[0].i32(), vectors[k]) << "n = " << n[k];
  }
}

INSTANTIATE_TEST_SUITE_P(BothBoundsModes, Regress, testing::Bool(),
                         [](const testing::TestParamInfo<bool>& i) { return i.param ? "ExplicitBounds" : "GuardPages"; });

}  // namespace
}  // namespace brisk
