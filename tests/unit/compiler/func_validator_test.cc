// Function body validation: the spec algorithm's operand and control stacks.
#include "compiler/validate/func_validator.h"

#include <gtest/gtest.h>

#include "compiler/decode/module_decoder.h"
#include "tests/unit/compiler/wasm_builder.h"

namespace brisk::compiler {
namespace {

using test::Bytes;
using test::one_func_module;

constexpr uint8_t I32 = 0x7f, I64 = 0x7e, F32 = 0x7d;

Status check(const Bytes& params, const Bytes& results, const Bytes& body, const Bytes& locals = {0x00}) {
  Bytes b = one_func_module(params, results, body, locals);
  auto m = decode_and_validate(b.data(), b.size());
  return m ? Status::ok() : m.take_status();
}

TEST(FuncValidator, AcceptsWellTypedArithmetic) {
  EXPECT_TRUE(check({I32, I32}, {I32}, {0x20, 0x00, 0x20, 0x01, 0x6a, 0x0b}).is_ok());
}

TEST(FuncValidator, RejectsOperandOfWrongType) {
  Status s = check({I64}, {I32}, {0x20, 0x00, 0x45, 0x0b});  // i32.eqz on i64
  EXPECT_EQ(s.kind(), ErrorKind::kInvalid);
  EXPECT_EQ(s.message(), "type mismatch");
}

TEST(FuncValidator, RejectsMissingResult) {
  EXPECT_EQ(check({}, {I32}, {0x0b}).message(), "type mismatch");
}

TEST(FuncValidator, RejectsExtraValueAtEnd) {
  EXPECT_EQ(check({}, {}, {0x41, 0x01, 0x0b}).message(), "type mismatch");
}

TEST(FuncValidator, RejectsBinopAcrossBlockBoundary) {
  // i32.const 1; block; i32.const 2; i32.add; end
  EXPECT_EQ(check({}, {}, {0x41, 0x01, 0x02, 0x40, 0x41, 0x02, 0x6a, 0x1a, 0x0b, 0x1a, 0x0b}).message(),
            "type mismatch");
}

TEST(FuncValidator, UnreachableMakesTheStackPolymorphic) {
  // unreachable; i32.add; (result i32)
  EXPECT_TRUE(check({}, {I32}, {0x00, 0x6a, 0x0b}).is_ok());
  // i32.const 1; br 0; then i32.eqz on an unknown operand
  EXPECT_TRUE(check({}, {I32}, {0x41, 0x01, 0x0c, 0x00, 0x45, 0x0b}).is_ok());
  // br 0 itself still needs the label's values
  EXPECT_EQ(check({}, {I32}, {0x0c, 0x00, 0x0b}).message(), "type mismatch");
}

TEST(FuncValidator, PolymorphicStackStillChecksKnownTypes) {
  // unreachable; i64.const 0; i32.add -> i64 where i32 expected
  EXPECT_EQ(check({}, {I32}, {0x00, 0x42, 0x00, 0x6a, 0x0b}).message(), "type mismatch");
}

TEST(FuncValidator, MultiValueBlocksUseTypeIndices) {
  // type 0: [] -> [i32]; the block uses type 0 as [] -> [i32]
  EXPECT_TRUE(check({}, {I32}, {0x02, 0x00, 0x41, 0x07, 0x0b, 0x0b}).is_ok());
}

TEST(FuncValidator, LoopLabelsTakeTheLoopParameters) {
  // X (result i32): i32.const 0; br_if 0; i32.const 1; end
  // A loop's label carries its (empty) params, a block's its i32 result.
  Bytes loop{0x03, 0x7f, 0x41, 0x00, 0x0d, 0x00, 0x41, 0x01, 0x0b, 0x0b};
  Bytes block{0x02, 0x7f, 0x41, 0x00, 0x0d, 0x00, 0x41, 0x01, 0x0b, 0x0b};
  EXPECT_TRUE(check({}, {I32}, loop).is_ok());
  EXPECT_EQ(check({}, {I32}, block).message(), "type mismatch");
}

TEST(FuncValidator, IfWithoutElseMustNotChangeTypes) {
  EXPECT_EQ(check({}, {I32}, {0x41, 0x01, 0x04, 0x7f, 0x41, 0x01, 0x0b, 0x0b}).message(), "type mismatch");
  EXPECT_TRUE(check({}, {I32}, {0x41, 0x01, 0x04, 0x7f, 0x41, 0x01, 0x05, 0x41, 0x02, 0x0b, 0x0b}).is_ok());
}

TEST(FuncValidator, BrTableTargetsMustAgreeOnArity) {
  // block (result i32) block; i32.const 0; br_table 0 1; end; end
  Bytes body{0x02, 0x7f, 0x02, 0x40, 0x41, 0x00, 0x0e, 0x01, 0x00, 0x01, 0x0b, 0x41, 0x00, 0x0b, 0x0b};
  EXPECT_EQ(check({}, {I32}, body).message(), "type mismatch");
}

TEST(FuncValidator, ReportsUnknownIndices) {
  EXPECT_EQ(check({}, {}, {0x20, 0x03, 0x1a, 0x0b}).message(), "unknown local 3");
  EXPECT_EQ(check({}, {}, {0x23, 0x00, 0x1a, 0x0b}).message(), "unknown global 0");
  EXPECT_EQ(check({}, {}, {0x10, 0x09, 0x0b}).message(), "unknown function 9");
  EXPECT_EQ(check({}, {}, {0x0c, 0x02, 0x0b}).message(), "unknown label 2");
  EXPECT_EQ(check({}, {}, {0x41, 0x00, 0x28, 0x02, 0x00, 0x1a, 0x0b}).message(), "unknown memory 0");
}

TEST(FuncValidator, DeclaredLocalsHaveTheirTypes) {
  // one local group: 2 x f32
  EXPECT_TRUE(check({}, {F32}, {0x20, 0x01, 0x0b}, {0x01, 0x02, F32}).is_ok());
  EXPECT_EQ(check({}, {I32}, {0x20, 0x01, 0x0b}, {0x01, 0x02, F32}).message(), "type mismatch");
}

TEST(FuncValidator, RejectsTooManyLocals) {
  Status s = check({}, {}, {0x0b}, {0x01, 0xff, 0xff, 0xff, 0xff, 0x0f, I32});
  EXPECT_EQ(s.kind(), ErrorKind::kMalformed);
  EXPECT_EQ(s.message(), "too many locals");
}

TEST(FuncValidator, SelectRejectsMixedTypes) {
  EXPECT_EQ(check({}, {I32}, {0x41, 0x01, 0x42, 0x01, 0x41, 0x00, 0x1b, 0x0b}).message(), "type mismatch");
  EXPECT_TRUE(check({}, {I64}, {0x42, 0x01, 0x42, 0x02, 0x41, 0x00, 0x1b, 0x0b}).is_ok());
}

TEST(FuncValidator, MissingEndIsMalformed) {
  Status s = check({}, {}, {0x01});
  EXPECT_EQ(s.kind(), ErrorKind::kMalformed);
  EXPECT_EQ(s.message(), "END opcode expected");
}

TEST(FuncValidator, IllegalOpcodeIsMalformed) {
  Status s = check({}, {}, {0xff, 0x0b});
  EXPECT_EQ(s.kind(), ErrorKind::kMalformed);
  EXPECT_EQ(s.message(), "illegal opcode");
  EXPECT_EQ(check({}, {}, {0xfd, 0x9a, 0x01, 0x0b}).message(), "illegal opcode");  // reserved SIMD 154
}

TEST(FuncValidator, SimdLaneIndicesAreBounded) {
  Bytes v128_zero{0xfd, 0x0c, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
  Bytes ok = v128_zero;
  ok.insert(ok.end(), {0xfd, 0x1b, 0x03, 0x0b});  // i32x4.extract_lane 3
  EXPECT_TRUE(check({}, {I32}, ok).is_ok());
  Bytes bad = v128_zero;
  bad.insert(bad.end(), {0xfd, 0x1b, 0x04, 0x0b});  // i32x4.extract_lane 4
  EXPECT_EQ(check({}, {I32}, bad).message(), "invalid lane index");
}

TEST(FuncValidator, MalformedBodyLaterWinsOverInvalidBodyEarlier) {
  using test::cat;
  using test::header;
  using test::section;
  Bytes type = test::section(1, {0x01, 0x60, 0x00, 0x00});
  Bytes funcs = section(3, {0x02, 0x00, 0x00});
  // body 0: i32.const 0; end (invalid: leaves a value); body 1: illegal opcode
  Bytes code = section(10, {0x02, 0x04, 0x00, 0x41, 0x00, 0x0b, 0x03, 0x00, 0xff, 0x0b});
  Bytes b = cat({header(), type, funcs, code});
  auto m = decode_and_validate(b.data(), b.size());
  ASSERT_FALSE(m);
  EXPECT_EQ(m.status().kind(), ErrorKind::kMalformed);
  EXPECT_EQ(m.status().message(), "illegal opcode");
}

}  // namespace
}  // namespace brisk::compiler
