// A function of more than 1 MiB of code: AArch64's conditional branches,
// cbz and literal loads reach +-1 MiB, so such a function is compiled again
// with long branches (A64Masm::set_long_branches). Its branches to the
// out-of-line trap stubs, over the body and back to the loop header, and its
// v128 constant, must all still land. On x86-64 the same function needs no
// retry.
#include <gtest/gtest.h>

#include "brisk/brisk.h"
#include "compiler/cpu_features.h"
#include "compiler/module_compiler.h"
#include "compiler/validate/func_validator.h"
#include "exec_util.h"
#include "tests/unit/compiler/wasm_builder.h"

namespace brisk {
namespace {

using test::Bytes;

constexpr uint32_t kAdds = 300000;  // about 1.8 MB of Wasm, more than 1 MiB of code

// (func (param a b c n) (result i32)
//   a = a / b; a += (i32x4 10 20 30 40)[2]
//   block  br_if 0 (c)  loop  a += 1 (kAdds times)  br_if 0 (n = n - 1)  end end
//   a)
Bytes long_function_module() {
  Bytes body{0x20, 0x00, 0x20, 0x01, 0x6d, 0x21, 0x00,  // a = a / b
             0xfd, 0x0c};                                // v128.const
  for (uint32_t v : {10u, 20u, 30u, 40u}) {
    for (int k = 0; k < 4; ++k) body.push_back(static_cast<uint8_t>(v >> (8 * k)));
  }
  body.insert(body.end(), {0xfd, 0x1b, 0x02, 0x20, 0x00, 0x6a, 0x21, 0x00});  // extract_lane 2; a += it
  body.insert(body.end(), {0x02, 0x40, 0x20, 0x02, 0x0d, 0x00, 0x03, 0x40});  // block (br_if 0 c) loop
  for (uint32_t i = 0; i < kAdds; ++i) body.insert(body.end(), {0x20, 0x00, 0x41, 0x01, 0x6a, 0x21, 0x00});
  body.insert(body.end(), {0x20, 0x03, 0x41, 0x01, 0x6b, 0x22, 0x03, 0x0d, 0x00, 0x0b, 0x0b});  // n-1; br_if
  body.insert(body.end(), {0x20, 0x00, 0x0b});
  Bytes exports = test::section(7, {0x01, 0x01, 'f', 0x00, 0x00});
  return test::one_func_module({0x7f, 0x7f, 0x7f, 0x7f}, {0x7f}, body, {0x00}, exports);
}

class LongFunction : public testing::TestWithParam<bool> {};

TEST_P(LongFunction, BranchesAndConstantsReachAcrossMoreThanOneMebibyte) {
  Bytes wasm = long_function_module();
  Engine engine(test::config_for(GetParam()));
  Store store(engine);
  auto m = Module::compile(engine, wasm);
  ASSERT_TRUE(m) << m.status().to_string();
  auto inst = Linker(engine).instantiate(store, *m);
  ASSERT_TRUE(inst) << inst.status().to_string();
  Func f = *inst->get_func(store, "f");
  auto call = [&](int32_t a, int32_t b, int32_t c, int32_t n) { return f.call(store, {Val::i32(a), Val::i32(b), Val::i32(c), Val::i32(n)}); };
  auto skipped = call(84, 2, 1, 1);  // the forward branch over the body
  ASSERT_TRUE(skipped) << skipped.status().to_string();
  EXPECT_EQ((*skipped)[0].i32(), 42 + 30);
  auto looped = call(84, 2, 0, 3);  // the backward branch, twice
  ASSERT_TRUE(looped) << looped.status().to_string();
  EXPECT_EQ((*looped)[0].i32(), static_cast<int32_t>(42 + 30 + 3 * kAdds));
  auto trapped = call(1, 0, 0, 1);  // the division's trap stub, after the body
  ASSERT_FALSE(trapped);
  EXPECT_EQ(trapped.status().message(), "integer divide by zero");
}

INSTANTIATE_TEST_SUITE_P(Bounds, LongFunction, testing::Bool(), test::bounds_name);

TEST(LongFunction, IsRetriedWithLongBranchesOnlyWhereBranchesAreShort) {
  Bytes wasm = long_function_module();
  auto m = compiler::decode_and_validate(wasm.data(), wasm.size());
  ASSERT_TRUE(m) << m.status().to_string();
  compiler::CompileStats stats;
  compiler::CompileOptions options;
  options.stats = &stats;
  options.cpu = compiler::host_cpu_features();
  auto c = compiler::compile_module(**m, std::vector<uint32_t>((*m)->types.size(), 0), options);
  ASSERT_TRUE(c) << c.status().to_string();
#if defined(__aarch64__)
  EXPECT_GT(c->code->size(), size_t{1} << 20);
  EXPECT_EQ(stats.piece_retries, 1u);
#else
  EXPECT_EQ(stats.piece_retries, 0u);
#endif
}

}  // namespace
}  // namespace brisk
