// Linker: missing and mistyped imports, store-bound and store-free
// definitions, shadowing, InstancePre.
#include "tests/unit/api/api_util.h"

namespace brisk {
namespace {

TEST(LinkerTest, MissingImportIsNamedWithItsType) {
  Engine engine;
  Module m = test::api_module(engine);
  Store store(engine);
  Linker linker(engine);
  auto r = linker.instantiate(store, m);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.status().kind(), ErrorKind::kUnlinkable);
  EXPECT_EQ(r.status().message(), "unknown import: host.add_i32 ([i32 i32] -> [i32]) is not defined");
}

TEST(LinkerTest, MistypedImportIsNamed) {
  Engine engine;
  Module m = test::api_module(engine);
  Store store(engine);
  Linker linker(engine);
  test::define_host(linker);
  ASSERT_TRUE(linker.func_wrap("host", "mix", [](int32_t) { return 0.0; }));  // shadows with a wrong type
  auto r = linker.instantiate(store, m);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.status().message(),
            "incompatible import type: host.mix has signature [i32] -> [f64], expected [i64 f32 f64] -> [f64]");
  // A global where a function is wanted.
  auto g = Global::create(store, {ValKind::kI32, false}, Val::i32(1));
  ASSERT_TRUE(linker.define("host", "mix", *g));
  r = linker.instantiate(store, m);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.status().message(), "incompatible import type: host.mix is a global, expected a func");
}

TEST(LinkerTest, ShadowingCanBeForbidden) {
  Engine engine;
  Linker linker(engine);
  linker.allow_shadowing(false);
  ASSERT_TRUE(linker.func_wrap("m", "f", [] {}));
  Status st = linker.func_wrap("m", "f", [] {});
  ASSERT_FALSE(st);
  EXPECT_EQ(st.message(), "import m.f is defined twice (shadowing is off)");
}

TEST(LinkerTest, StoreBoundItemDoesNotLinkIntoAnotherStore) {
  Engine engine;
  Module m = test::api_module(engine);
  Store a(engine), b(engine);
  Linker linker(engine);
  test::define_host(linker);
  ASSERT_TRUE(linker.define("host", "add_i32", Func::wrap(a, [](int32_t x, int32_t y) { return x - y; }).value()));
  auto in_a = linker.instantiate(a, m);
  ASSERT_TRUE(in_a) << in_a.status().to_string();
  EXPECT_EQ(in_a->typed_func<int32_t(int32_t, int32_t)>(a, "add")->call(a, 5, 3).value(), 2);
  auto in_b = linker.instantiate(b, m);
  ASSERT_FALSE(in_b);
  EXPECT_EQ(in_b.status().message(), "incompatible import type: host.add_i32 belongs to another store");
}

TEST(LinkerTest, InstancePreInstantiatesManyTimesAcrossStores) {
  Engine engine;
  Module m = test::api_module(engine);
  Linker linker(engine);
  test::define_host(linker);
  auto pre = linker.instantiate_pre(m);
  ASSERT_TRUE(pre) << pre.status().to_string();
  for (int s = 0; s < 3; ++s) {
    Store store(engine);
    for (int i = 0; i < 4; ++i) {
      auto inst = pre->instantiate(store);
      ASSERT_TRUE(inst) << inst.status().to_string();
      auto counter = inst->get_global(store, "counter");
      ASSERT_TRUE(counter);
      EXPECT_EQ(counter->get(store).i32(), 7);  // each instance has its own globals
      ASSERT_TRUE(counter->set(store, Val::i32(i)));
      EXPECT_EQ(inst->typed_func<int32_t(int32_t, int32_t)>(store, "add")->call(store, i, s).value(), i + s);
    }
  }
}

TEST(LinkerTest, DefineInstanceExportsEverything) {
  Engine engine;
  Module m = test::api_module(engine);
  Store store(engine);
  Linker linker(engine);
  test::define_host(linker);
  auto first = linker.instantiate(store, m);
  ASSERT_TRUE(first);
  ASSERT_TRUE(linker.define_instance(store, "first", *first));
  ASSERT_TRUE(linker.define("host", "add_i32", *first->get_export(store, "add")));  // Wasm into Wasm
  auto second = linker.instantiate(store, m);
  ASSERT_TRUE(second) << second.status().to_string();
  EXPECT_EQ(second->typed_func<int32_t(int32_t, int32_t)>(store, "add")->call(store, 20, 22).value(), 42);
}

TEST(LinkerTest, UntypedHostFunction) {
  Engine engine;
  Module m = test::api_module(engine);
  Store store(engine);
  Linker linker(engine);
  test::define_host(linker);
  ASSERT_TRUE(linker.func_new("host", "add_i32", FuncType{{ValKind::kI32, ValKind::kI32}, {ValKind::kI32}},
                              [](std::span<const Val> args, std::span<Val> results) {
                                results[0] = Val::i32(args[0].i32() * args[1].i32());
                                return Status::ok();
                              }));
  auto inst = linker.instantiate(store, m);
  ASSERT_TRUE(inst);
  auto add = inst->get_func(store, "add");
  auto r = add->call(store, {Val::i32(6), Val::i32(7)});
  ASSERT_TRUE(r);
  EXPECT_EQ((*r)[0].i32(), 42);
  auto bad = add->call(store, {Val::i64(6), Val::i32(7)});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.status().message(), "argument 0 has the wrong type");
}

}  // namespace
}  // namespace brisk
