// InstrDecoder's inline path (operators with short immediates, read when
// enough bytes follow) must decode exactly what the checked slow path does
// (taken when the operator ends the input).
#include "compiler/decode/instr.h"

#include <gtest/gtest.h>

#include <vector>

namespace brisk::compiler {
namespace {

// Decodes `op` twice: followed by padding (the inline path) and alone (the
// slow path, fewer than seven bytes left).
void expect_same(const std::vector<uint8_t>& op) {
  std::vector<uint8_t> padded = op;
  padded.insert(padded.end(), 8, 0x01);  // nops
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
  expect_same({0x42, 0xff, 0xff, 0xff, 0xff, 0x0f});  // i64.const 2^32 - 1 (five bytes: slow both ways)
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

}  // namespace
}  // namespace brisk::compiler
