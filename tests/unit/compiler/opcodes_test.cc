// The opcode table: encodings round-trip, prefixes and 32-bit sub-opcodes.
#include "compiler/decode/opcodes.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace brisk::compiler {
namespace {

TEST(Opcodes, EveryOperatorRoundTripsThroughItsEncoding) {
  std::set<std::pair<uint8_t, uint32_t>> seen;
  for (uint32_t k = 0; k < kNumOpcodes; ++k) {
    Opcode op = static_cast<Opcode>(k);
    const OpcodeInfo& i = opcode_info(op);
    ASSERT_NE(i.name, nullptr);
    EXPECT_TRUE(seen.insert({i.prefix, i.code}).second) << i.name << " shares its encoding";
    EXPECT_EQ(opcode_from(i.prefix, i.code), op) << i.name;
  }
  EXPECT_EQ(seen.size(), kNumOpcodes);
}

TEST(Opcodes, PrefixesAndCodesAreSeparateColumns) {
  EXPECT_EQ(opcode_from(0, 0x6a), Opcode::kI32Add);
  EXPECT_EQ(opcode_info(Opcode::kI32Add).prefix, 0);
  EXPECT_EQ(opcode_from(kPrefixMisc, 0x0b), Opcode::kMemoryFill);
  EXPECT_EQ(opcode_from(kPrefixSimd, 0xff), Opcode::kF64x2ConvertLowI32x4U);
  EXPECT_TRUE(is_simd(Opcode::kV128Load));
  EXPECT_FALSE(is_simd(Opcode::kMemoryFill));
  // Sub-opcodes are 32-bit: codes past the table are unassigned, not truncated.
  EXPECT_EQ(opcode_from(kPrefixSimd, 0x100), Opcode::kCount);
  EXPECT_EQ(opcode_from(kPrefixMisc, 0x10b), Opcode::kCount);
  EXPECT_EQ(opcode_from(kPrefixSimd, 0xffffffffu), Opcode::kCount);
  EXPECT_EQ(opcode_from(0, 0x06), Opcode::kCount);    // try (exception handling)
  EXPECT_EQ(opcode_from(0xfe, 0x00), Opcode::kCount);  // an unknown prefix
  EXPECT_EQ(std::string(opcode_name(Opcode::kCount)), "<unknown>");
}

TEST(Opcodes, SignatureLettersNameOperandAndResultTypes) {
  EXPECT_EQ(sig_letter(Sig::k_i_ll, 0), 'i');
  EXPECT_EQ(sig_letter(Sig::k_i_ll, 1), 'l');
  EXPECT_EQ(sig_letter(Sig::k_d_f, 1), 'f');
  EXPECT_EQ(sig_letter(Sig::kSpecial, 0), 0);
}

}  // namespace
}  // namespace brisk::compiler
