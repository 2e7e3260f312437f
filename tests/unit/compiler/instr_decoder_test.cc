// InstrDecoder's inline path (operators with short immediates, read when
// enough bytes follow) must decode exactly what the checked slow path does
// (taken when the operator ends the input).
#include "compiler/decode/instr.h"

#include <gtest/gtest.h>

#include <vector>

namespace brisk::compiler {
namespace {

// Decodes `op` twice: followed by padding (the inline path) and alone (the
// slow path, fewer than eleven bytes left).
void expect_same(const std::vector<uint8_t>& op) {
  std::vector<uint8_t> padded = op;
  padded.insert(padded.end(), 16, 0x01);  // nops
  InstrDecoder dec(true);
  Instr fast, slow;
  Reader rf(padded.data(), padded.data() + padded.size(), 0, true);
  Reader rs(op.data(), op.data() + op.size(), 0, true);
  ASSERT_TRUE(dec.next(rf, fast).is_ok());
  ASSERT_TRUE(dec.next(rs, slow).is_ok());
  EXPECT_EQ(rf.offset(), op.size());
  EXPECT_EQ(rs.offset(), op.size());
  EXPECT_EQ(fast.op, slow.op);
  EXPECT_EQ(fast.index, slow.index);
  EXPECT_EQ(fast.imm.i64, slow.imm.i64);
  EXPECT_EQ(fast.mem.align_log2, slow.mem.align_log2);
  EXPECT_EQ(fast.mem.offset, slow.mem.offset);
  EXPECT_EQ(fast.block.kind, slow.block.kind);
  if (fast.block.kind == BlockType::Kind::kValue) {
    EXPECT_EQ(fast.block.type, slow.block.type);
  }
}

TEST(InstrDecoder, InlineAndSlowPathsAgree) {
  expect_same({0x10, 0xa0, 0x9c, 0x01});        // call 20000 (three bytes)
  expect_same({0x10, 0x80, 0x80, 0x00});        // call 0, padded to three bytes
  expect_same({0x20, 0x85, 0x01});              // local.get 133
  expect_same({0x41, 0xe0, 0xf2, 0x79});        // i32.const -100000
  expect_same({0x41, 0xff, 0xff, 0x00});        // i32.const 16383 (positive, third byte)
  expect_same({0x41, 0x80, 0x80, 0x40});        // i32.const -1048576 (the 21-bit minimum)
  expect_same({0x42, 0x7b});                    // i64.const -5
  expect_same({0x42, 0xe0, 0xf2, 0x79});        // i64.const -100000
  expect_same({0x42, 0xff, 0xff, 0xff, 0xff, 0x0f});  // i64.const 2^32 - 1 (five bytes)
  expect_same({0x10, 0x80, 0x80, 0x80, 0x80, 0x00});  // call 0, padded to five bytes
  expect_same({0x10, 0xff, 0xff, 0xff, 0xff, 0x0f});  // call 2^32 - 1
  expect_same({0x41, 0x80, 0x80, 0x80, 0x80, 0x78});  // i32.const INT32_MIN
  expect_same({0x41, 0xff, 0xff, 0xff, 0xff, 0x07});  // i32.const INT32_MAX
  expect_same({0x41, 0xff, 0xff, 0xff, 0xff, 0x7f});  // i32.const -1, padded to five bytes
  expect_same({0x41, 0x80, 0x80, 0x80, 0x40});        // i32.const -2^27 (four bytes)
  expect_same({0x42, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f});  // i64.const INT64_MIN
  expect_same({0x42, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00});  // i64.const INT64_MAX
  expect_same({0x42, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x40});        // i64.const -2^62 (nine bytes)
  expect_same({0x29, 0x03, 0x80, 0x80, 0x80, 0x80, 0x01});  // i64.load offset=2^28
  expect_same({0x28, 0x80, 0x80, 0x80, 0x80, 0x00, 0xff, 0xff, 0xff, 0xff, 0x0f});  // i32.load both five bytes
  expect_same({0x28, 0x02, 0xf0, 0xa2, 0x04});  // i32.load offset=70000
  expect_same({0x36, 0x80, 0x00, 0x90, 0x4e});  // i32.store align padded, offset=10000
  expect_same({0x02, 0x40});                    // block
  expect_same({0x03, 0x7e});                    // loop (result i64)
  expect_same({0x04, 0x7b});                    // if (result v128)
  expect_same({0x02, 0x6f});                    // block (result externref)
  expect_same({0x02, 0x05});                    // block (type 5)
}

TEST(InstrDecoder, MalformedBlockTypesStillFailInline) {
  std::vector<uint8_t> b = {0x02, 0x7a, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01};  // 0x7a: no value type
  InstrDecoder dec(true);
  Instr in;
  Reader r(b.data(), b.data() + b.size(), 0, true);
  EXPECT_FALSE(dec.next(r, in).is_ok());
}

TEST(InstrDecoder, MalformedLongImmediatesFailInlineAsTheyDoAlone) {
  // Too long, or bits beyond the type: the inline path hands each to the
  // checked one, which reports it as it does at the end of the input.
  const std::vector<std::vector<uint8_t>> bad = {
      {0x10, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00},  // call: six bytes
      {0x10, 0xff, 0xff, 0xff, 0xff, 0x1f},        // call: bit 32 set
      {0x41, 0xff, 0xff, 0xff, 0xff, 0x0f},        // i32.const: 2^32 - 1 is out of range
      {0x41, 0x80, 0x80, 0x80, 0x80, 0x70},        // i32.const: sign bits unequal
      {0x42, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01},  // i64.const: bits beyond 64
      {0x42, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00},  // i64.const: eleven bytes
      {0x28, 0x02, 0x80, 0x80, 0x80, 0x80, 0x10},  // i32.load: offset beyond 32 bits
  };
  for (const std::vector<uint8_t>& op : bad) {
    std::vector<uint8_t> padded = op;
    padded.insert(padded.end(), 16, 0x01);
    InstrDecoder dec(true);
    Instr in;
    Reader rf(padded.data(), padded.data() + padded.size(), 0, true);
    Reader rs(op.data(), op.data() + op.size(), 0, true);
    Status fast = dec.next(rf, in);
    Status slow = dec.next(rs, in);
    EXPECT_FALSE(fast.is_ok());
    EXPECT_FALSE(slow.is_ok());
    EXPECT_EQ(fast.message(), slow.message());
  }
}

}  // namespace
}  // namespace brisk::compiler
