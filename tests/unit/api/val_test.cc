// brisk::Val: every value type, including v128, and the canonical slot form.
#include <gtest/gtest.h>

#include "brisk/brisk.h"

namespace brisk {
namespace {

TEST(Val, HoldsAV128InFull) {
  Val v = Val::v128(0x0706050403020100u, 0x0f0e0d0c0b0a0908u);
  EXPECT_EQ(v.kind(), ValKind::kV128);
  EXPECT_EQ(v.v128_lo(), 0x0706050403020100u);
  EXPECT_EQ(v.v128_hi(), 0x0f0e0d0c0b0a0908u);
  Val copy = v;
  EXPECT_EQ(copy.v128_hi(), v.v128_hi());
}

TEST(Val, ThirtyTwoBitKindsKeepOnlyTheLowHalf) {
  EXPECT_EQ(Val::from_bits(ValKind::kI32, ~uint64_t{0}).bits(), 0xffffffffu);
  EXPECT_EQ(Val::from_bits(ValKind::kF32, 0x123456783f800000u).f32(), 1.0f);
  EXPECT_EQ(Val::from_bits(ValKind::kI64, ~uint64_t{0}).i64(), -1);
  EXPECT_EQ(Val::i32(-1).bits(), 0xffffffffu);
}

}  // namespace
}  // namespace brisk
