// Frame slots are sized by type: four bytes for i32/f32, eight for i64/f64
// (Liftoff's SlotSizeForType), so i32-heavy functions get smaller frames.
#include <gtest/gtest.h>

#include <cstring>

#include "compiler/codegen/value_stack.h"
#include "compiler/module_compiler.h"
#include "compiler/validate/func_validator.h"
#include "tests/unit/compiler/wasm_builder.h"

namespace brisk::compiler {
namespace {

// The frame size the prologue reserves: push rbp; mov rbp, rsp; sub rsp, imm32.
uint32_t frame_size_of(uint8_t local_type, uint32_t count) {
  test::Bytes locals{0x01};
  test::put_u32(locals, count);
  locals.push_back(local_type);
  test::Bytes body{0x0b};
  test::Bytes wasm = test::one_func_module({}, {}, body, locals);
  auto m = decode_and_validate(wasm.data(), wasm.size());
  EXPECT_TRUE(m) << m.status().to_string();
  CompileOptions options;
  auto c = compile_module(**m, std::vector<uint32_t>((*m)->types.size(), 0), options);
  EXPECT_TRUE(c) << c.status().to_string();
  const uint8_t* f = c->code->base() + c->func_offsets[0];
#if defined(__aarch64__)
  // stp x29, x30, [sp, #-16]!; mov x29, sp; movz x16, lo; movk x16, hi, lsl 16; sub sp, sp, x16
  uint32_t w[4];
  memcpy(w, f, sizeof w);
  EXPECT_EQ(w[0], 0xa9bf7bfdu);
  EXPECT_EQ(w[2] & 0xffe0001fu, 0xd2800010u);  // movz x16
  EXPECT_EQ(w[3] & 0xffe0001fu, 0xf2a00010u);  // movk x16, lsl 16
  return ((w[2] >> 5) & 0xffff) | (((w[3] >> 5) & 0xffff) << 16);
#else
  EXPECT_EQ(f[0], 0x55);  // push rbp
  EXPECT_EQ(f[5], 0x81);  // sub rsp, imm32 (48 81 ec)
  uint32_t size;
  memcpy(&size, f + 7, 4);
  return size;
#endif
}

TEST(FrameLayout, SlotsAreSizedByType) {
  // 8 bytes for the saved VMContext, then the locals, rounded up to 16.
  EXPECT_EQ(frame_size_of(0x7f, 10), 48u);   // 10 x i32: 8 + 40
  EXPECT_EQ(frame_size_of(0x7d, 10), 48u);   // 10 x f32
  EXPECT_EQ(frame_size_of(0x7e, 10), 96u);   // 10 x i64: 8 + 80 -> 96
  EXPECT_EQ(frame_size_of(0x7c, 3), 32u);    // 3 x f64: 8 + 24
  EXPECT_EQ(slot_size(ValType::kV128), 16);  // and v128 (SIMD) is 16
}

}  // namespace
}  // namespace brisk::compiler
