// Module: typed imports and exports, validation, the code cache.
#include <cstdio>
#include <unistd.h>

#include "tests/unit/api/api_util.h"

namespace brisk {
namespace {

TEST(ModuleTest, ImportsAndExportsAreTypedValues) {
  Engine engine;
  Module m = test::api_module(engine);
  auto imports = m.imports();
  ASSERT_EQ(imports.size(), 6u);
  EXPECT_EQ(imports[0].module, "host");
  EXPECT_EQ(imports[0].name, "add_i32");
  EXPECT_EQ(std::get<FuncType>(imports[0].type), (FuncType{{ValKind::kI32, ValKind::kI32}, {ValKind::kI32}}));
  EXPECT_EQ(std::get<FuncType>(imports[2].type).results, (std::vector<ValKind>{ValKind::kI32, ValKind::kI64}));
  std::map<std::string, ExternType> exports;
  for (auto& e : m.exports()) exports.emplace(e.name, e.type);
  EXPECT_EQ(std::get<MemoryType>(exports.at("memory")), (MemoryType{{1, 4, true}}));
  EXPECT_EQ(std::get<TableType>(exports.at("table")), (TableType{ValKind::kFuncRef, {2, 10, true}}));
  EXPECT_EQ(std::get<GlobalType>(exports.at("counter")), (GlobalType{ValKind::kI32, true}));
  EXPECT_EQ(to_string(exports.at("constant")), "i64");
  EXPECT_EQ(extern_kind_name(exports.at("square")), std::string("func"));
  EXPECT_EQ(m.name().value_or(""), "api_test");
}

TEST(ModuleTest, ValidateAndCompileErrors) {
  std::vector<uint8_t> junk = {0, 'a', 's', 'm', 2, 0, 0, 0};
  Status st = Module::validate(junk);
  EXPECT_EQ(st.kind(), ErrorKind::kMalformed);
  EXPECT_TRUE(Module::validate(test::api_wasm()));
  Engine engine;
  EXPECT_FALSE(Module::compile(engine, junk));
}

class CacheTest : public testing::Test {
 protected:
  Result<Instance> run(Store& store, const Module& m) {
    Linker linker(store.engine());
    test::define_host(linker);
    return linker.instantiate(store, m);
  }
};

TEST_F(CacheTest, SerializedModuleRunsInAnotherEngine) {
  std::vector<uint8_t> art;
  {
    Engine engine;
    Module m = test::api_module(engine);
    art = m.serialize().value();
  }
  EXPECT_TRUE(Module::is_serialized(art));
  Engine other;
  // Another engine has other type ids: register a few first so they differ.
  (void)Func::create(*std::make_unique<Store>(other), FuncType{{ValKind::kF64}, {}}, nullptr);
  auto m = Module::deserialize(other, art);
  ASSERT_TRUE(m) << m.status().to_string();
  EXPECT_EQ(m->code_size(), test::api_module(other).code_size());
  EXPECT_GT(m->code_size(), 0u);
  Store store(other);
  auto inst = run(store, *m);
  ASSERT_TRUE(inst) << inst.status().to_string();
  EXPECT_EQ(inst->typed_func<int32_t(int32_t, int32_t)>(store, "add")->call(store, 1, 2).value(), 3);
  auto call_table = inst->typed_func<int32_t(int32_t, int32_t)>(store, "call_table").value();
  EXPECT_EQ(call_table.call(store, 0, 7).value(), 49);  // the type id relocation was re-applied
  auto trap = inst->typed_func<int32_t(int32_t)>(store, "trap_if_zero")->call(store, 0);
  ASSERT_FALSE(trap);  // trap tables and names survive
  EXPECT_EQ(trap_frames(trap.status()).at(0).func_name, "inner");
  auto oob = inst->typed_func<int32_t(int32_t)>(store, "load")->call(store, 70000);
  EXPECT_EQ(trap_code_of(oob.status()), TrapCode::kMemoryOutOfBounds);
}

TEST_F(CacheTest, FileMappingVariant) {
  Engine engine;
  Module m = test::api_module(engine);
  auto art = m.serialize().value();
  std::string path = testing::TempDir() + "/api.cwasm";
  FILE* f = fopen(path.c_str(), "wb");
  ASSERT_NE(f, nullptr);
  fwrite(art.data(), 1, art.size(), f);
  fclose(f);
  auto loaded = Module::deserialize_file(engine, path);
  ASSERT_TRUE(loaded) << loaded.status().to_string();
  Store store(engine);
  ASSERT_TRUE(run(store, *loaded));
  unlink(path.c_str());
  EXPECT_EQ(Module::deserialize_file(engine, path).status().kind(), ErrorKind::kIo);
}

TEST_F(CacheTest, DamagedOrForeignArtifactsAreRefused) {
  Engine engine;
  auto art = test::api_module(engine).serialize().value();
  // Every single-byte corruption is caught (by the checksum).
  for (size_t i = 0; i < art.size(); i += 97) {
    auto bad = art;
    bad[i] ^= 0x40;
    auto m = Module::deserialize(engine, bad);
    ASSERT_FALSE(m) << "byte " << i;
    EXPECT_NE(m.status().message().find("cannot load serialized module"), std::string::npos);
  }
  auto truncated = art;
  truncated.resize(art.size() / 2);
  EXPECT_FALSE(Module::deserialize(engine, truncated));
  EXPECT_EQ(Module::deserialize(engine, test::api_wasm()).status().message(),
            "cannot load serialized module: not a serialized Brisk module");
  EXPECT_EQ(Module::compile(engine, art).status().message(),
            "this is a serialized module: load it with Module::deserialize");

  Config explicit_cfg;
  explicit_cfg.explicit_bounds_checks = true;
  auto other = Module::deserialize(Engine(explicit_cfg), art);
  ASSERT_FALSE(other);
  EXPECT_EQ(other.status().message(),
            "cannot load serialized module: compiled with guard pages, not interruptible, the engine uses explicit "
            "bounds checks, not interruptible");
}

TEST_F(CacheTest, MoreCpuFeaturesThanTheEngineAllowsIsRefused) {
  Config all;
  Engine full(all);
  auto art = test::api_module(full).serialize().value();
  Config base;
  base.cpu_features = "baseline";
  Engine baseline(base);
  auto m = Module::deserialize(baseline, art);
  if (full.config().cpu_features.empty() && m) {
    GTEST_SKIP() << "this CPU has none of the optional features";
  }
  ASSERT_FALSE(m);
  EXPECT_NE(m.status().message().find("more than this engine allows (baseline)"), std::string::npos)
      << m.status().message();
  // The other way round is fine: baseline code runs on a full engine.
  auto art2 = test::api_module(baseline).serialize().value();
  EXPECT_TRUE(Module::deserialize(full, art2));
}

}  // namespace
}  // namespace brisk
