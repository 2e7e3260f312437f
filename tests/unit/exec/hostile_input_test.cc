// Hostile inputs through the API: deep nesting, huge element segments, SIMD
// on a CPU below the SIMD floor. Each must give a clear answer, never a crash or a
// quadratic compile.
#include <gtest/gtest.h>

#include "brisk/brisk.h"
#include "exec_util.h"
#include "tests/unit/compiler/wasm_builder.h"

namespace brisk {
namespace {

using test::Bytes;
using test::cat;
using test::header;
using test::put_u32;
using test::section;

// A module exporting function 0 as "f", of type `type` (a type section
// body), with `body` (locals declaration included, final end included).
Bytes module_with(const Bytes& type, const Bytes& body, const Bytes& extra_before_code = {}) {
  Bytes code{0x01};
  put_u32(code, static_cast<uint32_t>(body.size()));
  code.insert(code.end(), body.begin(), body.end());
  return cat({header(), section(1, type), section(3, {0x01, 0x00}), extra_before_code,
              section(7, {0x01, 0x01, 'f', 0x00, 0x00}), section(10, code)});
}

class HostileInput : public testing::TestWithParam<bool> {
 protected:
  HostileInput() : engine_(test::config_for(GetParam())), store_(engine_) {}
  Result<Module> compile(const Bytes& b) { return Module::compile(engine_, b); }
  Engine engine_;
  Store store_;
};

TEST_P(HostileInput, EightyThousandNestedLoopsCompileAndRun) {
  // (func (param i32) (result i32) loop*80000 local.get 0 ... end*80000 local.get 0 i32.const 1 i32.add)
  constexpr uint32_t kDepth = 80000;
  Bytes body{0x00};
  for (uint32_t i = 0; i < kDepth; ++i) body.insert(body.end(), {0x03, 0x40});
  body.insert(body.end(), {0x20, 0x00, 0x1a, 0x20, 0x00, 0x1a});
  body.insert(body.end(), kDepth, 0x0b);
  body.insert(body.end(), {0x20, 0x00, 0x41, 0x01, 0x6a, 0x0b});
  auto m = compile(module_with({0x01, 0x60, 0x01, 0x7f, 0x01, 0x7f}, body));
  ASSERT_TRUE(m) << m.status().to_string();
  auto inst = Linker(engine_).instantiate(store_, *m);
  ASSERT_TRUE(inst) << inst.status().to_string();
  auto r = inst->get_func(store_, "f")->call(store_, {Val::i32(41)});
  ASSERT_TRUE(r) << r.status().to_string();
  EXPECT_EQ((*r)[0].i32(), 42);
}

TEST_P(HostileInput, SimdInDeadCodeNeedsTheSimdFloorLikeLiveSimd) {
  // unreachable; v128.const 0; drop
  Bytes body{0x00, 0x00, 0xfd, 0x0c};
  body.insert(body.end(), 16, 0x00);
  body.insert(body.end(), {0x1a, 0x0b});
  Bytes wasm = module_with({0x01, 0x60, 0x00, 0x00}, body);
#if defined(__aarch64__)
  // NEON is part of the ISA: there is no floor to fall below.
  EXPECT_TRUE(compile(wasm));
  return;
#endif
  EXPECT_TRUE(compile(wasm)) << "with SSE4.1";
  Config c = test::config_for(GetParam());
  c.cpu_features = "popcnt";
  Engine without(c);
  auto m = Module::compile(without, wasm);
  ASSERT_FALSE(m);
  EXPECT_EQ(m.status().kind(), ErrorKind::kUnsupported);
  EXPECT_EQ(m.status().message(),
            "SIMD needs SSE4.1, which this CPU (or the configured CPU feature mask) does not have");
}

TEST_P(HostileInput, V128GlobalsAndSignaturesCompile) {
  // (global v128 (v128.const 0)) and a function that never touches it.
  Bytes global{0x01, 0x7b, 0x00, 0xfd, 0x0c};
  global.insert(global.end(), 16, 0x00);
  global.push_back(0x0b);
  auto m = compile(module_with({0x01, 0x60, 0x00, 0x00}, {0x00, 0x0b}, section(6, global)));
  EXPECT_TRUE(m) << m.status().to_string();
  // A type returning v128 no function uses.
  auto t = compile(module_with({0x02, 0x60, 0x00, 0x00, 0x60, 0x00, 0x01, 0x7b}, {0x00, 0x0b}));
  EXPECT_TRUE(t) << t.status().to_string();
  // An invalid module says it is invalid.
  auto bad = compile(module_with({0x02, 0x60, 0x00, 0x00, 0x60, 0x00, 0x01, 0x7b}, {0x00, 0x6a, 0x0b}));
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.status().kind(), ErrorKind::kInvalid);
}

TEST_P(HostileInput, PassiveSegmentsAreReadFromTheModuleUntilDropped) {
  // (table 4 funcref) (elem $e func 0 0 0) (func (export "f") (param i32) (result i32)
  //   (table.init $e (i32.const 0) (i32.const 0) (i32.const 3))
  //   (if (local.get 0) (elem.drop $e))
  //   (table.init $e (i32.const 1) (i32.const 0) (i32.const 3)) (table.size))
  Bytes table = section(4, {0x01, 0x70, 0x00, 0x04});
  Bytes elem = section(9, {0x01, 0x01, 0x00, 0x03, 0x00, 0x00, 0x00});
  Bytes datacount;  // none needed for table.init
  Bytes body{0x00, 0x41, 0x00, 0x41, 0x00, 0x41, 0x03, 0xfc, 0x0c, 0x00, 0x00,
             0x20, 0x00, 0x04, 0x40, 0xfc, 0x0d, 0x00, 0x0b,
             0x41, 0x01, 0x41, 0x00, 0x41, 0x03, 0xfc, 0x0c, 0x00, 0x00,
             0xfc, 0x10, 0x00, 0x0b};
  Bytes code{0x01};
  put_u32(code, static_cast<uint32_t>(body.size()));
  code.insert(code.end(), body.begin(), body.end());
  Bytes b = cat({header(), section(1, {0x01, 0x60, 0x01, 0x7f, 0x01, 0x7f}), section(3, {0x01, 0x00}), table,
                 section(7, {0x01, 0x01, 'f', 0x00, 0x00}), elem, section(10, code)});
  auto m = compile(b);
  ASSERT_TRUE(m) << m.status().to_string();
  auto inst = Linker(engine_).instantiate(store_, *m);
  ASSERT_TRUE(inst) << inst.status().to_string();
  Func f = *inst->get_func(store_, "f");
  auto ok = f.call(store_, {Val::i32(0)});
  ASSERT_TRUE(ok) << ok.status().to_string();
  EXPECT_EQ((*ok)[0].i32(), 4);
  auto dropped = f.call(store_, {Val::i32(1)});
  ASSERT_FALSE(dropped);
  EXPECT_EQ(dropped.status().message(), "out of bounds table access");
}

INSTANTIATE_TEST_SUITE_P(BothBoundsModes, HostileInput, testing::Bool(), test::bounds_name);

}  // namespace
}  // namespace brisk
