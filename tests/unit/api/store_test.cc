// Store: user data and limits (errors, not aborts, when one is hit).
#include "tests/unit/api/api_util.h"

namespace brisk {
namespace {

struct AppState {
  int requests = 0;
};

TEST(StoreTest, UserDataReachesHostFunctions) {
  Engine engine;
  Module m = test::api_module(engine);
  Store store(engine, AppState{});
  Linker linker(engine);
  test::define_host(linker);
  ASSERT_TRUE(linker.func_wrap("host", "add_i32", [](Caller& c, int32_t a, int32_t b) {
    c.store().data_as<AppState>()->requests++;
    return a + b;
  }));
  auto inst = linker.instantiate(store, m);
  ASSERT_TRUE(inst);
  auto add = inst->typed_func<int32_t(int32_t, int32_t)>(store, "add").value();
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(add.call(store, i, i));
  EXPECT_EQ(store.data_as<AppState>()->requests, 3);
  EXPECT_EQ(store.data_as<int>(), nullptr);  // asked for the wrong type: null, not a cast
}

class LimitsTest : public testing::Test {
 protected:
  void SetUp() override {
    module_ = test::api_module(engine_);
    test::define_host(linker_);
  }
  Engine engine_;
  Store store_{engine_};
  Linker linker_{engine_};
  Module module_;
};

TEST_F(LimitsTest, MemoryGrowBeyondTheLimitReturnsMinusOne) {
  StoreLimits l;
  l.memory_size = 2 * 65536;
  store_.set_limits(l);
  auto inst = linker_.instantiate(store_, module_);
  ASSERT_TRUE(inst);
  auto grow = inst->typed_func<int32_t(int32_t)>(store_, "grow").value();
  EXPECT_EQ(grow.call(store_, 1).value(), 1);   // 1 -> 2 pages: allowed
  EXPECT_EQ(grow.call(store_, 1).value(), -1);  // 3 pages: refused, as the spec allows
  EXPECT_EQ(inst->get_memory(store_, "memory")->pages(store_), 2u);
  auto api_grow = inst->get_memory(store_, "memory")->grow(store_, 1);
  EXPECT_FALSE(api_grow);
}

TEST_F(LimitsTest, TotalMemoryAcrossInstances) {
  StoreLimits l;
  l.memories_total = 3 * 65536;
  store_.set_limits(l);
  auto a = linker_.instantiate(store_, module_);
  auto b = linker_.instantiate(store_, module_);
  auto c = linker_.instantiate(store_, module_);
  ASSERT_TRUE(a && b && c);
  auto d = linker_.instantiate(store_, module_);
  ASSERT_FALSE(d);
  EXPECT_EQ(d.status().kind(), ErrorKind::kResource);
  EXPECT_EQ(d.status().message(), "store limit reached: a memory of 1 pages is more than the store allows");
  EXPECT_EQ(a->typed_func<int32_t(int32_t)>(store_, "grow")->call(store_, 1).value(), -1);
}

TEST_F(LimitsTest, InstancesAndTables) {
  StoreLimits l;
  l.instances = 2;
  l.table_elements = 5;
  store_.set_limits(l);
  auto a = linker_.instantiate(store_, module_);
  ASSERT_TRUE(a);
  auto tg = a->typed_func<int32_t(int32_t)>(store_, "table_grow").value();
  EXPECT_EQ(tg.call(store_, 3).value(), 2);   // 2 -> 5 elements
  EXPECT_EQ(tg.call(store_, 1).value(), -1);  // 6: refused
  ASSERT_TRUE(linker_.instantiate(store_, module_));
  auto c = linker_.instantiate(store_, module_);
  ASSERT_FALSE(c);
  EXPECT_EQ(c.status().message(), "store limit reached: at most 2 instances");
  auto t = Table::create(store_, TableType{ValKind::kFuncRef, {6, 0, false}}, Val::null_funcref());
  ASSERT_FALSE(t);
  EXPECT_EQ(t.status().kind(), ErrorKind::kResource);
}

TEST_F(LimitsTest, MemoryCreateOverTheLimitIsAnError) {
  StoreLimits l;
  l.memory_size = 65536;
  store_.set_limits(l);
  auto m = Memory::create(store_, MemoryType{{2, 0, false}});
  ASSERT_FALSE(m);
  EXPECT_EQ(m.status().kind(), ErrorKind::kResource);
  EXPECT_TRUE(Memory::create(store_, MemoryType{{1, 0, false}}));
}

TEST(StoreDeathTest, NullHandlesAreCaught) {
  Engine engine;
  Store store(engine);
  Memory m;
  EXPECT_DEATH((void)m.data_size(store), "null handle used");
  Module empty;
  EXPECT_DEATH((void)empty.exports(), "empty Module handle used");
}

}  // namespace
}  // namespace brisk
