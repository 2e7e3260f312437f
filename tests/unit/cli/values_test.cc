// brisk run's argument parsing and result printing.
#include "cli/values.h"

#include <gtest/gtest.h>

namespace brisk::cli {
namespace {

uint64_t bits(ValKind k, const char* text) {
  auto v = parse_value(k, text);
  EXPECT_TRUE(v) << text << ": " << v.status().message();
  return v ? v->bits() : 0xdeadbeef;
}

std::string error(ValKind k, const char* text) {
  auto v = parse_value(k, text);
  EXPECT_FALSE(v) << text << " was accepted as " << (v ? v->bits() : 0);
  return v ? "" : v.status().message();
}

TEST(CliValues, IntegersAreDecimalOrHexAndNeverWrap) {
  EXPECT_EQ(bits(ValKind::kI32, "010"), 10u);  // not octal
  EXPECT_EQ(bits(ValKind::kI32, "-1"), 0xffffffffu);
  EXPECT_EQ(bits(ValKind::kI32, "4294967295"), 0xffffffffu);
  EXPECT_EQ(bits(ValKind::kI32, "-2147483648"), 0x80000000u);
  EXPECT_EQ(bits(ValKind::kI32, "0x7fff_ffff"), 0x7fffffffu);
  EXPECT_EQ(bits(ValKind::kI64, "18446744073709551615"), UINT64_MAX);
  EXPECT_EQ(bits(ValKind::kI64, "-9223372036854775808"), uint64_t{1} << 63);
  EXPECT_EQ(error(ValKind::kI32, "4294967296"), "cannot read \"4294967296\" as i32: out of range");
  EXPECT_EQ(error(ValKind::kI32, "-2147483649"), "cannot read \"-2147483649\" as i32: out of range");
  EXPECT_EQ(error(ValKind::kI64, "18446744073709551616"), "cannot read \"18446744073709551616\" as i64: out of range");
  EXPECT_EQ(error(ValKind::kI64, "-9223372036854775809"), "cannot read \"-9223372036854775809\" as i64: out of range");
  error(ValKind::kI32, "");
  error(ValKind::kI32, "12abc");
  error(ValKind::kI32, "1__0");
  error(ValKind::kI32, "0x");
  error(ValKind::kI32, " 1");
}

TEST(CliValues, FloatsIncludingNanPayloads) {
  EXPECT_EQ(bits(ValKind::kF32, "1.5"), 0x3fc00000u);
  EXPECT_EQ(bits(ValKind::kF32, "-0"), 0x80000000u);
  EXPECT_EQ(bits(ValKind::kF32, "0x1p-149"), 1u);
  EXPECT_EQ(bits(ValKind::kF32, "inf"), 0x7f800000u);
  EXPECT_EQ(bits(ValKind::kF32, "-inf"), 0xff800000u);
  EXPECT_EQ(bits(ValKind::kF32, "nan"), 0x7fc00000u);
  EXPECT_EQ(bits(ValKind::kF32, "-nan:0x1"), 0xff800001u);
  EXPECT_EQ(bits(ValKind::kF64, "nan:0x4000000000000"), 0x7ff4000000000000u);
  EXPECT_EQ(bits(ValKind::kF64, "1e308"), 0x7fe1ccf385ebc8a0u);
  EXPECT_EQ(error(ValKind::kF32, "1e39"), "cannot read \"1e39\" as f32: out of range");
  error(ValKind::kF32, "nan:0x800000");  // payload wider than 23 bits
  error(ValKind::kF32, "nan:0x0");
  error(ValKind::kF64, "infinity");
  error(ValKind::kF64, "1.0x");
}

TEST(CliValues, PrintedValuesReadBackToTheSameBits) {
  const std::pair<ValKind, uint64_t> cases[] = {
      {ValKind::kI32, 0xffffffffu}, {ValKind::kI64, uint64_t{1} << 63}, {ValKind::kF32, 0x7fc00000u},
      {ValKind::kF32, 0xff800001u}, {ValKind::kF32, 0x00000001u}, {ValKind::kF32, 0x3dcccccdu},
      {ValKind::kF64, 0x7ff8000000000001u}, {ValKind::kF64, 0x3fb999999999999au}, {ValKind::kF64, 0xfff0000000000000u},
  };
  for (auto [k, b] : cases) {
    std::string text = format_value(Val::from_bits(k, b));
    EXPECT_EQ(bits(k, text.c_str()), b) << text;
  }
  EXPECT_EQ(format_value(Val::f32_bits(0x7fc00000u)), "nan");
  EXPECT_EQ(format_value(Val::f32_bits(0xffa00000u)), "-nan:0x200000");
  EXPECT_EQ(format_value(Val::i32(-7)), "-7");
}

TEST(CliValues, Durations) {
  EXPECT_EQ(parse_duration_ms("500ms").value(), 500u);
  EXPECT_EQ(parse_duration_ms("2s").value(), 2000u);
  EXPECT_EQ(parse_duration_ms("1.5m").value(), 90000u);
  EXPECT_EQ(parse_duration_ms("1h").value(), 3600000u);
  for (const char* bad : {"", "5", "s", "0s", "0.5ms", "-1s", "1.2.3s", "2 s", "3d", ".5s", "9999999h"}) {
    EXPECT_FALSE(parse_duration_ms(bad)) << bad;
  }
}

}  // namespace
}  // namespace brisk::cli
