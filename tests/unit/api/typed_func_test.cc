// Typed host functions (Linker::func_wrap, Func::wrap) and TypedFunc calls.
#include "tests/unit/api/api_util.h"

namespace brisk {
namespace {

class TypedFuncTest : public testing::Test {
 protected:
  void SetUp() override {
    module_ = test::api_module(engine_);
    test::define_host(linker_);
    auto i = linker_.instantiate(store_, module_);
    ASSERT_TRUE(i) << i.status().to_string();
    inst_ = *i;
  }
  Engine engine_;
  Store store_{engine_};
  Linker linker_{engine_};
  Module module_;
  Instance inst_;
};

TEST_F(TypedFuncTest, CallsThroughTypedHostFunctions) {
  auto add = inst_.typed_func<int32_t(int32_t, int32_t)>(store_, "add");
  ASSERT_TRUE(add) << add.status().to_string();
  EXPECT_EQ(add->call(store_, 2, 40).value(), 42);
  EXPECT_EQ(add->call(store_, INT32_MAX, 1).value(), INT32_MIN);

  auto mix = inst_.typed_func<double(int64_t, float, double)>(store_, "mix");
  ASSERT_TRUE(mix);
  EXPECT_DOUBLE_EQ(mix->call(store_, 1000000000000, 1.5f, 0.25).value(), 1000000000000.0 + 3.0 + 0.75);
}

TEST_F(TypedFuncTest, MultiValueBothWays) {
  auto pair = inst_.typed_func<std::tuple<int32_t, int64_t>(int32_t)>(store_, "pair");
  ASSERT_TRUE(pair) << pair.status().to_string();
  auto [a, b] = pair->call(store_, 5).value();
  EXPECT_EQ(a, 6);
  EXPECT_EQ(b, int64_t{5} << 40);
}

TEST_F(TypedFuncTest, WrongSignatureIsRefusedAtLookup) {
  auto bad = inst_.typed_func<int64_t(int32_t, int32_t)>(store_, "add");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.status().message(), "function has type [i32 i32] -> [i32], the typed call expects [i32 i32] -> [i64]");
  auto missing = inst_.typed_func<void()>(store_, "nope");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.status().message(), "no exported function named nope");
}

TEST_F(TypedFuncTest, HostErrorTrapsWithItsMessageAndStoreStaysUsable) {
  auto fail = inst_.typed_func<int32_t(int32_t)>(store_, "fail");
  ASSERT_TRUE(fail);
  EXPECT_EQ(fail->call(store_, 4).value(), 40);
  auto r = fail->call(store_, -3);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.status().kind(), ErrorKind::kTrap);
  EXPECT_EQ(trap_code_of(r.status()), TrapCode::kHostError);
  EXPECT_EQ(r.status().message(), "negative: -3");
  EXPECT_EQ(fail->call(store_, 1).value(), 10);  // calling again after a trap works
}

TEST_F(TypedFuncTest, CallerReachesTheCallingInstancesMemory) {
  auto poke = inst_.typed_func<void(int32_t, int32_t)>(store_, "poke");
  auto load = inst_.typed_func<int32_t(int32_t)>(store_, "load");
  ASSERT_TRUE(poke && load);
  ASSERT_TRUE(poke->call(store_, 100, 0x12345678));
  EXPECT_EQ(load->call(store_, 100).value(), 0x12345678);
  // A host write outside the memory is an error from Memory::write, which
  // the host function returns: a trap, and no host memory was touched.
  Status st = poke->call(store_, 65535, 1);
  ASSERT_FALSE(st);
  EXPECT_EQ(trap_code_of(st), TrapCode::kHostError);
  EXPECT_NE(st.message().find("outside the memory"), std::string::npos) << st.message();
}

TEST_F(TypedFuncTest, ExternRefsRoundTrip) {
  int token = 0;
  auto echo = inst_.typed_func<ExternRef(ExternRef)>(store_, "echo_ref");
  ASSERT_TRUE(echo);
  EXPECT_EQ(echo->call(store_, ExternRef{&token}).value().ptr, &token);
  EXPECT_EQ(echo->call(store_, ExternRef{}).value().ptr, nullptr);
}

TEST_F(TypedFuncTest, FuncRefsArriveAsFuncs) {
  auto table = inst_.get_table(store_, "table");
  ASSERT_TRUE(table);
  auto elem = table->get(store_, 0);
  ASSERT_TRUE(elem);
  auto f = Func::from_val(store_, *elem);
  ASSERT_TRUE(f);
  auto square = TypedFunc<int32_t(int32_t)>::from(store_, *f);
  ASSERT_TRUE(square);
  EXPECT_EQ(square->call(store_, 12).value(), 144);
}

TEST_F(TypedFuncTest, TrapsCarryABacktraceWithNames) {
  auto t = inst_.typed_func<int32_t(int32_t)>(store_, "trap_if_zero");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->call(store_, 3).value(), 3);
  auto r = t->call(store_, 0);
  ASSERT_FALSE(r);
  EXPECT_EQ(trap_code_of(r.status()), TrapCode::kUnreachable);
  EXPECT_EQ(r.status().message(), "unreachable");
  std::vector<Frame> frames = trap_frames(r.status());
  ASSERT_EQ(frames.size(), 2u) << r.status().trace();
  EXPECT_EQ(frames[0].func_name, "inner");
  EXPECT_EQ(frames[1].func_name, "outer");
  EXPECT_EQ(frames[0].func_index + 1, frames[1].func_index);  // $inner is defined just before $outer
  EXPECT_LT(frames[0].func_offset, frames[1].func_offset);
  EXPECT_NE(frames[0].instance, nullptr);
}

TEST_F(TypedFuncTest, FuncWrapMakesAStoreFunction) {
  int calls = 0;
  auto f = Func::wrap(store_, [&calls](int64_t x) { ++calls; return x * 3; });
  ASSERT_TRUE(f) << f.status().to_string();
  EXPECT_EQ(f->type(store_), (FuncType{{ValKind::kI64}, {ValKind::kI64}}));
  auto typed = TypedFunc<int64_t(int64_t)>::from(store_, *f);
  ASSERT_TRUE(typed);
  EXPECT_EQ(typed->call(store_, 14).value(), 42);  // host -> host through the trampolines
  EXPECT_EQ(calls, 1);
  // A host function called by the host has no calling instance.
  auto who = Func::wrap(store_, [](Caller& c) { return c.instance().has_value() ? 1 : 0; });
  ASSERT_TRUE(who);
  EXPECT_EQ(TypedFunc<int32_t()>::from(store_, *who)->call(store_).value(), 0);
}

TEST_F(TypedFuncTest, V128TakesTwoSlotsInTypedHostFunctions) {
  // host -> host through both trampolines: v128 values between others.
  auto f = Func::wrap(store_, [](int32_t a, V128 v, int64_t b, V128 w) {
    return std::tuple<V128, int64_t, V128>(V128{v.hi, v.lo}, a + b, V128{w.lo + 1, w.hi + 1});
  });
  ASSERT_TRUE(f) << f.status().to_string();
  auto typed = TypedFunc<std::tuple<V128, int64_t, V128>(int32_t, V128, int64_t, V128)>::from(store_, *f);
  ASSERT_TRUE(typed) << typed.status().to_string();
  auto r = typed->call(store_, 40, V128{1, 2}, int64_t{2}, V128{10, 20});
  ASSERT_TRUE(r);
  EXPECT_EQ(std::get<0>(*r), (V128{2, 1}));
  EXPECT_EQ(std::get<1>(*r), 42);
  EXPECT_EQ(std::get<2>(*r), (V128{11, 21}));
  // The untyped path reads the same slots.
  auto u = f->call(store_, {Val::i32(1), Val::v128(V128{3, 4}), Val::i64(2), Val::v128(V128{5, 6})});
  ASSERT_TRUE(u) << u.status().to_string();
  EXPECT_EQ((*u)[0].v128(), (V128{4, 3}));
  EXPECT_EQ((*u)[1].i64(), 3);
  EXPECT_EQ((*u)[2].v128(), (V128{6, 7}));
}

TEST(TypedFuncDeathTest, HandleOfAnotherStoreIsCaught) {
  Engine engine;
  Module m = test::api_module(engine);
  Linker linker(engine);
  test::define_host(linker);
  Store a(engine), b(engine);
  auto inst = linker.instantiate(a, m);
  ASSERT_TRUE(inst);
  auto add = inst->typed_func<int32_t(int32_t, int32_t)>(a, "add");
  ASSERT_TRUE(add);
  EXPECT_DEATH((void)add->call(b, 1, 2), "handle used with a store it does not belong to");
  auto mem = inst->get_memory(a, "memory");
  EXPECT_DEATH((void)mem->data_size(b), "handle used with a store it does not belong to");
}

TEST(TypedFuncDeathTest, ValueOfAnErrorAborts) {
  Result<int> r = Status(ErrorKind::kInvalid, "nothing here");
  EXPECT_DEATH((void)r.value(), "value\\(\\) of an error: invalid: nothing here");
}

}  // namespace
}  // namespace brisk
