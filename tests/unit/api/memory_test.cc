// Memory, Table and Global handles: checked access, growth, types.
#include "tests/unit/api/api_util.h"

namespace brisk {
namespace {

class MemoryTest : public testing::Test {
 protected:
  void SetUp() override {
    module_ = test::api_module(engine_);
    test::define_host(linker_);
    inst_ = linker_.instantiate(store_, module_).value();
  }
  Engine engine_;
  Store store_{engine_};
  Linker linker_{engine_};
  Module module_;
  Instance inst_;
};

TEST_F(MemoryTest, CheckedReadsAndWrites) {
  Memory mem = *inst_.get_memory(store_, "memory");
  EXPECT_EQ(mem.data_size(store_), 65536u);
  EXPECT_EQ(mem.type(store_), (MemoryType{{1, 4, true}}));
  ASSERT_TRUE(mem.write_string(store_, 10, "hello"));
  EXPECT_EQ(mem.read_string(store_, 10, 5).value(), "hello");
  ASSERT_TRUE(mem.write_value<uint32_t>(store_, 65532, 0xdeadbeef));
  EXPECT_EQ(mem.read_value<uint32_t>(store_, 65532).value(), 0xdeadbeefu);
  EXPECT_EQ(inst_.typed_func<int32_t(int32_t)>(store_, "load")->call(store_, 65532).value(),
            static_cast<int32_t>(0xdeadbeef));
  // One byte past the end, a huge offset, an offset + size that wraps.
  EXPECT_FALSE(mem.write_value<uint32_t>(store_, 65533, 1));
  EXPECT_FALSE(mem.read_string(store_, UINT64_MAX, 2));
  EXPECT_FALSE(mem.read_string(store_, 2, UINT64_MAX));
  EXPECT_EQ(mem.read_string(store_, 65536, 0).value(), "");
  EXPECT_EQ(mem.span(store_).size(), 65536u);
}

TEST_F(MemoryTest, GrowKeepsTheBaseAndRespectsTheMaximum) {
  Memory mem = *inst_.get_memory(store_, "memory");
  uint8_t* base = mem.data(store_);
  EXPECT_EQ(mem.grow(store_, 3).value(), 1u);
  EXPECT_EQ(mem.data(store_), base);
  EXPECT_EQ(mem.pages(store_), 4u);
  auto r = mem.grow(store_, 1);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.status().message(), "memory cannot grow by 1 pages");
}

TEST_F(MemoryTest, TablesAndGlobals) {
  Table t = *inst_.get_table(store_, "table");
  EXPECT_EQ(t.size(store_), 2u);
  EXPECT_EQ(t.type(store_).element, ValKind::kFuncRef);
  EXPECT_FALSE(t.get(store_, 2));
  EXPECT_FALSE(t.set(store_, 0, Val::externref(nullptr)));  // wrong element type
  Func square = *inst_.get_func(store_, "square");
  ASSERT_TRUE(t.set(store_, 1, square.as_val()));
  auto call_table = inst_.typed_func<int32_t(int32_t, int32_t)>(store_, "call_table").value();
  EXPECT_EQ(call_table.call(store_, 1, 9).value(), 81);
  EXPECT_EQ(t.grow(store_, 3, Val::null_funcref()).value(), 2u);
  auto r = call_table.call(store_, 4, 1);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.status().message(), "uninitialized element 4");

  Global counter = *inst_.get_global(store_, "counter");
  Global constant = *inst_.get_global(store_, "constant");
  EXPECT_EQ(counter.type(store_), (GlobalType{ValKind::kI32, true}));
  EXPECT_EQ(constant.get(store_).i64(), -5);
  EXPECT_FALSE(constant.set(store_, Val::i64(1)));
  EXPECT_FALSE(counter.set(store_, Val::i64(1)));
  ASSERT_TRUE(counter.set(store_, Val::i32(99)));
  EXPECT_EQ(counter.get(store_).i32(), 99);
}

TEST_F(MemoryTest, FuncrefValuesRoundTripThroughTablesOfTheirStore) {
  Table t = *inst_.get_table(store_, "table");
  Func square = *inst_.get_func(store_, "square");
  ASSERT_TRUE(t.set(store_, 0, square.as_val()));
  auto back = Func::from_val(store_, t.get(store_, 0).value());
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, square);
}

TEST(FuncrefDeathTest, FuncrefValueOfAnotherStoreIsCaught) {
  // A funcref value carries its store like a Func handle: putting one into
  // another store's table (where Wasm could call it) is a programming error.
  Engine engine;
  Linker linker(engine);
  test::define_host(linker);
  Module m = test::api_module(engine);
  Store a(engine), b(engine);
  Instance ia = linker.instantiate(a, m).value();
  Instance ib = linker.instantiate(b, m).value();
  Val f = ia.get_func(a, "square")->as_val();
  Table tb = *ib.get_table(b, "table");
  EXPECT_DEATH((void)tb.set(b, 0, f), "funcref value used with a store it does not belong to");
  EXPECT_DEATH((void)tb.grow(b, 1, f), "funcref value used with a store it does not belong to");
  EXPECT_DEATH((void)Func::from_val(b, f), "funcref value used with a store it does not belong to");
  // Null is of no store.
  EXPECT_TRUE(tb.set(b, 0, Val::null_funcref()).is_ok());
}

}  // namespace
}  // namespace brisk
